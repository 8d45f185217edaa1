"""The storyline and school pages with the fragment cache on: the row and the body kept for
everyone per content version and until the next change by the clock (config.fragments,
campaign.content_version.kept_for_everyone)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from campaign.models import Audience, Storyline
from campaign.preview import preview_url
from campaign.publishing import PublicationStatus
from tests.config.test_fragments import (  # noqa: F401 - the autouse fixtures apply here too
    _clocks_at_noon,
    _fragments_on,
    get,
    html,
    travel,
)
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    NewsItemFactory,
    OpenDayFactory,
    SchoolFactory,
    SessionFactory,
    StorylineFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def storyline():
    CampaignFactory(name="Techniek doet het")
    storyline = StorylineFactory(title="Robotica", slug="robotica")
    AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL, headline="Bouw een robot")
    AudienceMessageFactory(
        storyline=storyline, audience=Audience.PARENT, headline="Wat leert uw kind?"
    )
    school = SchoolFactory(name="Het Robotcollege")
    school.storylines.add(storyline)
    SessionFactory(storyline=storyline, title="Robotles")
    return storyline


@pytest.fixture
def school():
    CampaignFactory(name="Techniek doet het")
    return SchoolFactory(name="Het Zuiderlicht", slug="zuiderlicht")


def test_a_storyline_page_a_second_time_costs_no_query_and_is_the_same_page(client, storyline):
    path = storyline.get_absolute_url()
    first, queries = get(client, path)
    assert queries and "Bouw een robot" in first and "Het Robotcollege" in first
    assert "Robotles" in first
    second, queries = get(client, path)
    assert queries == [] and second == first


def test_each_audience_version_of_a_storyline_is_kept_apart(client, storyline):
    path = storyline.get_absolute_url()
    for _ in range(2):  # fresh, then kept
        pupils = html(client, path)
        parents = html(client, path + "?voor=ouders")
        assert 'id="panel-ouders" hidden' not in parents and 'id="panel-ouders" hidden' in pupils
        assert 'aria-current="true">Voor ouders' in parents
        assert 'aria-current="true">Voor jou' in pupils
    # A made-up audience is the pupils' version, not a variant of its own.
    assert html(client, path + "?voor=niemand") == pupils


def test_a_save_shows_on_the_next_storyline_page(
    client, storyline, django_capture_on_commit_callbacks
):
    path = storyline.get_absolute_url()
    html(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        storyline.title = "Robots en drones"
        storyline.save()
        SessionFactory(storyline=storyline, title="Dronevliegen")
    page = html(client, path)
    assert "Robots en drones" in page and "Dronevliegen" in page


def test_a_storyline_taken_offline_is_gone_at_once(client, storyline):
    path = storyline.get_absolute_url()
    html(client, path)
    Storyline.objects.filter(pk=storyline.pk).update(status=PublicationStatus.DRAFT)
    # A bulk update sends no signal: the kept row is still served to the public...
    assert "Robotica" in html(client, path)
    storyline.refresh_from_db()
    storyline.save()  # ...until a save starts a new content version.
    assert client.get(path).status_code == 404


def test_a_storyline_going_offline_later_is_gone_at_its_time(client, storyline):
    storyline.unpublish_at = timezone.now() + dt.timedelta(minutes=3)
    storyline.save()
    path = storyline.get_absolute_url()
    html(client, path)
    assert get(client, path)[1] == []
    now, clock = travel(storyline.unpublish_at + dt.timedelta(seconds=1))
    with now, clock:
        assert client.get(path).status_code == 404


def test_a_coordinator_previews_a_draft_storyline_past_the_kept_rows(
    client, coordinator, storyline
):
    draft = StorylineFactory(title="Drones", slug="drones", status=PublicationStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    html(client, storyline.get_absolute_url())  # something kept
    logged_in = Client()
    logged_in.force_login(coordinator)
    page = html(logged_in, preview_url(draft))
    assert "Drones" in page
    # The public still sees no draft, and the preview kept nothing for it.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_school_page_a_second_time_costs_no_query_and_is_the_same_page(client, school):
    OpenDayFactory(school=school, title="Open avond")
    NewsItemFactory(school=school, title="Lasrobot in de werkplaats")
    first, queries = get(client, school.get_absolute_url())
    assert queries and "Open avond" in first and "Lasrobot in de werkplaats" in first
    second, queries = get(client, school.get_absolute_url())
    assert queries == [] and second == first


def test_each_school_page_is_its_own(client, school):
    other = SchoolFactory(name="De Kwekerij", slug="kwekerij")
    for _ in range(2):
        assert "Het Zuiderlicht</h1>" in html(client, school.get_absolute_url())
        assert "De Kwekerij</h1>" in html(client, other.get_absolute_url())


def test_news_of_the_school_shows_on_its_page_after_the_save(client, school):
    html(client, school.get_absolute_url())
    NewsItemFactory(school=school, title="Nieuwe werkplaats open")
    assert "Nieuwe werkplaats open" in html(client, school.get_absolute_url())


def test_an_open_day_that_has_ended_leaves_the_school_page_at_its_end(client, school):
    day = OpenDayFactory(
        school=school,
        title="Open avond",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert "Open avond" in html(client, school.get_absolute_url())
    assert get(client, school.get_absolute_url())[1] == []  # kept meanwhile
    now, clock = travel(day.ends_at + dt.timedelta(seconds=1))
    with now, clock:
        assert "Open avond" not in html(client, school.get_absolute_url())
