"""The "Deze week" page and its feed: the web version of the weekly LinkedIn post."""

import datetime as dt
import html

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, SocialPost
from campaign.publishing import PublicationStatus
from config.views import WEEK_CARDS, WEEK_POSTS
from config.weeks import Week
from tests.factories import (
    CampaignFactory,
    NewsItemFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    VideoFactory,
)
from tests.hostile import active_content
from tests.test_boundaries import write_raw
from tests.test_site import SITE_URL, check_page, check_sharing_tags

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def this_week():
    return Week.current()


@pytest.fixture
def content(this_week):
    """Public items in this week and the last, and everything the public may not see."""
    campaign = CampaignFactory()
    monday = this_week.starts_at
    last_monday = (this_week - 1).starts_at
    now = timezone.now()
    # This week (a minute past Monday midnight is never in the future).
    NewsItemFactory(title="Robotwedstrijd gewonnen", published_at=monday + dt.timedelta(minutes=1))
    VideoFactory(campaign=campaign, title="Lassen met licht", published_at=monday)
    SessionFactory(
        title="Bouw een brug", starts_at=(this_week + 2).starts_at + dt.timedelta(days=1)
    )
    # Last week.
    NewsItemFactory(
        title="Zonnepanelen op het dak", published_at=last_monday + dt.timedelta(days=2)
    )
    VideoFactory(campaign=campaign, title="Zorgrobot Sam", published_at=last_monday)
    # Never shown: drafts, the future, expired, a draft school, a session too far ahead.
    NewsItemFactory(title="Conceptbericht", status="submitted", published_at=monday)
    NewsItemFactory(title="Toekomstbericht", published_at=now + dt.timedelta(minutes=5))
    NewsItemFactory(title="Verlopen bericht", published_at=monday, unpublish_at=now)
    NewsItemFactory(title="Bericht van conceptschool", school=SchoolFactory(status=DRAFT))
    VideoFactory(campaign=campaign, title="Conceptfilm", status=DRAFT, published_at=monday)
    SessionFactory(title="Conceptmasterclass", status=DRAFT)
    SessionFactory(title="Verre masterclass", starts_at=now + dt.timedelta(weeks=7))
    only_shown(campaign)
    return campaign


def only_shown(campaign):
    """The page shows the films of the primary campaign: make it this one."""
    Campaign.objects.exclude(pk=campaign.pk).update(is_primary=False)
    Campaign.objects.filter(pk=campaign.pk).update(is_primary=True)


NEVER = [
    "Conceptbericht",
    "Toekomstbericht",
    "Verlopen bericht",
    "Bericht van conceptschool",
    "Conceptfilm",
    "Conceptmasterclass",
    "Verre masterclass",
]


def test_this_week_shows_the_news_videos_and_sessions_with_seats_of_this_week(client, content):
    response = client.get(reverse("this-week"))

    assert response.status_code == 200
    body = response.content.decode()
    for title in ["Robotwedstrijd gewonnen", "Lassen met licht", "Bouw een brug"]:
        assert title in body
    assert "Nog 20 plekken vrij" in body
    for title in ["Zonnepanelen op het dak", "Zorgrobot Sam", *NEVER]:
        assert title not in body
    assert "<h1>Deze week</h1>" in body


def test_this_week_links_to_itself_by_week_number_for_the_linkedin_post(client, this_week):
    body = client.get(reverse("this-week")).content.decode()

    url = f"/deze-week/{this_week.year}-{this_week.number:02d}/"
    assert f'rel="canonical" href="http://localhost:8000{url}"' in body
    assert f'property="og:url" content="http://localhost:8000{url}"' in body
    assert "Volgende week" not in body
    assert f'href="{(this_week - 1).get_absolute_url()}"' in body


@pytest.mark.parametrize("back", [0, 1])
def test_week_page_has_title_description_and_open_graph_with_its_week_address(
    client, settings, this_week, back
):
    settings.SITE_URL = SITE_URL
    path = reverse("this-week") if back == 0 else (this_week - back).get_absolute_url()

    checker = check_page(client.get(path).content.decode())

    check_sharing_tags(checker, (this_week - back).get_absolute_url())
    assert f"Week {(this_week - back).number} (" in checker.meta["description"]


def test_sitemap_lists_this_week(client):
    assert "/deze-week/</loc>" in client.get(reverse("sitemap")).content.decode()


def test_an_earlier_week_shows_its_own_content_with_links_both_ways(client, content, this_week):
    last_week = this_week - 1

    response = client.get(last_week.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert "Zonnepanelen op het dak" in body and "Zorgrobot Sam" in body
    assert "Robotwedstrijd gewonnen" not in body and "Lassen met licht" not in body
    for title in NEVER:
        assert title not in body
    assert f"Week {last_week.number} van {last_week.year}" in body
    assert f'href="{(last_week - 1).get_absolute_url()}"' in body
    # The next week is the current one: its own address.
    assert 'rel="next" href="/deze-week/"' in body


def test_a_week_without_content_says_so(client):
    response = client.get("/deze-week/2024-10/")

    assert response.status_code == 200
    assert "niets nieuws verschenen" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["2025-53", "2026-00", "2026-54", "1999-10", "0000-01", "2026-4", "abcd-ef", "2026-049"],
)
def test_a_week_that_does_not_exist_is_not_found(client, path):
    assert client.get(f"/deze-week/{path}/").status_code == 404


def test_the_first_week_has_no_link_to_a_week_before_it(client):
    body = client.get("/deze-week/2020-01/").content.decode()

    assert 'rel="next" href="/deze-week/2020-02/"' in body
    assert 'rel="prev"' not in body


def test_a_week_still_to_come_is_not_found(client, this_week):
    assert client.get((this_week + 1).get_absolute_url()).status_code == 404
    assert client.get((this_week + 60).get_absolute_url()).status_code == 404


def test_the_week_page_costs_the_same_queries_with_ten_times_the_content(
    client, this_week, django_assert_num_queries
):
    campaign = CampaignFactory()

    def add(times):
        for i in range(times):
            NewsItemFactory(published_at=this_week.starts_at + dt.timedelta(minutes=i + 1))
            VideoFactory(campaign=campaign, published_at=this_week.starts_at)
            SessionFactory(starts_at=timezone.now() + dt.timedelta(days=1 + i % 20))
            SocialPostFactory(
                campaign=campaign,
                status=SocialPost.Status.POSTED,
                posted_at=this_week.starts_at + dt.timedelta(minutes=i + 1),
            )

    add(1)
    only_shown(campaign)
    client.get(reverse("this-week"))
    # News, films, sessions with seats, and the posts that went out (the campaigns and the
    # region come from the shared cache).
    with django_assert_num_queries(4):
        response = client.get(reverse("this-week"))
    assert response.content.decode().count('class="card session-card"') == 1
    add(9)
    only_shown(campaign)
    client.get(reverse("this-week"))
    with django_assert_num_queries(4):
        response = client.get(reverse("this-week"))
    # A bounded page: the first few of each list, with a link to the rest.
    page = response.content.decode()
    assert page.count('class="card session-card"') == WEEK_CARDS
    assert page.count('class="card news-card') == WEEK_CARDS
    assert f'href="{reverse("schools:news-list")}">Al het nieuws' in page
    assert f'href="{reverse("campaign:storyline-list")}">Meer filmpjes' in page
    assert f'href="{reverse("events:session-list")}">Alle masterclasses' in page


def test_a_busy_week_shows_a_few_posts_and_counts_the_rest(client, this_week):
    campaign = CampaignFactory()
    for i in range(WEEK_POSTS + 2):
        SocialPostFactory(
            campaign=campaign,
            title=f"Bericht {i:02}",
            status=SocialPost.Status.POSTED,
            posted_at=this_week.starts_at + dt.timedelta(minutes=i + 1),
        )
    page = client.get(reverse("this-week")).content.decode()
    assert page.count('rel="noopener noreferrer">Bericht') == WEEK_POSTS
    assert "En nog 2 berichten deze week." in page


def test_a_quiet_week_has_no_links_to_the_rest(client, this_week):
    campaign = CampaignFactory()
    NewsItemFactory(published_at=this_week.starts_at + dt.timedelta(minutes=1))
    VideoFactory(campaign=campaign, published_at=this_week.starts_at)
    page = client.get(reverse("this-week")).content.decode()
    assert "Al het nieuws" not in page and "Meer filmpjes" not in page


def test_this_week_lists_the_posts_that_went_out_with_a_link_to_each(client, this_week):
    campaign = CampaignFactory()
    posted = SocialPostFactory(
        campaign=campaign,
        title="Robots bouwen bij Westerdijk",
        status=SocialPost.Status.POSTED,
        posted_at=this_week.starts_at + dt.timedelta(hours=2),
        posted_url="https://www.linkedin.com/feed/update/urn:li:activity:42/",
    )
    SocialPostFactory(campaign=campaign, title="Nog gepland", status=SocialPost.Status.PLANNED)
    SocialPostFactory(
        campaign=campaign,
        title="Vorige week gedeeld",
        status=SocialPost.Status.POSTED,
        posted_at=this_week.starts_at - dt.timedelta(hours=2),
    )

    text = client.get(reverse("this-week")).content.decode()
    earlier = client.get(this_week.previous().get_absolute_url()).content.decode()

    assert "Gedeeld op sociale media" in text
    assert f'href="{posted.posted_url}"' in text and "Robots bouwen bij Westerdijk" in text
    assert "Nog gepland" not in text and "Vorige week gedeeld" not in text
    assert "Vorige week gedeeld" in earlier and "Robots bouwen" not in earlier


def test_feed_parses_with_one_entry_per_week_with_content(client, content, this_week):
    response = client.get(reverse("this-week-feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "max-age=" in response["Cache-Control"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    links = [entry.link for entry in feed.entries]
    # Newest first; the session in two weeks was ahead in the three weeks before this one too.
    assert links == [
        "http://localhost:8000" + (this_week - back).get_absolute_url() for back in range(4)
    ]
    current, previous, *_earlier = feed.entries
    assert current.title.startswith(f"Week {this_week.number}:")
    assert "Robotwedstrijd gewonnen" in current.summary
    assert "Lassen met licht" in current.summary
    assert "Bouw een brug" in current.summary and "nog 20 plekken vrij" in current.summary
    assert "Zonnepanelen op het dak" in previous.summary
    text = response.content.decode()
    for title in NEVER:
        assert title not in text


def test_feed_carries_no_active_content_when_titles_are_hostile(client, this_week):
    item = NewsItemFactory(published_at=this_week.starts_at)
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    write_raw(type(item), item.pk, title=payload + "\nregel twee")
    video = VideoFactory(published_at=this_week.starts_at)
    write_raw(type(video), video.pk, title='<a href="javascript:alert(3)">film</a>')

    feed = feedparser.parse(client.get(reverse("this-week-feed")).content)

    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.summary_detail.type == "text/html"
    assert active_content(entry.summary_detail.value) == []
    # A reader shows the text that was typed, on one line.
    assert payload + " regel twee" in html.unescape(entry.summary)
    assert "\n" not in entry.summary
