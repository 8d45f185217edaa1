"""A published storyline has a picture; its promise of a masterclass is only made when true."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Audience, Storyline
from campaign.publishing import PublicationStatus
from tests.campaign.test_admin import admin_url, storyline_post_data
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    SessionFactory,
    StorylineFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db

NEEDS_IMAGE = "Een gepubliceerde verhaallijn heeft een hoofdafbeelding nodig"
NOT_PLANNED = "De volgende masterclasses over Robotica worden binnenkort gepland."


def test_publishing_a_storyline_without_image_is_refused_in_dutch():
    storyline = StorylineFactory.build(
        campaign=CampaignFactory(), status=PublicationStatus.PUBLISHED, hero_image=""
    )
    with pytest.raises(ValidationError) as error:
        storyline.full_clean()
    assert NEEDS_IMAGE in str(error.value.message_dict["hero_image"])


def test_a_draft_storyline_may_lack_an_image():
    storyline = StorylineFactory.build(
        campaign=CampaignFactory(), status=PublicationStatus.DRAFT, hero_image=""
    )
    storyline.full_clean()


def test_admin_refuses_to_publish_without_image_and_keeps_the_input(coordinator_client):
    campaign = CampaignFactory()
    data = storyline_post_data(campaign, status="published", title="Nieuwe lijn")

    response = coordinator_client.post(admin_url(Storyline, "add"), data)

    assert response.status_code == 200
    assert NEEDS_IMAGE in response.text
    assert 'value="Nieuwe lijn"' in response.text
    assert not Storyline.objects.exists()


def test_admin_publishes_a_storyline_with_an_image(coordinator_client):
    data = storyline_post_data(
        CampaignFactory(),
        status="published",
        hero_image=make_image_file(),
        hero_image_alt="Een robotarm",
    )
    response = coordinator_client.post(admin_url(Storyline, "add"), data)
    assert response.status_code == 302
    assert Storyline.objects.get().hero_image


def test_new_storyline_in_admin_is_placed_last_not_first(coordinator_client):
    StorylineFactory(order=4)
    response = coordinator_client.get(admin_url(Storyline, "add"))
    assert 'name="order" value="5"' in response.text


def test_storyline_card_without_image_gets_its_colour_and_icon(client):
    StorylineFactory(campaign=CampaignFactory(), slug="zonder", icon=Storyline.Icon.LEAF)
    html = client.get(reverse("campaign:storyline-list")).text
    assert 'class="card-image card-image-fallback"' in html


def storyline_with_signup_promise():
    storyline = StorylineFactory(campaign=CampaignFactory(), title="Robotica")
    AudienceMessageFactory(
        storyline=storyline,
        audience=Audience.PUPIL,
        cta_label="Meld je aan voor een masterclass",
        cta_url=reverse("events:session-list") + "?verhaallijn=" + storyline.slug,
    )
    return storyline


def test_signup_promise_is_shown_when_a_session_is_open_for_signup(client):
    storyline = storyline_with_signup_promise()
    SessionFactory(storyline=storyline)
    html = client.get(storyline.get_absolute_url()).text
    assert "Meld je aan voor een masterclass" in html
    assert NOT_PLANNED not in html


def test_signup_promise_becomes_the_truth_when_no_session_is_planned(client):
    storyline = storyline_with_signup_promise()
    html = client.get(storyline.get_absolute_url()).text
    assert "Meld je aan voor een masterclass" not in html
    assert NOT_PLANNED in html


def test_signup_promise_becomes_the_truth_when_signup_is_not_open_yet(client):
    storyline = storyline_with_signup_promise()
    SessionFactory(
        storyline=storyline,
        registration_opens_at=timezone.now() + dt.timedelta(days=3),
    )
    html = client.get(storyline.get_absolute_url()).text
    assert "Meld je aan voor een masterclass" not in html
    assert NOT_PLANNED not in html
    assert "Aanmelden kan binnenkort" in html
