"""The coordinators' side of sign-up: fill rate, check-in, CSV, services behind status changes,
and fair hosting."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from events.admin import SessionAdmin
from events.models import Registration, Session
from tests.factories import (
    MasterclassRoundFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:events_{model._meta.model_name}_{view}", args=args)


def group(session, size, **kwargs):
    return RegistrationFactory(
        session=session,
        kind=Registration.Kind.GROUP,
        pupil_count=size,
        child_first_name="",
        has_parental_consent=False,
        **kwargs,
    )


def test_session_page_shows_fill_rate_waiting_list_and_registrations(coordinator_client):
    session = SessionFactory(seats=20)
    group(session, 15)
    RegistrationFactory(session=session, child_first_name="Noor")
    RegistrationFactory(session=session, child_first_name="Wachter", status="waitlisted")

    html = coordinator_client.get(admin_url(Session, "change", session.pk)).content.decode()

    assert "16 van de 20 plaatsen bezet (80%)" in html
    assert "wachtlijst: 1 aanmeldingen, 1 leerlingen" in html
    assert html.index("Noor") < html.index("Wachter")
    assert reverse("admin:events_session_export", args=[session.pk]) in html


def test_session_list_shows_fill_rate(coordinator_client):
    session = SessionFactory(seats=20)
    group(session, 5)
    html = coordinator_client.get(admin_url(Session, "changelist")).content.decode()
    assert '<td class="field-confirmed_pupils">5 / 20 (25%)</td>' in html


def test_csv_export_lists_registrations_of_the_session_safely(coordinator_client):
    session = SessionFactory(title="Robots bouwen")
    RegistrationFactory(session=session, child_first_name="=HYPERLINK(1)", attended=True)
    group(session, 12, primary_school="De Regenboog")
    RegistrationFactory(child_first_name="Andere sessie")

    response = coordinator_client.get(reverse("admin:events_session_export", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "masterclass"
    assert len(rows) == 3
    assert "'=HYPERLINK(1)" in rows[1] + rows[2]
    assert any("De Regenboog" in row and "12" in row for row in rows)
    assert "Andere sessie" not in response.content.decode("utf-8-sig")


def test_csv_export_action_on_the_session_list(coordinator_client):
    session = SessionFactory()
    RegistrationFactory(session=session, child_first_name="Noor")
    response = coordinator_client.post(
        admin_url(Session, "changelist"),
        {"action": "export_registrations", "_selected_action": [session.pk]},
    )
    assert response.status_code == 200
    assert "Noor" in response.content.decode("utf-8-sig")


def test_csv_export_is_refused_to_staff_outside_the_coordinator_group(client, django_user_model):
    staff = django_user_model.objects.create_user("stagiair", is_staff=True)
    client.force_login(staff)
    session = SessionFactory()
    response = client.get(reverse("admin:events_session_export", args=[session.pk]))
    assert response.status_code == 403


def test_check_in_through_the_list_and_actions(coordinator_client):
    first = RegistrationFactory()
    second = RegistrationFactory(session=first.session)

    response = coordinator_client.post(
        admin_url(Registration, "changelist"),
        {"action": "mark_attended", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert set(Registration.objects.values_list("attended", flat=True)) == {True}

    coordinator_client.post(
        admin_url(Registration, "changelist"),
        {"action": "mark_absent", "_selected_action": [second.pk]},
    )
    second.refresh_from_db()
    assert second.attended is False


def test_check_in_on_the_session_page(coordinator_client):
    registration = RegistrationFactory()
    session = registration.session
    page = coordinator_client.get(admin_url(Session, "change", session.pk))
    data = {}
    for form in [page.context["adminform"].form]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if hasattr(value, "pk"):
                value = value.pk
            if isinstance(value, list):
                value = [v.pk if hasattr(v, "pk") else v for v in value]
            if isinstance(value, dt.datetime):
                local = timezone.localtime(value)
                data[f"{name}_0"], data[f"{name}_1"] = (
                    local.strftime("%Y-%m-%d"),
                    local.strftime("%H:%M:%S"),
                )
                continue
            if value is not None:
                data[name] = value
    data.update(
        {
            "registrations-TOTAL_FORMS": "1",
            "registrations-INITIAL_FORMS": "1",
            "registrations-MIN_NUM_FORMS": "0",
            "registrations-MAX_NUM_FORMS": "0",
            "registrations-0-id": registration.pk,
            "registrations-0-session": session.pk,
            "registrations-0-attended": "true",
        }
    )
    response = coordinator_client.post(admin_url(Session, "change", session.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert registration.attended is True


def test_cancelling_in_the_admin_promotes_from_the_waiting_list(coordinator_client, mailoutbox):
    session = SessionFactory(seats=1)
    placed = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status="waitlisted")

    response = coordinator_client.post(
        admin_url(Registration, "changelist"),
        {"action": "cancel_selected", "_selected_action": [placed.pk]},
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert {m.to[0] for m in mailoutbox} == {placed.contact_email, waiting.contact_email}


def change_form_data(registration, **changes) -> dict:
    data = {
        "status": registration.status,
        "session": registration.session_id,
        "kind": registration.kind,
        "pupil_count": str(registration.pupil_count),
        "child_first_name": registration.child_first_name,
        "child_group": registration.child_group,
        "primary_school": registration.primary_school,
        "contact_name": registration.contact_name,
        "contact_email": registration.contact_email,
        "has_parental_consent": "on",
        "attended": "unknown",
    }
    return {**data, **changes}


def test_change_form_shows_status_but_never_changes_it(coordinator_client):
    session = SessionFactory(seats=1)
    placed = RegistrationFactory(session=session, child_first_name="Noor")
    other_session = SessionFactory(seats=1)
    url = admin_url(Registration, "change", placed.pk)

    form = coordinator_client.get(url).context["adminform"].form
    assert "status" not in form.fields
    assert "session" not in form.fields and "pupil_count" not in form.fields

    data = change_form_data(
        placed, status="waitlisted", session=other_session.pk, contact_name="Nieuwe naam"
    )
    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.status == Registration.Status.CONFIRMED
    assert placed.session == session
    assert placed.contact_name == "Nieuwe naam"


def test_status_button_on_the_change_form_goes_through_the_service(coordinator_client, mailoutbox):
    session = SessionFactory(seats=1)
    placed = RegistrationFactory(session=session, child_first_name="Noor")
    waiting = RegistrationFactory(session=session, status="waitlisted")
    html = coordinator_client.get(admin_url(Registration, "change", placed.pk)).content.decode()
    status_url = reverse("admin:events_registration_status", args=[placed.pk])
    assert f'formaction="{status_url}"' in html

    response = coordinator_client.post(status_url, {"status": "cancelled"}, follow=True)

    placed.refresh_from_db()
    waiting.refresh_from_db()
    assert placed.status == "cancelled"
    assert placed.cancelled_at is not None
    assert waiting.status == "confirmed"
    assert {m.to[0] for m in mailoutbox} == {placed.contact_email, waiting.contact_email}
    texts = [str(message) for message in response.context["messages"]]
    assert any("geannuleerd" in text for text in texts), texts


def test_a_refused_status_change_shows_only_the_error(coordinator_client, mailoutbox):
    session = SessionFactory(seats=1)
    placed = RegistrationFactory(session=session)
    status_url = reverse("admin:events_registration_status", args=[placed.pk])

    response = coordinator_client.post(status_url, {"status": "waitlisted"}, follow=True)

    placed.refresh_from_db()
    assert placed.status == Registration.Status.CONFIRMED
    messages = list(response.context["messages"])
    assert [message.level_tag for message in messages] == ["error"]
    assert "wachtlijst" in str(messages[0])
    assert "gewijzigd" not in response.content.decode()
    assert mailoutbox == []


def test_status_view_refuses_an_unknown_status_and_a_get(coordinator_client):
    placed = RegistrationFactory()
    status_url = reverse("admin:events_registration_status", args=[placed.pk])

    assert coordinator_client.get(status_url).status_code == 405
    response = coordinator_client.post(status_url, {"status": "bestaat-niet"}, follow=True)

    placed.refresh_from_db()
    assert placed.status == Registration.Status.CONFIRMED
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


def test_status_view_is_refused_without_change_permission(client, django_user_model):
    placed = RegistrationFactory()
    staff = django_user_model.objects.create_user("kijker", password="x", is_staff=True)
    client.force_login(staff)
    status_url = reverse("admin:events_registration_status", args=[placed.pk])

    response = client.post(status_url, {"status": "cancelled"})

    assert response.status_code == 403
    placed.refresh_from_db()
    assert placed.status == Registration.Status.CONFIRMED


def test_confirming_is_refused_when_no_seat_is_free(coordinator_client):
    session = SessionFactory(seats=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status="waitlisted")

    coordinator_client.post(
        admin_url(Registration, "changelist"),
        {"action": "confirm_selected", "_selected_action": [waiting.pk]},
    )

    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"


def test_adding_in_the_admin_respects_the_seats(coordinator_client, mailoutbox):
    session = SessionFactory(seats=1)
    RegistrationFactory(session=session)
    data = {
        "session": session.pk,
        "kind": "child",
        "pupil_count": "1",
        "child_first_name": "Laat",
        "child_group": "groep 7",
        "primary_school": "De Regenboog",
        "contact_name": "Ouder",
        "contact_email": "laat@example.org",
        "has_parental_consent": "on",
    }

    response = coordinator_client.post(admin_url(Registration, "add"), data)

    assert response.status_code == 302
    added = Registration.objects.get(child_first_name="Laat")
    assert added.status == Registration.Status.WAITLISTED
    assert mailoutbox[-1].to == ["laat@example.org"]


def test_more_seats_in_the_admin_promote_the_waiting_list(coordinator_client):
    session = SessionFactory(seats=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status="waitlisted")
    session.seats = 2

    class Form:
        changed_data = ["seats"]

    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    SessionAdmin(Session, site).save_model(request, session, Form(), change=True)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_hosting_view_orders_every_school_with_its_reasons(coordinator_client):
    today = timezone.localdate()
    old_round = MasterclassRoundFactory(
        starts_on=today - dt.timedelta(days=400), ends_on=today - dt.timedelta(days=380)
    )
    last_round = MasterclassRoundFactory(
        starts_on=today - dt.timedelta(days=200), ends_on=today - dt.timedelta(days=180)
    )
    new_round = MasterclassRoundFactory(
        starts_on=today + dt.timedelta(days=20), ends_on=today + dt.timedelta(days=40)
    )
    busy = SchoolFactory(name="Druk College")
    long_ago = SchoolFactory(name="Lang Geleden College")
    recent = SchoolFactory(name="Recent College")
    SchoolFactory(name="Nooit College")
    booked = SchoolFactory(name="Al Ingepland College")

    def hosted(school, masterclass_round):
        starts = timezone.make_aware(dt.datetime.combine(masterclass_round.starts_on, dt.time(14)))
        SessionFactory(
            host_school=school,
            round=masterclass_round,
            starts_at=starts,
            registration_opens_at=starts - dt.timedelta(days=30),
            registration_closes_at=starts - dt.timedelta(days=1),
        )

    hosted(busy, old_round)
    hosted(busy, last_round)
    hosted(long_ago, old_round)
    hosted(recent, last_round)
    hosted(booked, new_round)

    response = coordinator_client.get(
        reverse("admin:events_masterclassround_hosting"), {"ronde": new_round.pk}
    )

    assert response.status_code == 200
    order = [candidate.school.name for candidate in response.context["candidates"]]
    # Not hosted for a year and nothing planned first; then fewest hostings, longest ago;
    # the school that already hosts in the round last. All five are shown.
    assert order == [
        "Nooit College",
        "Lang Geleden College",
        "Recent College",
        "Druk College",
        "Al Ingepland College",
    ]
    html = response.content.decode()
    assert "nog nooit gastschool" in html
    assert "2 keer gastschool in de laatste 4 rondes" in html
    change = coordinator_client.get(admin_url(new_round.__class__, "change", new_round.pk))
    change_html = change.content.decode()
    assert all(name in change_html for name in order)
    assert "Nog aan de beurt dit jaar:" in change_html
