"""Headers every response carries, private pages that no cache may keep, and safe media."""

import pytest
from django.urls import reverse

from tests.factories import RegistrationFactory, SchoolFactory, SessionFactory


def policy(response):
    header = response.headers["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/beheer/login/", "/deze-pagina-bestaat-niet/"])
def test_permissions_policy_turns_off_devices_when_any_page_is_served(client, path):
    features = policy(client.get(path))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


@pytest.mark.django_db
def test_permissions_policy_allows_fullscreen_only_for_the_video_players_when_served(client):
    features = policy(client.get("/"))

    assert features["fullscreen"].startswith("(self ")
    assert '"https://www.youtube-nocookie.com"' in features["fullscreen"]
    assert '"https://player.vimeo.com"' in features["fullscreen"]


def assert_private(response):
    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


@pytest.mark.django_db
def test_news_submission_pages_are_never_cached_when_opened_by_link(client):
    school = SchoolFactory()

    form = client.get(reverse("schools:news-submit", args=[school.submission_token]))
    thanks = client.get(reverse("schools:news-submit-thanks", args=[school.submission_token]))
    unknown = client.get(reverse("schools:news-submit", args=["onbekend"]))

    assert form.status_code == 200
    assert thanks.status_code == 200
    for response in (form, thanks, unknown):
        assert_private(response)


@pytest.mark.django_db
def test_signup_and_cancel_pages_are_never_cached_when_opened(client):
    registration = RegistrationFactory()
    session = registration.session

    done = client.get(
        reverse("events:session-signup-done", args=[session.slug]), {"status": "confirmed"}
    )
    cancel = client.get(reverse("events:registration-cancel", args=[registration.cancel_token]))

    assert done.status_code == 200
    assert cancel.status_code == 200
    assert_private(done)
    assert_private(cancel)


@pytest.mark.django_db
def test_form_post_answer_is_never_cached_when_it_shows_what_was_typed(client):
    session = SessionFactory()

    response = client.post(
        session.get_absolute_url(),
        {"form": "child", "child-parent_name": "Ouder met een naam", "child-parent_email": "x"},
    )

    assert response.status_code == 200
    assert_private(response)


@pytest.mark.django_db
def test_public_pages_stay_cacheable_when_anonymous(client):
    response = client.get(reverse("schools:school-list"))

    assert "public" in response.headers["Cache-Control"]


@pytest.fixture
def media_file(settings):
    """Write a file into MEDIA_ROOT; returns its answer from the DEBUG media view."""
    from django.test import RequestFactory

    from config.media import serve_media

    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)

    def served(name, content):
        (settings.MEDIA_ROOT / name).write_bytes(content)
        return serve_media(RequestFactory().get(settings.MEDIA_URL + name), name)

    return served


@pytest.mark.parametrize(
    "name", ["verhaal.html", "plaatje.svg", "zonder-extensie", "script.js", "pagina.htm"]
)
def test_uploaded_file_is_never_rendered_as_a_page_when_served_in_debug(media_file, name):
    response = media_file(name, b"<html><script>alert(1)</script></html>")

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_uploaded_image_is_shown_inline_with_nosniff_when_served_in_debug(media_file):
    response = media_file("foto.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not response.headers.get("Content-Disposition", "").startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_readme_nginx_config_sends_nosniff_and_restricts_types_when_followed():
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    start = readme.index("location /media/")
    block = readme[start : readme.index("```", start)]

    assert "add_header X-Content-Type-Options nosniff always;" in block
    assert "default_type application/octet-stream;" in block
    assert "types {" in block
    assert "Content-Disposition" in block


def test_debug_and_browser_test_media_use_the_safe_view_when_configured():
    from pathlib import Path

    from django.conf import settings

    for module in ("config/urls.py", "tests/browser/urls.py"):
        assert "serve_media" in (Path(settings.BASE_DIR) / module).read_text(), module
