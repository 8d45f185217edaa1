"""The session page and the agenda with the fragment cache on: the session with its seats,
the partner organisations to choose from, the storylines and each page of the agenda kept
for everyone per content version and until the next change by the clock; the parts around
the sign-up forms kept as fragments, the forms and their CSRF token rendered per visitor.

A sign-up saves a Registration, a content row (config.pagecache): it starts a new content
version, so the seats shown are never older than the last sign-up."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign.preview import preview_url
from campaign.publishing import PublicationStatus
from companies.models import Company
from events.models import Registration, Session, SessionAudience
from events.views import SessionListView
from tests.config.test_fragments import (  # noqa: F401 - the autouse fixtures apply here too
    _clocks_at_noon,
    _fragments_on,
    fragment_entries,
    get,
    html,
    travel,
)
from tests.events.test_partners import partner_data
from tests.events.test_signup import child_data
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    RegistrationFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    add_care_campaign,
)

pytestmark = pytest.mark.django_db

AGENDA = reverse("events:session-list")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def same_for_everyone(page: str) -> str:
    """The page without the CSRF tokens (masked anew in every response)."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


@pytest.fixture
def session():
    CampaignFactory(name="Techniek doet het")
    storyline = StorylineFactory(title="Robotica", slug="robotica")
    session = SessionFactory(
        storyline=storyline,
        title="Robotles",
        slug="robotles",
        seats=20,
        host_school=SchoolFactory(name="Het Zuiderlicht"),
        audience_type=SessionAudience.BOTH,
        partner_seats=4,
    )
    session.companies.add(CompanyFactory(name="Lasbedrijf Kaag"))
    CompanyFactory(name="Installatiebedrijf Wit")
    return session


def cache_off(settings, client, path) -> str:
    settings.FRAGMENT_CACHE_SECONDS = 0
    try:
        return html(client, path)
    finally:
        settings.FRAGMENT_CACHE_SECONDS = 300


# ------------------------------------------------------------------ the session page


def test_a_session_page_a_second_time_costs_no_query_and_is_the_same_page(
    client, session, settings
):
    path = session.get_absolute_url()
    first, queries = get(client, path)
    assert queries and "Robotles</h1>" in first and "Lasbedrijf Kaag" in first
    assert "nog 20 van de 20 vrij" in first and "nog 4 van de 4 vrij" in first
    assert "Installatiebedrijf Wit</option>" in first  # the partners' choice, kept too
    names = {key.split(":")[-2] for key in fragment_entries()}
    # Around the forms, and each (empty) form's fields after its CSRF token.
    assert {"session", "session-end", "signup-child", "signup-group", "signup-partner"} <= names
    second, queries = get(client, path)
    assert queries == []
    assert same_for_everyone(second) == same_for_everyone(first)
    assert same_for_everyone(cache_off(settings, client, path)) == same_for_everyone(first)


def test_each_visitor_gets_a_csrf_token_of_their_own(session):
    path = session.get_absolute_url()
    tokens = [set(TOKEN.findall(html(Client(), path))) for _ in range(2)]
    assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]


def test_a_sign_up_shows_in_the_seats_on_the_next_page(
    client, session, django_capture_on_commit_callbacks
):
    path = session.get_absolute_url()
    assert "nog 20 van de 20 vrij" in html(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(path, child_data())
    assert response.status_code == 302
    assert Registration.objects.filter(session=session).count() == 1
    page = html(client, path)
    assert "nog 19 van de 20 vrij" in page and "nog 20 van de 20 vrij" not in page


def test_the_last_seat_taken_turns_the_page_to_the_waiting_list(client, session):
    Session.objects.filter(pk=session.pk).update(
        audience_type=SessionAudience.PUPILS, partner_seats=0
    )
    session.refresh_from_db()
    session.seats = 1
    session.save()
    path = session.get_absolute_url()
    assert "Meld mijn kind aan" in html(client, path)
    RegistrationFactory(session=session)  # a save: a new content version
    page = html(client, path)
    assert "Vol — wachtlijst" in page and "Zet mijn kind op de wachtlijst" in page


def test_a_cancellation_frees_the_seat_on_the_next_page(client, session):
    registration = RegistrationFactory(session=session)
    path = session.get_absolute_url()
    assert "nog 19 van de 20 vrij" in html(client, path)
    response = Client().post(
        reverse("events:registration-cancel", args=[registration.cancel_token])
    )
    assert response.status_code == 200
    assert "nog 20 van de 20 vrij" in html(client, path)


def test_a_save_of_the_session_shows_on_its_page(client, session):
    path = session.get_absolute_url()
    html(client, path)
    session.description = "<p>We bouwen een lasrobot.</p>"
    session.save()
    assert "We bouwen een lasrobot." in html(client, path)


def test_sign_up_opens_on_the_page_at_its_time(client, session):
    session.registration_opens_at = timezone.now() + dt.timedelta(minutes=2)
    session.save()
    path = session.get_absolute_url()
    page = html(client, path)
    assert "Aanmelden kan vanaf" in page and 'id="aanmelden"' not in page
    assert get(client, path)[1] == []  # kept meanwhile
    now, clock = travel(session.registration_opens_at + dt.timedelta(seconds=1))
    with now, clock:
        page = html(client, path)
    assert "Aanmelden is open" in page and "Meld mijn kind aan" in page


def test_sign_up_closes_on_the_page_at_its_time(client, session):
    session.registration_closes_at = timezone.now() + dt.timedelta(minutes=2)
    session.save()
    path = session.get_absolute_url()
    assert "Meld mijn kind aan" in html(client, path)
    now, clock = travel(session.registration_closes_at + dt.timedelta(seconds=1))
    with now, clock:
        page = html(client, path)
    assert "Aanmelden is gesloten." in page and "Meld mijn kind aan" not in page


def test_each_session_page_is_its_own(client, session):
    other = SessionFactory(title="Dronevliegen", slug="dronevliegen", storyline=session.storyline)
    for _ in range(2):  # fresh, then kept
        one, other_page = (
            html(client, session.get_absolute_url()),
            html(client, other.get_absolute_url()),
        )
        assert "Robotles</h1>" in one and "Dronevliegen</h1>" not in one
        assert "Dronevliegen</h1>" in other_page and "Lasbedrijf Kaag" not in other_page


def test_each_campaign_keeps_its_own_sessions_and_agenda(client, agenda):
    add_care_campaign(host_school=agenda.host_school)
    care_session = Session.objects.get(title="Zorgles")
    for _ in range(2):  # fresh, then kept
        assert "Zorgles</h1>" in html(client, care_session.get_absolute_url())
        assert client.get(f"{AGENDA}{care_session.slug}/").status_code == 404
        assert client.get(f"/zorg{agenda.get_absolute_url()}").status_code == 404
        care, primary = html(client, f"/zorg{AGENDA}"), html(client, AGENDA)
        assert "Zorgles" in care and "Robotles" not in care
        assert "Robotles" in primary and "Zorgles" not in primary


def test_a_coordinator_and_a_preview_link_see_the_session_as_it_is_now(
    client, coordinator, session
):
    draft = SessionFactory(
        title="Lassen", slug="lassen", storyline=session.storyline, status=PublicationStatus.DRAFT
    )
    path = session.get_absolute_url()
    html(client, path)
    assert client.get(draft.get_absolute_url()).status_code == 404
    kept = fragment_entries()
    Session.objects.filter(pk=session.pk).update(title="Robotles voor gevorderden")
    assert "Robotles</h1>" in html(client, path)  # no signal: kept for the public
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Robotles voor gevorderden</h1>" in html(logged_in, path)
    assert "Lassen</h1>" in html(Client(), preview_url(draft))
    assert "Lassen</h1>" in html(logged_in, draft.get_absolute_url())
    assert fragment_entries() == kept  # none of them read or replaced a fragment
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_form_sent_with_errors_comes_back_with_what_was_typed(client, session):
    path = session.get_absolute_url()
    html(client, path)  # the empty forms kept
    response = client.post(path, child_data(**{"child-contact_email": "geen-adres"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Sanne de Vries"' in page and "Dit e-mailadres klopt niet" in page
    # The next visitor gets empty forms.
    assert "Sanne de Vries" not in html(Client(), path)


def test_a_partner_choice_is_checked_against_the_organisations_as_they_are_now(client, session):
    path = session.get_absolute_url()
    newcomer = CompanyFactory(name="Windpark Noord", status=PublicationStatus.DRAFT)
    assert "Windpark Noord" not in html(client, path)
    # Published without a signal: the public's list is still the kept one...
    Company.objects.filter(pk=newcomer.pk).update(status=PublicationStatus.PUBLISHED)
    assert "Windpark Noord" not in html(client, path)
    # ...but a form that is sent is checked against the rows as they are now.
    data = partner_data(**{"partner-organisation": f"company-{newcomer.pk}"})
    response = Client().post(path, data)
    assert response.status_code == 302
    assert Registration.objects.get(session=session).partner_company == newcomer


# ------------------------------------------------------------------------ the agenda


@pytest.fixture
def agenda(session):
    other = StorylineFactory(title="Zorgtechniek", slug="zorgtechniek")
    SessionFactory(storyline=other, title="Tilliften", slug="tilliften")
    return session


def test_the_agenda_a_second_time_costs_no_query_and_is_the_same_page(client, agenda, settings):
    first, queries = get(client, AGENDA)
    assert queries and "Robotles" in first and "Tilliften" in first
    second, queries = get(client, AGENDA)
    assert queries == [] and second == first
    assert cache_off(settings, client, AGENDA) == first


def test_each_storyline_and_page_of_the_agenda_is_kept_apart(client, agenda, monkeypatch):
    monkeypatch.setattr(SessionListView, "paginate_by", 1)
    for _ in range(2):  # fresh, then kept
        robots = html(client, AGENDA + "?verhaallijn=robotica")
        assert "Robotles" in robots and "Tilliften" not in robots
        assert 'aria-current="page">' in robots and "Pagina 1 van 2" not in robots
        first, second = html(client, AGENDA), html(client, AGENDA + "?page=2")
        assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
        assert ("Robotles" in first) != ("Robotles" in second)
        assert ("Tilliften" in first) != ("Tilliften" in second)
    # An unknown storyline is the whole agenda; a page that is not there is a 404.
    unknown = html(client, AGENDA + "?verhaallijn=bestaat-niet")
    assert "Pagina 1 van 2" in unknown and ("Robotles" in unknown) == ("Robotles" in first)
    assert client.get(AGENDA + "?page=9").status_code == 404


def test_a_sign_up_and_a_new_session_show_in_the_agenda(client, agenda):
    assert "Leerlingen: nog 20 vrij" in html(client, AGENDA)
    response = Client().post(agenda.get_absolute_url(), child_data())
    assert response.status_code == 302
    assert "Leerlingen: nog 19 vrij" in html(client, AGENDA)
    SessionFactory(storyline=agenda.storyline, title="Lasrobots")
    page = html(client, AGENDA)
    assert "Leerlingen: nog 19 vrij" in page and "Lasrobots" in page


def test_a_session_that_has_ended_leaves_the_agenda_at_its_end(client, agenda):
    ending = SessionFactory(
        storyline=agenda.storyline,
        title="Nu bezig",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=5),
        registration_opens_at=timezone.now() - dt.timedelta(days=3),
        registration_closes_at=timezone.now() - dt.timedelta(days=2),
    )
    assert "Nu bezig" in html(client, AGENDA)
    assert get(client, AGENDA)[1] == []  # kept meanwhile
    now, clock = travel(ending.ends_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Nu bezig" not in html(client, AGENDA)


def test_a_coordinator_sees_the_agenda_as_it_is_now(client, coordinator, agenda):
    html(client, AGENDA)
    Session.objects.filter(pk=agenda.pk).update(title="Robotles voor gevorderden")
    assert "Robotles voor gevorderden" not in html(client, AGENDA)  # no signal: kept
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Robotles voor gevorderden" in html(logged_in, AGENDA)
