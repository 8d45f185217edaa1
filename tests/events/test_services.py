"""The seat rules of events.services, called directly as the site and the admin do."""

import pytest

from events.models import Registration, Session
from events.services import (
    RegistrationError,
    SignUp,
    change_registration_status,
    fill_free_seats,
    register_for_session,
)
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def child(name="Noor", email="ouder@example.org") -> SignUp:
    return SignUp(
        kind=Registration.Kind.CHILD,
        child_first_name=name,
        child_group="groep 8",
        primary_school="De Regenboog",
        contact_name="Ouder",
        contact_email=email,
        has_parental_consent=True,
    )


def test_registration_state_counts_seats_without_annotation():
    session = SessionFactory(seats=1)
    assert session.registration_state() == Session.State.OPEN
    RegistrationFactory(session=session)
    assert Session.objects.get().registration_state() == Session.State.FULL


def test_draft_session_refuses_signups():
    session = SessionFactory(status="draft")
    with pytest.raises(RegistrationError, match="bestaat niet"):
        register_for_session(session=session, signup=child())


def test_coordinator_may_add_outside_the_window_but_not_above_the_seats():
    session = SessionFactory(seats=1, status="draft")
    first = register_for_session(session=session, signup=child("A"), by_coordinator=True)
    second = register_for_session(session=session, signup=child("B"), by_coordinator=True)
    assert (first.status, second.status) == ("confirmed", "waitlisted")


def test_a_confirmed_place_does_not_go_back_to_the_waiting_list():
    registration = RegistrationFactory()
    with pytest.raises(RegistrationError, match="niet terug naar de wachtlijst"):
        change_registration_status(registration=registration, status="waitlisted")


def test_reinstating_a_cancelled_child_is_refused_when_signed_up_again_meanwhile():
    session = SessionFactory()
    old = RegistrationFactory(session=session, child_first_name="Noor", status="cancelled")
    RegistrationFactory(session=session, child_first_name="Noor", contact_email=old.contact_email)
    with pytest.raises(RegistrationError, match="al een andere aanmelding"):
        change_registration_status(registration=old, status="confirmed")


def test_fill_free_seats_skips_a_class_too_big_and_takes_the_next_that_fits(mailoutbox):
    session = SessionFactory(seats=0, max_per_booking=10)
    big = RegistrationFactory(
        session=session,
        kind="group",
        pupil_count=5,
        child_first_name="",
        has_parental_consent=False,
        status="waitlisted",
    )
    small = RegistrationFactory(session=session, status="waitlisted")
    Session.objects.filter(pk=session.pk).update(seats=3)

    promoted = fill_free_seats(session=session)

    assert promoted == [small]
    big.refresh_from_db()
    assert big.status == "waitlisted"
    assert [m.to for m in mailoutbox] == [[small.contact_email]]
