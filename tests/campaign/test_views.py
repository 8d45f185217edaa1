"""Storyline pages, free pages and the video widget."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Audience
from campaign.publishing import PublicationStatus
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    MasterclassRoundFactory,
    PageFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    VideoFactory,
    make_image_file,
)
from tests.test_site import build_content, check_page

pytestmark = pytest.mark.django_db

FUTURE = dt.timedelta(days=3)


@pytest.fixture
def storyline():
    storyline = StorylineFactory(title="Robotica", slug="robotica")
    for audience, headline, cta, url in [
        (Audience.PUPIL, "Vertel een robot wat hij moet doen", "Doe mee", "/masterclasses/"),
        (
            Audience.PARENT,
            "Robots nemen het zware werk over",
            "Vergelijk de scholen",
            "/scholen/vergelijk/",
        ),
        (Audience.SCHOOL, "Programmeren met echte robots", "Bekijk de rondes", "/voor-scholen/"),
        (
            Audience.COMPANY,
            "Uw robots, hun eerste programma",
            "Doe mee als bedrijf",
            "/voor-bedrijven/",
        ),
    ]:
        AudienceMessageFactory(
            storyline=storyline, audience=audience, headline=headline, cta_label=cta, cta_url=url
        )
    return storyline


def panel(html, param):
    """The opening tag of one audience panel."""
    return re.search(rf'<div class="tab-panel" id="panel-{param}"[^>]*>', html).group(0)


def test_storyline_page_shows_the_pupil_version_by_default(client, storyline):
    html = client.get(storyline.get_absolute_url()).text
    assert "hidden" not in panel(html, "leerlingen")
    for other in ("ouders", "scholen", "bedrijven"):
        assert "hidden" in panel(html, other)
    assert re.search(r'id="tab-leerlingen"[^>]*aria-current="true"', html)


@pytest.mark.parametrize(
    ("param", "headline", "cta"),
    [
        ("ouders", "Robots nemen het zware werk over", "Vergelijk de scholen"),
        ("scholen", "Programmeren met echte robots", "Bekijk de rondes"),
        ("bedrijven", "Uw robots, hun eerste programma", "Doe mee als bedrijf"),
    ],
)
def test_storyline_page_offers_each_audience_its_own_version_without_javascript(
    client, settings, storyline, param, headline, cta
):
    settings.SITE_URL = "https://techniekdoethet.example"
    html = client.get(storyline.get_absolute_url(), {"voor": param}).text
    assert "hidden" not in panel(html, param)
    assert "hidden" in panel(html, "leerlingen")
    assert re.search(rf'id="tab-{param}"[^>]*aria-current="true"', html)
    # Every version is on the page, each with its own call to action.
    assert headline in html and cta in html
    assert f'href="?voor={param}#boodschap"' in html
    # The canonical address is the storyline itself, whatever the audience.
    assert (
        f'rel="canonical" href="https://techniekdoethet.example{storyline.get_absolute_url()}"'
        in html
    )


def test_storyline_page_falls_back_to_the_pupil_text_and_hides_empty_audiences(client):
    storyline = StorylineFactory(pupil_text="Bouw een huis dat zichzelf verwarmt.")
    html = client.get(storyline.get_absolute_url(), {"voor": "onzin"}).text
    assert "Bouw een huis dat zichzelf verwarmt." in html
    assert 'id="tab-ouders"' not in html
    assert "hidden" not in panel(html, "leerlingen")


def test_storyline_page_joins_videos_schools_companies_and_upcoming_sessions(client, storyline):
    VideoFactory(storyline=storyline, campaign=storyline.campaign, title="Robotfilm")
    VideoFactory(
        storyline=storyline,
        campaign=storyline.campaign,
        title="Conceptfilm",
        status=PublicationStatus.DRAFT,
    )
    school = SchoolFactory(name="Robotcollege")
    school.storylines.add(storyline)
    SchoolFactory(name="Conceptcollege", status=PublicationStatus.DRAFT).storylines.add(storyline)
    SchoolFactory(name="Andere school")
    company = CompanyFactory(name="Robotwerk")
    company.storylines.add(storyline)
    CompanyFactory(name="Toekomstbedrijf", published_at=timezone.now() + FUTURE).storylines.add(
        storyline
    )
    SessionFactory(storyline=storyline, host_school=school, title="Robotarm bouwen")
    SessionFactory(
        storyline=storyline,
        host_school=school,
        title="Voorbije sessie",
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3, hours=-2),
        registration_opens_at=timezone.now() - dt.timedelta(days=10),
        registration_closes_at=timezone.now() - dt.timedelta(days=4),
    )
    SessionFactory(
        storyline=storyline,
        host_school=school,
        title="Sessie in conceptronde",
        round=MasterclassRoundFactory(status=PublicationStatus.DRAFT),
    )
    html = client.get(storyline.get_absolute_url()).text
    for shown in ("Robotfilm", "Robotcollege", "Robotwerk", "Robotarm bouwen"):
        assert shown in html
    for hidden in (
        "Conceptfilm",
        "Conceptcollege",
        "Andere school",
        "Toekomstbedrijf",
        "Voorbije sessie",
        "Sessie in conceptronde",
    ):
        assert hidden not in html
    check_page(html)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": PublicationStatus.DRAFT},
        {"published_at": timezone.now() + FUTURE},
    ],
)
def test_draft_or_future_storyline_gives_404(client, changes):
    storyline = StorylineFactory(**changes)
    response = client.get(storyline.get_absolute_url())
    assert response.status_code == 404
    assert "Oeps" in response.text


def test_unknown_storyline_gives_404(client):
    assert client.get("/verhaallijnen/bestaat-niet/").status_code == 404


def test_storyline_list_shows_published_storylines_of_the_active_campaign(client):
    campaign = CampaignFactory()
    StorylineFactory(campaign=campaign, title="Zichtbaar verhaal")
    StorylineFactory(campaign=campaign, title="Conceptverhaal", status=PublicationStatus.DRAFT)
    StorylineFactory(campaign=campaign, title="Later verhaal", published_at=timezone.now() + FUTURE)
    StorylineFactory(
        campaign=CampaignFactory(status=PublicationStatus.DRAFT), title="Oude campagne"
    )
    html = client.get(reverse("campaign:storyline-list")).text
    assert "Zichtbaar verhaal" in html
    for hidden in ("Conceptverhaal", "Later verhaal", "Oude campagne"):
        assert hidden not in html
    check_page(html)


def test_free_page_shows_its_sanitised_body(client):
    PageFactory(
        slug="toegankelijkheid",
        title="Toegankelijkheid",
        intro="Zo maken we de site voor iedereen.",
        body="<p>We volgen WCAG 2.1 AA.</p><script>alert(1)</script>",
    )
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    assert "We volgen WCAG 2.1 AA." in response.text
    assert "<script>alert" not in response.text
    check_page(response.text)


@pytest.mark.parametrize("slug", ["privacy", "toegankelijkheid"])
def test_missing_statement_pages_give_404(client, slug):
    assert client.get(f"/{slug}/").status_code == 404


@pytest.mark.parametrize(
    "changes",
    [{"status": PublicationStatus.DRAFT}, {"published_at": timezone.now() + FUTURE}],
)
def test_draft_or_future_page_gives_404(client, changes):
    PageFactory(slug="privacy", **changes)
    assert client.get("/privacy/").status_code == 404


def test_uploaded_video_plays_in_an_accessible_player_with_captions_and_transcript(client):
    storyline = StorylineFactory()
    VideoFactory(
        storyline=storyline,
        campaign=storyline.campaign,
        external_url="",
        video_file=SimpleUploadedFile(
            "film.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4"
        ),
        poster=make_image_file("poster.jpg", size=(1280, 720)),
        poster_alt="Robin in de kas",
        captions=SimpleUploadedFile("film.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHoi\n"),
        transcript="Hoi, ik ben Robin.",
    )
    html = client.get(storyline.get_absolute_url()).text
    video = re.search(r"<video [^>]*>", html).group(0)
    assert "controls" in video and 'preload="none"' in video
    assert re.search(r'poster="/media/renditions/[^"]+\.jpg"', video)
    assert re.search(r'<track kind="captions" srclang="nl" [^>]*src="/media/videos/captions/', html)
    assert '<source src="/media/videos/' in html and 'type="video/mp4"' in html
    assert "<details" in html and "Hoi, ik ben Robin." in html


def test_external_video_loads_only_after_a_click(client):
    storyline = StorylineFactory()
    VideoFactory(
        storyline=storyline,
        campaign=storyline.campaign,
        external_url="https://vimeo.com/76979871",
        title="Slim bed",
    )
    html = client.get(storyline.get_absolute_url()).text
    assert "<iframe" not in html
    assert 'data-embed="https://player.vimeo.com/video/76979871' in html
    assert 'href="https://vimeo.com/76979871"' in html
    # No third-party address is fetched by the page itself (src, srcset, poster).
    assert not re.search(r'(src|srcset|poster)="https?://', html)


def test_storyline_pages_cost_the_same_queries_with_ten_times_the_content(
    client, django_assert_num_queries
):
    small = build_content(2)
    storyline = small["storylines"][0]
    paths = [
        storyline.get_absolute_url(),
        reverse("campaign:storyline-list"),
        reverse("campaign:page-detail", kwargs={"slug": "privacy"}),
    ]
    counts = {}
    for path in paths:
        cache.clear()  # every page cold: the theme stylesheet's fingerprint is cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[path] = len(queries)
    build_content(20, campaign=small["campaign"])
    for path, count in counts.items():
        cache.clear()
        with django_assert_num_queries(count):
            client.get(path)
