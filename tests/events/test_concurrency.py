"""Many sign-ups at once on PostgreSQL: the row lock on the session never lets seats overflow."""

import random
import threading
from itertools import permutations

import pytest
from django.db import connection, connections, transaction
from django.db.models import Sum
from django.db.transaction import TransactionManagementError

from events import services
from events.models import Registration, Session
from events.services import (
    RegistrationError,
    SignUp,
    cancel_registration,
    lock_session,
    register_for_session,
)
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEATS = 8
TAKEN = 3  # so 5 seats are left


def child(number: int) -> SignUp:
    return SignUp(
        kind=Registration.Kind.CHILD,
        child_first_name=f"Deelnemer{number}",
        child_group="groep 8",
        primary_school="De Regenboog",
        contact_name="Ouder",
        contact_email=f"gezin{number}@example.org",
        has_parental_consent=True,
    )


def group(number: int, size: int) -> SignUp:
    return SignUp(
        kind=Registration.Kind.GROUP,
        primary_school=f"Basisschool {number}",
        contact_name="Juf",
        contact_email=f"juf{number}@example.org",
        pupil_count=size,
    )


def run_at_once(jobs):
    """Run each job in its own thread and database connection, all released together."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.fixture
def patient_seat_lock(monkeypatch):
    """For the bursts below: fifty transactions in a row on a busy test machine may take
    longer than the visitor's few seconds; these tests are about seats, not about waiting."""
    monkeypatch.setattr(services, "SEAT_LOCK_TIMEOUT_MS", 120_000)


def session_with_five_seats_left():
    session = SessionFactory(seats=SEATS, max_per_booking=4)
    for _ in range(TAKEN):
        RegistrationFactory(session=session)
    return session


def confirmed_pupils(session) -> int:
    return (
        Registration.objects.filter(session=session, status="confirmed").aggregate(
            total=Sum("pupil_count")
        )["total"]
        or 0
    )


def replay(waiting, cancelled) -> set[int]:
    """Who gets a place when ``cancelled`` free their seats one after another."""
    waiting, promoted, free = list(waiting), set(), 0
    for registration in cancelled:
        free += registration.pupil_count
        for candidate in list(waiting):
            if candidate.pupil_count <= free:
                promoted.add(candidate.pk)
                free -= candidate.pupil_count
                waiting.remove(candidate)
    return promoted


def assert_no_one_waiting_fits(session):
    free = session.seats - confirmed_pupils(session)
    waiting = Registration.objects.filter(session=session, status="waitlisted")
    assert all(registration.pupil_count > free for registration in waiting), free


def test_fifty_children_at_once_fill_exactly_the_five_seats_left(
    postgres_only, patient_seat_lock, mailoutbox
):
    session = session_with_five_seats_left()

    errors = run_at_once(
        [lambda n=n: register_for_session(session=session, signup=child(n)) for n in range(50)]
    )

    assert errors == []
    assert Registration.objects.filter(session=session).count() == TAKEN + 50
    assert confirmed_pupils(session) == SEATS
    statuses = Registration.objects.filter(session=session).values_list("status", flat=True)
    assert list(statuses).count("confirmed") == SEATS
    assert list(statuses).count("waitlisted") == 45
    assert len(mailoutbox) == 50


def test_mixed_children_and_classes_at_once_never_overbook_and_promote_in_order(
    postgres_only, patient_seat_lock, mailoutbox
):
    session = session_with_five_seats_left()
    randomizer = random.Random(5)
    signups = [child(n) for n in range(30)] + [
        group(n, randomizer.randint(1, 4)) for n in range(30, 60)
    ]
    randomizer.shuffle(signups)

    errors = run_at_once(
        [lambda s=s: register_for_session(session=session, signup=s) for s in signups]
    )

    assert errors == []
    assert Registration.objects.filter(session=session).count() == TAKEN + 60
    assert confirmed_pupils(session) == SEATS  # never more; children fill every gap
    assert_no_one_waiting_fits(session)
    assert Registration.objects.filter(session=session, status="waitlisted").count() > 40

    # Cancel three confirmed places at once: the list moves up in order, first that fit.
    waiting_before = list(
        Registration.objects.filter(session=session, status="waitlisted").order_by(
            "created_at", "pk"
        )
    )
    to_cancel = list(
        Registration.objects.filter(session=session, status="confirmed").order_by("pk")[:3]
    )

    errors = run_at_once([lambda r=r: cancel_registration(registration=r) for r in to_cancel])

    assert errors == []
    assert confirmed_pupils(session) <= SEATS
    assert_no_one_waiting_fits(session)
    # Each cancellation promotes on its own, in the order the locks were granted. Replay
    # the rule by hand for every order: the result must match one of them.
    promoted = set(
        Registration.objects.filter(
            pk__in=[r.pk for r in waiting_before], status="confirmed"
        ).values_list("pk", flat=True)
    )
    assert promoted
    assert promoted in [replay(waiting_before, order) for order in permutations(to_cancel)]
    assert confirmed_pupils(session) == SEATS


def test_the_same_child_sent_ten_times_at_once_is_stored_once(postgres_only, patient_seat_lock):
    session = SessionFactory(seats=20)
    outcomes = []

    def send():
        try:
            register_for_session(session=session, signup=child(1))
            outcomes.append("stored")
        except RegistrationError:
            outcomes.append("refused")

    assert run_at_once([send] * 10) == []
    assert sorted(outcomes) == ["refused"] * 9 + ["stored"]
    assert Registration.objects.filter(session=session).count() == 1
    assert connection.vendor == "postgresql"


def test_sign_up_gives_up_with_a_dutch_message_when_the_seat_lock_stays_taken(postgres_only):
    """A stuck transaction on the session makes the visitor try again, not wait for ever."""
    session = SessionFactory(seats=SEATS)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Session.objects.select_for_update().get(pk=session.pk)
                locked.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with pytest.raises(RegistrationError, match="probeer het zo nog eens"):
            register_for_session(session=session, signup=child(1))
    finally:
        release.set()
        holder.join(timeout=60)
    assert not Registration.objects.filter(session=session).exists()
    # Once the lock is free, the same sign-up goes through.
    assert register_for_session(session=session, signup=child(1)).pk


def test_sign_up_page_asks_to_try_again_and_keeps_the_form_when_the_seat_lock_stays_taken(
    postgres_only, client
):
    session = SessionFactory(seats=SEATS)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Session.objects.select_for_update().get(pk=session.pk)
                locked.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        response = client.post(
            session.get_absolute_url(),
            {
                "form": Registration.Kind.CHILD,
                "child-child_first_name": "Noor",
                "child-child_group": "groep 8",
                "child-primary_school": "De Regenboog",
                "child-contact_name": "Sanne",
                "child-contact_email": "sanne@example.org",
                "child-has_parental_consent": "on",
            },
        )
    finally:
        release.set()
        holder.join(timeout=60)

    html = response.content.decode()
    assert response.status_code == 200
    assert "probeer het zo nog eens" in html
    assert 'value="Noor"' in html
    assert not Registration.objects.exists()


def test_seat_lock_refuses_to_run_outside_a_transaction():
    session = SessionFactory()
    with pytest.raises(TransactionManagementError):
        lock_session(session.pk)


def test_seat_lock_timeout_applies_to_taking_the_lock_only(postgres_only):
    session = SessionFactory()
    with transaction.atomic():
        lock_session(session.pk)
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"
