"""A campaign in draft can be previewed at its own address (/<slug>/): by a coordinator and
by its shared link; for everyone else that address does not exist yet."""

import re
import time
from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.models import Campaign
from campaign.preview import preview_token, preview_url
from campaign.publishing import PublicationStatus
from tests.factories import CampaignFactory, StorylineFactory

pytestmark = pytest.mark.django_db

BANNER = "Concept — nog niet openbaar"
NOT_PUBLISHED = "bezoekers zien dit pas na publicatie"


@pytest.fixture
def public_campaign():
    return CampaignFactory(
        name="Openbare campagne", tagline="De slogan van nu", primary_color="#112233"
    )


@pytest.fixture
def draft_campaign(public_campaign):
    campaign = CampaignFactory(
        name="Zorg doet het",
        tagline="Zorg is breder dan je denkt",
        primary_color="#0A7B83",
        tiktok_url="https://www.tiktok.com/@zorgdoethet",
        status=PublicationStatus.DRAFT,
    )
    StorylineFactory(campaign=campaign, title="Zorgrobots")
    StorylineFactory(campaign=campaign, title="Geheim zorgconcept", status=PublicationStatus.DRAFT)
    StorylineFactory(campaign=public_campaign, title="Verhaal van nu")
    return campaign


def _theme_of(client, html: str):
    href = re.search(r'<link rel="stylesheet" href="([^"]*/thema\.[^"]*)"', html)[1]
    return client.get(unescape(href))


def _assert_not_found(response):
    assert response.status_code == 404
    assert "Zorg doet het" not in response.text
    assert "Zorgrobots" not in response.text
    assert BANNER not in response.text


def _assert_public_home(response):
    assert response.status_code == 200
    assert "Openbare campagne" in response.text
    assert "Zorg doet het" not in response.text
    assert BANNER not in response.text


def test_anonymous_visitor_sees_the_public_campaign_when_asking_for_another(client, draft_campaign):
    plain = client.get(reverse("home"))
    asked_on_home = client.get(reverse("home"), {"campagne": draft_campaign.pk})

    for response in (plain, asked_on_home):
        _assert_public_home(response)
        assert "public" in response["Cache-Control"]
    _assert_not_found(client.get(draft_campaign.get_absolute_url()))
    assert "Verhaal van nu" in plain.text
    assert "Zorgrobots" not in plain.text


def test_coordinator_previews_an_inactive_campaign_on_the_home_page(
    coordinator_client, draft_campaign
):
    response = coordinator_client.get(draft_campaign.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "Zorg doet het" in html
    assert "Zorg is breder dan je denkt" in html
    assert "https://www.tiktok.com/@zorgdoethet" in html
    assert "Openbare campagne" not in html
    assert BANNER in html
    assert NOT_PUBLISHED in html
    assert "Alleen coördinatoren" in html
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    theme = _theme_of(coordinator_client, html)
    assert "--brand: #0A7B83" in theme.text
    assert "no-store" in theme["Cache-Control"]


def test_coordinator_sees_the_storylines_of_the_previewed_campaign_as_they_will_be_listed(
    coordinator_client, draft_campaign
):
    html = coordinator_client.get(draft_campaign.get_absolute_url()).text

    assert "Zorgrobots" in html
    assert "Geheim zorgconcept" not in html
    assert "Verhaal van nu" not in html


def test_shared_link_previews_an_inactive_campaign_without_an_account(client, draft_campaign):
    response = client.get(preview_url(draft_campaign))

    assert response.status_code == 200
    html = response.text
    assert "Zorg doet het" in html
    assert "Zorg is breder dan je denkt" in html
    assert "Zorgrobots" in html
    assert "Geheim zorgconcept" not in html
    assert BANNER in html
    assert NOT_PUBLISHED in html
    assert "gedeelde link" in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    theme = _theme_of(client, html)
    assert "--brand: #0A7B83" in theme.text
    assert "no-store" in theme["Cache-Control"]
    assert theme["X-Robots-Tag"].startswith("noindex")


def test_preview_lasts_for_that_request_only(client, draft_campaign):
    client.get(preview_url(draft_campaign))

    _assert_public_home(client.get(reverse("home")))
    theme = client.get(reverse("campaign:theme-css"))
    assert "--brand: #112233" in theme.text
    assert "public" in theme["Cache-Control"]


def test_shared_link_falls_back_to_the_public_campaign_when_the_token_is_tampered_with(
    client, draft_campaign
):
    token = preview_token(draft_campaign)
    value, _, signature = token.rpartition(":")
    forged = f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    url = draft_campaign.get_absolute_url()

    for bad in (forged, "onzin"):
        _assert_not_found(client.get(url, {"voorbeeld": bad}))
        theme = client.get(reverse("campaign:theme-css"), {"voorbeeld": bad})
        assert "--brand: #0A7B83" not in theme.text


def test_shared_link_falls_back_to_the_public_campaign_when_it_has_expired(
    client, settings, draft_campaign
):
    settings.PREVIEW_LINK_DAYS = 7
    url = preview_url(draft_campaign)
    now = time.time()

    with mock.patch("django.core.signing.time.time", return_value=now + 6.9 * 86400):
        assert BANNER in client.get(url).text
    with mock.patch("django.core.signing.time.time", return_value=now + 7.1 * 86400):
        _assert_not_found(client.get(url))


def test_storyline_token_does_not_open_a_campaign(client, public_campaign):
    campaign = CampaignFactory(pk=999, name="Geheime campagne", status=PublicationStatus.DRAFT)
    storyline = StorylineFactory(pk=999, campaign=campaign, status=PublicationStatus.DRAFT)
    token = preview_token(storyline)  # Signed for a storyline with the campaign's key.

    response = client.get(campaign.get_absolute_url(), {"voorbeeld": token})

    assert response.status_code == 404
    assert "Geheime campagne" not in response.text
    assert BANNER not in response.text


def test_shared_link_of_one_campaign_does_not_open_another(client, draft_campaign):
    other = CampaignFactory(name="Ander concept", status=PublicationStatus.DRAFT)
    token = preview_token(draft_campaign)

    response = client.get(other.get_absolute_url(), {"voorbeeld": token})

    assert "Ander concept" not in response.text
    assert BANNER not in response.text


def test_coordinator_sees_no_banner_for_the_public_campaign(coordinator_client, public_campaign):
    response = coordinator_client.get(public_campaign.get_absolute_url())

    assert response.status_code == 200
    assert "Openbare campagne" in response.text
    assert BANNER not in response.text


def test_publishing_a_second_campaign_leaves_the_primary_one_on_the_home_page(
    client, draft_campaign
):
    Campaign.objects.filter(pk=draft_campaign.pk).update(status=PublicationStatus.PUBLISHED)

    _assert_public_home(client.get(reverse("home")))
    own = client.get(f"/{draft_campaign.slug}/")
    assert own.status_code == 200
    assert "Zorgrobots" in own.text
    assert BANNER not in own.text


def test_staff_without_view_permission_sees_the_public_campaign(
    client, django_user_model, draft_campaign
):
    client.force_login(django_user_model.objects.create_user("medewerker", is_staff=True))

    _assert_not_found(client.get(draft_campaign.get_absolute_url()))


def test_anonymous_home_costs_no_query_more_when_a_campaign_is_asked_for(client, draft_campaign):
    def count(url):
        cache.clear()  # every page cold: the theme stylesheet's fingerprint is cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(reverse("home") + f"?campagne={draft_campaign.pk}") == count(reverse("home"))
    assert count(reverse("campaign:theme-css") + f"?campagne={draft_campaign.pk}") == count(
        reverse("campaign:theme-css")
    )


# --- The admin ---------------------------------------------------------------------------


def _change_url(campaign):
    return reverse("admin:campaign_campaign_change", args=[campaign.pk])


def test_campaign_change_page_offers_a_shared_preview_link_when_not_public(
    coordinator_client, draft_campaign
):
    html = coordinator_client.get(_change_url(draft_campaign)).text

    assert "Voorbeeld delen" in html
    match = re.search(r'<textarea[^>]*class="[^"]*preview-link[^"]*"[^>]*>([^<]+)<', html)
    link = unescape(match[1])
    assert f"/{draft_campaign.slug}/?" in link
    assert "voorbeeld=" in link


def test_campaign_change_page_says_the_public_campaign_needs_no_preview_link(
    coordinator_client, public_campaign
):
    html = coordinator_client.get(_change_url(public_campaign)).text

    assert "Dit is al openbaar" in html


def test_view_on_site_opens_the_campaign_preview(coordinator_client, draft_campaign):
    html = coordinator_client.get(_change_url(draft_campaign)).text
    view_on_site = re.search(r'<a href="([^"]+)" class="viewsitelink"', html)[1]

    response = coordinator_client.get(unescape(view_on_site), follow=True)

    assert "Zorg doet het" in response.text
    assert BANNER in response.text
