"""ISO weeks in local time (Europe/Amsterdam): the unit of the weekly "Deze week" page."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from campaign.models import SocialPost, Video, campaign_reverse
from campaign.sites import entered_prefix
from events.models import Session
from schools.models import NewsItem

# The sessions a week's page looks ahead to: that week and the five after it, as sign-up
# for a masterclass opens about a month ahead.
SESSION_WEEKS = 6
FIRST_YEAR = 2020


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @classmethod
    def containing(cls, day: dt.date) -> "Week":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def current(cls) -> "Week":
        return cls.containing(timezone.localdate())

    @classmethod
    def parse(cls, year: int, number: int) -> "Week | None":
        """The week, or None when the year has no such week (week 0, week 53 of most years)
        or lies before the site existed (nor can a week before year 1 be computed)."""
        if year < FIRST_YEAR:
            return None
        try:
            dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            return None
        return cls(year, number)

    def previous(self) -> "Week | None":
        """The week before, or None before the first week the site shows."""
        before = self - 1
        return before if before.year >= FIRST_YEAR else None

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def starts_at(self) -> dt.datetime:
        """Monday 00:00 local time, as an aware datetime (a DST change shifts the UTC hour)."""
        return timezone.make_aware(dt.datetime.combine(self.monday, dt.time.min))

    def ends_at(self, weeks: int = 1) -> dt.datetime:
        """The start of the Monday ``weeks`` weeks later: the exclusive end of a range."""
        return (self + weeks).starts_at

    def __add__(self, weeks: int) -> "Week":
        return Week.containing(self.monday + dt.timedelta(weeks=weeks))

    def __sub__(self, weeks: int) -> "Week":
        return self + (-weeks)

    def __lt__(self, other: "Week") -> bool:
        return (self.year, self.number) < (other.year, other.number)

    @property
    def slug(self) -> str:
        """As in the URL: ``2026-49``."""
        return f"{self.year}-{self.number:02d}"

    def get_absolute_url(self) -> str:
        # In the URL space of the campaign whose week page or feed this is.
        return campaign_reverse(
            "this-week-archive",
            entered_prefix(),
            {"year": str(self.year), "week": f"{self.number:02d}"},
        )


@dataclass
class WeekContent:
    """What the campaign did and plans in one week: the web version of the weekly post."""

    week: Week
    news_items: list
    sessions: list
    videos: list
    posts: list

    def __bool__(self):
        return bool(self.news_items or self.sessions or self.videos or self.posts)

    def cut(self, cards: int, posts: int) -> dict[str, int]:
        """Cuts the lists to a bounded page (``cards`` news items, sessions and films,
        ``posts`` posts) and returns how many of each were left off."""
        left_off = {
            "news_items": max(len(self.news_items) - cards, 0),
            "sessions": max(len(self.sessions) - cards, 0),
            "videos": max(len(self.videos) - cards, 0),
            "posts": max(len(self.posts) - posts, 0),
        }
        self.news_items = self.news_items[:cards]
        self.sessions = self.sessions[:cards]
        self.videos = self.videos[:cards]
        self.posts = self.posts[:posts]
        return left_off


def week_contents(first: Week, last: Week, campaign=None) -> list[WeekContent]:
    """The content of every week from ``first`` to ``last``, newest first, in four queries
    whatever the number of weeks: public news and films published in the week, public
    sessions starting in the week or the ``SESSION_WEEKS - 1`` after it, with their seats,
    and the social-media posts that went out in the week (with the address of each)."""
    start, end = first.starts_at, last.ends_at()
    news = list(NewsItem.objects.public().filter(published_at__gte=start, published_at__lt=end))
    videos = list(
        Video.objects.listed(campaign)
        .filter(published_at__gte=start, published_at__lt=end)
        .select_related("storyline")
        .order_by("-published_at", "-pk")
    )
    sessions = list(
        Session.objects.listed(campaign)
        .for_listing()
        .with_seats()
        .filter(starts_at__gte=start, starts_at__lt=last.ends_at(SESSION_WEEKS))
        .order_by("starts_at", "pk")
    )
    posts = SocialPost.objects.posted_between(start, end)
    posts = list(posts if campaign is None else posts.filter(campaign=campaign))
    now = timezone.now()
    for session in sessions:
        if session.ends_at < now:
            # Over: its free seats no longer mean anything.
            session.seats_left = None
    contents = []
    week = last
    while not week < first:
        week_start, week_end = week.starts_at, week.ends_at()
        contents.append(
            WeekContent(
                week=week,
                news_items=[n for n in news if week_start <= n.published_at < week_end],
                sessions=[
                    s for s in sessions if week_start <= s.starts_at < week.ends_at(SESSION_WEEKS)
                ],
                videos=[v for v in videos if week_start <= v.published_at < week_end],
                posts=[p for p in posts if week_start <= p.posted_at < week_end],
            )
        )
        week = week - 1
    return contents
