"""Coordinators (and holders of a shareable link) see content before it is public;
nobody else does, and no cache keeps such a page."""

import datetime as dt
import re
import time
from html import unescape
from unittest import mock

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from campaign.preview import preview_token, preview_url
from campaign.publishing import PublicationStatus
from schools.models import NewsItem
from tests.factories import (
    AudienceMessageFactory,
    CompanyFactory,
    MasterclassRoundFactory,
    NewsItemFactory,
    OpenDayFactory,
    PageFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

BANNER = "Concept — nog niet openbaar"


def _draft_storyline(**kwargs):
    return StorylineFactory(status=PublicationStatus.DRAFT, **kwargs)


def _draft_page(**kwargs):
    return PageFactory(status=PublicationStatus.DRAFT, **kwargs)


def _draft_school(**kwargs):
    return SchoolFactory(status=PublicationStatus.DRAFT, **kwargs)


def _draft_company(**kwargs):
    return CompanyFactory(status=PublicationStatus.DRAFT, **kwargs)


def _draft_session(**kwargs):
    return SessionFactory(status=PublicationStatus.DRAFT, **kwargs)


def _session_of_draft_round(**kwargs):
    return SessionFactory(round=MasterclassRoundFactory(status=PublicationStatus.DRAFT), **kwargs)


def _submitted_news(**kwargs):
    return NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None, **kwargs)


def _news_of_draft_school(**kwargs):
    return NewsItemFactory(school=_draft_school(), **kwargs)


def _future_storyline(**kwargs):
    return StorylineFactory(published_at=timezone.now() + dt.timedelta(days=2), **kwargs)


def _expired_page(**kwargs):
    return PageFactory(unpublish_at=timezone.now() - dt.timedelta(hours=1), **kwargs)


HIDDEN = [
    pytest.param(_draft_storyline, id="draft-storyline"),
    pytest.param(_future_storyline, id="future-storyline"),
    pytest.param(_draft_page, id="draft-page"),
    pytest.param(_expired_page, id="expired-page"),
    pytest.param(_draft_school, id="draft-school"),
    pytest.param(_draft_company, id="draft-company"),
    pytest.param(_draft_session, id="draft-session"),
    pytest.param(_session_of_draft_round, id="session-of-draft-round"),
    pytest.param(_submitted_news, id="submitted-news"),
    pytest.param(_news_of_draft_school, id="news-of-draft-school"),
]


@pytest.mark.parametrize("make", HIDDEN)
def test_anonymous_visitor_gets_404_when_the_item_is_not_public(client, make):
    item = make()

    response = client.get(item.get_absolute_url())

    assert response.status_code == 404
    assert BANNER not in response.text


@pytest.mark.parametrize("make", HIDDEN)
def test_coordinator_previews_the_item_with_a_banner_when_it_is_not_public(
    coordinator_client, make
):
    item = make()

    response = coordinator_client.get(item.get_absolute_url())

    assert response.status_code == 200
    assert BANNER in response.text
    assert str(item).split(" — ")[0] in response.text
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control


def test_banner_says_when_the_item_goes_live_or_went_offline(coordinator_client):
    draft = _draft_page(slug="concept")
    live_at = timezone.make_aware(dt.datetime(2031, 3, 4, 9, 30))
    scheduled = PageFactory(slug="gepland", published_at=live_at)
    expired = _expired_page(slug="verlopen")

    assert "Staat niet gepland" in coordinator_client.get(draft.get_absolute_url()).text
    assert "Gaat online op dinsdag 4 maart 2031 om 09:30" in (
        coordinator_client.get(scheduled.get_absolute_url()).text
    )
    assert "Offline sinds" in coordinator_client.get(expired.get_absolute_url()).text


def test_public_page_has_no_banner_for_a_coordinator(coordinator_client):
    page = PageFactory()

    response = coordinator_client.get(page.get_absolute_url())

    assert response.status_code == 200
    assert BANNER not in response.text


def test_staff_without_view_permission_gets_404_for_a_draft(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("medewerker", is_staff=True))
    page = _draft_page()

    assert client.get(page.get_absolute_url()).status_code == 404


def test_logged_in_non_staff_gets_404_for_a_draft(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ouder"))
    page = _draft_page()

    assert client.get(page.get_absolute_url()).status_code == 404


def test_session_preview_shows_no_sign_up_form_and_refuses_a_sign_up(coordinator_client):
    session = _draft_session(
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
    )

    page = coordinator_client.get(session.get_absolute_url())
    post = coordinator_client.post(session.get_absolute_url(), {"form": "child"})

    assert page.status_code == 200
    assert 'id="aanmelden"' not in page.text
    assert post.status_code == 404


def test_storyline_preview_switches_between_audience_versions(coordinator_client):
    storyline = _draft_storyline()
    AudienceMessageFactory(storyline=storyline, audience="pupil", headline="Kop voor leerlingen")
    AudienceMessageFactory(storyline=storyline, audience="parent", headline="Kop voor ouders")
    url = storyline.get_absolute_url()

    pupils = coordinator_client.get(url).text
    parents = coordinator_client.get(url, {"voor": "ouders"}).text

    assert _selected_panel(pupils).count("Kop voor leerlingen") == 1
    assert "Kop voor ouders" in _selected_panel(parents)


def _selected_panel(html: str) -> str:
    """The audience panel that is not hidden."""
    for chunk in html.split('<div class="tab-panel"')[1:]:
        head, _, rest = chunk.partition(">")
        if "hidden" not in head:
            return rest.split('<div class="tab-panel"')[0]
    raise AssertionError("no visible panel")


# --- The shareable link --------------------------------------------------------------


def test_shared_link_opens_the_draft_without_an_account(client):
    storyline = _draft_storyline()

    response = client.get(preview_url(storyline))

    assert response.status_code == 200
    assert BANNER in response.text
    assert "gedeelde link" in response.text
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_shared_link_keeps_the_token_in_the_audience_switch(client):
    storyline = _draft_storyline()
    AudienceMessageFactory(storyline=storyline, audience="pupil")
    AudienceMessageFactory(storyline=storyline, audience="parent", headline="Kop voor ouders")
    token = preview_token(storyline)

    html = client.get(storyline.get_absolute_url(), {"voorbeeld": token}).text
    parents = client.get(storyline.get_absolute_url(), {"voor": "ouders", "voorbeeld": token})

    assert f"?voor=ouders&amp;{urlencode({'voorbeeld': token})}" in html
    assert parents.status_code == 200
    assert "Kop voor ouders" in _selected_panel(parents.text)


@pytest.mark.parametrize("make", HIDDEN)
def test_shared_link_works_for_every_kind_of_page(client, make):
    item = make()

    assert client.get(preview_url(item)).status_code == 200


def test_shared_link_stops_working_when_it_has_expired(client, settings):
    settings.PREVIEW_LINK_DAYS = 7
    page = _draft_page()
    url = preview_url(page)
    now = time.time()

    with mock.patch("django.core.signing.time.time", return_value=now + 6.9 * 86400):
        assert client.get(url).status_code == 200
    with mock.patch("django.core.signing.time.time", return_value=now + 7.1 * 86400):
        assert client.get(url).status_code == 404


def test_shared_link_is_refused_when_the_token_is_tampered_with(client):
    page = _draft_page()
    token = preview_token(page)
    value, _, signature = token.rpartition(":")
    forged = f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"

    assert client.get(page.get_absolute_url(), {"voorbeeld": forged}).status_code == 404
    assert client.get(page.get_absolute_url(), {"voorbeeld": "onzin"}).status_code == 404


def test_shared_link_opens_no_other_row_of_the_same_model(client):
    shared = _draft_page(slug="gedeeld")
    other = _draft_page(slug="ander-concept")
    token = preview_token(shared)

    response = client.get(other.get_absolute_url(), {"voorbeeld": token})

    assert response.status_code == 404


def test_shared_link_opens_no_row_of_another_model_with_the_same_pk(client):
    page = _draft_page()
    company = _draft_company(pk=page.pk)
    token = preview_token(page)

    response = client.get(company.get_absolute_url(), {"voorbeeld": token})

    assert response.status_code == 404


def test_shared_link_page_lists_no_other_drafts(client):
    storyline = _draft_storyline()
    public_school = SchoolFactory(name="Openbare school")
    public_school.storylines.add(storyline)
    draft_school = _draft_school(name="Geheime conceptschool")
    draft_school.storylines.add(storyline)
    draft_company = _draft_company(name="Geheim conceptbedrijf")
    draft_company.storylines.add(storyline)

    html = client.get(preview_url(storyline)).text

    assert "Openbare school" in html
    assert "Geheime conceptschool" not in html
    assert "Geheim conceptbedrijf" not in html


def test_shared_link_is_read_only(client):
    session = _draft_session(registration_opens_at=timezone.now() - dt.timedelta(days=1))

    response = client.post(preview_url(session), {"form": "child"})

    assert response.status_code == 404


# --- Lists, feeds, sitemap and search stay public-only --------------------------------


def _hidden_of_every_kind():
    return [make(**kwargs) for make, kwargs in _NAMED_HIDDEN]


_NAMED_HIDDEN = [
    (_draft_storyline, {"title": "Zwijgverhaal"}),
    (_draft_page, {"title": "Zwijgpagina", "slug": "zwijgpagina"}),
    (_draft_school, {"name": "Zwijgschool"}),
    (_draft_company, {"name": "Zwijgbedrijf"}),
    (_draft_session, {"title": "Zwijgsessie"}),
    (_submitted_news, {"title": "Zwijgnieuws"}),
]


def test_lists_feeds_sitemap_and_search_show_no_drafts_to_anonymous_visitors(client):
    hidden = _hidden_of_every_kind()
    open_day = OpenDayFactory(school=SchoolFactory(name="Zwijgschool", status="draft"))
    pages = [
        reverse("schools:open-days"),
        reverse("home"),
        reverse("campaign:storyline-list"),
        reverse("schools:school-list"),
        reverse("companies:company-list"),
        reverse("events:session-list"),
        reverse("schools:news-list"),
        reverse("schools:news-feed"),
        reverse("schools:news-atom"),
        reverse("events:agenda-ics"),
        reverse("search") + "?q=Zwijg",
    ]
    for url in pages:
        body = client.get(url).text
        for name in ("Zwijgverhaal", "Zwijgschool", "Zwijgbedrijf", "Zwijgsessie", "Zwijgnieuws"):
            assert name not in body, (url, name)
    tree = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = " ".join(loc.text for loc in tree.findall("s:url/s:loc", ns))
    for item in hidden:
        assert item.get_absolute_url() not in locations
    ics = client.get(reverse("schools:open-day-ics", args=[open_day.pk]))
    assert ics.status_code == 404


# --- The storyline's own colour in a preview ------------------------------------------


def test_theme_stylesheet_leaves_out_draft_storylines_for_anonymous_visitors(client):
    _draft_storyline(slug="geheim-groen")

    response = client.get(reverse("campaign:theme-css"))

    assert ".accent-geheim-groen" not in response.text
    assert "public" in response["Cache-Control"]


def test_theme_stylesheet_colours_the_draft_of_a_shared_link_and_no_other(client):
    shared = _draft_storyline(slug="gedeeld-groen")
    _draft_storyline(slug="ander-concept")
    page = client.get(preview_url(shared)).text
    stylesheet = re.search(r'<link rel="stylesheet" href="(/thema\.[^"]*)"', page)[1]

    response = client.get(unescape(stylesheet))

    assert ".accent-gedeeld-groen" in response.text
    assert ".accent-ander-concept" not in response.text
    assert "no-store" in response["Cache-Control"]


def test_theme_stylesheet_colours_drafts_for_a_coordinator_and_is_kept_private(
    coordinator_client,
):
    _draft_storyline(slug="concept-groen")

    response = coordinator_client.get(reverse("campaign:theme-css"))

    assert ".accent-concept-groen" in response.text
    assert "private" in response["Cache-Control"]


# --- A film, previewed on its storyline's page ----------------------------------------


def _draft_video(**kwargs):
    return VideoFactory(status=PublicationStatus.DRAFT, title="Conceptfilm", **kwargs)


def test_anonymous_visitor_never_sees_a_draft_film_on_its_storyline_page(client):
    video = _draft_video()

    response = client.get(video.get_absolute_url())

    assert response.status_code == 200
    assert "Conceptfilm" not in response.text
    assert BANNER not in response.text
    assert "public" in response["Cache-Control"]


def test_coordinator_previews_a_draft_film_on_its_storyline_page(coordinator_client):
    video = _draft_video()
    VideoFactory(storyline=video.storyline, status=PublicationStatus.DRAFT, title="Andere film")

    response = coordinator_client.get(video.get_absolute_url())

    assert "Conceptfilm" in response.text
    assert "Andere film" not in response.text
    assert BANNER in response.text
    assert "no-store" in response["Cache-Control"]


def test_shared_link_of_a_film_shows_that_film_and_no_other_draft(client):
    video = _draft_video()
    VideoFactory(storyline=video.storyline, status=PublicationStatus.DRAFT, title="Andere film")
    other = _draft_video(storyline=StorylineFactory(campaign=video.campaign))

    response = client.get(preview_url(video))
    elsewhere = client.get(
        other.get_absolute_url() + "&" + urlencode({"voorbeeld": preview_token(video)})
    )

    assert "Conceptfilm" in response.text
    assert "Andere film" not in response.text
    assert "gedeelde link" in response.text
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "Conceptfilm" not in elsewhere.text


def test_shared_link_of_a_film_does_not_open_its_draft_storyline(client):
    video = _draft_video(storyline=_draft_storyline())

    assert client.get(preview_url(video)).status_code == 404


# --- The intro of an audience page (a Page with the slug voor-ouders...) --------------


@pytest.mark.parametrize("slug", ["voor-ouders", "voor-scholen", "voor-bedrijven"])
def test_draft_intro_of_an_audience_page_is_previewed_and_hidden_from_visitors(
    client, coordinator, slug
):
    page = _draft_page(slug=slug, title="Nieuwe introductie")

    anonymous = client.get(page.get_absolute_url())
    shared = client.get(preview_url(page))
    client.force_login(coordinator)
    coordinator_view = client.get(page.get_absolute_url())

    assert anonymous.status_code == 200
    assert "Nieuwe introductie" not in anonymous.text
    assert BANNER not in anonymous.text
    for response in (shared, coordinator_view):
        assert "Nieuwe introductie" in response.text
        assert BANNER in response.text
        assert "no-store" in response["Cache-Control"]
    assert shared["X-Robots-Tag"].startswith("noindex")


# --- A previewed page shows its lists as they will be once it is public ----------------


def test_storyline_preview_shows_its_public_sessions_and_no_draft_session(client):
    storyline = _draft_storyline()
    SessionFactory(storyline=storyline, title="Openbare masterclass")
    _draft_session(storyline=storyline, title="Concept-masterclass")

    html = client.get(preview_url(storyline)).text

    assert "Openbare masterclass" in html
    assert "Concept-masterclass" not in html


def test_school_preview_shows_its_public_sessions_and_news_and_no_drafts(coordinator_client):
    school = _draft_school()
    SessionFactory(host_school=school, title="Openbare masterclass")
    _draft_session(host_school=school, title="Concept-masterclass")
    NewsItemFactory(school=school, title="Gepubliceerd bericht")
    _submitted_news(school=school, title="Ingestuurd bericht")

    html = coordinator_client.get(school.get_absolute_url()).text

    assert "Openbare masterclass" in html
    assert "Gepubliceerd bericht" in html
    assert "Concept-masterclass" not in html
    assert "Ingestuurd bericht" not in html


def test_sessions_and_news_of_a_draft_school_stay_hidden_elsewhere(client):
    school = _draft_school()
    SessionFactory(host_school=school, title="Openbare masterclass")
    NewsItemFactory(school=school, title="Gepubliceerd bericht")

    for url in (reverse("events:session-list"), reverse("schools:news-list"), reverse("home")):
        html = client.get(url).text
        assert "Openbare masterclass" not in html
        assert "Gepubliceerd bericht" not in html


# --- A masterclass round, previewed on the page for schools ---------------------------


def _draft_round_with_session():
    today = timezone.localdate()
    draft_round = MasterclassRoundFactory(
        status=PublicationStatus.DRAFT,
        name="Conceptronde",
        starts_on=today + dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=40),
    )
    SessionFactory(round=draft_round, title="Masterclass in de conceptronde")
    _draft_session(round=draft_round, title="Conceptsessie in de ronde")
    return draft_round


def test_anonymous_visitor_never_sees_a_draft_round_on_the_page_for_schools(client):
    draft_round = _draft_round_with_session()

    response = client.get(draft_round.get_absolute_url())

    assert response.status_code == 200
    assert "Conceptronde" not in response.text
    assert "Masterclass in de conceptronde" not in response.text
    assert BANNER not in response.text


def test_draft_round_is_previewed_with_its_public_sessions_by_link_and_by_coordinator(
    client, coordinator
):
    draft_round = _draft_round_with_session()

    shared = client.get(preview_url(draft_round))
    client.force_login(coordinator)
    coordinator_view = client.get(draft_round.get_absolute_url())

    for response in (shared, coordinator_view):
        assert "Conceptronde" in response.text
        assert "Masterclass in de conceptronde" in response.text
        assert "Conceptsessie in de ronde" not in response.text
        assert BANNER in response.text
        assert "no-store" in response["Cache-Control"]
