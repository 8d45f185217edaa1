"""A campaign that is not public yet, previewed on the home page in a real Chromium by its
shared link: its name, slogan and colours, with the banner. Screenshots at 375 and 1280 px
go to test-artifacts/screenshots/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import Campaign, Storyline
from campaign.preview import preview_url
from tests.browser.watch import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def brand_colour(page) -> str:
    return page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
    )


def test_shared_link_shows_the_next_campaign_with_its_colours_and_the_banner(site, watched_page):
    public = Campaign.objects.shown()
    campaign = Campaign.objects.create(
        name="Zorg doet het",
        slug="zorg-doet-het",
        tagline="Zorg is breder dan je denkt",
        primary_color="#0A7B83",
        secondary_color="#F2A900",
        is_active=False,
    )
    Storyline.objects.create(
        campaign=campaign,
        title="Zorgrobots",
        slug="zorgrobots",
        color="#7A3E9D",
        pupil_text="Robots die helpen in de zorg.",
        status="published",
    )
    page = watched_page.page

    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page,
            site.url(preview_url(campaign)),
            name="preview-campaign",
            width=width,
            h1="Zorg is breder dan je denkt",
        )
    assert not problems, "\n" + "\n".join(problems)
    expect(page.locator(".preview-banner")).to_contain_text("Deze campagne is nog niet actief")
    expect(page.locator(".brand-name")).to_have_text("Zorg doet het")
    expect(page.locator("#verhaallijnen")).to_contain_text("Zorgrobots")
    assert brand_colour(page).lower() == "#0a7b83"

    page.goto(site.url(reverse("home")))
    expect(page.locator(".brand-name")).to_have_text(public.name)
    expect(page.locator(".preview-banner")).to_have_count(0)
    assert brand_colour(page).lower() == public.primary_color.lower()
