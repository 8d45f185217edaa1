"""The audience pages, "Deze week" and search with the fragment cache on: a warm request
costs no query and gives the same page as a render without the cache; a save, a scheduled
moment and a preview always show (config.fragments, campaign.content_version)."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from campaign.content_version import is_public_request
from campaign.models import Audience, SocialPost
from campaign.preview import preview_token
from campaign.publishing import PublicationStatus
from config import views
from config.weeks import Week
from schools.models import School
from tests.config.test_fragments import (  # noqa: F401 - the autouse fixtures apply here too
    _clocks_at_noon,
    _fragments_on,
    fragment_entries,
    get,
    html,
    reads,
    travel,
)
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    OpenDayFactory,
    PageFactory,
    SchoolFactory,
    SessionFactory,
    SocialPostFactory,
    StorylineFactory,
    add_care_campaign,
)

pytestmark = pytest.mark.django_db

PAGES = {
    "parents": (
        reverse("audience-parents"),
        ["Ouders: bouw mee", "Het Robotcollege", "Open robotavond", "Robotles"],
    ),
    "schools": (
        reverse("audience-schools"),
        ["Scholen: bouw mee", "Robotles", "Lasrobot in de werkplaats"],
    ),
    "companies": (reverse("audience-companies"), ["Bedrijven: bouw mee", "Robotbedrijf BV"]),
    "this week": (
        reverse("this-week"),
        ["Lasrobot in de werkplaats", "Robotles", "Robotbericht"],
    ),
}


@pytest.fixture
def content():
    CampaignFactory(name="Techniek doet het")
    storyline = StorylineFactory(title="Robotica", slug="robotica")
    for audience, headline in (
        (Audience.PARENT, "Ouders: bouw mee"),
        (Audience.SCHOOL, "Scholen: bouw mee"),
        (Audience.COMPANY, "Bedrijven: bouw mee"),
    ):
        AudienceMessageFactory(storyline=storyline, audience=audience, headline=headline)
    school = SchoolFactory(name="Het Robotcollege")
    school.storylines.add(storyline)
    OpenDayFactory(school=school, title="Open robotavond")
    SessionFactory(storyline=storyline, host_school=school, title="Robotles")
    CompanyFactory(name="Robotbedrijf BV").storylines.add(storyline)
    NewsItemFactory(school=school, title="Lasrobot in de werkplaats")
    SocialPostFactory(
        title="Robotbericht",
        status=SocialPost.Status.POSTED,
        posted_at=timezone.now() - dt.timedelta(hours=1),
    )
    return school


def uncached(client, path, settings) -> str:
    seconds, settings.FRAGMENT_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS, 0
    try:
        return html(client, path)
    finally:
        settings.FRAGMENT_CACHE_SECONDS = seconds


# ------------------------------------------------------------ warm and identical


@pytest.mark.parametrize("kind", PAGES)
def test_a_page_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, content, settings, kind
):
    path, shown = PAGES[kind]
    first, queries = get(client, path)
    assert queries
    for text in shown:
        assert text in first
    second, queries = get(client, path)
    assert queries == [] and second == first
    assert uncached(client, path, settings) == first


# ------------------------------------------------------------------ no stale page


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("parents", lambda: SchoolFactory(name="De Nieuwe School")),
        ("schools", lambda: NewsItemFactory(title="De Nieuwe School")),
        ("companies", lambda: CompanyFactory(name="De Nieuwe School BV")),
        ("this week", lambda: NewsItemFactory(title="De Nieuwe School")),
    ],
)
def test_a_save_shows_on_the_next_page(client, content, kind, make):
    path = PAGES[kind][0]
    html(client, path)
    make()
    assert "De Nieuwe School" in html(client, path)


@pytest.mark.parametrize("name", ["audience-parents", "audience-schools", "audience-companies"])
def test_a_published_intro_page_shows_on_the_next_audience_page(client, content, name):
    path = reverse(name)
    html(client, path)
    PageFactory(slug=path.strip("/"), title="Welkom", intro="Het nieuwe welkom.")
    assert "Het nieuwe welkom." in html(client, path)


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("parents", lambda when: SchoolFactory(name="Later College", published_at=when)),
        ("schools", lambda when: NewsItemFactory(title="Later College", published_at=when)),
        ("companies", lambda when: CompanyFactory(name="Later College BV", published_at=when)),
        ("this week", lambda when: NewsItemFactory(title="Later College", published_at=when)),
    ],
)
def test_something_published_later_shows_at_its_time(client, content, kind, make):
    path = PAGES[kind][0]
    later = make(timezone.now() + dt.timedelta(minutes=2))
    assert "Later College" not in html(client, path)
    page_html, queries = get(client, path)
    assert queries == [] and "Later College" not in page_html  # kept meanwhile
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Later College" in html(client, path)


def test_an_open_day_that_has_ended_leaves_the_parents_page_at_its_end(client, content):
    OpenDayFactory(
        school=content,
        title="Open middag",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=5),
    )
    path = reverse("audience-parents")
    assert "Open middag" in html(client, path)
    assert get(client, path)[1] == []
    now, clock = travel(timezone.now() + dt.timedelta(minutes=6))
    with now, clock:
        assert "Open middag" not in html(client, path)


# --------------------------------------------------------------------- previews


def test_a_coordinator_previews_a_draft_intro_page_past_the_kept_body(client, coordinator, content):
    path = reverse("audience-parents")
    draft = PageFactory(
        slug="voor-ouders", intro="Concept voor ouders.", status=PublicationStatus.DRAFT
    )
    assert "Concept voor ouders." not in html(client, path)
    kept = fragment_entries()
    logged_in = Client()
    logged_in.force_login(coordinator)
    page = html(logged_in, path)
    assert "Concept voor ouders." in page and "preview-banner" in page
    shared = html(Client(), f"{path}?voorbeeld={preview_token(draft)}")
    assert "Concept voor ouders." in shared and "preview-banner" in shared
    assert fragment_entries() == kept  # the previews neither used nor replaced the body
    public, queries = get(client, path)
    assert queries == [] and "Concept voor ouders." not in public


def test_a_coordinator_previews_a_draft_round_on_the_schools_page(client, coordinator, content):
    draft = MasterclassRoundFactory(name="Conceptronde", status=PublicationStatus.DRAFT)
    path = reverse("audience-schools")
    html(client, path)
    asked = f"{path}?ronde={draft.pk}"
    assert "Conceptronde" not in html(client, asked)  # not for the public, link or not
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Conceptronde" in html(logged_in, asked)
    public, queries = get(client, path)
    assert queries == [] and "Conceptronde" not in public


# ----------------------------------------------------------------- vary values


def test_each_campaign_has_its_own_audience_and_week_pages(client, content):
    add_care_campaign(host_school=content)
    for _ in range(2):  # rendered, then from the cache
        for path in (reverse("audience-parents"), reverse("this-week")):
            primary, care = html(client, path), html(client, "/zorg" + path)
            assert "Robotles" in primary and "Zorgles" not in primary
            assert "Zorgles" in care and "Robotles" not in care


def test_each_week_has_its_own_page(client, content):
    current = Week.current()
    earlier = current.previous()
    for _ in range(2):
        this_week = html(client, reverse("this-week"))
        archived = html(client, earlier.get_absolute_url())
        assert "Lasrobot in de werkplaats" in this_week
        assert "Lasrobot in de werkplaats" not in archived
        assert f"Week {earlier.number} van {earlier.year}</h1>" in archived
        assert f'href="{reverse("this-week")}">Volgende week' in archived


# ------------------------------------------------------------------------ search


def search_path(query: str) -> str:
    return reverse("search") + "?" + f"q={query}"


def kept_searches() -> list:
    return [key for key in caches["default"]._cache if ":kept:search:" in key]


def test_a_search_a_second_time_costs_no_query_and_is_the_page_without_the_cache(
    client, content, settings
):
    path = search_path("robot")
    first, queries = get(client, path)
    assert reads(queries, "schools_school")
    assert "Het Robotcollege" in first and "Robotbedrijf BV" in first and "Robotles" in first
    second, queries = get(client, path)
    assert queries == [] and second == first
    assert uncached(client, path, settings) == first


def test_one_search_written_differently_is_kept_once_and_shows_its_own_words(client, content):
    html(client, search_path("robot"))
    page, queries = get(client, search_path("%20ROBOT%20"))
    assert queries == [] and "Het Robotcollege" in page
    # The menu's search box and the page's: the query as typed (cleaned), not the kept one.
    assert page.count('value="ROBOT"') == 2 and 'value="robot"' not in page
    assert "Zoeken naar “ROBOT”" in page
    assert len(kept_searches()) == 1
    assert 'value="robot"' in html(client, search_path("robot"))


def fragment_names() -> set:
    return {key.split(":kept:fragment:")[1].split(":")[0] for key in fragment_entries()}


def test_the_header_and_footer_of_any_search_are_kept_and_its_query_is_not(client, content):
    html(client, search_path("geen+treffer+hier"))
    assert fragment_names() == {"header", "header-end", "footer"}
    kept = fragment_entries()
    page, queries = get(client, search_path("robot"))
    assert fragment_entries() == kept and queries  # the same parts, its own results
    assert page.count('value="robot"') == 2 and "geen treffer hier" not in page


def test_no_more_than_so_many_searches_are_kept(client, content, monkeypatch):
    monkeypatch.setattr(views, "KEPT_SEARCHES", 2)
    for word in ("robot", "les", "bedrijf"):
        html(client, search_path(word))
    assert len(kept_searches()) == 2
    page, queries = get(client, search_path("bedrijf"))
    assert queries and "Robotbedrijf BV" in page  # searched again, and right
    assert get(client, search_path("les"))[1] == []
    SchoolFactory(name="Nog een school")  # a new content version: a new count
    html(client, search_path("bedrijf"))
    assert get(client, search_path("bedrijf"))[1] == []


def test_a_save_shows_in_the_next_search(client, content):
    html(client, search_path("robot"))
    content.name = "Het Robotlyceum"
    content.save()
    page = html(client, search_path("robot"))
    assert "Het Robotlyceum" in page and "Het Robotcollege" not in page


def test_a_masterclass_that_has_ended_leaves_the_search_at_its_end(client, content):
    SessionFactory(
        title="Robotles vandaag",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=5),
        registration_opens_at=timezone.now() - dt.timedelta(days=7),
    )
    assert "Robotles vandaag" in html(client, search_path("robotles"))
    assert get(client, search_path("robotles"))[1] == []
    now, clock = travel(timezone.now() + dt.timedelta(minutes=6))
    with now, clock:
        assert "Robotles vandaag" not in html(client, search_path("robotles"))


def test_a_coordinator_and_a_link_with_other_parameters_search_afresh(client, coordinator, content):
    html(client, search_path("robot"))
    School.objects.filter(pk=content.pk).update(name="Het Robotlyceum")  # no signal
    assert "Het Robotcollege" in html(client, search_path("robot"))  # kept, as pages are
    logged_in = Client()
    logged_in.force_login(coordinator)
    assert "Het Robotlyceum" in html(logged_in, search_path("robot"))
    page, queries = get(client, search_path("robot") + "&voorbeeld=x")
    assert queries and "Het Robotlyceum" in page


def test_a_search_page_stays_out_of_the_page_cache(client, content, settings):
    settings.PAGE_CACHE_SECONDS = 300
    html(client, search_path("robot"))
    assert not [key for key in caches["default"]._cache if ":pagecache:page:" in key]


def test_a_request_is_public_with_a_parameter_its_view_handles():
    request = RequestFactory().get("/zoeken/", {"q": "robots & zo", "pagina": "2"})
    assert not is_public_request(request)
    assert is_public_request(request, ignoring=("q",))
    assert not is_public_request(
        RequestFactory().get("/zoeken/", {"q": "robot", "voorbeeld": "x"}), ignoring=("q",)
    )
