"""Site-wide template context: the active campaign and the region, one query each per request."""

from django.conf import settings

from campaign.models import CAMPAIGN_PARAM, Campaign
from campaign.preview import Preview, preview_child
from campaign.region import get_region
from campaign.sites import current_directory
from campaign.theme import theme_css_url

_UNSET = object()


def get_active_campaign(request=None):
    """The campaign of this request (or None): the one whose URL space the page is in,
    else the primary campaign; looked up once per request and kept on it."""
    cached = getattr(request, "_active_campaign", _UNSET) if request is not None else _UNSET
    if cached is not _UNSET:
        return cached
    campaign = current_directory().primary()
    if request is not None:
        request._active_campaign = campaign
    return campaign


def preview_campaign(request) -> Preview | None:
    """A campaign the public does not see, asked for with ``?campagne=<pk>`` by a coordinator
    or by its shared link: from here on ``get_active_campaign`` gives it, for this request
    only. Only the home page and its stylesheet call this; other pages stay public."""
    preview = preview_child(request, Campaign.objects.all(), CAMPAIGN_PARAM)
    if preview is not None:
        request._active_campaign = preview.obj
    return preview


def coordinator_email(request=None) -> str:
    """Where a visitor writes to the coordinators: the region's first contact with an
    address, else the first coordinator of the settings, or nothing to show."""
    if email := get_region(request).contact_email:
        return email
    return settings.COORDINATOR_EMAILS[0] if settings.COORDINATOR_EMAILS else ""


def site_name(campaign=None) -> str:
    """What the site calls itself: the campaign's name, or the neutral one from settings."""
    return campaign.name if campaign is not None else settings.SITE_NAME


def current_site_name() -> str:
    """The site's name where no request campaign is at hand (shared pages, feeds)."""
    return site_name(current_directory().primary())


class _LazySiteName:
    def __init__(self, request):
        self.request = request

    def __str__(self):
        return site_name(get_active_campaign(self.request))


class _LazyRegion:
    """The region, looked up when a template first uses it (see ``_LazyCampaign``)."""

    def __init__(self, request):
        self.request = request

    def __call__(self):
        return get_region(self.request)


class _LazyCoordinatorEmail(_LazyRegion):
    def __call__(self):
        return coordinator_email(self.request)


class _LazyCampaign:
    """Looks the campaign up only when a template uses it; a page without it costs nothing."""

    def __init__(self, request):
        self.request = request

    def __call__(self):
        return get_active_campaign(self.request)


class _LazyThemeUrl:
    """The fingerprinted stylesheet of the campaign the page shows (a previewed one too)."""

    def __init__(self, request):
        self.request = request

    def __call__(self):
        return theme_css_url(get_active_campaign(self.request) or Campaign())


def site(request):
    return {
        # Templates call a callable once per lookup; the request keeps the result.
        "campaign": _LazyCampaign(request),
        "theme_css_url": _LazyThemeUrl(request),
        # Preview views (campaign.preview) replace it; every other page is public.
        "preview": None,
        "site_url": settings.SITE_URL,
        "site_name": _LazySiteName(request),
        "region": _LazyRegion(request),
        "coordinator_email": _LazyCoordinatorEmail(request),
    }
