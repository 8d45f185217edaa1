import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from campaign.models import (
    Audience,
    AudienceMessage,
    Campaign,
    OutgoingEmail,
    Page,
    Photo,
    Region,
    SocialPost,
    Storyline,
    Video,
)
from campaign.publishing import PublicationStatus
from tests.factories import (
    AudienceMessageFactory,
    CampaignFactory,
    CompanyFactory,
    PageFactory,
    PhotoFactory,
    SchoolFactory,
    SocialPostFactory,
    StorylineFactory,
    VideoFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db


def make_storyline():
    storyline = StorylineFactory()
    AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL)
    AudienceMessageFactory(storyline=storyline, audience=Audience.PARENT)
    return storyline


FACTORIES = {
    Campaign: CampaignFactory,
    Storyline: make_storyline,
    AudienceMessage: AudienceMessageFactory,
    Video: VideoFactory,
    Page: PageFactory,
    SocialPost: SocialPostFactory,
    Photo: PhotoFactory,
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def split_datetime(prefix, date="2027-03-01", time="10:00"):
    return {f"{prefix}_0": date, f"{prefix}_1": time}


def test_every_campaign_model_is_covered_when_registered_in_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "campaign"}
    # OutgoingEmail is a read-only record of deliveries (tests/campaign/test_mail_delivery.py);
    # the region is one row, with admin tests of its own (tests/campaign/test_region.py).
    assert registered - {OutgoingEmail, Region} == set(FACTORIES)


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_coordinator_gets_changelist_add_and_change_page_when_in_group(coordinator_client, model):
    obj = FACTORIES[model]()
    # Photos enter the register only by being stored: there is no add page.
    add = [] if model is Photo else [admin_url(model, "add")]

    for url in (admin_url(model, "changelist"), *add, admin_url(model, "change", obj.pk)):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model.__name__)
def test_changelist_query_count_stays_the_same_when_ten_times_more_rows(
    coordinator_client, django_assert_num_queries, model
):
    FACTORIES[model]()
    url = admin_url(model, "changelist")
    coordinator_client.get(url)  # Warm up caches (content types, session).
    with CaptureQueriesContext(connection) as one_row:
        assert coordinator_client.get(url).status_code == 200

    expected = len(one_row.captured_queries)  # read before the next request resets the log
    for _ in range(9):
        FACTORIES[model]()
    coordinator_client.get(url)  # warm: the site data, read again after the writes
    with django_assert_num_queries(expected):
        response = coordinator_client.get(url)
    assert response.context["cl"].result_count == model.objects.count() >= 10


def test_coordinator_is_refused_user_admin_when_in_group(coordinator_client):
    assert coordinator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert coordinator_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_storyline_changelist_marks_missing_audiences_when_messages_absent(coordinator_client):
    storyline = StorylineFactory()
    message = AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL)

    html = coordinator_client.get(admin_url(Storyline, "changelist")).content.decode()

    assert html.count(">ontbreekt</a>") == 3
    assert admin_url(AudienceMessage, "change", message.pk) in html
    assert f"storyline={storyline.pk}&amp;audience=company" in html


def test_storyline_changelist_links_to_matrix_when_shown(coordinator_client):
    html = coordinator_client.get(admin_url(Storyline, "changelist")).content.decode()

    assert reverse("admin:campaign_storyline_matrix") in html


def test_matrix_links_every_empty_cell_to_prefilled_add_form_when_messages_missing(
    coordinator_client,
):
    robots = StorylineFactory(title="Robotica")
    AudienceMessageFactory(storyline=robots, audience=Audience.PUPIL, headline="Bouw een robot")
    green = StorylineFactory(title="Groene techniek")

    response = coordinator_client.get(reverse("admin:campaign_storyline_matrix"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" in html and '<th scope="col">Ouders</th>' in html
    assert "Bouw een robot" in html
    assert "7 van de 8 boodschappen ontbreken nog." in html
    add_url = admin_url(AudienceMessage, "add")
    for storyline, audience in [(robots, "parent"), (green, "pupil"), (green, "company")]:
        assert f"{add_url}?storyline={storyline.pk}&amp;audience={audience}&amp;matrix=1" in html
    assert f"storyline={robots.pk}&amp;audience=pupil" not in html


def test_matrix_shows_one_campaign_when_filtered(coordinator_client):
    shown = StorylineFactory(title="Zorgtechniek")
    StorylineFactory(title="Robotica", campaign=CampaignFactory())

    html = coordinator_client.get(
        reverse("admin:campaign_storyline_matrix"), {"campaign": shown.campaign_id}
    ).content.decode()

    assert "Zorgtechniek" in html
    assert "Robotica" not in html


def test_matrix_query_count_stays_the_same_when_more_storylines(
    coordinator_client, django_assert_num_queries
):
    make_storyline()
    url = reverse("admin:campaign_storyline_matrix")
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    expected = len(few.captured_queries)  # read before the next request resets the log
    for _ in range(9):
        make_storyline()
    coordinator_client.get(url)  # warm: the site data, read again after the writes
    # Campaigns are listed for the filter: one query, whatever their number.
    with django_assert_num_queries(expected):
        coordinator_client.get(url)


def test_matrix_is_refused_when_user_may_not_view_storylines(client, django_user_model):
    user = django_user_model.objects.create_user("stagiair", is_staff=True)
    client.force_login(user)

    assert client.get(reverse("admin:campaign_storyline_matrix")).status_code == 403


def test_add_form_is_prefilled_when_opened_from_empty_matrix_cell(coordinator_client):
    storyline = StorylineFactory()

    response = coordinator_client.get(
        admin_url(AudienceMessage, "add"),
        {"storyline": storyline.pk, "audience": "school", "matrix": "1"},
    )

    form = response.context["adminform"].form
    assert form.initial["audience"] == "school"
    assert str(form.initial["storyline"]) == str(storyline.pk)


def test_saving_message_returns_to_matrix_when_opened_from_matrix(coordinator_client):
    storyline = StorylineFactory()

    response = coordinator_client.post(
        admin_url(AudienceMessage, "add") + "?matrix=1",
        {
            "storyline": storyline.pk,
            "audience": "parent",
            "headline": "Uw kind en techniek",
            "body": "<p>Tekst</p>",
            "cta_label": "",
            "cta_url": "",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:campaign_storyline_matrix")
    assert storyline.messages.get().audience == "parent"


def test_message_add_shows_form_error_when_cell_already_filled(coordinator_client):
    existing = AudienceMessageFactory(audience=Audience.PARENT)

    response = coordinator_client.post(
        admin_url(AudienceMessage, "add"),
        {
            "storyline": existing.storyline_id,
            "audience": "parent",
            "headline": "Nog een",
            "body": "<p>Tekst</p>",
        },
    )

    assert response.status_code == 200
    assert (
        "Deze verhaallijn heeft al een boodschap voor deze doelgroep." in response.content.decode()
    )
    assert AudienceMessage.objects.count() == 1


def test_message_add_shows_form_error_when_button_has_no_link(coordinator_client):
    storyline = StorylineFactory()

    response = coordinator_client.post(
        admin_url(AudienceMessage, "add"),
        {
            "storyline": storyline.pk,
            "audience": "pupil",
            "headline": "Kop",
            "body": "<p>Tekst</p>",
            "cta_label": "Klik",
            "cta_url": "",
        },
    )

    assert response.status_code == 200
    assert "Een knop heeft ook een link nodig." in response.content.decode()
    assert not AudienceMessage.objects.exists()


def storyline_post_data(campaign, **overrides):
    data = {
        "campaign": campaign.pk,
        "title": "Robotica",
        "slug": "robotica",
        "icon": "robot",
        "color": "#e6007e",
        "pupil_text": "Bouw je eigen robot.",
        "hero_image_alt": "",
        "status": "draft",
        **split_datetime("published_at"),
        "order": "1",
        "messages-TOTAL_FORMS": "0",
        "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "4",
    }
    data.update(overrides)
    return data


def inline_message(index, audience, headline):
    prefix = f"messages-{index}-"
    return {
        f"{prefix}audience": audience,
        f"{prefix}headline": headline,
        f"{prefix}body": "<p>Tekst</p>",
        f"{prefix}cta_label": "",
        f"{prefix}cta_url": "",
    }


def test_storyline_add_saves_messages_when_input_valid(coordinator_client):
    campaign = CampaignFactory()
    data = storyline_post_data(
        campaign,
        **{"messages-TOTAL_FORMS": "2"},
        **inline_message(0, "pupil", "Bouw een robot"),
        **inline_message(1, "parent", "Robots in de zorg"),
    )

    response = coordinator_client.post(admin_url(Storyline, "add"), data)

    assert response.status_code == 302
    storyline = Storyline.objects.get(slug="robotica")
    assert sorted(storyline.messages.values_list("audience", flat=True)) == ["parent", "pupil"]


def test_storyline_add_shows_form_error_when_slug_taken(coordinator_client):
    existing = StorylineFactory(slug="robotica")

    response = coordinator_client.post(
        admin_url(Storyline, "add"), storyline_post_data(existing.campaign)
    )

    assert response.status_code == 200
    assert "Er bestaat al een Verhaallijn met eenzelfde Slug." in response.content.decode()
    assert Storyline.objects.count() == 1


def test_storyline_add_shows_form_error_when_audience_twice_in_inline(coordinator_client):
    campaign = CampaignFactory()
    data = storyline_post_data(
        campaign,
        **{"messages-TOTAL_FORMS": "2"},
        **inline_message(0, "pupil", "Eerste"),
        **inline_message(1, "pupil", "Tweede"),
    )

    response = coordinator_client.post(admin_url(Storyline, "add"), data)

    assert response.status_code == 200
    assert (
        "Elke doelgroep krijgt één boodschap: Leerlingen staat er twee keer in."
        in response.content.decode()
    )
    assert not Storyline.objects.exists()
    assert not AudienceMessage.objects.exists()


def test_storyline_change_shows_form_error_when_image_has_no_alt(coordinator_client):
    storyline = StorylineFactory()
    data = storyline_post_data(
        storyline.campaign,
        slug=storyline.slug,
        hero_image=make_image_file(),
        hero_image_alt="",
    )

    response = coordinator_client.post(admin_url(Storyline, "change", storyline.pk), data)

    assert response.status_code == 200
    assert "Geef een alt-tekst bij de hoofdafbeelding." in response.content.decode()
    storyline.refresh_from_db()
    assert not storyline.hero_image


def test_storyline_change_page_prefills_one_form_per_missing_audience_when_opened(
    coordinator_client,
):
    storyline = make_storyline()  # Has pupil and parent messages.

    response = coordinator_client.get(admin_url(Storyline, "change", storyline.pk))

    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial.get("audience") for form in formset.extra_forms] == ["school", "company"]


def test_storyline_change_page_shows_editor_and_view_on_site_link_when_opened(
    coordinator_client,
):
    storyline = StorylineFactory()

    html = coordinator_client.get(admin_url(Storyline, "change", storyline.pk)).content.decode()

    assert "ckeditor" in html
    assert "viewsitelink" in html


def test_changelist_and_change_page_show_thumbnail_when_image_uploaded(
    coordinator_client, settings
):
    storyline = StorylineFactory(
        hero_image=make_image_file("robot.jpg", size=(800, 600)), hero_image_alt="Robot"
    )

    changelist = coordinator_client.get(admin_url(Storyline, "changelist")).content.decode()
    change = coordinator_client.get(admin_url(Storyline, "change", storyline.pk)).content.decode()

    thumb = re.search(r'<img src="/media/(renditions/[^"]+)" width="96" height="72"', changelist)
    assert thumb
    with Image.open(settings.MEDIA_ROOT / thumb.group(1)) as image:
        assert image.size == (96, 72)
    assert 'width="320" height="240" alt="Robot"' in change


@pytest.mark.parametrize(
    "factory", [CampaignFactory, SchoolFactory, CompanyFactory], ids=lambda f: f.__name__
)
def test_logo_shows_in_list_and_on_change_page_when_uploaded(coordinator_client, factory):
    obj = factory(logo=make_image_file("logo.jpg", size=(400, 200)))

    changelist = coordinator_client.get(admin_url(type(obj), "changelist")).content.decode()
    change = coordinator_client.get(admin_url(type(obj), "change", obj.pk)).content.decode()

    assert re.search(r'<img src="/media/renditions/[^"]+" width="96" height="72"', changelist)
    assert 'width="320" height="240" alt="Huidig logo"' in change


def test_changelist_still_renders_when_image_file_is_missing(coordinator_client, settings):
    storyline = StorylineFactory(hero_image=make_image_file("weg.jpg"), hero_image_alt="Weg")
    storyline.hero_image.storage.delete(storyline.hero_image.name)

    response = coordinator_client.get(admin_url(Storyline, "changelist"))

    assert response.status_code == 200
    assert "(afbeelding niet gevonden)" in response.content.decode()


@pytest.mark.parametrize("model", [Storyline, Video, Page], ids=lambda model: model.__name__)
def test_publish_action_publishes_when_rows_selected(coordinator_client, model):
    drafts = [FACTORIES[model]() for _ in range(2)]
    model.objects.update(status=PublicationStatus.DRAFT)

    response = coordinator_client.post(
        admin_url(model, "changelist"),
        {"action": "publish", "_selected_action": [obj.pk for obj in drafts]},
        follow=True,
    )

    assert response.status_code == 200
    assert set(model.objects.values_list("status", flat=True)) == {PublicationStatus.PUBLISHED}
    assert "2 " in str(list(response.context["messages"])[0])
    assert LogEntry.objects.filter(object_id__in=[str(obj.pk) for obj in drafts]).count() == 2


def test_make_draft_action_hides_row_when_selected(coordinator_client):
    storyline = StorylineFactory()
    other = StorylineFactory()

    coordinator_client.post(
        admin_url(Storyline, "changelist"),
        {"action": "make_draft", "_selected_action": [storyline.pk]},
    )

    storyline.refresh_from_db()
    other.refresh_from_db()
    assert storyline.status == PublicationStatus.DRAFT
    assert other.status == PublicationStatus.PUBLISHED
    assert list(Storyline.objects.published()) == [other]


def test_storyline_filter_lists_incomplete_storylines_when_chosen(coordinator_client):
    incomplete = make_storyline()
    complete = StorylineFactory()
    for audience in Audience:
        AudienceMessageFactory(storyline=complete, audience=audience)

    response = coordinator_client.get(
        admin_url(Storyline, "changelist"), {"boodschappen": "ontbreekt"}
    )

    assert list(response.context["cl"].result_list) == [incomplete]


OUR_APPS = ["campaign", "schools", "companies", "events"]


@pytest.mark.parametrize(
    "model_admin",
    [ma for model, ma in admin.site._registry.items() if model._meta.app_label in OUR_APPS],
    ids=str,
)
def test_model_admin_sets_list_options_when_registered(model_admin):
    declared = {
        name
        for klass in type(model_admin).__mro__
        if klass.__module__.split(".")[0] in OUR_APPS
        for name in vars(klass)
    }

    assert {"list_display", "list_filter", "search_fields"} <= declared
    assert "list_select_related" in declared or model_admin.autocomplete_fields


def test_storyline_change_shows_form_error_when_audience_taken_from_deleted_row(
    coordinator_client,
):
    storyline = StorylineFactory()
    pupil = AudienceMessageFactory(storyline=storyline, audience=Audience.PUPIL)
    parent = AudienceMessageFactory(storyline=storyline, audience=Audience.PARENT)
    data = storyline_post_data(
        storyline.campaign,
        slug=storyline.slug,
        **{"messages-TOTAL_FORMS": "2", "messages-INITIAL_FORMS": "2"},
        **inline_message(0, "parent", "Was leerlingen"),
        **inline_message(1, "parent", "Weg"),
        **{"messages-0-id": pupil.pk, "messages-1-id": parent.pk, "messages-1-DELETE": "on"},
        **{"messages-0-storyline": storyline.pk, "messages-1-storyline": storyline.pk},
    )

    response = coordinator_client.post(admin_url(Storyline, "change", storyline.pk), data)

    assert response.status_code == 200
    # Rows are saved before deletions: the still existing row must give a form error.
    assert (
        "Deze verhaallijn heeft al een boodschap voor deze doelgroep." in response.content.decode()
    )
    assert AudienceMessage.objects.count() == 2
