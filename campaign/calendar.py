"""iCalendar helpers shared by the open days and the masterclass agenda."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.http import HttpResponse

CALENDAR_DOMAIN = "techniekdoethet.nl"
CALENDAR_ZONE = ZoneInfo("Europe/Amsterdam")


def new_calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Techniek doet het//techniekdoethet.nl//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    return calendar


def new_event(
    *,
    uid: str,
    summary: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    stamp: dt.datetime,
    location: str,
    description: str,
    url: str,
) -> icalendar.Event:
    """A VEVENT in Amsterdam local time, so that calendars show the time the school means."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", starts_at.astimezone(CALENDAR_ZONE))
    event.add("dtend", ends_at.astimezone(CALENDAR_ZONE))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("url", url)
    return event


def calendar_response(calendar: icalendar.Calendar, *, filename: str | None = None):
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
