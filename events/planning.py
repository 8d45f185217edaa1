"""Planning a masterclass round: copying last round's sessions into a new draft round, and
which school's turn it is to host."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaign.models import Storyline
from campaign.publishing import PublicationStatus
from events.models import MasterclassRound, Session
from schools.models import School


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


# The circus passes every partner school at least once a year; the fewest-hostings reason
# looks back this many rounds (two years at two rounds a year).
HOSTING_YEAR = dt.timedelta(days=365)
RECENT_ROUNDS = 4


@dataclass
class HostCandidate:
    """One school in the host suggestion, with what decides its place."""

    school: School
    last_hosted: dt.datetime | None
    recent_hostings: int
    fitting_storylines: list = field(default_factory=list)
    hosting_now: int = 0
    is_overdue: bool = False
    has_round_storylines: bool = False

    @property
    def is_suggested(self) -> bool:
        return not self.hosting_now

    def reasons(self) -> list[str]:
        """Why the school stands where it stands, in the order that decides it."""
        reasons = []
        if self.hosting_now:
            reasons.append(
                ngettext(
                    "al gastschool voor %(n)d masterclass in deze ronde",
                    "al gastschool voor %(n)d masterclasses in deze ronde",
                    self.hosting_now,
                )
                % {"n": self.hosting_now}
            )
        if self.is_overdue:
            reasons.append(_("een jaar of langer geen gastschool en niet ingepland"))
        reasons.append(
            ngettext(
                "%(n)d keer gastschool in de laatste %(rounds)d rondes",
                "%(n)d keer gastschool in de laatste %(rounds)d rondes",
                self.recent_hostings,
            )
            % {"n": self.recent_hostings, "rounds": RECENT_ROUNDS}
        )
        if self.last_hosted is None:
            reasons.append(_("nog nooit gastschool"))
        else:
            reasons.append(
                _("laatst gastschool op %(date)s")
                % {"date": date_format(timezone.localtime(self.last_hosted), "j F Y")}
            )
        if self.fitting_storylines:
            reasons.append(
                _("past bij %(storylines)s")
                % {"storylines": ", ".join(s.title for s in self.fitting_storylines)}
            )
        elif self.has_round_storylines:
            reasons.append(_("geen verhaallijn van deze ronde"))
        return reasons


def overdue_host_ids(*, now=None) -> set[int]:
    """Schools that hosted no public session in the last 12 months and have no session
    (of any status) still to come: the circus must pass them this year."""
    now = now or timezone.now()
    return set(
        School.objects.annotate(
            hosted_last_year=Count(
                "hosted_sessions",
                filter=Q(
                    hosted_sessions__status=PublicationStatus.PUBLISHED,
                    hosted_sessions__starts_at__gte=now - HOSTING_YEAR,
                    hosted_sessions__starts_at__lte=now,
                ),
            ),
            planned=Count("hosted_sessions", filter=Q(hosted_sessions__starts_at__gt=now)),
        )
        .filter(hosted_last_year=0, planned=0)
        .values_list("pk", flat=True)
    )


def host_order(*, masterclass_round: MasterclassRound | None = None, now=None):
    """Every school, in the order it should host the round (or the next one).

    Overdue schools first (see ``overdue_host_ids``), then the fewest sessions hosted in the
    last ``RECENT_ROUNDS`` rounds before this one, then who hosted longest ago (never first),
    then the best fit with the storylines already planned in the round, then the name.
    Schools that already host in the round come last.
    """
    now = now or timezone.now()
    before = masterclass_round.starts_on if masterclass_round else timezone.localdate(now)
    recent_rounds = list(
        MasterclassRound.objects.filter(starts_on__lt=before)
        .order_by("-starts_on", "-pk")
        .values_list("pk", flat=True)[:RECENT_ROUNDS]
    )
    held = Q(
        hosted_sessions__status=PublicationStatus.PUBLISHED,
        hosted_sessions__round__starts_on__lt=before,
    )
    in_round = Q(hosted_sessions__round=masterclass_round) if masterclass_round else Q(pk__in=[])
    schools = (
        School.objects.annotate(
            last_hosted=Max("hosted_sessions__starts_at", filter=held),
            recent_hostings=Count(
                "hosted_sessions", filter=held & Q(hosted_sessions__round__in=recent_rounds)
            ),
            hosting_now=Count("hosted_sessions", filter=in_round),
        )
        .prefetch_related(Prefetch("storylines", queryset=Storyline.objects.order_by("order")))
        .order_by("name", "pk")
    )
    round_storylines = (
        set(masterclass_round.sessions.values_list("storyline_id", flat=True))
        if masterclass_round
        else set()
    )
    overdue = overdue_host_ids(now=now)
    candidates = [
        HostCandidate(
            school=school,
            last_hosted=school.last_hosted,
            recent_hostings=school.recent_hostings,
            fitting_storylines=[s for s in school.storylines.all() if s.pk in round_storylines],
            hosting_now=school.hosting_now,
            is_overdue=school.pk in overdue,
            has_round_storylines=bool(round_storylines),
        )
        for school in schools
    ]
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(
        candidates,
        key=lambda c: (
            c.hosting_now > 0,
            not c.is_overdue,
            c.recent_hostings,
            c.last_hosted or never,
            -len(c.fitting_storylines),
        ),
    )
