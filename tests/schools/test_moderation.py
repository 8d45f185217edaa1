"""Coordinators moderate school news in the admin; the submitter hears the outcome."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.models import NewsItem
from tests.factories import NewsItemFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def change_data(item, **overrides):
    data = {
        "school": item.school_id or "",
        "title": item.title,
        "slug": item.slug,
        "summary": item.summary,
        "body": item.body,
        "image_alt": "",
        "submitter_name": item.submitter_name,
        "submitter_email": item.submitter_email,
        "rejection_reason": "",
        "published_at_0": "",
        "published_at_1": "",
    }
    data.update(overrides)
    return data


def change_url(item):
    return reverse("admin:schools_newsitem_change", args=[item.pk])


@pytest.fixture
def pending():
    return NewsItemFactory(
        status=NewsItem.Status.SUBMITTED,
        published_at=None,
        title="Zonnebootrace",
        slug="zonnebootrace",
        body="<p>Origineel</p>",
    )


def test_edit_and_publish_makes_item_public_and_mails_submitter_when_pending(
    coordinator_client, pending, mailoutbox
):
    response = coordinator_client.post(
        change_url(pending),
        change_data(pending, body="<p>Bewerkt door de coördinator</p>", _publish="1"),
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == NewsItem.Status.PUBLISHED
    assert pending.body == "<p>Bewerkt door de coördinator</p>"
    assert [m.to for m in mailoutbox] == [["anne@example.org"]]
    assert coordinator_client.get(pending.get_absolute_url()).status_code == 200


def test_publish_at_date_keeps_item_hidden_until_then_when_date_in_future(
    coordinator_client, pending, mailoutbox
):
    later = timezone.localtime() + dt.timedelta(days=3)

    coordinator_client.post(
        change_url(pending),
        change_data(
            pending,
            published_at_0=later.strftime("%d-%m-%Y"),
            published_at_1=later.strftime("%H:%M:%S"),
            _publish="1",
        ),
    )

    pending.refresh_from_db()
    assert pending.status == NewsItem.Status.PUBLISHED
    assert pending.published_at > timezone.now()
    assert not NewsItem.objects.published().filter(pk=pending.pk).exists()


def test_reject_with_reason_mails_reason_and_keeps_item_private_when_pending(
    coordinator_client, client, pending, mailoutbox
):
    coordinator_client.post(
        change_url(pending),
        change_data(pending, rejection_reason="Er staat geen techniek in.", _reject="1"),
    )

    pending.refresh_from_db()
    assert pending.status == NewsItem.Status.REJECTED
    assert "Er staat geen techniek in." in mailoutbox[0].body
    client.logout()  # the same client: a coordinator would see the preview
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_queue_lists_pending_oldest_first_with_counts_per_school_when_opened(coordinator_client):
    school = SchoolFactory(name="Westfries Techniek College")
    newest = NewsItemFactory(school=school, status="submitted", published_at=None, title="Nieuwste")
    oldest = NewsItemFactory(school=school, status="submitted", published_at=None, title="Oudste")
    NewsItem.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    NewsItemFactory(title="Al gepubliceerd")

    response = coordinator_client.get(reverse("admin:schools_newsitem_moderation"))

    assert response.status_code == 200
    assert [item.title for item in response.context["items"]] == ["Oudste", "Nieuwste"]
    counts = {s.name: s.pending for s in response.context["schools"]}
    assert counts["Westfries Techniek College"] == 2
    assert newest.title in response.content.decode()


def test_publish_action_publishes_selected_items_when_pending(
    coordinator_client, pending, mailoutbox
):
    coordinator_client.post(
        reverse("admin:schools_newsitem_changelist"),
        {"action": "publish_now", "_selected_action": [pending.pk]},
    )

    pending.refresh_from_db()
    assert pending.status == NewsItem.Status.PUBLISHED
    assert len(mailoutbox) == 1
