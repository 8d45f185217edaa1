"""Publication state shared by everything public (a status and a publication date), and the
daily turn that gives every school and company its share of the top of a list."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")


def published_through(relation: str) -> models.Q:
    """The ``published()`` rule across a relation, e.g. ``published_through("round")``."""
    return models.Q(
        **{
            f"{relation}__status": PublicationStatus.PUBLISHED,
            f"{relation}__published_at__lte": timezone.now(),
        }
    )


def rotate_for_day(items: list, day: dt.date) -> list:
    """Every item takes its turn at the top: the list shifts by one place each day."""
    if not items:
        return items
    offset = day.toordinal() % len(items)
    return items[offset:] + items[:offset]


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Rows the public may see now: published, with a publication date not in the future."""
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())


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
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
