"""The private school-news form: the whole path from submission to publication."""

import io
import struct
import zlib
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from campaign.models import Photo
from schools.models import NewsItem
from schools.services import approve_news_item, reject_news_item, renew_submission_token
from tests.campaign.test_richtext import PAYLOAD_VALUES
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school():
    return SchoolFactory(name="Westfries Techniek College")


def submit_url(school):
    return reverse("schools:news-submit", args=[school.submission_token])


def form_data(**overrides):
    data = {
        "title": "Robots in groep 8",
        "text": "Vandaag bouwden we robots.\n\nHet was geweldig.",
        "image_alt": "",
        "submitter_name": "Juf Anne",
        "submitter_email": "anne@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


def image_bytes(fmt="JPEG", size=(80, 60), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 140, 200)).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def public_pages(client, school, item):
    pages = {
        "news list": reverse("schools:news-list"),
        "school page": school.get_absolute_url(),
        "home": reverse("home"),
        "feed": reverse("schools:news-feed"),
    }
    return {name: item.title in client.get(url).content.decode() for name, url in pages.items()}


def test_form_knows_the_school_when_link_is_valid(client, school):
    response = client.get(submit_url(school))

    assert response.status_code == 200
    assert "Westfries Techniek College" in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_unknown_link_gives_clear_page_and_no_form_when_token_is_wrong(client):
    response = client.get(reverse("schools:news-submit", args=["verzonnen-code"]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze link werkt niet (meer)" in html
    assert '<form method="post"' not in html


def test_old_link_is_refused_and_new_one_works_when_token_renewed(client, school):
    old_url = submit_url(school)
    renew_submission_token(school=school)

    assert client.get(old_url).status_code == 404
    assert client.post(old_url, form_data()).status_code == 404
    assert client.get(submit_url(school)).status_code == 200
    assert not NewsItem.objects.exists()


def test_submission_is_pending_then_public_everywhere_when_approved(client, school, mailoutbox):
    response = client.post(submit_url(school), form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "schools:news-submit-thanks", args=[school.submission_token]
    )
    item = NewsItem.objects.get()
    assert item.status == NewsItem.Status.SUBMITTED
    assert item.school == school
    assert item.body == "<p>Vandaag bouwden we robots.</p>\n\n<p>Het was geweldig.</p>"
    assert public_pages(client, school, item) == dict.fromkeys(
        public_pages(client, school, item), False
    )
    assert client.get(item.get_absolute_url()).status_code == 404
    assert {m.to[0] for m in mailoutbox} == {"anne@example.org", "coordinator@techniekdoethet.nl"}

    approve_news_item(item=item)

    assert all(public_pages(client, school, item).values())
    assert client.get(item.get_absolute_url()).status_code == 200


def test_rejected_item_never_appears_and_submitter_gets_reason_when_rejected(
    client, school, mailoutbox
):
    client.post(submit_url(school), form_data())
    item = NewsItem.objects.get()
    mailoutbox.clear()

    reject_news_item(item=item, reason="Dit bericht gaat niet over techniek.")

    assert not any(public_pages(client, school, item).values())
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "Dit bericht gaat niet over techniek." in mailoutbox[0].body


def test_missing_fields_get_dutch_errors_and_typed_text_is_kept_when_posted(client, school):
    response = client.post(submit_url(school), form_data(title="", submitter_email="geen-adres"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef uw bericht een titel." in html
    assert "Vul een geldig e-mailadres in." in html
    assert "Vandaag bouwden we robots." in html
    assert 'value="Juf Anne"' in html
    assert not NewsItem.objects.exists()


def test_oversized_text_gets_error_and_nothing_is_stored_when_too_long(client, school):
    response = client.post(submit_url(school), form_data(text="techniek " * 1000))

    assert response.status_code == 200
    assert "Uw tekst is te lang: maximaal 6000 tekens, nu 8999." in response.content.decode()
    assert not NewsItem.objects.exists()


def test_photo_needs_description_and_consent_when_uploaded(client, school):
    upload = SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")

    response = client.post(submit_url(school), {**form_data(), "image": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Beschrijf kort wat er op de foto staat." in html
    assert "Bevestig dat er toestemming is voor de foto" in html
    assert not NewsItem.objects.exists()


def test_photo_is_stored_without_gps_and_consent_is_recorded_when_valid(client, school):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 38.0, 30.0), 3: "E", 4: (5.0, 3.0, 0.0)}
    exif[0x0110] = "Telefoon 12"
    upload = SimpleUploadedFile("IMG_0001.jpg", image_bytes(exif=exif.tobytes()), "image/jpeg")

    response = client.post(
        submit_url(school),
        {
            **form_data(image_alt="Kinderen bouwen een robot", has_photo_consent="on"),
            "image": upload,
        },
    )

    assert response.status_code == 302
    item = NewsItem.objects.get()
    photo = Photo.objects.get(file=item.image.name)
    assert photo.consent_declared_by == "Juf Anne <anne@example.org>"
    assert photo.consent_declared_at is not None
    assert item.image_alt == "Kinderen bouwen een robot"
    with Image.open(item.image.path) as stored:
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info


def png_with_header(width, height):
    """A PNG that declares a size; the pixel data is tiny (a decompression bomb's header)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png():
    """A real bomb: 1 MB of zeros per row compresses to almost nothing."""
    width, height = 12_000, 12_000
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * width
    data = b"".join(raw.compress(row) for _ in range(height)) + raw.flush()

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


BAD_IMAGES = [
    pytest.param("leeg.jpg", b"", id="zero-bytes"),
    pytest.param("tekst.jpg", b"Dit is geen foto, maar gewoon tekst.\n" * 20, id="text-named-jpg"),
    pytest.param("script.png", b"<?php system($_GET['c']); ?>", id="php-named-png"),
    pytest.param("pagina.jpg", b"<html><script>alert(1)</script></html>", id="html-named-jpg"),
    pytest.param(
        "tekening.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        id="svg-with-script",
    ),
    pytest.param(
        "svg.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        id="svg-named-png",
    ),
    pytest.param("afgebroken.jpg", image_bytes()[:300], id="truncated-jpeg"),
    pytest.param("afgebroken.png", image_bytes("PNG")[:80], id="truncated-png"),
    pytest.param("afgebroken.webp", image_bytes("WEBP")[:40], id="truncated-webp"),
    pytest.param(
        "polyglot.jpg",
        b"GIF89a/*\x00\x00\x00\x00*/=alert(document.domain);//",
        id="gif-js-polyglot",
    ),
    pytest.param(
        "polyglot2.jpg",
        b"\xff\xd8\xff\xe0<script>alert(1)</script>" + b"\x00" * 64,
        id="jpeg-magic-html",
    ),
    pytest.param("animatie.jpg", image_bytes("GIF"), id="gif-named-jpg"),
    pytest.param("plaatje.bmp", image_bytes("BMP"), id="bmp"),
    pytest.param("scan.tiff", image_bytes("TIFF"), id="tiff"),
    pytest.param("icoon.png", image_bytes("ICO"), id="ico-named-png"),
    pytest.param("document.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", id="pdf"),
    pytest.param("programma.jpg", b"MZ\x90\x00" + b"\x00" * 200, id="exe-named-jpg"),
    pytest.param("enorm.png", png_with_header(60_000, 60_000), id="huge-dimensions"),
    pytest.param("bom.png", bomb_png(), id="decompression-bomb"),
]


@pytest.mark.parametrize(("name", "content"), BAD_IMAGES)
def test_bad_image_is_rejected_with_form_error_when_uploaded(client, school, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")

    response = client.post(
        submit_url(school),
        {**form_data(image_alt="Een foto", has_photo_consent="on"), "image": upload},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["image"]
    html = response.content.decode()
    assert "Robots in groep 8" in html
    assert not NewsItem.objects.exists()


def test_image_over_size_limit_is_rejected_when_uploaded(client, school, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 2000
    noisy = Image.effect_noise((200, 200), 100).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    upload = SimpleUploadedFile("groot.png", buffer.getvalue(), content_type="image/png")

    response = client.post(
        submit_url(school),
        {**form_data(image_alt="Ruis", has_photo_consent="on"), "image": upload},
    )

    assert "te groot" in response.context["form"].errors["image"][0]
    assert not NewsItem.objects.exists()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


XSS_SAMPLE = PAYLOAD_VALUES[::5]


def test_at_least_fifty_xss_payloads_are_neutralised_when_sent_through_form(
    client, school, settings
):
    settings.NEWS_SUBMIT_RATE_PER_LINK = "10000/h"
    settings.NEWS_SUBMIT_RATE_PER_IP = "10000/h"
    sent = 0
    for payload in XSS_SAMPLE:
        text = payload.replace("\x00", "") or "x"
        response = client.post(submit_url(school), form_data(title="XSS-test", text=text[:6000]))
        assert response.status_code == 302, payload
        sent += 1

    assert sent >= 50
    for item in NewsItem.objects.all():
        parser = _Tags()
        parser.feed(item.body)
        # Plain text in, so only bare paragraphs and line breaks come out.
        assert {tag for tag, _attrs in parser.tags} <= {"p", "br"}, item.body
        assert all(attrs == [] for _tag, attrs in parser.tags), item.body
    assert NewsItem.objects.count() == sent


def test_honeypot_submission_looks_successful_but_stores_nothing_when_filled(client, school):
    response = client.post(submit_url(school), form_data(website="http://spam.example"))

    assert response.status_code == 302
    assert not NewsItem.objects.exists()


def test_flood_is_refused_politely_and_refused_posts_store_nothing_when_over_link_limit(
    client, school, settings
):
    settings.NEWS_SUBMIT_RATE_PER_LINK = "5/h"
    statuses = [
        client.post(submit_url(school), form_data(title=f"Bericht {n}")).status_code
        for n in range(8)
    ]

    assert statuses == [302] * 5 + [429] * 3
    assert NewsItem.objects.count() == 5
    refused = client.post(submit_url(school), form_data(title="Nog een"))
    assert "Probeer het over een uur nog eens" in refused.content.decode()


def test_flood_from_one_address_is_refused_when_it_uses_several_links(client, settings):
    settings.NEWS_SUBMIT_RATE_PER_IP = "3/h"
    schools = SchoolFactory.create_batch(2)
    statuses = [
        client.post(submit_url(schools[n % 2]), form_data(title=f"Bericht {n}")).status_code
        for n in range(5)
    ]

    assert statuses == [302, 302, 302, 429, 429]
    assert NewsItem.objects.count() == 3


def test_post_without_csrf_token_is_refused_when_checks_enforced(school):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(submit_url(school), form_data())

    assert response.status_code == 403
    assert not NewsItem.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_posts_succeed_and_mail_follows_when_mail_server_was_down(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.DownEmailBackend"}}
    settings.NEWS_SUBMIT_RATE_PER_LINK = "100/h"
    settings.NEWS_SUBMIT_RATE_PER_IP = "100/h"
    school = SchoolFactory()

    for number in range(20):
        response = client.post(
            submit_url(school),
            form_data(title=f"Bericht {number}", submitter_email=f"juf{number}@example.org"),
        )
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert NewsItem.objects.count() == 20
    assert mail.outbox == []

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    recipients = [address for message in mail.outbox for address in message.to]
    assert len(mail.outbox) == 40
    assert {f"juf{n}@example.org" for n in range(20)} <= set(recipients)
