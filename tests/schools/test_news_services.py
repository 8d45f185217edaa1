import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from campaign.models import Photo
from schools import services
from schools.models import NewsItem
from schools.services import (
    ModerationError,
    approve_news_item,
    reject_news_item,
    renew_submission_token,
    submit_news_item,
)
from tests.factories import NewsItemFactory, SchoolFactory

pytestmark = pytest.mark.django_db

DOWN = {"default": {"BACKEND": "tests.mail_backends.DownEmailBackend"}}
UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def submit(school, **overrides):
    data = {
        "school": school,
        "title": "Robots op bezoek",
        "text": "Groep 8 bouwde robots.\n\nHet was een feest.",
        "submitter_name": "Juf Anne",
        "submitter_email": "anne@example.org",
    }
    return submit_news_item(**{**data, **overrides})


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_submission_is_stored_pending_and_not_public_when_submitted(mailoutbox, settings):
    settings.COORDINATOR_EMAILS = ["coord@example.org"]
    item = submit(SchoolFactory())

    assert item.status == NewsItem.Status.SUBMITTED
    assert item.body == "<p>Groep 8 bouwde robots.</p>\n\n<p>Het was een feest.</p>"
    assert not NewsItem.objects.published().filter(pk=item.pk).exists()
    assert sorted(m.to[0] for m in mailoutbox) == ["anne@example.org", "coord@example.org"]


def test_submitted_text_is_escaped_when_it_contains_markup(mailoutbox):
    item = submit(SchoolFactory(), text='<script>alert(1)</script><b onclick="x()">hoi</b>')

    assert "<script" not in item.body
    assert "<b" not in item.body
    assert "&lt;script&gt;" in item.body
    assert "&lt;b onclick" in item.body


def test_approval_publishes_and_tells_submitter_when_item_is_pending(mailoutbox):
    item = submit(SchoolFactory())
    mailoutbox.clear()

    approve_news_item(item=item)

    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED
    assert NewsItem.objects.published().filter(pk=item.pk).exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["anne@example.org"]
    assert item.get_absolute_url() in mailoutbox[0].body


def test_approval_at_future_date_stays_hidden_until_then(mailoutbox):
    item = submit(SchoolFactory())
    approve_news_item(item=item, published_at=timezone.now() + timezone.timedelta(days=2))

    assert not NewsItem.objects.published().filter(pk=item.pk).exists()


def test_rejection_mails_reason_and_never_publishes_when_reason_given(mailoutbox):
    item = submit(SchoolFactory())
    mailoutbox.clear()

    reject_news_item(item=item, reason="De foto is onscherp.")

    item.refresh_from_db()
    assert item.status == NewsItem.Status.REJECTED
    assert not NewsItem.objects.published().filter(pk=item.pk).exists()
    assert "De foto is onscherp." in mailoutbox[0].body


def test_rejection_is_refused_when_reason_is_empty(mailoutbox):
    item = submit(SchoolFactory())
    with pytest.raises(ModerationError):
        reject_news_item(item=item, reason="   ")
    item.refresh_from_db()
    assert item.status == NewsItem.Status.SUBMITTED


def test_renewed_token_replaces_the_old_one():
    school = SchoolFactory()
    old = school.submission_token
    renew_submission_token(school=school)
    school.refresh_from_db()
    assert school.submission_token != old
    assert len(school.submission_token) >= 40


def test_photo_is_stored_without_exif_and_gps_when_original_has_them(mailoutbox):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 38.0, 30.0)}  # GPS
    exif[0x010F] = "Camera BV"  # make
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (0, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")

    item = submit(SchoolFactory(), image=upload, image_alt="Kinderen met een robot")

    item.refresh_from_db()
    assert item.image
    assert Photo.objects.get(file=item.image.name).consent_declared_by
    with Image.open(item.image.path) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.size == (120, 80)


@pytest.mark.django_db(transaction=True)
def test_twenty_submissions_survive_and_are_mailed_when_mail_server_comes_back(settings):
    from django.core import mail

    settings.TASKS = DB_TASKS
    settings.MAILERS = DOWN
    settings.COORDINATOR_EMAILS = ["coord@example.org"]
    school = SchoolFactory()

    for number in range(20):
        submit(school, title=f"Bericht {number}", submitter_email=f"juf{number}@example.org")
    run_worker()

    assert NewsItem.objects.filter(status=NewsItem.Status.SUBMITTED).count() == 20
    assert mail.outbox == []
    # Every failed delivery is back on the queue, to be retried later.
    assert DBTaskResult.objects.filter(status="READY").count() == 40

    settings.MAILERS = UP
    # Let the retry time pass.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert len(mail.outbox) == 40
    assert recipients.count("coord@example.org") == 20
    assert {f"juf{n}@example.org" for n in range(20)} <= set(recipients)
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_same_title_sent_at_the_same_moment_is_stored_twice(monkeypatch, mailoutbox):
    """The slug was checked free, then another request took it before the insert."""
    school = SchoolFactory()
    free_slug = services.unique_news_slug

    def checked_then_taken(title):
        slug = free_slug(title)
        NewsItemFactory(title=title, slug=slug, status=NewsItem.Status.SUBMITTED)
        return slug

    monkeypatch.setattr(services, "unique_news_slug", checked_then_taken)

    item = submit(school)

    slugs = set(NewsItem.objects.values_list("slug", flat=True))
    assert len(slugs) == 2
    assert item.slug in slugs and item.slug.startswith("robots-op-bezoek")
    assert NewsItem.objects.filter(pk=item.pk, school=school).exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_title_both_store_their_news(postgres_only):
    school = SchoolFactory()
    barrier = threading.Barrier(2)
    errors = []

    def send(name):
        try:
            barrier.wait()
            submit(school, submitter_name=name)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(name,)) for name in ("Anne", "Bram")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(NewsItem.objects.values_list("submitter_name", flat=True)) == ["Anne", "Bram"]
