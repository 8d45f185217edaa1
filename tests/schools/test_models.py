"""Schools, open days and news: the database and full_clean() both enforce the rules."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.utils import timezone

from schools.models import NewsItem, OpenDay, School
from tests.factories import NewsItemFactory, OpenDayFactory, SchoolFactory, make_image_file

pytestmark = pytest.mark.django_db

END_BEFORE_START = "Het einde moet na het begin liggen."
SOON = timezone.now() + dt.timedelta(days=3)

CHECK_VIOLATIONS = [
    pytest.param(
        "school_photo_has_alt",
        SchoolFactory,
        {"photo": "schools/photos/foto.jpg", "photo_alt": ""},
        id="school-photo-without-alt",
    ),
    pytest.param(
        "open_day_ends_after_start",
        OpenDayFactory,
        {
            "starts_at": SOON,
            "ends_at": SOON,
        },
        id="open-day-ends-at-start",
    ),
    pytest.param(
        "open_day_ends_after_start",
        OpenDayFactory,
        {
            "starts_at": SOON,
            "ends_at": SOON - dt.timedelta(hours=1),
        },
        id="open-day-ends-before-start",
    ),
    pytest.param(
        "news_published_has_date",
        NewsItemFactory,
        {"status": NewsItem.Status.PUBLISHED, "published_at": None},
        id="news-published-without-date",
    ),
    pytest.param(
        "news_rejected_has_reason",
        NewsItemFactory,
        {"status": NewsItem.Status.REJECTED, "rejection_reason": ""},
        id="news-rejected-without-reason",
    ),
    pytest.param(
        "news_image_has_alt",
        NewsItemFactory,
        {"image": "news/foto.jpg", "image_alt": ""},
        id="news-image-without-alt",
    ),
]


def test_every_schools_constraint_is_tested_and_exists_in_database_when_migrated():
    models = list(apps.get_app_config("schools").get_models())
    declared = {constraint.name for model in models for constraint in model._meta.constraints}
    with connection.cursor() as cursor:
        in_database = {
            name
            for model in models
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }

    assert declared == {param.values[0] for param in CHECK_VIOLATIONS}
    assert declared <= in_database


@pytest.mark.parametrize(("constraint", "factory", "values"), CHECK_VIOLATIONS)
def test_database_rejects_row_when_created_against_check_constraint(
    db_rejects, constraint, factory, values
):
    with db_rejects(constraint):
        factory(**values)


@pytest.mark.parametrize(("constraint", "factory", "values"), CHECK_VIOLATIONS)
def test_database_rejects_update_when_it_breaks_check_constraint(
    db_rejects, constraint, factory, values
):
    obj = factory()

    with db_rejects(constraint):
        factory._meta.model.objects.filter(pk=obj.pk).update(**values)


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        pytest.param(SchoolFactory, "slug", id="School.slug"),
        pytest.param(NewsItemFactory, "slug", id="NewsItem.slug"),
        pytest.param(SchoolFactory, "submission_token", id="School.submission_token"),
    ],
)
def test_database_rejects_row_when_unique_value_is_taken(db_rejects, factory, field):
    first = factory()
    second = factory()

    with db_rejects(field):
        factory._meta.model.objects.filter(pk=second.pk).update(**{field: getattr(first, field)})


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        pytest.param(SchoolFactory, "Er bestaat al een School met eenzelfde Slug.", id="School"),
        pytest.param(
            NewsItemFactory, "Er bestaat al een Nieuwsbericht met eenzelfde Slug.", id="NewsItem"
        ),
    ],
)
def test_full_clean_rejects_slug_when_taken(factory, message):
    factory(slug="open-dag")
    duplicate = factory()
    duplicate.slug = "open-dag"

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {"slug": [message]}


def test_full_clean_rejects_school_photo_when_alt_text_is_missing():
    school = SchoolFactory()
    school.photo = make_image_file()

    with pytest.raises(ValidationError) as excinfo:
        school.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: ["Geef een alt-tekst bij de foto."]}


def test_full_clean_accepts_school_photo_when_alt_text_is_given():
    school = SchoolFactory(photo_alt="Leerlingen in de werkplaats")
    school.photo = make_image_file()

    school.full_clean()


@pytest.mark.parametrize(
    "duration", [dt.timedelta(0), dt.timedelta(hours=-1)], ids=["ends-at-start", "ends-before"]
)
def test_full_clean_rejects_open_day_when_it_does_not_end_after_start(duration):
    open_day = OpenDayFactory()
    open_day.ends_at = open_day.starts_at + duration

    with pytest.raises(ValidationError) as excinfo:
        open_day.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [END_BEFORE_START]}


def test_full_clean_rejects_news_when_published_without_date():
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)
    item.status = NewsItem.Status.PUBLISHED

    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    assert excinfo.value.message_dict == {
        NON_FIELD_ERRORS: ["Een gepubliceerd bericht heeft een publicatiedatum nodig."]
    }


def test_full_clean_rejects_news_when_rejected_without_reason():
    item = NewsItemFactory(status=NewsItem.Status.SUBMITTED, published_at=None)
    item.status = NewsItem.Status.REJECTED

    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: ["Geef een reden bij een afwijzing."]}


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (NewsItem.Status.DRAFT, ""),
        (NewsItem.Status.SUBMITTED, ""),
        (NewsItem.Status.REJECTED, "Dit bericht gaat niet over techniek."),
    ],
)
def test_full_clean_accepts_news_without_date_when_not_published(status, reason):
    item = NewsItemFactory(status=status, published_at=None, rejection_reason=reason)

    item.full_clean()


def test_full_clean_rejects_news_image_when_alt_text_is_missing():
    item = NewsItemFactory()
    item.image = make_image_file()

    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    assert excinfo.value.message_dict == {
        NON_FIELD_ERRORS: ["Geef een alt-tekst bij de afbeelding."]
    }


def test_full_clean_accepts_regional_news_when_it_has_no_school():
    item = NewsItemFactory(school=None)

    item.full_clean()


def test_new_school_gets_long_unique_submission_token_when_created():
    schools = SchoolFactory.create_batch(20)
    tokens = {school.submission_token for school in schools}

    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)


def test_renew_submission_token_replaces_token_and_stamps_time_when_called():
    school = SchoolFactory()
    old_token = school.submission_token
    School.objects.filter(pk=school.pk).update(
        submission_token_renewed_at=timezone.now() - dt.timedelta(days=30)
    )
    school.refresh_from_db()
    old_renewed_at = school.submission_token_renewed_at

    school.renew_submission_token()
    school.save()

    school.refresh_from_db()
    assert school.submission_token != old_token
    assert len(school.submission_token) >= 43
    assert school.submission_token_renewed_at > old_renewed_at
    assert not School.objects.filter(submission_token=old_token).exists()


def test_str_names_school_open_day_and_news_when_shown():
    school = SchoolFactory(name="Wellantcollege Hoorn")
    open_day = OpenDayFactory(school=school, title="Open dag")
    item = NewsItemFactory(school=school, title="Robotwedstrijd gewonnen")

    assert str(school) == "Wellantcollege Hoorn"
    assert str(open_day) == "Open dag Wellantcollege Hoorn"
    assert str(item) == "Robotwedstrijd gewonnen"


def test_open_days_are_ordered_by_start_when_listed():
    school = SchoolFactory()
    later = OpenDayFactory(school=school, starts_at=timezone.now() + dt.timedelta(days=9))
    sooner = OpenDayFactory(school=school, starts_at=timezone.now() + dt.timedelta(days=2))

    assert list(OpenDay.objects.all()) == [sooner, later]


def test_postal_address_is_street_then_postcode_and_town():
    school = SchoolFactory.build(street_address="Dijk 12", postal_code="1601 AA", town="Enkhuizen")

    assert school.postal_address == "Dijk 12, 1601 AA Enkhuizen"


def test_schema_address_is_the_same_address_for_search_engines():
    school = SchoolFactory.build(street_address="Dijk 12", postal_code="1601 AA", town="Enkhuizen")

    assert school.schema_address() == {
        "@type": "PostalAddress",
        "streetAddress": "Dijk 12",
        "postalCode": "1601 AA",
        "addressLocality": "Enkhuizen",
        "addressCountry": "NL",
    }
