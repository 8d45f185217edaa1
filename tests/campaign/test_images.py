"""Uploads are checked by their content: type, size and pixel count."""

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaign.images import validate_captions_file, validate_image_file, validate_video_file
from tests.factories import (
    CampaignFactory,
    SchoolFactory,
    StorylineFactory,
    VideoFactory,
    make_image_file,
)

NOT_AN_IMAGE = "Dit bestand is geen geldige afbeelding (JPEG, PNG of WebP)."
WRONG_FORMAT = "Alleen JPEG-, PNG- of WebP-afbeeldingen zijn toegestaan."
EMPTY = "Het bestand is leeg."
TOO_MANY_PIXELS = "De afbeelding heeft te veel pixels."


def _messages(excinfo):
    return excinfo.value.messages


def _image_bytes(image_format, size=(64, 48), noise=False):
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (0, 163, 224))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def _png_header_only(width, height):
    """A PNG that declares a size in its header but holds almost no pixel data."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "image_format"),
    [("foto.jpg", "JPEG"), ("foto.png", "PNG"), ("foto.webp", "WEBP")],
)
def test_validate_image_file_accepts_file_when_it_is_a_real_image(name, image_format):
    upload = make_image_file(name=name, image_format=image_format)

    validate_image_file(upload)


def test_validate_image_file_accepts_file_when_name_and_content_differ_but_content_is_jpeg():
    upload = make_image_file(name="foto.png", image_format="JPEG")

    validate_image_file(upload)


def test_validate_image_file_restores_read_position_when_done():
    upload = make_image_file()
    upload.seek(5)

    validate_image_file(upload)

    assert upload.tell() == 5


def test_validate_image_file_rejects_file_when_it_has_zero_bytes():
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(SimpleUploadedFile("leeg.jpg", b"", content_type="image/jpeg"))

    assert _messages(excinfo) == [EMPTY]
    assert excinfo.value.code == "empty"


PDF_MESSAGE = "Dit is een PDF-bestand, geen afbeelding. Kies een foto in JPEG, PNG of WebP."
SVG_MESSAGE = "Dit is een SVG-tekening, geen foto. Kies een afbeelding in JPEG, PNG of WebP."
HTML_MESSAGE = "Dit is een webpagina (HTML), geen afbeelding. Kies een foto in JPEG, PNG of WebP."
BROKEN = (
    "Dit bestand is afgebroken of beschadigd: de afbeelding is niet compleet. "
    "Sla de foto opnieuw op of kies een andere."
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.jpg", b"Dit is een tekstbestand, geen foto.\n", NOT_AN_IMAGE),
        (
            "foto.png",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            SVG_MESSAGE,
        ),
        ("foto.png", b'<?xml version="1.0"?>\n<svg width="10"></svg>', SVG_MESSAGE),
        ("foto.jpg", b"<html><script>alert(1)</script></html>", HTML_MESSAGE),
        ("foto.jpg", b"\n<!DOCTYPE html><title>x</title>", HTML_MESSAGE),
        ("foto.jpg", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", PDF_MESSAGE),
    ],
)
def test_validate_image_file_says_what_the_file_is_when_content_is_not_an_image(
    name, content, message
):
    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(SimpleUploadedFile(name, content, content_type="image/jpeg"))

    assert _messages(excinfo) == [message]


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_validate_image_file_rejects_file_when_format_is_not_allowed(image_format):
    upload = SimpleUploadedFile("foto.jpg", _image_bytes(image_format), content_type="image/jpeg")

    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload)

    assert _messages(excinfo) == [WRONG_FORMAT]
    assert excinfo.value.code == "format"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_validate_image_file_rejects_file_when_it_is_truncated(image_format):
    content = _image_bytes(image_format, size=(256, 256), noise=True)
    upload = SimpleUploadedFile("kapot.jpg", content[: len(content) * 2 // 3])

    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload)

    assert _messages(excinfo) == [BROKEN]


def test_validate_image_file_rejects_file_when_pixels_exceed_setting(settings):
    settings.MAX_IMAGE_PIXELS = 64 * 48 - 1

    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(make_image_file(size=(64, 48)))

    assert _messages(excinfo) == ["De afbeelding heeft te veel pixels (64 × 48)."]
    assert excinfo.value.code == "pixels"


def test_validate_image_file_accepts_file_when_pixels_equal_setting(settings):
    settings.MAX_IMAGE_PIXELS = 64 * 48

    validate_image_file(make_image_file(size=(64, 48)))


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(30_000, 30_000, id="pillow-bomb-error"),
        pytest.param(10_000, 10_000, id="pillow-bomb-warning"),
    ],
)
def test_validate_image_file_rejects_file_when_header_declares_decompression_bomb(width, height):
    upload = SimpleUploadedFile("bom.png", _png_header_only(width, height))

    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload)

    assert excinfo.value.code == "pixels"
    assert _messages(excinfo)[0].startswith(TOO_MANY_PIXELS[:-1])


def test_validate_image_file_rejects_file_when_header_exceeds_default_pixel_limit():
    # 49 million pixels: under Pillow's own limit, over ours (40 million).
    upload = SimpleUploadedFile("groot.png", _png_header_only(7_000, 7_000))

    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(upload)

    assert _messages(excinfo) == ["De afbeelding heeft te veel pixels (7000 × 7000)."]


def test_validate_image_file_rejects_file_when_bytes_exceed_setting(settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024 * 1024
    content = _image_bytes("PNG", size=(1024, 1024), noise=True)
    assert len(content) > 1024 * 1024

    with pytest.raises(ValidationError) as excinfo:
        validate_image_file(SimpleUploadedFile("groot.png", content))

    assert _messages(excinfo) == ["De afbeelding is te groot: maximaal 1,0\xa0MB."]
    assert excinfo.value.code == "too_large"


@pytest.mark.django_db
def test_model_full_clean_rejects_image_field_when_upload_is_gif():
    storyline = StorylineFactory.build(
        campaign=CampaignFactory(),
        hero_image=SimpleUploadedFile("held.gif", _image_bytes("GIF")),
        hero_image_alt="Een robot",
    )

    with pytest.raises(ValidationError) as excinfo:
        storyline.full_clean()

    assert excinfo.value.message_dict == {"hero_image": [WRONG_FORMAT]}


@pytest.mark.django_db
def test_full_clean_skips_stored_files_when_they_are_missing_from_storage():
    # Checked on upload; an edit in the admin must not crash on a file that went missing.
    school = SchoolFactory(photo="schools/photos/weg.jpg", photo_alt="Een school")
    video = VideoFactory(
        external_url="",
        video_file="videos/weg.mp4",
        poster="videos/posters/weg.jpg",
        poster_alt="Een poster",
        captions="videos/captions/weg.vtt",
    )

    school.full_clean()
    video.full_clean()


@pytest.mark.django_db
def test_full_clean_checks_new_upload_when_it_replaces_stored_image():
    school = SchoolFactory(photo="schools/photos/oud.jpg", photo_alt="Een school")
    school.photo = SimpleUploadedFile("nieuw.jpg", b"geen afbeelding")

    with pytest.raises(ValidationError) as excinfo:
        school.full_clean()

    assert excinfo.value.message_dict == {"photo": [NOT_AN_IMAGE]}


MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"


@pytest.mark.parametrize(
    ("name", "content"),
    [("film.mp4", MP4_HEAD + b"\x00" * 64), ("film.webm", WEBM_HEAD + b"\x00" * 64)],
)
def test_validate_video_file_accepts_file_when_it_starts_like_mp4_or_webm(name, content):
    upload = SimpleUploadedFile(name, content)
    upload.seek(3)

    validate_video_file(upload)

    assert upload.tell() == 3


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 32, id="avi"),
        pytest.param(b"Dit is geen video, maar tekst." * 4, id="text"),
        pytest.param(b"\x00\x00ftypisom" + b"\x00" * 32, id="ftyp-at-wrong-offset"),
        pytest.param(b"ftyp", id="too-short"),
    ],
)
def test_validate_video_file_rejects_file_when_content_is_not_mp4_or_webm(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_video_file(SimpleUploadedFile("film.mp4", content))

    assert _messages(excinfo) == ["Alleen MP4- of WebM-video's zijn toegestaan."]


def test_validate_video_file_rejects_file_when_it_has_zero_bytes():
    with pytest.raises(ValidationError) as excinfo:
        validate_video_file(SimpleUploadedFile("film.mp4", b""))

    assert _messages(excinfo) == [EMPTY]


def test_validate_video_file_rejects_file_when_bytes_exceed_setting(settings):
    settings.MAX_VIDEO_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("film.mp4", MP4_HEAD + b"\x00" * (1024 * 1024))

    with pytest.raises(ValidationError) as excinfo:
        validate_video_file(upload)

    assert _messages(excinfo) == ["De video is te groot: maximaal 1,0\xa0MB."]


VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWelkom bij Techniek doet het!\n"


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(SimpleUploadedFile("ondertitels.vtt", VTT), id="bytes"),
        pytest.param(SimpleUploadedFile("ondertitels.vtt", b"\xef\xbb\xbf" + VTT), id="bom"),
        pytest.param(ContentFile(VTT.decode(), name="ondertitels.vtt"), id="text"),
    ],
)
def test_validate_captions_file_accepts_file_when_it_is_webvtt(upload):
    validate_captions_file(upload)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"1\n00:00:00,000 --> 00:00:02,000\nWelkom\n", id="srt"),
        pytest.param(b"", id="empty"),
        pytest.param(b"<script>alert(1)</script>", id="html"),
    ],
)
def test_validate_captions_file_rejects_file_when_it_is_not_webvtt(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_captions_file(SimpleUploadedFile("ondertitels.vtt", content))

    assert _messages(excinfo) == ["Ondertitels moeten een WebVTT-bestand (.vtt) zijn."]


@pytest.mark.django_db
def test_video_full_clean_rejects_files_when_extensions_are_wrong():
    video = VideoFactory()
    video.external_url = ""
    video.video_file = SimpleUploadedFile("film.avi", MP4_HEAD + b"\x00" * 64)
    video.captions = SimpleUploadedFile("ondertitels.srt", VTT)

    with pytest.raises(ValidationError) as excinfo:
        video.full_clean()

    assert set(excinfo.value.message_dict) == {"video_file", "captions"}
