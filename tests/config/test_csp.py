"""The relaxed policy CKEditor 4 needs is given only to admin pages that show the editor."""

import pytest
from django.urls import reverse

from tests.factories import CampaignFactory, NewsItemFactory, StorylineFactory


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response):
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]


def assert_relaxed(response):
    directives = csp_directives(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert "'unsafe-inline'" in directives["style-src"]
    # With a nonce in the policy, browsers ignore 'unsafe-inline' and CKEditor breaks.
    assert not any(source.startswith("'nonce-") for source in directives["script-src"])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_login_page_keeps_strict_policy_when_shown(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:schools_newsitem_changelist", "admin:campaign_campaign_add"],
)
def test_admin_pages_without_editor_keep_strict_policy_when_shown(admin_client, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.django_db
def test_change_page_with_rich_text_gets_relaxed_policy_when_shown(admin_client):
    item = NewsItemFactory()

    response = admin_client.get(reverse("admin:schools_newsitem_change", args=[item.pk]))

    assert response.status_code == 200
    assert b"ckeditor" in response.content
    assert_relaxed(response)


@pytest.mark.django_db
def test_add_page_whose_inline_has_rich_text_gets_relaxed_policy_when_shown(admin_client):
    # Storyline itself has no rich text; its audience messages (an inline) do.
    CampaignFactory()

    response = admin_client.get(reverse("admin:campaign_storyline_add"))

    assert response.status_code == 200
    assert b"ckeditor" in response.content
    assert_relaxed(response)


@pytest.mark.django_db
def test_history_and_delete_pages_keep_strict_policy_when_model_has_rich_text(admin_client):
    storyline = StorylineFactory()

    for name in ("history", "delete"):
        response = admin_client.get(
            reverse(f"admin:campaign_storyline_{name}", args=[storyline.pk])
        )
        assert response.status_code == 200
        assert_strict(response)


def test_editor_policy_is_set_without_private_response_attributes_when_reading_the_code():
    from pathlib import Path

    from django.conf import settings

    for path in Path(settings.BASE_DIR).glob("config/*.py"):
        assert "_csp_config" not in path.read_text(), path
