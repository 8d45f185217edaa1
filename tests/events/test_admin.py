import importlib
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import admin as events_admin
from events.models import MasterclassRound, Registration, Session
from events.services import RegistrationError
from tests.factories import (
    CompanyFactory,
    MasterclassRoundFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    primary_campaign,
)

pytestmark = pytest.mark.django_db

group_migration = importlib.import_module("events.migrations.0002_coordinator_group")
figures_migration = importlib.import_module("events.migrations.0005_session_figures_permissions")
counts_migration = importlib.import_module("events.migrations.0009_remove_sessionfigures")
outgoing_email_migration = importlib.import_module("campaign.migrations.0003_outgoing_email")
photo_migration = importlib.import_module("campaign.migrations.0005_photo_register_permissions")
region_migration = importlib.import_module("campaign.migrations.0013_region_permissions")


def make_session():
    session = SessionFactory()
    session.companies.add(CompanyFactory())
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    return session


def make_round():
    masterclass_round = MasterclassRoundFactory()
    SessionFactory(round=masterclass_round)
    return masterclass_round


FACTORIES = {
    MasterclassRound: make_round,
    Session: make_session,
    Registration: RegistrationFactory,
}
READ_ONLY = set()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_events_model_is_covered_when_registered_in_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "events"}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_coordinator_gets_changelist_add_and_change_page_when_in_group(coordinator_client, model):
    obj = FACTORIES[model]()

    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = coordinator_client.get(url)
        if model in READ_ONLY and url.endswith("/add/"):
            assert response.status_code == 403, url
        else:
            assert response.status_code == 200, url


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_changelist_query_count_stays_the_same_when_ten_times_more_rows(
    coordinator_client, django_assert_num_queries, model
):
    FACTORIES[model]()
    url = admin_url(model, "changelist")
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as one_row:
        assert coordinator_client.get(url).status_code == 200

    expected = len(one_row.captured_queries)  # read before the next request resets the log
    for _ in range(9):
        FACTORIES[model]()
    coordinator_client.get(url)  # warm: the site data, read again after the writes
    with django_assert_num_queries(expected):
        response = coordinator_client.get(url)
    assert response.context["cl"].result_count == model.objects.count() >= 10


def test_session_changelist_counts_confirmed_pupils_when_registrations_mixed(coordinator_client):
    session = SessionFactory(seats=25)
    RegistrationFactory(session=session)
    RegistrationFactory(
        session=session,
        kind=Registration.Kind.GROUP,
        child_first_name="",
        pupil_count=12,
    )
    RegistrationFactory(session=session, status=Registration.Status.CANCELLED)
    RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)

    response = coordinator_client.get(admin_url(Session, "changelist"))

    row = response.context["cl"].result_list[0]
    assert (row.seats_taken, row.waitlisted_pupils, row.waitlisted_bookings) == (13, 1, 1)
    html = response.content.decode()
    assert '<td class="field-confirmed_pupils">13 / 25 (52%)</td>' in html


def test_session_change_page_lists_registrations_when_opened(coordinator_client):
    registration = RegistrationFactory(child_first_name="Noor")

    html = coordinator_client.get(
        admin_url(Session, "change", registration.session_id)
    ).content.decode()

    assert "Noor" in html
    assert "django-ckeditor-widget" in html


def session_post_data(**overrides):
    data = {
        "round": MasterclassRoundFactory().pk,
        "title": "Robots bouwen",
        "slug": "robots-bouwen",
        "summary": "",
        "description": "",
        "host_school": SchoolFactory().pk,
        "starts_at_0": "2027-03-10",
        "starts_at_1": "14:00",
        "ends_at_0": "2027-03-10",
        "ends_at_1": "16:00",
        "location": "",
        "storyline": StorylineFactory().pk,
        "audience": "groep 7 en 8",
        "audience_type": "pupils",
        "seats": "20",
        "partner_seats": "0",
        "max_per_booking": "30",
        "registration_opens_at_0": "2027-02-01",
        "registration_opens_at_1": "09:00",
        "registration_closes_at_0": "2027-03-09",
        "registration_closes_at_1": "12:00",
        "status": "draft",
        "published_at_0": "2027-01-10",
        "published_at_1": "09:00",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_session_add_saves_when_input_valid(coordinator_client):
    response = coordinator_client.post(admin_url(Session, "add"), session_post_data())

    assert response.status_code == 302
    assert Session.objects.get().title == "Robots bouwen"


def test_session_add_shows_form_error_when_it_ends_before_it_starts(coordinator_client):
    response = coordinator_client.post(
        admin_url(Session, "add"), session_post_data(ends_at_1="13:00")
    )

    assert response.status_code == 200
    assert "Het einde moet na het begin liggen." in response.content.decode()
    assert not Session.objects.exists()


def test_session_add_shows_form_error_when_seats_negative(coordinator_client):
    response = coordinator_client.post(admin_url(Session, "add"), session_post_data(seats="-5"))

    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde minstens 0 is." in response.content.decode()
    assert not Session.objects.exists()


def test_session_add_shows_form_error_when_registration_closes_after_start(coordinator_client):
    response = coordinator_client.post(
        admin_url(Session, "add"), session_post_data(registration_closes_at_0="2027-03-11")
    )

    assert response.status_code == 200
    assert "Het aanmelden moet sluiten vóór de masterclass begint." in response.content.decode()
    assert not Session.objects.exists()


def test_session_add_shows_form_error_when_slug_taken(coordinator_client):
    SessionFactory(slug="robots-bouwen")

    response = coordinator_client.post(admin_url(Session, "add"), session_post_data())

    assert response.status_code == 200
    assert "Er bestaat al een Masterclass met eenzelfde Slug." in response.content.decode()
    assert Session.objects.count() == 1


def round_post_data(**overrides):
    data = {
        "campaign": str(primary_campaign().pk),
        "name": "Voorjaar 2027",
        "slug": "voorjaar-2027",
        "starts_on": "2027-03-01",
        "ends_on": "2027-04-30",
        "description": "",
        "status": "draft",
        "published_at_0": "2027-01-10",
        "published_at_1": "09:00",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def inline_session(index, **overrides):
    values = {
        "title": "Robots bouwen",
        "slug": f"robots-bouwen-{index}",
        "host_school": SchoolFactory().pk,
        "storyline": StorylineFactory().pk,
        "starts_at_0": "2027-03-10",
        "starts_at_1": "14:00",
        "ends_at_0": "2027-03-10",
        "ends_at_1": "16:00",
        "seats": "20",
        "max_per_booking": "12",
        "audience": "groep 7 en 8",
        "audience_type": "pupils",
        "partner_seats": "0",
        "location": "",
        "summary": "",
        "registration_opens_at_0": "2027-02-01",
        "registration_opens_at_1": "09:00",
        "registration_closes_at_0": "2027-03-09",
        "registration_closes_at_1": "12:00",
        "status": "draft",
        **overrides,
    }
    return {f"sessions-{index}-{key}": value for key, value in values.items()}


def test_round_add_saves_sessions_when_input_valid(coordinator_client):
    data = round_post_data(
        **{"sessions-TOTAL_FORMS": "2"}, **inline_session(0), **inline_session(1)
    )

    response = coordinator_client.post(admin_url(MasterclassRound, "add"), data)

    assert response.status_code == 302
    assert MasterclassRound.objects.get().sessions.count() == 2


def test_round_form_plans_every_session_detail_when_opened(coordinator_client):
    session = SessionFactory()

    response = coordinator_client.get(admin_url(MasterclassRound, "change", session.round.pk))

    body = response.content.decode()
    for field in [
        "title",
        "host_school",
        "storyline",
        "companies",
        "summary",
        "starts_at_0",
        "ends_at_0",
        "location",
        "audience",
        "seats",
        "max_per_booking",
        "registration_opens_at_0",
        "registration_closes_at_0",
        "status",
    ]:
        assert f'name="sessions-0-{field}"' in body, field


def test_round_add_saves_place_audience_companies_and_booking_size_when_planned_inline(
    coordinator_client,
):
    companies = CompanyFactory.create_batch(2)
    data = round_post_data(
        **{"sessions-TOTAL_FORMS": "1"},
        **inline_session(
            0,
            location="Sporthal De Waag, Hoorn",
            audience="groep 8",
            max_per_booking="10",
            summary="Bouw een robot.",
            companies=[company.pk for company in companies],
        ),
    )

    response = coordinator_client.post(admin_url(MasterclassRound, "add"), data)

    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.location, session.audience, session.max_per_booking, session.summary) == (
        "Sporthal De Waag, Hoorn",
        "groep 8",
        10,
        "Bouw een robot.",
    )
    assert set(session.companies.all()) == set(companies)


def test_round_add_makes_the_slug_when_left_empty_without_javascript(coordinator_client):
    SessionFactory(slug="robots-bouwen-voorjaar-2027")
    data = round_post_data(
        **{"sessions-TOTAL_FORMS": "2"},
        **inline_session(0, slug=""),
        **inline_session(1, slug=""),
    )

    response = coordinator_client.post(admin_url(MasterclassRound, "add"), data)

    assert response.status_code == 302
    assert sorted(
        MasterclassRound.objects.get(slug="voorjaar-2027").sessions.values_list("slug", flat=True)
    ) == ["robots-bouwen-voorjaar-2027-2", "robots-bouwen-voorjaar-2027-3"]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"ends_at_1": "13:00"}, "Het einde moet na het begin liggen."),
        ({"seats": "-1"}, "Zorg ervoor dat deze waarde minstens 0 is."),
    ],
    ids=["ends-before-start", "negative-seats"],
)
def test_round_add_shows_form_error_when_inline_session_invalid(
    coordinator_client, overrides, error
):
    data = round_post_data(**{"sessions-TOTAL_FORMS": "1"}, **inline_session(0, **overrides))

    response = coordinator_client.post(admin_url(MasterclassRound, "add"), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not MasterclassRound.objects.exists()
    assert not Session.objects.exists()


def test_round_add_shows_form_error_when_last_day_before_first(coordinator_client):
    response = coordinator_client.post(
        admin_url(MasterclassRound, "add"), round_post_data(ends_on="2027-02-01")
    )

    assert response.status_code == 200
    assert "De laatste dag mag niet vóór de eerste dag liggen." in response.content.decode()
    assert not MasterclassRound.objects.exists()


def registration_post_data(session, **overrides):
    data = {
        "session": session.pk,
        "status": "confirmed",
        "kind": "child",
        "pupil_count": "1",
        "child_first_name": "Noor",
        "child_group": "groep 8",
        "primary_school": "De Regenboog",
        "contact_name": "Ouder",
        "contact_email": "ouder@example.org",
        "has_parental_consent": "on",
        "attended": "unknown",
    }
    data.update(overrides)
    return data


def test_registration_add_shows_form_error_when_child_lacks_consent(coordinator_client):
    session = SessionFactory()
    data = registration_post_data(session)
    del data["has_parental_consent"]

    response = coordinator_client.post(admin_url(Registration, "add"), data)

    assert response.status_code == 200
    assert "alleen met voornaam en toestemming van een ouder" in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_add_shows_form_error_when_already_registered(coordinator_client):
    existing = RegistrationFactory(child_first_name="Noor", contact_email="ouder@example.org")

    response = coordinator_client.post(
        admin_url(Registration, "add"),
        registration_post_data(existing.session, contact_email="OUDER@example.org"),
    )

    assert response.status_code == 200
    assert "Noor is al aangemeld voor deze masterclass." in response.content.decode()
    assert Registration.objects.count() == 1


def test_registration_status_button_records_cancellation_time_when_cancelled(coordinator_client):
    registration = RegistrationFactory()
    status_url = reverse("admin:events_registration_status", args=[registration.pk])

    response = coordinator_client.post(status_url, {"status": "cancelled"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.cancelled_at is not None


def test_registration_changelist_filters_by_status_when_chosen(coordinator_client):
    waiting = RegistrationFactory(status=Registration.Status.WAITLISTED)
    RegistrationFactory()

    response = coordinator_client.get(
        admin_url(Registration, "changelist"), {"status__exact": "waitlisted"}
    )

    assert list(response.context["cl"].result_list) == [waiting]


def test_publish_action_publishes_session_when_listed_with_counts(coordinator_client):
    session = make_session()
    Session.objects.update(status="draft")

    response = coordinator_client.post(
        admin_url(Session, "changelist"), {"action": "publish", "_selected_action": [session.pk]}
    )

    assert response.status_code == 302
    assert list(Session.objects.published()) == [session]


# The "Coördinator" group (data migration events 0002)

CONTENT_APPS = ["campaign", "schools", "companies", "events"]


def coordinator_codenames():
    group = Group.objects.get(name=group_migration.GROUP_NAME)
    return {
        (permission.content_type.app_label, permission.codename)
        for permission in group.permissions.select_related("content_type")
    }


def expected_codenames():
    from django.apps import apps

    expected = {("django_tasks_database", "view_dbtaskresult")}
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            for action in ("add", "change", "delete", "view"):
                expected.add((label, f"{action}_{model._meta.model_name}"))
    return expected


def run_migration_function(function, migration="0002_coordinator_group"):
    state = MigrationExecutor(connection).loader.project_state(("events", migration), at_end=False)
    # The functions only need the connection of the schema editor.
    function(state.apps, SimpleNamespace(connection=connection))


def test_coordinator_group_has_content_permissions_when_migrated():
    # config's login permissions come from config's own migration (tests/config).
    assert {p for p in coordinator_codenames() if p[0] != "config"} == expected_codenames()


def test_coordinator_group_gets_no_user_permissions_when_migrated():
    assert not {codename for app, codename in coordinator_codenames() if app == "auth"}


def test_group_migration_creates_missing_permissions_when_database_is_fresh():
    # As on a fresh database mid-migrate: no content types or permissions yet.
    Group.objects.filter(name=group_migration.GROUP_NAME).delete()
    ContentType.objects.filter(app_label__in=CONTENT_APPS).delete()
    ContentType.objects.clear_cache()
    assert not Permission.objects.filter(content_type__app_label__in=CONTENT_APPS).exists()

    try:
        run_migration_function(group_migration.create_coordinator_group)
        run_migration_function(
            figures_migration.add_permissions, "0005_session_figures_permissions"
        )
        # Runs after its CreateModel in the same migration: the state includes the model.
        state = MigrationExecutor(connection).loader.project_state(
            ("campaign", "0003_outgoing_email"), at_end=True
        )
        outgoing_email_migration.give_coordinators_outgoing_email_permissions(
            state.apps, SimpleNamespace(connection=connection)
        )
        photo_state = MigrationExecutor(connection).loader.project_state(
            ("campaign", "0005_photo_register_permissions"), at_end=False
        )
        photo_migration.add_permissions(photo_state.apps, SimpleNamespace(connection=connection))
        counts_state = MigrationExecutor(connection).loader.project_state(
            ("events", "0009_remove_sessionfigures"), at_end=True
        )
        counts_migration.give_permissions(counts_state.apps, SimpleNamespace(connection=connection))
        region_state = MigrationExecutor(connection).loader.project_state(
            ("campaign", "0013_region_permissions"), at_end=False
        )
        region_migration.add_permissions(region_state.apps, SimpleNamespace(connection=connection))
        assert coordinator_codenames() == expected_codenames()
    finally:
        ContentType.objects.clear_cache()


def test_group_migration_changes_nothing_when_run_twice():
    before = coordinator_codenames()

    run_migration_function(group_migration.create_coordinator_group)

    assert coordinator_codenames() == before
    assert Group.objects.filter(name=group_migration.GROUP_NAME).count() == 1


def test_group_migration_removes_group_when_reversed():
    run_migration_function(group_migration.remove_coordinator_group)

    assert not Group.objects.filter(name=group_migration.GROUP_NAME).exists()
    run_migration_function(group_migration.create_coordinator_group)
    assert coordinator_codenames() == expected_codenames()


def test_group_migration_runs_after_every_content_app_when_planned():
    graph = MigrationExecutor(connection).loader.graph
    ancestors = graph.forwards_plan(("events", "0002_coordinator_group"))
    for label in [*CONTENT_APPS, "auth", "contenttypes", "django_tasks_database"]:
        assert any(app == label for app, _name in ancestors), label


def test_coordinator_can_search_related_rounds_when_filling_autocomplete(coordinator_client):
    MasterclassRoundFactory(name="Voorjaar 2027")
    MasterclassRoundFactory(name="Najaar 2026")

    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "session", "field_name": "round", "term": "voor"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Voorjaar 2027"]


def test_registration_add_keeps_the_form_when_the_service_refuses_after_validation(
    coordinator_client, monkeypatch
):
    """The seats' lock stayed taken (or a double click won): an error, no 500, nothing lost."""
    session = SessionFactory()

    def refuse(**kwargs):
        raise RegistrationError("Het is op dit moment erg druk; probeer het zo nog eens.")

    monkeypatch.setattr(events_admin, "register_for_session", refuse)

    response = coordinator_client.post(
        admin_url(Registration, "add"), registration_post_data(session, child_first_name="Sem")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "probeer het zo nog eens" in html
    assert 'value="Sem"' in html
    assert "is toegevoegd" not in html
    assert not Registration.objects.exists()
