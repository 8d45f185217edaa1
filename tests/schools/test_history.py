"""Moderation, news submission and link renewal appear in the history with their reason."""

import pytest
from django.urls import reverse
from reversion.models import Version

from schools.models import NewsItem, School
from schools.services import approve_news_item, reject_news_item
from tests.factories import NewsItemFactory, SchoolFactory
from tests.schools.test_news_submission import form_data, submit_url

pytestmark = pytest.mark.django_db


def latest(obj) -> Version:
    return Version.objects.get_for_object(obj).order_by("-pk").first()


def test_news_sent_in_by_a_school_appears_in_the_history_via_the_website(client):
    client.post(submit_url(SchoolFactory()), form_data(submitter_name="Juf Anne"))

    version = latest(NewsItem.objects.get())
    assert version.revision.user is None
    assert version.revision.get_comment() == "Ingestuurd door Juf Anne. (via de website)"


def test_rejection_appears_in_the_history_with_its_reason():
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)

    reject_news_item(item=item, reason="Geen foto-toestemming")

    version = latest(item)
    assert version.revision.get_comment() == "Afgewezen. Reden: Geen foto-toestemming"
    assert version.field_dict["status"] == NewsItem.Status.REJECTED


def test_approval_appears_in_the_history():
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)

    approve_news_item(item=item)

    assert latest(item).revision.get_comment().startswith("Goedgekeurd en gepubliceerd per ")


def test_publish_from_the_admin_form_keeps_the_edits_and_the_decision_in_one_revision(
    coordinator_client, coordinator
):
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None, title="Oud")
    url = reverse("admin:schools_newsitem_change", args=[item.pk])
    from tests.campaign.test_history import form_data as admin_form_data

    data = admin_form_data(coordinator_client.get(url), title="Nieuw", _publish="1")
    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    version = Version.objects.get_for_object(item).get()
    assert version.revision.user == coordinator
    comment = version.revision.get_comment()
    assert "Titel" in comment and "Goedgekeurd en gepubliceerd" in comment
    assert version.field_dict["title"] == "Nieuw"
    assert version.field_dict["status"] == NewsItem.Status.PUBLISHED


def test_link_renewal_appears_in_the_history_and_no_version_keeps_the_secret(
    coordinator_client, coordinator
):
    school = SchoolFactory()
    old_token = school.submission_token

    coordinator_client.post(
        reverse("admin:schools_school_changelist"),
        {"action": "renew_submission_token", "_selected_action": [school.pk]},
    )

    school.refresh_from_db()
    version = latest(school)
    assert version.revision.user == coordinator
    assert version.revision.get_comment() == (
        "Nieuwe link voor nieuws insturen; de oude werkt niet meer."
    )
    assert old_token not in version.serialized_data
    assert school.submission_token not in version.serialized_data


def test_restoring_a_school_keeps_its_current_submission_link(coordinator_client):
    school = SchoolFactory(status="draft", name="Oude naam")
    url = reverse("admin:schools_school_change", args=[school.pk])
    from tests.campaign.test_history import form_data as admin_form_data

    response = coordinator_client.post(url, admin_form_data(coordinator_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    first = latest(school)
    coordinator_client.post(url, admin_form_data(coordinator_client.get(url), name="Nieuw"))
    token = School.objects.get(pk=school.pk).submission_token
    restore_url = reverse("admin:schools_school_revision", args=[school.pk, first.pk])

    response = coordinator_client.post(
        restore_url, admin_form_data(coordinator_client.get(restore_url))
    )

    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Oude naam"
    assert school.submission_token == token


def test_restoring_a_news_item_brings_back_its_text_but_not_an_old_moderation_state(
    coordinator_client,
):
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None, title="Oud")
    url = reverse("admin:schools_newsitem_change", args=[item.pk])
    from tests.campaign.test_history import form_data as admin_form_data

    coordinator_client.post(url, admin_form_data(coordinator_client.get(url), summary="Eerst"))
    submitted = latest(item)
    data = admin_form_data(coordinator_client.get(url), title="Nieuw", _publish="1")
    coordinator_client.post(url, data)
    restore_url = reverse("admin:schools_newsitem_revision", args=[item.pk, submitted.pk])

    response = coordinator_client.post(
        restore_url, admin_form_data(coordinator_client.get(restore_url))
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Oud"
    assert item.status == NewsItem.Status.PUBLISHED
    assert item.published_at is not None


def test_restore_never_brings_back_a_withdrawn_photo(
    coordinator_client, django_capture_on_commit_callbacks
):
    from campaign.models import Photo
    from campaign.services import withdraw_photo
    from tests.campaign.test_history import form_data as admin_form_data
    from tests.campaign.test_photo_register import news_with_photo

    item = news_with_photo(status=NewsItem.Status.SUBMITTED, published_at=None)
    url = reverse("admin:schools_newsitem_change", args=[item.pk])
    coordinator_client.post(url, admin_form_data(coordinator_client.get(url), summary="Eerst"))
    with_photo = latest(item)
    assert with_photo.field_dict["image"]
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_photo(photo=Photo.objects.get(file=item.image.name), withdrawn_by="ouder")
    restore_url = reverse("admin:schools_newsitem_revision", args=[item.pk, with_photo.pk])

    response = coordinator_client.post(
        restore_url, admin_form_data(coordinator_client.get(restore_url)), follow=True
    )

    item.refresh_from_db()
    assert item.summary == "Eerst"
    assert not item.image
    assert "bestaat niet meer" in response.content.decode()


def test_photo_withdrawal_appears_in_the_history_of_the_news_item(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    from campaign.models import Photo
    from tests.campaign.test_photo_register import news_with_photo

    item = news_with_photo()
    photo = Photo.objects.get(file=item.image.name)

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("admin:campaign_photo_changelist"),
            {"action": "withdraw", "_selected_action": [photo.pk]},
        )

    version = latest(item)
    assert version.revision.user == coordinator
    assert version.revision.get_comment() == "Foto ingetrokken (afbeelding)."
    assert version.field_dict["image"] == ""
