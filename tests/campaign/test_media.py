import posixpath
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from PIL import Image

from campaign.images import rendition_folder
from campaign.renditions import rendition_widths
from campaign.templatetags.media import external_video
from config.media import serve_media
from tests.factories import NewsItemFactory, StorylineFactory, VideoFactory, make_image_file

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load media %}" + source).render(Context(context))


def test_picture_renders_webp_and_original_srcsets_without_upscaling():
    storyline = StorylineFactory(
        hero_image=make_image_file("robot.jpg", size=(800, 400)), hero_image_alt="Een robot"
    )
    html = render("{% picture s.hero_image s.hero_image_alt '100vw' %}", s=storyline)
    assert html.startswith("<picture>")
    assert '<source type="image/webp"' in html
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', html).group(1)
    assert re.findall(r" (\d+)w", webp) == ["320", "640", "800"]
    assert all(".webp" in part for part in webp.split(", "))
    fallback = re.search(r'<img src="[^"]+" srcset="([^"]+)"', html).group(1)
    assert all(".jpg" in part for part in fallback.split(", "))
    assert 'width="800" height="400"' in html
    assert 'alt="Een robot"' in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html


def test_picture_keeps_the_aspect_ratio_with_custom_widths():
    storyline = StorylineFactory(
        hero_image=make_image_file("staand.png", size=(300, 600), image_format="PNG"),
        hero_image_alt="Staand",
    )
    html = render("{% picture s.hero_image 'Staand' '50vw' '64,128' %}", s=storyline)
    assert 'width="128" height="256"' in html
    assert 'sizes="50vw"' in html
    assert re.search(r'srcset="[^"]+\.png 64w, [^"]+\.png 128w"', html)


def test_picture_refuses_a_width_that_no_rendition_is_made_for():
    storyline = StorylineFactory(hero_image=make_image_file(), hero_image_alt="Foto")
    with pytest.raises(ValueError, match="no renditions"):
        render("{% picture s.hero_image 'Foto' '50vw' '100,200' %}", s=storyline)


def test_picture_renders_nothing_when_the_field_is_empty():
    storyline = StorylineFactory()
    assert render("{% picture s.hero_image 'x' %}", s=storyline) == ""


def test_picture_requires_alt_unless_decorative():
    storyline = StorylineFactory(hero_image=make_image_file(), hero_image_alt="Foto")
    with pytest.raises(ValueError):
        render("{% picture s.hero_image '' %}", s=storyline)
    html = render("{% picture s.hero_image '' decorative=True %}", s=storyline)
    assert 'alt=""' in html


def test_picture_eager_image_gets_high_priority_instead_of_lazy():
    storyline = StorylineFactory(hero_image=make_image_file(), hero_image_alt="Foto")
    html = render(
        "{% picture s.hero_image 'Foto' loading='eager' css_class='hero__img' %}", s=storyline
    )
    assert 'fetchpriority="high"' in html and 'loading="lazy"' not in html
    assert '<picture class="hero__img">' in html


def test_picture_escapes_the_alt_text():
    storyline = StorylineFactory(hero_image=make_image_file(), hero_image_alt='"><script>')
    html = render("{% picture s.hero_image s.hero_image_alt %}", s=storyline)
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_picture_costs_no_query_no_cache_lookup_and_no_file_access(monkeypatch):
    items = [
        NewsItemFactory(image=make_image_file(f"n{i}.jpg", size=(700, 500)), image_alt="Foto")
        for i in range(3)
    ]
    template = Template(
        "{% load media %}{% for i in items %}{% picture i.image i.image_alt %}{% endfor %}"
    )
    touched = []
    for name in ("get", "get_many", "set"):
        monkeypatch.setattr(cache, name, lambda *a, _n=name, **k: touched.append(_n))
    for name in ("open", "exists", "size"):
        monkeypatch.setattr(
            FileSystemStorage, name, lambda *a, _n=name, **k: touched.append(_n), raising=False
        )
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"items": items}))
    assert html.count("<picture>") == 3
    assert len(queries) == 0 and touched == []


def test_every_rendition_a_page_asks_for_is_made_when_the_image_is_stored(
    settings, django_capture_on_commit_callbacks
):
    settings.RENDITIONS_AHEAD = True  # as in production (the tests make them on request)
    with django_capture_on_commit_callbacks(execute=True):
        storyline = StorylineFactory(
            hero_image=make_image_file(size=(500, 300)), hero_image_alt="x"
        )
    html = render("{% picture s.hero_image 'x' %}{% image_url s.hero_image 960 %}", s=storyline)
    urls = set(re.findall(r"/media/[^\s\"<]+", html))
    assert len(urls) == 4  # 320 and 500 (the source) in JPEG and WebP; the poster is one
    for url in urls:
        with Image.open(settings.MEDIA_ROOT / url.removeprefix(settings.MEDIA_URL)) as img:
            assert img.size in {(320, 192), (500, 300)}
            assert img.format == ("WEBP" if url.endswith(".webp") else "JPEG")


def test_the_development_media_view_makes_a_missing_rendition_on_request(
    settings, django_capture_on_commit_callbacks
):
    settings.RENDITIONS_AHEAD = False
    with django_capture_on_commit_callbacks(execute=True):
        storyline = StorylineFactory(
            hero_image=make_image_file(size=(700, 300)), hero_image_alt="x"
        )
    html = render("{% picture s.hero_image 'x' '50vw' '320' %}", s=storyline)
    url = re.search(r'<source type="image/webp" srcset="([^ ]+) 320w"', html).group(1)
    path = url.removeprefix(settings.MEDIA_URL)
    assert not default_storage.exists(path)
    response = serve_media(RequestFactory().get(url), path)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    with Image.open(settings.MEDIA_ROOT / path) as img:
        assert img.size == (320, 137)
    with pytest.raises(Http404):
        serve_media(RequestFactory().get("/"), "renditions/storylines/nothing_1x1/320.webp")


def test_make_renditions_makes_the_missing_ones_and_leaves_the_rest(settings):
    storyline = StorylineFactory(hero_image=make_image_file(size=(700, 300)), hero_image_alt="x")
    name = storyline.hero_image.name
    out = StringIO()
    call_command("make_renditions", stdout=out)
    made = default_storage.listdir(rendition_folder(name))[1]
    assert sorted(made) == sorted(
        f"{w}.{ext}" for w in (64, 128, 320, 480, 640, 700) for ext in ("jpg", "webp")
    )
    default_storage.delete(posixpath.join(rendition_folder(name), "640.webp"))
    out = StringIO()
    call_command("make_renditions", stdout=out)
    assert "1 rendition(s) made" in out.getvalue()


def test_rendition_widths_never_upscale():
    assert rendition_widths(2000, (320, 640)) == [320, 640]
    assert rendition_widths(500, (320, 640, 960)) == [320, 500]
    assert rendition_widths(200, (320, 640)) == [200]


@pytest.mark.parametrize(
    ("url", "provider", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871"),
        (
            "https://www.tiktok.com/@techniek/video/7212345678901234567",
            "tiktok",
            "https://www.tiktok.com/embed/v2/7212345678901234567",
        ),
    ],
)
def test_external_video_gives_a_privacy_friendly_embed(url, provider, embed):
    info = external_video(url)
    assert info["provider"] == provider
    assert info["embed_url"].startswith(embed)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/watch?v=abc",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=<script>",
        "https://vimeo.com/about",
        "",
    ],
)
def test_external_video_rejects_unknown_links(url):
    assert external_video(url) is None


def test_external_video_renders_no_third_party_request_before_a_click():
    video = VideoFactory(external_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    html = render("{% video_player v %}", v=video)
    assert "<iframe" not in html
    assert "ytimg" not in html and "youtube-nocookie" in html  # only as data for site.js
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert re.search(r'src="https?://', html) is None


def test_image_url_gives_an_absolute_rendition_url_for_sharing(settings):
    settings.SITE_URL = "https://techniekdoethet.nl"
    storyline = StorylineFactory(hero_image=make_image_file(size=(1600, 900)), hero_image_alt="x")
    url = render('{% image_url s.hero_image 1200 "JPEG" absolute=True %}', s=storyline)
    assert url.startswith("https://techniekdoethet.nl/media/renditions/") and url.endswith(".jpg")
    assert render("{% image_url s.hero_image %}", s=StorylineFactory()) == ""
