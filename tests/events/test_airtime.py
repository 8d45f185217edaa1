"""The airtime ledger (events/airtime.py) and its admin page: figures for a constructed period
equal what we count by hand, falling behind is flagged, bad periods are refused politely."""

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from campaign.models import SocialPost
from campaign.publishing import PublicationStatus
from events.airtime import build_ledger
from events.models import Registration
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    StorylineFactory,
    VideoFactory,
)
from tests.test_valid_html import vnu  # noqa: F401 - the checker's fixture

pytestmark = pytest.mark.django_db

# A week well in the past: Monday 3 to Sunday 9 March 2025.
START, END = dt.date(2025, 3, 3), dt.date(2025, 3, 9)


def at(day: int, hour: int = 12, month: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, month, day, hour))


def session_at(school, storyline, starts_at, **kwargs):
    return SessionFactory(
        host_school=school,
        storyline=storyline,
        round=kwargs.pop("round", None) or MasterclassRoundFactory(),
        starts_at=starts_at,
        registration_opens_at=starts_at - dt.timedelta(days=30),
        registration_closes_at=starts_at - dt.timedelta(days=1),
        **kwargs,
    )


def partner(session, **kwargs):
    kwargs.setdefault("organisation_type", "school")
    return RegistrationFactory(
        session=session,
        kind=Registration.Kind.PARTNER,
        child_first_name="",
        child_group="",
        primary_school="",
        **kwargs,
    )


@pytest.fixture
def world():
    """Three schools, two companies, two storylines and what happened to them that week."""
    campaign = CampaignFactory()
    robots = StorylineFactory(campaign=campaign, title="Robots", order=1)
    green = StorylineFactory(campaign=campaign, title="Groen", order=2)
    AudienceMessageFactory(storyline=robots, audience="pupil")
    AudienceMessageFactory(storyline=robots, audience="parent")
    published = {"published_at": at(1, month=1)}
    a = SchoolFactory(name="Aa College", **published)
    b = SchoolFactory(name="Bb College", **published)
    # C goes public on Thursday morning: on the school list from Friday's start.
    c = SchoolFactory(name="Cc College", published_at=at(6, hour=10))
    SchoolFactory(name="Dd College (concept)", status=PublicationStatus.DRAFT, **published)
    x = CompanyFactory(name="Xenon BV", **published)
    y = CompanyFactory(name="Ypsilon BV", **published)

    # News: A two in the week (one before it, one only submitted), B one; regional news none.
    NewsItemFactory(school=a, published_at=at(4))
    NewsItemFactory(school=a, published_at=at(9, hour=23))
    NewsItemFactory(school=a, published_at=at(2))
    NewsItemFactory(school=a, status="submitted", published_at=None)
    NewsItemFactory(school=b, published_at=at(5))
    NewsItemFactory(school=None, published_at=at(5))

    # Sessions: A hosts one in the week with X; B one in draft and one after the week.
    hosted = session_at(a, robots, at(5, hour=14))
    hosted.companies.add(x)
    RegistrationFactory(
        session=hosted,
        kind=Registration.Kind.GROUP,
        pupil_count=12,
        child_first_name="",
        has_parental_consent=False,
    )
    RegistrationFactory(session=hosted)
    RegistrationFactory(session=hosted, status=Registration.Status.WAITLISTED)
    RegistrationFactory(session=hosted, status=Registration.Status.CANCELLED)
    partner(hosted)
    partner(hosted, partner_company=x, organisation_type="company")
    partner(hosted, status=Registration.Status.CANCELLED)
    session_at(b, robots, at(6, hour=14), status=PublicationStatus.DRAFT)
    session_at(b, green, at(12, hour=14))

    # Posts: one posted in the week with A (named twice) and X; one posted before the week
    # with B; one planned in the week with C.
    SocialPostFactory(
        campaign=campaign,
        storyline=robots,
        status=SocialPost.Status.POSTED,
        posted_at=at(6),
        featured=[["schools.school", a.pk], ["companies.company", x.pk], ["schools.school", a.pk]],
    )
    SocialPostFactory(
        campaign=campaign,
        status=SocialPost.Status.POSTED,
        posted_at=at(28, month=2),
        featured=[["schools.school", b.pk]],
    )
    SocialPostFactory(
        campaign=campaign,
        planned_week=START,
        featured=[["schools.school", c.pk]],
    )

    # Videos: one published in the week shows A, C and X; an older one shows B.
    in_week = VideoFactory(campaign=campaign, storyline=green, published_at=at(7))
    a.videos.add(in_week)
    c.videos.add(in_week)
    x.videos.add(in_week)
    older = VideoFactory(campaign=campaign, storyline=green, published_at=at(1, month=2))
    b.videos.add(older)
    return {"a": a, "b": b, "c": c, "x": x, "y": y, "robots": robots, "green": green}


def figures(row) -> dict:
    return {
        "news": row.news,
        "top_days": row.top_days,
        "sessions": row.sessions,
        "pupils": row.pupils,
        "partners": row.partners,
        "posts": row.posts,
        "posts_planned": row.posts_planned,
        "videos": row.videos,
        "total": row.total,
        "behind": row.behind,
    }


def test_ledger_figures_equal_hand_counts_when_the_period_is_constructed(world):
    ledger = build_ledger(start=START, end=END)

    schools = {row.obj.name: figures(row) for row in ledger.schools.rows}
    # Top of the school list (rotate_for_day shifts by day.toordinal() % len):
    # Mon–Thu the list is [A, B], ordinals 739313..739316 → B, A, B, A;
    # Fri–Sun it is [A, B, C], ordinals 739317..739319 % 3 = 0, 1, 2 → A, B, C.
    # Pupils at A's session: the class of 12 and one child (waiting list and cancelled
    # do not count); partners: two confirmed.
    assert schools == {
        "Aa College": {
            "news": 2,
            "top_days": 3,
            "sessions": 1,
            "pupils": 13,
            "partners": 2,
            "posts": 1,
            "posts_planned": 0,
            "videos": 1,
            "total": 5,
            "behind": [],
        },
        # Fair share of the total: 7 / 3 = 2.33; half of it is 1.17. Of news: 3 / 3 = 1.
        "Bb College": {
            "news": 1,
            "top_days": 3,
            "sessions": 0,
            "pupils": 0,
            "partners": 0,
            "posts": 0,
            "posts_planned": 0,
            "videos": 0,
            "total": 1,
            "behind": ["total"],
        },
        "Cc College": {
            "news": 0,
            "top_days": 1,
            "sessions": 0,
            "pupils": 0,
            "partners": 0,
            "posts": 0,
            "posts_planned": 1,
            "videos": 1,
            "total": 1,
            "behind": ["total", "news"],
        },
    }
    assert ledger.schools.fair["total"] == pytest.approx(7 / 3)
    assert [round(row.gap, 2) for row in ledger.schools.rows] == [2.67, -1.33, -1.33]

    companies = {row.obj.name: figures(row) for row in ledger.companies.rows}
    # [X, Y] all week: ordinals odd, even, odd… → Y, X, Y, X, Y, X, Y.
    assert companies["Xenon BV"] | {"behind": None} == {
        "news": 0,
        "top_days": 3,
        "sessions": 1,
        "pupils": 13,
        "partners": 2,
        "posts": 1,
        "posts_planned": 0,
        "videos": 1,
        "total": 3,
        "behind": None,
    }
    assert companies["Ypsilon BV"]["top_days"] == 4
    assert companies["Ypsilon BV"]["total"] == 0
    assert companies["Ypsilon BV"]["behind"] == ["total"]

    storylines = {row.obj.title: row for row in ledger.storylines.rows}
    assert (storylines["Robots"].sessions, storylines["Robots"].posts) == (1, 1)
    assert (storylines["Robots"].pupils, storylines["Robots"].messages) == (13, 2)
    assert (storylines["Groen"].sessions, storylines["Groen"].videos) == (0, 1)
    assert [row.total for row in ledger.storylines.rows] == [2, 1]
    assert not any(row.is_behind for row in ledger.storylines.rows)


def test_ledger_counts_only_up_to_now_when_the_period_runs_on():
    today = timezone.localdate()
    school = SchoolFactory(published_at=timezone.now() - dt.timedelta(days=400))
    NewsItemFactory(school=school, published_at=timezone.now() - dt.timedelta(days=1))
    NewsItemFactory(school=school, published_at=timezone.now() + dt.timedelta(days=2))

    ledger = build_ledger(start=today - dt.timedelta(days=9), end=today + dt.timedelta(days=30))

    assert ledger.counted_until == today
    row = ledger.schools.rows[0]
    assert row.news == 1
    assert row.top_days == 10  # the only school, first every day up to today


def test_ledger_flags_a_school_that_has_not_hosted_for_a_year():
    now = timezone.now()
    hosted = SchoolFactory(name="Gastschool", published_at=now - dt.timedelta(days=800))
    planned = SchoolFactory(name="Ingepland", published_at=now - dt.timedelta(days=800))
    waiting = SchoolFactory(name="Wacht", published_at=now - dt.timedelta(days=800))
    storyline = StorylineFactory()
    session_at(hosted, storyline, now - dt.timedelta(days=100))
    session_at(planned, storyline, now - dt.timedelta(days=500))
    session_at(planned, storyline, now + dt.timedelta(days=40), status=PublicationStatus.DRAFT)
    session_at(waiting, storyline, now - dt.timedelta(days=370))

    ledger = build_ledger(
        start=timezone.localdate() - dt.timedelta(days=30), end=timezone.localdate()
    )

    overdue = {row.obj.name: row.is_overdue_host for row in ledger.schools.rows}
    assert overdue == {"Gastschool": False, "Ingepland": False, "Wacht": True}


def test_ledger_costs_the_same_queries_whatever_the_number_of_schools(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            ledger = build_ledger(start=START, end=END)
        return len(queries), ledger

    small, ledger = count()
    for n in range(10):
        school = SchoolFactory(published_at=at(1, month=1))
        company = CompanyFactory(published_at=at(1, month=1))
        NewsItemFactory(school=school, published_at=at(4))
        session = session_at(school, world["green"], at(6, hour=9 + n % 8))
        session.companies.add(company)
        RegistrationFactory(session=session)
        SocialPostFactory(
            status=SocialPost.Status.POSTED,
            posted_at=at(6),
            featured=[["schools.school", school.pk], ["companies.company", company.pk]],
        )
        school.videos.add(VideoFactory(published_at=at(7)))
    large, bigger = count()

    assert len(bigger.schools.rows) == len(ledger.schools.rows) + 10
    assert sum(row.sessions for row in bigger.schools.rows) == 11
    assert large == small == 14


# The admin page


def test_airtime_page_shows_the_tables_and_the_chart_when_a_period_is_chosen(
    coordinator_client, world
):
    response = coordinator_client.get(
        reverse("admin:airtime"), {"van": "2025-03-03", "tot": "9-3-2025"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert '<title id="airtime-chart-title">Momenten in beeld per school' in html
    assert "3 maart 2025 tot en met 9 maart 2025" in html
    assert html.count('class="airtime-behind"') == 3  # B, C and Ypsilon
    assert "Aa College" in html and "Xenon BV" in html and "Robots" in html


def test_airtime_page_defaults_to_this_school_year_when_no_period_is_given(coordinator_client):
    response = coordinator_client.get(reverse("admin:airtime"))

    assert response.status_code == 200
    today = timezone.localdate()
    first = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    assert response.context["ledger"].start == first
    assert response.context["ledger"].end == dt.date(first.year + 1, 7, 31)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"van": "31-02-2025", "tot": "2025-03-09"}, "Vul een geldige datum in"),
        ({"van": "2025-03-09", "tot": "2025-03-01"}, "niet vóór de eerste dag"),
        ({"van": "2015-01-01", "tot": "2025-03-01"}, "hooguit vijf jaar"),
        ({"van": "2025-03-09"}, "Vul de laatste dag in."),
        ({"van": "<script>", "tot": "x" * 300}, "Vul een geldige datum in"),
    ],
)
def test_airtime_page_explains_a_bad_period_and_keeps_the_input(
    coordinator_client, params, message
):
    response = coordinator_client.get(reverse("admin:airtime"), params)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert response.context["ledger"] is None
    # What was typed stays in the field, escaped.
    assert f'value="{escape(params["van"])}"' in html


def test_airtime_page_is_for_coordinators_only(client, django_user_model):
    user = django_user_model.objects.create_user("gast", password="x", is_staff=True)  # noqa: S106
    client.force_login(user)
    assert client.get(reverse("admin:airtime")).status_code == 403


def test_airtime_and_hosting_pages_are_valid_html(coordinator_client, world, vnu, tmp_path):  # noqa: F811
    pages = {
        "airtime": reverse("admin:airtime") + "?van=2025-03-03&tot=2025-03-09",
        "airtime-error": reverse("admin:airtime") + "?van=2025-03-09&tot=2025-03-01",
        "hosting": reverse("admin:events_masterclassround_hosting"),
    }
    files = []
    for name, path in pages.items():
        response = coordinator_client.get(path)
        assert response.status_code == 200, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    # Fixed arguments and our own temporary files: nothing from outside reaches the command.
    result = subprocess.run(  # noqa: S603
        [*vnu, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n" + "\n".join(errors)


def test_moderation_queue_counts_news_with_the_ledgers_rule(coordinator_client):
    school = SchoolFactory(name="Noord College")
    NewsItemFactory(school=school, published_at=timezone.now() - dt.timedelta(days=10))
    NewsItemFactory(school=school, published_at=timezone.now() - dt.timedelta(days=100))
    NewsItemFactory(school=school, published_at=timezone.now() + dt.timedelta(days=3))

    response = coordinator_client.get(reverse("admin:schools_newsitem_moderation"))

    (row,) = response.context["schools"]
    assert row.news_published == 1
    assert reverse("admin:airtime") in response.content.decode()
