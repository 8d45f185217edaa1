"""The schools side by side for parents (/scholen/vergelijk/) and Dutch filter values."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus
from config.views import COMPARE_MAX
from schools.models import School
from tests.factories import (
    CompanyFactory,
    OpenDayFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
)

pytestmark = pytest.mark.django_db

COMPARE = reverse("school-compare")


def test_comparison_shows_every_public_school_with_its_criteria(client):
    storyline = StorylineFactory(title="Robotica")
    baken = SchoolFactory(
        name="Het Baken", town="Medemblik", profile=School.Profile.BROAD, learning_paths="basis"
    )
    baken.storylines.add(storyline)
    westerdijk = SchoolFactory(name="Westerdijk", town="Hoorn")
    OpenDayFactory(school=westerdijk, starts_at=timezone.now() + dt.timedelta(days=9))
    SessionFactory(host_school=westerdijk, title="Programmeer een robotarm")
    CompanyFactory(name="Robotwerk").schools.add(westerdijk)
    SchoolFactory(name="Conceptschool", status=PublicationStatus.DRAFT)

    response = client.get(COMPARE)
    text = response.text

    assert response.status_code == 200
    for shown in [
        "Het Baken",
        "Medemblik",
        "Breed (niet-technisch)",
        "basis",
        "Robotica",
        "Westerdijk",
        "Hoorn",
        "Programmeer een robotarm",
        "Robotwerk",
        "nog niet bekend",  # Het Baken has no open day
        "nu geen gepland",  # nor a masterclass
    ]:
        assert shown in text, shown
    assert "Conceptschool" not in text
    # Every cell names its school, for the stacked layout on phones.
    assert text.count('data-school="Het Baken"') == 8


def test_comparison_narrows_to_the_chosen_schools(client):
    SchoolFactory(name="Het Baken", slug="het-baken")
    SchoolFactory(name="Westerdijk", slug="westerdijk")
    SchoolFactory(name="De Kwekerij", slug="de-kwekerij")

    text = client.get(COMPARE, {"school": ["het-baken", "westerdijk"]}).text

    assert 'data-school="Het Baken"' in text and 'data-school="Westerdijk"' in text
    assert 'data-school="De Kwekerij"' not in text
    assert 'value="het-baken" checked' in text and 'value="de-kwekerij">' in text
    assert "Keuze wissen" in text


def test_comparison_shows_at_most_a_few_schools_at_once(client):
    for i in range(COMPARE_MAX + 2):
        SchoolFactory(name=f"School {i:02}", slug=f"school-{i:02}")
    text = client.get(COMPARE).text
    assert text.count('<th scope="col">') == COMPARE_MAX
    assert f"Hieronder staan {COMPARE_MAX} scholen uit de lijst." in text
    # Every school can still be chosen.
    assert text.count('type="checkbox" name="school"') == COMPARE_MAX + 2

    chosen = [f"school-{i:02}" for i in range(COMPARE_MAX + 1)]
    text = client.get(COMPARE, {"school": chosen}).text
    assert text.count('<th scope="col">') == COMPARE_MAX
    assert f"U koos meer dan {COMPARE_MAX} scholen" in text
    assert text.count(" checked>") == COMPARE_MAX


def test_comparison_shows_all_schools_when_the_choice_is_unknown(client):
    SchoolFactory(name="Het Baken")
    text = client.get(COMPARE, {"school": "<script>"}).text
    assert 'data-school="Het Baken"' in text
    assert "<script>" not in text.split("<main", 1)[1].split("</main>")[0]


def test_comparison_says_so_when_there_are_no_schools(client):
    assert "De scholen worden binnenkort toegevoegd." in client.get(COMPARE).text


def test_old_english_profile_values_redirect_to_the_dutch_ones(client):
    response = client.get(reverse("schools:school-list"), {"profiel": "technical", "x": "1"})
    assert response.status_code == 301
    assert response["Location"] == reverse("schools:school-list") + "?profiel=technisch&x=1"


@pytest.mark.parametrize(
    ("param", "profile"),
    [("technisch", "technical"), ("breed", "broad"), ("groen", "green")],
)
def test_school_list_filters_by_dutch_profile_value(client, param, profile):
    SchoolFactory(name="De Juiste", profile=profile)
    other = "green" if profile != "green" else "technical"
    SchoolFactory(name="De Andere", profile=other)
    response = client.get(reverse("schools:school-list"), {"profiel": param})
    assert response.status_code == 200
    assert "De Juiste" in response.text and "De Andere" not in response.text
    assert f'href="?profiel={param}" aria-current="page"' in response.text


def test_school_list_and_parents_page_lead_to_the_comparison(client):
    SchoolFactory()
    for path in (reverse("schools:school-list"), reverse("audience-parents")):
        assert f'href="{COMPARE}"' in client.get(path).text, path
