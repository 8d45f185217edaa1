"""Media in an S3 bucket (django-storages) behaves as local media does.

Runs against moto's S3 emulator over real HTTP (tests/config/conftest.py): uploads from
the admin and from the public school-news form, the renditions that pages link to, the
withdrawal of a photo, share images; and who may fetch what from the bucket.
"""

import io
import posixpath
import re
import urllib.error
import urllib.request
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from campaign.images import rendition_folder
from campaign.models import Photo, Storyline
from campaign.renditions import make_renditions
from campaign.services import withdraw_photo
from campaign.shareimages import share_image_name
from config.shareimages import share_content
from config.storage import MediaStorage
from schools.models import NewsItem
from schools.services import approve_news_item
from tests.campaign.test_admin import admin_url, storyline_post_data
from tests.factories import CampaignFactory, SchoolFactory, StorylineFactory, make_image_file

pytestmark = pytest.mark.django_db


def fetch(url):
    """GET a URL as a visitor would: no keys. Returns (status, headers, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - test URL
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def acl(s3_client, bucket, key):
    """ "public-read" or "private", read back from the bucket's grants."""
    grants = s3_client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    everyone = [g for g in grants if g["Grantee"].get("URI", "").endswith("/global/AllUsers")]
    return "public-read" if any(g["Permission"] == "READ" for g in everyone) else "private"


def srcset_urls(html):
    return [
        unescape(part.strip().rsplit(" ", 1)[0])
        for srcset in re.findall(r'srcset="([^"]+)"', html)
        for part in srcset.split(",")
    ]


def news_photo_upload(size=(900, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 140, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), "image/jpeg")


def test_media_storage_is_the_bucket_when_configured(s3_media, bucket_keys):
    name = default_storage.save("probe/hallo.txt", io.BytesIO(b"hallo"))

    assert isinstance(default_storage._wrapped, MediaStorage)
    assert bucket_keys(s3_media) == [name]


def test_admin_upload_goes_to_the_bucket_as_private_original(
    coordinator_client, s3_media, s3_client, bucket_keys, settings
):
    campaign = CampaignFactory()
    data = storyline_post_data(
        campaign, hero_image_alt="Een robotarm", hero_image=make_image_file(size=(800, 600))
    )

    response = coordinator_client.post(admin_url(Storyline, "add"), data)

    assert response.status_code == 302
    storyline = Storyline.objects.get(slug="robotica")
    name = storyline.hero_image.name
    assert bucket_keys(s3_media, name) == [name]
    assert Photo.objects.filter(file=name).exists()
    assert not (settings.MEDIA_ROOT / name).exists()
    # The original is private: unreachable by its plain address, reachable through the
    # signed link the admin shows, and stored as a picture, shown inline.
    assert acl(s3_client, s3_media, name) == "private"
    plain = f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/{s3_media}/{name}"
    assert fetch(plain)[0] == 403
    signed = storyline.hero_image.url
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    status, headers, body = fetch(signed)
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (800, 600)


def test_news_form_photo_and_its_renditions_live_in_the_bucket(
    client, s3_media, s3_client, bucket_keys
):
    school = SchoolFactory()

    response = client.post(
        reverse("schools:news-submit", args=[school.submission_token]),
        {
            "title": "Robots in groep 8",
            "text": "Vandaag bouwden we robots.",
            "image": news_photo_upload(),
            "image_alt": "Kinderen bouwen een robot",
            "has_photo_consent": "on",
            "submitter_name": "Juf Anne",
            "submitter_email": "anne@example.org",
            "website": "",
        },
    )

    assert response.status_code == 302
    item = NewsItem.objects.get()
    name = item.image.name
    assert bucket_keys(s3_media, name) == [name]
    assert acl(s3_client, s3_media, name) == "private"

    item = approve_news_item(item=item)
    # What the task worker does once an image is stored (campaign.tasks.make_renditions):
    # the pages link straight to the bucket, so no request makes a rendition there.
    assert make_renditions(name) > 0
    page = client.get(item.get_absolute_url()).content.decode()

    urls = srcset_urls(page)
    folder = rendition_folder(name)
    renditions = bucket_keys(s3_media, folder + "/")
    assert urls and renditions
    assert {url.split("?")[0].rsplit("/", 1)[-1] for url in urls} <= {
        posixpath.basename(key) for key in renditions
    }
    for url in urls:
        # Plain, unsigned addresses: the same for every visitor, so a page can be cached.
        assert "Signature" not in url
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"] in {"image/webp", "image/jpeg"}
        assert headers["Cache-Control"] == "public, max-age=86400"
        with Image.open(io.BytesIO(body)) as image:
            assert image.width <= 900
    assert {acl(s3_client, s3_media, key) for key in renditions} == {"public-read"}


def test_withdrawing_a_photo_deletes_original_and_renditions_from_the_bucket(
    client, s3_media, bucket_keys, django_capture_on_commit_callbacks
):
    storyline = StorylineFactory(
        hero_image=make_image_file(size=(700, 500)), hero_image_alt="Robot"
    )
    name = storyline.hero_image.name
    assert make_renditions(name) > 0  # as the task worker does once the image is stored
    assert bucket_keys(s3_media, rendition_folder(name) + "/")

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_photo(photo=Photo.objects.get(file=name), withdrawn_by="coordinator")

    assert bucket_keys(s3_media, name) == []
    assert bucket_keys(s3_media, rendition_folder(name) + "/") == []


def test_share_image_is_drawn_with_the_logo_from_the_bucket_and_kept_there(
    client, s3_media, s3_client, bucket_keys
):
    school = SchoolFactory(logo=make_image_file("logo.png", size=(300, 120), image_format="PNG"))
    kwargs = {"kind": "school", "pk": school.pk, "width": 1200, "height": 627}

    response = client.get(reverse("share-image", kwargs=kwargs))

    assert response.status_code == 200
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (1200, 627)
    name = share_image_name(share_content(school), (1200, 627))
    assert name.startswith(rendition_folder(school.logo.name) + "/")
    assert bucket_keys(s3_media, name) == [name]
    assert acl(s3_client, s3_media, name) == "public-read"


def test_videos_and_captions_are_public_and_other_files_are_downloads(s3_media, s3_client):
    video = default_storage.save("videos/film.mp4", io.BytesIO(b"\0\0\0\x18ftypmp42"))
    captions = default_storage.save("videos/captions/film.vtt", io.BytesIO(b"WEBVTT\n"))
    other = default_storage.save("videos/pagina.html", io.BytesIO(b"<script>alert(1)</script>"))

    assert acl(s3_client, s3_media, video) == "public-read"
    assert acl(s3_client, s3_media, captions) == "public-read"
    assert acl(s3_client, s3_media, other) == "private"
    status, headers, _body = fetch(default_storage.url(video))
    assert (status, headers["Content-Type"]) == (200, "video/mp4")
    assert fetch(default_storage.url(captions))[1]["Content-Type"] == "text/vtt"
    head = s3_client.head_object(Bucket=s3_media, Key=other)
    assert head["ContentType"] == "application/octet-stream"
    assert head["ContentDisposition"] == "attachment"


def test_a_second_upload_with_the_same_name_never_replaces_the_first(s3_media):
    first = default_storage.save("videos/film.mp4", io.BytesIO(b"\0\0\0\x18ftypmp42 een"))
    second = default_storage.save("videos/film.mp4", io.BytesIO(b"\0\0\0\x18ftypmp42 twee"))

    assert first == "videos/film.mp4"
    assert second != first
    assert default_storage.open(first).read().endswith(b"een")


@pytest.mark.parametrize(
    "name",
    ["renditions/news/abc/0123.webp", "videos/mijn film (1).mp4", "renditions/x y/ü.png"],
)
def test_public_links_are_the_ones_boto3_would_make(s3_media, name):
    storage = default_storage._wrapped
    if not isinstance(storage, MediaStorage):
        default_storage._setup()
        storage = default_storage._wrapped

    # Built from a prefix asked once (boto3 costs about 0.25 ms per link), the same link.
    assert storage.url(name) == S3Storage.url(storage, name)
