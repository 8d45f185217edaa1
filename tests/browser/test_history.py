"""A coordinator edits a storyline, compares two versions and restores the old one."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import Storyline
from tests.browser.watch import SCREENSHOTS, axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-historie"  # noqa: S105


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"admin-{name}-1280.png", full_page=True)


def test_coordinator_compares_and_restores_a_storyline_version(page, site):
    get_user_model().objects.create_superuser("redactie", "redactie@example.org", PASSWORD)
    storyline = Storyline.objects.order_by("order").first()
    original = storyline.pupil_text
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "redactie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    change_url = site.url(reverse("admin:campaign_storyline_change", args=[storyline.pk]))

    page.goto(change_url)
    page.click("input[name=_continue]")
    page.goto(change_url)
    page.fill("#id_pupil_text", original + " Nu ook met drones.")
    page.click("input[name=_continue]")

    page.get_by_role("link", name="Geschiedenis").first.click()
    assert page.get_by_role("columnheader", name="Wat en waarom").is_visible()
    shot(page, "history")
    assert axe_problems(page) == []
    page.get_by_role("button", name="Vergelijk de gekozen versies").click()
    assert page.locator("ins", has_text="drones.").is_visible()
    shot(page, "compare")
    assert axe_problems(page) == []

    page.get_by_role("link", name="De oude versie").click()
    assert page.input_value("#id_pupil_text") == original
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("is teruggezet")
    storyline.refresh_from_db()
    assert storyline.pupil_text == original
