"""Content checks in the admin: readability next to each audience's target, long words in
pupil texts, vague link texts, and the storyline × audience matrix marking texts above target."""

import re

import pytest
from django.urls import reverse

from campaign.contentchecks import (
    check_text,
    is_vague_alt,
    lix_target,
    text_check_panel,
    vague_links,
)
from campaign.models import Audience
from tests.factories import (
    AudienceMessageFactory,
    NewsItemFactory,
    PageFactory,
    StorylineFactory,
)

pytestmark = pytest.mark.django_db

# Long sentences full of long words: far above every target (LIX > 70).
HARD = (
    "<p>Ter bevordering van de instroom in het technisch beroepsonderwijs wordt een "
    "gecoördineerde implementatiestrategie ontwikkeld, waarbij de verantwoordelijkheidsverdeling "
    "tussen onderwijsinstellingen en werkgeversorganisaties nadrukkelijk wordt geformaliseerd.</p>"
)
EASY = "<p>Tim bouwt een robot. Hij is blij. De robot kan rijden.</p>"


def test_targets_come_from_settings_and_audienceless_texts_use_the_parents_target(settings):
    settings.READABILITY_LIX_TARGETS = {"pupil": 30, "parent": 40, "school": 50, "company": 55}

    assert lix_target("pupil") == 30
    assert lix_target("") == 40
    assert check_text(rich=HARD, audience="company").target == 55


def test_text_is_above_target_only_when_its_lix_exceeds_it():
    assert check_text(rich=HARD, audience=Audience.PUPIL).is_above_target
    assert not check_text(rich=EASY, audience=Audience.PUPIL).is_above_target


def test_long_words_are_flagged_for_pupil_texts_only():
    assert "implementatiestrategie" in check_text(rich=HARD, audience=Audience.PUPIL).hard_words
    assert check_text(rich=HARD, audience=Audience.PARENT).hard_words == []


def test_vague_link_texts_are_found_whatever_their_case_and_punctuation():
    body = (
        '<p><a href="/a">Klik hier</a> of <a href="/b">lees meer…</a> of '
        '<a href="/c"><strong>hier</strong></a>, maar '
        '<a href="/d">het programma van de masterclass</a>.</p>'
    )
    assert vague_links(body) == ["Klik hier", "lees meer…", "hier"]


def test_message_change_page_shows_words_reading_time_lix_and_target(coordinator_client):
    message = AudienceMessageFactory(audience=Audience.PUPIL, headline="Doe mee", body=HARD)

    html = coordinator_client.get(
        reverse("admin:campaign_audiencemessage_change", args=[message.pk])
    ).content.decode()

    assert "woorden" in html and "minuut leestijd" in html
    assert "(doel: hoogstens 35)" in html
    assert "boven het doel" in html
    assert "<mark>implementatiestrategie</mark>" in html


def test_message_change_page_lists_vague_links(coordinator_client):
    message = AudienceMessageFactory(body='<p>Meer weten? <a href="/x">Klik hier</a>.</p>')

    html = coordinator_client.get(
        reverse("admin:campaign_audiencemessage_change", args=[message.pk])
    ).content.decode()

    assert "Links met een vage tekst" in html and "“Klik hier”" in html


def test_storyline_change_page_measures_pupil_text_and_each_message(coordinator_client):
    storyline = StorylineFactory(pupil_text="Bouw een robot. Het is leuk.")
    AudienceMessageFactory(storyline=storyline, audience=Audience.PARENT, body=HARD)

    html = coordinator_client.get(
        reverse("admin:campaign_storyline_change", args=[storyline.pk])
    ).content.decode()

    assert "leesbaarheid tekst voor leerlingen" in html.lower()
    assert "binnen het doel" in html
    assert "(doel: hoogstens 45)" in html and "boven het doel" in html


def test_page_change_page_uses_the_page_audience_target(coordinator_client):
    page = PageFactory(audience=Audience.SCHOOL, body=HARD)

    html = coordinator_client.get(
        reverse("admin:campaign_page_change", args=[page.pk])
    ).content.decode()

    assert "(doel: hoogstens 50)" in html and "boven het doel" in html


def test_news_change_page_shows_readability(coordinator_client):
    item = NewsItemFactory(body=EASY)

    html = coordinator_client.get(
        reverse("admin:schools_newsitem_change", args=[item.pk])
    ).content.decode()

    assert "(doel: hoogstens 45)" in html and "binnen het doel" in html


def test_add_pages_ask_to_save_first(coordinator_client):
    html = coordinator_client.get(reverse("admin:campaign_page_add")).content.decode()

    assert "Te zien na opslaan." in html


def test_matrix_marks_texts_above_their_audience_target(coordinator_client):
    storyline = StorylineFactory()
    AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL, body=HARD)
    AudienceMessageFactory(storyline=storyline, audience=Audience.PARENT, body=EASY)

    html = coordinator_client.get(reverse("admin:campaign_storyline_matrix")).content.decode()

    assert html.count('class="matrix-over"') == 1
    assert "Eén tekst is moeilijker dan het doel" in html
    assert "boven het doel (35)" in html
    assert "(doel 45)" in html


@pytest.mark.parametrize(
    ("alt", "vague"),
    [
        ("", True),
        ("foto", True),
        ("Afbeelding.", True),
        ("IMG_0412.jpg", True),
        ("robot-hero.png", True),
        ("Twee leerlingen solderen een printplaat", False),
    ],
)
def test_alt_texts_that_say_nothing_are_recognised(alt, vague):
    assert is_vague_alt(alt) is vague


def test_panel_has_the_same_elements_above_and_below_target():
    # The admin's hostile-text tests compare page structure: a title full of long words
    # must change the panel's words, not its elements.
    def tags(rich):
        return re.findall(r"</?\w+", text_check_panel("Kop", rich=rich, audience=Audience.PARENT))

    assert tags(HARD) == tags(EASY)
