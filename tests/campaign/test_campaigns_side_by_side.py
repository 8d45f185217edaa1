"""A second campaign, made only through the admin as a coordinator would, gets its own
landing page, storylines, colours, agenda, feeds, sitemap entries and share images under
/<slug>/, while every page of the primary (technology) campaign stays exactly as it was."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, Storyline
from events.models import MasterclassRound, Session
from schools.models import School
from tests.browser import demo
from tests.campaign.test_history import form_data
from tests.factories import make_image_file

pytestmark = pytest.mark.django_db

CARE = "zorg"
CARE_NAME = "Zorg doet ertoe"
CARE_STORYLINE = "zorg-thuis"
CARE_SESSION = "zorgrobot-op-bezoek"


def tech_pages() -> list[str]:
    """Every public page of the technology campaign (and the shared ones it links to)."""
    session = Session.objects.get(host_school__slug=demo.SCHOOL, storyline__slug=demo.STORYLINE)
    return [
        "/",
        reverse("campaign:storyline-list"),
        *(s.get_absolute_url() for s in Storyline.objects.all()),
        reverse("campaign:storyline-detail", args=[demo.STORYLINE]) + "?voor=ouders",
        reverse("events:session-list"),
        session.get_absolute_url(),
        reverse("events:session-ics", args=[session.slug]),
        reverse("events:agenda-ics"),
        reverse("audience-parents"),
        reverse("audience-schools"),
        reverse("audience-companies"),
        reverse("this-week"),
        reverse("this-week-feed"),
        reverse("campaign:theme-css"),
        reverse("campaign:page-detail", args=["privacy"]),
        reverse("schools:school-list"),
        reverse("schools:school-detail", args=[demo.SCHOOL]),
        reverse("companies:company-list"),
        reverse("companies:company-detail", args=[demo.COMPANY]),
        reverse("schools:news-list"),
        reverse("schools:news-feed"),
        # Not the search page: it is shared, and finds what every campaign offers.
    ]


def normalised(body: bytes) -> str:
    """The page without what differs per request: CSRF tokens and CSP nonces, and the
    section of a school's or company's page about its other campaigns (that is new)."""
    text = body.decode()
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", text)
    text = re.sub(r'(nonce=")[^"]+', r"\1…", text)
    text = re.sub(
        r'<section class="detail-section other-campaigns".*?</section>', "", text, flags=re.S
    )
    return re.sub(r"\n\s*\n", "\n", text)


def render(client, paths) -> dict[str, str]:
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = normalised(response.content)
    return pages


def sitemap_urls(client) -> set[str]:
    return set(re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").text))


def admin_post(client, viewname, args=(), files=None, **changes):
    """Fill in an admin form as a coordinator does: the page's own values, some changed."""
    url = reverse(viewname, args=args)
    data = form_data(client.get(url), **changes)
    response = client.post(url, {**data, **(files or {})})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def dutch_split(prefix: str, moment: dt.datetime) -> dict:
    local = timezone.localtime(moment)
    return {f"{prefix}_0": local.strftime("%d-%m-%Y"), f"{prefix}_1": local.strftime("%H:%M")}


def make_care_campaign(client):
    """The coordinator's steps in the admin: the campaign (draft), a storyline, a round
    with a session at a school of the partnership, then publishing the campaign."""
    admin_post(
        client,
        "admin:campaign_campaign_add",
        name=CARE_NAME,
        slug=CARE,
        tagline="Zorg is mensenwerk met techniek",
        intro="Ontdek hoe zorg en techniek samenwerken.",
        primary_color="#0A7B83",
        secondary_color="#F2A900",
        status="draft",
    )
    care = Campaign.objects.get(slug=CARE)
    admin_post(
        client,
        "admin:campaign_storyline_add",
        files={"hero_image": make_image_file("zorg.jpg", size=(800, 450))},
        campaign=str(care.pk),
        title="Zorgtechniek thuis",
        slug=CARE_STORYLINE,
        icon="heart-pulse",
        color="#0A7B83",
        pupil_text="Slimme hulpmiddelen helpen mensen thuis.",
        hero_image_alt="Een zorgrobot in een woonkamer",
        status="published",
        **dutch_split("published_at", timezone.now() - dt.timedelta(hours=1)),
        **{"messages-TOTAL_FORMS": "0"},
    )
    start = timezone.localdate() + dt.timedelta(days=30)
    admin_post(
        client,
        "admin:events_masterclassround_add",
        campaign=str(care.pk),
        name="Zorgronde",
        slug="zorgronde",
        starts_on=start.strftime("%d-%m-%Y"),
        ends_on=(start + dt.timedelta(days=20)).strftime("%d-%m-%Y"),
        status="published",
        **dutch_split("published_at", timezone.now() - dt.timedelta(hours=1)),
        **{"sessions-TOTAL_FORMS": "0"},
    )
    starts = timezone.make_aware(dt.datetime.combine(start, dt.time(14, 0)))
    admin_post(
        client,
        "admin:events_session_add",
        round=str(MasterclassRound.objects.get(slug="zorgronde").pk),
        host_school=str(School.objects.get(slug=demo.SCHOOL).pk),
        storyline=str(Storyline.objects.get(slug=CARE_STORYLINE).pk),
        title="Zorgrobot op bezoek",
        slug=CARE_SESSION,
        seats="20",
        status="published",
        **dutch_split("starts_at", starts),
        **dutch_split("ends_at", starts + dt.timedelta(hours=2)),
        **dutch_split("registration_opens_at", timezone.now() - dt.timedelta(days=1)),
        **dutch_split("registration_closes_at", starts - dt.timedelta(days=2)),
        **dutch_split("published_at", timezone.now() - dt.timedelta(hours=1)),
    )
    return care


@pytest.fixture
def demo_site(settings):
    settings.SITE_URL = "https://site.example"
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def visitor():
    return Client()


def test_care_campaign_made_in_the_admin_stays_in_preview_and_warns_until_published(
    visitor, coordinator_client, demo_site
):
    care = make_care_campaign(coordinator_client)

    change = coordinator_client.get(reverse("admin:campaign_campaign_change", args=[care.pk]))
    warning = change.text
    assert "Nog niet zichtbaar voor bezoekers" in warning
    assert "Gaat live op /zorg/ met 1 verhaallijnen, 0 films en 1 masterclasses in 1 rondes" in (
        warning
    )
    assert "De homepagina blijft “Techniek doet het” tonen" in warning

    for path in ("/zorg/", "/zorg/verhaallijnen/zorg-thuis/", "/zorg/masterclasses/"):
        assert visitor.get(path).status_code == 404, path
    assert CARE_NAME not in visitor.get("/").text
    assert "Zorgtechniek thuis" not in visitor.get(f"/scholen/{demo.SCHOOL}/").text
    assert "/zorg/" not in visitor.get("/sitemap.xml").text

    coordinator_preview = coordinator_client.get("/zorg/")
    assert coordinator_preview.status_code == 200
    assert CARE_NAME in coordinator_preview.text
    assert "Concept — nog niet openbaar" in coordinator_preview.text
    assert "Zorgtechniek thuis" in coordinator_preview.text
    assert "no-store" in coordinator_preview["Cache-Control"]


def test_care_campaign_gets_its_own_pages_while_the_technology_pages_stay_the_same(
    visitor, coordinator_client, demo_site
):
    client = visitor
    paths = tech_pages()
    before = render(client, paths)
    sitemap_before = sitemap_urls(client)

    care = make_care_campaign(coordinator_client)
    admin_post(
        coordinator_client,
        "admin:campaign_campaign_change",
        args=[care.pk],
        status="published",
        **dutch_split("published_at", timezone.now() - dt.timedelta(minutes=5)),
    )

    after = render(client, paths)
    changed = [path for path in paths if before[path] != after[path]]
    assert changed == [], _diff(before, after, changed)

    landing = client.get("/zorg/")
    assert landing.status_code == 200
    html = landing.text
    assert f"<title>{CARE_NAME} — Zorg is mensenwerk met techniek</title>" in html
    assert 'href="/zorg/verhaallijnen/zorg-thuis/"' in html
    # Its own stylesheet, fingerprinted by its own colours and storylines.
    theme_href = re.search(r'<link rel="stylesheet" href="(/zorg/thema\.[0-9a-f]{16}\.css)"', html)
    assert theme_href is not None
    assert "Zorgrobot op bezoek" in html
    assert "Robotica" not in html  # the technology campaign's storyline
    assert "public" in landing["Cache-Control"]

    theme_response = client.get(theme_href[1])
    assert "immutable" in theme_response["Cache-Control"]
    theme = theme_response.text
    assert "--brand: #0A7B83" in theme
    assert ".accent-zorg-thuis" in theme
    assert ".accent-robotica" not in theme  # the technology campaign's storyline
    assert client.get("/zorg/thema.css").text == theme

    storyline = client.get("/zorg/verhaallijnen/zorg-thuis/")
    assert storyline.status_code == 200
    assert "Zorgrobot op bezoek" in storyline.text
    # Its links stay in its own space; what all campaigns share has one address.
    for link in ("/zorg/", "/zorg/verhaallijnen/", "/zorg/masterclasses/", "/zorg/voor-ouders/"):
        assert f'href="{link}"' in storyline.text, link
    assert 'href="/scholen/"' in storyline.text
    assert 'href="/verhaallijnen/"' not in storyline.text
    assert 'href="/masterclasses/"' not in storyline.text
    week = client.get("/zorg/deze-week/").text
    assert re.search(
        r'<link rel="canonical" href="https://site\.example/zorg/deze-week/\d{4}-\d{2}/"', week
    )
    assert client.get("/verhaallijnen/zorg-thuis/").status_code == 404
    assert "Zorgtechniek thuis" in client.get("/zorg/verhaallijnen/").text

    agenda = client.get("/zorg/masterclasses/").text
    assert f'href="/zorg/masterclasses/{CARE_SESSION}/"' in agenda
    assert client.get(f"/zorg/masterclasses/{CARE_SESSION}/").status_code == 200
    assert client.get(f"/masterclasses/{CARE_SESSION}/").status_code == 404
    calendar = client.get("/zorg/masterclasses/agenda.ics").content.decode()
    assert f"X-WR-CALNAME:Masterclasses {CARE_NAME}" in calendar
    assert "Zorgrobot op bezoek" in calendar
    assert "Robot" not in calendar.replace("Zorgrobot", "")

    feed = client.get("/zorg/deze-week/feed/")
    assert feed.status_code == 200
    assert f"<title>{CARE_NAME} — deze week</title>" in feed.text

    site = "https://site.example"
    sitemap_after = sitemap_urls(client)
    assert sitemap_before <= sitemap_after
    for path in ("/zorg/", "/zorg/verhaallijnen/", "/zorg/verhaallijnen/zorg-thuis/"):
        assert site + path in sitemap_after
    assert f"{site}/zorg/masterclasses/{CARE_SESSION}/" in sitemap_after

    care_storyline = Storyline.objects.get(slug=CARE_STORYLINE)
    for page, kind, pk in (
        (storyline.text, "verhaallijn", care_storyline.pk),
        (html, "campagne", care.pk),
    ):
        share = re.search(r'<meta property="og:image" content="([^"]+)"', page)[1]
        assert share.startswith(f"{site}/deelbeeld/{kind}/{pk}/")
        image = client.get(share.removeprefix(site))
        assert image.status_code == 200
        assert image["Content-Type"] == "image/png"

    school = client.get(f"/scholen/{demo.SCHOOL}/").text
    assert "in andere campagnes" in school
    assert 'href="/zorg/"' in school
    assert f'href="/zorg/masterclasses/{CARE_SESSION}/"' in school


def _diff(before, after, changed) -> str:
    """The first differing lines of each changed page, to say what changed."""
    import difflib

    out = []
    for path in changed:
        lines = difflib.unified_diff(
            before[path].splitlines(), after[path].splitlines(), lineterm="", n=0
        )
        out.append(f"{path}:\n" + "\n".join(list(lines)[2:12]))
    return "\n".join(out)
