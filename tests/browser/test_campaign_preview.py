"""A campaign that is not public yet, previewed at its own address in a real Chromium by
its shared link: its name, slogan and colours, with the banner; and, once published, its
landing page and storyline beside the primary campaign. Screenshots at 375 and 1280 px go
to test-artifacts/screenshots/."""

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
    public = Campaign.objects.primary()
    campaign = Campaign.objects.create(
        name="Zorg doet het",
        slug="zorg-doet-het",
        tagline="Zorg is breder dan je denkt",
        primary_color="#0A7B83",
        secondary_color="#F2A900",
        status="draft",
    )
    Storyline.objects.create(
        campaign=campaign,
        title="Zorgrobots",
        slug="zorgrobots",
        color="#7A3E9D",
        pupil_text="Robots die helpen in de zorg.",
        status="published",
        hero_image=Storyline.objects.get(slug="robotica").hero_image.name,
        hero_image_alt="Een robot die helpt",
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
    expect(page.locator(".preview-banner")).to_contain_text("bezoekers zien dit pas na publicatie")
    expect(page.locator(".brand-name")).to_have_text("Zorg doet het")
    expect(page.locator("#verhaallijnen")).to_contain_text("Zorgrobots")
    assert brand_colour(page).lower() == "#0a7b83"

    page.goto(site.url(reverse("home")))
    expect(page.locator(".brand-name")).to_have_text(public.name)
    expect(page.locator(".preview-banner")).to_have_count(0)
    assert brand_colour(page).lower() == public.primary_color.lower()


def test_published_second_campaign_has_its_own_landing_and_storyline_pages(site, watched_page):
    public = Campaign.objects.primary()
    campaign = Campaign.objects.create(
        name="Zorg doet ertoe",
        slug="zorg",
        tagline="Zorg is mensenwerk met techniek",
        intro="Ontdek hoe zorg en techniek samen mensen helpen.",
        primary_color="#0A7B83",
        secondary_color="#F2A900",
        status="published",
        hero_image=public.hero_image.name,
        hero_image_alt="Leerlingen aan het werk",
    )
    robotica = Storyline.objects.get(slug="robotica")
    Storyline.objects.create(
        campaign=campaign,
        title="Zorgtechniek thuis",
        slug="zorg-thuis",
        icon="heart-pulse",
        color="#7A3E9D",
        pupil_text="Slimme hulpmiddelen helpen mensen om thuis te blijven wonen.",
        status="published",
        hero_image=robotica.hero_image.name,
        hero_image_alt="Een zorgrobot in een woonkamer",
    )
    page = watched_page.page

    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page,
            site.url("/zorg/"),
            name="care-campaign-landing",
            width=width,
            h1="Zorg is mensenwerk met techniek",
        )
        problems += check_page(
            watched_page,
            site.url("/zorg/verhaallijnen/zorg-thuis/"),
            name="care-campaign-storyline",
            width=width,
            h1="Zorgtechniek thuis",
        )
    assert not problems, "\n" + "\n".join(problems)
    expect(page.locator(".brand-name")).to_have_text("Zorg doet ertoe")
    expect(page.locator(".preview-banner")).to_have_count(0)
    assert brand_colour(page).lower() == "#0a7b83"

    page.goto(site.url(reverse("home")))
    expect(page.locator(".brand-name")).to_have_text(public.name)
    assert brand_colour(page).lower() == public.primary_color.lower()


def test_coordinator_reads_what_goes_live_on_the_change_page_of_a_draft_campaign(
    site, watched_page
):
    from django.contrib.auth import get_user_model

    from tests.browser.watch import SCREENSHOTS

    password = "een-lang-wachtwoord-voor-de-zorg"  # noqa: S105
    get_user_model().objects.create_superuser("coco", "coco@example.org", password)
    campaign = Campaign.objects.create(name="Zorg doet ertoe", slug="zorg", status="draft")
    Storyline.objects.create(
        campaign=campaign, title="Zorgtechniek thuis", slug="zorg-thuis", status="published"
    )
    page = watched_page.page
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "coco")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(site.url(reverse("admin:index")))

    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site.url(reverse("admin:campaign_campaign_change", args=[campaign.pk])))
        effect = page.locator(".campaign-effect")
        expect(effect).to_contain_text("Gaat live op /zorg/ met 1 verhaallijnen")
        expect(effect).to_contain_text("De homepagina blijft “Techniek doet het” tonen")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"admin-campaign-go-live-{width}.png")
