"""One form of address per audience (README, "Tone"): pages for adults never say "je"."""

import re

import pytest
from django.urls import reverse

from events.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory, SchoolFactory, SessionFactory

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def informal_words(html: str) -> list[str]:
    text = visible_text(html)
    return [text[max(m.start() - 40, 0) : m.end() + 40] for m in INFORMAL.finditer(text)]


@pytest.fixture
def adult_pages():
    CampaignFactory()
    SchoolFactory(name="Het Baken")
    session = SessionFactory(summary="", description="")
    registration = RegistrationFactory(session=session)
    done = reverse("events:session-signup-done", args=[session.slug])
    return {
        "parents": reverse("audience-parents"),
        "schools": reverse("audience-schools"),
        "companies": reverse("audience-companies"),
        "comparison": reverse("school-compare"),
        "done, child": done + "?status=confirmed&soort=child",
        "done, class waits": done
        + f"?status={Registration.Status.WAITLISTED}&soort=group&aantal=9",
        "cancel": reverse("events:registration-cancel", args=[registration.cancel_token]),
    }


def test_pages_for_parents_schools_and_companies_say_u_not_je(client, adult_pages):
    found = {}
    for name, path in adult_pages.items():
        response = client.get(path)
        assert response.status_code == 200, name
        if words := informal_words(response.text):
            found[name] = words
    assert not found


def test_signup_forms_speak_to_the_parent_or_teacher_with_u(client):
    session = SessionFactory(summary="", description="")
    text = visible_text(client.get(session.get_absolute_url()).text)
    form = text.split("Aanmelden", 1)[1]
    assert not INFORMAL.search(form), INFORMAL.findall(form)
    assert "Over uw kind" in form and "Uw naam (ouder of verzorger)" in form


def test_mails_to_adults_say_u(client, mailoutbox):
    session = SessionFactory(seats=1)
    data = {
        "form": "group",
        "group-primary_school": "De Regenboog",
        "group-contact_name": "Meester Jan",
        "group-contact_email": "jan@example.org",
        "group-pupil_count": "5",
        "group-website": "",
    }
    client.post(session.get_absolute_url(), data)
    (message,) = mailoutbox
    assert not INFORMAL.search(message.body), INFORMAL.findall(message.body)


def test_refusals_of_a_sign_up_say_u_when_a_parent_or_teacher_sends_again(client):
    from tests.events.test_signup import child_data, group_data

    def refusal(data):
        html = client.post(session.get_absolute_url(), data).text
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, flags=re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", " ".join(errors)).split())

    session = SessionFactory(seats=40, max_per_booking=10)
    refusals = []
    for data in (child_data(), group_data(**{"group-pupil_count": "5"})):
        client.post(session.get_absolute_url(), data)
        refusals.append(refusal(data))
    refusals.append(refusal(group_data(**{"group-pupil_count": "11"})))

    assert "al aangemeld" in refusals[0] and "al aangemeld" in refusals[1]
    assert "maximaal 10 leerlingen" in refusals[2]
    assert [INFORMAL.findall(text) for text in refusals] == [[], [], []]
