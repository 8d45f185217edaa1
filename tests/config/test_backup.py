"""`manage.py backup` and `manage.py restore`: a round trip gives back every row and file.

The round trip wipes the test database down to nothing (no tables at all), as a new
server would be, and restores into it. CI runs it on PostgreSQL (STRICT_TESTS=1);
locally it also runs on SQLite. The snapshot test needs PostgreSQL.
"""

import gzip
import hashlib
import json
import stat
import threading

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db.models import DBTaskResult

import config.backup
from campaign.models import Campaign, OutgoingEmail
from campaign.renditions import make_renditions
from events.models import Registration
from events.services import SignUp, register_for_session
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    NewsItemFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db(transaction=True)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _schema_back_after_wipe():
    """A test that wiped the database and did not restore it leaves the schema for the next."""
    yield
    if "campaign_campaign" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def build_content(settings):
    """Content, images, registrations (one on the waiting list) and queued mail."""
    settings.TASKS = DB_TASKS
    campaign = CampaignFactory(logo=make_image_file("logo.png", image_format="PNG"))
    storyline = StorylineFactory(
        campaign=campaign, hero_image=make_image_file(size=(700, 500)), hero_image_alt="Robot"
    )
    AudienceMessageFactory(storyline=storyline)
    school = SchoolFactory(logo=make_image_file("school.png", image_format="PNG"))
    school.storylines.add(storyline)
    company = CompanyFactory()
    company.storylines.add(storyline)
    NewsItemFactory(school=school, image=make_image_file(), image_alt="Een werkplaats")
    session = SessionFactory(storyline=storyline, host_school=school, seats=1)
    for name in ("Sam", "Noor"):
        register_for_session(
            session=session,
            signup=SignUp(
                kind=Registration.Kind.CHILD,
                contact_name="Ouder van " + name,
                contact_email=f"{name.lower()}@example.org",
                primary_school="De Regenboog",
                child_first_name=name,
                child_group="groep 8",
                has_parental_consent=True,
            ),
        )
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED).exists()
    assert OutgoingEmail.objects.exists()
    assert DBTaskResult.objects.filter(status="READY").exists()
    return storyline


def every_row():
    """Every row of every table, by model; join tables without their own id."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        values = model._base_manager.order_by("pk").values()
        if model._meta.auto_created:
            rows[model._meta.label] = sorted(
                tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in values
            )
        else:
            rows[model._meta.label] = list(values)
    return rows


def every_file():
    found = {}

    def walk(folder):
        directories, files = default_storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}" if folder else name
            with default_storage.open(path) as handle:
                found[path] = hashlib.sha256(handle.read()).hexdigest()
        for directory in directories:
            walk(f"{folder}/{directory}" if folder else directory)

    walk("")
    return found


def wipe_database():
    """Nothing left: no tables, no sequences (a new, empty database)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []
    ContentType.objects.clear_cache()


def test_restore_gives_back_every_row_and_file_when_database_and_media_are_new(
    client, settings, tmp_path
):
    storyline = build_content(settings)
    # The worker made the renditions of its images (campaign.tasks.make_renditions): they
    # are media too.
    assert make_renditions(storyline.hero_image.name) > 0
    assert client.get(storyline.get_absolute_url()).status_code == 200
    rows_before, files_before = every_row(), every_file()
    assert any(name.startswith("renditions/") for name in files_before)
    target = tmp_path / "backup"

    call_command("backup", str(target))
    wipe_database()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    call_command("restore", str(target))

    assert every_row() == rows_before
    assert every_file() == files_before
    # Sequences were reset: new rows get new keys.
    highest = max(row["id"] for row in rows_before["campaign.Campaign"])
    assert CampaignFactory().pk > highest


def test_manifest_counts_rows_and_checksums_every_file(settings, tmp_path):
    build_content(settings)
    files = every_file()
    target = tmp_path / "backup"

    call_command("backup", str(target))

    manifest = json.loads((target / "manifest.json").read_text())
    database = target / manifest["database"]["file"]
    assert hashlib.sha256(database.read_bytes()).hexdigest() == manifest["database"]["sha256"]
    with gzip.open(database, "rt") as lines:
        models = [json.loads(line)["model"] for line in lines]
    assert manifest["database"]["rows"]["events.registration"] == 2
    assert manifest["database"]["rows"]["campaign.outgoingemail"] == models.count(
        "campaign.outgoingemail"
    )
    assert sum(manifest["database"]["rows"].values()) == len(models)
    assert {f["name"]: f["sha256"] for f in manifest["media"]["files"]} == files
    for entry in manifest["media"]["files"]:
        stored = (target / "media" / entry["name"]).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == entry["sha256"]
    # Personal data (registrations, mail): for the owner only.
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE((target / "media").stat().st_mode) == 0o700
    assert "0001_initial" in manifest["migrations"]["campaign"]
    assert manifest["app"]["name"] == "techniek-doet-het"


def test_restore_refuses_a_database_with_content_unless_forced(settings, tmp_path):
    build_content(settings)
    target = tmp_path / "backup"
    call_command("backup", str(target))
    Campaign.objects.update(name="Na de backup veranderd")
    settings.MEDIA_ROOT = tmp_path / "new-media"

    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(target))
    assert Campaign.objects.get().name == "Na de backup veranderd"

    call_command("restore", str(target), force=True)
    assert Campaign.objects.get().name != "Na de backup veranderd"


def test_restore_refuses_a_damaged_backup(settings, tmp_path):
    build_content(settings)
    target = tmp_path / "backup"
    call_command("backup", str(target))
    wipe_database()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    database = target / "database.jsonl.gz"
    database.write_bytes(database.read_bytes()[:-10])

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(target))


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "iets.txt").write_text("hallo")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


def test_backup_to_a_bucket_and_restore_from_it_when_media_is_in_a_bucket(
    settings, tmp_path, s3_media, make_bucket, bucket_keys
):
    build_content(settings)
    rows_before, files_before = every_row(), every_file()
    backups = make_bucket()

    call_command("backup", f"s3://{backups}/nacht-1")

    keys = bucket_keys(backups)
    assert "nacht-1/manifest.json" in keys
    assert {f"nacht-1/media/{name}" for name in files_before} <= set(keys)
    wipe_database()
    media = settings.STORAGES["default"]
    new_bucket = {**media, "OPTIONS": {**media["OPTIONS"], "bucket_name": make_bucket()}}
    settings.STORAGES = {**settings.STORAGES, "default": new_bucket}
    call_command("restore", f"s3://{backups}/nacht-1")
    assert every_row() == rows_before
    assert every_file() == files_before


def test_backup_reads_one_moment_when_others_write_meanwhile(postgres_only, tmp_path, settings):
    build_content(settings)
    real_call_command = config.backup.call_command

    def write_from_another_connection():
        CampaignFactory(name="Tijdens de backup")
        connection.close()

    def dumpdata_after_a_write(*args, **kwargs):
        # The snapshot has begun (the migrations were read); a write commits meanwhile.
        thread = threading.Thread(target=write_from_another_connection)
        thread.start()
        thread.join()
        return real_call_command(*args, **kwargs)

    config.backup.call_command = dumpdata_after_a_write
    try:
        call_command("backup", str(tmp_path / "backup"))
    finally:
        config.backup.call_command = real_call_command

    assert Campaign.objects.filter(name="Tijdens de backup").exists()
    with gzip.open(tmp_path / "backup" / "database.jsonl.gz", "rt") as lines:
        names = [
            row["fields"]["name"]
            for row in map(json.loads, lines)
            if row["model"] == "campaign.campaign"
        ]
    assert "Tijdens de backup" not in names
    assert len(names) == 1


def test_restore_refuses_a_backup_made_by_newer_code(settings, tmp_path):
    build_content(settings)
    target = tmp_path / "backup"
    call_command("backup", str(target))
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["campaign"].append("9999_from_the_future")
    manifest_path.write_text(json.dumps(manifest))
    wipe_database()
    settings.MEDIA_ROOT = tmp_path / "new-media"

    with pytest.raises(CommandError, match="campaign.9999_from_the_future"):
        call_command("restore", str(target))
