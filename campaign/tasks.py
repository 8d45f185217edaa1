"""Background tasks shared by every app: durable e-mail delivery."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A mail server may be down for a while: retry with growing pauses for about two days.
MAX_ATTEMPTS = 12
MAX_RETRY_DELAY = dt.timedelta(hours=6)


def retry_delay(attempt: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2**attempt), MAX_RETRY_DELAY)


@task
def deliver_email(message: dict, attempt: int = 1) -> str:
    """Send one queued e-mail; when the mail server fails, put it back on the queue for later."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
        reply_to=message.get("reply_to") or None,
    )
    for attachment in message.get("attachments", []):
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        email.send()
    except Exception as error:
        # Any failure of the mail server (refused, timeout, auth): never lose the message.
        backend = deliver_email.get_backend()
        if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
            logger.error("E-mail %r to %s failed for good: %s", email.subject, email.to, error)
            raise
        run_after = timezone.now() + retry_delay(attempt)
        deliver_email.using(run_after=run_after).enqueue(message, attempt + 1)
        logger.warning(
            "E-mail %r to %s failed (attempt %s), retry after %s: %s",
            email.subject,
            email.to,
            attempt,
            run_after.isoformat(),
            error,
        )
        return "retry"
    return "sent"
