"""Background tasks shared by every app: durable e-mail delivery, and recovery after crashes."""

import datetime as dt
import logging
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from campaign import renditions
from campaign.models import OutgoingEmail

logger = logging.getLogger(__name__)

# A mail server may be down for a while: keep trying for about two days, but never pause
# longer than two minutes, so mail follows soon after the server is back.
RETRY_FOR = dt.timedelta(days=2)
FIRST_RETRY_DELAY = dt.timedelta(seconds=15)
MAX_RETRY_DELAY = dt.timedelta(minutes=2)
# A task that was running each time its worker died this often is not tried again:
# it is probably what kills the worker (out of memory).
MAX_CLAIMS = 5


class PermanentMailError(Exception):
    """The mail can never be sent as it is (a broken header, an address the server refuses)."""


class WorkerLost(Exception):
    """The worker process died each time it ran this task (recorded, never raised)."""


def retry_delay(attempt: int) -> dt.timedelta:
    """15 s, 30 s, 1 min, then every 2 min."""
    # The exponent is capped: past the cap the result is the same, and 2**n overflows.
    return min(FIRST_RETRY_DELAY * 2 ** min(attempt - 1, 10), MAX_RETRY_DELAY)


def is_permanent_failure(error: Exception) -> bool:
    """True when sending again cannot help; false for a server that is down, slow or busy."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    if isinstance(
        error,
        smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused | smtplib.SMTPHeloError,
    ):
        # Credentials, sender address, greeting: the site's own configuration, not this
        # mail's fault. Once it is fixed, every waiting mail can go.
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    # A header with a line break (ValueError, formerly BadHeaderError), an address that is no
    # address, text that cannot be encoded: the message itself is broken.
    return isinstance(error, ValueError | TypeError)


def _build_email(message: dict) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
        reply_to=message.get("reply_to") or None,
    )
    for attachment in message.get("attachments", []):
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def _record_for(message: dict) -> OutgoingEmail:
    # Messages queued before the record existed carry no id: give them one now.
    message.setdefault("id", str(uuid.uuid4()))
    record, _created = OutgoingEmail.objects.get_or_create(
        id=message["id"],
        defaults={
            "recipients": ", ".join(message["to"]),
            "subject": message["subject"],
        },
    )
    return record


def _mark_failed(record: OutgoingEmail, reason: str, error: Exception) -> None:
    OutgoingEmail.objects.filter(pk=record.pk).update(
        status=OutgoingEmail.Status.FAILED,
        attempts=record.attempts + 1,
        last_error=f"{reason}: {error}",
        failed_at=timezone.now(),
        next_attempt_at=None,
    )


@task(takes_context=True)
def deliver_email(
    context, message: dict, attempt: int = 1, previous_result_id: str | None = None
) -> str:
    """Send one queued e-mail once: retry while the mail server fails, fail at once when
    the message itself can never be sent."""
    if previous_result_id:
        # Each retry is a new task row; the finished row of the attempt before it holds
        # nothing the record does not, and two days of retries would pile up rows.
        DBTaskResult.objects.filter(
            pk=previous_result_id, status=TaskResultStatus.SUCCESSFUL
        ).delete()
    record = _record_for(message)
    if record.status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
        # Run again after a crash (or twice by a race): the outcome is already known.
        logger.info(
            "E-mail %s (%r) was already handled (%s).", record.pk, record.subject, record.status
        )
        return f"already {record.status}"
    if record.attempts >= attempt:
        # This attempt ran before and scheduled the next one; a worker died before it
        # could mark the task finished. The next attempt carries on.
        logger.info("E-mail %s: attempt %s ran before, skipped.", record.pk, attempt)
        return "duplicate attempt"

    try:
        _build_email(message).send()
    except Exception as error:
        if is_permanent_failure(error):
            _mark_failed(record, gettext("Kan nooit verzonden worden"), error)
            logger.error(
                "E-mail %s (%r to %s) can never be sent, not retried: %r",
                record.pk,
                record.subject,
                record.recipients,
                error,
            )
            raise PermanentMailError(str(error)) from error
        backend = deliver_email.get_backend()
        run_after = timezone.now() + retry_delay(attempt)
        if run_after > record.queued_at + RETRY_FOR or not backend.supports_defer:
            _mark_failed(record, gettext("Mailserver bleef onbereikbaar"), error)
            logger.error(
                "E-mail %s (%r to %s) failed for good after %s attempts: %r",
                record.pk,
                record.subject,
                record.recipients,
                attempt,
                error,
            )
            raise
        # One transaction: the next attempt exists exactly when this one is recorded.
        with transaction.atomic():
            deliver_email.using(run_after=run_after).enqueue(
                message, attempt + 1, previous_result_id=context.task_result.id
            )
            OutgoingEmail.objects.filter(pk=record.pk).update(
                status=OutgoingEmail.Status.RETRYING,
                attempts=attempt,
                last_error=repr(error),
                next_attempt_at=run_after,
            )
        logger.warning(
            "E-mail %s (%r to %s) failed (attempt %s), retry after %s: %r",
            record.pk,
            record.subject,
            record.recipients,
            attempt,
            run_after.isoformat(),
            error,
        )
        return "retry"

    # Recorded (committed) right after the server accepted the mail: a crash between the
    # two is the only way left to send it twice.
    OutgoingEmail.objects.filter(pk=record.pk).update(
        status=OutgoingEmail.Status.SENT,
        attempts=attempt,
        sent_at=timezone.now(),
        next_attempt_at=None,
    )
    return "sent"


def requeue_abandoned_tasks(*, now: dt.datetime | None = None) -> int:
    """Put tasks left "running" by a dead worker back on the queue; returns how many.

    A task counts as abandoned when it has been running for longer than
    ``TASK_RUNNING_TIMEOUT`` seconds, which must be longer than any task really takes.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)
    requeued = 0
    abandoned = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for result in abandoned.only("id", "started_at", "worker_ids", "task_path", "args_kwargs"):
        # Only the row as we saw it: a worker that finishes it meanwhile wins.
        still_abandoned = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= MAX_CLAIMS:
            failed = still_abandoned.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"The worker died {len(result.worker_ids)} times running this task.",
            )
            if failed and result.task_path == f"{__name__}.deliver_email":
                message = result.args_kwargs["args"][0]
                OutgoingEmail.objects.filter(pk=message.get("id")).update(
                    status=OutgoingEmail.Status.FAILED,
                    last_error=gettext("De worker stopte steeds tijdens het verzenden"),
                    failed_at=now,
                    next_attempt_at=None,
                )
            if failed:
                logger.error(
                    "Task %s (%s) killed its worker %s times; not tried again.",
                    result.pk,
                    result.task_path,
                    len(result.worker_ids),
                )
            continue
        if still_abandoned.update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning(
                "Task %s (%s) was left running by a dead worker since %s; queued again.",
                result.pk,
                result.task_path,
                result.started_at.isoformat(),
            )
    return requeued


@task()
def make_renditions(name: str) -> int:
    """Make every rendition of a newly stored image before a visitor asks for one."""
    return renditions.make_renditions(name)
