"""Writes around school news: submission, moderation and the private submission link."""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from campaign.history import record_history
from campaign.mail import queue_email
from campaign.models import Photo
from campaign.richtext import plain_text_to_html
from campaign.seo import absolute_url
from schools.models import NewsItem, School

logger = logging.getLogger(__name__)


class ModerationError(Exception):
    """A moderation step that the item's current status does not allow."""


def news_slug_base(title: str) -> str:
    return slugify(title)[:150] or "nieuws"


def unique_news_slug(title: str) -> str:
    """The title's slug, numbered when taken; free now, not necessarily at the insert."""
    base = news_slug_base(title)
    slug = base
    suffix = 2
    while NewsItem.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _create_with_free_slug(**fields) -> NewsItem:
    """Insert a news item under a slug that is free at the moment of the insert.

    Two schools sending the same title at the same moment both pass the check in
    ``unique_news_slug``; the unique index then refuses the second insert. That one
    gets a random suffix instead of an error, so both messages are kept.
    """
    slug = unique_news_slug(fields["title"])
    try:
        with transaction.atomic():
            return NewsItem.objects.create(slug=slug, **fields)
    except IntegrityError:
        if not NewsItem.objects.filter(slug=slug).exists():
            raise  # another rule was broken, not the slug's
    slug = f"{news_slug_base(fields['title'])}-{uuid.uuid4().hex[:8]}"
    return NewsItem.objects.create(slug=slug, **fields)


def submit_news_item(
    *,
    school: School,
    title: str,
    text: str,
    submitter_name: str,
    submitter_email: str,
    image=None,
    image_alt: str = "",
) -> NewsItem:
    """Store a school's news as submitted, then queue mail to the sender and the coordinators."""
    with transaction.atomic():
        item = _create_with_free_slug(
            school=school,
            title=title,
            summary=Truncator(" ".join(text.split())).chars(280),
            body=plain_text_to_html(text),
            status=NewsItem.Status.SUBMITTED,
            submitter_name=submitter_name,
            submitter_email=submitter_email,
        )
        record_history(
            item,
            comment=_("Ingestuurd door %(name)s.") % {"name": submitter_name},
            via_website=True,
        )
        context = {"item": item, "school": school}
        queue_email(
            to=[submitter_email],
            subject=_("Ontvangen: %(title)s") % {"title": title},
            template="emails/schools/news_received.txt",
            context=context,
        )
        queue_email(
            to=settings.COORDINATOR_EMAILS,
            subject=_("Nieuw nieuwsbericht van %(school)s") % {"school": school.name},
            template="emails/schools/news_to_moderate.txt",
            context={
                **context,
                "admin_url": absolute_url(
                    f"/{settings.ADMIN_URL_PATH}schools/newsitem/{item.pk}/change/"
                ),
            },
            reply_to=[submitter_email],
        )
    if image:
        # The item is saved already; a failing image step must not lose the news.
        # The form's statement covers the parents' consent: the submitter declared it.
        attach_news_image(
            item=item,
            image=image,
            image_alt=image_alt,
            consent_declared_by=f"{submitter_name} <{submitter_email}>",
        )
    return item


def attach_news_image(*, item: NewsItem, image, image_alt: str, consent_declared_by: str) -> bool:
    """Store the photo with the item (the field stores a clean copy) and record the consent.

    Returns False if the photo could not be stored.
    """
    try:
        with transaction.atomic():
            item.image.save(image.name, image, save=False)
            item.image_alt = image_alt.strip()
            item.save(update_fields=["image", "image_alt", "updated_at"])
            Photo.objects.filter(file=item.image.name).update(
                consent_declared_by=consent_declared_by[:250],
                consent_declared_at=timezone.now(),
            )
    except (OSError, ValidationError):
        logger.exception("Could not store the photo of news item %s", item.pk)
        return False
    return True


def approve_news_item(*, item: NewsItem, published_at=None) -> NewsItem:
    """Publish an item now or at ``published_at``, and tell the submitter."""
    with transaction.atomic():
        item = NewsItem.objects.select_for_update().get(pk=item.pk)
        if item.status == NewsItem.Status.PUBLISHED:
            raise ModerationError(_("Dit bericht is al gepubliceerd."))
        item.status = NewsItem.Status.PUBLISHED
        item.published_at = published_at or timezone.now()
        item.rejection_reason = ""
        item.save(update_fields=["status", "published_at", "rejection_reason", "updated_at"])
        record_history(
            item,
            comment=_("Goedgekeurd en gepubliceerd per %(date)s.")
            % {"date": date_format(timezone.localtime(item.published_at), "DATETIME_FORMAT")},
        )
        if item.submitter_email:
            queue_email(
                to=[item.submitter_email],
                subject=_("Gepubliceerd: %(title)s") % {"title": item.title},
                template="emails/schools/news_published.txt",
                context={"item": item, "url": absolute_url(item.get_absolute_url())},
            )
    return item


def reject_news_item(*, item: NewsItem, reason: str) -> NewsItem:
    """Reject an item with a reason, and tell the submitter why."""
    reason = reason.strip()
    if not reason:
        raise ModerationError(_("Geef een reden bij een afwijzing."))
    with transaction.atomic():
        item = NewsItem.objects.select_for_update().get(pk=item.pk)
        if item.status == NewsItem.Status.REJECTED:
            raise ModerationError(_("Dit bericht is al afgewezen."))
        item.status = NewsItem.Status.REJECTED
        item.rejection_reason = reason
        item.save(update_fields=["status", "rejection_reason", "updated_at"])
        record_history(item, comment=_("Afgewezen. Reden: %(reason)s") % {"reason": reason})
        if item.submitter_email:
            queue_email(
                to=[item.submitter_email],
                subject=_("Niet geplaatst: %(title)s") % {"title": item.title},
                template="emails/schools/news_rejected.txt",
                context={"item": item},
                reply_to=settings.COORDINATOR_EMAILS,
            )
    return item


def renew_submission_token(*, school: School) -> School:
    """Give a school a new private submission link; the old link stops working at once."""
    school.renew_submission_token()
    with transaction.atomic():
        school.save(update_fields=["submission_token", "submission_token_renewed_at", "updated_at"])
        record_history(
            school, comment=_("Nieuwe link voor nieuws insturen; de oude werkt niet meer.")
        )
    return school
