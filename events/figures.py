"""Counts of who took part, the same before and after the purge of personal data.

Issue 12 grows this into the programme's figures; the signatures below are the contract that
the airtime ledger counts with.
"""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from events.models import Registration, SessionFigures


def participants_by_session(session_ids) -> dict[int, dict[str, int]]:
    """Confirmed participants per session: ``{session_id: {"pupils": n, "partners": n}}``.

    Live registrations are counted while they exist; after the purge the session's stored
    figures give the counts. Sessions without any get zeros.
    """
    session_ids = list(session_ids)
    result = defaultdict(lambda: {"pupils": 0, "partners": 0})
    for sid in session_ids:
        result[sid]  # noqa: B018 - every asked session gets its zeros
    confirmed = Q(status=Registration.Status.CONFIRMED)
    partner = Q(kind=Registration.Kind.PARTNER)
    live = (
        Registration.objects.filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(
            pupils=Sum("pupil_count", filter=confirmed & ~partner, default=0),
            partners=Count("pk", filter=confirmed & partner),
        )
    )
    for row in live:
        result[row["session_id"]]["pupils"] += row["pupils"]
        result[row["session_id"]]["partners"] += row["partners"]
    for figures in SessionFigures.objects.filter(session_id__in=session_ids):
        result[figures.session_id]["pupils"] += figures.confirmed_pupils
    return dict(result)
