"""Share images: drawn per page and size, cached by content, served as og:image."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageDraw

from campaign.colors import contrast, fill_shade, readable_on
from campaign.images import rendition_folder
from campaign.models import Photo
from campaign.services import withdraw_photo
from campaign.shareimages import (
    BOLD_FONT,
    SIZES,
    ShareContent,
    ensure_share_image,
    fit_text,
    render_share_image,
    share_image_name,
)
from config.shareimages import share_content
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    NewsItemFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    make_image_file,
)
from tests.hostile import PAYLOADS, sample
from tests.test_site import check_page

pytestmark = pytest.mark.django_db

DUTCH_TITLE = "Ĳzersterk: één café-idee voor België, Curaçao en de Noord-Hollandse dijk"


def content(**kwargs):
    values = {
        "title": DUTCH_TITLE,
        "kicker": "Verhaallijn",
        "footer": "Techniek doet het",
        "color": "#E6007E",
        "accent": "#00A3E0",
        "icon": "gear",
    }
    return ShareContent(**{**values, **kwargs})


def opened(data: bytes) -> Image.Image:
    Image.open(io.BytesIO(data)).verify()  # A valid PNG, not just some bytes.
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("size", list(SIZES.values()))
def test_every_size_is_a_valid_png_of_exactly_that_size(size):
    image = opened(render_share_image(content(), size))
    assert image.format == "PNG"
    assert image.size == size


def test_the_three_sizes_are_linkedin_instagram_and_story():
    assert set(SIZES.values()) == {(1200, 627), (1080, 1350), (1080, 1920)}


@pytest.mark.parametrize("size", list(SIZES.values()))
def test_a_long_dutch_title_is_wrapped_inside_the_image(size):
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    box = (size[0] - 140, size[1] // 2)
    font, lines, line_height = fit_text(draw, DUTCH_TITLE * 2, box, start=140)
    assert " ".join(lines) == " ".join((DUTCH_TITLE * 2).split())
    for line in lines:
        left, _top, right, _bottom = draw.textbbox((0, 0), line, font=font)
        assert right - left <= box[0]
    assert line_height * len(lines) <= box[1]
    assert font.path.endswith("static/fonts/DejaVuSans-Bold.ttf")


def test_the_shipped_font_has_the_dutch_letters():
    from PIL import ImageFont

    font = ImageFont.truetype(str(BOLD_FONT), 40)
    missing = font.getmask("\uffff").getbbox()  # What a glyph the font lacks looks like.
    for letter in "ëïéĳĲçö":
        assert font.getmask(letter).getbbox() != missing, letter


def test_title_text_colour_passes_wcag_aa_on_its_background():
    # A yellow where white text would fail: the drawn text must still read.
    image = opened(render_share_image(content(color="#ffd400"), SIZES["linkedin"]))
    background = image.convert("RGB").getpixel((image.width - 5, image.height // 2))
    fill = fill_shade("#ffd400")
    assert "#{:02x}{:02x}{:02x}".format(*background) == fill
    assert contrast(fill, readable_on(fill)) >= 4.5


def test_the_name_is_a_hash_of_the_content_under_renditions():
    name = share_image_name(content(), (1200, 627))
    assert re.fullmatch(r"renditions/share/share-[0-9a-f]{24}-1200x627\.png", name)
    assert share_image_name(content(title="Anders"), (1200, 627)) != name
    assert share_image_name(content(), (1080, 1350)) != name


def test_an_image_with_a_logo_lives_in_the_logos_rendition_folder():
    school = SchoolFactory(logo=make_image_file("logo.png", image_format="PNG"))
    name = share_image_name(share_content(school), (1200, 627))
    assert name.startswith(rendition_folder(school.logo.name) + "/share-")


def test_the_file_is_drawn_once_and_then_reused():
    name = ensure_share_image(content(), (1200, 627))
    assert default_storage.exists(name)
    modified = default_storage.get_modified_time(name)
    assert ensure_share_image(content(), (1200, 627)) == name
    assert default_storage.get_modified_time(name) == modified


def pages():
    """One public page of every type, with the object its share image is made of."""
    campaign = CampaignFactory(name="Techniek doet het", tagline="Ontdek het ĳzersterke vak")
    storyline = StorylineFactory(campaign=campaign, title="Zorg en techniek")
    school = SchoolFactory(
        name="Het Werenfridus", logo=make_image_file("l.png", image_format="PNG")
    )
    school.storylines.add(storyline)
    company = CompanyFactory(name="Damen Shipyards")
    news = NewsItemFactory(school=school, title="Robots in groep 8")
    session = SessionFactory(storyline=storyline, host_school=school, title="Lassen voor beginners")
    return [
        ("/", campaign),
        (storyline.get_absolute_url(), storyline),
        (school.get_absolute_url(), school),
        (company.get_absolute_url(), company),
        (news.get_absolute_url(), news),
        (session.get_absolute_url(), session),
    ]


def test_every_page_type_shares_its_own_1200x627_image(client, settings):
    site_url = settings.SITE_URL
    for path, row in pages():
        checker = check_page(client.get(path).text)
        og_image = checker.meta["og:image"]
        assert og_image.startswith(f"{site_url}/deelbeeld/"), path
        assert og_image.endswith(f"/{row.pk}/1200x627.png"), path
        assert checker.meta["og:image:width"] == "1200", path
        assert checker.meta["og:image:height"] == "627", path
        assert checker.meta["twitter:image"] == og_image, path
        assert checker.meta["og:image:alt"].strip(), path

        response = client.get(og_image.removeprefix(site_url))
        assert response.status_code == 200, path
        assert response["Content-Type"] == "image/png"
        assert opened(b"".join(response.streaming_content)).size == (1200, 627)


def test_other_sizes_are_served_and_unknown_sizes_are_not(client):
    storyline = StorylineFactory()
    url = reverse(
        "share-image",
        kwargs={"kind": "verhaallijn", "pk": storyline.pk, "width": 1080, "height": 1920},
    )
    response = client.get(url)
    assert opened(b"".join(response.streaming_content)).size == (1080, 1920)
    bad = reverse(
        "share-image",
        kwargs={"kind": "verhaallijn", "pk": storyline.pk, "width": 500, "height": 500},
    )
    assert client.get(bad).status_code == 404
    other = reverse("share-image", kwargs={"kind": "iets", "pk": 1, "width": 1200, "height": 627})
    assert client.get(other).status_code == 404


def test_a_page_that_is_not_public_has_no_public_share_image(client, coordinator_client):
    storyline = StorylineFactory(status="draft", title="Geheim plan")
    kwargs = {"kind": "verhaallijn", "pk": storyline.pk, "width": 1200, "height": 627}
    assert client.get(reverse("share-image", kwargs=kwargs)).status_code == 404
    response = coordinator_client.get(reverse("share-image-admin", kwargs=kwargs) + "?download=1")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    # Not kept by a shared cache: the page is not public yet.
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_an_edit_gives_a_new_file_and_the_old_one_is_not_served(client):
    storyline = StorylineFactory(title="Oude titel")
    kwargs = {"kind": "verhaallijn", "pk": storyline.pk, "width": 1200, "height": 627}
    before = b"".join(client.get(reverse("share-image", kwargs=kwargs)).streaming_content)
    old_name = share_image_name(share_content(storyline), (1200, 627))
    assert default_storage.exists(old_name)

    storyline.title = "Nieuwe titel"
    storyline.save()
    after = b"".join(client.get(reverse("share-image", kwargs=kwargs)).streaming_content)

    new_name = share_image_name(share_content(storyline), (1200, 627))
    assert new_name != old_name
    assert default_storage.exists(new_name)
    assert after != before
    assert after == default_storage.open(new_name).read()


def test_withdrawing_a_logo_removes_the_share_images_made_with_it(
    client, django_capture_on_commit_callbacks
):
    school = SchoolFactory(logo=make_image_file("logo.png", image_format="PNG"))
    for width, height in SIZES.values():
        kwargs = {"kind": "school", "pk": school.pk, "width": width, "height": height}
        assert client.get(reverse("share-image", kwargs=kwargs)).status_code == 200
    with_logo = [share_image_name(share_content(school), size) for size in SIZES.values()]
    assert all(default_storage.exists(name) for name in with_logo)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_photo(photo=Photo.objects.get(file=school.logo.name), withdrawn_by="coördinator")

    assert not any(default_storage.exists(name) for name in with_logo)
    school.refresh_from_db()
    assert not school.logo
    # The next request draws a new image without the logo.
    kwargs = {"kind": "school", "pk": school.pk, "width": 1200, "height": 627}
    assert client.get(reverse("share-image", kwargs=kwargs)).status_code == 200
    assert share_image_name(share_content(school), (1200, 627)).startswith("renditions/share/")


def test_a_long_title_stays_inside_the_image_and_off_the_band():
    # Any pixel other than the background in the right margin is text running off.
    long_title = "Een ĳzersterke masterclass " * 8
    fill = fill_shade("#E6007E")
    background = tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5))
    for size in SIZES.values():
        image = opened(render_share_image(content(title=long_title, icon=""), size))
        width, height = size
        margin = round(min(size) * 0.07)
        right_margin = image.convert("RGB").crop((width - margin // 2, 0, width, height * 4 // 5))
        assert right_margin.getcolors() == [(right_margin.width * right_margin.height, background)]


def test_coordinators_download_all_three_sizes_from_the_change_page(coordinator_client):
    school = SchoolFactory()
    page = coordinator_client.get(reverse("admin:schools_school_change", args=[school.pk]))
    html = page.content.decode()
    assert "Deelafbeeldingen" in html
    for width, height in SIZES.values():
        url = reverse(
            "share-image-admin",
            kwargs={"kind": "school", "pk": school.pk, "width": width, "height": height},
        )
        assert f'href="{url}?download=1" download' in html
        response = coordinator_client.get(f"{url}?download=1")
        assert opened(b"".join(response.streaming_content)).size == (width, height)


def test_the_admin_download_is_for_staff_only(client):
    school = SchoolFactory()
    url = reverse(
        "share-image-admin",
        kwargs={"kind": "school", "pk": school.pk, "width": 1200, "height": 627},
    )
    assert client.get(url).status_code == 302  # To the login page.


@pytest.mark.parametrize(
    "title",
    [
        "x" * 160,
        "https://www.example.org/een/heel/lang/adres/zonder/spaties/" * 3,
        "Titel\u2028met\x85regeleinden\r\nen\ttabs",
        "",
        "Robots " * 60,
        *sample(PAYLOADS, 5),
    ],
)
def test_hostile_or_odd_titles_are_drawn_inside_the_image(title):
    fill = fill_shade("#E6007E")
    background = tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5))
    for size in SIZES.values():
        image = opened(render_share_image(content(title=title, icon=""), size)).convert("RGB")
        width, height = size
        margin = round(min(size) * 0.07)
        right_margin = image.crop((width - margin // 2, 0, width, height * 4 // 5))
        assert right_margin.getcolors() == [(right_margin.width * right_margin.height, background)]
