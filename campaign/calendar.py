"""iCalendar helpers shared by the open days and the masterclass agenda.

Every stored value goes through here on its way into a calendar: one-line properties
are made one line and multi-line ones get plain newlines (which icalendar escapes as
``\\n``), so no value can end its content line and start a property of its own.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.http import HttpResponse

from campaign.plaintext import attachment_header, plain_lines, single_line

CALENDAR_DOMAIN = "techniekdoethet.nl"
CALENDAR_ZONE = ZoneInfo("Europe/Amsterdam")


def new_calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{CALENDAR_DOMAIN}//agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # An X- property is written as it is, unescaped, unless it is given as TEXT.
    calendar.add("x-wr-calname", icalendar.vText(single_line(name)))
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
    event.add("uid", single_line(uid))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", starts_at.astimezone(CALENDAR_ZONE))
    event.add("dtend", ends_at.astimezone(CALENDAR_ZONE))
    event.add("summary", single_line(summary))
    event.add("location", single_line(location))
    event.add("description", plain_lines(description))
    event.add("url", single_line(url))
    return event


def calendar_response(calendar: icalendar.Calendar, *, filename: str | None = None):
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = attachment_header(filename)
    return response
