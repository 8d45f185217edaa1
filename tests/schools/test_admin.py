import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import NewsItem, OpenDay, School
from tests.factories import (
    NewsItemFactory,
    OpenDayFactory,
    SchoolFactory,
    StorylineFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db


def make_school():
    school = SchoolFactory()
    school.storylines.add(StorylineFactory(), StorylineFactory())
    OpenDayFactory(school=school)
    return school


FACTORIES = {School: make_school, OpenDay: OpenDayFactory, NewsItem: NewsItemFactory}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_schools_model_is_covered_when_registered_in_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "schools"}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_coordinator_gets_changelist_add_and_change_page_when_in_group(coordinator_client, model):
    obj = FACTORIES[model]()

    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_changelist_query_count_stays_the_same_when_ten_times_more_rows(
    coordinator_client, django_assert_num_queries, model
):
    FACTORIES[model]()
    url = admin_url(model, "changelist")
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as one_row:
        assert coordinator_client.get(url).status_code == 200

    expected = len(one_row.captured_queries)  # read before the next request resets the log
    for _ in range(9):
        FACTORIES[model]()
    coordinator_client.get(url)  # warm: the site data, read again after the writes
    with django_assert_num_queries(expected):
        response = coordinator_client.get(url)
    assert response.context["cl"].result_count == model.objects.count() >= 10


def school_post_data(**overrides):
    data = {
        "name": "Martinuscollege",
        "slug": "martinuscollege",
        "profile": "technical",
        "summary": "",
        "description": "<p>Veel praktijk.</p>",
        "learning_paths": "",
        "street_address": "Schoolstraat 1",
        "postal_code": "1621 AB",
        "town": "Grootebroek",
        "website": "",
        "email": "",
        "phone": "",
        "contact_name": "",
        "contact_email": "",
        "photo_alt": "",
        "status": "published",
        "published_at_0": "2027-01-10",
        "published_at_1": "09:00",
        "open_days-TOTAL_FORMS": "0",
        "open_days-INITIAL_FORMS": "0",
        "open_days-MIN_NUM_FORMS": "0",
        "open_days-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def open_day(index, starts, ends):
    prefix = f"open_days-{index}-"
    return {
        f"{prefix}title": "Open dag",
        f"{prefix}starts_at_0": starts[0],
        f"{prefix}starts_at_1": starts[1],
        f"{prefix}ends_at_0": ends[0],
        f"{prefix}ends_at_1": ends[1],
        f"{prefix}description": "",
        f"{prefix}signup_url": "",
    }


def test_school_add_saves_open_days_when_input_valid(coordinator_client):
    data = school_post_data(
        **{"open_days-TOTAL_FORMS": "1"},
        **open_day(0, ("2027-02-01", "18:00"), ("2027-02-01", "21:00")),
    )

    response = coordinator_client.post(admin_url(School, "add"), data)

    assert response.status_code == 302
    assert School.objects.get().open_days.count() == 1


def test_school_add_shows_form_error_when_open_day_ends_before_start(coordinator_client):
    data = school_post_data(
        **{"open_days-TOTAL_FORMS": "1"},
        **open_day(0, ("2027-02-01", "18:00"), ("2027-02-01", "17:00")),
    )

    response = coordinator_client.post(admin_url(School, "add"), data)

    assert response.status_code == 200
    assert "Het einde moet na het begin liggen." in response.content.decode()
    assert not School.objects.exists()
    assert not OpenDay.objects.exists()


def test_school_add_shows_form_error_when_slug_taken(coordinator_client):
    SchoolFactory(slug="martinuscollege")

    response = coordinator_client.post(admin_url(School, "add"), school_post_data())

    assert response.status_code == 200
    assert "Er bestaat al een School met eenzelfde Slug." in response.content.decode()
    assert School.objects.count() == 1


def test_school_add_shows_form_error_when_photo_has_no_alt(coordinator_client):
    response = coordinator_client.post(
        admin_url(School, "add"), school_post_data(photo=make_image_file())
    )

    assert response.status_code == 200
    assert "Geef een alt-tekst bij de foto." in response.content.decode()
    assert not School.objects.exists()


def test_school_change_page_shows_submission_code_and_editor_when_opened(coordinator_client):
    school = SchoolFactory()

    html = coordinator_client.get(admin_url(School, "change", school.pk)).content.decode()

    assert f"/nieuws/insturen/{school.submission_token}/" in html
    assert "django-ckeditor-widget" in html
    assert "viewsitelink" in html


def test_renew_action_gives_new_submission_code_when_school_selected(coordinator_client):
    school = SchoolFactory()
    old_token = school.submission_token

    coordinator_client.post(
        admin_url(School, "changelist"),
        {"action": "renew_submission_token", "_selected_action": [school.pk]},
    )

    school.refresh_from_db()
    assert school.submission_token != old_token


def test_publish_action_publishes_school_when_selected(coordinator_client):
    school = SchoolFactory(status="draft")

    coordinator_client.post(
        admin_url(School, "changelist"), {"action": "publish", "_selected_action": [school.pk]}
    )

    assert list(School.objects.published()) == [school]


def news_post_data(**overrides):
    data = {
        "school": "",
        "title": "Robotwedstrijd gewonnen",
        "slug": "robotwedstrijd-gewonnen",
        "summary": "",
        "body": "<p>Het hele verhaal.</p>",
        "image_alt": "",
        "submitter_name": "",
        "submitter_email": "",
        "status": "published",
        "rejection_reason": "",
        "published_at_0": "",
        "published_at_1": "",
    }
    data.update(overrides)
    return data


def test_news_add_publishes_now_when_publish_button_used_without_date(
    coordinator_client, mailoutbox
):
    data = news_post_data(_publish="Opslaan en publiceren")

    response = coordinator_client.post(admin_url(NewsItem, "add"), data)

    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.status == NewsItem.Status.PUBLISHED
    assert NewsItem.objects.published().filter(pk=item.pk).exists()


def test_news_add_stays_draft_when_saved_without_publish_button(coordinator_client):
    coordinator_client.post(admin_url(NewsItem, "add"), news_post_data(status="published"))

    # Status is not a form field: only the moderation buttons change it.
    assert NewsItem.objects.get().status == NewsItem.Status.DRAFT


def test_news_reject_shows_form_error_when_reason_missing(coordinator_client, mailoutbox):
    item = NewsItemFactory(status="submitted", published_at=None, slug="robotwedstrijd-gewonnen")

    response = coordinator_client.post(
        admin_url(NewsItem, "change", item.pk), news_post_data(_reject="Afwijzen met reden")
    )

    assert response.status_code == 200
    assert "Schrijf op waarom je het bericht afwijst" in response.content.decode()
    item.refresh_from_db()
    assert item.status == NewsItem.Status.SUBMITTED
    assert mailoutbox == []


def test_news_changelist_filters_by_status_when_chosen(coordinator_client):
    submitted = NewsItemFactory(status="submitted", published_at=None)
    NewsItemFactory()

    response = coordinator_client.get(
        admin_url(NewsItem, "changelist"), {"status__exact": "submitted"}
    )

    assert list(response.context["cl"].result_list) == [submitted]
