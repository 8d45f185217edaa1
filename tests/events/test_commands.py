"""send_session_reminders and purge_registrations: safe to run again and again."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Registration, SessionFigures
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def run(name, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def session_in(days: float, **kwargs):
    starts = timezone.now() + dt.timedelta(days=days)
    return SessionFactory(
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        registration_opens_at=starts - dt.timedelta(days=30),
        registration_closes_at=starts - dt.timedelta(hours=1),
        **kwargs,
    )


# Reminders -----------------------------------------------------------------------


def test_reminders_go_once_to_confirmed_places_of_sessions_starting_soon(settings, mailoutbox):
    settings.REMINDER_DAYS_BEFORE = 3
    soon = session_in(2, title="Robots bouwen")
    later = session_in(10)
    confirmed = RegistrationFactory(session=soon, contact_email="noor@example.org")
    RegistrationFactory(session=soon, status=Registration.Status.WAITLISTED)
    RegistrationFactory(session=soon, status=Registration.Status.CANCELLED)
    RegistrationFactory(session=later)

    output = run("send_session_reminders")

    assert "1 reminder(s)" in output
    (message,) = mailoutbox
    assert message.to == ["noor@example.org"]
    assert "Herinnering" in message.subject
    assert "Robots bouwen" in message.subject
    assert confirmed.cancel_token in message.body
    assert message.attachments
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None

    assert "0 reminder(s)" in run("send_session_reminders")
    assert len(mailoutbox) == 1


def test_reminder_days_come_from_settings_or_option(settings, mailoutbox):
    settings.REMINDER_DAYS_BEFORE = 1
    RegistrationFactory(session=session_in(4))

    run("send_session_reminders")
    assert mailoutbox == []

    run("send_session_reminders", "--days", "5")
    assert len(mailoutbox) == 1


def test_reminder_dry_run_sends_and_marks_nothing(mailoutbox):
    registration = RegistrationFactory(session=session_in(1), contact_email="sem@example.org")

    output = run("send_session_reminders", "--dry-run")

    assert "sem@example.org" in output
    assert "1 reminder(s) would be sent" in output
    assert mailoutbox == []
    registration.refresh_from_db()
    assert registration.reminder_sent_at is None


def test_reminders_skip_sessions_that_already_started(mailoutbox):
    RegistrationFactory(
        session=SessionFactory(
            starts_at=timezone.now() - dt.timedelta(minutes=5),
            registration_opens_at=timezone.now() - dt.timedelta(days=10),
            registration_closes_at=timezone.now() - dt.timedelta(days=1),
        )
    )
    run("send_session_reminders")
    assert mailoutbox == []


# Purge ---------------------------------------------------------------------------


def ended_session(days_ago: float, **kwargs):
    ends = timezone.now() - dt.timedelta(days=days_ago)
    starts = ends - dt.timedelta(hours=2)
    return SessionFactory(
        starts_at=starts,
        ends_at=ends,
        registration_opens_at=starts - dt.timedelta(days=30),
        registration_closes_at=starts - dt.timedelta(days=1),
        **kwargs,
    )


def fill(session):
    RegistrationFactory(session=session, attended=True)
    RegistrationFactory(session=session, attended=False)
    RegistrationFactory(
        session=session,
        kind=Registration.Kind.GROUP,
        pupil_count=12,
        child_first_name="",
        has_parental_consent=False,
        attended=True,
    )
    RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    RegistrationFactory(session=session, status=Registration.Status.CANCELLED)


def test_purge_deletes_personal_data_and_keeps_anonymous_counts(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    old = ended_session(31)
    recent = ended_session(5)
    upcoming = SessionFactory()
    for session in (old, recent, upcoming):
        fill(session)

    output = run("purge_registrations")

    assert "Deleted 5 registration(s) of 1 session(s)" in output
    assert not Registration.objects.filter(session=old).exists()
    assert Registration.objects.filter(session=recent).count() == 5
    assert Registration.objects.filter(session=upcoming).count() == 5
    figures = SessionFigures.objects.get()
    assert figures.session == old
    assert (
        figures.confirmed_bookings,
        figures.confirmed_pupils,
        figures.child_bookings,
        figures.group_bookings,
        figures.attended_pupils,
        figures.absent_pupils,
        figures.waitlisted_pupils,
        figures.cancelled_bookings,
    ) == (3, 14, 2, 1, 13, 1, 1, 1)
    # No personal field on the figures.
    names = {field.name for field in SessionFigures._meta.get_fields()}
    assert not names & {"child_first_name", "contact_name", "contact_email", "primary_school"}


def test_purge_is_idempotent_and_adds_late_registrations_to_the_counts(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    old = ended_session(40)
    fill(old)
    run("purge_registrations")
    first = SessionFigures.objects.values().get()

    assert "Nothing to purge" in run("purge_registrations")
    assert SessionFigures.objects.values().get() == first

    RegistrationFactory(session=old)  # e.g. added afterwards by hand
    run("purge_registrations")
    figures = SessionFigures.objects.get()
    assert figures.confirmed_pupils == first["confirmed_pupils"] + 1
    assert SessionFigures.objects.count() == 1


def test_purge_dry_run_deletes_nothing(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    fill(ended_session(31))

    output = run("purge_registrations", "--dry-run")

    assert "would delete 5 registration(s)" in output
    assert Registration.objects.count() == 5
    assert not SessionFigures.objects.exists()


def test_purge_days_option_overrides_setting(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    fill(ended_session(10))
    run("purge_registrations", "--days", "7")
    assert not Registration.objects.exists()
