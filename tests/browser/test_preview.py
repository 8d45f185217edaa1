"""Preview in a real Chromium: a coordinator opens a draft storyline from the admin and
switches its audience versions; a shared link works until it expires and shows no
other draft. Screenshots at 375 and 1280 px go to test-artifacts/screenshots/."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaign.models import Storyline
from campaign.preview import preview_url
from campaign.publishing import PublicationStatus
from schools.models import School
from tests.browser.watch import SCREENSHOTS, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105
BANNER = "Concept — nog niet openbaar"


def make_drafts():
    """A storyline scheduled for next week, and a school that is a draft and teaches it."""
    storyline = Storyline.objects.get(slug="robotica")
    storyline.published_at = timezone.now() + dt.timedelta(days=7)
    storyline.save()
    school = School.objects.filter(storylines=storyline).first()
    school.status = PublicationStatus.DRAFT
    school.save()
    return storyline, school


def test_shared_link_shows_the_draft_until_it_expires_and_no_other_draft(site, watched_page):
    storyline, draft_school = make_drafts()
    url = site.url(preview_url(storyline))
    page = watched_page.page

    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(watched_page, url, name="preview-shared", width=width, h1="Robotica")
    assert not problems, "\n" + "\n".join(problems)
    expect(page.locator(".preview-banner")).to_contain_text(BANNER)
    expect(page.locator(".preview-banner")).to_contain_text("Gaat online op")
    assert draft_school.name not in page.content()

    page.get_by_role("tab", name="Voor ouders").click()
    expect(page.locator("#panel-ouders")).to_be_visible()
    assert "voorbeeld=" in page.url
    assert page.reload().status == 200

    week_ago = time.time() - 7.1 * 86400
    with mock.patch("django.core.signing.time.time", return_value=week_ago):
        expired = site.url(preview_url(storyline))
    assert page.goto(expired).status == 404
    assert page.goto(site.url(storyline.get_absolute_url())).status == 404


def test_coordinator_opens_a_draft_from_the_admin_and_switches_audiences(site, watched_page):
    storyline, _ = make_drafts()
    get_user_model().objects.create_superuser("anne", "anne@example.org", PASSWORD)
    page = watched_page.page
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "anne")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.url(reverse("admin:index")))

    page.goto(site.url(reverse("admin:campaign_storyline_change", args=[storyline.pk])))
    expect(page.locator(".preview-link")).to_have_value(re.compile(r"\?voorbeeld="))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "preview-admin-share-box.png", full_page=True)
    page.get_by_role("link", name="Weergeven op website").click()
    expect(page.locator("h1")).to_have_text("Robotica")
    expect(page.locator(".preview-banner")).to_contain_text(BANNER)

    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page, page.url, name="preview-coordinator", width=width, h1="Robotica"
        )
    assert not problems, "\n" + "\n".join(problems)
    page.get_by_role("tab", name="Voor ouders").click()
    expect(page.locator("#panel-ouders")).to_be_visible()
    page.goto(site.url(storyline.get_absolute_url()) + "?voor=scholen")
    expect(page.locator("#panel-scholen")).to_be_visible()
    expect(page.locator(".preview-banner")).to_be_visible()
