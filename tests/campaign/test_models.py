"""Campaign content: the database and full_clean() both enforce the model's rules."""

import datetime as dt
import functools

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction

from campaign.models import Audience, AudienceMessage, Campaign, SocialPost, Storyline, Video
from campaign.publishing import PublicationStatus
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    PageFactory,
    PhotoFactory,
    RegionFactory,
    SocialPostFactory,
    StorylineFactory,
    VideoFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db

ALT_MISSING = "Geef een alt-tekst bij de hoofdafbeelding."
ONE_SOURCE = "Upload een videobestand óf geef een externe link, niet allebei of geen van beide."

# Each row breaks one CheckConstraint; the database must refuse it on create and on update.
CHECK_VIOLATIONS = [
    pytest.param(
        "campaign_hero_image_has_alt",
        CampaignFactory,
        {"hero_image": "campaigns/held.jpg", "hero_image_alt": ""},
        id="campaign-image-without-alt",
    ),
    pytest.param(
        "storyline_hero_image_has_alt",
        StorylineFactory,
        {"hero_image": "storylines/held.jpg", "hero_image_alt": ""},
        id="storyline-image-without-alt",
    ),
    pytest.param(
        "message_cta_label_has_url",
        AudienceMessageFactory,
        {"cta_label": "Doe mee", "cta_url": ""},
        id="cta-label-without-url",
    ),
    pytest.param(
        "message_cta_url_is_web_or_local",
        AudienceMessageFactory,
        {"cta_url": "javascript:alert(1)"},
        id="cta-url-javascript",
    ),
    pytest.param(
        "message_cta_url_is_web_or_local",
        AudienceMessageFactory,
        {"cta_url": "data:text/html,<script>alert(1)</script>"},
        id="cta-url-data",
    ),
    pytest.param(
        "video_has_exactly_one_source",
        VideoFactory,
        {"video_file": "", "external_url": ""},
        id="video-without-source",
    ),
    pytest.param(
        "video_has_exactly_one_source",
        VideoFactory,
        {"video_file": "videos/film.mp4", "external_url": "https://vimeo.com/1"},
        id="video-with-two-sources",
    ),
    pytest.param(
        "video_poster_has_alt",
        VideoFactory,
        {"poster": "videos/posters/poster.jpg", "poster_alt": ""},
        id="poster-without-alt",
    ),
    pytest.param(
        "photo_consent_has_declarer_and_date",
        PhotoFactory,
        {"consent_declared_by": "Juf Anne", "consent_declared_at": None},
        id="photo-consent-without-date",
    ),
    pytest.param(
        "photo_consent_has_declarer_and_date",
        PhotoFactory,
        {"consent_declared_by": "", "consent_declared_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC)},
        id="photo-consent-without-declarer",
    ),
    pytest.param(
        "region_is_one_row",
        RegionFactory,
        {"singleton": False},
        id="region-not-the-one-row",
    ),
    pytest.param(
        "socialpost_posted_has_url",
        SocialPostFactory,
        {"status": SocialPost.Status.POSTED, "posted_url": ""},
        id="posted-without-url",
    ),
]
UNIQUE_CONSTRAINTS = {"unique_message_per_storyline_audience", "one_primary_campaign"}


def test_database_rejects_a_second_primary_campaign_when_one_exists():
    first = CampaignFactory()
    second = CampaignFactory()
    assert first.is_primary and not second.is_primary

    second.is_primary = True
    with pytest.raises(ValidationError, match="Er is al een hoofdcampagne"):
        second.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=second.pk).update(is_primary=True)


def test_every_campaign_constraint_is_tested_and_exists_in_database_when_migrated():
    declared = {
        constraint.name
        for model in apps.get_app_config("campaign").get_models()
        for constraint in model._meta.constraints
    }
    tested = {param.values[0] for param in CHECK_VIOLATIONS} | UNIQUE_CONSTRAINTS
    with connection.cursor() as cursor:
        in_database = {
            name
            for model in apps.get_app_config("campaign").get_models()
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }

    assert declared == tested
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


def test_database_rejects_second_message_when_storyline_and_audience_repeat(db_rejects):
    first = AudienceMessageFactory(audience=Audience.PARENT)

    with db_rejects("unique_message_per_storyline_audience", "audiencemessage.storyline_id"):
        AudienceMessageFactory(storyline=first.storyline, audience=Audience.PARENT)


def test_database_rejects_update_when_it_makes_message_duplicate(db_rejects):
    first = AudienceMessageFactory(audience=Audience.PUPIL)
    second = AudienceMessageFactory(storyline=first.storyline, audience=Audience.COMPANY)

    with db_rejects("unique_message_per_storyline_audience", "audiencemessage.storyline_id"):
        AudienceMessage.objects.filter(pk=second.pk).update(audience=Audience.PUPIL)


def test_messages_are_allowed_when_audience_or_storyline_differs():
    first = AudienceMessageFactory(audience=Audience.PUPIL)
    AudienceMessageFactory(storyline=first.storyline, audience=Audience.SCHOOL)
    AudienceMessageFactory(audience=Audience.PUPIL)

    assert AudienceMessage.objects.filter(audience=Audience.PUPIL).count() == 2


@pytest.mark.parametrize(
    "factory",
    [
        pytest.param(CampaignFactory, id="Campaign"),
        pytest.param(StorylineFactory, id="Storyline"),
        pytest.param(PageFactory, id="Page"),
    ],
)
def test_database_rejects_row_when_slug_is_taken(db_rejects, factory):
    factory(slug="techniek")

    with db_rejects("slug"):
        factory(slug="techniek")


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        pytest.param(
            CampaignFactory, "Er bestaat al een Campagne met eenzelfde Slug.", id="Campaign"
        ),
        pytest.param(
            # A draft: a published storyline also needs a picture (tested on its own).
            functools.partial(StorylineFactory, status=PublicationStatus.DRAFT),
            "Er bestaat al een Verhaallijn met eenzelfde Slug.",
            id="Storyline",
        ),
        pytest.param(PageFactory, "Er bestaat al een Pagina met eenzelfde Slug.", id="Page"),
    ],
)
def test_full_clean_rejects_slug_when_taken(factory, message):
    factory(slug="techniek")
    duplicate = factory(slug="anders")
    duplicate.slug = "techniek"

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {"slug": [message]}


@pytest.mark.parametrize(
    "factory", [CampaignFactory, StorylineFactory], ids=["Campaign", "Storyline"]
)
def test_full_clean_rejects_hero_image_when_alt_text_is_missing(factory):
    obj = factory()
    obj.hero_image = make_image_file()
    obj.hero_image_alt = ""

    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [ALT_MISSING]}


@pytest.mark.parametrize(
    "factory", [CampaignFactory, StorylineFactory], ids=["Campaign", "Storyline"]
)
def test_full_clean_accepts_hero_image_when_alt_text_is_given(factory):
    obj = factory()
    obj.hero_image = make_image_file()
    obj.hero_image_alt = "Leerlingen bouwen een robot"

    obj.full_clean()


def test_full_clean_rejects_message_when_cta_label_has_no_url():
    message = AudienceMessageFactory()
    message.cta_url = ""

    with pytest.raises(ValidationError) as excinfo:
        message.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: ["Een knop heeft ook een link nodig."]}


@pytest.mark.parametrize(
    ("label", "url"), [("", ""), ("", "/masterclasses/"), ("Lees meer", "https://example.org/")]
)
def test_full_clean_accepts_message_when_cta_is_complete_or_absent(label, url):
    message = AudienceMessageFactory(cta_label=label, cta_url=url)

    message.full_clean()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.example.org", "data:text/html,x"])
def test_full_clean_rejects_cta_url_when_it_is_not_a_web_address_or_path(url):
    message = AudienceMessageFactory()
    message.cta_url = url

    with pytest.raises(ValidationError) as excinfo:
        message.full_clean()

    assert excinfo.value.message_dict == {
        "cta_url": ["Begin met https:// of met / voor een pagina op deze site."]
    }


def test_full_clean_rejects_message_when_storyline_already_has_one_for_audience():
    first = AudienceMessageFactory(audience=Audience.SCHOOL)
    duplicate = AudienceMessageFactory.build(storyline=first.storyline, audience=Audience.SCHOOL)

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert excinfo.value.message_dict == {
        NON_FIELD_ERRORS: ["Deze verhaallijn heeft al een boodschap voor deze doelgroep."]
    }


MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64


def _mp4_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("film.mp4", MP4, content_type="video/mp4")


def test_full_clean_rejects_video_when_it_has_no_source():
    video = VideoFactory()
    video.external_url = ""

    with pytest.raises(ValidationError) as excinfo:
        video.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [ONE_SOURCE]}


def test_full_clean_rejects_video_when_it_has_file_and_external_link():
    video = VideoFactory()
    video.video_file = _mp4_upload()

    with pytest.raises(ValidationError) as excinfo:
        video.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [ONE_SOURCE]}


def test_full_clean_accepts_video_when_it_has_only_an_uploaded_file():
    video = VideoFactory()
    video.external_url = ""
    video.video_file = _mp4_upload()

    video.full_clean()


def test_full_clean_rejects_poster_when_alt_text_is_missing():
    video = VideoFactory()
    video.poster = make_image_file()

    with pytest.raises(ValidationError) as excinfo:
        video.full_clean()

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: ["Geef een alt-tekst bij de poster."]}


@pytest.mark.parametrize("color", ["red", "#12345", "#GGGGGG", "123456"])
def test_full_clean_rejects_color_when_it_is_not_a_hex_code(color):
    storyline = StorylineFactory(status=PublicationStatus.DRAFT)
    storyline.color = color

    with pytest.raises(ValidationError) as excinfo:
        storyline.full_clean()

    assert excinfo.value.message_dict == {"color": ["Gebruik een kleurcode als #1A2B3C."]}


def test_str_names_the_content_when_shown_in_lists():
    campaign = CampaignFactory(name="Techniek doet het")
    storyline = StorylineFactory(campaign=campaign, title="Robotica")
    message = AudienceMessageFactory(storyline=storyline, audience=Audience.PARENT)
    video = VideoFactory(campaign=campaign, storyline=storyline, title="Robots in de zorg")
    page = PageFactory(title="Voor ouders")
    post = SocialPostFactory(
        campaign=campaign, channel=SocialPost.Channel.LINKEDIN, title="Week 12"
    )

    assert str(campaign) == "Techniek doet het"
    assert str(storyline) == "Robotica"
    assert str(message) == "Robotica — Ouders"
    assert str(video) == "Robots in de zorg"
    assert str(page) == "Voor ouders"
    assert str(post) == "LinkedIn: Week 12"


def test_primary_is_the_published_campaign_marked_primary_when_several_are_published():
    primary = CampaignFactory()
    CampaignFactory()  # published too, newer, not primary

    assert primary.is_primary
    assert Campaign.objects.primary() == primary
    Campaign.objects.filter(pk=primary.pk).update(status=PublicationStatus.DRAFT)
    assert Campaign.objects.primary() is None


def test_storylines_are_ordered_by_order_then_title_when_listed():
    campaign = CampaignFactory()
    late = StorylineFactory(campaign=campaign, order=2, title="A")
    second = StorylineFactory(campaign=campaign, order=1, title="B")
    first = StorylineFactory(campaign=campaign, order=1, title="A")

    assert list(Storyline.objects.all()) == [first, second, late]


def test_video_without_storyline_is_kept_when_storyline_is_deleted():
    video = VideoFactory()
    video.storyline.messages.all().delete()
    video.storyline.delete()
    video.refresh_from_db()

    assert video.storyline is None
    assert Video.objects.filter(pk=video.pk).exists()


@pytest.mark.parametrize("url", ["/masterclasses/", "https://example.org/x", "http://example.org"])
def test_message_link_is_accepted_when_it_is_web_or_local(url):
    message = AudienceMessageFactory(cta_url=url)

    message.full_clean()
