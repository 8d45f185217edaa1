"""Queued e-mail: sent once, retried soon while the server fails, failed at once when broken."""

import datetime as dt
import io
import logging
import smtplib
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaign.mail import queue_email
from campaign.models import OutgoingEmail
from campaign.tasks import (
    MAX_RETRY_DELAY,
    RETRY_FOR,
    is_permanent_failure,
    requeue_abandoned_tasks,
    retry_delay,
)

# The worker closes "old" connections between polls, which on PostgreSQL ends the
# transaction a plain django_db test runs in: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DOWN = {"default": {"BACKEND": "tests.mail_backends.DownEmailBackend"}}
BUSY = {"default": {"BACKEND": "tests.mail_backends.BusyEmailBackend"}}
REFUSING = {"default": {"BACKEND": "tests.mail_backends.RefusingEmailBackend"}}


@pytest.fixture
def queue(settings):
    settings.TASKS = DB_TASKS
    settings.MAILERS = UP
    settings.TASK_RUNNING_TIMEOUT = 300


def queue_one(subject="Welkom bij de masterclass", to=("ouder@example.org",), reply_to=None):
    queue_email(
        to=list(to),
        subject=subject,
        reply_to=reply_to,
        template="emails/schools/news_received.txt",
        context={},
    )


def run_worker():
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def make_due():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_mail_with_line_break_in_header_fails_at_once_when_sent(queue, caplog):
    # queue_email puts subjects on one line; a reply-to address is not rewritten.
    queue_one(reply_to=["school@example.org\nBcc: iedereen@example.org"])

    with caplog.at_level(logging.ERROR, logger="campaign.tasks"):
        run_worker()

    assert mail.outbox == []
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]
    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.FAILED
    assert record.last_error.startswith("Kan nooit verzonden worden")
    assert any("can never be sent" in message for message in caplog.messages)


def test_mail_to_refused_address_fails_at_once_when_server_says_550(queue, settings):
    settings.MAILERS = REFUSING
    queue_one(to=["bestaat-niet@example.org"])

    run_worker()

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]
    assert OutgoingEmail.objects.failed().get().recipients == "bestaat-niet@example.org"


@pytest.mark.parametrize("mailers", [DOWN, BUSY], ids=["refused", "451"])
def test_mail_is_retried_within_two_minutes_when_server_fails_for_now(queue, settings, mailers):
    settings.MAILERS = mailers
    queue_one()

    for _attempt in range(8):
        run_worker()
        waiting = DBTaskResult.objects.get(status="READY")
        assert waiting.run_after <= timezone.now() + MAX_RETRY_DELAY
        make_due()

    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.RETRYING
    assert record.attempts == 8
    settings.MAILERS = UP
    run_worker()
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_retry_pause_never_exceeds_two_minutes_when_server_stays_down():
    delays = [retry_delay(attempt) for attempt in range(1, 3000)]

    assert max(delays) <= dt.timedelta(minutes=2)
    assert delays[0] <= dt.timedelta(seconds=30)


def test_retries_do_not_pile_up_task_rows_when_server_stays_down(queue, settings):
    settings.MAILERS = DOWN
    queue_one()

    for _attempt in range(6):
        run_worker()
        make_due()

    assert DBTaskResult.objects.count() <= 2


def test_mail_fails_for_good_when_server_stays_down_for_two_days(queue, settings):
    settings.MAILERS = DOWN
    queue_one()
    OutgoingEmail.objects.update(queued_at=timezone.now() - RETRY_FOR + dt.timedelta(seconds=5))

    run_worker()

    assert not DBTaskResult.objects.filter(status="READY").exists()
    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.FAILED
    assert record.last_error.startswith("Mailserver bleef onbereikbaar")


def abandon(result, *, seconds_ago, workers=1):
    """Leave a task as a worker that died while running it leaves it."""
    DBTaskResult.objects.filter(pk=result.pk).update(
        status="RUNNING",
        started_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
        worker_ids=[f"dead-worker-{n}" for n in range(workers)],
        finished_at=None,
    )


def test_mail_left_running_by_dead_worker_is_sent_when_worker_starts_after_timeout(queue):
    queue_one()
    abandon(DBTaskResult.objects.get(), seconds_ago=301)

    run_worker()

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_task_running_shorter_than_timeout_is_left_alone_when_recovery_runs(queue):
    queue_one()
    abandon(DBTaskResult.objects.get(), seconds_ago=200)

    assert requeue_abandoned_tasks() == 0
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_mail_is_not_sent_again_when_worker_died_after_server_accepted_it(queue):
    queue_one()
    run_worker()
    assert len(mail.outbox) == 1
    # The worker died between the mail server's "250 OK" and marking the task finished.
    abandon(DBTaskResult.objects.get(), seconds_ago=301)

    run_worker()

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_retry_is_not_scheduled_twice_when_worker_died_after_scheduling_it(queue, settings):
    settings.MAILERS = DOWN
    queue_one()
    run_worker()
    first = DBTaskResult.objects.get(status="SUCCESSFUL")
    abandon(first, seconds_ago=301)
    make_due()
    settings.MAILERS = UP

    run_worker()

    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


def test_task_that_killed_its_worker_five_times_fails_when_recovery_runs(queue, caplog):
    queue_one()
    abandon(DBTaskResult.objects.get(), seconds_ago=301, workers=5)

    with caplog.at_level(logging.ERROR, logger="campaign.tasks"):
        run_worker()

    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "FAILED"
    assert any("killed its worker" in message for message in caplog.messages)
    record = OutgoingEmail.objects.get()
    assert record.status == OutgoingEmail.Status.FAILED
    assert record.last_error == "De worker stopte steeds tijdens het verzenden"


@pytest.mark.django_db
def test_coordinator_sees_failed_mail_in_dutch_when_opening_outgoing_mail(coordinator_client):
    OutgoingEmail.objects.create(
        recipients="ouder@example.org",
        subject="Welkom bij de masterclass",
        status=OutgoingEmail.Status.FAILED,
        attempts=1,
        last_error="Kan nooit verzonden worden: Invalid address",
    )
    OutgoingEmail.objects.create(recipients="juf@example.org", subject="Bedankt")
    url = reverse("admin:campaign_outgoingemail_changelist")

    response = coordinator_client.get(url, {"status__exact": "failed"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Mislukt" in content
    assert "ouder@example.org" in content
    assert "Kan nooit verzonden worden" in content
    assert "juf@example.org" not in content
    assert coordinator_client.get(reverse("admin:campaign_outgoingemail_add")).status_code == 403


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (ConnectionRefusedError("refused"), False),
        (TimeoutError("timed out"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPDataError(451, b"try again later"), False),
        (smtplib.SMTPSenderRefused(421, b"busy", "noreply@example.org"), False),
        (smtplib.SMTPSenderRefused(553, b"sender not allowed", "noreply@example.org"), False),
        (smtplib.SMTPHeloError(501, b"bad greeting"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"greylisted")}), False),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.org": (550, b"unknown"), "b@example.org": (450, b"busy")}
            ),
            False,
        ),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"unknown")}), True),
        (smtplib.SMTPDataError(554, b"rejected as spam"), True),
        (ValueError("Header values may not contain linefeed"), True),
        (ValueError("Invalid address 'not an address'"), True),
        (UnicodeEncodeError("ascii", "é", 0, 1, "not ascii"), True),
    ],
    ids=repr,
)
def test_failure_is_permanent_only_when_sending_again_cannot_help(error, permanent):
    assert is_permanent_failure(error) is permanent


class AcceptingHandler:
    def __init__(self):
        self.recipients = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp_mailer(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = AcceptingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield handler
    controller.stop()


def test_mail_to_invalid_address_fails_at_once_when_sent_over_smtp(queue, smtp_mailer):
    queue_one(to=["geen adres"])
    queue_one(to=["ouder@example.org"])

    run_worker()

    assert smtp_mailer.recipients == ["ouder@example.org"]
    statuses = dict(OutgoingEmail.objects.values_list("recipients", "status"))
    assert statuses == {"geen adres": "failed", "ouder@example.org": "sent"}
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_old_mail_history_is_deleted_and_waiting_mail_kept_when_pruned(queue, settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    queue_one(subject="Oud")
    queue_one(subject="Nieuw")
    run_worker()
    long_ago = timezone.now() - dt.timedelta(days=31)
    OutgoingEmail.objects.filter(subject="Oud").update(queued_at=long_ago)
    DBTaskResult.objects.filter(args_kwargs__args__0__subject="Oud").update(finished_at=long_ago)
    settings.MAILERS = DOWN
    queue_one(subject="Wacht")
    run_worker()
    OutgoingEmail.objects.filter(subject="Wacht").update(queued_at=long_ago)

    call_command("prune_mail_history", "--dry-run", stdout=io.StringIO())
    assert OutgoingEmail.objects.count() == 3
    call_command("prune_mail_history", stdout=io.StringIO())

    assert set(OutgoingEmail.objects.values_list("subject", flat=True)) == {"Nieuw", "Wacht"}
    subjects = [r.args_kwargs["args"][0]["subject"] for r in DBTaskResult.objects.all()]
    assert sorted(subjects) == ["Nieuw", "Wacht", "Wacht"]
