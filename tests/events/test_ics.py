import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus
from tests.factories import MasterclassRoundFactory, SchoolFactory, SessionFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at_local(days_ahead: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "max-age=" in response["Cache-Control"]
    return icalendar.Calendar.from_ical(response.content)


def test_session_ics_is_one_event_in_amsterdam_time(client):
    school = SchoolFactory(name="Vakcollege De Dijk", street_address="Dijkweg 1", town="Hoorn")
    starts = at_local(40, 14, 30)
    session = SessionFactory(
        host_school=school,
        title="Bouw een robotarm",
        description="<p>Je programmeert een <strong>robotarm</strong> &amp; meer.</p>",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    calendar = parse(client.get(reverse("events:session-ics", kwargs={"slug": session.slug})))
    assert str(calendar["VERSION"]) == "2.0"
    assert "techniekdoethet.nl" in str(calendar["PRODID"])
    assert calendar["X-WR-CALNAME"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"session-{session.pk}@techniekdoethet.nl"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (14, 30)
    assert start == starts
    assert event.decoded("DTEND") == starts + dt.timedelta(hours=2)
    assert "DTSTAMP" in event
    assert "Bouw een robotarm" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "Vakcollege De Dijk, Dijkweg 1, 1621 AB Hoorn"
    description = str(event["DESCRIPTION"])
    assert "robotarm & meer." in description
    assert "<" not in description
    assert str(event["URL"]).endswith(session.get_absolute_url())


def test_session_ics_keeps_local_time_in_summer_and_winter(client):
    for days_ahead in (60, 240):
        starts = at_local(days_ahead, 9, 15)
        session = SessionFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
        calendar = parse(client.get(reverse("events:session-ics", kwargs={"slug": session.slug})))
        start = calendar.walk("VEVENT")[0].decoded("DTSTART")
        assert start.strftime("%H:%M") == "09:15"
        assert start.utcoffset() == starts.utcoffset()


def test_agenda_ics_lists_upcoming_public_sessions_with_stable_uids(client):
    first = SessionFactory(title="Eerste")
    second = SessionFactory(title="Tweede")
    SessionFactory(title="Concept", status=PublicationStatus.DRAFT)
    SessionFactory(title="Toekomst", published_at=timezone.now() + dt.timedelta(days=2))
    SessionFactory(
        title="Conceptronde", round=MasterclassRoundFactory(status=PublicationStatus.DRAFT)
    )
    SessionFactory(title="Conceptschool", host_school=SchoolFactory(status=PublicationStatus.DRAFT))
    url = reverse("events:agenda-ics")
    calendar = parse(client.get(url))
    events = calendar.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {
        f"session-{first.pk}@techniekdoethet.nl",
        f"session-{second.pk}@techniekdoethet.nl",
    }
    summaries = " ".join(str(e["SUMMARY"]) for e in events)
    for hidden in ["Concept", "Toekomst"]:
        assert hidden not in summaries
    assert len(calendar.walk("VTIMEZONE")) == 1
    # A second fetch gives the same UIDs: calendars update events instead of doubling them.
    again = parse(client.get(url))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]


def test_agenda_ics_is_valid_when_empty(client):
    calendar = parse(client.get(reverse("events:agenda-ics")))
    assert calendar.walk("VEVENT") == []


def test_mail_attachment_is_the_same_valid_calendar_as_the_page(client):
    from events.ics import session_calendar

    starts = at_local(50, 13, 45)
    session = SessionFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=2))

    attached = icalendar.Calendar.from_ical(session_calendar(session))
    page = parse(client.get(reverse("events:session-ics", kwargs={"slug": session.slug})))

    assert [tz["TZID"] for tz in attached.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (event,) = attached.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == starts
    assert event["UID"] == page.walk("VEVENT")[0]["UID"]
    assert "DTSTAMP" in event


def test_session_ics_description_keeps_paragraphs_apart_and_the_summary_once(client):
    session = SessionFactory(
        summary="Bouw een bootje met een zonnepaneel.",
        description=(
            "<p>Bouw een bootje met een zonnepaneel.</p><p>Daarna test je het in de haven."
            "</p><ul><li>Zaag</li><li>Boor</li></ul>"
        ),
    )
    calendar = parse(client.get(reverse("events:session-ics", kwargs={"slug": session.slug})))
    (event,) = calendar.walk("VEVENT")
    description = str(event["DESCRIPTION"])

    assert description.startswith(
        "Bouw een bootje met een zonnepaneel.\n\nDaarna test je het in de haven.\n\n- Zaag\n- Boor"
    )
    assert description.count("Bouw een bootje") == 1
