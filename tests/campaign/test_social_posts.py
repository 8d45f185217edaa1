import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from campaign.models import SocialPost, monday_of
from tests.factories import NewsItemFactory, SessionFactory, SocialPostFactory

pytestmark = pytest.mark.django_db


def test_posted_post_needs_the_url_of_the_real_post_when_validated():
    post = SocialPostFactory.build(status=SocialPost.Status.POSTED, posted_url="")

    with pytest.raises(ValidationError) as error:
        post.full_clean(exclude=["campaign"])

    assert error.value.messages == [
        "Geef de link naar het geplaatste bericht als het geplaatst is."
    ]


def test_posted_post_is_valid_when_it_has_the_url_of_the_real_post():
    post = SocialPostFactory(
        status=SocialPost.Status.POSTED,
        posted_url="https://www.linkedin.com/feed/update/urn:li:activity:7/",
    )

    post.full_clean()


def test_planned_week_is_rejected_when_it_is_not_a_monday():
    post = SocialPostFactory.build(planned_week=dt.date(2026, 12, 3))

    with pytest.raises(ValidationError) as error:
        post.full_clean(exclude=["campaign"])

    assert error.value.message_dict["planned_week"] == [
        "Kies de maandag van de week waarin het bericht gepland is."
    ]


def test_monday_of_gives_the_monday_of_the_iso_week():
    assert monday_of(dt.date(2026, 12, 3)) == dt.date(2026, 11, 30)
    assert monday_of(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)
    assert monday_of(dt.date(2026, 12, 6)) == dt.date(2026, 11, 30)


@pytest.mark.parametrize("story_factory", [NewsItemFactory, SessionFactory])
def test_post_remembers_the_story_it_comes_from_when_it_lives_in_another_app(story_factory):
    story = story_factory()

    post = SocialPostFactory(story=story)
    post.refresh_from_db()

    assert post.story == story
    assert post.story_type == ContentType.objects.get_for_model(story)


def test_featured_list_is_rejected_when_it_is_not_label_and_pk_pairs():
    post = SocialPostFactory.build(featured=[{"school": 1}])

    with pytest.raises(ValidationError) as error:
        post.full_clean(exclude=["campaign"])

    assert error.value.message_dict["featured"] == [
        "Ongeldige lijst van scholen en bedrijven in beeld."
    ]


def test_featured_list_is_valid_when_it_holds_label_and_pk_pairs():
    post = SocialPostFactory(featured=[["schools.school", 3], ["companies.company", 5]])
    post.refresh_from_db()

    post.full_clean()
    assert post.featured == [["schools.school", 3], ["companies.company", 5]]


@pytest.mark.django_db(transaction=True)
def test_migration_turns_old_rows_into_the_weekly_plan_without_breaking_the_url_rule():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("campaign", "0007_add_unpublish_at_offline_vanaf")]
    after = [("campaign", "0010_socialpost_posted_needs_url")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        campaign = old_apps.get_model("campaign", "Campaign").objects.create(
            name="Techniek doet het", slug="techniek"
        )
        OldPost = old_apps.get_model("campaign", "SocialPost")
        common = {"campaign": campaign, "channel": "linkedin", "audience": "company", "text": "x"}
        OldPost.objects.create(
            title="idee",
            status="idea",
            planned_for=dt.datetime(2026, 12, 3, 8, 30, tzinfo=dt.UTC),
            **common,
        )
        OldPost.objects.create(
            title="met link", status="posted", link_url="https://example.org/a", **common
        )
        OldPost.objects.create(title="zonder link", status="posted", **common)

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    posts = {post.title: post for post in SocialPost.objects.all()}
    assert posts["idee"].status == SocialPost.Status.PLANNED
    assert posts["idee"].planned_week == dt.date(2026, 11, 30)
    assert posts["met link"].status == SocialPost.Status.POSTED
    assert posts["met link"].posted_url == "https://example.org/a"
    assert posts["zonder link"].status == SocialPost.Status.READY
