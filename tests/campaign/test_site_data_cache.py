"""The site data every page needs (the region, the campaigns, the theme's fingerprint) comes
from the shared cache while no content changed, and is read again right after a write."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaign.content_version import versioned
from campaign.models import Region, RegionPartner
from campaign.region import get_region
from campaign.sites import CampaignDirectory
from campaign.theme import public_theme
from tests.factories import CampaignFactory, RegionFactory, StorylineFactory

pytestmark = pytest.mark.django_db


def get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def test_region_is_read_once_per_content_version(rf, django_assert_num_queries):
    RegionFactory(name="Regio Zuidwoud")
    with django_assert_num_queries(1):
        assert get_region(rf.get("/")).name == "Regio Zuidwoud"
    with django_assert_num_queries(0):
        assert get_region(rf.get("/")).name == "Regio Zuidwoud"


def test_campaigns_are_read_once_per_content_version(django_assert_num_queries):
    campaign = CampaignFactory()
    with django_assert_num_queries(1):
        assert CampaignDirectory().primary() == campaign
    with django_assert_num_queries(0):
        assert CampaignDirectory().primary() == campaign


def test_a_region_change_shows_in_the_footer_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    CampaignFactory()
    region = RegionFactory(name="Regio Zuidwoud")
    first, _ = get(client, "/")
    assert "Regio Zuidwoud" in first.content.decode()
    warm_queries = get(client, "/")[1]

    with django_capture_on_commit_callbacks(execute=True):
        region.name = "Regio Noordwoud"
        region.save()
        RegionPartner.objects.create(region=region, name="Gemeente Noordwoud")
    response, queries = get(client, "/")
    body = response.content.decode()
    assert "Regio Noordwoud" in body and "Gemeente Noordwoud" in body
    assert "Regio Zuidwoud" not in body
    assert queries > warm_queries  # read again after the write


def test_a_change_is_seen_before_its_commit_by_the_same_transaction(rf):
    region = RegionFactory(name="Regio Zuidwoud")
    assert get_region(rf.get("/")).name == "Regio Zuidwoud"
    # The test's transaction never commits: the version starts anew at the save itself.
    region.name = "Regio Noordwoud"
    region.save()
    assert get_region(rf.get("/")).name == "Regio Noordwoud"


def test_a_campaign_name_change_shows_in_the_title_on_the_next_request(client):
    campaign = CampaignFactory(name="Techniek doet het")
    assert "Techniek doet het" in get(client, "/")[0].content.decode()
    campaign.name = "Techniek doet het echt"
    campaign.save()
    title = get(client, "/")[0].content.decode().split("<title>")[1].split("</title>")[0]
    assert "Techniek doet het echt" in title


def test_a_campaign_reaching_its_publication_time_shows_without_a_write(client):
    CampaignFactory()
    later = CampaignFactory(
        name="Zorg doet ertoe", slug="zorg", published_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert get(client, "/zorg/")[0].status_code == 404
    moment = later.published_at + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        response, _ = get(client, "/zorg/")
    assert response.status_code == 200 and "Zorg doet ertoe" in response.content.decode()
    # ... and leaves at its "offline vanaf" in the same way.
    later.unpublish_at = moment + dt.timedelta(hours=1)
    later.save()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert get(client, "/zorg/")[0].status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=later.unpublish_at):
        assert get(client, "/zorg/")[0].status_code == 404


def test_a_storyline_colour_change_gives_a_new_stylesheet_at_once():
    campaign = CampaignFactory()
    storyline = StorylineFactory(campaign=campaign, color="#E6007E")
    before, css = public_theme(campaign)
    assert "accent" in css
    assert public_theme(campaign)[0] == before  # kept
    storyline.color = "#0A7B83"
    storyline.save()
    after, _ = public_theme(campaign)
    assert after != before


def test_site_data_is_read_from_the_database_when_the_cache_is_away(rf):
    RegionFactory(name="Regio Zuidwoud")
    with mock.patch.object(cache, "get", side_effect=ConnectionError("cache away")):
        assert get_region(rf.get("/")).name == "Regio Zuidwoud"
        assert versioned("iets", lambda: 42) == 42


def test_the_defaults_from_the_settings_are_kept_too(rf, django_assert_num_queries):
    assert not Region.objects.exists()
    with django_assert_num_queries(1):
        get_region(rf.get("/"))
    with django_assert_num_queries(0):
        assert get_region(rf.get("/")).pk is None
