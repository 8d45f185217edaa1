"""The fragment cache (config.fragments): the parts of a page that are the same for every
visitor come from the shared cache until the content they show changes or reaches a
scheduled moment; visitors who may see something else always get them freshly rendered.

The full-page cache is off here (PAGE_CACHE_SECONDS = 0), so what a warm request saves is
the fragments' doing."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import content_version
from campaign.models import Storyline
from campaign.preview import preview_token
from campaign.publishing import PublicationStatus
from tests.campaign.test_history import form_data
from tests.config.test_page_cache import with_message
from tests.factories import (
    CampaignFactory,
    NewsItemFactory,
    RegionFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
    VideoFactory,
    add_care_campaign,
    make_image_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    # tests/conftest.py clears the cache before and after every test.
    settings.FRAGMENT_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _clocks_at_noon():
    """A fragment is kept until midnight at the latest (the daily turns): a test run in the
    last second of a day would find nothing kept. The clocks stand still at noon today."""
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    with (
        mock.patch("django.utils.timezone.now", return_value=noon),
        mock.patch("campaign.content_version.time.time", return_value=noon.timestamp()),
    ):
        yield


def get(client, path, **extra):
    """The response, its text and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def html(client, path, **extra) -> str:
    return get(client, path, **extra)[0]


def fragment_entries() -> dict:
    """Every fragment in the (local memory) cache, as stored: key → pickled entry."""
    backend = caches["default"]
    assert isinstance(backend, LocMemCache)
    return {key: value for key, value in backend._cache.items() if ":fragment:" in key}


def reads(queries, table: str) -> bool:
    return any(f'FROM "{table}"' in sql for sql in queries)


@pytest.fixture
def primary():
    return CampaignFactory(name="Techniek doet het")


@pytest.fixture
def home_content(primary):
    """Something in every list of the home page's body."""
    storyline = StorylineFactory(title="Robots bouwen")
    VideoFactory(storyline=storyline, title="Robotfilm")
    SessionFactory(storyline=storyline, title="Robotles")
    NewsItemFactory(title="Open lessen op het Zuiderlicht")
    RegionFactory(name="Regio Zuidwoud")
    return storyline


def anonymous_home() -> str:
    return html(Client(), reverse("home"))


# ---------------------------------------------------------------- warm and identical


def test_the_home_page_a_second_time_costs_no_query_and_is_the_same_page(
    client, home_content, django_assert_num_queries
):
    first, first_queries = get(client, reverse("home"))
    assert reads(first_queries, "campaign_storyline") and reads(first_queries, "schools_newsitem")
    # The header (in two, around the search form), the body and the footer.
    assert len(fragment_entries()) == 4
    with django_assert_num_queries(0):
        second = client.get(reverse("home"))
    assert second.content.decode() == first
    for shown in ("Robots bouwen", "Robotfilm", "Robotles", "Open lessen op het Zuiderlicht"):
        assert shown in first
    assert "Regio Zuidwoud" in first  # the footer


# ------------------------------------------------------------------ no stale page


def test_a_save_shows_on_the_next_anonymous_home_page(
    home_content, django_capture_on_commit_callbacks
):
    assert "Robots bouwen" in anonymous_home()
    with django_capture_on_commit_callbacks(execute=True):
        home_content.title = "Robots programmeren"
        home_content.save()
    page = anonymous_home()
    assert "Robots programmeren" in page and "Robots bouwen" not in page


def test_a_coordinators_change_in_the_admin_shows_on_the_next_anonymous_home_page(
    coordinator_client, home_content, django_capture_on_commit_callbacks
):
    assert "Robots bouwen" in anonymous_home()
    url = reverse("admin:campaign_storyline_change", args=[home_content.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url,
            form_data(
                coordinator_client.get(url),
                title="Robots in de zorg",
                # A published storyline needs one (the factory leaves it out).
                hero_image=make_image_file(),
                hero_image_alt="Een robotarm",
            ),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = anonymous_home()
    assert "Robots in de zorg" in page and "Robots bouwen" not in page


def test_an_admin_action_that_updates_in_bulk_shows_on_the_next_anonymous_home_page(
    coordinator_client, home_content, django_capture_on_commit_callbacks
):
    # "Terugzetten naar concept" is a QuerySet.update(): no signal, only the admin post
    # starts a new content version (config.pagecache.PageCacheMiddleware).
    assert "Robots bouwen" in anonymous_home()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:campaign_storyline_changelist"),
            {"action": "make_draft", "_selected_action": [home_content.pk]},
        )
    assert response.status_code == 302
    home_content.refresh_from_db()
    assert home_content.status == PublicationStatus.DRAFT
    assert "Robots bouwen" not in anonymous_home()


# ------------------------------------------------------------------------ the clock


def travel(moment):
    return (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("campaign.content_version.time.time", return_value=moment.timestamp()),
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda when: StorylineFactory(title="Groene techniek", published_at=when),
        lambda when: NewsItemFactory(title="Groene techniek", published_at=when),
    ],
    ids=["storyline", "news"],
)
def test_something_published_later_shows_on_the_home_page_at_its_time(client, home_content, make):
    # Sooner than FRAGMENT_CACHE_SECONDS: the kept body must end at the publication itself.
    later = make(timezone.now() + dt.timedelta(minutes=2))
    assert "Groene techniek" not in html(client, reverse("home"))
    page, queries = get(client, reverse("home"))
    assert queries == [] and "Groene techniek" not in page  # kept meanwhile
    now, clock = travel(later.published_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Groene techniek" in html(client, reverse("home"))


def test_a_storyline_going_offline_leaves_the_home_page_at_its_time(client, home_content):
    home_content.unpublish_at = timezone.now() + dt.timedelta(minutes=2)
    home_content.save()
    assert "Robots bouwen" in html(client, reverse("home"))
    assert get(client, reverse("home"))[1] == []  # kept meanwhile
    now, clock = travel(home_content.unpublish_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Robots bouwen" not in html(client, reverse("home"))


# ------------------------------------------------ visitors who may see something else


def test_coordinators_messages_and_unknown_parameters_get_fragments_rendered_fresh(
    client, coordinator, home_content
):
    """A change without a signal (``QuerySet.update``) starts no content version: anonymous
    visitors keep getting the kept body, the others see the row as it is now."""
    home = reverse("home")
    assert "Robots bouwen" in html(client, home)
    kept = fragment_entries()
    Storyline.objects.filter(pk=home_content.pk).update(title="Robots besturen")
    assert "Robots bouwen" in html(client, home)  # from the cache

    logged_in = Client()
    logged_in.force_login(coordinator)
    for visitor, path in [
        (logged_in, home),
        (with_message(Client()), home),
        (Client(), home + "?voorbeeld=abc"),
        (Client(), home + "?utm_source=linkedin"),
        (Client(), home + "?voor=" + "x" * 200),  # an allowed name with a made-up value
    ]:
        page = html(visitor, path)
        assert "Robots besturen" in page and "Robots bouwen" not in page, path
    assert fragment_entries() == kept  # none of them read or replaced a fragment
    assert "Robots bouwen" in html(client, home)


def test_a_campaign_preview_is_rendered_fresh_and_never_kept(
    client, coordinator_client, home_content
):
    draft = CampaignFactory(name="Zorg doet het", status=PublicationStatus.DRAFT)
    concept = StorylineFactory(campaign=draft, title="Zorgrobots")
    html(Client(), reverse("home"))
    kept = fragment_entries()
    path = reverse("home") + f"?campagne={draft.pk}"
    shared = Client()
    shared_path = f"{path}&voorbeeld={preview_token(draft)}"
    for visitor, url in [(coordinator_client, path), (shared, shared_path)]:
        assert "Zorgrobots" in html(visitor, url)
    Storyline.objects.filter(pk=concept.pk).update(title="Zorgrobots in huis")
    for visitor, url in [(coordinator_client, path), (shared, shared_path)]:
        page = html(visitor, url)
        assert "Zorg doet het" in page and "Zorgrobots in huis" in page, url
    assert fragment_entries() == kept
    assert "Zorgrobots" not in anonymous_home()


# ------------------------------------------------------------------------ vary values


def current_links(page: str) -> set:
    return set(re.findall(r'<a href="([^"]+)" aria-current="[^"]+"', page))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("campaign:storyline-list", "schools:school-list"),
        ("audience-parents", "audience-schools"),  # one namespace, another page
    ],
)
def test_the_menu_marks_the_page_one_is_on(client, home_content, first, second):
    for _ in range(2):  # rendered, then from the cache
        for name in (first, second):
            assert current_links(html(client, reverse(name))) == {reverse(name)}


def footer(page: str) -> str:
    return re.search(r'<footer class="site-footer">.*</footer>', page, re.DOTALL)[0]


def test_two_campaigns_do_not_share_the_home_body_or_the_footer(client, home_content):
    add_care_campaign(host_school=SchoolFactory())
    for _ in range(2):  # rendered, then from the cache
        primary_home, queries = get(client, reverse("home"))
        care_home, care_queries = get(client, "/zorg/")
        assert "Robots bouwen" in primary_home and "Zorgtechniek" not in primary_home
        assert "Zorgtechniek" in care_home and "Robots bouwen" not in care_home
        assert "Techniek doet het" in footer(primary_home)
        assert "Zorg doet ertoe" in footer(care_home)
        assert "Zorg doet ertoe" not in footer(primary_home)
    assert queries == care_queries == []  # both came from the cache the second time


# -------------------------------------------------------------------- without a cache


def test_the_page_renders_when_the_cache_is_away(client, home_content, caplog):
    html(client, reverse("home"))
    Storyline.objects.filter(pk=home_content.pk).update(title="Robots besturen")
    with (
        mock.patch.object(content_version.cache, "get", side_effect=ConnectionError),
        mock.patch.object(content_version.cache, "get_many", side_effect=ConnectionError),
    ):
        page = html(client, reverse("home"))
    assert "Robots besturen" in page  # rendered, not the kept body
    assert "Cache unavailable for fragment:" in caplog.text


def test_the_page_renders_when_the_cache_cannot_keep_a_fragment(client, home_content, caplog):
    keep = content_version.cache.set

    def refuse_fragments(key, *args, **kwargs):
        if ":fragment:" in key:
            raise ConnectionError
        return keep(key, *args, **kwargs)

    with mock.patch.object(content_version.cache, "set", side_effect=refuse_fragments):
        page = html(client, reverse("home"))
    assert "Robots bouwen" in page
    assert "Could not keep fragment:" in caplog.text
    assert fragment_entries() == {}


def test_nothing_is_kept_nor_looked_up_when_fragments_are_off(client, home_content, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    with mock.patch.object(content_version.cache, "get", wraps=content_version.cache.get) as one:
        html(client, reverse("home"))
        page, queries = get(client, reverse("home"))
    assert "Robots bouwen" in page
    assert reads(queries, "campaign_storyline")  # the body, read again
    assert fragment_entries() == {}
    asked = [call.args[0] for call in one.call_args_list]
    assert not [key for key in asked if ":fragment:" in key]


# ------------------------------------------------------------ the process's own store


def shared_cache_reads(client, path):
    """The page and the keys it read from the shared cache."""
    with (
        mock.patch.object(content_version.cache, "get", wraps=content_version.cache.get) as one,
        mock.patch.object(
            content_version.cache, "get_many", wraps=content_version.cache.get_many
        ) as many,
    ):
        page = html(client, path)
    keys = [call.args[0] for call in one.call_args_list]
    keys += [key for call in many.call_args_list for key in call.args[0]]
    return page, keys


def test_a_warm_request_reads_the_version_once_and_the_parts_from_the_process(client, home_content):
    html(client, reverse("home"))
    page, keys = shared_cache_reads(client, reverse("home"))
    assert "Robots bouwen" in page
    assert keys.count(content_version.VERSION_KEY) == 1
    assert not [key for key in keys if key.startswith(("kept:", "site:"))]


def test_a_write_by_another_process_shows_although_this_process_holds_the_old_parts(
    client, home_content
):
    html(client, reverse("home"))
    Storyline.objects.filter(pk=home_content.pk).update(title="Robots besturen")
    # Another app server saved: it started a new version in the shared cache; this
    # process still holds the parts of the old one.
    content_version.cache.set(content_version.VERSION_KEY, "written-elsewhere", None)
    page, keys = shared_cache_reads(client, reverse("home"))
    assert "Robots besturen" in page and "Robots bouwen" not in page
    assert [key for key in keys if key.startswith("kept:fragment:")]  # looked up, not held


def test_the_process_store_hands_out_copies_and_forgets_the_oldest():
    store = content_version._Local(2)
    expires = timezone.now().timestamp() + 60
    store.put("a", "v1", expires, ["Robots"])
    first = store.get("a", "v1")
    first.append("Zorg")
    assert store.get("a", "v1") == ["Robots"]  # a copy: one request cannot change another's
    assert store.get("a", "v2") is None  # another version
    store.put("b", "v1", expires, "<p>b</p>")
    store.get("a", "v1")  # used: now the newest
    store.put("c", "v1", expires, "<p>c</p>")
    assert store.get("b", "v1") is None  # the least recently used went
    assert store.get("a", "v1") == ["Robots"] and store.get("c", "v1") == "<p>c</p>"
    store.put("d", "v1", expires - 120, "<p>d</p>")
    assert store.get("d", "v1") is None  # expired
