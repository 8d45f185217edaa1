"""Site search over storylines, schools, companies, masterclasses and news (public rows only).

On PostgreSQL: full-text search with the Dutch configuration (stemming: "robots" finds
"robot"), ranked, plus a plain substring match on the title so that a half-typed word
still finds something. On SQLite: every word must occur in one of the fields.
One query per group, whatever is searched.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from campaign.models import Storyline
from companies.models import Company
from events.models import Session
from schools.models import NewsItem, School

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
RESULTS_PER_GROUP = 12
# Control characters (NUL above all: PostgreSQL refuses it in a string) never reach the DB.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw: str) -> str:
    """The visitor's query, made harmless for the database: no control characters, short."""
    query = CONTROL_CHARACTERS.sub(" ", raw or "")
    query = " ".join(query.split())
    return query[:MAX_QUERY_LENGTH].strip()


@dataclass
class Group:
    key: str
    label: str
    queryset: object
    title_field: str
    # (field, weight) pairs; weight A is the most important.
    fields: list[tuple[str, str]]
    # Order among equally ranked results (and on SQLite, where nothing is ranked).
    order: tuple[str, ...] = ()
    results: list = field(default_factory=list)

    @property
    def ordering(self) -> tuple[str, ...]:
        return (*(self.order or (self.title_field,)), "pk")


def groups():
    return [
        Group(
            "storylines",
            _("Verhaallijnen"),
            Storyline.objects.published().select_related("campaign"),
            "title",
            [("title", "A"), ("pupil_text", "B")],
        ),
        Group(
            "sessions",
            _("Masterclasses"),
            Session.objects.public().upcoming().select_related("host_school", "storyline", "round"),
            "title",
            [
                ("title", "A"),
                ("summary", "B"),
                ("storyline__title", "B"),
                ("host_school__name", "B"),
                ("description", "C"),
            ],
            order=("starts_at",),
        ),
        Group(
            "schools",
            _("Scholen"),
            School.objects.published(),
            "name",
            [
                ("name", "A"),
                ("town", "B"),
                ("summary", "B"),
                ("learning_paths", "C"),
                ("description", "C"),
            ],
        ),
        Group(
            "companies",
            _("Bedrijven"),
            Company.objects.published(),
            "name",
            [("name", "A"), ("sector", "B"), ("town", "B"), ("summary", "B"), ("description", "C")],
        ),
        Group(
            "news",
            _("Nieuws"),
            NewsItem.objects.public(),
            "title",
            [("title", "A"), ("summary", "B"), ("school__name", "B"), ("body", "C")],
            order=("-published_at",),
        ),
    ]


def _full_text(group: Group, query: str):
    vector = None
    for name, weight in group.fields:
        part = SearchVector(name, weight=weight, config="dutch")
        vector = part if vector is None else vector + part
    search_query = SearchQuery(query, config="dutch", search_type="websearch")
    title_match = Q(**{f"{group.title_field}__icontains": query})
    return (
        group.queryset.annotate(search=vector, rank=SearchRank(vector, search_query))
        .filter(Q(search=search_query) | title_match)
        .order_by("-rank", *group.ordering)
    )


def _substring(group: Group, query: str):
    words = query.split()[:MAX_WORDS]
    condition = Q()
    for word in words:
        any_field = Q()
        for name, _weight in group.fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return group.queryset.filter(condition).annotate(rank=Value(0.0)).order_by(*group.ordering)


def search(query: str) -> list[Group]:
    """Groups with their results (only groups that found something), one query each."""
    query = clean_query(query)
    if not query:
        return []
    find = _full_text if connection.vendor == "postgresql" else _substring
    found = []
    for group in groups():
        group.results = list(find(group, query)[:RESULTS_PER_GROUP])
        if group.results:
            found.append(group)
    return found
