import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import SocialPost, monday_of
from tests.factories import (
    NewsItemFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
)

pytestmark = pytest.mark.django_db
URL = "/beheer/social/kalender/"


def this_monday():
    return monday_of(timezone.localdate())


def test_calendar_url_is_named():
    assert reverse("admin:social-calendar") == URL


def test_calendar_shows_posts_per_week_and_channel_and_flags_empty_linkedin_weeks(
    coordinator_client,
):
    SocialPostFactory(title="Robotweek", planned_week=this_monday())
    SocialPostFactory(
        title="Tomatenrobot", channel=SocialPost.Channel.TIKTOK, planned_week=this_monday()
    )
    SocialPostFactory(title="Te ver weg", planned_week=this_monday() + dt.timedelta(weeks=20))

    html = coordinator_client.get(URL).content.decode()

    assert "Robotweek" in html and "Tomatenrobot" in html and "Te ver weg" not in html
    # Twelve weeks, one with a LinkedIn post: eleven say so in words.
    assert html.count("Nog geen LinkedIn-bericht") == 11
    assert html.count('class="social-empty"') == 11


def test_draft_moves_to_another_week_when_coordinator_picks_one(coordinator_client):
    post = SocialPostFactory(planned_week=this_monday())
    later = this_monday() + dt.timedelta(weeks=2)

    response = coordinator_client.post(URL, {"post": post.pk, "week": later.isoformat()})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.planned_week == later


def test_move_is_refused_in_dutch_when_week_is_outside_the_calendar(coordinator_client):
    post = SocialPostFactory(planned_week=this_monday())
    far = this_monday() + dt.timedelta(weeks=30)

    response = coordinator_client.post(URL, {"post": post.pk, "week": far.isoformat()})

    assert response.status_code == 200
    assert "Kies een week uit de lijst." in response.content.decode()
    post.refresh_from_db()
    assert post.planned_week == this_monday()


def test_suggestions_list_unplanned_news_sessions_and_least_featured_schools(
    coordinator_client,
):
    planned = NewsItemFactory(title="Al gepland nieuws")
    SocialPostFactory(story=planned)
    NewsItemFactory(title="Vers nieuws")
    SessionFactory(
        title="Bijna vol",
        starts_at=timezone.now() + dt.timedelta(days=10),
        ends_at=timezone.now() + dt.timedelta(days=10, hours=2),
    )
    featured = SchoolFactory(name="Vaak in beeld")
    SocialPostFactory(
        status=SocialPost.Status.POSTED,
        posted_at=timezone.now(),
        featured=[["schools.school", featured.pk]],
    )

    html = coordinator_client.get(URL).content.decode()

    assert "Vers nieuws" in html and "Al gepland nieuws" not in html
    assert "Bijna vol" in html
    assert html.index("nog nooit") < html.index("Vaak in beeld")


def make_content(count):
    for i in range(count):
        week = this_monday() + dt.timedelta(weeks=i % 8)
        SocialPostFactory(planned_week=week)
        SocialPostFactory(channel=SocialPost.Channel.INSTAGRAM, planned_week=week)
        NewsItemFactory()
        SocialPostFactory(
            status=SocialPost.Status.POSTED,
            posted_at=timezone.now(),
            featured=[["schools.school", SchoolFactory().pk]],
        )


def test_calendar_costs_the_same_queries_with_ten_times_the_posts(coordinator_client):
    coordinator_client.get(URL)  # session, permissions and content types are cached
    make_content(1)
    with CaptureQueriesContext(connection) as small:
        coordinator_client.get(URL)
    make_content(9)
    assert SocialPost.objects.count() == 30
    with CaptureQueriesContext(connection) as large:
        response = coordinator_client.get(URL)

    assert response.status_code == 200
    assert len(large) == len(small)


def test_calendar_is_linked_from_the_post_list_and_the_dashboard(coordinator_client):
    listing = coordinator_client.get(reverse("admin:campaign_socialpost_changelist"))
    dashboard = coordinator_client.get(reverse("admin:index"))

    assert f'href="{URL}"' in listing.content.decode()
    assert f'href="{URL}"' in dashboard.content.decode()


def test_drafts_without_a_week_are_listed_to_be_given_one(coordinator_client):
    SocialPostFactory(title="Nog te plannen", planned_week=None)
    SocialPostFactory(title="Oud en geplaatst", planned_week=None, status=SocialPost.Status.POSTED)

    html = coordinator_client.get(URL).content.decode()

    assert "Nog zonder week" in html and "Nog te plannen" in html
    assert "Oud en geplaatst" not in html


def test_post_marked_posted_lands_in_the_week_it_went_out(coordinator_client):
    post = SocialPostFactory(status=SocialPost.Status.READY, planned_week=None)

    coordinator_client.post(
        reverse("admin:campaign_socialpost_mark_posted", args=[post.pk]),
        {"url": "https://www.linkedin.com/feed/update/urn:li:activity:3/"},
    )

    post.refresh_from_db()
    assert post.planned_week == this_monday()
    assert (
        "Nog geen LinkedIn-bericht"
        not in coordinator_client.get(URL).content.decode().split("deze week")[1].split("</tr>")[0]
    )


def test_draft_without_a_week_is_offered_this_week_first(coordinator_client):
    post = SocialPostFactory(planned_week=None)

    html = coordinator_client.get(URL).content.decode()

    form = html.split(f'id="move-{post.pk}"')[1].split("</select>")[0]
    assert f'<option value="{this_monday().isoformat()}" selected>' in form
    assert form.count("selected") == 1
