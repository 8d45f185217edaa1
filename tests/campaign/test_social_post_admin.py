import pytest
from django.urls import reverse

from campaign.models import SocialPost
from tests.factories import NewsItemFactory, SocialPostFactory

pytestmark = pytest.mark.django_db


def change_page(client, post):
    return client.get(reverse("admin:campaign_socialpost_change", args=[post.pk])).content.decode()


def test_change_page_offers_text_to_copy_and_share_images_of_its_story(coordinator_client):
    story = NewsItemFactory()
    post = SocialPostFactory(text="Robots bouwen & meer", story=story)

    html = change_page(coordinator_client, post)

    assert '<textarea id="posting-text" readonly' in html
    assert "Robots bouwen &amp; meer</textarea>" in html
    assert 'data-copy-from="posting-text"' in html and "Kopieer tekst" in html
    assert 'src="/static/js/copy-text.js"' in html or "js/copy-text.js" in html
    for size in ("1200x627", "1080x1350", "1080x1920"):
        assert f"/beheer-deelbeeld/nieuws/{story.pk}/{size}.png?download=1" in html
    assert reverse("admin:campaign_socialpost_mark_posted", args=[post.pk]) in html


def test_mark_posted_records_url_and_status_when_url_given(coordinator_client):
    post = SocialPostFactory(status=SocialPost.Status.READY)
    url = reverse("admin:campaign_socialpost_mark_posted", args=[post.pk])

    response = coordinator_client.post(
        url, {"url": "https://www.linkedin.com/feed/update/urn:li:activity:9/"}
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == SocialPost.Status.POSTED
    assert post.posted_url == "https://www.linkedin.com/feed/update/urn:li:activity:9/"
    assert post.posted_at is not None


def test_mark_posted_asks_for_the_url_in_dutch_when_it_is_missing(coordinator_client):
    post = SocialPostFactory(status=SocialPost.Status.READY)
    url = reverse("admin:campaign_socialpost_mark_posted", args=[post.pk])

    response = coordinator_client.post(url, {"url": ""})

    assert response.status_code == 200
    assert "Geef de link naar het geplaatste bericht." in response.content.decode()
    post.refresh_from_db()
    assert post.status == SocialPost.Status.READY


def test_mark_posted_keeps_typed_url_and_refuses_when_channel_rules_fail(coordinator_client):
    post = SocialPostFactory(channel=SocialPost.Channel.TIKTOK)
    url = reverse("admin:campaign_socialpost_mark_posted", args=[post.pk])

    response = coordinator_client.post(url, {"url": "https://www.tiktok.com/@x/video/1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "TikTok heeft een afbeelding of video nodig" in html
    assert 'value="https://www.tiktok.com/@x/video/1"' in html
    post.refresh_from_db()
    assert post.status == SocialPost.Status.PLANNED
