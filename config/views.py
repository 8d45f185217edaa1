"""Pages that gather from every app: home, the audience pages, search, robots, errors."""

from django.conf import settings
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from campaign.context_processors import get_active_campaign
from campaign.models import Audience, Page, Video
from campaign.views import messages_for_audience, published_storylines
from companies.models import Company, Offer
from companies.views import company_card_prefetches
from config import search as site_search
from events.models import MasterclassRound, Session
from schools.models import OpenDay, School
from schools.views import (
    json_ld,
    public_news,
    published_through,
    rotate_for_day,
    school_card_prefetches,
)

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


def fair_news(limit: int):
    """Latest news, schools taking turns: every school's newest item, then every second-newest...

    One school that posts a lot cannot fill the home page. Regional news (no school)
    takes its turn like a school. One query: a window function numbers each school's items.
    """
    news = public_news().annotate(
        turn=Window(
            RowNumber(),
            partition_by=[F("school_id")],
            order_by=[F("published_at").desc(), F("pk").desc()],
        )
    )
    return list(news.filter(turn__lte=limit).order_by("turn", "-published_at", "-pk")[:limit])


def upcoming_sessions(limit: int):
    return list(Session.objects.public().upcoming().for_listing().with_seats()[:limit])


def audience_page(slug: str):
    """The free Page that introduces an audience page, if one is published."""
    return Page.objects.published().filter(slug=slug).first()


@require_safe
def home(request):
    campaign = get_active_campaign(request)
    storylines = list(published_storylines(request))
    videos = Video.objects.published().select_related("storyline")
    if campaign is not None:
        videos = videos.filter(campaign=campaign)
    # A film of a storyline still in draft must not lead to that storyline.
    videos = list(
        videos.filter(Q(storyline__isnull=True) | published_through("storyline"))[:HOME_VIDEOS]
    )
    site = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": campaign.name if campaign else "Techniek doet het",
        "url": settings.SITE_URL + "/",
        "inLanguage": "nl-NL",
        "potentialAction": {
            "@type": "SearchAction",
            "target": settings.SITE_URL + "/zoeken/?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }
    return render(
        request,
        "config/home.html",
        {
            "storylines": storylines,
            "videos": videos,
            "sessions": upcoming_sessions(HOME_SESSIONS),
            "news_items": fair_news(HOME_NEWS),
            "structured_data": json_ld(site),
        },
    )


def _audience_context(request, audience: str, slug: str) -> dict:
    storylines = published_storylines(request)
    return {
        "intro_page": audience_page(slug),
        "audience_messages": list(messages_for_audience(storylines, audience)),
    }


@require_safe
def audience_parents(request):
    """For parents: what each storyline leads to, the schools side by side, open days, masterclasses."""
    schools = rotate_for_day(
        list(
            School.objects.published()
            .prefetch_related(*school_card_prefetches())
            .order_by("name", "pk")
        ),
        timezone.localdate(),
    )
    open_days = list(
        OpenDay.objects.filter(published_through("school"), ends_at__gte=timezone.now())
        .select_related("school")
        .order_by("starts_at")[:8]
    )
    context = _audience_context(request, Audience.PARENT, "voor-ouders")
    context.update({"schools": schools, "open_days": open_days, "sessions": upcoming_sessions(4)})
    return render(request, "config/audience_parents.html", context)


@require_safe
def audience_schools(request):
    """For schools: the masterclass rounds (the travelling circus) and how to send in news."""
    today = timezone.localdate()
    rounds = list(
        MasterclassRound.objects.published()
        .filter(ends_on__gte=today)
        .order_by("starts_on")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.public().select_related("host_school", "storyline"),
                to_attr="public_sessions",
            )
        )
    )
    context = _audience_context(request, Audience.SCHOOL, "voor-scholen")
    context.update(
        {
            "rounds": rounds,
            "news_items": list(public_news()[:3]),
            "coordinator_email": settings.COORDINATOR_EMAILS[0]
            if settings.COORDINATOR_EMAILS
            else "",
        }
    )
    return render(request, "config/audience_schools.html", context)


@require_safe
def audience_companies(request):
    """For companies: how to take part, and the companies already linked to a storyline."""
    companies = list(
        Company.objects.published()
        .prefetch_related(*company_card_prefetches())
        .order_by("name", "pk")
    )
    context = _audience_context(request, Audience.COMPANY, "voor-bedrijven")
    context.update(
        {
            "companies": rotate_for_day(companies, timezone.localdate()),
            "offer_kinds": [
                {"label": label, "text": OFFER_EXPLANATIONS.get(value, "")}
                for value, label in Offer.Kind.choices
            ],
            "coordinator_email": settings.COORDINATOR_EMAILS[0]
            if settings.COORDINATOR_EMAILS
            else "",
        }
    )
    return render(request, "config/audience_companies.html", context)


@require_safe
def search(request):
    query = site_search.clean_query(request.GET.get("q", ""))
    groups = site_search.search(query) if query else []
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
    html = loader.get_template("500.html").render({"site_url": settings.SITE_URL})
    return HttpResponseServerError(html)
