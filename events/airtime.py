"""The airtime ledger: how much attention each school, company and storyline had in a period.

"Everyone gets airtime": partner schools compete for pupils, so the platform must be visibly
fair. This is the one place that counts it; the admin shows it (events/airtime_admin.py).

What counts, for a period of whole days [start, end] (Europe/Amsterdam), up to now:

- news: a school's news published in the period (``SchoolQuerySet.with_news_between``, the
  rule the moderation queue uses too);
- top days: days on which the school (company) stood first in the daily rotation of the
  school list (companies: the page for companies): ``rotate_for_day`` over the published
  rows by name. Rebuilt per day from today's rows: a row counts from its publication date
  until its "offline vanaf" date, with its present name and status (a school renamed, or in
  draft for a while, is seen as it is now), and the list as it stood at the start of the
  day. The school list filtered by profile rotates its own subset and is not counted;
- sessions: public sessions starting in the period that the school hosted (a company: that
  it took part in), with their confirmed pupils and partners
  (``events.figures.participants_by_session``, which also counts after the purge);
- posts: social posts *posted* in the period that feature the school or company
  (``SocialPost.featured``); planned and ready posts with their planned week in the period
  are shown apart and do not count towards the total;
- videos: published videos (publication date in the period) the school or company is in.

The total is the number of moments in the picture: news + sessions + posts + videos. Top days
and participants are shown beside it but not added: the rotation shares its days out by
itself, and participants follow from hosting.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from campaign.context_processors import get_active_campaign
from campaign.models import Audience, SocialPost, Storyline, Video
from campaign.publishing import PublicationStatus, is_public_now, rotate_for_day
from companies.models import Company
from events.figures import participants_by_session
from events.models import Session
from events.planning import overdue_host_ids
from schools.models import School

# Falling behind: less than this share of the fair share, in the total or in news.
BEHIND_SHARE = 0.5
# A storyline speaks to this many audiences: its messages are "n of these".
AUDIENCES = len(Audience.choices)
SCHOOL = "schools.school"
COMPANY = "companies.company"


@dataclass
class Airtime:
    """One row of the ledger: a school, a company or a storyline."""

    obj: object
    news: int = 0
    top_days: int = 0
    sessions: int = 0
    pupils: int = 0
    partners: int = 0
    posts: int = 0
    posts_planned: int = 0
    videos: int = 0
    messages: int = 0
    is_overdue_host: bool = False
    behind: list[str] = field(default_factory=list)
    # The total minus the fair share of the total (set with the table).
    gap: float = 0.0

    @property
    def total(self) -> int:
        return self.news + self.sessions + self.posts + self.videos

    @property
    def is_behind(self) -> bool:
        return bool(self.behind)


@dataclass
class Table:
    """The rows of one kind, with the fair share of each figure (the mean over the rows)."""

    rows: list[Airtime]
    fair: dict[str, float]


@dataclass
class Ledger:
    start: dt.date
    end: dt.date
    counted_until: dt.date
    schools: Table
    companies: Table
    storylines: Table


FIGURES = (
    "news",
    "top_days",
    "sessions",
    "pupils",
    "partners",
    "posts",
    "posts_planned",
    "videos",
    "total",
)


def _fair(rows: list[Airtime]) -> dict[str, float]:
    if not rows:
        return dict.fromkeys(FIGURES, 0.0)
    return {name: sum(getattr(row, name) for row in rows) / len(rows) for name in FIGURES}


def _table(rows: list[Airtime], flagged: tuple[str, ...]) -> Table:
    """The rows with their fair shares, gaps and flags."""
    table = Table(rows, _fair(rows))
    for row in rows:
        row.gap = row.total - table.fair["total"]
        for name in flagged:
            fair = table.fair[name]
            if fair > 0 and getattr(row, name) < BEHIND_SHARE * fair:
                row.behind.append(name)
    return table


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def top_days(rows: list, days: list[dt.date]) -> Counter:
    """How many of ``days`` each row stood first in the daily rotation.

    ``rows``: every row with status "published", in the list's order (name, pk); whether a
    row was on the list is judged at the start of each day.
    """
    tops = Counter()
    for day in days:
        moment = _day_start(day)
        listed = [
            row
            for row in rows
            if row.published_at <= moment
            and (row.unpublish_at is None or row.unpublish_at > moment)
        ]
        if listed:
            tops[rotate_for_day(listed, day)[0].pk] += 1
    return tops


def build_ledger(*, start: dt.date, end: dt.date, now=None) -> Ledger:
    """Count every school's, company's and storyline's airtime in [start, end], up to ``now``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counted_until = min(end, today)
    start_at = _day_start(start)
    end_at = min(_day_start(end + dt.timedelta(days=1)), now)
    days = [start + dt.timedelta(days=n) for n in range((counted_until - start).days + 1)]

    # Published schools and companies, in the rotation's order; the ledger lists those
    # public now, the rotation also sees those that were public earlier in the period.
    all_schools = list(
        School.objects.filter(status=PublicationStatus.PUBLISHED)
        .with_news_between(start_at, end_at)
        .order_by("name", "pk")
    )
    all_companies = list(
        Company.objects.filter(status=PublicationStatus.PUBLISHED).order_by("name", "pk")
    )
    schools = {s.pk: Airtime(s, news=s.news_published) for s in all_schools if is_public_now(s)}
    companies = {c.pk: Airtime(c) for c in all_companies if is_public_now(c)}
    storylines = {
        s.pk: Airtime(s, messages=s.message_count)
        for s in Storyline.objects.published()
        .of_campaign(get_active_campaign())
        .annotate(message_count=Count("messages"))
        .order_by("order", "title")
    }

    for pk, days_on_top in top_days(all_schools, days).items():
        if pk in schools:
            schools[pk].top_days = days_on_top
    for pk, days_on_top in top_days(all_companies, days).items():
        if pk in companies:
            companies[pk].top_days = days_on_top

    _count_sessions(start_at, end_at, schools, companies, storylines)
    _count_posts(start, end, start_at, end_at, schools, companies, storylines)
    _count_videos(start_at, end_at, schools, companies, storylines)
    overdue = overdue_host_ids(now=now)
    for pk, row in schools.items():
        row.is_overdue_host = pk in overdue

    return Ledger(
        start=start,
        end=end,
        counted_until=counted_until,
        schools=_table(list(schools.values()), ("total", "news")),
        companies=_table(list(companies.values()), ("total",)),
        storylines=_table(list(storylines.values()), ("total",)),
    )


def _count_sessions(start_at, end_at, schools, companies, storylines) -> None:
    """Public sessions starting in the period, with the participants they received."""
    sessions = list(
        Session.objects.public()
        .filter(starts_at__gte=start_at, starts_at__lt=end_at)
        .values_list("pk", "host_school_id", "storyline_id")
    )
    ids = [pk for pk, _school, _storyline in sessions]
    participants = participants_by_session(ids)

    def add(row, session_id):
        if row is not None:
            row.sessions += 1
            row.pupils += participants[session_id]["pupils"]
            row.partners += participants[session_id]["partners"]

    for pk, school_id, storyline_id in sessions:
        add(schools.get(school_id), pk)
        add(storylines.get(storyline_id), pk)
    for pk, company_id in Session.companies.through.objects.filter(session_id__in=ids).values_list(
        "session_id", "company_id"
    ):
        add(companies.get(company_id), pk)


def _count_posts(start, end, start_at, end_at, schools, companies, storylines) -> None:
    """Posts posted in the period, and (apart) those planned in one of its weeks."""
    posted = SocialPost.objects.filter(
        status=SocialPost.Status.POSTED, posted_at__gte=start_at, posted_at__lt=end_at
    )
    planned = SocialPost.objects.exclude(status=SocialPost.Status.POSTED).filter(
        planned_week__gte=start - dt.timedelta(days=start.weekday()), planned_week__lte=end
    )
    featured_in = {SCHOOL: schools, COMPANY: companies}
    for posts, figure in ((posted, "posts"), (planned, "posts_planned")):
        for featured, storyline_id in posts.values_list("featured", "storyline_id"):
            rows = [storylines.get(storyline_id)]
            # A school named twice in one post is in that post once.
            for label, pk in {tuple(pair) for pair in featured if len(pair) == 2}:
                rows.append(featured_in.get(label, {}).get(pk))
            for row in rows:
                if row is not None:
                    setattr(row, figure, getattr(row, figure) + 1)


def _count_videos(start_at, end_at, schools, companies, storylines) -> None:
    """Videos published in the period, for the schools and companies they show."""
    videos = Video.objects.published().filter(published_at__gte=start_at, published_at__lt=end_at)
    shown = [
        (schools, School.videos.through.objects.filter(video__in=videos), "school_id"),
        (companies, Company.videos.through.objects.filter(video__in=videos), "company_id"),
        (storylines, videos, "storyline_id"),
    ]
    for rows, links, column in shown:
        for pk in links.values_list(column, flat=True):
            if pk in rows:
                rows[pk].videos += 1
