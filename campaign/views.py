from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from campaign.colors import color_properties
from campaign.context_processors import get_active_campaign
from campaign.models import Audience, AudienceMessage, Campaign, Page, Storyline
from campaign.publishing import PublicationStatus

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


def public_through(relation: str) -> Q:
    """``published()`` applied across a relation (campaign cannot import the other apps)."""
    return Q(
        **{
            f"{relation}__status": PublicationStatus.PUBLISHED,
            f"{relation}__published_at__lte": timezone.now(),
        }
    )


def published_storylines(request):
    """Published storylines of the active campaign (all campaigns if none is active)."""
    storylines = Storyline.objects.published()
    campaign = get_active_campaign(request)
    if campaign is not None:
        storylines = storylines.filter(campaign=campaign)
    return storylines


class StorylineListView(ListView):
    template_name = "campaign/storyline_list.html"
    context_object_name = "storylines"

    def get_queryset(self):
        return published_storylines(self.request)


class StorylineDetailView(DetailView):
    template_name = "campaign/storyline_detail.html"
    context_object_name = "storyline"

    def get_queryset(self):
        return Storyline.objects.published().select_related("campaign")

    def get_object(self, queryset=None):
        storyline = super().get_object(queryset)
        # Reached through reverse relations: campaign imports none of the other apps.
        self.messages = list(storyline.messages.all())
        return storyline

    @staticmethod
    def public_storylines(to_attr):
        """The card partials show a school's or company's storylines from this attribute."""
        return Prefetch("storylines", queryset=Storyline.objects.published(), to_attr=to_attr)

    @staticmethod
    def next_open_days():
        # OpenDay lives in schools: reached through the reverse relation, not imported.
        school_model = Storyline._meta.get_field("schools").related_model
        open_day_model = school_model._meta.get_field("open_days").related_model
        return Prefetch(
            "open_days",
            queryset=open_day_model.objects.filter(ends_at__gte=timezone.now()).order_by(
                "starts_at"
            ),
            to_attr="next_open_days",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        storyline = self.object
        by_audience = {message.audience: message for message in self.messages}
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
        sessions = list(
            storyline.sessions.published()
            .filter(public_through("round"), public_through("host_school"))
            .upcoming()
            .for_listing()[:6]
        )
        # A call to the masterclasses is only made when one can be signed up for now.
        agenda = reverse("events:session-list")
        for tab in tabs:
            url = tab["message"].cta_url if tab["message"] else agenda
            tab["promises_signup"] = url.startswith(agenda)
        if any(session.is_open_for_registration() for session in sessions):
            signup = "open"
        else:
            signup = "soon" if sessions else "none"
        context.update(
            {
                "signup": signup,
                "tabs": tabs,
                "selected_audience": selected,
                "videos": list(storyline.videos.published()),
                "schools": list(
                    storyline.schools.published()
                    .prefetch_related(
                        self.public_storylines("public_storylines"), self.next_open_days()
                    )
                    .order_by("name")
                ),
                "companies": list(
                    storyline.companies.published()
                    .prefetch_related(self.public_storylines("public_storylines"))
                    .order_by("name")
                ),
                "sessions": sessions,
            }
        )
        return context


class PageDetailView(DetailView):
    template_name = "campaign/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published()


@require_safe
def theme_css(request):
    """The campaign's and storylines' colours as CSS custom properties.

    The CSP forbids inline styles, so colours chosen in the admin reach the page
    through this same-origin stylesheet, each with a text colour that keeps AA contrast.
    """
    campaign = get_active_campaign(request) or Campaign()
    rules = [
        f":root {{ {color_properties('brand', campaign.primary_color)} "
        f"{color_properties('brand-2', campaign.secondary_color)} }}"
    ]
    for slug, color in Storyline.objects.published().values_list("slug", "color"):
        rules.append(f".accent-{slug} {{ {color_properties('accent', color)} }}")
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=THEME_MAX_AGE)
    return response


def messages_for_audience(storylines, audience):
    """The message of each storyline for one audience, with its storyline, in storyline order."""
    return (
        AudienceMessage.objects.filter(audience=audience, storyline__in=storylines)
        .select_related("storyline")
        .order_by("storyline__order", "storyline__title")
    )


class StorylineFilterMixin:
    """For lists that can be narrowed to one storyline with ``?verhaallijn=<slug>``."""

    def get_storylines(self):
        if not hasattr(self, "_storylines"):
            self._storylines = list(Storyline.objects.published())
        return self._storylines

    def get_current_storyline(self):
        slug = self.request.GET.get("verhaallijn", "")
        return next((s for s in self.get_storylines() if s.slug == slug), None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            storylines=self.get_storylines(),
            current_storyline=self.get_current_storyline(),
            **kwargs,
        )
