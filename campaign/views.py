from django.db.models import Q
from django.http import HttpResponse
from django.urls import resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from campaign.context_processors import get_active_campaign, preview_campaign
from campaign.kept import KeptObjectMixin, kept_rows
from campaign.lazy import lazy_list, lazy_values
from campaign.models import FILM_PARAM, Audience, Campaign, Page, Storyline
from campaign.preview import (
    PREVIEW_PARAM,
    PreviewMixin,
    mark_preview_response,
    may_preview,
    pk_from_preview_token,
)
from campaign.publishing import published_through
from campaign.sites import enter_campaign, finish_campaign_response
from campaign.theme import build_theme_css, public_theme

# The ?voor= parameter of a storyline page, in Dutch, and the tab labels.
AUDIENCE_PARAMS = {
    "leerlingen": Audience.PUPIL,
    "ouders": Audience.PARENT,
    "scholen": Audience.SCHOOL,
    "bedrijven": Audience.COMPANY,
}
PARAM_FOR_AUDIENCE = {audience: param for param, audience in AUDIENCE_PARAMS.items()}
AUDIENCE_TAB_LABELS = {
    Audience.PUPIL: _("Voor jou"),
    Audience.PARENT: _("Voor ouders"),
    Audience.SCHOOL: _("Voor scholen"),
    Audience.COMPANY: _("Voor bedrijven"),
}
THEME_MAX_AGE = 300
THEME_IMMUTABLE_AGE = 365 * 24 * 60 * 60


class StorylineListView(ListView):
    template_name = "campaign/storyline_list.html"
    context_object_name = "storylines"

    def get_queryset(self):
        return listed_storylines(self.request)


def listed_storylines(request) -> list:
    """The active campaign's listed storylines (kept for the public: ``kept_rows``)."""
    campaign = get_active_campaign(request)
    return kept_rows(request, "storylines", lambda: Storyline.objects.listed(campaign))


# How many schools and companies a storyline page shows before "all of them".
LINKED_CARDS = 8


LINKED_KEYS = (
    "signup",
    "schools",
    "more_schools",
    "companies",
    "more_companies_url",
    "sessions",
)


class StorylineDetailView(KeptObjectMixin, PreviewMixin, DetailView):
    kept_name = "storyline"
    template_name = "campaign/storyline_detail.html"
    context_object_name = "storyline"

    def get_base_queryset(self):
        # Each storyline at one address: in its own campaign's URL space.
        return Storyline.objects.of_campaign(get_active_campaign(self.request)).select_related(
            "campaign"
        )

    def read_object(self, storyline):
        storyline.kept_messages = list(storyline.messages.all())
        return storyline

    def get_videos(self) -> list:
        """The storyline's public films, plus one that is not public yet when it is being
        previewed here (``?film=<pk>``)."""
        storyline = self.object
        videos = list(storyline.videos.published())
        film = self.get_preview_child(storyline.videos.all(), FILM_PARAM)
        if film is not None:
            videos.append(film)
            videos.sort(key=lambda video: (video.order, -video.published_at.timestamp()))
        return videos

    def get_context_data(self, **kwargs):
        if FILM_PARAM in self.request.GET:
            videos = self.get_videos()  # before the context: it may start a preview
        else:
            videos = lazy_list(self.get_videos)
        context = super().get_context_data(**kwargs)
        by_audience = {message.audience: message for message in self.object.kept_messages}
        requested = AUDIENCE_PARAMS.get(self.request.GET.get("voor", ""), Audience.PUPIL)
        tabs = []
        for audience in Audience.values:
            message = by_audience.get(audience)
            if message is None and audience != Audience.PUPIL:
                continue
            tabs.append(
                {
                    "audience": audience,
                    "param": PARAM_FOR_AUDIENCE[audience],
                    "label": AUDIENCE_TAB_LABELS[audience],
                    "message": message,
                }
            )
        selected = requested if any(t["audience"] == requested for t in tabs) else Audience.PUPIL
        # A call to the masterclasses is only made when one can be signed up for now.
        agenda = reverse("events:session-list")
        for tab in tabs:
            url = tab["message"].cta_url if tab["message"] else agenda
            tab["promises_signup"] = url.startswith(agenda)
        context.update({"tabs": tabs, "selected_audience": selected, "videos": videos})
        # The rest is read only when the page's body is rendered, not when it comes from
        # the fragment cache (config.fragments).
        context.update(lazy_values(self.get_linked, LINKED_KEYS))
        return context

    def get_linked(self) -> dict:
        storyline = self.object
        # In a preview, the sessions show as they will once the storyline is public.
        previewing = "storyline" if self.preview else ""
        sessions = list(
            storyline.sessions.public(previewing=previewing).upcoming().for_listing()[:6]
        )
        # Reached through reverse managers: campaign imports none of the other apps. The
        # cards leave out their storyline tags here (the page is about one storyline) and
        # the companies' offers (on the company's own page; one query less), and
        # the lists stop at LINKED_CARDS with a link to the rest: a fixed number of queries
        # and a bounded page, however many schools and companies join.
        schools = list(
            storyline.schools.published().with_next_open_days().order_by("name")[: LINKED_CARDS + 1]
        )
        companies = list(storyline.companies.published().order_by("name")[: LINKED_CARDS + 1])
        # What the cards would show from a prefetch, left out here on purpose (empty).
        for card in (*schools, *companies):
            card.public_storylines = []
            card.offer_list = []
        if any(session.is_open_for_registration() for session in sessions):
            signup = "open"
        else:
            signup = "soon" if sessions else "none"
        return {
            "signup": signup,
            "schools": schools[:LINKED_CARDS],
            "more_schools": len(schools) > LINKED_CARDS,
            "companies": companies[:LINKED_CARDS],
            "more_companies_url": (
                f"{reverse('companies:company-list')}?verhaallijn={storyline.slug}"
                if len(companies) > LINKED_CARDS
                else ""
            ),
            "sessions": sessions,
        }


class PageDetailView(PreviewMixin, DetailView):
    model = Page
    template_name = "campaign/page_detail.html"
    context_object_name = "page"

    def get_base_queryset(self):
        return Page.objects.of_campaign(get_active_campaign(self.request))


def landing_or_page(request, campaign_slug: str):
    """``/<slug>/``: the landing page of a campaign that is not the primary one (the site's
    home page, in that campaign), or else the free page with that slug."""
    if enter_campaign(request, campaign_slug):
        # The home page gathers from every app; this app reaches it through the URLconf.
        home = resolve(reverse("home")).func
        return finish_campaign_response(request, home(request))
    return PageDetailView.as_view()(request, slug=campaign_slug)


@require_safe
def theme_css(request, fingerprint: str = ""):
    """The campaign's and storylines' colours as CSS custom properties (campaign.theme).

    At its fingerprinted address (``campaign.theme.theme_css_url``) it may be kept for a
    year; an old fingerprint (a page cached before a colour changed) or the plain
    ``/thema.css`` gets the current colours for a few minutes only.
    """
    # The colours of a campaign previewed on the home page, which passes its query on.
    campaign_preview = preview_campaign(request)
    campaign = get_active_campaign(request)
    storylines, preview = _storylines_for_theme(request)
    if campaign is not None:
        # A campaign's own storylines; in its preview as they will be once it is public.
        storylines = (
            Storyline.objects.listed(campaign)
            if preview is None
            else storylines.filter(campaign=campaign)
        )
    campaign = campaign or Campaign()
    if preview is None and campaign_preview is not None:
        preview = "shared" if campaign_preview.is_shared_link else "coordinator"
    if preview is None and (space_preview := getattr(request, "campaign_preview", None)):
        # Under /<slug>/ of a campaign in preview (campaign.sites.in_campaign).
        preview = "shared" if space_preview.is_shared_link else "coordinator"
    if preview is not None:
        css = build_theme_css(campaign, storylines.values_list("slug", "color"))
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
        return mark_preview_response(response, shared=preview == "shared")
    current, css = public_theme(campaign)
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if fingerprint == current:
        patch_cache_control(response, public=True, max_age=THEME_IMMUTABLE_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=THEME_MAX_AGE)
    return response


def _storylines_for_theme(request):
    """Public storylines, plus the one a shared preview link opens, or all of them for a
    coordinator: a previewed draft storyline shows in its own colour."""
    token = request.GET.get(PREVIEW_PARAM, "")
    if token and (pk := pk_from_preview_token(Storyline, token)) is not None:
        return Storyline.objects.filter(published_through("") | Q(pk=pk)), "shared"
    if may_preview(request.user, Storyline):
        return Storyline.objects.all(), "coordinator"
    return Storyline.objects.published(), None


class StorylineFilterMixin:
    """For lists that can be narrowed to one storyline with ``?verhaallijn=<slug>``. With
    ``campaign.kept.KeptPagesMixin`` after it, the pages are kept per chosen storyline."""

    def get_storylines(self):
        if not hasattr(self, "_storylines"):
            self._storylines = listed_storylines(self.request)
        return self._storylines

    def kept_vary(self):
        storyline = self.get_current_storyline()
        return [storyline.pk if storyline else "-"]

    def get_current_storyline(self):
        slug = self.request.GET.get("verhaallijn", "")
        return next((s for s in self.get_storylines() if s.slug == slug), None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            storylines=self.get_storylines(),
            current_storyline=self.get_current_storyline(),
            **kwargs,
        )
