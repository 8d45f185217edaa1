"""The photo register: consent per photo, where it is used, withdrawal, and cleaning old media."""

import io
import posixpath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaign.images import rendition_folder
from campaign.models import Photo
from campaign.services import PhotoError, withdraw_photo
from schools.models import NewsItem, School
from tests.campaign.test_photo_privacy import (
    REVEALING_NAME,
    assert_clean,
    hostile_jpeg,
    hostile_upload,
)
from tests.factories import NewsItemFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def register_url(view="changelist", *args):
    return reverse(f"admin:campaign_photo_{view}", args=args)


def news_with_photo(**kwargs):
    item = NewsItemFactory(title="Robotwedstrijd gewonnen", **kwargs)
    item.image = hostile_upload()
    item.image_alt = "Kinderen met een robot"
    item.save()
    return item


def stored_renditions(name):
    try:
        return default_storage.listdir(rendition_folder(name))[1]
    except FileNotFoundError:
        return []


def test_stored_image_gets_a_register_row_with_its_usage_when_saved(coordinator_client):
    item = news_with_photo()
    photo = Photo.objects.get(file=item.image.name)

    assert photo.shows_pupils is None
    assert photo.consent_declared_by == ""
    assert [u["object"] for u in photo.find_usages()] == ["Robotwedstrijd gewonnen"]
    html = coordinator_client.get(register_url()).content.decode()
    assert "Robotwedstrijd gewonnen" in html
    assert reverse("admin:schools_newsitem_change", args=[item.pk]) in html


def test_change_page_of_any_image_links_to_its_register_row(coordinator_client):
    item = news_with_photo()
    photo = Photo.objects.get(file=item.image.name)

    html = coordinator_client.get(
        reverse("admin:schools_newsitem_change", args=[item.pk])
    ).content.decode()

    assert register_url("change", photo.pk) in html
    assert "Toestemming en intrekken in het fotoregister" in html


def test_coordinator_records_consent_in_register_when_editing_photo(coordinator_client):
    item = news_with_photo()
    photo = Photo.objects.get(file=item.image.name)

    response = coordinator_client.post(
        register_url("change", photo.pk),
        {
            "shows_pupils": "true",
            "consent_declared_by": "Meester Jan (groep 8)",
            "consent_declared_at_0": "",
            "consent_declared_at_1": "",
        },
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.shows_pupils is True
    assert photo.consent_declared_by == "Meester Jan (groep 8)"
    assert timezone.now() - photo.consent_declared_at < timezone.timedelta(minutes=1)


def test_database_refuses_consent_without_declarer_when_only_date_given(db_rejects):
    item = news_with_photo()

    with db_rejects("photo_consent_has_declarer_and_date"):
        Photo.objects.filter(file=item.image.name).update(consent_declared_at=timezone.now())


def test_register_has_no_add_or_delete_when_coordinator_looks(coordinator_client):
    item = news_with_photo()
    photo = Photo.objects.get(file=item.image.name)

    assert coordinator_client.get(register_url("add")).status_code == 403
    assert coordinator_client.get(register_url("delete", photo.pk)).status_code == 403


def test_withdraw_removes_file_renditions_and_every_use_when_coordinator_withdraws(
    client, coordinator_client, django_capture_on_commit_callbacks
):
    item = news_with_photo()
    school = SchoolFactory()
    School.objects.filter(pk=school.pk).update(photo=item.image.name, photo_alt="Het plein")
    name = item.image.name
    stem = posixpath.splitext(posixpath.basename(name))[0]
    page = client.get(item.get_absolute_url()).content.decode()
    assert stem in page  # The page shows renditions of the photo.
    coordinator_client.get(register_url())  # The register makes its thumbnails.
    assert stored_renditions(name)
    photo = Photo.objects.get(file=name)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            register_url(),
            {"action": "withdraw", "_selected_action": [photo.pk]},
            follow=True,
        )

    assert "1 foto ingetrokken" in response.content.decode()
    assert not default_storage.exists(name)
    assert stored_renditions(name) == []
    item.refresh_from_db()
    school.refresh_from_db()
    assert not item.image and not school.photo
    assert stem not in client.get(item.get_absolute_url()).content.decode()
    assert stem not in client.get(school.get_absolute_url()).content.decode()
    photo.refresh_from_db()
    assert photo.withdrawn_by == "coordinator"
    assert {u["object"] for u in photo.usages} == {"Robotwedstrijd gewonnen", school.name}
    html = coordinator_client.get(register_url("change", photo.pk)).content.decode()
    assert "Stond in (tot het intrekken)" in html
    assert "Robotwedstrijd gewonnen" in html


def test_withdraw_refuses_when_photo_was_withdrawn_already():
    item = news_with_photo()
    photo = Photo.objects.get(file=item.image.name)
    withdraw_photo(photo=photo, withdrawn_by="coordinator")

    with pytest.raises(PhotoError, match="al ingetrokken"):
        withdraw_photo(photo=photo, withdrawn_by="coordinator")


def test_news_form_records_submitter_as_consent_declarer_when_photo_sent(client):
    school = SchoolFactory()
    client.post(
        reverse("schools:news-submit", args=[school.submission_token]),
        {
            "title": "Robots in groep 8",
            "text": "Vandaag bouwden we robots.",
            "image": hostile_upload(),
            "image_alt": "Kinderen bouwen een robot",
            "has_photo_consent": "on",
            "submitter_name": "Juf Anne",
            "submitter_email": "anne@example.org",
            "website": "",
        },
    )

    item = NewsItem.objects.get()
    photo = Photo.objects.get(file=item.image.name)
    assert photo.consent_declared_by == "Juf Anne <anne@example.org>"
    assert photo.consent_declared_at is not None


# --------------------------------------------------------------------------- old media


def old_school_photo(name=f"schools/photos/{REVEALING_NAME}.jpg"):
    """A photo stored the old way: as uploaded, with a rendition, bypassing the field."""
    name = default_storage.save(name, ContentFile(hostile_jpeg()))
    default_storage.save(posixpath.join(rendition_folder(name), "a1b2.webp"), ContentFile(b"x"))
    school = SchoolFactory(photo_alt="Het plein")
    School.objects.filter(pk=school.pk).update(photo=name)
    return school, name


def run(*args):
    out = io.StringIO()
    call_command("reencode_images", *args, stdout=out)
    return out.getvalue()


def test_reencode_images_cleans_renames_and_deletes_old_files_when_media_are_old(
    django_capture_on_commit_callbacks,
):
    school, old_name = old_school_photo()
    Photo.objects.create(
        file=old_name, consent_declared_by="Juf Anne", consent_declared_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    school.refresh_from_db()
    assert school.photo.name != old_name
    assert_clean(school.photo)
    assert not default_storage.exists(old_name)
    assert stored_renditions(old_name) == []
    assert "1 re-encoded" in output
    # The consent moves with the photo to its new name.
    assert not Photo.objects.filter(file=old_name).exists()
    assert Photo.objects.get(file=school.photo.name).consent_declared_by == "Juf Anne"


def test_reencode_images_changes_nothing_when_run_twice(django_capture_on_commit_callbacks):
    school, _old_name = old_school_photo()
    item = news_with_photo()
    with django_capture_on_commit_callbacks(execute=True):
        run()
    school.refresh_from_db()
    names = (school.photo.name, item.image.name)
    files = default_storage.listdir("schools/photos")[1] + default_storage.listdir("news")[1]

    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    school.refresh_from_db()
    item.refresh_from_db()
    assert (school.photo.name, item.image.name) == names
    assert default_storage.listdir("schools/photos")[1] + default_storage.listdir("news")[1] == (
        files
    )
    assert "0 re-encoded, 2 already clean" in output


def test_reencode_images_changes_nothing_when_dry_run():
    school, old_name = old_school_photo()

    output = run("--dry-run")

    school.refresh_from_db()
    assert school.photo.name == old_name
    assert default_storage.exists(old_name)
    assert "would re-encode" in output and "Dry run" in output


def test_reencode_images_reports_and_goes_on_when_a_file_is_missing_or_broken(
    django_capture_on_commit_callbacks,
):
    gone = SchoolFactory(photo_alt="Weg")
    School.objects.filter(pk=gone.pk).update(photo="schools/photos/weg.jpg")
    broken_name = default_storage.save("schools/photos/kapot.jpg", ContentFile(b"geen foto"))
    broken = SchoolFactory(photo_alt="Kapot")
    School.objects.filter(pk=broken.pk).update(photo=broken_name)
    school, _old_name = old_school_photo()

    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    assert "missing: schools/photos/weg.jpg" in output
    assert "cannot read schools/photos/kapot.jpg" in output
    assert "1 re-encoded" in output and "1 missing" in output and "1 unreadable" in output
    school.refresh_from_db()
    assert_clean(school.photo)


@pytest.mark.django_db(transaction=True)
def test_migration_moves_news_consent_into_register_when_item_had_it():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("schools", "0001_initial"), ("campaign", "0005_photo_register_permissions")]
    after = [("schools", "0002_photo_consent_moves_to_register")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        OldNewsItem = old_apps.get_model("schools", "NewsItem")
        for slug, consent in (("met", True), ("zonder", False)):
            OldNewsItem.objects.create(
                title=slug,
                slug=slug,
                body="<p>x</p>",
                image=f"news/{slug}.jpg",
                image_alt="Een foto",
                has_photo_consent=consent,
                submitter_name="Juf Anne",
                submitter_email="anne@example.org",
            )

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    finally:
        # Later tests need today's schema (newer migrations were unapplied on the way back).
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    photo = Photo.objects.get()
    assert photo.file.name == "news/met.jpg"
    assert photo.consent_declared_by == "Juf Anne <anne@example.org>"
    assert photo.consent_declared_at is not None


def test_moderation_queue_reads_photo_consent_from_register(coordinator_client):
    declared = news_with_photo(status=NewsItem.Status.SUBMITTED, published_at=None)
    Photo.objects.filter(file=declared.image.name).update(
        consent_declared_by="Meester Jan", consent_declared_at=timezone.now()
    )
    undeclared = news_with_photo(status=NewsItem.Status.SUBMITTED, published_at=None)

    html = coordinator_client.get(reverse("admin:schools_newsitem_moderation")).content.decode()
    listing = coordinator_client.get(reverse("admin:schools_newsitem_changelist")).content.decode()

    assert html.count("ja, toestemming bevestigd") == 1
    assert html.count("ja, zonder toestemming") == 1
    assert "Meester Jan" in listing and "niet verklaard" in listing
    assert undeclared.pk != declared.pk


def test_reencode_images_deletes_unused_originals_only_when_asked():
    left_behind = default_storage.save(
        f"schools/photos/{REVEALING_NAME}.jpg", ContentFile(hostile_jpeg())
    )
    item = news_with_photo()
    replaced = item.image.name
    item.image = hostile_upload()
    item.save()  # The old clean copy stays in the register (not withdrawn): kept.

    output = run()

    assert f"unused file {left_behind} (--delete-orphans deletes it)" in output
    assert default_storage.exists(left_behind)

    output = run("--delete-orphans")

    assert f"deleted unused file {left_behind}" in output
    assert not default_storage.exists(left_behind)
    assert default_storage.exists(replaced) and default_storage.exists(item.image.name)
    assert "0 unused file(s) deleted." in run("--delete-orphans")
