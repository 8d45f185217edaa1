"""Planning a masterclass round: copying last round's sessions into a new draft round."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaign.publishing import PublicationStatus
from events.models import MasterclassRound, Session


class PlanningError(Exception):
    """A copy the rules do not allow; the message is for people."""


def season_name(day: dt.date) -> str:
    """How rounds are called: "Voorjaar 2027" (January to June) or "Najaar 2027"."""
    season = _("Voorjaar") if day.month <= 6 else _("Najaar")
    return f"{season} {day.year}"


def unique_slug(model, base: str, *, max_length: int) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever ``model`` does not use yet."""
    base = base[:max_length].strip("-") or "ronde"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = f"{base[: max_length - len(suffix)].strip('-')}{suffix}"
    return slug


def _shift(moment: dt.datetime, days: int) -> dt.datetime:
    # On the local clock: 14:00 stays 14:00 when summer time begins or ends in between.
    local = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(local + dt.timedelta(days=days))


def copy_round(*, source: MasterclassRound, name: str, days: int) -> MasterclassRound:
    """Make a draft round with ``source``'s sessions, ``days`` later; no registrations."""
    if days <= 0:
        raise PlanningError(_("Een kopie moet later beginnen dan de ronde zelf."))
    max_slug = MasterclassRound._meta.get_field("slug").max_length
    with transaction.atomic():
        new_round = MasterclassRound.objects.create(
            name=name,
            slug=unique_slug(MasterclassRound, slugify(name), max_length=max_slug),
            starts_on=source.starts_on + dt.timedelta(days=days),
            ends_on=source.ends_on + dt.timedelta(days=days),
            description=source.description,
            campaign=source.campaign,
            status=PublicationStatus.DRAFT,
        )
        session_slug_length = Session._meta.get_field("slug").max_length
        for session in source.sessions.prefetch_related("companies"):
            companies = list(session.companies.all())
            old_slug = session.slug
            session.pk = session.id = None
            session._state.adding = True
            session.round = new_round
            session.status = PublicationStatus.DRAFT
            session.published_at = timezone.now()
            for field in (
                "starts_at",
                "ends_at",
                "registration_opens_at",
                "registration_closes_at",
            ):
                setattr(session, field, _shift(getattr(session, field), days))
            base = (
                old_slug.replace(source.slug, new_round.slug, 1)
                if source.slug in old_slug
                else f"{slugify(session.title)}-{new_round.slug}"
            )
            session.slug = unique_slug(Session, base, max_length=session_slug_length)
            session.save()
            session.companies.set(companies)
    return new_round
