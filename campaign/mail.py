"""Queue e-mail on the durable task queue: rendered now, sent by the worker."""

from django.template.loader import render_to_string
from django.utils import translation

from campaign.context_processors import current_site_name
from campaign.models import OutgoingEmail
from campaign.plaintext import single_line
from campaign.tasks import deliver_email


def queue_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    reply_to: list[str] | None = None,
    attachments: list[dict] | None = None,
) -> None:
    """Render a plain-text e-mail from ``template`` and enqueue it for delivery.

    Call it inside the transaction that saves the data the mail is about: with the
    database-backed queue the task row commits together with that data, so a mail is
    never promised for data that was not saved, nor lost when the mail server is down.
    The ``OutgoingEmail`` record, saved in that transaction too, gives the mail the key
    that keeps it from being sent twice and shows coordinators what became of it.
    """
    if not context.get("site_name"):
        context = {**context, "site_name": current_site_name()}
    with translation.override("nl"):
        body = render_to_string(template, context).strip() + "\n"
    # A break in a header ends it: Django would refuse to send the mail at all.
    subject = single_line(subject)
    record = OutgoingEmail.objects.create(recipients=", ".join(to), subject=subject)
    deliver_email.enqueue(
        {
            "id": str(record.pk),
            "to": list(to),
            "subject": subject,
            "body": body,
            "reply_to": list(reply_to or []),
            "attachments": list(attachments or []),
        }
    )
