"""Lists that grow with the content stop at a fixed length and link to the rest."""

import re

import pytest
from django.urls import reverse

from campaign.views import LINKED_CARDS
from schools.models import School
from tests.factories import CampaignFactory, CompanyFactory, SchoolFactory, StorylineFactory

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
