"""Several campaigns side by side: which campaign a request is in, and each one's URL space.

The primary campaign is served at ``/`` with the site's plain URLs. Every other published
campaign has the same pages under ``/<campaign-slug>/...``: its landing page, storylines,
agenda, feeds and pages. A URL pattern of a campaign's page is written once with
``campaign_paths()``, which also makes its prefixed twin; ``reverse`` picks the twin when
given a ``campaign_slug``. Schools, companies and news are shared and have one address.

All campaigns are read once per content version (a handful of rows, kept in the shared
cache: see ``campaign.content_version``) into each request's ``CampaignDirectory``:
it answers which campaign is primary and the URL prefix of any row's campaign, so a list
of storylines builds its links without a query per row.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import path, register_converter
from django.urls.converters import StringConverter

from campaign.content_version import versioned
from campaign.preview import mark_preview_response, preview_for


class CampaignDirectory:
    """Every campaign, taken at the first question and kept for the rest of the request.

    The rows come from the shared cache while no content changed; whether a campaign is
    public is decided from its publication window at each question, so a campaign that
    reaches its publication time (or its "offline vanaf") shows without a write."""

    def __init__(self):
        self._campaigns = None
        # The campaign whose URL space (/<slug>/) the request is in; None for the primary's.
        self.entered = None

    @property
    def campaigns(self) -> list:
        if self._campaigns is None:
            from campaign.models import Campaign

            self._campaigns = versioned("campaigns", lambda: list(Campaign.objects.all()))
        return self._campaigns

    def primary(self):
        """The campaign served at ``/``: marked primary and public; None otherwise."""
        return next((c for c in self.campaigns if c.is_primary and c.is_public), None)

    def by_slug(self, slug: str):
        return next((c for c in self.campaigns if c.slug == slug), None)

    def prefix(self, campaign_id) -> str:
        campaign = next((c for c in self.campaigns if c.pk == campaign_id), None)
        return campaign.url_prefix if campaign is not None else ""


_directory: ContextVar[CampaignDirectory | None] = ContextVar("campaign_directory", default=None)


def current_directory() -> CampaignDirectory:
    """The request's directory; outside a request a fresh one, so nothing goes stale."""
    return _directory.get() or CampaignDirectory()


class CampaignDirectoryMiddleware:
    """Gives each request its own directory of campaigns (read lazily, at most once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _directory.set(CampaignDirectory())
        try:
            return self.get_response(request)
        finally:
            _directory.reset(token)


def entered_prefix() -> str:
    """The URL prefix of the campaign space the request is in ("" for the primary's)."""
    entered = current_directory().entered
    return entered.url_prefix if entered is not None else ""


def url_prefix_of(row, field: str = "campaign") -> str:
    """The URL prefix of the campaign ``row`` belongs to (through its ``field`` foreign key):
    empty for the primary campaign or none. Uses the related row if loaded, else the directory."""
    descriptor = getattr(type(row), field)
    if descriptor.is_cached(row):
        campaign = getattr(row, field)
        return campaign.url_prefix if campaign is not None else ""
    campaign_id = getattr(row, f"{field}_id")
    return current_directory().prefix(campaign_id) if campaign_id is not None else ""


class CampaignSlugConverter(StringConverter):
    """The first segment of a campaign's URL space; never one of the site's own segments,
    so those patterns keep resolving as they did without a database query."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value):
        from campaign.models import RESERVED_SLUGS

        if value in RESERVED_SLUGS or value == admin_segment():
            raise ValueError(value)
        return value


# Registered with the class: every urls module that uses campaign_paths imports this one.
register_converter(CampaignSlugConverter, "campaign")


def admin_segment() -> str:
    return settings.ADMIN_URL_PATH.strip("/").split("/", 1)[0]


def campaign_for_prefix(request, slug: str):
    """The campaign whose URL space ``/<slug>/`` is, and its preview when it is not public
    yet but this request may see it: ``(campaign, preview)``, or ``(None, None)``. The
    primary campaign has no prefix."""
    campaign = current_directory().by_slug(slug)
    if campaign is None or campaign.is_primary:
        return None, None
    if campaign.is_public:
        return campaign, None
    preview = preview_for(request, campaign)
    return (campaign, preview) if preview is not None else (None, None)


def enter_campaign(request, slug: str) -> bool:
    """Put the request in the campaign of ``/<slug>/``; False when there is none to see."""
    campaign, preview = campaign_for_prefix(request, slug)
    if campaign is None:
        return False
    request._active_campaign = campaign
    request.campaign_preview = preview
    current_directory().entered = campaign
    return True


def finish_campaign_response(request, response):
    """A page of a campaign in preview is never cached nor, through a shared link, indexed."""
    preview = getattr(request, "campaign_preview", None)
    if preview is not None:
        mark_preview_response(response, shared=preview.is_shared_link)
    return response


def in_campaign(view):
    """The view, served in the URL space of the campaign named by ``campaign_slug``."""

    @wraps(view)
    def wrapped(request, *args, campaign_slug, **kwargs):
        if not enter_campaign(request, campaign_slug):
            raise Http404
        return finish_campaign_response(request, view(request, *args, **kwargs))

    return wrapped


def campaign_paths(route: str, view, *, name: str, kwargs=None) -> list:
    """The pattern of a campaign's page at ``route`` (primary campaign) and its twin under
    ``<campaign-slug>/`` (any other campaign), under the same name."""
    return [
        path(route, view, kwargs, name=name),
        path(f"<campaign:campaign_slug>/{route}", in_campaign(view), kwargs, name=name),
    ]


@dataclass
class CampaignPart:
    """What a school or company does in one campaign other than the page's."""

    campaign: object
    storylines: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    # Set by cut_sessions: the sessions left off, and where they all are (the agenda).
    more_sessions: bool = False

    @property
    def agenda_url(self) -> str:
        from campaign.models import campaign_reverse  # models imports this module

        return campaign_reverse("events:session-list", self.campaign.url_prefix)


# A school's or company's page shows this many sessions per campaign, and this many
# companies or schools it works with, with a link to the rest: a bounded page.
DETAIL_SESSIONS = 6
DETAIL_LINKS = 12


def cut_sessions(parts: list, limit: int = DETAIL_SESSIONS) -> list:
    """Each campaign's part shows at most ``limit`` sessions (a bounded page), with a link
    to that campaign's agenda when there are more."""
    for part in parts:
        part.more_sessions = len(part.sessions) > limit
        part.sessions = part.sessions[:limit]
    return parts


def split_by_campaign(campaign, *, storylines: list, sessions: list, session_campaign_id):
    """A shared page (a school's, a company's) shows its own campaign's storylines and
    sessions as before, and what it does in each other public campaign apart:
    ``(storylines, sessions, parts)``. ``session_campaign_id`` gives a session's campaign
    (sessions live in an app above this one). Without a campaign nothing is split."""
    if campaign is None:
        return storylines, sessions, []
    parts = {
        other.pk: CampaignPart(other)
        for other in current_directory().campaigns
        if other.pk != campaign.pk and other.is_public
    }
    own_storylines, own_sessions = [], []
    for storyline in storylines:
        if storyline.campaign_id == campaign.pk:
            own_storylines.append(storyline)
        elif storyline.campaign_id in parts:
            parts[storyline.campaign_id].storylines.append(storyline)
    for session in sessions:
        campaign_id = session_campaign_id(session)
        if campaign_id in (campaign.pk, None):
            own_sessions.append(session)
        elif campaign_id in parts:
            parts[campaign_id].sessions.append(session)
    return own_storylines, own_sessions, [p for p in parts.values() if p.storylines or p.sessions]
