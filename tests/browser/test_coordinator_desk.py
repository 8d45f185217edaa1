"""The coordinator's week in one journey, in a real Chromium: preview a draft storyline in
two audience versions, edit it, compare and restore a revision, schedule it for tomorrow
and find it on the dashboard's "this week" list."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaign.models import Storyline
from campaign.publishing import PublicationStatus
from tests.browser.watch import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-week"  # noqa: S105


def test_coordinator_previews_edits_restores_schedules_and_sees_it_on_the_dashboard(
    site, watched_page
):
    storyline = Storyline.objects.get(slug="robotica")
    Storyline.objects.filter(pk=storyline.pk).update(status=PublicationStatus.DRAFT)
    original = storyline.pupil_text
    get_user_model().objects.create_superuser("coco", "coco@example.org", PASSWORD)
    page = watched_page.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "coco")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.url(reverse("admin:index")))
    change_url = site.url(reverse("admin:campaign_storyline_change", args=[storyline.pk]))

    # Preview: the draft as it will look, in two audience versions; the public gets 404.
    page.goto(change_url)
    page.get_by_role("link", name="Weergeven op website").click()
    expect(page.locator(".preview-banner")).to_contain_text("Concept — nog niet openbaar")
    expect(page.locator("h1")).to_have_text("Robotica")
    page.get_by_role("tab", name="Voor ouders").click()
    expect(page.locator("#panel-ouders")).to_be_visible()
    page.goto(site.url(storyline.get_absolute_url()) + "?voor=scholen")
    expect(page.locator("#panel-scholen")).to_be_visible()

    # Edit, then compare the two versions and restore the old one. The demo loader keeps
    # no history: a first save without changes records the version to go back to.
    page.goto(change_url)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_be_visible()
    page.fill("#id_pupil_text", original + " Nu ook met drones.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_be_visible()
    page.get_by_role("link", name="Geschiedenis").first.click()
    page.get_by_role("button", name="Vergelijk de gekozen versies").click()
    expect(page.locator("ins", has_text="drones.")).to_be_visible()
    page.get_by_role("link", name="De oude versie").click()
    assert page.input_value("#id_pupil_text") == original
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("is teruggezet")

    # Schedule: published, from tomorrow at 09:00.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.goto(change_url)
    page.select_option("#id_status", PublicationStatus.PUBLISHED)
    page.fill("#id_published_at_0", tomorrow.strftime("%d-%m-%Y"))
    page.fill("#id_published_at_1", "09:00:00")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_be_visible()
    storyline.refresh_from_db()
    assert storyline.pupil_text == original
    assert storyline.status == PublicationStatus.PUBLISHED
    assert timezone.localtime(storyline.published_at).date() == tomorrow

    # Still not public today, and on the dashboard's list of this week.
    assert page.request.get(site.url(storyline.get_absolute_url())).status == 200  # coordinator
    page.goto(site.url(reverse("admin:index")))
    going_live = page.locator("#desk-going-live")
    expect(going_live).to_contain_text("Verhaallijn: Robotica")
    expect(going_live).to_contain_text("online vanaf")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "desk-journey-dashboard-1280.png", full_page=True)
    anonymous = page.context.browser.new_context()
    try:
        assert anonymous.request.get(site.url(storyline.get_absolute_url())).status == 404
    finally:
        anonymous.close()
    assert watched_page.problems() == []
