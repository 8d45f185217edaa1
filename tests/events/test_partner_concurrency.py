"""Pupils and partners signing up at once for a mixed session on PostgreSQL: each kind has
its own seats and its own waiting list, and neither ever overflows."""

import random
from itertools import permutations

import pytest
from django.db.models import Sum

from events.models import OrganisationType, Registration, SessionAudience
from events.services import SignUp, cancel_registration, register_for_session
from tests.events.test_concurrency import child, group, patient_seat_lock, replay, run_at_once
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["patient_seat_lock"]  # the fixture, used by name below

PUPIL_SEATS = 6
PARTNER_SEATS = 4


def partner(number: int) -> SignUp:
    return SignUp(
        kind=Registration.Kind.PARTNER,
        contact_name=f"Partner {number}",
        contact_email=f"partner{number}@example.org",
        organisation_type=OrganisationType.MUNICIPALITY,
        organisation_name="Gemeente Hoorn",
        role="Beleidsmedewerker",
    )


def mixed_session():
    return SessionFactory(
        audience_type=SessionAudience.BOTH,
        seats=PUPIL_SEATS,
        partner_seats=PARTNER_SEATS,
        max_per_booking=3,
    )


def confirmed(session, *, partners: bool) -> int:
    rows = Registration.objects.filter(session=session, status="confirmed")
    rows = rows.partners() if partners else rows.pupils()
    return rows.aggregate(total=Sum("pupil_count", default=0))["total"]


def waiting(session, *, partners: bool) -> list[Registration]:
    rows = Registration.objects.filter(session=session).waiting_list()
    return list(rows.partners() if partners else rows.pupils())


def test_pupils_and_partners_at_once_never_overbook_either_kind_of_seat(
    postgres_only, patient_seat_lock, mailoutbox
):
    session = mixed_session()
    randomizer = random.Random(12)
    signups = (
        [child(n) for n in range(15)]
        + [group(n, randomizer.randint(1, 3)) for n in range(15, 25)]
        + [partner(n) for n in range(25, 40)]
    )
    randomizer.shuffle(signups)

    errors = run_at_once(
        [lambda s=s: register_for_session(session=session, signup=s) for s in signups]
    )

    assert errors == []
    assert Registration.objects.filter(session=session).count() == 40
    assert confirmed(session, partners=True) == PARTNER_SEATS
    assert confirmed(session, partners=False) == PUPIL_SEATS  # children fill every gap
    assert len(waiting(session, partners=True)) == 15 - PARTNER_SEATS
    free_pupil_seats = PUPIL_SEATS - confirmed(session, partners=False)
    assert all(r.pupil_count > free_pupil_seats for r in waiting(session, partners=False))
    assert len(mailoutbox) == 40


def test_each_waiting_list_promotes_in_order_within_its_own_seats(
    postgres_only, patient_seat_lock, mailoutbox
):
    session = mixed_session()
    randomizer = random.Random(7)
    signups = [child(n) for n in range(12)] + [partner(n) for n in range(12, 24)]
    randomizer.shuffle(signups)
    assert (
        run_at_once([lambda s=s: register_for_session(session=session, signup=s) for s in signups])
        == []
    )
    partners_waiting = waiting(session, partners=True)
    pupils_waiting = waiting(session, partners=False)
    confirmed_rows = Registration.objects.filter(session=session, status="confirmed")
    cancelled_partners = list(confirmed_rows.partners().order_by("pk")[:2])
    cancelled_pupils = list(confirmed_rows.pupils().order_by("pk")[:3])

    # Five cancellations at once, of both kinds.
    errors = run_at_once(
        [
            lambda r=r: cancel_registration(registration=r)
            for r in cancelled_partners + cancelled_pupils
        ]
    )

    assert errors == []
    assert confirmed(session, partners=True) == PARTNER_SEATS
    assert confirmed(session, partners=False) == PUPIL_SEATS
    promoted = set(
        Registration.objects.filter(session=session, status="confirmed")
        .exclude(pk__in=[r.pk for r in cancelled_partners + cancelled_pupils])
        .filter(pk__in=[r.pk for r in partners_waiting + pupils_waiting])
        .values_list("pk", flat=True)
    )
    # Partners: exactly the first two on their list; pupils: the first three on theirs
    # (one child per seat, so every order of the cancellations gives the same three).
    assert promoted == {r.pk for r in partners_waiting[:2]} | {r.pk for r in pupils_waiting[:3]}
    assert promoted & {r.pk for r in pupils_waiting} in [
        replay(pupils_waiting, order) for order in permutations(cancelled_pupils)
    ]
