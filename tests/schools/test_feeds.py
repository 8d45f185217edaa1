import datetime as dt

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.publishing import PublicationStatus
from schools.models import NewsItem
from tests.factories import CampaignFactory, NewsItemFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    visible = [
        NewsItemFactory(title="Robotwedstrijd gewonnen", summary="Het team won."),
        NewsItemFactory(title="Regionaal nieuws", school=None),
    ]
    NewsItemFactory(title="Conceptbericht", status=NewsItem.Status.DRAFT)
    NewsItemFactory(title="Ingestuurd bericht", status=NewsItem.Status.SUBMITTED)
    NewsItemFactory(
        title="Afgewezen bericht", status=NewsItem.Status.REJECTED, rejection_reason="Nee"
    )
    NewsItemFactory(title="Toekomstbericht", published_at=timezone.now() + dt.timedelta(days=1))
    NewsItemFactory(
        title="Bericht van conceptschool",
        school=SchoolFactory(status=PublicationStatus.DRAFT),
    )
    return visible


@pytest.mark.parametrize("name", ["schools:news-feed", "schools:news-atom"])
def test_feed_parses_and_lists_only_public_news(client, news, name):
    CampaignFactory(name="Techniek doet het")  # the primary campaign names the feed
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.startswith("Techniek doet het")
    titles = {entry.title for entry in feed.entries}
    assert titles == {"Robotwedstrijd gewonnen", "Regionaal nieuws"}
    entry = next(e for e in feed.entries if e.title == "Robotwedstrijd gewonnen")
    assert entry.link.endswith(news[0].get_absolute_url())
    assert entry.author == news[0].school.name
    assert "Het team won." in entry.summary
    assert entry.published_parsed is not None


def test_feeds_give_content_types_of_rss_and_atom(client, news):
    assert client.get(reverse("schools:news-feed"))["Content-Type"].startswith(
        "application/rss+xml"
    )
    assert client.get(reverse("schools:news-atom"))["Content-Type"].startswith(
        "application/atom+xml"
    )


def test_feed_costs_same_queries_when_ten_times_the_news(client, django_assert_num_queries):
    # The region (for the feed's description), the campaigns (the feed is named after the
    # primary one) and the news; the first two are read again after the news was written
    # and then come from the shared cache.
    NewsItemFactory.create_batch(2)
    with django_assert_num_queries(3):
        client.get(reverse("schools:news-feed"))
    NewsItemFactory.create_batch(20)
    with django_assert_num_queries(3):
        client.get(reverse("schools:news-feed"))
    with django_assert_num_queries(1):
        client.get(reverse("schools:news-atom"))
