"""Masterclass rounds, sessions and registrations: the database and full_clean() agree."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.utils import timezone

from events.models import MasterclassRound, ParticipationCount, Registration, Session
from tests.factories import (
    MasterclassRoundFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) + dt.timedelta(days=40)
TODAY = timezone.localdate()
CHILD_INCOMPLETE = "Een kind wordt alleen met voornaam en toestemming van een ouder aangemeld."
GROUP_WITH_NAMES = "Bij een klasboeking worden geen namen van leerlingen bewaard."
DUPLICATE = "Deze aanmelding bestaat al voor deze masterclass."
SESSION_TIMES = {"starts_at": START, "ends_at": START + dt.timedelta(hours=2)}

CHECK_VIOLATIONS = [
    pytest.param(
        "round_ends_on_or_after_start",
        MasterclassRoundFactory,
        {"starts_on": TODAY, "ends_on": TODAY - dt.timedelta(days=1)},
        id="round-ends-before-start",
    ),
    pytest.param(
        "session_ends_after_start",
        SessionFactory,
        {"starts_at": START, "ends_at": START},
        id="session-ends-at-start",
    ),
    pytest.param(
        "session_ends_after_start",
        SessionFactory,
        {"starts_at": START, "ends_at": START - dt.timedelta(hours=1)},
        id="session-ends-before-start",
    ),
    pytest.param(
        "session_max_per_booking_positive",
        SessionFactory,
        {"max_per_booking": 0},
        id="session-max-per-booking-zero",
    ),
    pytest.param(
        "session_registration_window_valid",
        SessionFactory,
        {
            **SESSION_TIMES,
            "registration_opens_at": START - dt.timedelta(days=5),
            "registration_closes_at": START - dt.timedelta(days=5),
        },
        id="registration-closes-when-it-opens",
    ),
    pytest.param(
        "session_registration_window_valid",
        SessionFactory,
        {
            **SESSION_TIMES,
            "registration_opens_at": START - dt.timedelta(days=5),
            "registration_closes_at": START - dt.timedelta(days=6),
        },
        id="registration-closes-before-it-opens",
    ),
    pytest.param(
        "session_registration_closes_before_start",
        SessionFactory,
        {**SESSION_TIMES, "registration_closes_at": START + dt.timedelta(minutes=1)},
        id="registration-closes-after-start",
    ),
    pytest.param(
        "registration_pupil_count_positive",
        RegistrationFactory,
        {"kind": Registration.Kind.GROUP, "child_first_name": "", "pupil_count": 0},
        id="group-of-zero-pupils",
    ),
    pytest.param(
        "registration_child_complete",
        RegistrationFactory,
        {"has_parental_consent": False},
        id="child-without-consent",
    ),
    pytest.param(
        "registration_child_complete",
        RegistrationFactory,
        {"child_first_name": ""},
        id="child-without-first-name",
    ),
    pytest.param(
        "registration_child_complete",
        RegistrationFactory,
        {"pupil_count": 2},
        id="child-registration-for-two",
    ),
    pytest.param(
        "registration_group_has_no_names",
        RegistrationFactory,
        {"kind": Registration.Kind.GROUP, "pupil_count": 24, "child_first_name": "Sam"},
        id="group-with-child-name",
    ),
    pytest.param(
        "session_pupils_only_has_no_partner_seats",
        SessionFactory,
        {**SESSION_TIMES, "audience_type": "pupils", "partner_seats": 5},
        id="pupil-session-with-partner-seats",
    ),
    pytest.param(
        "session_partners_only_has_no_pupil_seats",
        SessionFactory,
        {**SESSION_TIMES, "audience_type": "partners", "seats": 5, "partner_seats": 5},
        id="partner-session-with-pupil-seats",
    ),
    pytest.param(
        "registration_pupils_have_primary_school",
        RegistrationFactory,
        {"primary_school": ""},
        id="child-without-primary-school",
    ),
    pytest.param(
        "registration_partner_complete",
        RegistrationFactory,
        {"kind": Registration.Kind.PARTNER, "child_first_name": "", "organisation_type": ""},
        id="partner-without-organisation-type",
    ),
    pytest.param(
        "registration_partner_complete",
        RegistrationFactory,
        {
            "kind": Registration.Kind.PARTNER,
            "child_first_name": "",
            "organisation_type": "company",
            "pupil_count": 3,
        },
        id="partner-for-three",
    ),
]
UNIQUE_CONSTRAINTS = {
    "unique_active_registration",
    "unique_active_partner_registration",
    "unique_participation_count",
}
# A negative seat count is stopped by PositiveIntegerField's own check as well as ours.
NOT_NEGATIVE = {"session_seats_not_negative"}


def _constraint(model, name):
    return next(c for c in model._meta.constraints if c.name == name)


def test_every_events_constraint_is_tested_and_exists_in_database_when_migrated():
    models = list(apps.get_app_config("events").get_models())
    declared = {constraint.name for model in models for constraint in model._meta.constraints}
    with connection.cursor() as cursor:
        in_database = {
            name
            for model in models
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }

    assert declared == {p.values[0] for p in CHECK_VIOLATIONS} | UNIQUE_CONSTRAINTS | NOT_NEGATIVE
    assert declared <= in_database


@pytest.mark.parametrize(("constraint", "factory", "values"), CHECK_VIOLATIONS)
def test_database_rejects_row_when_created_against_check_constraint(
    db_rejects, constraint, factory, values
):
    with db_rejects(constraint):
        factory(**values)


@pytest.mark.parametrize(("constraint", "factory", "values"), CHECK_VIOLATIONS)
def test_database_rejects_update_when_it_breaks_check_constraint(
    db_rejects, constraint, factory, values
):
    obj = factory()

    with db_rejects(constraint):
        factory._meta.model.objects.filter(pk=obj.pk).update(**values)


def test_database_rejects_negative_seats_when_validation_is_bypassed(db_rejects):
    session = SessionFactory()

    # PostgreSQL reports whichever check it tests first: the field's or ours.
    with db_rejects("session_seats_not_negative", "seats"):
        Session.objects.filter(pk=session.pk).update(seats=-1)


def test_full_clean_rejects_negative_seats_when_entered():
    session = SessionFactory()
    session.seats = -1

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert list(excinfo.value.message_dict) == ["seats"]
    # Field validation runs first and hides the constraint; its own message is Dutch too.
    with pytest.raises(ValidationError) as excinfo:
        _constraint(Session, "session_seats_not_negative").validate(Session, session)
    assert excinfo.value.messages == ["Het aantal plaatsen kan niet negatief zijn."]


def test_full_clean_accepts_session_when_it_has_no_seats_left():
    session = SessionFactory(seats=0)

    session.full_clean()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param({"ends_at": START}, "Het einde moet na het begin liggen.", id="ends-at-start"),
        pytest.param(
            {"ends_at": START - dt.timedelta(minutes=30)},
            "Het einde moet na het begin liggen.",
            id="ends-before-start",
        ),
        pytest.param(
            {"max_per_booking": 0},
            "Een groepsboeking moet minstens één leerling kunnen bevatten.",
            id="max-per-booking-zero",
        ),
        pytest.param(
            {"registration_closes_at": START - dt.timedelta(days=10)},
            "Het aanmelden moet sluiten na het openen.",
            id="window-closes-when-it-opens",
        ),
        pytest.param(
            {"registration_closes_at": START + dt.timedelta(hours=1)},
            "Het aanmelden moet sluiten vóór de masterclass begint.",
            id="window-closes-after-start",
        ),
    ],
)
def test_full_clean_rejects_session_when_times_or_limits_are_invalid(values, message):
    session = SessionFactory(
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
        registration_opens_at=START - dt.timedelta(days=10),
        registration_closes_at=START - dt.timedelta(days=1),
    )
    for name, value in values.items():
        setattr(session, name, value)

    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [message]}


def test_full_clean_accepts_session_when_registration_closes_at_start():
    session = SessionFactory(starts_at=START, ends_at=START + dt.timedelta(hours=2))
    session.registration_closes_at = START

    session.full_clean()


def test_full_clean_rejects_round_when_it_ends_before_it_starts():
    masterclass_round = MasterclassRoundFactory()
    masterclass_round.ends_on = masterclass_round.starts_on - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        masterclass_round.full_clean()

    assert excinfo.value.message_dict == {
        NON_FIELD_ERRORS: ["De laatste dag mag niet vóór de eerste dag liggen."]
    }


def test_full_clean_accepts_round_when_it_lasts_one_day():
    masterclass_round = MasterclassRoundFactory()
    masterclass_round.ends_on = masterclass_round.starts_on

    masterclass_round.full_clean()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param({"has_parental_consent": False}, CHILD_INCOMPLETE, id="no-consent"),
        pytest.param({"child_first_name": ""}, CHILD_INCOMPLETE, id="no-first-name"),
        pytest.param({"pupil_count": 3}, CHILD_INCOMPLETE, id="count-not-one"),
        pytest.param(
            {"kind": Registration.Kind.GROUP, "pupil_count": 25},
            GROUP_WITH_NAMES,
            id="group-with-child-name",
        ),
        pytest.param(
            {"kind": Registration.Kind.GROUP, "pupil_count": 0, "child_first_name": ""},
            "Meld minstens één leerling aan.",
            id="group-of-zero",
        ),
    ],
)
def test_full_clean_rejects_registration_when_it_breaks_a_rule(values, message):
    registration = RegistrationFactory()
    for name, value in values.items():
        setattr(registration, name, value)

    with pytest.raises(ValidationError) as excinfo:
        registration.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [message]}


def test_full_clean_accepts_group_booking_when_it_stores_no_child_names():
    registration = RegistrationFactory(
        kind=Registration.Kind.GROUP,
        pupil_count=26,
        child_first_name="",
        child_group="groep 8b",
        has_parental_consent=False,
    )

    registration.full_clean()


@pytest.fixture
def registration():
    return RegistrationFactory(contact_email="ouder@example.org", child_first_name="Sam")


def test_database_rejects_registration_when_same_child_is_active_with_other_case(
    db_rejects, registration
):
    with db_rejects("unique_active_registration"):
        RegistrationFactory(
            session=registration.session, contact_email="OUDER@Example.org", child_first_name="sAM"
        )


def test_full_clean_rejects_registration_when_same_child_is_active_with_other_case(
    registration,
):
    duplicate = RegistrationFactory.build(
        session=registration.session, contact_email="Ouder@Example.org", child_first_name="SAM"
    )

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [DUPLICATE]}


@pytest.mark.parametrize("status", [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED])
def test_database_rejects_registration_when_earlier_one_is_still_active(
    db_rejects, registration, status
):
    Registration.objects.filter(pk=registration.pk).update(status=status)

    with db_rejects("unique_active_registration"):
        RegistrationFactory(
            session=registration.session, contact_email="ouder@example.org", child_first_name="Sam"
        )


def test_registration_is_allowed_again_when_earlier_one_was_cancelled(registration):
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    again = RegistrationFactory.build(
        session=registration.session, contact_email="ouder@example.org", child_first_name="Sam"
    )

    again.full_clean()
    again.save()

    assert registration.session.registrations.count() == 2


def test_database_rejects_reactivating_registration_when_child_signed_up_again(
    db_rejects, registration
):
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
    RegistrationFactory(
        session=registration.session, contact_email="ouder@example.org", child_first_name="Sam"
    )

    with db_rejects("unique_active_registration"):
        Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CONFIRMED)


def test_registrations_are_allowed_when_sibling_or_session_differs(registration):
    RegistrationFactory(
        session=registration.session, contact_email="ouder@example.org", child_first_name="Noor"
    )
    RegistrationFactory(contact_email="ouder@example.org", child_first_name="Sam")

    assert Registration.objects.filter(contact_email="ouder@example.org").count() == 3


def test_new_registrations_get_long_unique_cancel_tokens_when_created():
    registrations = RegistrationFactory.create_batch(25, session=SessionFactory(seats=30))
    tokens = {registration.cancel_token for registration in registrations}

    assert len(tokens) == 25
    assert all(len(token) >= 43 for token in tokens)


def test_database_rejects_registration_when_cancel_token_repeats(db_rejects, registration):
    other = RegistrationFactory(session=registration.session)

    with db_rejects("cancel_token"):
        Registration.objects.filter(pk=other.pk).update(cancel_token=registration.cancel_token)


@pytest.mark.parametrize(
    "factory", [MasterclassRoundFactory, SessionFactory], ids=["MasterclassRound", "Session"]
)
def test_database_rejects_row_when_slug_is_taken(db_rejects, factory):
    factory(slug="robots-bouwen")

    with db_rejects("slug"):
        factory(slug="robots-bouwen")


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        pytest.param(
            MasterclassRoundFactory,
            "Er bestaat al een Masterclassronde met eenzelfde Slug.",
            id="MasterclassRound",
        ),
        pytest.param(
            SessionFactory, "Er bestaat al een Masterclass met eenzelfde Slug.", id="Session"
        ),
    ],
)
def test_full_clean_rejects_slug_when_taken(factory, message):
    factory(slug="robots-bouwen")
    duplicate = factory()
    duplicate.slug = "robots-bouwen"

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {"slug": [message]}


def test_place_is_location_when_session_sets_one():
    session = SessionFactory(location="Sporthal De Opgang, Hoorn")

    assert session.place == "Sporthal De Opgang, Hoorn"


def test_place_is_host_school_address_when_session_sets_no_location():
    school = SchoolFactory(
        name="Tabor College", street_address="Dijk 12", postal_code="1601 AA", town="Enkhuizen"
    )
    session = SessionFactory(host_school=school, location="")

    assert session.place == "Tabor College, Dijk 12, 1601 AA Enkhuizen"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(START - dt.timedelta(days=10, seconds=1), False, id="before-opening"),
        pytest.param(START - dt.timedelta(days=10), True, id="at-opening"),
        pytest.param(START - dt.timedelta(days=5), True, id="while-open"),
        pytest.param(START - dt.timedelta(days=1, seconds=1), True, id="just-before-closing"),
        pytest.param(START - dt.timedelta(days=1), False, id="at-closing"),
        pytest.param(START + dt.timedelta(days=1), False, id="after-session"),
    ],
)
def test_is_open_for_registration_follows_window_when_given_a_moment(moment, expected):
    session = SessionFactory(
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
        registration_opens_at=START - dt.timedelta(days=10),
        registration_closes_at=START - dt.timedelta(days=1),
    )

    assert session.is_open_for_registration(moment) is expected


def test_is_open_for_registration_uses_current_time_when_no_moment_is_given():
    open_session = SessionFactory(
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
        registration_closes_at=timezone.now() + dt.timedelta(days=1),
    )
    closed_session = SessionFactory(
        registration_opens_at=timezone.now() - dt.timedelta(days=3),
        registration_closes_at=timezone.now() - dt.timedelta(days=1),
    )

    assert open_session.is_open_for_registration() is True
    assert closed_session.is_open_for_registration() is False


def test_upcoming_lists_sessions_that_have_not_ended_by_start_when_mixed():
    past = SessionFactory(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=2),
        registration_opens_at=timezone.now() - dt.timedelta(days=9),
        registration_closes_at=timezone.now() - dt.timedelta(days=3),
    )
    later = SessionFactory(starts_at=START + dt.timedelta(days=7))
    sooner = SessionFactory(starts_at=START)

    upcoming = list(Session.objects.upcoming())

    assert upcoming == [sooner, later]
    assert past not in upcoming


def test_str_names_round_session_and_registrations_when_shown():
    masterclass_round = MasterclassRoundFactory(name="Voorjaar 2027")
    session = SessionFactory(round=masterclass_round, title="Bouw een robotarm")
    child = RegistrationFactory(
        session=session, child_first_name="Noor", primary_school="De Regenboog"
    )
    group = RegistrationFactory(
        session=session,
        kind=Registration.Kind.GROUP,
        child_first_name="",
        pupil_count=24,
        primary_school="De Wilgen",
    )

    assert str(masterclass_round) == "Voorjaar 2027"
    assert str(session) == "Bouw een robotarm"
    assert str(child) == "Noor (De Regenboog)"
    assert str(group) == "De Wilgen (24 leerlingen)"


def test_rounds_are_listed_newest_first_when_several_exist():
    older = MasterclassRoundFactory(starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=30))
    newer = MasterclassRoundFactory(
        starts_on=TODAY + dt.timedelta(days=180), ends_on=TODAY + dt.timedelta(days=210)
    )

    assert list(MasterclassRound.objects.all()) == [newer, older]


def test_teacher_may_book_two_classes_when_using_one_email_address():
    session = SessionFactory(seats=60)
    for _number in range(2):
        RegistrationFactory(
            session=session,
            kind=Registration.Kind.GROUP,
            child_first_name="",
            has_parental_consent=False,
            pupil_count=25,
            contact_email="meester@example.org",
        )

    assert session.registrations.count() == 2


def test_database_rejects_second_participation_count_row_for_the_same_key(db_rejects):
    session = SessionFactory()
    key = {"session": session, "kind": "child", "status": "confirmed", "attended": "yes"}
    ParticipationCount.objects.create(**key, bookings=1, people=1)

    with db_rejects("unique_participation_count", "events_participationcount.attended"):
        ParticipationCount.objects.create(**key, bookings=2, people=2)
