"""An "offline vanaf" date (unpublish_at) takes content off every public surface."""

import datetime as dt

import pytest
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign.models import Storyline
from campaign.publishing import PublicationStatus
from schools.models import NewsItem
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    PageFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

SCHEDULABLE_FACTORIES = [
    pytest.param(StorylineFactory, id="Storyline"),
    pytest.param(VideoFactory, id="Video"),
    pytest.param(PageFactory, id="Page"),
    pytest.param(SchoolFactory, id="School"),
    pytest.param(CompanyFactory, id="Company"),
    pytest.param(MasterclassRoundFactory, id="MasterclassRound"),
    pytest.param(SessionFactory, id="Session"),
    pytest.param(NewsItemFactory, id="NewsItem"),
]


def _ago(**kwargs):
    return timezone.now() - dt.timedelta(**kwargs)


def _from_now(**kwargs):
    return timezone.now() + dt.timedelta(**kwargs)


@pytest.mark.parametrize("factory", SCHEDULABLE_FACTORIES)
def test_published_hides_items_when_their_offline_date_has_passed(factory):
    model = factory._meta.model
    still_on = factory(unpublish_at=_from_now(hours=1))
    without_end = factory(unpublish_at=None)
    expired = factory(unpublish_at=_ago(minutes=1))

    assert set(model.objects.published()) == {still_on, without_end}
    assert still_on.is_public is True
    assert without_end.is_public is True
    assert expired.is_public is False


@pytest.mark.parametrize("factory", SCHEDULABLE_FACTORIES)
def test_clean_refuses_offline_date_when_it_is_not_after_the_publication_date(factory):
    item = factory.build(published_at=_from_now(days=2), unpublish_at=_from_now(days=1))

    with pytest.raises(ValidationError) as error:
        item.clean()

    assert error.value.message_dict["unpublish_at"] == [
        "Kies voor ‘offline vanaf’ een moment ná de publicatiedatum."
    ]


def test_going_live_and_going_offline_between_list_what_changes_in_the_window():
    start, end = _from_now(days=1), _from_now(days=8)
    goes_live = StorylineFactory(published_at=_from_now(days=3))
    StorylineFactory(published_at=_from_now(days=9))
    StorylineFactory(published_at=_from_now(days=3), status=PublicationStatus.DRAFT)
    goes_offline = StorylineFactory(unpublish_at=_from_now(days=2))
    StorylineFactory(unpublish_at=_from_now(days=10))
    news_offline = NewsItemFactory(unpublish_at=_from_now(days=4))

    assert list(Storyline.objects.going_live_between(start, end)) == [goes_live]
    assert list(Storyline.objects.going_offline_between(start, end)) == [goes_offline]
    assert list(NewsItem.objects.going_offline_between(start, end)) == [news_offline]


def _expired():
    return {"unpublish_at": _ago(minutes=5)}


@pytest.mark.parametrize(
    ("factory", "list_url"),
    [
        (StorylineFactory, "campaign:storyline-list"),
        (SchoolFactory, "schools:school-list"),
        (CompanyFactory, "companies:company-list"),
        (SessionFactory, "events:session-list"),
        (NewsItemFactory, "schools:news-list"),
        (PageFactory, None),
    ],
    ids=["storyline", "school", "company", "session", "news", "page"],
)
def test_expired_item_is_gone_from_its_page_and_list(client, factory, list_url):
    item = factory(**_expired())
    name = str(item)

    assert client.get(item.get_absolute_url()).status_code == 404
    if list_url:
        assert name not in client.get(reverse(list_url)).text


def test_expired_items_are_gone_from_the_home_page(client):
    campaign = CampaignFactory()
    StorylineFactory(campaign=campaign, title="Verlopen verhaal", **_expired())
    VideoFactory(campaign=campaign, title="Verlopen video", **_expired())
    SessionFactory(title="Verlopen masterclass", **_expired())
    NewsItemFactory(title="Verlopen nieuws", **_expired())
    NewsItemFactory(title="Nieuws van verlopen school", school=SchoolFactory(**_expired()))

    html = client.get(reverse("home")).text

    for hidden in (
        "Verlopen verhaal",
        "Verlopen video",
        "Verlopen masterclass",
        "Verlopen nieuws",
        "Nieuws van verlopen school",
    ):
        assert hidden not in html


def test_expired_news_is_gone_from_the_feeds(client):
    NewsItemFactory(title="Actueel bericht")
    NewsItemFactory(title="Verlopen bericht", **_expired())

    for name in ("schools:news-feed", "schools:news-atom"):
        body = client.get(reverse(name)).text
        assert "Actueel bericht" in body
        assert "Verlopen bericht" not in body


def test_expired_items_are_not_found_by_search(client):
    StorylineFactory(title="Vervlogenrobot verhaal", **_expired())
    SchoolFactory(name="Vervlogenrobot school", **_expired())
    CompanyFactory(name="Vervlogenrobot bedrijf", **_expired())
    SessionFactory(title="Vervlogenrobot sessie", **_expired())
    SessionFactory(title="Vervlogenrobot ronde", round=MasterclassRoundFactory(**_expired()))
    NewsItemFactory(title="Vervlogenrobot nieuws", **_expired())

    html = client.get(reverse("search"), {"q": "Vervlogenrobot"}).text

    for hidden in ("verhaal", "school", "bedrijf", "sessie", "ronde", "nieuws"):
        assert f"Vervlogenrobot {hidden}" not in html
    assert "0 resultaten" in html


def test_expired_items_are_not_in_the_sitemap(client):
    shown = StorylineFactory(slug="actueel-verhaal")
    hidden = [
        StorylineFactory(slug="verlopen-verhaal", **_expired()),
        SchoolFactory(slug="verlopen-school", **_expired()),
        CompanyFactory(slug="verlopen-bedrijf", **_expired()),
        SessionFactory(slug="verlopen-sessie", **_expired()),
        NewsItemFactory(slug="verlopen-nieuws", **_expired()),
        PageFactory(slug="verlopen-pagina", **_expired()),
    ]

    response = client.get("/sitemap.xml")

    tree = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = " ".join(loc.text for loc in tree.findall("s:url/s:loc", ns))
    assert shown.get_absolute_url() in locations
    for row in hidden:
        assert row.get_absolute_url() not in locations


def test_expired_sessions_are_not_in_the_calendar_feeds(client):
    SessionFactory(title="Actuele masterclass")
    expired = SessionFactory(title="Verlopen masterclass", **_expired())
    SessionFactory(
        title="Masterclass van verlopen ronde", round=MasterclassRoundFactory(**_expired())
    )

    agenda = client.get(reverse("events:agenda-ics")).text
    single = client.get(reverse("events:session-ics", kwargs={"slug": expired.slug}))

    assert "Actuele masterclass" in agenda
    assert "Verlopen masterclass" not in agenda
    assert "Masterclass van verlopen ronde" not in agenda
    assert single.status_code == 404


def test_storyline_clean_reports_the_dates_and_the_missing_picture_together():
    storyline = StorylineFactory.build(
        hero_image="",
        published_at=_from_now(days=2),
        unpublish_at=_from_now(days=1),
    )

    with pytest.raises(ValidationError) as error:
        storyline.clean()

    assert set(error.value.message_dict) == {"unpublish_at", "hero_image"}
