"""send_session_reminders and purge_registrations: safe to run again and again."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.figures import participants_by_session
from events.models import ParticipationCount, Registration
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
    stored = {
        (row.kind, row.status, row.attended): (row.bookings, row.people)
        for row in ParticipationCount.objects.all()
    }
    assert set(ParticipationCount.objects.values_list("session", flat=True)) == {old.pk}
    assert stored == {
        ("child", "confirmed", "yes"): (1, 1),
        ("child", "confirmed", "no"): (1, 1),
        ("group", "confirmed", "yes"): (1, 12),
        ("child", "waitlisted", "unknown"): (1, 1),
        ("child", "cancelled", "unknown"): (1, 1),
    }
    # No personal field on the figures.
    names = {field.name for field in ParticipationCount._meta.get_fields()}
    assert not names & {"child_first_name", "contact_name", "contact_email", "primary_school"}


def test_purge_is_idempotent_and_adds_late_registrations_to_the_counts(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    old = ended_session(40)
    fill(old)
    run("purge_registrations")
    first = list(ParticipationCount.objects.values())
    assert participants_by_session([old.pk]) == {old.pk: {"pupils": 14, "partners": 0}}

    assert "Nothing to purge" in run("purge_registrations")
    assert list(ParticipationCount.objects.values()) == first

    RegistrationFactory(session=old, attended=True)  # e.g. added afterwards by hand
    run("purge_registrations")
    assert participants_by_session([old.pk]) == {old.pk: {"pupils": 15, "partners": 0}}
    # Added to the row of its kind, not a second row.
    assert ParticipationCount.objects.count() == len(first)


def test_purge_dry_run_deletes_nothing(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    fill(ended_session(31))

    output = run("purge_registrations", "--dry-run")

    assert "would delete 5 registration(s)" in output
    assert Registration.objects.count() == 5
    assert not ParticipationCount.objects.exists()


def test_purge_days_option_overrides_setting(settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    fill(ended_session(10))
    run("purge_registrations", "--days", "7")
    assert not Registration.objects.exists()
