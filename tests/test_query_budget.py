"""The query budget: every public page type costs as many SQL queries with the demo content
as with ten times as much content (no N+1 anywhere), with a second campaign beside the
demo's (its pages under /zorg/ are measured too).

The extra content is linked to the very rows whose pages are measured (the storyline, the
school, the company, the session), so that each measured page really shows more rows the
second time; the test checks that too, or an unchanged count would prove nothing.
"""

import datetime as dt
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, SocialPost, Storyline, Video
from companies.models import Company, Offer
from events.models import MasterclassRound, Registration, Session
from schools.models import NewsItem, OpenDay, School
from tests.browser import demo
from tests.factories import (
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    OfferFactory,
    OpenDayFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    VideoFactory,
    add_care_campaign,
)

pytestmark = pytest.mark.django_db

STORYLINE, SCHOOL, COMPANY, NEWS = demo.STORYLINE, demo.SCHOOL, demo.COMPANY, demo.NEWS
SEARCH_WORD = demo.SEARCH_WORD
TIMES = 10
CARE, CARE_STORYLINE = "zorg", "zorg-thuis"  # made by add_care_campaign


def measured_session() -> Session:
    """The demo's masterclass at the measured school about the measured storyline."""
    return Session.objects.get(host_school__slug=SCHOOL, storyline__slug=STORYLINE)


def public_pages() -> dict[str, str]:
    """One address of every public page type (name -> path), with the demo content loaded."""
    session = measured_session()
    open_day = OpenDay.objects.filter(school__slug=SCHOOL).order_by("starts_at").first()
    return {
        "home": reverse("home"),
        "storyline list": reverse("campaign:storyline-list"),
        "storyline": reverse("campaign:storyline-detail", args=[STORYLINE]),
        "storyline, for parents": reverse("campaign:storyline-detail", args=[STORYLINE])
        + "?voor=ouders",
        "for parents": reverse("audience-parents"),
        "for schools": reverse("audience-schools"),
        "for companies": reverse("audience-companies"),
        "school list": reverse("schools:school-list"),
        "school list, one profile": reverse("schools:school-list") + "?profiel=technisch",
        "school comparison": reverse("school-compare"),
        "school comparison, chosen": reverse("school-compare") + f"?school={SCHOOL}",
        "school": reverse("schools:school-detail", args=[SCHOOL]),
        "open days": reverse("schools:open-days"),
        "open day .ics": reverse("schools:open-day-ics", args=[open_day.pk]),
        "news list": reverse("schools:news-list"),
        "news item": reverse("schools:news-detail", args=[NEWS]),
        "news RSS": reverse("schools:news-feed"),
        "news Atom": reverse("schools:news-atom"),
        "company list": reverse("companies:company-list"),
        "company list, one storyline": reverse("companies:company-list")
        + f"?verhaallijn={STORYLINE}",
        "company": reverse("companies:company-detail", args=[COMPANY]),
        "agenda": reverse("events:session-list"),
        "agenda, one storyline": reverse("events:session-list") + f"?verhaallijn={STORYLINE}",
        "session": session.get_absolute_url(),
        # Pupils' and partners' forms; the partners' lists every school and company.
        "session, pupils and partners": Session.objects.get(
            audience_type="both"
        ).get_absolute_url(),
        "session .ics": reverse("events:session-ics", args=[session.slug]),
        "agenda .ics": reverse("events:agenda-ics"),
        "search": reverse("search") + f"?q={SEARCH_WORD}",
        "sitemap.xml": reverse("sitemap"),
        "robots.txt": reverse("robots-txt"),
        "theme stylesheet": reverse("campaign:theme-css"),
        "free page": reverse("campaign:page-detail", args=["privacy"]),
        "this week": reverse("this-week"),
        "this week RSS": reverse("this-week-feed"),
        "404": "/bestaat-niet/",
        "care: landing": f"/{CARE}/",
        "care: storyline list": f"/{CARE}/verhaallijnen/",
        "care: storyline": f"/{CARE}/verhaallijnen/{CARE_STORYLINE}/",
        "care: agenda": f"/{CARE}/masterclasses/",
        "care: agenda .ics": f"/{CARE}/masterclasses/agenda.ics",
        "care: session": Session.objects.get(title="Zorgles").get_absolute_url(),
        "care: for schools": f"/{CARE}/voor-scholen/",
        "care: this week": f"/{CARE}/deze-week/",
        "care: theme stylesheet": f"/{CARE}/thema.css",
    }


def measure(client, pages: dict[str, str]) -> dict[str, tuple[int, list[str], bytes]]:
    """Per page: status, the SQL it ran, and the body, with the shared site data warm (the
    region, the campaigns and the theme's fingerprint, kept per content version: what
    every request but the first after a content write finds). The full-page cache is off.
    The cold request before it (empty cache) is kept in ``COLD``."""
    results = {}
    for name, path in pages.items():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        results[name] = (
            response.status_code,
            [query["sql"] for query in queries.captured_queries],
            response.content,
        )
        COLD[name] = len(cold.captured_queries)
    return results


# Queries per page with an empty cache (the first request after a content write).
COLD: dict[str, int] = {}
# What a cold cache adds at most: the region, the campaigns and the theme's fingerprint.
COLD_EXTRA = 3


def grow_tenfold():
    """Add nine times the demo content, linked to the rows whose pages are measured.

    Storylines, audience messages and free pages stay as they are (a campaign has a few
    of those by design); everything that grows in real life grows.
    """
    campaign = Campaign.objects.get(is_primary=True)
    care = Campaign.objects.get(slug=CARE)
    storyline = Storyline.objects.get(slug=STORYLINE)
    care_storyline = Storyline.objects.get(slug=CARE_STORYLINE)
    other_storylines = list(Storyline.objects.exclude(slug__in=[STORYLINE, CARE_STORYLINE]))
    school = School.objects.get(slug=SCHOOL)
    company = Company.objects.get(slug=COMPANY)
    session = measured_session()
    extra = TIMES - 1
    soon = timezone.now() + dt.timedelta(days=20)

    rounds = [MasterclassRound.objects.get(campaign=campaign)] + [
        MasterclassRoundFactory(campaign=campaign) for _ in range(extra)
    ]
    care_round = MasterclassRound.objects.get(campaign=care)

    new_schools = []
    for i in range(extra * School.objects.count()):
        new_school = SchoolFactory(name=f"Robotcollege {i}", profile=School.Profile.TECHNICAL)
        new_school.storylines.set([storyline, other_storylines[i % len(other_storylines)]])
        new_schools.append(new_school)
    for i in range(extra * OpenDay.objects.filter(school__in=School.objects.all()).count()):
        # Half at the measured school, half spread over the new ones.
        OpenDayFactory(
            school=school if i % 2 else new_schools[i % len(new_schools)],
            starts_at=soon + dt.timedelta(days=i),
        )

    new_companies = []
    for i in range(extra * Company.objects.count()):
        new_company = CompanyFactory(name=f"Robotbedrijf {i} BV")
        new_company.storylines.set([storyline, other_storylines[i % len(other_storylines)]])
        new_company.schools.set([school, new_schools[i % len(new_schools)]])
        new_companies.append(new_company)
    kinds = Offer.Kind.values
    for i in range(extra * Offer.objects.count()):
        owner = new_companies[i % len(new_companies)]
        OfferFactory(company=owner, kind=kinds[(i // len(new_companies)) % len(kinds)])
    for kind in set(kinds) - set(company.offers.values_list("kind", flat=True)):
        OfferFactory(company=company, kind=kind)
    company.schools.add(*new_schools)

    for i in range(extra * Session.objects.count()):
        new_session = SessionFactory(
            title=f"Robotles {i}",
            round=rounds[i % len(rounds)],
            host_school=school if i % 2 else new_schools[i % len(new_schools)],
            storyline=storyline,
            starts_at=soon + dt.timedelta(days=i, hours=2),
        )
        new_session.companies.set([company, new_companies[i % len(new_companies)]])
        RegistrationFactory(session=new_session, pupil_count=1)
        SessionFactory(
            title=f"Zorgles {i}",
            round=care_round,
            host_school=school if i % 2 else new_schools[i % len(new_schools)],
            storyline=care_storyline,
            starts_at=soon + dt.timedelta(days=i, hours=3),
        )
    session.companies.add(*new_companies[:20])
    for _ in range(extra * Registration.objects.filter(session=session).count()):
        RegistrationFactory(session=session, pupil_count=1)

    published_news = NewsItem.objects.published().count()
    for i in range(extra * published_news):
        NewsItemFactory(
            title=f"Robotnieuws {i}",
            school=school if i % 2 else new_schools[i % len(new_schools)],
            published_at=timezone.now() - dt.timedelta(hours=i + 1),
        )
    for i in range(extra * Video.objects.count()):
        VideoFactory(
            campaign=campaign,
            storyline=storyline,
            title=f"Robotfilm {i}",
            kind=Video.Kind.ANIMATION,
            transcript="Een robot aan het werk.",
        )

    for i in range(extra * max(SocialPost.objects.count(), 2)):
        SocialPostFactory(
            campaign=campaign,
            title=f"Robotbericht {i}",
            status=SocialPost.Status.POSTED,
            posted_at=timezone.now() - dt.timedelta(minutes=i + 1),
        )

    # Where each page should now show new rows: (page, text that only new rows carry).
    return {
        "storyline": ["Robotcollege", "Robotbedrijf", "Robotles", "Robotfilm"],
        "for parents": ["Robotcollege"],
        "for companies": ["Robotbedrijf"],
        "for schools": ["Robotles"],
        "school list": ["Robotcollege"],
        # Without a choice: a few schools of the day's order, and every school to choose.
        "school comparison": ["Robotcollege"],
        "school comparison, chosen": ["Robotles"],  # its companies: the first four by name
        "school": ["Robotbedrijf", "Robotles", "Robotnieuws"],
        "company list": ["Robotbedrijf"],
        "company": ["Robotcollege", "Robotles"],
        "agenda": ["Robotles"],
        "session": ["Robotbedrijf"],
        "session, pupils and partners": ["Robotcollege", "Robotbedrijf"],
        "search": ["Robotcollege", "Robotbedrijf", "Robotles", "Robotnieuws"],
        "news list": ["Robotnieuws"],
        "home": ["Robotnieuws", "Robotles"],
        "sitemap.xml": ["/scholen/testcollege-", "/bedrijven/bedrijf-", "/nieuws/nieuws-"],
        "agenda .ics": ["Robotles"],
        "news RSS": ["Robotnieuws"],
        "this week": ["Robotnieuws", "Robotles", "Robotfilm", "Robotbericht"],
        "this week RSS": ["Robotnieuws", "Robotles", "Robotfilm"],
        "care: landing": ["Robotnieuws", "Zorgles 1"],
        "care: storyline": ["Zorgles 1"],
        "care: agenda": ["Zorgles 1"],
        "care: agenda .ics": ["Zorgles 1"],
        "care: for schools": ["Zorgles 1"],
        "care: this week": ["Robotnieuws", "Zorgles 1"],
    }


# The most queries any public page may cost, at any amount of content.
QUERY_CAP = 8
# Pages still over the cap (measured with the shared site data warm, see ``measure``).
# The test fails as soon as one of them fits: take it off the list.
OVER_CAP: dict[str, int] = {}
# The most HTML a page may have, however much content there is: lists that grow are paged
# or stop with a link to the rest.
HTML_BUDGET = 64_000
# Content pages (HTML) that still list everything of a kind and so grow past the budget;
# each needs paging or a cap with a link to the rest. The test fails as soon as one of
# them fits (take it off this list) or another page outgrows the budget.
NOT_YET_BOUNDED: set[str] = set()
# Feeds, calendars and the sitemap list every row by nature (feeds by a fixed number).
NOT_HTML = {"news RSS", "news Atom", "open day .ics", "session .ics", "agenda .ics"}
NOT_HTML |= {"sitemap.xml", "robots.txt", "theme stylesheet", "this week RSS"}


def is_bounded(small: bytes, large: bytes) -> bool:
    return len(small) <= HTML_BUDGET and len(large) <= HTML_BUDGET


def repeated(queries: list[str]) -> list[str]:
    """The queries that ran more than once with different values, most frequent first."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in queries)
    # From FROM on: the table and the condition say which relation is fetched per row.
    return [
        f"{count} times: ...{shape[max(shape.find(' FROM '), 0) :][:250]}"
        for shape, count in shapes.most_common(5)
        if count > 1
    ]


def table(small, large) -> str:
    lines = [
        f"{'page':<30} {'demo':>5} {'x10':>5} {'cold':>5} {'KB demo':>8} {'KB x10':>8}",
        "-" * 66,
    ]
    for name, (status, queries, body) in small.items():
        grown = len(large[name][1])
        mark = "" if grown == len(queries) else "  <-- grows"
        lines.append(
            f"{name:<30} {len(queries):>5} {grown:>5} {COLD[name]:>5} {len(body) / 1000:>8.1f} "
            f"{len(large[name][2]) / 1000:>8.1f}{mark}  ({status})"
        )
    return "\n".join(lines)


def test_every_public_page_costs_the_same_queries_with_ten_times_the_content(client, settings):
    settings.SITE_URL = "https://techniekdoethet.example"
    call_command("load_demo_content", stdout=StringIO())
    add_care_campaign(host_school=School.objects.get(slug=SCHOOL))
    pages = public_pages()
    small = measure(client, pages)

    visible = grow_tenfold()
    assert School.objects.count() >= TIMES * 4 and Session.objects.count() >= TIMES * 4
    large = measure(client, pages)
    report = table(small, large)
    print("\nQueries per page, demo content and ten times as much:\n" + report)

    for name, (status, _queries, _body) in small.items():
        expected = 404 if name == "404" else 200
        assert status == expected == large[name][0], f"{name}: {status}, {large[name][0]}"
    for name, words in visible.items():
        body = large[name][2].decode()
        missing = [word for word in words if word not in body]
        assert not missing, f"{name} does not show the new rows {missing}: the check proves nothing"

    grown = {
        name: (len(small[name][1]), len(large[name][1]))
        for name in pages
        if len(small[name][1]) != len(large[name][1])
    }
    details = "\n\n".join(
        f"{name}: {before} -> {after} queries; the ones that repeat (an N+1):\n  "
        + "\n  ".join(repeated(large[name][1]))
        for name, (before, after) in grown.items()
    )
    assert not grown, f"\n{report}\n\n{details}"
    over = {
        name: len(queries) for name, (_s, queries, _b) in large.items() if len(queries) > QUERY_CAP
    }
    assert over == OVER_CAP, f"more than {QUERY_CAP} queries: {over}\n{report}"
    # With an empty cache (the first request after a content write) the shared site data
    # costs a few queries more, and never a query per row.
    colder = {
        name: (COLD[name], len(queries))
        for name, (_s, queries, _b) in large.items()
        if not 0 <= COLD[name] - len(queries) <= COLD_EXTRA
    }
    assert not colder, f"cold cache costs more than {COLD_EXTRA} extra: {colder}\n{report}"

    html_pages = [name for name in pages if name not in NOT_HTML]
    unbounded = {name for name in html_pages if not is_bounded(small[name][2], large[name][2])}
    assert unbounded == NOT_YET_BOUNDED, (
        f"newly unbounded: {sorted(unbounded - NOT_YET_BOUNDED)}; "
        f"bounded now, take off the list: {sorted(NOT_YET_BOUNDED - unbounded)}\n{report}"
    )
