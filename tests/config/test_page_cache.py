"""The full-page cache (config.pagecache): anonymous pages come from the cache until the
content they show changes or reaches a scheduled moment; nothing personal is ever kept."""

import datetime as dt
import gzip
import re
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Storyline
from campaign.region import RegionPartner
from config.pagecache import PageCacheMiddleware
from tests.factories import CampaignFactory, RegionFactory, SessionFactory, StorylineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()


def with_message(client) -> Client:
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Dank u, uw bericht is ontvangen.")
    response = HttpResponse()
    storage.update(response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    return client


def get(client, path, **extra):
    """The response and how many queries it cost (0: it came from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


@pytest.fixture
def storyline():
    CampaignFactory()
    return StorylineFactory(title="Robots bouwen")


def test_anonymous_page_comes_from_the_cache_when_nothing_changed(client, storyline):
    path = storyline.get_absolute_url()
    first, first_queries = get(client, path)
    second, second_queries = get(client, path)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_a_save_shows_on_the_next_anonymous_request(
    client, storyline, django_capture_on_commit_callbacks
):
    path = storyline.get_absolute_url()
    get(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        storyline.title = "Robots programmeren"
        storyline.save()
    response, queries = get(client, path)
    assert queries > 0 and "Robots programmeren" in response.content.decode()


def test_a_coordinator_post_in_the_admin_shows_on_the_next_anonymous_request(
    client, storyline, admin_user, django_capture_on_commit_callbacks
):
    path = storyline.get_absolute_url()
    get(client, path)
    # Admin actions update rows in bulk, which sends no signal: the admin post counts.
    Storyline.objects.filter(pk=storyline.pk).update(title="Robots in de zorg")
    assert "Robots in de zorg" not in get(client, path)[0].content.decode()
    coordinator = Client()
    coordinator.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("admin:campaign_storyline_changelist"),
            {"action": "delete_selected", "_selected_action": []},
        )
    assert "Robots in de zorg" in get(client, path)[0].content.decode()


def test_a_scheduled_publication_shows_at_its_time(client, storyline):
    # Sooner than PAGE_CACHE_SECONDS: the cached page must end at the publication itself.
    later = StorylineFactory(
        title="Groene techniek", published_at=timezone.now() + dt.timedelta(minutes=2)
    )
    path = reverse("campaign:storyline-list")
    response, _ = get(client, path)
    assert "Groene techniek" not in response.content.decode()
    assert get(client, path)[1] == 0  # cached meanwhile
    moment = later.published_at + dt.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("config.pagecache.time.time", return_value=moment.timestamp()),
    ):
        response, queries = get(client, path)
    assert queries > 0 and "Groene techniek" in response.content.decode()


def test_pages_are_kept_again_once_a_scheduled_moment_has_passed(client, storyline):
    later = StorylineFactory(published_at=timezone.now() + dt.timedelta(minutes=2))
    path = reverse("campaign:storyline-list")
    get(client, path)
    for seconds, cached in ((1, False), (2, True)):
        moment = later.published_at + dt.timedelta(seconds=seconds)
        with (
            mock.patch("django.utils.timezone.now", return_value=moment),
            mock.patch("config.pagecache.time.time", return_value=moment.timestamp()),
        ):
            assert (get(client, path)[1] == 0) is cached


def test_an_unpublication_time_ends_the_cached_page(client, storyline):
    storyline.unpublish_at = timezone.now() + dt.timedelta(minutes=2)
    storyline.save()
    path = reverse("campaign:storyline-list")
    assert "Robots bouwen" in get(client, path)[0].content.decode()
    moment = storyline.unpublish_at + dt.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("config.pagecache.time.time", return_value=moment.timestamp()),
    ):
        assert "Robots bouwen" not in get(client, path)[0].content.decode()


def test_a_page_with_a_form_is_never_kept_and_no_visitor_gets_another_ones_token(client):
    CampaignFactory()
    session = SessionFactory()
    path = session.get_absolute_url()
    first = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.content.decode())
    assert token and "csrftoken" in first.cookies
    other = Client()
    second, queries = get(other, path)
    assert queries > 0
    assert token.group(1) not in second.content.decode()
    assert "csrftoken" in second.cookies


def test_logged_in_visitors_and_previews_never_get_a_cached_page(client, storyline, admin_user):
    path = storyline.get_absolute_url()
    get(client, path)
    coordinator = Client()
    coordinator.force_login(admin_user)
    assert get(coordinator, path)[1] > 0
    assert get(client, path + "?voorbeeld=abc")[1] > 0
    assert get(client, path + "?utm_source=linkedin")[1] > 0
    assert get(client, path + "?voor=" + "x" * 200)[1] > 0
    assert get(client, path + "?voor=ouders")[1] > 0  # kept from here on
    assert get(client, path + "?voor=ouders")[1] == 0
    assert get(client, path)[1] == 0


def test_a_visitor_with_a_message_waiting_gets_no_cached_page(client, storyline):
    path = storyline.get_absolute_url()
    get(client, path)
    assert get(with_message(client), path)[1] > 0


@pytest.mark.parametrize(
    ("headers", "kept"),
    [
        ({}, True),
        ({"Content-Security-Policy": "script-src 'self' 'nonce-abc123'"}, False),
        ({"Cache-Control": "no-cache, no-store, must-revalidate, private"}, False),
        # Set when a view looked at the (absent) session: nothing personal in it.
        ({"Vary": "Accept-Language, Cookie"}, True),
    ],
)
def test_a_response_with_a_nonce_or_private_headers_is_never_kept(headers, kept):
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("<p>hallo</p>")
        for name, value in headers.items():
            response[name] = value
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get("/verhaallijnen/"))
    assert len(calls) == (1 if kept else 2)


def test_a_response_that_sets_a_cookie_is_never_kept():
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("<p>hallo</p>")
        response.set_cookie("csrftoken", "secret")
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get("/verhaallijnen/"))
    assert len(calls) == 2


# ------------------------------------------------ with the region, campaigns, gzip, ETags


def test_the_region_and_its_partners_show_on_the_next_anonymous_request(
    client, storyline, django_capture_on_commit_callbacks
):
    # The region lives in campaign/region.py, outside campaign.models: its writes count too.
    path = storyline.get_absolute_url()
    get(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        region = RegionFactory(name="Regio Zuidwoud")
    response, queries = get(client, path)
    assert queries > 0 and "Regio Zuidwoud" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        RegionPartner.objects.create(region=region, name="Zuidwouder Techniekfonds")
    response, queries = get(client, path)
    assert queries > 0 and "Zuidwouder Techniekfonds" in response.content.decode()


def test_a_campaign_published_later_shows_at_its_time(client, storyline):
    care = CampaignFactory(
        name="Zorg doet ertoe", slug="zorg", published_at=timezone.now() + dt.timedelta(minutes=2)
    )
    StorylineFactory(campaign=care, slug="zorg-thuis", title="Zorgtechniek")
    assert get(client, "/zorg/")[0].status_code == 404
    home, _ = get(client, "/")
    assert get(client, "/")[1] == 0  # cached meanwhile
    moment = care.published_at + dt.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("config.pagecache.time.time", return_value=moment.timestamp()),
    ):
        response, queries = get(client, "/zorg/")
        assert response.status_code == 200 and "Zorgtechniek" in response.content.decode()
        assert get(client, "/")[1] > 0  # the page that was kept until that moment


def test_figures_and_contributions_keep_the_pages(client, storyline):
    # Rows no public page shows (events.figures, companies.Contribution) start no version.
    from companies.models import Contribution
    from config.pagecache import NOT_SHOWN, _is_content
    from events.models import ParticipationCount, Registration

    assert {"ParticipationCount", "Contribution"} <= NOT_SHOWN
    assert not _is_content(ParticipationCount) and not _is_content(Contribution)
    assert _is_content(Registration)  # a sign-up changes the free seats on public pages


def test_gzip_and_plain_clients_both_get_a_valid_page_from_the_cache(client, storyline):
    path = storyline.get_absolute_url()
    plain, _ = get(client, path)
    zipped, queries = get(client, path, HTTP_ACCEPT_ENCODING="gzip")
    assert queries == 0  # from the cache, kept uncompressed
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    again, queries = get(client, path)
    assert queries == 0 and not again.has_header("Content-Encoding")
    assert again.content == plain.content


def test_a_cached_page_answers_a_conditional_request_with_304(client, storyline):
    path = storyline.get_absolute_url()
    first, _ = get(client, path)
    etag = first["ETag"]
    response, queries = get(client, path, HTTP_IF_NONE_MATCH=etag)
    assert queries == 0 and response.status_code == 304
    Storyline.objects.filter(pk=storyline.pk).update(title="Anders")
    from config.pagecache import new_version

    new_version()
    changed, queries = get(client, path, HTTP_IF_NONE_MATCH=etag)
    assert queries > 0 and changed.status_code == 200 and changed["ETag"] != etag
