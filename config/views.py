"""Pages that gather from every app: home, the audience pages, search, robots, errors."""

from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from campaign.content_version import current_version, kept_for_everyone, may_use_fragments
from campaign.context_processors import get_active_campaign, preview_campaign, site_name
from campaign.lazy import lazy_list, lazy_values
from campaign.models import Audience, AudienceMessage, Page, Storyline, Video, campaign_reverse
from campaign.preview import (
    mark_preview_response,
    may_ask_for_preview,
    preview_child,
    preview_for,
)
from campaign.publishing import rotate_for_day
from campaign.seo import absolute_url, json_ld
from companies.models import Company, Offer
from config import search as site_search
from config.weeks import Week, week_contents
from events.models import ROUND_PARAM, MasterclassRound, Session
from schools.models import NewsItem, School

HOME_NEWS = 6
HOME_SESSIONS = 4
HOME_VIDEOS = 6
SEARCH_SUGGESTIONS = [
    _("robots"),
    _("bouwen"),
    _("zorg"),
    _("duurzaam"),
    _("open dag"),
    _("masterclass"),
]

# What each kind of offer means, for companies that consider taking part.
OFFER_EXPLANATIONS = {
    Offer.Kind.COMPANY_VISIT: _(
        "Een klas komt kijken: rondleiding, vakmensen aan het werk, zelf iets proberen."
    ),
    Offer.Kind.GUEST_LESSON: _(
        "Iemand van uw bedrijf vertelt op school over het vak, met iets om vast te pakken."
    ),
    Offer.Kind.TASTER_DAY: _(
        "Een vmbo-leerling loopt een dag mee om te ontdekken of het vak past."
    ),
    Offer.Kind.WORK_PLACEMENT: _("Een leerling leert het vak een paar weken in de praktijk."),
    Offer.Kind.MASTERCLASS: _(
        "Doe mee aan de reizende masterclasses voor groep 7 en 8 op de vmbo-scholen."
    ),
    Offer.Kind.APPRENTICESHIP: _(
        "Leren en werken tegelijk: een leerbaan in de beroepsbegeleidende leerweg."
    ),
}


def upcoming_sessions(request, limit: int):
    """The next sessions of the request's campaign."""
    sessions = Session.objects.listed(get_active_campaign(request))
    return list(sessions.upcoming().for_listing().with_seats()[:limit])


def audience_page(request, slug: str):
    """The free Page that introduces an audience page, if one is published (or one not yet
    public that this request may preview), and that preview."""
    pages = Page.objects.of_campaign(get_active_campaign(request))
    page = pages.published().filter(slug=slug).first()
    if page is None and may_ask_for_preview(request, Page):
        draft = pages.filter(slug=slug).first()
        if draft is not None and (preview := preview_for(request, draft)) is not None:
            return draft, preview
    return page, None


def render_audience_page(request, template: str, context: dict):
    response = render(request, template, context)
    if context["preview"] is not None:
        mark_preview_response(response, shared=context["preview"].is_shared_link)
    return response


@require_safe
def home(request):
    # Before anything reads the active campaign: a preview replaces it for this request.
    preview = preview_campaign(request) or getattr(request, "campaign_preview", None)
    campaign = get_active_campaign(request)
    site = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_name(campaign),
        "url": absolute_url(campaign_reverse("home", campaign.url_prefix if campaign else "")),
        "inLanguage": "nl-NL",
        "potentialAction": {
            "@type": "SearchAction",
            "target": settings.SITE_URL + "/zoeken/?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }
    response = render(
        request,
        "config/home.html",
        {
            "preview": preview,
            # Read only when the page's body is rendered, not when it comes from the
            # fragment cache (config.fragments).
            "storylines": lazy_list(lambda: Storyline.objects.listed(campaign)),
            "videos": lazy_list(
                lambda: Video.objects.listed(campaign).select_related("storyline")[:HOME_VIDEOS]
            ),
            "sessions": lazy_list(lambda: upcoming_sessions(request, HOME_SESSIONS)),
            "news_items": lazy_list(lambda: NewsItem.objects.public().taking_turns(HOME_NEWS)),
            "structured_data": json_ld(site),
        },
    )
    if preview is not None:
        mark_preview_response(response, shared=preview.is_shared_link)
    return response


def _audience_context(request, audience: str, slug: str, read_more, keys) -> dict:
    """The context of an audience page: the free Page that introduces it, the audience's
    messages and what ``read_more()`` gives (a dict with ``keys``), read on first use, so
    that a body from the fragment cache (config.fragments) costs no query. Only a
    coordinator or a preview link can see a Page that is not public: then it is read at
    once, for the preview banner above the body."""
    preview = None
    if may_ask_for_preview(request, Page):
        intro_page, preview = audience_page(request, slug)
        read_page = lambda: intro_page  # noqa: E731 - read already
    else:
        read_page = lambda: audience_page(request, slug)[0]  # noqa: E731

    def read() -> dict:
        storylines = Storyline.objects.listed(get_active_campaign(request))
        return {
            "intro_page": read_page(),
            "audience_messages": list(AudienceMessage.objects.for_audience(audience, storylines)),
            **read_more(),
        }

    return {"preview": preview, **lazy_values(read, ["intro_page", "audience_messages", *keys])}


# How many schools or companies an audience page shows, in the day's turn, before the link
# to all of them: the page stays the same size however many join.
AUDIENCE_CARDS = 12


@require_safe
def audience_parents(request):
    """For parents: what each storyline leads to, the schools side by side, open days, masterclasses."""

    def read() -> dict:
        published = list(School.objects.published().for_card().order_by("name", "pk"))
        # The first open days of all published schools, from their cards' prefetch (no
        # query): each school's upcoming open days are loaded with it anyway.
        open_days = sorted(
            (day for school in published for day in school.next_open_days),
            key=lambda day: (day.starts_at, day.pk),
        )[:8]
        by_pk = {school.pk: school for school in published}
        for day in open_days:
            day.school = by_pk[day.school_id]
        return {
            "schools": rotate_for_day(published, timezone.localdate())[:AUDIENCE_CARDS],
            "open_days": open_days,
            "sessions": upcoming_sessions(request, 4),
        }

    context = _audience_context(
        request, Audience.PARENT, "voor-ouders", read, ["schools", "open_days", "sessions"]
    )
    return render_audience_page(request, "config/audience_parents.html", context)


@require_safe
def audience_schools(request):
    """For schools: the masterclass rounds (the travelling circus) and how to send in news."""
    # No query for a visitor who may not preview (may_ask_for_preview).
    round_preview = preview_child(request, MasterclassRound.objects.all(), ROUND_PARAM)

    def read() -> dict:
        rounds = list(
            MasterclassRound.objects.published()
            .of_campaign(get_active_campaign(request))
            .filter(ends_on__gte=timezone.localdate())
            .order_by("starts_on")
            .prefetch_related(
                Prefetch(
                    "sessions",
                    queryset=Session.objects.public().select_related("host_school", "storyline"),
                    to_attr="public_sessions",
                )
            )
        )
        if round_preview is not None:
            # The round as it will be listed once public: with its sessions public then.
            draft = round_preview.obj
            draft.public_sessions = list(
                draft.sessions.public(previewing="round").select_related("host_school", "storyline")
            )
            rounds = sorted([*rounds, draft], key=lambda r: (r.starts_on, r.pk))
        return {"rounds": rounds, "news_items": list(NewsItem.objects.public()[:3])}

    context = _audience_context(
        request, Audience.SCHOOL, "voor-scholen", read, ["rounds", "news_items"]
    )
    context["preview"] = context["preview"] or round_preview
    return render_audience_page(request, "config/audience_schools.html", context)


@require_safe
def audience_companies(request):
    """For companies: how to take part, and the companies already linked to a storyline."""

    def read() -> dict:
        companies = list(Company.objects.published().for_card().order_by("name", "pk"))
        return {"companies": rotate_for_day(companies, timezone.localdate())[:AUDIENCE_CARDS]}

    context = _audience_context(request, Audience.COMPANY, "voor-bedrijven", read, ["companies"])
    context["offer_kinds"] = [
        {"label": label, "text": OFFER_EXPLANATIONS.get(value, "")}
        for value, label in Offer.Kind.choices
    ]
    return render_audience_page(request, "config/audience_companies.html", context)


# A week's page shows this many news items, sessions and films, and this many posts, with a
# link to the rest: a busy week keeps a bounded page.
WEEK_CARDS = 6
WEEK_POSTS = 12


@require_safe
def this_week(request, year: str | None = None, week: str | None = None):
    """What the campaign did and plans in a week: the web version of the weekly LinkedIn post.

    Without a week: the current one. A week that does not exist or is still to come is a 404:
    its content is not settled yet, and its address would change meaning."""
    current = Week.current()
    shown = current if year is None else Week.parse(int(year), int(week))
    if shown is None or current < shown:
        raise Http404
    campaign = get_active_campaign(request)

    def read() -> dict:
        content = week_contents(shown, shown, campaign)[0]
        is_empty = not content
        left_off = content.cut(cards=WEEK_CARDS, posts=WEEK_POSTS)
        return {"content": content, "is_empty": is_empty, "left_off": left_off}

    return render(
        request,
        "config/this_week.html",
        {
            # Read only when the body is rendered, not when it comes from the fragment
            # cache (config.fragments).
            **lazy_values(read, ["content", "is_empty", "left_off"]),
            "week": shown,
            "is_current": shown == current,
            "current_week": current,
            "previous_week": shown.previous(),
            "next_week": shown + 1 if shown < current else None,
        },
    )


# How many different searches are kept for the public at once (per content version, for as
# long as a kept search lives): made-up queries cannot fill the shared cache.
KEPT_SEARCHES = 100


def _may_keep_another_search() -> bool:
    """Counts the searches kept under this content version; the counter lives as long as
    what it counts (FRAGMENT_CACHE_SECONDS at most), then a new round of them may be kept."""
    key = f"search:kept:{current_version()}"
    try:
        cache.add(key, 0, settings.FRAGMENT_CACHE_SECONDS)
        return cache.incr(key) <= KEPT_SEARCHES
    except Exception:  # the cache is away, or the counter just ended: keep nothing
        return False


def search_groups(request, query: str) -> list[site_search.Group]:
    """The result groups for ``query``, the same for every way of writing it (case and
    spaces do not matter to the search): for the public kept for everyone per content
    version and until the next change by the clock, as the fragments are, for at most
    ``KEPT_SEARCHES`` different searches at once."""
    key = site_search.clean_query(query.casefold())
    if not key:
        return []
    if not may_use_fragments(request):
        return site_search.search(key)
    found = []

    def read():
        # Without their querysets: the results only, to keep.
        found.append([replace(group, queryset=None) for group in site_search.search(key)])
        return found[0] if _may_keep_another_search() else None

    kept = kept_for_everyone("search", read, key_parts=[key])
    return kept if kept is not None else found[0]


@require_safe
def search(request):
    # The query is the page's own: the header, the footer and the kept results serve any.
    may_use_fragments(request, ignoring=("q",))
    query = site_search.clean_query(request.GET.get("q", ""))
    groups = search_groups(request, query)
    return render(
        request,
        "config/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(len(group.results) for group in groups),
            "suggestions": SEARCH_SUGGESTIONS,
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: /{settings.ADMIN_URL_PATH}",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    html = loader.render_to_string("404.html", {}, request)
    return HttpResponseNotFound(html)


def server_error(request):
    # No request context: the context processors may need the database that just failed.
    html = loader.get_template("500.html").render(
        {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}
    )
    return HttpResponseServerError(html)


# How many schools the comparison puts side by side at once: more columns fit no screen.
COMPARE_MAX = 4


class SchoolCompareView(ListView):
    """Lives here, not in schools: it shows sessions and companies, apps above schools.

    The schools side by side for parents, criterion by criterion, at most ``COMPARE_MAX`` at
    once: ``?school=<slug>`` (repeated) chooses them; without a choice the first ones of the
    day's order are shown."""

    template_name = "schools/school_compare.html"
    context_object_name = "schools"

    def get_queryset(self):
        sessions = Session.objects.public().upcoming().select_related("round")
        schools = (
            School.objects.published()
            .for_card()
            .prefetch_related(
                Prefetch("hosted_sessions", queryset=sessions, to_attr="upcoming_sessions"),
                Prefetch(
                    "companies",
                    queryset=Company.objects.published().order_by("name"),
                    to_attr="public_companies",
                ),
            )
        )
        # Every school takes its turn in the first column, as in the school list.
        self.all_schools = rotate_for_day(
            list(schools.order_by("name", "pk")), timezone.localdate()
        )
        chosen = set(self.request.GET.getlist("school"))
        selection = [school for school in self.all_schools if school.slug in chosen]
        self.is_selection = bool(selection)
        self.too_many = len(selection) > COMPARE_MAX
        return (selection or self.all_schools)[:COMPARE_MAX]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = {school.slug for school in context["schools"]}
        context["choices"] = [
            (school, self.is_selection and school.slug in shown) for school in self.all_schools
        ]
        context["is_selection"] = self.is_selection
        context["too_many"] = self.too_many
        context["compare_max"] = COMPARE_MAX
        context["more_schools"] = len(self.all_schools) > COMPARE_MAX
        return context
