"""The pages that gather from every app: home, audience pages, search, sitemap, robots, errors."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from defusedxml import ElementTree
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Audience, Page
from campaign.publishing import PublicationStatus
from config import views as site_views
from config.search import MAX_QUERY_LENGTH, clean_query
from schools.models import NewsItem
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    OfferFactory,
    OpenDayFactory,
    PageFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    VideoFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://techniekdoethet.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def build_content(n: int, campaign=None):
    """A public site with ``n`` of everything, linked the way the demo content is."""
    campaign = campaign or CampaignFactory(
        name="Techniek doet het", tagline="Techniek is breder dan je denkt"
    )
    storylines = [StorylineFactory(campaign=campaign) for _ in range(n)]
    for storyline in storylines:
        for audience in Audience.values:
            AudienceMessageFactory(
                storyline=storyline,
                audience=audience,
                headline=f"{audience} {storyline.title}",
            )
        VideoFactory(campaign=campaign, storyline=storyline)
    round_ = MasterclassRoundFactory()
    schools, companies = [], []
    for i in range(n):
        school = SchoolFactory()
        school.storylines.set(storylines[:2])
        OpenDayFactory(school=school)
        company = CompanyFactory()
        company.storylines.set(storylines[:2])
        company.schools.add(school)
        OfferFactory(company=company)
        session = SessionFactory(
            round=round_, host_school=school, storyline=storylines[i % len(storylines)]
        )
        session.companies.add(company)
        for _ in range(2):
            NewsItemFactory(school=school)
        schools.append(school)
        companies.append(company)
    for slug in ("voor-ouders", "voor-scholen", "voor-bedrijven", "privacy"):
        if not Page.objects.filter(slug=slug).exists():
            PageFactory(slug=slug, title=slug.replace("-", " ").capitalize())
    return {
        "campaign": campaign,
        "storylines": storylines,
        "schools": schools,
        "companies": companies,
        "round": round_,
    }


class PageChecker(HTMLParser):
    """A strict-enough HTML check with the standard library: nesting, ids, head tags."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    # Elements whose end tag HTML allows to be left out; our templates close them anyway.
    SVG_SELF_CLOSING = {"circle", "path", "rect"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids = [], [], set()
        self.meta, self.links, self.counts = {}, {}, {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.errors.append(f"duplicate id {attrs['id']}")
            self.ids.add(attrs["id"])
        if "style" in attrs:
            self.errors.append(f"inline style on <{tag}> (blocked by the CSP)")
        if tag == "img" and "alt" not in attrs:
            self.errors.append(f"img without alt: {attrs.get('src')}")
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content", "")
        if tag == "link":
            self.links[attrs.get("rel")] = attrs.get("href")
        if tag == "title":
            self._in_title = True
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in self.SVG_SELF_CLOSING:
            return
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            self.errors.append(f"end tag for void element </{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close <{self.stack[-1] if self.stack else '-'}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check_page(html: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, f"unclosed: {checker.stack}"
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="nl">' in html
    assert checker.counts.get("h1") == 1, "one h1 per page"
    for landmark in ("header", "main", "footer", "nav"):
        assert checker.counts.get(landmark), f"no <{landmark}>"
    assert 'class="skip-link" href="#inhoud"' in html
    return checker


def check_sharing_tags(checker: PageChecker, path: str):
    assert checker.title.strip()
    assert checker.meta["description"].strip()
    canonical = checker.links["canonical"]
    assert canonical == SITE_URL + path
    assert checker.meta["og:url"] == canonical
    assert checker.meta["og:title"] == " ".join(checker.title.split())
    assert checker.meta["og:description"] == checker.meta["description"].strip()
    assert checker.meta["og:locale"] == "nl_NL"
    assert checker.meta["og:type"] in {"website", "article"}
    assert checker.meta["og:image"].startswith(SITE_URL)
    assert checker.meta["twitter:card"] == "summary_large_image"


# --------------------------------------------------------------------- every page


def public_paths(content):
    storyline = content["storylines"][0]
    return [
        reverse("home"),
        reverse("campaign:storyline-list"),
        storyline.get_absolute_url(),
        storyline.get_absolute_url() + "?voor=ouders",
        reverse("audience-parents"),
        reverse("audience-schools"),
        reverse("audience-companies"),
        reverse("school-compare"),
        reverse("search") + "?q=verhaallijn",
        reverse("search"),
        reverse("campaign:page-detail", kwargs={"slug": "privacy"}),
    ]


def test_every_page_is_valid_html_with_title_description_canonical_and_open_graph(client):
    content = build_content(2)
    for path in public_paths(content):
        response = client.get(path)
        assert response.status_code == 200, path
        checker = check_page(response.text)
        check_sharing_tags(checker, path.split("?")[0])


def test_query_counts_stay_the_same_with_ten_times_the_content(client, django_assert_num_queries):
    small = build_content(2)
    paths = [*public_paths(small), "/sitemap.xml", "/robots.txt", "/thema.css", "/bestaat-niet/"]
    counts, warm, statuses = {}, {}, {}
    # Every page with a cold cache, then warm (the region, the campaigns and the theme's
    # fingerprint kept in the shared cache for the content version).
    for path in paths:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            statuses[path] = client.get(path).status_code
        counts[path] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        warm[path] = len(queries)
    build_content(20, campaign=small["campaign"])
    for path, count in counts.items():
        cache.clear()
        with django_assert_num_queries(count):
            assert client.get(path).status_code == statuses[path], path
        with django_assert_num_queries(warm[path]):
            client.get(path)
    # The budget itself (tests/test_query_budget.py holds every page to it too): at most 8
    # queries while no content changed; the first request after a write reads the region,
    # the campaigns and the theme's fingerprint again (3 more at most).
    assert max(warm.values()) <= 8, warm
    assert all(0 <= counts[path] - warm[path] <= 3 for path in paths), (counts, warm)


# --------------------------------------------------------------------- home


def test_home_shows_hero_storylines_videos_masterclasses_and_news(client):
    content = build_content(2)
    response = client.get(reverse("home"))
    html = response.text
    assert "Techniek is breder dan je denkt" in html
    for storyline in content["storylines"]:
        assert storyline.get_absolute_url() in html
    assert html.count('class="video') >= 2
    assert reverse("events:session-list") in html
    assert "Masterclass" in html
    assert NewsItem.objects.first().title in html
    for name in ("audience-parents", "audience-schools", "audience-companies"):
        assert reverse(name) in html
    assert '"@type": "WebSite"' in html


def test_home_news_lets_schools_take_turns_when_one_school_posts_a_lot(client):
    busy, quiet, other = SchoolFactory(name="Druk"), SchoolFactory(), SchoolFactory()
    now = timezone.now()
    for i in range(8):
        NewsItemFactory(school=busy, title=f"Druk {i}", published_at=now - dt.timedelta(hours=i))
    NewsItemFactory(school=quiet, title="Stil bericht", published_at=now - dt.timedelta(days=5))
    NewsItemFactory(school=other, title="Ander bericht", published_at=now - dt.timedelta(days=9))
    NewsItemFactory(school=None, title="Regionaal", published_at=now - dt.timedelta(days=20))
    items = list(NewsItem.objects.public().taking_turns(6))
    titles = [item.title for item in items]
    assert titles[:4] == ["Druk 0", "Stil bericht", "Ander bericht", "Regionaal"]
    assert titles[4:] == ["Druk 1", "Druk 2"]
    html = client.get(reverse("home")).text
    assert "Stil bericht" in html and "Ander bericht" in html and "Druk 3" not in html


def test_home_never_shows_drafts_or_future_items(client):
    campaign = CampaignFactory()
    future = timezone.now() + dt.timedelta(days=3)
    StorylineFactory(campaign=campaign, title="Verborgen concept", status=PublicationStatus.DRAFT)
    StorylineFactory(campaign=campaign, title="Verborgen toekomst", published_at=future)
    VideoFactory(campaign=campaign, title="Verborgen video", status=PublicationStatus.DRAFT)
    draft_storyline = StorylineFactory(campaign=campaign, status=PublicationStatus.DRAFT)
    VideoFactory(campaign=campaign, storyline=draft_storyline, title="Video van concept")
    SessionFactory(title="Verborgen masterclass", published_at=future)
    SessionFactory(title="Sessie van conceptschool", host_school=SchoolFactory(status="draft"))
    NewsItemFactory(title="Verborgen nieuws", status=NewsItem.Status.SUBMITTED)
    NewsItemFactory(title="Toekomstig nieuws", published_at=future)
    NewsItemFactory(title="Nieuws van conceptschool", school=SchoolFactory(status="draft"))
    html = client.get(reverse("home")).text
    for hidden in (
        "Verborgen concept",
        "Verborgen toekomst",
        "Verborgen video",
        "Video van concept",
        "Verborgen masterclass",
        "Sessie van conceptschool",
        "Verborgen nieuws",
        "Toekomstig nieuws",
        "Nieuws van conceptschool",
    ):
        assert hidden not in html


def test_storyline_with_a_photo_shares_its_generated_share_image(client):
    storyline = StorylineFactory(
        hero_image=make_image_file("robot.jpg", size=(1600, 900)), hero_image_alt="Een robotarm"
    )
    checker = check_page(client.get(storyline.get_absolute_url()).text)
    # The share image (config.shareimages) carries the title in the campaign's colours.
    assert checker.meta["og:image"] == (
        f"{SITE_URL}/deelbeeld/verhaallijn/{storyline.pk}/1200x627.png"
    )
    assert checker.meta["og:image:alt"] == storyline.title
    assert checker.meta["og:type"] == "article"


def test_home_renders_without_any_content(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    check_page(response.text)


# --------------------------------------------------------------------- audience pages


def test_parents_page_gathers_parent_messages_schools_open_days_and_masterclasses(client):
    content = build_content(2)
    html = client.get(reverse("audience-parents")).text
    storyline = content["storylines"][0]
    assert f"parent {storyline.title}" in html
    assert f"school {storyline.title}" not in html
    assert f"pupil {storyline.title}" not in html
    assert "?voor=ouders#boodschap" in html
    for school in content["schools"]:
        assert school.name in html
    assert '<table class="compare-table">' in html
    assert "open-day" in html
    assert 'class="card session-card"' in html
    # The Page with slug voor-ouders supplies the intro.
    assert "Tekst van de pagina." in html


def test_schools_page_shows_rounds_with_their_stops_and_how_to_send_news(client):
    content = build_content(2)
    SessionFactory(
        round=content["round"],
        storyline=content["storylines"][0],
        title="Concept-sessie",
        status="draft",
    )
    html = client.get(reverse("audience-schools")).text
    assert content["round"].name in html
    assert html.count('class="route-stop') == 2
    assert "Concept-sessie" not in html
    assert "nieuws-insturen" in html
    assert f"school {content['storylines'][0].title}" in html


def test_companies_page_explains_how_to_take_part_and_lists_companies(client):
    content = build_content(2)
    CompanyFactory(name="Geheim Concept BV", status=PublicationStatus.DRAFT)
    html = client.get(reverse("audience-companies")).text
    assert "Gastles" in html and "Bedrijfsbezoek" in html
    for company in content["companies"]:
        assert company.name in html
    assert "Geheim Concept BV" not in html
    assert f"company {content['storylines'][0].title}" in html


@pytest.mark.parametrize(
    "path",
    [
        reverse("audience-schools"),
        reverse("audience-companies"),
        reverse("schools:news-submit", kwargs={"token": "onbekend"}),
    ],
)
def test_contact_link_goes_to_the_first_coordinator_when_there_are_several(client, settings, path):
    settings.COORDINATOR_EMAILS = ["eerste@example.org", "tweede@example.org"]

    html = client.get(path).text

    assert "mailto:eerste@example.org" in html
    assert "tweede@example.org" not in html


@pytest.mark.parametrize(
    "path",
    [
        reverse("audience-schools"),
        reverse("audience-companies"),
        reverse("schools:news-submit", kwargs={"token": "onbekend"}),
    ],
)
def test_contact_link_is_left_out_when_no_coordinator_is_configured(client, settings, path):
    settings.COORDINATOR_EMAILS = []

    assert "mailto:" not in client.get(path).text


def test_audience_pages_have_a_default_intro_without_a_page(client):
    for name in ("audience-parents", "audience-schools", "audience-companies"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'class="lead"' in response.text


# --------------------------------------------------------------------- search


def test_search_finds_public_rows_of_every_type_grouped(client):
    storyline = StorylineFactory(title="Robotica", pupil_text="Robots bouwen.")
    school = SchoolFactory(name="Robotcollege", town="Hoorn")
    CompanyFactory(name="Robotwerk BV")
    SessionFactory(title="Robotarm programmeren", storyline=storyline, host_school=school)
    NewsItemFactory(title="Robotwedstrijd gewonnen", school=school)
    html = client.get(reverse("search"), {"q": "robot"}).text
    for label in ("Verhaallijnen", "Masterclasses", "Scholen", "Bedrijven", "Nieuws"):
        assert f">{label}</h2>" in html
    for found in ("Robotica", "Robotcollege", "Robotwerk BV", "Robotarm programmeren"):
        assert found in html
    assert "Robotwedstrijd gewonnen" in html


def test_search_never_finds_drafts_or_future_items(client):
    future = timezone.now() + dt.timedelta(days=2)
    StorylineFactory(title="Geheimrobot concept", status=PublicationStatus.DRAFT)
    SchoolFactory(name="Geheimrobot school", published_at=future)
    CompanyFactory(name="Geheimrobot bedrijf", status=PublicationStatus.DRAFT)
    SessionFactory(title="Geheimrobot sessie", status=PublicationStatus.DRAFT)
    SessionFactory(title="Geheimrobot ronde", round=MasterclassRoundFactory(status="draft"))
    NewsItemFactory(
        title="Geheimrobot nieuws", status=NewsItem.Status.REJECTED, rejection_reason="x"
    )
    html = client.get(reverse("search"), {"q": "Geheimrobot"}).text
    for hidden in ("concept", "school", "bedrijf", "sessie", "ronde", "nieuws"):
        assert f"Geheimrobot {hidden}" not in html
    assert "0 resultaten" in html


@pytest.mark.parametrize(
    "query",
    [
        "robot" * 2000,
        "'; DROP TABLE campaign_storyline; --",
        '" OR 1=1 --',
        "<script>alert('x')</script>",
        "robot\x00nul",
        "%%%___\\",
        "& | ! ( ) : * <->",
        "   ",
    ],
)
def test_search_handles_hostile_input(client, query):
    StorylineFactory(title="Robotica")
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    check_page(response.text)


def test_search_query_is_cleaned_and_truncated():
    assert clean_query("a" * 500) == "a" * MAX_QUERY_LENGTH
    assert clean_query("robot\x00\x1f  arm\n") == "robot arm"
    assert clean_query(None) == ""


def test_search_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    build_content(2)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("search"), {"q": "verhaallijn masterclass"})
    build_content(20)
    cache.clear()  # as cold as the first time (the theme stylesheet's fingerprint is cached)
    with django_assert_num_queries(len(queries)):
        client.get(reverse("search"), {"q": "verhaallijn masterclass"})


def test_search_uses_dutch_full_text_search_on_postgresql(client, postgres_only):
    StorylineFactory(title="Zorgtechniek", pupil_text="Slimme bedden in het ziekenhuis.")
    # Dutch stemming: "bed" finds "bedden".
    html = client.get(reverse("search"), {"q": "bed"}).text
    assert "Zorgtechniek" in html
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("search"), {"q": "ziekenhuis"})
    assert any("dutch" in q["sql"] for q in queries.captured_queries)


# --------------------------------------------------------------------- sitemap, robots


def test_sitemap_lists_every_public_page_and_no_draft(client):
    content = build_content(2)
    future = timezone.now() + dt.timedelta(days=1)
    hidden = [
        StorylineFactory(slug="concept-verhaal", status=PublicationStatus.DRAFT),
        SchoolFactory(slug="toekomst-school", published_at=future),
        CompanyFactory(slug="concept-bedrijf", status=PublicationStatus.DRAFT),
        SessionFactory(slug="concept-sessie", status=PublicationStatus.DRAFT),
        NewsItemFactory(slug="ingestuurd-nieuws", status=NewsItem.Status.SUBMITTED),
        PageFactory(slug="concept-pagina", status=PublicationStatus.DRAFT),
    ]
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in tree.findall("s:url/s:loc", ns)}
    assert SITE_URL + "/" in locations
    for row in [*content["storylines"], *content["schools"], *content["companies"]]:
        assert SITE_URL + row.get_absolute_url() in locations
    for news in NewsItem.objects.filter(status=NewsItem.Status.PUBLISHED):
        assert SITE_URL + news.get_absolute_url() in locations
    assert SITE_URL + "/privacy/" in locations
    assert SITE_URL + reverse("audience-parents") in locations
    assert len([loc for loc in locations if loc.endswith("/voor-ouders/")]) == 1
    for row in hidden:
        assert SITE_URL + row.get_absolute_url() not in locations
    assert all(loc.startswith(SITE_URL + "/") for loc in locations)


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /beheer/" in lines
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines


# --------------------------------------------------------------------- errors, caching


def test_unknown_address_gives_the_house_style_404_page(client):
    response = client.get("/bestaat-echt-niet/")
    assert response.status_code == 404
    assert "Oeps" in response.text
    checker = check_page(response.text)
    assert checker.meta["robots"] == "noindex"


def test_500_page_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = site_views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert '<html lang="nl">' in html


def test_error_handlers_are_the_house_style_views():
    from config import urls

    assert urls.handler404 == "config.views.page_not_found"
    assert urls.handler500 == "config.views.server_error"


def test_public_pages_send_cache_headers_for_anonymous_visitors(client):
    response = client.get(reverse("home"))
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert client.get("/bestaat-niet/").get("Cache-Control") is None


def test_pages_are_not_cached_publicly_for_visitors_with_a_session(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    assert "public" not in client.get(reverse("home")).get("Cache-Control", "")


def test_theme_stylesheet_carries_the_colours_with_readable_text(client):
    campaign = CampaignFactory(primary_color="#E6007E", secondary_color="#00A3E0")
    StorylineFactory(campaign=campaign, slug="robotica", color="#FFD23F")
    StorylineFactory(campaign=campaign, slug="concept", status=PublicationStatus.DRAFT)
    response = client.get(reverse("campaign:theme-css"))
    assert response["Content-Type"].startswith("text/css")
    css = response.text
    assert "--brand: #E6007E; --brand-ink: #ffffff;" in css
    assert "--brand-2: #00A3E0; --brand-2-ink: #1b1340;" in css
    assert re.search(r"\.accent-robotica \{ --accent: #FFD23F; --accent-ink: #1b1340;", css)
    assert ".accent-concept" not in css


def test_picture_tag_on_the_home_page_adds_no_queries(client, django_assert_num_queries):
    campaign = CampaignFactory()
    StorylineFactory(campaign=campaign)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    cache.clear()  # as cold as the first time (the theme stylesheet's fingerprint is cached)
    for i in range(6):
        StorylineFactory(
            campaign=campaign,
            hero_image=make_image_file(f"s{i}.jpg", size=(800, 500)),
            hero_image_alt=f"Foto {i}",
        )
    with django_assert_num_queries(len(queries)):
        html = client.get(reverse("home")).text
    assert html.count("<picture") >= 6
