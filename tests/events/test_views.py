import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus
from events.models import Registration, Session
from tests.factories import (
    CompanyFactory,
    MasterclassRoundFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def future():
    return timezone.now() + dt.timedelta(days=3)


def past_session(**kwargs):
    starts_at = timezone.now() - dt.timedelta(days=3)
    return SessionFactory(
        starts_at=starts_at,
        registration_opens_at=starts_at - dt.timedelta(days=20),
        registration_closes_at=starts_at - dt.timedelta(days=1),
        **kwargs,
    )


def make_hidden_sessions():
    """One session for every reason a session is not public."""
    SessionFactory(title="Conceptsessie", status=DRAFT)
    SessionFactory(title="Toekomstsessie", published_at=future())
    SessionFactory(title="Rondesessie", round=MasterclassRoundFactory(status=DRAFT))
    SessionFactory(
        title="Toekomstrondesessie", round=MasterclassRoundFactory(published_at=future())
    )
    SessionFactory(title="Schoolsessie", host_school=SchoolFactory(status=DRAFT))
    SessionFactory(title="Lijnsessie", storyline=StorylineFactory(status=DRAFT))
    past_session(title="Voorbije sessie")


HIDDEN_SESSIONS = [
    "Conceptsessie",
    "Toekomstsessie",
    "Rondesessie",
    "Toekomstrondesessie",
    "Schoolsessie",
    "Lijnsessie",
    "Voorbije sessie",
]


def book(session, *, confirmed=(), waitlisted=0, cancelled=0):
    """Confirmed bookings of the given sizes (1 = a child, more = a class), plus others."""
    for size in confirmed:
        if size == 1:
            RegistrationFactory(session=session)
        else:
            RegistrationFactory(
                session=session,
                kind=Registration.Kind.GROUP,
                pupil_count=size,
                child_first_name="",
                has_parental_consent=False,
            )
    for _ in range(waitlisted):
        RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    for _ in range(cancelled):
        RegistrationFactory(session=session, status=Registration.Status.CANCELLED)


# Seats and registration state ----------------------------------------------------


def test_with_seats_counts_only_confirmed_pupils():
    session = SessionFactory(seats=20)
    session.companies.add(*CompanyFactory.create_batch(3))
    book(session, confirmed=[1, 1, 5], waitlisted=2, cancelled=3)
    annotated = Session.objects.filter(companies__isnull=False).distinct().with_seats().get()
    assert annotated.seats_taken == 7
    assert annotated.seats_left == 13


def test_with_seats_never_goes_below_zero_when_overbooked():
    session = SessionFactory(seats=2)
    book(session, confirmed=[1, 1, 1])
    assert Session.objects.with_seats().get().seats_left == 0


@pytest.mark.parametrize(
    ("opens", "closes", "seats", "expected"),
    [
        (2, 5, 10, "not_yet"),
        (-2, 5, 10, "open"),
        (-2, 5, 0, "full"),
        (-5, -1, 10, "closed"),
    ],
)
def test_registration_state_follows_window_and_seats(opens, closes, seats, expected):
    now = timezone.now()
    SessionFactory(
        seats=seats,
        registration_opens_at=now + dt.timedelta(days=opens),
        registration_closes_at=now + dt.timedelta(days=closes),
        starts_at=now + dt.timedelta(days=10),
    )
    session = Session.objects.with_seats().get()
    assert session.registration_state(now) == expected


def test_registration_state_is_past_when_session_over():
    past_session()
    assert Session.objects.with_seats().get().registration_state() == "past"


def test_public_sessions_excludes_every_non_public_kind():
    make_hidden_sessions()
    visible = SessionFactory(title="Zichtbaar")
    assert set(Session.objects.public().upcoming()) == {visible}


# Agenda --------------------------------------------------------------------------


def test_session_list_shows_upcoming_public_sessions_grouped_by_round_with_seats(client):
    spring = MasterclassRoundFactory(
        name="Voorjaar", starts_on=timezone.localdate() + dt.timedelta(days=10)
    )
    autumn = MasterclassRoundFactory(
        name="Najaar", starts_on=timezone.localdate() + dt.timedelta(days=100)
    )
    first = SessionFactory(round=spring, title="Robots bouwen", seats=20)
    book(first, confirmed=[1, 4])
    SessionFactory(
        round=autumn, title="Kassen ontwerpen", starts_at=timezone.now() + dt.timedelta(days=110)
    )
    make_hidden_sessions()
    response = client.get(reverse("events:session-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<h1") == 1
    assert text.index("Voorjaar") < text.index("Robots bouwen") < text.index("Najaar")
    assert text.index("Najaar") < text.index("Kassen ontwerpen")
    assert "Nog 15 plekken vrij" in text
    assert first.host_school.name in text
    assert first.storyline.title in text
    for hidden in HIDDEN_SESSIONS:
        assert hidden not in text


def test_session_list_shows_full_when_no_seats_left(client):
    book(SessionFactory(seats=1), confirmed=[1])
    assert (
        "Vol — aanmelden voor de wachtlijst kan nog"
        in client.get(reverse("events:session-list")).content.decode()
    )


def test_session_list_filters_by_storyline_when_storyline_given(client):
    robots = StorylineFactory(slug="robotica")
    SessionFactory(title="Robots bouwen", storyline=robots)
    SessionFactory(title="Kassen ontwerpen")
    text = client.get(reverse("events:session-list"), {"verhaallijn": "robotica"}).content.decode()
    assert "Robots bouwen" in text
    assert "Kassen ontwerpen" not in text


# Session page --------------------------------------------------------------------


def test_session_detail_shows_everything_a_parent_needs(client):
    school = SchoolFactory(name="Vakcollege De Dijk", street_address="Dijkweg 1", town="Hoorn")
    day = timezone.localdate() + dt.timedelta(days=30)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 30)))
    session = SessionFactory(
        host_school=school,
        title="Bouw een robotarm",
        description="<p>Je programmeert een <strong>robotarm</strong>.</p>",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        audience="groep 8",
        seats=24,
    )
    session.companies.add(CompanyFactory(name="Robotbouwers BV"))
    session.companies.add(CompanyFactory(name="Geheim Bedrijf", status=DRAFT))
    book(session, confirmed=[1, 1, 1, 1])
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<h1") == 1
    for expected in [
        "Bouw een robotarm",
        "<strong>robotarm</strong>",
        "14:30–16:30",
        "Vakcollege De Dijk, Dijkweg 1",
        "groep 8",
        "nog 20 van de 24 vrij",
        "Robotbouwers BV",
        session.storyline.title,
        "Aanmelden is open",
        reverse("events:session-ics", kwargs={"slug": session.slug}),
        'aria-label="Kruimelpad"',
    ]:
        assert expected in text
    assert "Geheim Bedrijf" not in text
    # Dutch date: weekday and month in Dutch.
    from django.utils import formats

    assert formats.date_format(day, "l j F Y") in text
    main = text.split('id="inhoud"')[1].split("</main>")[0]
    assert main.count('method="post"') == 2
    assert 'name="form" value="child"' in main
    assert 'name="form" value="group"' in main


@pytest.mark.parametrize(
    ("opens", "closes", "seats", "booked", "message"),
    [
        (2, 5, 10, 0, "Aanmelden kan vanaf"),
        (-2, 5, 10, 0, "Aanmelden is open"),
        (-2, 5, 2, 2, "Vol — wachtlijst"),
        (-5, -1, 10, 0, "Aanmelden is gesloten"),
    ],
)
def test_session_detail_shows_registration_status(client, opens, closes, seats, booked, message):
    now = timezone.now()
    session = SessionFactory(
        seats=seats,
        registration_opens_at=now + dt.timedelta(days=opens),
        registration_closes_at=now + dt.timedelta(days=closes),
        starts_at=now + dt.timedelta(days=10),
    )
    book(session, confirmed=[1] * booked)
    assert message in client.get(session.get_absolute_url()).content.decode()


def test_session_detail_has_event_json_ld(client):
    day = timezone.localdate() + dt.timedelta(days=30)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 30)))
    session = SessionFactory(
        title="Robots </script><script>alert(1)</script>",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        seats=10,
    )
    session.companies.add(CompanyFactory(name="Robotbouwers BV"))
    response = client.get(session.get_absolute_url())
    text = response.content.decode()
    assert "<script>alert(1)" not in text
    (block,) = JSONLD.findall(text)
    data = json.loads(block)
    assert data["@type"] == "Event"
    assert data["name"] == "Robots </script><script>alert(1)</script>"
    start = dt.datetime.fromisoformat(data["startDate"])
    assert start.utcoffset() is not None
    assert start.strftime("%H:%M") == "14:30"
    assert dt.datetime.fromisoformat(data["endDate"]) == starts + dt.timedelta(hours=2)
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"]["addressLocality"] == session.host_school.town
    assert data["organizer"]["name"] == session.round.campaign.name
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["url"].endswith(session.get_absolute_url())


def test_session_detail_shows_past_session_as_over(client):
    session = past_session()
    assert "al geweest" in client.get(session.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "hidden",
    ["draft", "future", "draft_round", "future_round", "draft_school", "draft_storyline"],
)
def test_session_detail_gives_404_when_not_public(client, hidden):
    kwargs = {
        "draft": {"status": DRAFT},
        "future": {"published_at": future()},
        "draft_round": {"round": MasterclassRoundFactory(status=DRAFT)},
        "future_round": {"round": MasterclassRoundFactory(published_at=future())},
        "draft_school": {"host_school": SchoolFactory(status=DRAFT)},
        "draft_storyline": {"storyline": StorylineFactory(status=DRAFT)},
    }[hidden]
    session = SessionFactory(**kwargs)
    assert client.get(session.get_absolute_url()).status_code == 404
    url = reverse("events:session-ics", kwargs={"slug": session.slug})
    assert client.get(url).status_code == 404


def test_session_detail_gives_404_when_slug_unknown(client):
    url = reverse("events:session-detail", kwargs={"slug": "bestaat-niet"})
    assert client.get(url).status_code == 404


# Query budget --------------------------------------------------------------------

# Each page's own queries, warm: the campaigns and the region come from the shared cache
# (one query each after a content write).
PAGE_QUERIES = {
    "session-list": 3,  # storylines for the filter, count (paging), sessions with seats
    "session-detail": 2,  # session with seats, companies
    "session-ics": 1,  # session
    "agenda-ics": 1,  # sessions
}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def build_content(size: int) -> dict:
    sessions = []
    for _ in range(size):
        session = SessionFactory()
        session.companies.add(*CompanyFactory.create_batch(2))
        book(session, confirmed=[1, 3], waitlisted=1)
        sessions.append(session)
    widest = sessions[0]
    widest.companies.add(*CompanyFactory.create_batch(2 * size))
    book(widest, confirmed=[1] * size)
    make_hidden_sessions()
    return {
        "session-list": reverse("events:session-list"),
        "session-detail": widest.get_absolute_url(),
        "session-ics": reverse("events:session-ics", kwargs={"slug": widest.slug}),
        "agenda-ics": reverse("events:agenda-ics"),
    }


@pytest.mark.parametrize("page_name", list(PAGE_QUERIES))
def test_page_costs_same_queries_when_ten_times_the_content(
    client, page_name, django_assert_num_queries
):
    urls = build_content(1)
    client.get(urls[page_name])
    small = queries_for(client, urls[page_name])
    urls = build_content(10)
    client.get(urls[page_name])
    large = queries_for(client, urls[page_name])
    assert small == large
    with django_assert_num_queries(PAGE_QUERIES[page_name]):
        client.get(urls[page_name])
