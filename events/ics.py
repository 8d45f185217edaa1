"""The masterclass agenda as iCalendar: one file per session and a feed to subscribe to."""

import logging

import icalendar
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from campaign.calendar import CALENDAR_DOMAIN, calendar_response, new_calendar, new_event
from campaign.context_processors import get_active_campaign, site_name
from campaign.plaintext import safe_filename
from campaign.richtext import is_repeated_in, rich_text_to_plain
from campaign.seo import absolute_url
from events.models import Session

logger = logging.getLogger(__name__)


def session_event(session):
    url = absolute_url(session.get_absolute_url())
    body = rich_text_to_plain(session.description)
    lines = [
        "" if is_repeated_in(session.summary, session.description) else session.summary,
        body,
        _("Voor: %(audience)s") % {"audience": session.audience},
        _("Gastschool: %(school)s") % {"school": session.host_school.name},
        url,
    ]
    return new_event(
        uid=f"session-{session.pk}@{CALENDAR_DOMAIN}",
        summary=_("Masterclass: %(title)s") % {"title": session.title},
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        stamp=session.updated_at,
        location=session.place,
        description="\n\n".join(line for line in lines if line),
        url=url,
    )


def single_session_calendar(session) -> icalendar.Calendar:
    calendar = new_calendar(session.title)
    calendar.add_component(session_event(session))
    calendar.add_missing_timezones()
    return calendar


def session_calendar(session) -> bytes:
    """The session's .ics, as on its page: for the attachment of confirmation mails."""
    return single_session_calendar(session).to_ical()


def session_filename(session) -> str:
    return safe_filename(f"masterclass-{session.slug}", "ics")


def session_attachments(session) -> list[dict]:
    """The session's .ics as a mail attachment, or none when it cannot be made.

    Built inside the sign-up transaction: a calendar that fails to build (whatever text a
    row holds) costs the mail its attachment, never the sign-up itself.
    """
    try:
        content = session_calendar(session).decode("utf-8")
    except Exception:
        logger.exception("No .ics attachment for session %s", session.pk)
        return []
    return [
        {"filename": session_filename(session), "content": content, "mimetype": "text/calendar"}
    ]


def session_ics(request, slug):
    sessions = Session.objects.listed(get_active_campaign(request))
    session = get_object_or_404(sessions.select_related("host_school", "round"), slug=slug)
    return calendar_response(single_session_calendar(session), filename=session_filename(session))


def agenda_ics(request):
    campaign = get_active_campaign(request)
    sessions = Session.objects.listed(campaign).upcoming().select_related("host_school", "round")
    calendar = new_calendar(_("Masterclasses %(name)s") % {"name": site_name(campaign)})
    for session in sessions:
        calendar.add_component(session_event(session))
    return calendar_response(calendar)
