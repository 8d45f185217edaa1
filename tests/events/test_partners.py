"""Partners at the circus: their own seats, waiting list, sign-up form, mails and admin."""

import csv
import io

import pytest
from django.urls import reverse

from events.models import OrganisationType, Registration, Session, SessionAudience
from events.services import (
    RegistrationError,
    SignUp,
    cancel_registration,
    change_registration_status,
    register_for_session,
    send_reminder,
)
from tests.factories import CompanyFactory, RegistrationFactory, SchoolFactory, SessionFactory

pytestmark = pytest.mark.django_db


def mixed_session(**kwargs):
    return SessionFactory(
        **{"audience_type": SessionAudience.BOTH, "seats": 5, "partner_seats": 2, **kwargs}
    )


def partners_session(**kwargs):
    return SessionFactory(
        **{"audience_type": SessionAudience.PARTNERS, "seats": 0, "partner_seats": 3, **kwargs}
    )


def partner_registration(session, **kwargs):
    return RegistrationFactory(
        session=session,
        kind=Registration.Kind.PARTNER,
        child_first_name="",
        child_group="",
        primary_school="",
        has_parental_consent=False,
        contact_name=kwargs.pop("contact_name", "Ilse Bakker"),
        organisation_type=OrganisationType.MUNICIPALITY,
        organisation_name="Gemeente Hoorn",
        role="Beleidsmedewerker onderwijs",
        **kwargs,
    )


def partner_signup(number=1, **kwargs) -> SignUp:
    return SignUp(
        kind=Registration.Kind.PARTNER,
        contact_name=f"Partner {number}",
        contact_email=f"partner{number}@example.org",
        organisation_type=kwargs.pop("organisation_type", OrganisationType.OTHER),
        organisation_name=kwargs.pop("organisation_name", "Stichting Techniekpact"),
        role="Projectleider",
        **kwargs,
    )


def child_signup(number=1) -> SignUp:
    return SignUp(
        kind=Registration.Kind.CHILD,
        child_first_name=f"Kind{number}",
        child_group="groep 8",
        primary_school="De Regenboog",
        contact_name="Ouder",
        contact_email=f"ouder{number}@example.org",
        has_parental_consent=True,
    )


def partner_data(**overrides):
    data = {
        "form": "partner",
        "partner-contact_name": "Ilse Bakker",
        "partner-role": "Beleidsmedewerker onderwijs",
        "partner-contact_email": "ilse@example.org",
        "partner-organisation": "other",
        "partner-organisation_name": "Gemeente Hoorn",
        "partner-organisation_type": "municipality",
        "partner-dietary_needs": "vegetarisch",
        "partner-access_needs": "",
        "partner-website": "",
    }
    data.update(overrides)
    return data


def child_data():
    return {
        "form": "child",
        "child-child_first_name": "Noor",
        "child-child_group": "groep 8",
        "child-primary_school": "De Regenboog",
        "child-contact_name": "Sanne de Vries",
        "child-contact_email": "sanne@example.org",
        "child-has_parental_consent": "on",
        "child-website": "",
    }


# Seats and waiting lists -----------------------------------------------------------


def test_seats_are_counted_per_kind_when_session_is_mixed():
    session = mixed_session()
    RegistrationFactory(session=session)
    partner_registration(session)
    partner_registration(session, status=Registration.Status.WAITLISTED)

    counted = Session.objects.with_seats().get(pk=session.pk)

    assert (counted.seats_taken, counted.seats_left, counted.waitlisted_pupils) == (1, 4, 0)
    assert (counted.partner_seats_taken, counted.partner_seats_left) == (1, 1)
    assert counted.waitlisted_partners == 1


def test_partner_waits_when_partner_seats_are_taken_although_pupil_seats_are_free(mailoutbox):
    session = mixed_session(partner_seats=1)
    first = register_for_session(session=session, signup=partner_signup(1))
    second = register_for_session(session=session, signup=partner_signup(2))
    pupil = register_for_session(session=session, signup=child_signup())

    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITLISTED
    assert pupil.status == Registration.Status.CONFIRMED
    assert session.registration_state(partners=True) == Session.State.FULL
    assert session.registration_state(partners=False) == Session.State.OPEN


def test_pupil_waits_when_pupil_seats_are_taken_although_partner_seats_are_free():
    session = mixed_session(seats=1)
    register_for_session(session=session, signup=child_signup(1))

    waiting = register_for_session(session=session, signup=child_signup(2))

    assert waiting.status == Registration.Status.WAITLISTED
    assert register_for_session(session=session, signup=partner_signup()).status == "confirmed"


def test_cancelled_partner_seat_goes_to_the_first_waiting_partner_not_to_a_pupil(mailoutbox):
    session = mixed_session(seats=1, partner_seats=1)
    partner = register_for_session(session=session, signup=partner_signup(1))
    register_for_session(session=session, signup=child_signup(1))
    waiting_pupil = register_for_session(session=session, signup=child_signup(2))
    first_partner = register_for_session(session=session, signup=partner_signup(2))
    second_partner = register_for_session(session=session, signup=partner_signup(3))
    mailoutbox.clear()

    promoted = cancel_registration(registration=partner)

    assert promoted == [first_partner]
    waiting_pupil.refresh_from_db()
    second_partner.refresh_from_db()
    assert waiting_pupil.status == second_partner.status == Registration.Status.WAITLISTED
    cancelled, promoted_mail = mailoutbox
    assert promoted_mail.to == ["partner2@example.org"]
    assert "U stond op de wachtlijst en bent nu aangemeld." in promoted_mail.body


def test_coordinator_confirms_a_partner_only_into_a_free_partner_seat():
    session = mixed_session(seats=5, partner_seats=1)
    register_for_session(session=session, signup=partner_signup(1))
    waiting = register_for_session(session=session, signup=partner_signup(2))

    with pytest.raises(RegistrationError, match="niet genoeg vrije plaatsen voor partners"):
        change_registration_status(registration=waiting, status=Registration.Status.CONFIRMED)


@pytest.mark.parametrize(
    ("audience", "signup", "message"),
    [
        (SessionAudience.PUPILS, partner_signup, "alleen voor leerlingen"),
        (SessionAudience.PARTNERS, child_signup, "alleen voor partners"),
    ],
)
def test_signup_is_refused_when_session_is_not_for_that_kind(audience, signup, message):
    seats = {"seats": 0, "partner_seats": 3} if audience == SessionAudience.PARTNERS else {}
    session = SessionFactory(audience_type=audience, **seats)

    with pytest.raises(RegistrationError, match=message):
        register_for_session(session=session, signup=signup(), by_coordinator=True)


def test_same_partner_twice_is_refused_with_a_clear_message():
    session = partners_session()
    register_for_session(session=session, signup=partner_signup(1))

    with pytest.raises(RegistrationError, match="U bent al aangemeld"):
        register_for_session(session=session, signup=partner_signup(1))


# The public form -----------------------------------------------------------------


def test_mixed_session_page_shows_pupil_forms_and_a_separate_partner_form(client):
    school = SchoolFactory(name="Martinuscollege")
    company = CompanyFactory(name="Installatiebedrijf Wit")
    session = mixed_session()

    html = client.get(session.get_absolute_url()).content.decode()

    assert 'name="form" value="child"' in html
    assert 'name="form" value="group"' in html
    assert 'name="form" value="partner"' in html
    assert "Voor partners: medewerkers van scholen, bedrijven en gemeenten" in html
    assert '<optgroup label="Scholen">' in html
    assert f'<option value="school-{school.pk}">Martinuscollege</option>' in html
    assert f'<option value="company-{company.pk}">Installatiebedrijf Wit</option>' in html
    assert "Voor leerlingen en partners" in html
    assert "Leerlingen: nog 5 van de 5 vrij" in html
    assert "Partners: nog 2 van de 2 vrij" in html


def test_partners_session_page_shows_only_the_partner_form(client):
    html = client.get(partners_session().get_absolute_url()).content.decode()

    assert 'name="form" value="partner"' in html
    assert 'name="form" value="child"' not in html
    assert 'name="form" value="group"' not in html
    assert "Voor partners" in html


def test_pupils_session_page_has_no_partner_form_and_refuses_a_partner_post(client):
    session = SessionFactory()

    html = client.get(session.get_absolute_url()).content.decode()
    response = client.post(session.get_absolute_url(), partner_data())

    assert 'name="form" value="partner"' not in html
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_partner_from_the_list_is_confirmed_and_mailed_with_ics_and_cancel_link(client, mailoutbox):
    company = CompanyFactory(name="Installatiebedrijf Wit")
    session = mixed_session(title="Slimme installaties")

    response = client.post(
        session.get_absolute_url(),
        partner_data(
            **{
                "partner-organisation": f"company-{company.pk}",
                "partner-organisation_name": "",
                "partner-organisation_type": "",
            }
        ),
    )

    registration = Registration.objects.get()
    assert registration.kind == Registration.Kind.PARTNER
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.partner_company == company
    assert registration.organisation_type == OrganisationType.COMPANY
    assert (registration.child_first_name, registration.primary_school) == ("", "")
    assert registration.dietary_needs == "vegetarisch"
    done = reverse("events:session-signup-done", kwargs={"slug": session.slug})
    assert response["Location"] == f"{done}?status=confirmed&soort=partner"
    (message,) = mailoutbox
    assert message.to == ["ilse@example.org"]
    assert "U bent aangemeld voor de masterclass." in message.body
    assert "Organisatie: Installatiebedrijf Wit" in message.body
    assert "Dieetwensen: vegetarisch" in message.body
    assert registration.cancel_token in message.body
    assert any(name.endswith(".ics") for name, _content, _type in message.attachments)
    done_page = client.get(response["Location"]).content.decode()
    assert "U bent aangemeld!" in done_page


def test_partner_from_another_organisation_is_stored_with_the_typed_name_and_type(client):
    session = partners_session()

    client.post(session.get_absolute_url(), partner_data())

    registration = Registration.objects.get()
    assert registration.organisation_name == "Gemeente Hoorn"
    assert registration.organisation_type == OrganisationType.MUNICIPALITY
    assert registration.partner_school is None and registration.partner_company is None


def test_typed_name_without_a_choice_counts_as_another_organisation(client):
    session = partners_session()

    client.post(session.get_absolute_url(), partner_data(**{"partner-organisation": ""}))

    assert Registration.objects.get().organisation_name == "Gemeente Hoorn"


def test_partner_waiting_list_is_told_and_the_done_page_says_so(client, mailoutbox):
    session = partners_session(partner_seats=1)
    partner_registration(session)

    response = client.post(session.get_absolute_url(), partner_data())

    assert Registration.objects.get(contact_email="ilse@example.org").status == "waitlisted"
    (message,) = mailoutbox
    assert "Alle plaatsen voor partners zijn op dit moment bezet" in message.body
    assert "U staat op de wachtlijst" in client.get(response["Location"]).content.decode()


def test_full_partner_seats_offer_the_waiting_list_on_the_page(client):
    session = partners_session(partner_seats=1)
    partner_registration(session)

    html = client.get(session.get_absolute_url()).content.decode()

    assert "Alle plaatsen voor partners zijn bezet" in html
    assert "Zet mij op de wachtlijst" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"partner-organisation": "other", "partner-organisation_name": ""},
            "Vul de naam van uw organisatie in.",
        ),
        ({"partner-organisation_type": ""}, "Kies wat voor organisatie het is."),
        (
            {"partner-organisation": "", "partner-organisation_name": ""},
            "Kies uw organisatie uit de lijst",
        ),
        ({"partner-organisation": "school-999999"}, "Kies uw organisatie uit de lijst"),
        ({"partner-organisation_type": "school"}, "Kies een van de soorten organisatie."),
        ({"partner-role": ""}, "Vul uw functie in."),
        ({"partner-contact_email": "geen-adres"}, "Dit e-mailadres klopt niet"),
    ],
)
def test_bad_partner_input_gives_a_dutch_message_and_keeps_what_was_typed(
    client, overrides, message
):
    session = mixed_session()

    response = client.post(session.get_absolute_url(), partner_data(**overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Ilse Bakker"' in html
    assert 'aria-invalid="true"' in html
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"form": "partner"},
        {"form": "partner", "partner-organisation": "company-abc"},
        {"form": "partner", "partner-organisation": ["school-1", "company-1"]},
        {"form": "partner", "partner-contact_name": "x" * 5000, "partner-role": "y" * 5000},
    ],
)
def test_garbage_partner_input_never_gives_a_server_error(client, data):
    response = client.post(mixed_session().get_absolute_url(), data)
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_partner_signups_share_the_rate_limit_of_the_site(client, settings):
    settings.MASTERCLASS_SIGNUP_RATE_PER_IP = "1/h"
    session = mixed_session()
    client.post(session.get_absolute_url(), child_data())

    response = client.post(session.get_absolute_url(), partner_data())

    assert response.status_code == 429
    assert Registration.objects.count() == 1


def test_partner_cancel_page_names_the_partner(client):
    registration = partner_registration(partners_session())

    html = client.get(
        reverse("events:registration-cancel", kwargs={"token": registration.cancel_token})
    ).content.decode()

    assert "Aanmelding van Ilse Bakker" in html


def test_session_list_says_for_whom_and_free_seats_per_kind(client):
    mixed_session(title="Samen bouwen")
    partners_session(title="Netwerkmiddag")

    html = client.get(reverse("events:session-list")).content.decode()

    assert "Voor leerlingen en partners" in html
    assert "Leerlingen: nog 5 vrij" in html
    assert "Partners: nog 2 vrij" in html
    assert "Nog 3 plekken vrij" in html


# Admin -----------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:events_{model._meta.model_name}_{view}", args=args)


def test_admin_session_lists_and_shows_both_fill_rates(coordinator_client):
    session = mixed_session(seats=4, partner_seats=2)
    RegistrationFactory(session=session)
    partner_registration(session)

    changelist = coordinator_client.get(admin_url(Session, "changelist")).content.decode()
    change = coordinator_client.get(admin_url(Session, "change", session.pk)).content.decode()

    assert '<td class="field-confirmed_pupils">1 / 4 (25%)</td>' in changelist
    assert '<td class="field-confirmed_partners">1 / 2 (50%)</td>' in changelist
    assert "Partners: 1 van de 2 plaatsen bezet (50%)" in change
    assert "Gemeente Hoorn" in change
    assert "Beleidsmedewerker onderwijs" in change


def test_admin_session_form_checks_audience_against_seats(coordinator_client):
    from tests.events.test_admin import session_post_data

    response = coordinator_client.post(
        admin_url(Session, "add"),
        session_post_data(audience_type="partners", seats="10", partner_seats="0"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Een masterclass alleen voor partners heeft geen plaatsen voor leerlingen." in html
    assert "Een masterclass voor partners heeft plaatsen voor partners nodig." in html
    assert not Session.objects.exists()


def test_admin_adds_a_partner_through_the_service(coordinator_client, mailoutbox):
    session = partners_session(partner_seats=1)
    school = SchoolFactory(name="Martinuscollege")

    response = coordinator_client.post(
        admin_url(Registration, "add"),
        {
            "session": session.pk,
            "kind": "partner",
            "pupil_count": "1",
            "contact_name": "Ilse Bakker",
            "contact_email": "ilse@example.org",
            "organisation_type": "school",
            "partner_school": school.pk,
            "role": "Teamleider techniek",
            "access_needs": "rolstoel",
        },
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.kind, registration.status) == ("partner", "confirmed")
    assert registration.partner_school == school
    assert mailoutbox[0].to == ["ilse@example.org"]


def test_admin_refuses_a_partner_without_an_organisation(coordinator_client):
    session = partners_session()

    response = coordinator_client.post(
        admin_url(Registration, "add"),
        {
            "session": session.pk,
            "kind": "partner",
            "pupil_count": "1",
            "contact_name": "Ilse Bakker",
            "contact_email": "ilse@example.org",
            "organisation_type": "other",
            "role": "Adviseur",
        },
    )

    assert response.status_code == 200
    assert "Vul de naam van de organisatie in." in response.content.decode()
    assert not Registration.objects.exists()


def test_registrations_csv_has_the_partner_organisation_role_and_needs(coordinator_client):
    session = mixed_session()
    partner_registration(session, dietary_needs="=HYPERLINK(1)", access_needs="rolstoel")

    response = coordinator_client.get(reverse("admin:events_session_export", args=[session.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["organisatie (partner)"] == "Gemeente Hoorn"
    assert record["soort organisatie"] == "Gemeente"
    assert record["functie"] == "Beleidsmedewerker onderwijs"
    assert record["dieetwensen"] == "'=HYPERLINK(1)"
    assert record["toegankelijkheid"] == "rolstoel"


def test_partner_reminder_speaks_to_the_partner_and_carries_the_calendar(mailoutbox):
    registration = partner_registration(partners_session(), access_needs="rolstoel")

    assert send_reminder(registration=registration)

    (message,) = mailoutbox
    assert "Binnenkort is het zover: de masterclass waarvoor u bent aangemeld." in message.body
    assert "Organisatie: Gemeente Hoorn" in message.body
    assert "Toegankelijkheid: rolstoel" in message.body
    assert "Kind:" not in message.body
    assert any(name.endswith(".ics") for name, _content, _type in message.attachments)
