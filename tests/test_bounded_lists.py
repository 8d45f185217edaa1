"""Lists that grow with the content stop at a fixed length and link to the rest."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.sites import DETAIL_LINKS, DETAIL_SESSIONS
from campaign.views import LINKED_CARDS
from events.models import Session
from schools.models import School
from schools.views import SCHOOL_OPEN_DAYS
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    OpenDayFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    add_care_campaign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def storyline():
    CampaignFactory()
    return StorylineFactory(title="Robotica", slug="robotica")


def test_the_storyline_page_shows_a_few_schools_and_companies_when_there_are_many(
    client, storyline
):
    for i in range(LINKED_CARDS + 3):
        SchoolFactory(name=f"School {i:02}").storylines.add(storyline)
        CompanyFactory(name=f"Bedrijf {i:02}").storylines.add(storyline)
    html = client.get(storyline.get_absolute_url()).content.decode()
    assert len(re.findall(r'class="card school-card"', html)) == LINKED_CARDS
    assert len(re.findall(r'class="card company-card"', html)) == LINKED_CARDS
    assert f'href="{reverse("schools:school-list")}"' in html
    assert f'href="{reverse("companies:company-list")}?verhaallijn=robotica"' in html


def test_the_storyline_page_has_no_link_to_the_rest_when_all_are_shown(client, storyline):
    SchoolFactory(name="De Kwekerij").storylines.add(storyline)
    CompanyFactory(name="Robotbouw BV").storylines.add(storyline)
    html = client.get(storyline.get_absolute_url()).content.decode()
    assert "De Kwekerij" in html and "Robotbouw BV" in html
    assert "?verhaallijn=robotica" not in html.split("Robotbouw BV")[1]
    assert "Alle scholen" not in html.split("De Kwekerij")[1].split("</section>")[0]


def test_the_school_list_is_paged_and_keeps_its_filter(client):
    CampaignFactory()
    for i in range(30):
        SchoolFactory(name=f"School {i:02}", profile=School.Profile.TECHNICAL)
    first = client.get(reverse("schools:school-list") + "?profiel=technisch").content.decode()
    assert first.count('class="card school-card"') == 24
    assert 'href="/scholen/?profiel=technisch&amp;page=2"' in first
    second = client.get(reverse("schools:school-list") + "?profiel=technisch&page=2")
    assert second.content.decode().count('class="card school-card"') == 6
    assert 'href="/scholen/?profiel=technisch"' in second.content.decode()


def busy_school():
    """A school of the primary campaign with more of everything than its page shows, and
    more sessions in a second campaign too."""
    storyline = StorylineFactory(campaign=CampaignFactory(), title="Robotica", slug="robotica")
    school = SchoolFactory(name="De Kwekerij", slug="de-kwekerij")
    company = CompanyFactory(name="Robotbouw BV", slug="robotbouw")
    soon = timezone.now() + dt.timedelta(days=10)
    for i in range(DETAIL_SESSIONS + 2):
        session = SessionFactory(
            host_school=school, storyline=storyline, starts_at=soon + dt.timedelta(days=i)
        )
        session.companies.add(company)
    care = add_care_campaign(host_school=school)
    care_round = Session.objects.get(title="Zorgles").round
    for i in range(DETAIL_SESSIONS + 1):
        SessionFactory(
            host_school=school,
            storyline=Session.objects.get(title="Zorgles").storyline,
            round=care_round,
            title=f"Zorgles {i}",
        ).companies.add(company)
    for i in range(DETAIL_LINKS + 1):
        CompanyFactory(name=f"Bedrijf {i:02}").schools.add(school)
        company.schools.add(SchoolFactory(name=f"School {i:02}"))
    for i in range(SCHOOL_OPEN_DAYS + 1):
        OpenDayFactory(school=school, starts_at=soon + dt.timedelta(days=i))
    return school, company, care


def test_a_busy_school_page_shows_the_first_few_of_each_list_with_links_to_the_rest(client):
    school, _company, care = busy_school()
    html = client.get(school.get_absolute_url()).content.decode()
    own, other = html.split('id="other-campaigns-heading"')
    assert own.count('class="card session-card"') == DETAIL_SESSIONS
    assert f'href="{reverse("events:session-list")}">Alle masterclasses in de agenda' in own
    assert other.count('class="card session-card"') == DETAIL_SESSIONS
    assert f'href="/{care.slug}/masterclasses/">Alle masterclasses van {care.name}' in other
    assert html.count(">Bedrijf ") == DETAIL_LINKS
    assert f'href="{reverse("companies:company-list")}">Alle bedrijven' in html
    assert html.count('<li class="open-day">') == SCHOOL_OPEN_DAYS
    assert f'href="{reverse("schools:open-days")}">Alle open dagen' in html


def test_a_busy_company_page_shows_the_first_few_of_each_list_with_links_to_the_rest(client):
    _school, company, care = busy_school()
    html = client.get(company.get_absolute_url()).content.decode()
    own, other = html.split('id="other-campaigns-heading"')
    assert own.count('class="card session-card"') == DETAIL_SESSIONS
    assert f'href="{reverse("events:session-list")}">Alle masterclasses in de agenda' in own
    assert other.count('class="card session-card"') == DETAIL_SESSIONS
    assert f'href="/{care.slug}/masterclasses/">Alle masterclasses van {care.name}' in other
    assert html.count(">School ") == DETAIL_LINKS
    assert f'href="{reverse("schools:school-list")}">Alle scholen' in html


def test_a_quiet_school_page_has_no_links_to_the_rest(client):
    CampaignFactory()
    school = SchoolFactory(name="De Kwekerij")
    SessionFactory(host_school=school)
    CompanyFactory(name="Robotbouw BV").schools.add(school)
    html = client.get(school.get_absolute_url()).content.decode()
    assert "Robotbouw BV" in html and 'class="card session-card"' in html
    for link in ("Alle masterclasses", "Alle bedrijven", "Alle open dagen"):
        assert link not in html, link
