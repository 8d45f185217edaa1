"""The programme's figures: per round or per year, for the partnership's accountability.

Counts only, never names of people. Masterclass sign-ups come from ``events.figures``
(live registrations and the anonymous counts kept after the purge, read the same way), so
the report is the same before and after the purge. A fixed number of queries, whatever the
number of sessions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import SocialPost
from campaign.publishing import PublicationStatus
from companies.models import Contribution
from events.figures import participation
from events.models import (
    Attendance,
    MasterclassRound,
    OrganisationType,
    Registration,
    Session,
    SessionAudience,
)
from schools.models import NewsItem, School


@dataclass(frozen=True)
class Period:
    """A year, or one round; news, posts and contributions count by the dates it spans."""

    label: str
    first_day: dt.date
    last_day: dt.date
    round: MasterclassRound | None = None

    @classmethod
    def for_year(cls, year: int) -> "Period":
        return cls(label=str(year), first_day=dt.date(year, 1, 1), last_day=dt.date(year, 12, 31))

    @classmethod
    def for_round(cls, masterclass_round: MasterclassRound) -> "Period":
        return cls(
            label=masterclass_round.name,
            first_day=masterclass_round.starts_on,
            last_day=masterclass_round.ends_on,
            round=masterclass_round,
        )

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """From the first day's midnight up to (not including) the midnight after the last."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.first_day, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end

    def sessions(self):
        """The sessions the period reports on: published ones, of the round or starting in it."""
        sessions = Session.objects.filter(status=PublicationStatus.PUBLISHED)
        if self.round is not None:
            return sessions.filter(round=self.round)
        start, end = self.moments
        return sessions.filter(starts_at__gte=start, starts_at__lt=end)


@dataclass
class Tally:
    """The masterclass figures of one line of the report."""

    sessions: int = 0
    pupil_seats: int = 0
    partner_seats: int = 0
    bookings: int = 0  # confirmed sign-ups: a child, a class or a partner each count one
    pupils: int = 0  # confirmed pupils
    partners: int = 0  # confirmed partners
    attended: int = 0  # people checked in present
    absent: int = 0  # people checked in absent
    waitlisted: int = 0  # people on the waiting list
    cancelled: int = 0  # cancelled sign-ups

    def add_session(self, session: Session) -> None:
        self.sessions += 1
        self.pupil_seats += session.seats
        self.partner_seats += session.partner_seats

    def add_count(self, key, bookings: int, people: int) -> None:
        if key.status == Registration.Status.CONFIRMED:
            self.bookings += bookings
            if key.kind == Registration.Kind.PARTNER:
                self.partners += people
            else:
                self.pupils += people
            if key.attended == Attendance.YES:
                self.attended += people
            elif key.attended == Attendance.NO:
                self.absent += people
        elif key.status == Registration.Status.WAITLISTED:
            self.waitlisted += people
        else:
            self.cancelled += bookings


@dataclass
class Line:
    label: str
    tally: Tally = field(default_factory=Tally)


@dataclass
class CountLine:
    label: str
    count: int
    quantity: int | None = None
    detail: str = ""


@dataclass
class Report:
    period: Period
    total: Tally
    by_round: list[Line]
    by_school: list[Line]
    by_storyline: list[Line]
    by_audience: list[Line]
    by_organisation_type: list[Line]
    news_by_school: list[CountLine]
    posts_by_channel: list[CountLine]
    contributions_by_kind: list[CountLine]
    contributions_by_company: list[CountLine]


def _lines(groups: dict) -> list[Line]:
    return sorted(groups.values(), key=lambda line: line.label.casefold())


def build_report(period: Period) -> Report:
    """Every figure of the report for ``period``; seven queries, whatever the amount of data."""
    sessions = list(
        period.sessions()
        .select_related("round", "host_school", "storyline")
        .order_by("starts_at", "pk")
    )
    by_id = {session.pk: session for session in sessions}
    total = Tally()
    rounds, schools, storylines = {}, {}, {}
    audiences = {
        value: Line(str(label))
        for value, label in SessionAudience.choices  # every audience, also when empty
    }

    def lines_of(session):
        return (
            rounds.setdefault(session.round_id, Line(session.round.name)),
            schools.setdefault(session.host_school_id, Line(session.host_school.name)),
            storylines.setdefault(session.storyline_id, Line(session.storyline.title)),
            audiences[session.audience_type],
        )

    for session in sessions:
        total.add_session(session)
        for line in lines_of(session):
            line.tally.add_session(session)
    organisations = {value: Line(str(label)) for value, label in OrganisationType.choices}
    # A subquery, not a list of ids: no limit on the number of sessions in one statement.
    for key, (bookings, people) in participation(period.sessions().values("pk")).items():
        session = by_id[key.session_id]
        total.add_count(key, bookings, people)
        for line in lines_of(session):
            line.tally.add_count(key, bookings, people)
        if key.kind == Registration.Kind.PARTNER and key.organisation_type in organisations:
            organisations[key.organisation_type].tally.add_count(key, bookings, people)

    by_kind, by_company = contributions(period)
    return Report(
        period=period,
        total=total,
        by_round=list(rounds.values()),  # in the order the rounds began
        by_school=_lines(schools),
        by_storyline=_lines(storylines),
        by_audience=list(audiences.values()),
        by_organisation_type=list(organisations.values()),
        news_by_school=news_by_school(period),
        posts_by_channel=posts_by_channel(period),
        contributions_by_kind=by_kind,
        contributions_by_company=by_company,
    )


def news_by_school(period: Period) -> list[CountLine]:
    """Published news per school in the period; every published school, also with none."""
    start, end = period.moments
    in_period = Q(
        news_items__status=NewsItem.Status.PUBLISHED,
        news_items__published_at__gte=start,
        news_items__published_at__lt=end,
    )
    schools = (
        School.objects.annotate(news=Count("news_items", filter=in_period))
        .filter(Q(status=PublicationStatus.PUBLISHED) | Q(news__gt=0))
        .order_by("name")
    )
    lines = [CountLine(school.name, school.news) for school in schools]
    regional = NewsItem.objects.filter(
        school__isnull=True,
        status=NewsItem.Status.PUBLISHED,
        published_at__gte=start,
        published_at__lt=end,
    ).count()
    lines.append(CountLine(_("Regionaal nieuws (geen school)"), regional))
    return lines


def posts_by_channel(period: Period) -> list[CountLine]:
    """Social posts that went out in the period, per channel; every channel, also with none."""
    start, end = period.moments
    counts = dict(
        SocialPost.objects.filter(
            status=SocialPost.Status.POSTED, posted_at__gte=start, posted_at__lt=end
        )
        .order_by()
        .values_list("channel")
        .annotate(count=Count("pk"))
    )
    return [
        CountLine(str(label), counts.get(value, 0)) for value, label in SocialPost.Channel.choices
    ]


def contributions(period: Period) -> tuple[list[CountLine], list[CountLine]]:
    """Company contributions dated in the period: per kind (every kind, also with none), and
    which company gave what (a line per company and kind). One query."""
    kinds = dict(Contribution.Kind.choices)
    rows = sorted(
        Contribution.objects.between(period.first_day, period.last_day)
        .order_by()
        .values("company__name", "kind")
        .annotate(count=Count("pk"), quantity=Sum("quantity")),
        key=lambda row: (row["company__name"].casefold(), str(kinds[row["kind"]])),
    )
    by_kind = {value: CountLine(str(label), 0, 0) for value, label in kinds.items()}
    for row in rows:
        by_kind[row["kind"]].count += row["count"]
        by_kind[row["kind"]].quantity += row["quantity"]
    by_company = [
        CountLine(row["company__name"], row["count"], row["quantity"], str(kinds[row["kind"]]))
        for row in rows
    ]
    return list(by_kind.values()), by_company
