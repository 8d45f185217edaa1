"""The main journeys of pupils and parents, by clicking real links in a real Chromium."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import demo
from tests.browser.watch import PHONE, VIDEO_HOST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_problems(watch):
    problems = watch.problems()
    assert not problems, "\n".join(problems)


def test_home_leads_to_a_storyline_and_on_to_a_school_that_teaches_it(site, watched_page):
    page = watched_page.page
    page.goto(site.url("/"))
    page.locator("#verhaallijnen").get_by_role("link", name="Robotica", exact=True).click()
    expect(page.locator("h1")).to_have_text("Robotica")
    assert urlsplit(page.url).path == reverse("campaign:storyline-detail", args=[demo.STORYLINE])

    schools = page.locator("section[aria-labelledby=schools-title]")
    school_link = schools.get_by_role("link").first
    school_name = school_link.inner_text().strip()
    school_link.click()
    expect(page.locator("h1")).to_have_text(school_name)
    assert urlsplit(page.url).path.startswith("/scholen/")
    # The school's page leads back to the storyline it fits.
    expect(
        page.locator("main").get_by_role("link", name=re.compile("Robotica")).first
    ).to_be_visible()
    assert_no_problems(watched_page)


def test_home_leads_to_the_agenda_and_a_session_with_its_seats_left(site, watched_page):
    page = watched_page.page
    page.goto(site.url("/"))
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Masterclasses"
    ).first.click()
    assert urlsplit(page.url).path == reverse("events:session-list")
    expect(page.locator("h1")).to_be_visible()

    card = page.locator(".session-card").first
    expect(card.locator(".seats")).to_contain_text(re.compile(r"\d+ plek"))
    title = card.locator(".card-title a")
    session_title = title.inner_text().strip()
    title.click()
    expect(page.locator("h1")).to_have_text(session_title)
    assert urlsplit(page.url).path.startswith("/masterclasses/")
    expect(page.locator("main")).to_contain_text(re.compile(r"\bvrij\b|\bvol\b"))
    assert_no_problems(watched_page)


def test_search_from_the_header_form_finds_demo_content_and_leads_to_it(site, watched_page):
    page = watched_page.page
    page.set_viewport_size(PHONE)
    page.goto(site.url("/"))
    # On a phone the header search form sits in the menu.
    page.locator(".nav-menu-toggle").click()
    header_search = page.locator("header #zoek-menu")
    header_search.fill(demo.SEARCH_WORD)
    header_search.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=" + demo.SEARCH_WORD))
    expect(page.locator(".search-summary")).to_contain_text(demo.SEARCH_WORD)

    result = page.locator(".result-list .result-title a").first
    # The title as read out: without the decorative icon some results carry.
    result_title = result.evaluate(
        "link => Array.from(link.childNodes)"
        " .filter(node => !(node.nodeType === 1 && node.getAttribute('aria-hidden')))"
        " .map(node => node.textContent).join('').trim()"
    )
    result.click()
    page.wait_for_url(lambda url: "/zoeken/" not in url)
    expect(page.locator("h1")).to_have_text(result_title)
    assert_no_problems(watched_page)


def test_tab_from_the_top_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    site, watched_page
):
    page = watched_page.page
    page.goto(site.url("/"))
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_class("skip-link")
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert_no_problems(watched_page)


def test_storyline_audience_switch_works_without_javascript(site, new_context):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url(reverse("campaign:storyline-detail", args=[demo.STORYLINE])))
    expect(page.locator("[role=tablist]")).to_have_count(0)  # really no script
    expect(page.locator("#panel-leerlingen")).to_be_visible()
    expect(page.locator("#panel-ouders")).to_be_hidden()

    page.locator(".tab-list").get_by_role("link", name="Voor ouders").click()
    page.wait_for_url(re.compile(r"\?voor=ouders#boodschap$"))
    expect(page.locator("#panel-ouders")).to_be_visible()
    expect(page.locator("#panel-leerlingen")).to_be_hidden()
    expect(page.locator("#tab-ouders")).to_have_attribute("aria-current", "true")
    expect(page.locator("#panel-ouders .cta a")).to_have_attribute("href", "/scholen/vergelijk/")


def test_storyline_audience_switch_works_in_place_with_javascript(site, watched_page):
    page = watched_page.page
    page.goto(site.url(reverse("campaign:storyline-detail", args=[demo.STORYLINE])))
    expect(page.locator(".tab-list")).to_have_attribute("role", "tablist")
    page.evaluate("window.__sameDocument = true")

    page.locator("#tab-ouders").click()
    expect(page.locator("#panel-ouders")).to_be_visible()
    expect(page.locator("#panel-leerlingen")).to_be_hidden()
    expect(page.locator("#tab-ouders")).to_have_attribute("aria-selected", "true")
    assert "voor=ouders" in page.url
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"

    # Arrow keys move between the tabs, as with any tab list.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-scholen")).to_be_focused()
    expect(page.locator("#panel-scholen")).to_be_visible()
    expect(page.locator("#panel-ouders")).to_be_hidden()
    assert_no_problems(watched_page)


@pytest.mark.parametrize(
    ("storyline", "player"),
    [
        (demo.STORYLINE, "https://www.youtube-nocookie.com/embed/"),
        (demo.VIMEO_STORYLINE, "https://player.vimeo.com/video/"),
    ],
)
def test_external_video_contacts_no_video_site_before_the_play_click(
    storyline, player, site, watched_page
):
    page = watched_page.page
    video_requests = []
    page.on(
        "request",
        lambda request: (
            VIDEO_HOST.search(urlsplit(request.url).hostname or "")
            and video_requests.append(request.url)
        ),
    )
    page.goto(site.url(reverse("campaign:storyline-detail", args=[storyline])))
    page.locator("main").evaluate("main => main.scrollIntoView({block: 'end'})")
    page.wait_for_load_state("networkidle")
    assert not video_requests, video_requests
    expect(page.locator("main iframe")).to_have_count(0)
    assert_no_problems(watched_page)

    page.locator(".video-consent .video-play").first.click()
    # Only the player's address is checked: the test machines have no internet, and
    # the PageWatch aborts every request to another site.
    iframe = page.locator("main iframe.video-iframe")
    expect(iframe).to_have_count(1)
    assert iframe.get_attribute("src").startswith(player)
    assert iframe.get_attribute("title")
