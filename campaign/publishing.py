"""Publication state shared by everything public (a status and a publication date), and the
daily turn that gives every school and company its share of the top of a list."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")


def published_through(relation: str) -> models.Q:
    """The ``published()`` rule across a relation, e.g. ``published_through("round")``;
    ``published_through("")`` is the rule for the row itself."""
    prefix = f"{relation}__" if relation else ""
    now = timezone.now()
    return models.Q(
        **{
            f"{prefix}status": PublicationStatus.PUBLISHED,
            f"{prefix}published_at__lte": now,
        }
    ) & (
        models.Q(**{f"{prefix}unpublish_at__isnull": True})
        | models.Q(**{f"{prefix}unpublish_at__gt": now})
    )


def is_public_now(obj) -> bool:
    """The ``published()`` rule for one row already in memory."""
    now = timezone.now()
    return (
        obj.status == PublicationStatus.PUBLISHED
        and obj.published_at is not None
        and obj.published_at <= now
        and (obj.unpublish_at is None or obj.unpublish_at > now)
    )


def unpublish_at_field():
    """The "offline vanaf" date: nullable, so that most content simply stays online."""
    return models.DateTimeField(
        _("offline vanaf"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Leeg laten om online te blijven. Vanaf dit moment niet meer zichtbaar."),
    )


def validate_publication_window(obj) -> None:
    """An "offline vanaf" date comes after the publication date, or nothing is ever shown."""
    if obj.unpublish_at and obj.published_at and obj.unpublish_at <= obj.published_at:
        raise ValidationError(
            {"unpublish_at": _("Kies voor ‘offline vanaf’ een moment ná de publicatiedatum.")}
        )


def rotate_for_day(items: list, day: dt.date) -> list:
    """Every item takes its turn at the top: the list shifts by one place each day."""
    if not items:
        return items
    offset = day.toordinal() % len(items)
    return items[offset:] + items[:offset]


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Rows the public may see now: published, with a publication date not in the future
        and an "offline vanaf" date, if any, still to come."""
        return self.filter(published_through(""))

    def going_live_between(self, start, end):
        """Published rows whose publication date falls in [start, end): they appear then."""
        return self.filter(
            status=PublicationStatus.PUBLISHED, published_at__gte=start, published_at__lt=end
        ).order_by("published_at", "pk")

    def going_offline_between(self, start, end):
        """Published rows whose "offline vanaf" date falls in [start, end): they disappear then."""
        return self.filter(
            status=PublicationStatus.PUBLISHED, unpublish_at__gte=start, unpublish_at__lt=end
        ).order_by("unpublish_at", "pk")


class Publishable(models.Model):
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(
        _("publicatiedatum"),
        default=timezone.now,
        help_text=_("Pas vanaf dit moment zichtbaar voor bezoekers."),
    )
    unpublish_at = unpublish_at_field()
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return is_public_now(self)

    def clean(self):
        super().clean()
        validate_publication_window(self)
