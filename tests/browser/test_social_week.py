"""A coordinator plans a social week in a real browser: drafts, a move, a post placed."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import SocialPost
from events.models import Session
from schools.models import NewsItem
from tests.browser.watch import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-voor-de-test"  # noqa: S105


def make_drafts(page, site, changelist, pk):
    page.goto(site.url(changelist))
    page.check(f'input[name="_selected_action"][value="{pk}"]')
    page.select_option('select[name="action"]', "make_social_drafts")
    page.click('button[name="index"]')
    page.get_by_role("button", name="Maak concepten").click()
    page.wait_for_url(site.url(reverse("admin:campaign_socialpost_changelist")))


def test_coordinator_plans_a_social_week(watched_page, site):
    get_user_model().objects.create_superuser("anne", "anne@example.org", PASSWORD)
    news = NewsItem.objects.public().first()
    session = Session.objects.public().first()
    page = watched_page.page
    page.goto(site.url(reverse("admin:login")))
    page.fill("#id_username", "anne")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site.url(reverse("admin:index")))

    make_drafts(page, site, reverse("admin:schools_newsitem_changelist"), news.pk)
    make_drafts(page, site, reverse("admin:events_session_changelist"), session.pk)
    assert SocialPost.objects.filter(story_id__in=[news.pk, session.pk]).count() == 6

    linkedin = SocialPost.objects.get(
        story_id=news.pk, channel="linkedin", story_type__model="newsitem"
    )
    page.goto(site.url(reverse("admin:campaign_socialpost_change", args=[linkedin.pk])))
    assert page.locator("#posting-text").input_value() == linkedin.text
    page.get_by_role("link", name="Markeer als geplaatst").click()
    page.fill("input[name=url]", "https://www.linkedin.com/feed/update/urn:li:activity:42/")
    page.get_by_role("button", name="Markeer als geplaatst").click()
    linkedin.refresh_from_db()
    assert linkedin.status == SocialPost.Status.POSTED

    # New drafts wait under "Nog zonder week"; one gets a week from the calendar.
    draft = SocialPost.objects.get(
        story_id=session.pk, channel="tiktok", story_type__model="session"
    )
    calendar = site.url(reverse("admin:social-calendar"))
    page.goto(calendar)
    options = page.locator(f"#move-{draft.pk} option")
    weeks = [options.nth(i).get_attribute("value") for i in range(options.count())]
    page.select_option(f"#move-{draft.pk}", weeks[6])
    page.locator(f"#move-{draft.pk} ~ button").click()
    page.wait_for_url(calendar)
    draft.refresh_from_db()
    assert draft.planned_week.isoformat() == weeks[6]
    linkedin.refresh_from_db()
    assert page.locator("tr.current-week").get_by_role("link", name=linkedin.title).count() == 1

    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(watched_page, calendar, name="admin-social-calendar", width=width)
    assert problems == [], "\n".join(problems)
    assert page.get_by_text("Nog geen LinkedIn-bericht").count() >= 1

    # The public week page now shows the post that went out, with the address of the real post.
    response = page.goto(site.url(reverse("this-week")))
    assert response.status == 200
    shared = page.locator("section[aria-labelledby=week-posts-title]")
    expect(shared.get_by_role("link", name=linkedin.title)).to_have_attribute(
        "href", linkedin.posted_url
    )
    problems = []
    for width in ("phone", "desktop"):
        problems += check_page(
            watched_page, site.url(reverse("this-week")), name="this-week-shared", width=width
        )
    assert problems == [], "\n".join(problems)
