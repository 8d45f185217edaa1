"""A parent signs a child up through the real form, gets the mail, cancels, the seat comes free."""

import re

import pytest
from playwright.sync_api import expect

from events.models import Registration, Session
from tests.browser.watch import PHONE, axe_problems, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEATS_LEFT = re.compile(r"nog (\d+) van de (\d+) vrij")


def open_session() -> Session:
    return next(
        session
        for session in Session.objects.public().with_seats().order_by("starts_at")
        if session.registration_state() == Session.State.OPEN
    )


def seats_left(page) -> int:
    return int(SEATS_LEFT.search(page.locator(".facts").inner_text()).group(1))


def test_parent_signs_up_gets_mail_cancels_and_the_seat_comes_free(site, watched_page, mailoutbox):
    page = watched_page.page
    page.set_viewport_size(PHONE)
    session = open_session()
    page.goto(site.url(session.get_absolute_url()))
    before = seats_left(page)
    assert axe_problems(page) == []

    # A mistake first: the form comes back in Dutch with everything typed kept.
    page.get_by_label("Voornaam van uw kind").fill("Noor")
    page.get_by_label("Groep of leeftijd").fill("groep 8")
    page.get_by_label("Basisschool").fill("De Regenboog")
    page.get_by_label("Uw naam (ouder of verzorger)").fill("Sanne de Vries")
    page.get_by_label("Uw e-mailadres").fill("sanne@example")
    page.get_by_role("button", name="Meld mijn kind aan").click()
    assert page.get_by_text("Nog niet aangemeld").is_visible()
    assert page.get_by_label("Voornaam van uw kind").input_value() == "Noor"
    assert page.get_by_text("Zonder toestemming van een ouder").is_visible()

    page.get_by_label("Uw e-mailadres").fill("sanne@example.org")
    page.get_by_label("Ik ben ouder of verzorger van dit kind").check()
    page.get_by_role("button", name="Meld mijn kind aan").click()

    page.get_by_role("heading", name="Uw kind is aangemeld!").wait_for()
    assert watched_page.problems() == []
    registration = Registration.objects.get(contact_email="sanne@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    (message,) = mailoutbox
    assert message.to == ["sanne@example.org"]
    assert message.attachments[0][0].endswith(".ics")
    cancel_url = re.search(r"http\S+/masterclasses/annuleren/\S+/", message.body).group(0)

    page.goto(site.url(session.get_absolute_url()))
    assert seats_left(page) == before - 1

    page.goto(cancel_url)
    assert page.get_by_text("Aanmelding van Noor").is_visible()
    assert axe_problems(page) == []
    page.get_by_role("button", name="Ja, meld af").click()
    page.get_by_role("heading", name="U bent afgemeld").wait_for()

    page.goto(site.url(session.get_absolute_url()))
    assert seats_left(page) == before
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    # The link works once.
    page.goto(cancel_url)
    assert page.get_by_role("heading", name="Al afgemeld").is_visible()
    assert watched_page.problems() == []


def test_teacher_books_a_class_through_the_second_form(site, watched_page, mailoutbox):
    page = watched_page.page
    session = open_session()
    page.goto(site.url(session.get_absolute_url()))

    page.get_by_text("Ik meld een klas aan").click()
    page.get_by_label("School", exact=True).fill("Basisschool De Zeester")
    page.get_by_label("Aantal leerlingen").fill("3")
    page.get_by_label("Naam leerkracht").fill("Meester Jan")
    page.get_by_label("E-mailadres leerkracht").fill("jan@example.org")
    page.get_by_role("button", name="Meld mijn klas aan").click()

    page.get_by_role("heading", name="Uw klas is aangemeld!").wait_for()
    booking = Registration.objects.get(contact_email="jan@example.org")
    assert (booking.kind, booking.pupil_count, booking.child_first_name) == ("group", 3, "")
    assert watched_page.problems() == []


def test_partner_signs_up_on_a_mixed_session_apart_from_the_pupils(site, watched_page, mailoutbox):
    """Pupils' forms and the partners' form on one page; the partner takes a partner seat."""
    page = watched_page.page
    session = Session.objects.with_seats().get(audience_type="both")
    pupils_left = session.seats_left
    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page,
            site.url(session.get_absolute_url()),
            name="session-mixed",
            width=width,
            h1=session.title,
        )
    assert problems == []
    page.set_viewport_size(PHONE)
    partners = page.locator(".signup-partners")
    expect(partners.get_by_role("heading")).to_have_text(
        "Voor partners: medewerkers van scholen, bedrijven en gemeenten"
    )

    # "Andere organisatie" without its name: a Dutch message, the rest kept.
    partners.locator("summary").click()
    partners.get_by_label("Uw naam").fill("Ilse Bakker")
    partners.get_by_label("Uw functie").fill("Beleidsmedewerker onderwijs")
    partners.get_by_label("Uw e-mailadres").fill("ilse@example.org")
    partners.get_by_label("Organisatie uit de lijst").select_option(
        label="Andere organisatie (hieronder invullen)"
    )
    partners.get_by_role("button", name="Meld mij aan").click()
    partners = page.locator(".signup-partners")
    expect(partners.get_by_text("Vul de naam van uw organisatie in.")).to_be_visible()
    assert partners.get_by_label("Uw functie").input_value() == "Beleidsmedewerker onderwijs"

    partners.get_by_label("Andere organisatie: naam").fill("Gemeente Hoorn")
    partners.get_by_label("Gemeente").check()
    partners.get_by_label("Dieetwensen").fill("vegetarisch")
    partners.get_by_role("button", name="Meld mij aan").click()

    page.get_by_role("heading", name="U bent aangemeld!").wait_for()
    assert watched_page.problems() == []
    registration = Registration.objects.get(contact_email="ilse@example.org")
    assert (registration.kind, registration.status) == ("partner", "confirmed")
    assert registration.organisation_name == "Gemeente Hoorn"
    (message,) = mailoutbox
    assert message.attachments[0][0].endswith(".ics")
    counted = Session.objects.with_seats().get(pk=session.pk)
    assert counted.seats_left == pupils_left
    assert counted.partner_seats_left == session.partner_seats_left - 1
