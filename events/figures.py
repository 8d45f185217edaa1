"""Counts of who took part, the same before and after the purge of personal data.

One anonymous store (``ParticipationCount``) and one grouping (``count_registrations``):
the purge writes exactly the rows the grouping makes of the live registrations, and every
figure reads live rows and stored rows through ``participation``. So a figure cannot change
when the purge moves a session's rows from one side to the other.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, Sum, Value, When

from events.models import Attendance, ParticipationCount, Registration


@dataclass(frozen=True)
class ParticipationKey:
    """What a count is about; nothing about a person."""

    session_id: int
    kind: str
    organisation_type: str
    status: str
    attended: str


KEY_FIELDS = ("session_id", "kind", "organisation_type", "status", "attended")


def count_registrations(registrations) -> dict[ParticipationKey, tuple[int, int]]:
    """Group registrations into anonymous rows: ``{key: (bookings, people)}``. One query."""
    rows = (
        registrations.order_by()
        .annotate(
            attendance=Case(
                When(attended=True, then=Value(Attendance.YES.value)),
                When(attended=False, then=Value(Attendance.NO.value)),
                default=Value(Attendance.UNKNOWN.value),
            )
        )
        .values("session_id", "kind", "organisation_type", "status", "attendance")
        .annotate(bookings=Count("pk"), people=Sum("pupil_count", default=0))
    )
    return {
        ParticipationKey(
            session_id=row["session_id"],
            kind=row["kind"],
            organisation_type=row["organisation_type"],
            status=row["status"],
            attended=row["attendance"],
        ): (row["bookings"], row["people"])
        for row in rows
    }


def participation(sessions) -> dict[ParticipationKey, tuple[int, int]]:
    """Live registrations grouped, plus the stored counts, of ``sessions`` (ids or a QuerySet).

    Two queries, whatever the number of sessions.
    """
    totals = defaultdict(lambda: (0, 0))
    live = count_registrations(Registration.objects.filter(session__in=sessions))
    stored = ParticipationCount.objects.filter(session__in=sessions).values_list(
        *KEY_FIELDS, "bookings", "people"
    )
    for key, (bookings, people) in live.items():
        totals[key] = (totals[key][0] + bookings, totals[key][1] + people)
    for *fields, bookings, people in stored:
        key = ParticipationKey(*fields)
        totals[key] = (totals[key][0] + bookings, totals[key][1] + people)
    return dict(totals)


def store_counts(counts: dict[ParticipationKey, tuple[int, int]]) -> list[ParticipationCount]:
    """Add ``counts`` to the stored rows (a row per key, created when missing).

    The caller holds the lock of the sessions concerned: two purges of one session must not
    both create its rows.
    """
    touched = []
    for key, (bookings, people) in counts.items():
        row, _created = ParticipationCount.objects.get_or_create(
            session_id=key.session_id,
            kind=key.kind,
            organisation_type=key.organisation_type,
            status=key.status,
            attended=key.attended,
        )
        ParticipationCount.objects.filter(pk=row.pk).update(
            bookings=F("bookings") + bookings, people=F("people") + people
        )
        touched.append(row)
    return touched


def participants_by_session(session_ids) -> dict[int, dict[str, int]]:
    """Confirmed participants per session: ``{session_id: {"pupils": n, "partners": n}}``.

    Counted from live registrations and the anonymous counts the purge kept, so the numbers
    are the same before and after the purge. Sessions without any get zeros.
    """
    session_ids = list(session_ids)
    result = {sid: {"pupils": 0, "partners": 0} for sid in session_ids}
    for key, (_bookings, people) in participation(session_ids).items():
        if key.status != Registration.Status.CONFIRMED:
            continue
        side = "partners" if key.kind == Registration.Kind.PARTNER else "pupils"
        result[key.session_id][side] += people
    return result
