"""Pupils are minors: every stored image is a clean copy under a random name, without metadata.

Uploads go through every entry point (each admin image field, the public news form,
plain model code) with a photo that hides a GPS position, XMP, IPTC, a JPEG comment
holding HTML, PNG text chunks and an ICC profile under a revealing name; the stored
file is read back and none of it may be found.
"""

import io
import re
import struct
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from campaign.images import CLEAN_NAME, PrivateImageField, private_image_fields
from campaign.models import (
    Campaign,
    Photo,
    Region,
    RegionPartner,
    SocialPost,
    Storyline,
    Video,
)
from companies.models import Company
from schools.models import NewsItem, School
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    NewsItemFactory,
    SchoolFactory,
    SocialPostFactory,
    StorylineFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

REVEALING_NAME = "IMG_2041 Sanne op het strand"
# Every secret the hostile photo carries; none may be found in a stored file.
SECRETS = [
    b"Sanne",
    b"IMG_2041",
    b"<script",
    b"Telefoon van juf",
    b"http://ns.adobe.com/xap",
    b"Photoshop 3.0",
    b"8BIM",
    b"GPS",
]
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmp:Label="Sanne op het strand"/></rdf:RDF></x:xmpmeta>'
)


def _srgb_profile_bytes() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _iptc_segment() -> bytes:
    """An APP13 (Photoshop/IPTC) segment with a caption naming the child."""
    caption = b"Sanne op het strand"
    record = b"\x1c\x02\x78" + struct.pack(">H", len(caption)) + caption
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def hostile_jpeg(size=(120, 80)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Telefoon van juf"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 38.0, 30.0), 3: "E", 4: (5.0, 3.0, 0.0)}  # GPS
    exif[0x0112] = 1
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 120, 200)).save(
        buffer,
        "JPEG",
        exif=exif.tobytes(),
        comment=b'<script>alert("Sanne")</script>',
        icc_profile=_srgb_profile_bytes(),
        xmp=XMP,
    )
    data = buffer.getvalue()
    # IPTC right after the start-of-image marker, as cameras and Photoshop write it.
    return data[:2] + _iptc_segment() + data[2:]


def hostile_png(size=(120, 80)) -> bytes:
    info = PngInfo()
    info.add_text("Comment", "Sanne op het strand <script>")
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    info.add_itxt("Description", "Telefoon van juf, GPS 52.64 N")
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 120, 200, 255)).save(
        buffer, "PNG", pnginfo=info, icc_profile=_srgb_profile_bytes()
    )
    return buffer.getvalue()


def hostile_upload(image_format="JPEG"):
    if image_format == "PNG":
        return SimpleUploadedFile(f"{REVEALING_NAME}.png", hostile_png(), "image/png")
    return SimpleUploadedFile(f"{REVEALING_NAME}.jpg", hostile_jpeg(), "image/jpeg")


def test_hostile_fixtures_really_carry_the_secrets():
    for content in (hostile_jpeg(), hostile_png()):
        for secret in (b"Sanne", b"Telefoon van juf", b"http://ns.adobe.com/xap"):
            assert secret in content
    with Image.open(io.BytesIO(hostile_jpeg())) as image:
        assert {"comment", "icc_profile", "exif", "xmp"} <= set(image.info)
        assert image.getexif().get_ifd(0x8825)


def assert_clean(field_file, size=(120, 80)):
    """The stored file has a random name, the same pixels size and nothing hidden."""
    name = field_file.name
    assert CLEAN_NAME.search(name), name
    assert "Sanne" not in name and "IMG" not in name
    with default_storage.open(name, "rb") as handle:
        raw = handle.read()
    for secret in SECRETS:
        assert secret not in raw, (secret, name)
    assert b"ICC_PROFILE" not in raw and b"iCCP" not in raw
    assert b"tEXt" not in raw and b"iTXt" not in raw and b"zTXt" not in raw
    assert b"Exif\x00\x00" not in raw and b"eXIf" not in raw
    with Image.open(io.BytesIO(raw)) as stored:
        stored.load()
        assert stored.size == size
        assert dict(stored.getexif()) == {}
        leftovers = set(stored.info) & {"comment", "icc_profile", "exif", "xmp", "photoshop"}
        assert not leftovers
        assert not getattr(stored, "text", {})
        if stored.format == "JPEG":
            assert not stored.applist or {marker for marker, _ in stored.applist} == {"APP0"}
    assert Photo.objects.filter(file=name).exists()


# --------------------------------------------------------------------------- one seam


def test_every_image_field_of_the_project_is_a_private_image_field():
    image_fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ImageField)
    ]

    assert image_fields
    assert all(isinstance(field, PrivateImageField) for field in image_fields)
    assert set(image_fields) == set(private_image_fields())


class _FormValues(HTMLParser):
    """The values a browser would send for one form of an admin change page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag in {"input", "select", "textarea"}:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"file", "submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.values.append((attrs["name"], attrs.get("value", default)))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values.append((self._textarea, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values[-1]
            self.values[-1] = (name, value + data)


def admin_change_data(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    parser = _FormValues(f"{obj._meta.model_name}_form")
    parser.feed(client.get(url).content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, value)  # Every field here has one value (no multi-selects set).
    data.pop("csrfmiddlewaretoken", None)
    return url, data


# (factory, image field, the alt-text field the constraint asks for)
ADMIN_IMAGE_FIELDS = [
    (CampaignFactory, "logo", None),
    (CampaignFactory, "hero_image", "hero_image_alt"),
    (StorylineFactory, "hero_image", "hero_image_alt"),
    (VideoFactory, "poster", "poster_alt"),
    (SocialPostFactory, "image", "image_alt"),
    (SchoolFactory, "logo", None),
    (SchoolFactory, "photo", "photo_alt"),
    (NewsItemFactory, "image", "image_alt"),
    (CompanyFactory, "logo", None),
]


def test_admin_file_inputs_offer_only_accepted_formats(admin_client):
    html = admin_client.get(
        reverse("admin:schools_school_change", args=[SchoolFactory().pk])
    ).content.decode()

    assert html.count('accept="image/jpeg,image/png,image/webp"') == 2  # logo and photo


# Uploaded in an inline on another model's admin page.
INLINE_IMAGE_FIELDS = {(RegionPartner, "logo")}


def test_admin_upload_tests_cover_every_image_field():
    covered = {(factory._meta.model, name) for factory, name, _alt in ADMIN_IMAGE_FIELDS}
    covered |= INLINE_IMAGE_FIELDS

    assert covered == {(field.model, field.name) for field in private_image_fields()}
    assert {model for model, _name in covered} == {
        Campaign,
        Storyline,
        Video,
        SocialPost,
        School,
        NewsItem,
        Company,
        RegionPartner,
    }


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
@pytest.mark.parametrize(
    ("factory", "field_name", "alt_field"),
    ADMIN_IMAGE_FIELDS,
    ids=[f"{f._meta.model.__name__}.{name}" for f, name, _ in ADMIN_IMAGE_FIELDS],
)
def test_admin_upload_is_stored_clean_under_random_name_when_photo_carries_metadata(
    admin_client, factory, field_name, alt_field, image_format
):
    obj = factory()
    url, data = admin_change_data(admin_client, obj)
    data[field_name] = hostile_upload(image_format)
    if alt_field:
        data[alt_field] = "Kinderen bouwen een robot"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    assert_clean(getattr(obj, field_name))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_partner_logo_is_stored_clean_under_random_name_when_uploaded_on_the_region_page(
    admin_client, image_format
):
    url, data = admin_change_data(admin_client, Region.objects.create(name="Regio Zuidwoud"))
    data.update(
        {
            "partners-TOTAL_FORMS": "1",
            "partners-0-name": "Werkplaats Zuidwoud",
            "partners-0-order": "1",
            "partners-0-logo": hostile_upload(image_format),
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, list(response.context["errors"])
    assert_clean(RegionPartner.objects.get().logo)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_news_form_photo_is_stored_clean_under_random_name_when_it_carries_metadata(
    client, image_format
):
    cache.clear()
    school = SchoolFactory()
    response = client.post(
        reverse("schools:news-submit", args=[school.submission_token]),
        {
            "title": "Robots in groep 8",
            "text": "Vandaag bouwden we robots.",
            "image": hostile_upload(image_format),
            "image_alt": "Kinderen bouwen een robot",
            "has_photo_consent": "on",
            "submitter_name": "Juf Anne",
            "submitter_email": "anne@example.org",
            "website": "",
        },
    )

    assert response.status_code == 302
    assert_clean(NewsItem.objects.get().image)


def test_image_assigned_in_code_is_stored_clean_when_model_is_saved():
    # The demo loader and the shell assign files directly: the field still cleans them.
    school = SchoolFactory()
    school.photo = hostile_upload()
    school.photo_alt = "Het schoolplein"
    school.save()

    school.refresh_from_db()
    assert_clean(school.photo)


def test_image_saved_through_field_file_is_stored_clean():
    company = CompanyFactory()

    company.logo.save(f"{REVEALING_NAME}.png", hostile_upload("PNG"))

    company.refresh_from_db()
    assert_clean(company.logo)


def _swapped_primaries_profile() -> bytes:
    """An RGB profile whose red and green primaries are swapped."""
    data = bytearray(_srgb_profile_bytes())
    (count,) = struct.unpack(">I", data[128:132])
    entries = {}
    for index in range(count):
        start = 132 + 12 * index
        entries[bytes(data[start : start + 4])] = start
    red, green = entries[b"rXYZ"], entries[b"gXYZ"]
    data[red + 4 : red + 12], data[green + 4 : green + 12] = (
        data[green + 4 : green + 12],
        data[red + 4 : red + 12],
    )
    return bytes(data)


def test_pixels_are_converted_to_srgb_when_photo_has_another_profile():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 90)).save(
        buffer, "PNG", icc_profile=_swapped_primaries_profile()
    )
    school = SchoolFactory(photo_alt="Het plein")
    school.photo = SimpleUploadedFile("kleur.png", buffer.getvalue())
    school.save()

    with Image.open(school.photo.path) as stored:
        assert "icc_profile" not in stored.info
        red, green, blue = stored.convert("RGB").getpixel((20, 15))
    # In that profile the first channel is green: shown the same, it is green in sRGB.
    assert green > 150 and red < 100


def test_colours_stay_when_srgb_profile_is_dropped():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 90)).save(
        buffer, "JPEG", icc_profile=_srgb_profile_bytes()
    )
    school = SchoolFactory(photo_alt="Het plein")
    school.photo = SimpleUploadedFile("kleur.jpg", buffer.getvalue())
    school.save()

    with Image.open(school.photo.path) as stored:
        assert "icc_profile" not in stored.info
        red, green, blue = stored.convert("RGB").getpixel((20, 15))
    assert abs(red - 200) < 8 and abs(green - 40) < 8 and abs(blue - 90) < 8


# --------------------------------------------------------------------------- messages


def truncated_jpeg():
    image = Image.effect_noise((256, 256), 80).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


BAD_FILES = [
    pytest.param(
        "vakantie.jpg",
        truncated_jpeg,
        "Dit bestand is afgebroken of beschadigd",
        id="truncated-jpeg",
    ),
    pytest.param(
        "foto.jpg",
        lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "Dit is een PDF-bestand, geen afbeelding",
        id="pdf",
    ),
    pytest.param(
        "foto.jpg",
        lambda: b"Dit is een tekstbestand.\n",
        "Dit bestand is geen geldige afbeelding (JPEG, PNG of WebP).",
        id="text",
    ),
    pytest.param(
        "foto.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
        "Dit is een SVG-tekening, geen foto",
        id="svg",
    ),
    pytest.param(
        "foto.jpg",
        lambda: b"<!DOCTYPE html><html><body>hallo</body></html>",
        "Dit is een webpagina (HTML), geen afbeelding",
        id="html",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES)
def test_admin_says_what_is_wrong_and_keeps_input_when_file_is_not_a_usable_image(
    admin_client, name, make, message
):
    school = SchoolFactory(summary="Oude typering")
    url, data = admin_change_data(admin_client, school)
    data.update(
        summary="Nieuwe typering die blijft staan",
        photo=SimpleUploadedFile(name, make()),
        photo_alt="Het plein",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Er is geen bestand verstuurd" not in html
    assert "Nieuwe typering die blijft staan" in html
    school.refresh_from_db()
    assert not school.photo


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES)
def test_news_form_says_what_is_wrong_and_keeps_input_when_file_is_not_a_usable_image(
    client, name, make, message
):
    cache.clear()
    school = SchoolFactory()
    response = client.post(
        reverse("schools:news-submit", args=[school.submission_token]),
        {
            "title": "Robots in groep 8",
            "text": "Vandaag bouwden we robots.",
            "image": SimpleUploadedFile(name, make()),
            "image_alt": "Een robot",
            "has_photo_consent": "on",
            "submitter_name": "Juf Anne",
            "submitter_email": "anne@example.org",
            "website": "",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Er is geen bestand verstuurd" not in html
    assert "Robots in groep 8" in html and "Vandaag bouwden we robots." in html
    assert not NewsItem.objects.exists()


def test_random_names_do_not_repeat():
    names = set()
    for _ in range(5):
        school = SchoolFactory(photo_alt="Het plein")
        school.photo = hostile_upload()
        school.save()
        names.add(school.photo.name)

    assert len(names) == 5
    assert all(re.search(r"^schools/photos/[0-9a-f]{32}_\d+x\d+\.jpg$", name) for name in names)


# --------------------------------------------------------------------------- hostile corpus


def corpus_jpeg(payload: str) -> bytes:
    """A JPEG whose comment, EXIF description and XMP all carry one hostile payload."""
    text = payload.encode("utf-8", "replace")
    exif = Image.Exif()
    exif[0x010E] = payload  # image description
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(
        buffer, "JPEG", comment=text[:60000], exif=exif.tobytes(), xmp=text[:60000]
    )
    return buffer.getvalue()


def test_no_hostile_payload_survives_when_it_hides_in_name_and_metadata(admin_client):
    """Each payload of the shared corpus, in the file name and the metadata, via the admin."""
    from tests.campaign.test_richtext import PAYLOAD_VALUES

    school = SchoolFactory()
    url, data = admin_change_data(admin_client, school)
    data["photo_alt"] = "Het plein"
    failures = []
    for payload in PAYLOAD_VALUES[::15]:
        safe_name = payload.replace("/", "_").replace("\\\\", "_")[:80] or "leeg"
        data["photo"] = SimpleUploadedFile(f"{safe_name}.jpg", corpus_jpeg(payload))
        response = admin_client.post(url, data)
        school.refresh_from_db()
        if response.status_code != 302 or not CLEAN_NAME.search(school.photo.name):
            failures.append((payload, "not stored clean"))
            continue
        with default_storage.open(school.photo.name, "rb") as handle:
            raw = handle.read()
        marker = payload.encode("utf-8", "replace")[:40]
        if len(marker) >= 8 and marker in raw:
            failures.append((payload, "payload in stored file"))

    assert failures == []
