"""Sign-up on the session page, the done page and the secret cancel link."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Registration
from tests.factories import (
    CampaignFactory,
    RegistrationFactory,
    SessionFactory,
    StorylineFactory,
)

pytestmark = pytest.mark.django_db

DOWN = {"default": {"BACKEND": "tests.mail_backends.DownEmailBackend"}}
UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def child_data(**overrides):
    data = {
        "form": "child",
        "child-child_first_name": "Noor",
        "child-child_group": "groep 8",
        "child-primary_school": "De Regenboog",
        "child-contact_name": "Sanne de Vries",
        "child-contact_email": "sanne@example.org",
        "child-has_parental_consent": "on",
        "child-website": "",
    }
    data.update(overrides)
    return data


def group_data(**overrides):
    data = {
        "form": "group",
        "group-primary_school": "De Regenboog",
        "group-contact_name": "Meester Jan",
        "group-contact_email": "jan@example.org",
        "group-pupil_count": "12",
        "group-website": "",
    }
    data.update(overrides)
    return data


def sign_up(client, session, data):
    return client.post(session.get_absolute_url(), data)


# Sign-up -------------------------------------------------------------------------


def test_child_signup_is_confirmed_and_mailed_with_ics_and_cancel_link_when_seats_free(
    client, mailoutbox
):
    session = SessionFactory(seats=5, title="Bouw een robotarm")

    response = sign_up(client, session, child_data())

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.child_first_name, registration.pupil_count) == ("Noor", 1)
    assert registration.has_parental_consent
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("events:session-signup-done", kwargs={"slug": session.slug})
    )
    (message,) = mailoutbox
    assert message.to == ["sanne@example.org"]
    assert "Bouw een robotarm" in message.subject
    assert "Noor" in message.body
    cancel_url = reverse("events:registration-cancel", kwargs={"token": registration.cancel_token})
    assert cancel_url in message.body
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"


def test_done_page_says_placed_or_waiting_without_personal_data(client):
    session = SessionFactory(seats=1)
    done = client.get(sign_up(client, session, child_data())["Location"])
    assert "Uw kind is aangemeld!" in done.content.decode()
    assert "Noor" not in done.content.decode()

    waiting = client.get(
        sign_up(client, session, child_data(**{"child-child_first_name": "Sem"}))["Location"]
    )
    assert "Uw kind staat op de wachtlijst" in waiting.content.decode()


def test_group_booking_counts_pupils_and_stores_no_names(client, mailoutbox):
    session = SessionFactory(seats=20, max_per_booking=15)

    sign_up(client, session, group_data())

    registration = Registration.objects.get()
    assert registration.kind == Registration.Kind.GROUP
    assert registration.pupil_count == 12
    assert registration.child_first_name == ""
    assert session.free_seats() == 8
    assert "Uw klas is aangemeld" in mailoutbox[0].body


def test_group_booking_is_refused_when_above_max_per_booking(client):
    session = SessionFactory(seats=40, max_per_booking=15)

    response = sign_up(client, session, group_data(**{"group-pupil_count": "16"}))

    assert response.status_code == 200
    assert "maximaal 15 leerlingen" in response.content.decode()
    assert not Registration.objects.exists()


def test_signup_goes_on_waiting_list_when_session_full(client, mailoutbox):
    session = SessionFactory(seats=1)
    RegistrationFactory(session=session)

    sign_up(client, session, child_data())

    assert Registration.objects.get(child_first_name="Noor").status == "waitlisted"
    assert "wachtlijst" in mailoutbox[0].subject.lower()
    assert mailoutbox[0].attachments == []


def test_group_that_does_not_fit_goes_on_waiting_list_while_child_still_fits(client):
    session = SessionFactory(seats=5, max_per_booking=30)

    sign_up(client, session, group_data(**{"group-pupil_count": "6"}))
    sign_up(client, session, child_data())

    statuses = dict(Registration.objects.values_list("kind", "status"))
    assert statuses == {"group": "waitlisted", "child": "confirmed"}


def test_same_child_twice_is_caught_with_a_clear_message(client):
    session = SessionFactory()
    sign_up(client, session, child_data())

    response = sign_up(
        client,
        session,
        child_data(
            **{"child-child_first_name": " noor ", "child-contact_email": "SANNE@example.org"}
        ),
    )

    assert response.status_code == 200
    assert "noor is al aangemeld voor deze masterclass" in response.content.decode()
    assert Registration.objects.count() == 1


def test_double_click_on_class_booking_is_caught(client):
    session = SessionFactory(seats=40)
    sign_up(client, session, group_data())

    response = sign_up(client, session, group_data())

    assert "Deze klas hebben we net al aangemeld" in response.content.decode()
    assert Registration.objects.count() == 1


def test_bad_input_gives_dutch_errors_and_keeps_what_was_typed(client):
    session = SessionFactory()

    response = sign_up(
        client,
        session,
        child_data(
            **{
                "child-contact_email": "geen-adres",
                "child-child_group": "",
                "child-has_parental_consent": "",
            }
        ),
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Dit e-mailadres klopt niet" in text
    assert "Vul de groep of de leeftijd van uw kind in." in text
    assert "Zonder toestemming van een ouder" in text
    assert 'value="Noor"' in text
    assert 'value="geen-adres"' in text
    assert 'aria-invalid="true"' in text
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"form": "child"},
        {"form": "group", "group-pupil_count": "veel"},
        {"form": "group", "group-pupil_count": "-3"},
        {"form": "group", "group-pupil_count": "9" * 40},
        {"form": "onzin"},
        {},
        {"form": "child", "child-child_first_name": "x" * 5000, "child-contact_email": "a@" * 300},
    ],
)
def test_garbage_input_never_gives_a_server_error(client, data):
    session = SessionFactory()
    response = sign_up(client, session, data)
    assert response.status_code == 200
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "starts", "message"),
    [
        (2, 5, 10, "Aanmelden kan vanaf"),
        (-5, -1, 10, "Aanmelden is gesloten"),
    ],
)
def test_signup_is_refused_outside_the_window(client, opens, closes, starts, message):
    now = timezone.now()
    session = SessionFactory(
        registration_opens_at=now + dt.timedelta(days=opens),
        registration_closes_at=now + dt.timedelta(days=closes),
        starts_at=now + dt.timedelta(days=starts),
    )

    response = sign_up(client, session, child_data())

    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'name="form"' not in text
    assert not Registration.objects.exists()


def test_signup_is_refused_when_session_is_past(client):
    start = timezone.now() - dt.timedelta(days=2)
    session = SessionFactory(
        starts_at=start,
        registration_opens_at=start - dt.timedelta(days=20),
        registration_closes_at=start - dt.timedelta(days=1),
    )
    response = sign_up(client, session, child_data())
    assert "al geweest" in response.content.decode()
    assert not Registration.objects.exists()


def test_honeypot_pretends_success_and_stores_nothing(client, mailoutbox):
    session = SessionFactory()

    response = sign_up(client, session, child_data(**{"child-website": "http://spam.example"}))

    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert mailoutbox == []


def test_too_many_signups_get_a_friendly_429_and_store_nothing(client, settings):
    settings.MASTERCLASS_SIGNUP_RATE_PER_IP = "2/h"
    session = SessionFactory(seats=50, max_per_booking=5)
    for number in range(2):
        sign_up(client, session, group_data(**{"group-pupil_count": str(number + 1)}))

    response = sign_up(client, session, group_data(**{"group-pupil_count": "3"}))

    assert response.status_code == 429
    assert "probeer het later nog eens" in response.content.decode().lower()
    assert Registration.objects.count() == 2


def test_signup_without_csrf_token_is_refused(mailoutbox):
    session = SessionFactory()
    response = Client(enforce_csrf_checks=True).post(session.get_absolute_url(), child_data())
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_session_page_with_forms_is_not_stored_in_shared_caches(client):
    response = client.get(SessionFactory().get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_session_page_shows_privacy_statement_and_no_registrations(client):
    session = SessionFactory()
    RegistrationFactory(
        session=session, child_first_name="Geheimnaam", contact_email="x@example.org"
    )

    text = client.get(session.get_absolute_url()).content.decode()

    assert "Wat doen we met deze gegevens?" in text
    assert "dagen na de masterclass verwijderen we de aanmelding" in text
    assert "Geheimnaam" not in text
    assert "x@example.org" not in text


def test_full_session_page_offers_the_waiting_list(client):
    session = SessionFactory(seats=1)
    RegistrationFactory(session=session)
    text = client.get(session.get_absolute_url()).content.decode()
    assert "Vol — wachtlijst" in text
    assert "Zet mijn kind op de wachtlijst" in text


# Mail server down ----------------------------------------------------------------


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_signups_are_stored_and_mailed_later_when_mail_server_is_down(client, settings):
    settings.TASKS = DB_TASKS
    settings.MAILERS = DOWN
    session = SessionFactory(seats=2)

    for name in ["Noor", "Sem", "Fleur"]:
        response = sign_up(client, session, child_data(**{"child-child_first_name": name}))
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200
    run_worker()

    assert Registration.objects.count() == 3
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 3

    settings.MAILERS = UP
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()

    assert len(mail.outbox) == 3
    assert sum(bool(message.attachments) for message in mail.outbox) == 2


# Cancel link ---------------------------------------------------------------------


def cancel_url(registration):
    return reverse("events:registration-cancel", kwargs={"token": registration.cancel_token})


def test_cancel_page_asks_first_and_changes_nothing_on_get(client):
    registration = RegistrationFactory(child_first_name="Noor")

    response = client.get(cancel_url(registration))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Ja, meld af" in text
    assert "Noor" in text
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_cancel_works_once_and_promotes_the_first_that_fits(client, mailoutbox):
    session = SessionFactory(seats=3, max_per_booking=10)
    placed = RegistrationFactory(
        session=session,
        kind="group",
        pupil_count=3,
        child_first_name="",
        has_parental_consent=False,
    )
    too_big = RegistrationFactory(
        session=session,
        kind="group",
        pupil_count=4,
        child_first_name="",
        has_parental_consent=False,
        status="waitlisted",
    )
    first_child = RegistrationFactory(session=session, status="waitlisted")
    second_child = RegistrationFactory(session=session, status="waitlisted")
    third_child = RegistrationFactory(session=session, status="waitlisted")
    fourth_child = RegistrationFactory(session=session, status="waitlisted")

    response = client.post(cancel_url(placed))

    assert "U bent afgemeld" in response.content.decode()
    statuses = {r.pk: r.status for r in Registration.objects.filter(session=session).order_by("pk")}
    assert statuses == {
        placed.pk: "cancelled",
        too_big.pk: "waitlisted",
        first_child.pk: "confirmed",
        second_child.pk: "confirmed",
        third_child.pk: "confirmed",
        fourth_child.pk: "waitlisted",
    }
    promoted_mails = [m for m in mailoutbox if "Er is plek" in m.subject]
    assert sorted(m.to[0] for m in promoted_mails) == sorted(
        r.contact_email for r in (first_child, second_child, third_child)
    )
    assert all(m.attachments for m in promoted_mails)

    again = client.post(cancel_url(placed))
    assert "al afgemeld" in again.content.decode().lower()
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_unknown_cancel_token_gives_a_clear_404(client):
    response = client.get(reverse("events:registration-cancel", kwargs={"token": "x" * 43}))
    assert response.status_code == 404
    assert "Deze afmeldlink kennen we niet" in response.content.decode()
    assert (
        client.post(reverse("events:registration-cancel", kwargs={"token": "raden"})).status_code
        == 404
    )


def test_cancel_token_is_long_and_random():
    tokens = {RegistrationFactory().cancel_token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)


def test_cancel_is_refused_when_session_already_started(client):
    start = timezone.now() - dt.timedelta(hours=1)
    registration = RegistrationFactory(
        session=SessionFactory(
            starts_at=start,
            registration_opens_at=start - dt.timedelta(days=10),
            registration_closes_at=start - dt.timedelta(days=1),
        )
    )
    response = client.post(cancel_url(registration))
    assert "afmelden kan niet meer" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_group_that_does_not_fit_is_told_how_many_seats_are_left(client, mailoutbox):
    session = SessionFactory(seats=24, max_per_booking=30)
    RegistrationFactory(  # 3 of 24 seats free
        session=session,
        kind=Registration.Kind.GROUP,
        child_first_name="",
        child_group="",
        has_parental_consent=False,
        pupil_count=21,
    )

    response = sign_up(client, session, group_data(**{"group-pupil_count": "12"}))

    assert Registration.objects.get(contact_email="jan@example.org").status == (
        Registration.Status.WAITLISTED
    )
    text = client.get(response["Location"]).text
    assert "Nog 3 plaatsen vrij" in text
    assert "uw klas van 12 leerlingen past daar niet in" in text
    assert "Alle plaatsen" not in text
    body = mailoutbox[-1].body
    assert "Nog 3 plaatsen vrij" in body and "12 leerlingen" in body
    assert "Alle plaatsen" not in body


def test_waitlisted_when_full_is_told_all_seats_are_taken(client, mailoutbox):
    session = SessionFactory(seats=1)
    RegistrationFactory(session=session, pupil_count=1)

    response = sign_up(client, session, child_data())

    assert "Alle plaatsen zijn op dit moment bezet" in client.get(response["Location"]).text
    assert "Alle plaatsen zijn op dit moment bezet" in mailoutbox[-1].body


def test_group_form_says_before_sending_that_a_bigger_group_will_wait(client):
    session = SessionFactory(seats=24, max_per_booking=30)
    RegistrationFactory(
        session=session,
        kind=Registration.Kind.GROUP,
        child_first_name="",
        child_group="",
        has_parental_consent=False,
        pupil_count=21,
    )
    text = client.get(session.get_absolute_url()).text
    assert "Er zijn nog 3 plaatsen vrij. Is uw groep groter, dan komt die op de wachtlijst." in text


def test_signup_for_another_campaigns_session_stays_in_its_space_and_is_signed_by_it(
    client, mailoutbox
):
    CampaignFactory(name="Techniek voor iedereen")
    care = CampaignFactory(name="Zorg doet ertoe", slug="zorg")
    session = SessionFactory(storyline=StorylineFactory(campaign=care), seats=5)
    assert session.get_absolute_url().startswith("/zorg/masterclasses/")

    response = sign_up(client, session, child_data())

    assert response.status_code == 302
    assert response["Location"].startswith(f"/zorg/masterclasses/{session.slug}/aangemeld/")
    assert "Uw kind is aangemeld!" in client.get(response["Location"]).content.decode()
    (message,) = mailoutbox
    assert "Groeten van Zorg doet ertoe" in message.body
    assert f"/zorg/masterclasses/{session.slug}/" in message.body
