"""From the admin to the preview: "Weergeven op website", the moderation queue, the
shareable link, and the "offline vanaf" date next to the publication date."""

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
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

BANNER = "Concept — nog niet openbaar"


def admin_url(obj, view="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def view_on_site_url(html: str) -> str:
    return unescape(re.search(r'href="([^"]+)" class="viewsitelink"', html)[1])


@pytest.mark.parametrize(
    "make",
    [
        lambda: StorylineFactory(status=PublicationStatus.DRAFT),
        lambda: PageFactory(status=PublicationStatus.DRAFT),
        lambda: SchoolFactory(status=PublicationStatus.DRAFT),
        lambda: CompanyFactory(status=PublicationStatus.DRAFT),
        lambda: SessionFactory(status=PublicationStatus.DRAFT),
        lambda: NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None),
        lambda: VideoFactory(status=PublicationStatus.DRAFT),
        lambda: MasterclassRoundFactory(status=PublicationStatus.DRAFT),
    ],
    ids=["storyline", "page", "school", "company", "session", "news", "video", "round"],
)
def test_view_on_site_opens_the_preview_when_the_item_is_a_draft(coordinator_client, make):
    item = make()
    change_page = coordinator_client.get(admin_url(item)).text

    response = coordinator_client.get(view_on_site_url(change_page), follow=True)

    assert response.status_code == 200
    assert BANNER in response.text


def test_moderation_queue_links_each_item_to_its_preview(coordinator_client):
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None, title="Open dag")

    queue = coordinator_client.get(reverse("admin:schools_newsitem_moderation")).text
    preview = coordinator_client.get(item.get_absolute_url())

    assert f'href="{item.get_absolute_url()}"' in queue
    assert preview.status_code == 200
    assert BANNER in preview.text


def test_change_page_shows_a_shareable_link_that_works_without_an_account(
    coordinator_client, client
):
    page = PageFactory(status=PublicationStatus.DRAFT, title="Binnenkort")
    html = coordinator_client.get(admin_url(page)).text

    link = unescape(
        re.search(r'class="vLargeTextField preview-link"[^>]*>([^<]+)</textarea>', html)[1]
    )
    address = urlsplit(link)
    client.logout()  # the same client as coordinator_client: now without an account
    response = client.get(f"{address.path}?{address.query}")

    assert "Geldig tot" in html
    assert response.status_code == 200
    assert "Binnenkort" in response.text


def test_change_page_says_the_item_is_public_instead_of_giving_a_link(coordinator_client):
    page = PageFactory()

    html = coordinator_client.get(admin_url(page)).text

    assert "Dit is al openbaar" in html
    assert "preview-link" not in html


def page_post_data(**overrides):
    return {
        "campaign": "",
        "title": "Zomerkamp",
        "slug": "zomerkamp",
        "audience": "",
        "intro": "",
        "body": "<p>Tekst</p>",
        "status": "published",
        "published_at_0": "2027-06-01",
        "published_at_1": "09:00",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "order": "0",
        **overrides,
    }


def test_admin_saves_the_offline_date_next_to_the_publication_date(coordinator_client):
    data = page_post_data(unpublish_at_0="2027-09-01", unpublish_at_1="00:00")

    response = coordinator_client.post(reverse("admin:campaign_page_add"), data)

    assert response.status_code == 302
    page = Page.objects.get(slug="zomerkamp")
    assert timezone.localtime(page.unpublish_at).date() == dt.date(2027, 9, 1)


def test_admin_refuses_an_offline_date_before_the_publication_date(coordinator_client):
    data = page_post_data(unpublish_at_0="2027-05-01", unpublish_at_1="00:00")

    response = coordinator_client.post(reverse("admin:campaign_page_add"), data)

    assert response.status_code == 200
    assert "Kies voor ‘offline vanaf’ een moment ná de publicatiedatum." in response.text
    assert 'value="Zomerkamp"' in response.text
    assert not Page.objects.exists()


def test_session_change_page_keeps_its_occupancy_box_and_gets_the_share_box(coordinator_client):
    session = SessionFactory(status=PublicationStatus.DRAFT)

    html = coordinator_client.get(admin_url(session)).text

    assert "Bezetting" in html
    assert "Voorbeeld delen" in html


def test_publish_action_warns_when_the_offline_date_has_already_passed(coordinator_client):
    expired = PageFactory(
        status=PublicationStatus.DRAFT, unpublish_at=timezone.now() - dt.timedelta(days=1)
    )

    response = coordinator_client.post(
        reverse("admin:campaign_page_changelist"),
        {"action": "publish", "_selected_action": [expired.pk]},
        follow=True,
    )

    texts = [str(message) for message in response.context["messages"]]
    assert any("‘offline vanaf’ al voorbij" in text for text in texts), texts


def test_change_page_of_a_film_without_storyline_offers_no_share_link(coordinator_client):
    video = VideoFactory(status=PublicationStatus.DRAFT, storyline=None)

    html = coordinator_client.get(admin_url(video)).text

    assert "Voorbeeld delen" not in html


def test_round_change_page_shows_the_share_box_once(coordinator_client):
    draft_round = MasterclassRoundFactory(status=PublicationStatus.DRAFT)

    html = coordinator_client.get(admin_url(draft_round)).text

    assert html.count("Voorbeeld delen") == 1
    assert html.count('class="vLargeTextField preview-link"') == 1
