"""Pages answer conditional requests, are compressed, and do not vary per browser
language; the theme stylesheet has a fingerprinted, long-cached address; static files are
served compressed (gzip and brotli) with far-future cache headers."""

import gzip
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import CampaignFactory, StorylineFactory

pytestmark = pytest.mark.django_db


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def theme_href(html: str) -> str:
    return re.search(r'<link rel="stylesheet" href="(/thema\.[^"]*)"', html)[1]


@pytest.fixture
def campaign():
    campaign = CampaignFactory(primary_color="#E6007E", secondary_color="#00A3E0")
    StorylineFactory(campaign=campaign, slug="robotica", color="#FFD23F")
    return campaign


def test_pages_do_not_vary_by_language_and_stay_dutch_when_the_browser_asks_english(
    client, campaign
):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert "accept-language" not in vary(response)
    assert '<html lang="nl">' in response.text
    assert "Naar de inhoud" in response.text
    assert response.get("Content-Language", "nl") == "nl"


def test_page_answers_304_when_the_browser_has_the_same_copy(client, campaign):
    first = client.get(reverse("campaign:storyline-list"))
    etag = first["ETag"]

    again = client.get(reverse("campaign:storyline-list"), HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""


def test_page_is_sent_again_when_it_changed_since_the_browser_copy(client, campaign):
    etag = client.get(reverse("campaign:storyline-list"))["ETag"]
    StorylineFactory(campaign=campaign, title="Nieuw verhaal")

    response = client.get(reverse("campaign:storyline-list"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Nieuw verhaal" in response.text


def test_page_is_gzipped_with_a_weak_etag_when_the_browser_accepts_it(client, campaign):
    plain = client.get(reverse("home"))
    compressed = client.get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert compressed["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(compressed)
    assert len(compressed.content) < len(plain.content) / 2
    assert gzip.decompress(compressed.content) == plain.content
    assert compressed["ETag"].startswith('W/"')
    # A proxy's gzipped copy still validates.
    again = client.get(
        reverse("home"),
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=compressed["ETag"],
    )
    assert again.status_code == 304


def test_private_pages_get_no_etag_when_they_must_not_be_kept(client):
    from tests.factories import SchoolFactory

    school = SchoolFactory()
    response = client.get(reverse("schools:news-submit", args=[school.submission_token]))

    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_theme_stylesheet_is_immutable_at_its_fingerprinted_address(client, campaign):
    href = theme_href(client.get(reverse("home")).text)

    response = client.get(href)

    assert re.fullmatch(r"/thema\.[0-9a-f]{16}\.css", href)
    assert "--brand: #E6007E" in response.text or "#E6007E" in response.text
    assert ".accent-robotica" in response.text
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "immutable", "max-age=31536000"} <= directives


def test_theme_address_changes_when_a_colour_changes(client, campaign):
    before = theme_href(client.get(reverse("home")).text)
    campaign.primary_color = "#0A7B83"
    campaign.save()

    after = theme_href(client.get(reverse("home")).text)

    assert after != before
    assert "#0A7B83" in client.get(after).text


def test_old_theme_address_gets_current_colours_briefly_when_its_fingerprint_is_stale(
    client, campaign
):
    response = client.get(reverse("campaign:theme-css-fingerprinted", args=["0123456789abcdef"]))

    assert "#E6007E" in response.text
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "immutable" not in directives
    assert "max-age=300" in directives


def test_static_files_are_served_compressed_and_immutable_when_collected(
    client, settings, tmp_path
):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Our own files only: brotli takes a minute over the admin, the editor and the fonts.
    call_command(
        "collectstatic",
        "--noinput",
        ignore_patterns=["admin", "ckeditor", "otp_*", "fonts"],
        stdout=StringIO(),
    )
    url = static("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)

    for encoding in ("br", "gzip"):
        # A new client: WhiteNoise reads STATIC_ROOT when its middleware is made.
        from django.test import Client

        response = Client().get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert "accept-encoding" in vary(response)
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert "immutable" in directives
        assert int(next(d for d in directives if d.startswith("max-age="))[8:]) >= 31536000
