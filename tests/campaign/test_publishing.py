"""Drafts and future items stay hidden from the public; published past items show."""

import datetime as dt

import pytest
from django.utils import timezone

from campaign.models import Page
from campaign.publishing import PublicationStatus
from schools.models import NewsItem
from tests.factories import (
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

PUBLISHABLE_FACTORIES = [
    pytest.param(StorylineFactory, id="Storyline"),
    pytest.param(VideoFactory, id="Video"),
    pytest.param(PageFactory, id="Page"),
    pytest.param(SchoolFactory, id="School"),
    pytest.param(CompanyFactory, id="Company"),
    pytest.param(MasterclassRoundFactory, id="MasterclassRound"),
    pytest.param(SessionFactory, id="Session"),
]


def _ago(**kwargs):
    return timezone.now() - dt.timedelta(**kwargs)


def _from_now(**kwargs):
    return timezone.now() + dt.timedelta(**kwargs)


@pytest.mark.parametrize("factory", PUBLISHABLE_FACTORIES)
def test_published_shows_only_published_past_items_when_drafts_and_future_items_exist(factory):
    model = factory._meta.model
    visible = factory(status=PublicationStatus.PUBLISHED, published_at=_ago(days=1))
    factory(status=PublicationStatus.PUBLISHED, published_at=_from_now(days=1))
    factory(status=PublicationStatus.DRAFT, published_at=_ago(days=1))
    factory(status=PublicationStatus.DRAFT, published_at=_from_now(days=1))

    assert list(model.objects.published()) == [visible]


@pytest.mark.parametrize("factory", PUBLISHABLE_FACTORIES)
@pytest.mark.parametrize(
    ("status", "published_at", "expected"),
    [
        (PublicationStatus.PUBLISHED, _ago, True),
        (PublicationStatus.PUBLISHED, _from_now, False),
        (PublicationStatus.DRAFT, _ago, False),
        (PublicationStatus.DRAFT, _from_now, False),
    ],
    ids=["published-past", "published-future", "draft-past", "draft-future"],
)
def test_is_public_agrees_with_published_when_status_and_date_vary(
    factory, status, published_at, expected
):
    model = factory._meta.model
    obj = factory(status=status, published_at=published_at(hours=2))

    assert obj.is_public is expected
    assert model.objects.published().filter(pk=obj.pk).exists() is expected


@pytest.mark.parametrize("factory", PUBLISHABLE_FACTORIES)
def test_new_item_is_draft_when_status_is_not_given(factory):
    item = factory._meta.model()

    assert item.status == PublicationStatus.DRAFT
    assert item.is_public is False


def test_published_includes_item_when_publication_date_is_exactly_now(monkeypatch):
    now = timezone.now()
    page = PageFactory(status=PublicationStatus.PUBLISHED, published_at=now)
    monkeypatch.setattr(timezone, "now", lambda: now)

    assert page.is_public is True
    assert list(Page.objects.published()) == [page]


NEWS_CASES = [
    pytest.param(NewsItem.Status.PUBLISHED, _ago, True, id="published-past"),
    pytest.param(NewsItem.Status.PUBLISHED, _from_now, False, id="published-future"),
    pytest.param(NewsItem.Status.DRAFT, _ago, False, id="draft"),
    pytest.param(NewsItem.Status.SUBMITTED, _ago, False, id="submitted"),
    pytest.param(NewsItem.Status.REJECTED, _ago, False, id="rejected"),
]


@pytest.mark.parametrize(("status", "published_at", "expected"), NEWS_CASES)
def test_news_published_and_is_public_agree_when_status_and_date_vary(
    status, published_at, expected
):
    item = NewsItemFactory(
        status=status,
        published_at=published_at(hours=2),
        rejection_reason="Geen nieuws." if status == NewsItem.Status.REJECTED else "",
    )

    assert item.is_public is expected
    assert NewsItem.objects.published().filter(pk=item.pk).exists() is expected


def test_news_published_shows_only_public_items_when_every_status_exists():
    public = NewsItemFactory(status=NewsItem.Status.PUBLISHED, published_at=_ago(days=1))
    NewsItemFactory(status=NewsItem.Status.PUBLISHED, published_at=_from_now(days=1))
    NewsItemFactory(status=NewsItem.Status.DRAFT, published_at=None)
    NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)
    NewsItemFactory(
        status=NewsItem.Status.REJECTED, published_at=None, rejection_reason="Dubbel bericht."
    )

    assert list(NewsItem.objects.published()) == [public]


def test_news_is_not_public_when_published_without_date():
    item = NewsItemFactory.build(status=NewsItem.Status.PUBLISHED, published_at=None)

    assert item.is_public is False


def test_news_pending_lists_only_submitted_items_oldest_first_when_mixed():
    first = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)
    second = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)
    NewsItemFactory(status=NewsItem.Status.PUBLISHED)
    NewsItemFactory(status=NewsItem.Status.DRAFT, published_at=None)
    NewsItem.objects.filter(pk=first.pk).update(created_at=_ago(days=2))

    assert list(NewsItem.objects.pending()) == [first, second]
