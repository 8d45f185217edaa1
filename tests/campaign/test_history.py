"""Revisions (django-reversion): every admin save keeps who, when and what; coordinators
compare two versions and restore one, in Dutch; state changes carry their reason."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from reversion.models import Version

from campaign.history import word_diff
from campaign.models import Page, Storyline
from tests.factories import CampaignFactory, PageFactory

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The values a browser would send for the admin's change form, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.data, self.textarea, self.select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in {"checkbox", "radio"} else ""
            self.data[name] = attrs.get("value", default)
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [] if "multiple" in attrs else "")
        elif tag == "option" and self.select and "selected" in attrs:
            if isinstance(self.data[self.select], list):
                self.data[self.select].append(attrs.get("value", ""))
            else:
                self.data[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def form_data(response, **changes) -> dict:
    parser = FormFields()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return {**parser.data, **changes}


def change_url(obj):
    return reverse(f"admin:campaign_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:campaign_{obj._meta.model_name}_history", args=[obj.pk])


def edit(client, obj, **changes):
    url = change_url(obj)
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_admin_save_keeps_a_revision_with_user_and_changed_fields_when_a_page_is_edited(
    coordinator_client, coordinator
):
    page = PageFactory(title="Voor ouders", body="<p>Oude tekst.</p>")

    edit(coordinator_client, page, title="Voor ouders en verzorgers", body="<p>Nieuwe tekst.</p>")

    version = Version.objects.get_for_object(page).get()
    assert version.revision.user == coordinator
    assert "Titel" in version.revision.get_comment()
    assert "Tekst" in version.revision.get_comment()
    assert version.field_dict["title"] == "Voor ouders en verzorgers"


def test_compare_shows_each_changed_field_with_rich_text_as_words_when_two_versions_differ(
    coordinator_client,
):
    page = PageFactory(title="Open dag", body="<p>Kom <strong>zaterdag</strong> kijken.</p>")
    edit(coordinator_client, page, intro="Eerste versie")
    edit(coordinator_client, page, body="<p>Kom <em>zondag</em> kijken.</p>", intro="Tweede")
    old, new = Version.objects.get_for_object(page).order_by("pk")

    response = coordinator_client.get(
        reverse("admin:campaign_page_compare", args=[page.pk]), {"van": old.pk, "naar": new.pk}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kom <del>zaterdag</del> <ins>zondag</ins> kijken." in body
    assert "<del>Eerste versie</del> <ins>Tweede</ins>" in body
    assert "&lt;strong&gt;" not in body and "<strong>zaterdag" not in body
    assert "Versies vergelijken" in body
    assert "De oude versie" in body  # the restore button


def test_compare_lists_changes_of_inline_rows_kept_with_the_storyline(coordinator_client):
    from tests.factories import AudienceMessageFactory, StorylineFactory

    storyline = StorylineFactory(status="draft")
    message = AudienceMessageFactory(storyline=storyline, headline="Bouw een robot")
    edit(coordinator_client, storyline, pupil_text="Eerst")
    edit(coordinator_client, storyline, **{"messages-0-headline": "Bouw een zorgrobot"})
    old, new = Version.objects.get_for_object(storyline).order_by("pk")

    response = coordinator_client.get(
        reverse("admin:campaign_storyline_compare", args=[storyline.pk]),
        {"van": old.pk, "naar": new.pk},
    )

    body = response.content.decode()
    assert f"{message}" in body
    assert "Bouw een <del>robot</del> <ins>zorgrobot</ins>" in body


def test_restore_brings_the_old_values_back_and_is_itself_a_revision(coordinator_client):
    page = PageFactory(title="Eerste titel", body="<p>Eerste tekst.</p>")
    edit(coordinator_client, page, intro="x")
    edit(coordinator_client, page, title="Tweede titel", body="<p>Tweede tekst.</p>")
    first = Version.objects.get_for_object(page).order_by("pk").first()
    restore_url = reverse("admin:campaign_page_revision", args=[page.pk, first.pk])

    form_page = coordinator_client.get(restore_url)
    page.refresh_from_db()
    assert page.title == "Tweede titel"  # looking at the old version changes nothing
    assert "Dit formulier is gevuld met de versie van" in form_page.content.decode()

    response = coordinator_client.post(restore_url, form_data(form_page))

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Eerste titel"
    assert page.body == "<p>Eerste tekst.</p>"
    latest = Version.objects.get_for_object(page).order_by("-pk").first()
    assert latest.pk != first.pk
    assert "teruggeplaatst" in latest.revision.get_comment()
    shown = [str(message) for message in response.wsgi_request._messages]
    assert any(message.startswith("De versie van ") for message in shown)


def test_restore_cannot_bring_back_unsanitised_html_when_a_stored_version_holds_script(
    coordinator_client,
):
    page = PageFactory(title="Titel", body="<p>Tekst.</p>")
    edit(coordinator_client, page, intro="x")
    version = Version.objects.get_for_object(page).get()
    # A version written before a sanitising rule existed, or tampered with in the database.
    version.serialized_data = version.serialized_data.replace(
        "<p>Tekst.</p>", '<p onclick=\\"steal()\\">Tekst.</p><script>steal()</script>'
    ).replace('"title": "Titel"', '"title": "Titel\\nmet regel"')
    version.save()
    restore_url = reverse("admin:campaign_page_revision", args=[page.pk, version.pk])

    data = form_data(coordinator_client.get(restore_url))
    # The browser sends back what the version held, script included.
    data["body"] = '<p onclick="steal()">Tekst.</p><script>steal()</script>'
    coordinator_client.post(restore_url, data)

    page.refresh_from_db()
    assert "script" not in page.body and "onclick" not in page.body
    assert "Tekst." in page.body
    assert "\n" not in page.title
    assert "<script>" not in Page.objects.values_list("body", flat=True).get(pk=page.pk)


def test_history_page_is_dutch_with_compare_and_restore_when_there_are_versions(
    coordinator_client,
):
    page = PageFactory()
    edit(coordinator_client, page, intro="a")
    edit(coordinator_client, page, intro="b")

    response = coordinator_client.get(history_url(page))

    body = response.content.decode()
    assert response.status_code == 200
    for dutch in ("Geschiedenis", "Door", "Wat en waarom", "Vergelijk de gekozen versies"):
        assert dutch in body
    assert "Deze versie terugzetten" in body
    for english in ("Choose a date", "Revert", "Date/time", "User", "Action"):
        assert english not in body


def test_publish_action_records_one_revision_per_item_with_the_reason(
    coordinator_client, coordinator
):
    pages = PageFactory.create_batch(2, status="draft")

    coordinator_client.post(
        reverse("admin:campaign_page_changelist"),
        {"action": "publish", "_selected_action": [page.pk for page in pages]},
    )

    for page in pages:
        version = Version.objects.get_for_object(page).get()
        assert version.revision.user == coordinator
        assert version.revision.get_comment() == "Gepubliceerd."
        assert version.field_dict["status"] == "published"
        # one row per revision: restoring one page never reverts the other
        assert version.revision.version_set.count() == 1


def test_word_diff_escapes_what_was_typed():
    assert str(word_diff("a <b>", "a <i>")) == "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins>"


def test_storyline_history_page_opens_when_it_has_no_versions_yet(coordinator_client):
    storyline = Storyline.objects.create(
        campaign=CampaignFactory(), title="Zorg", slug="zorg", icon="robot"
    )

    response = coordinator_client.get(history_url(storyline))

    assert response.status_code == 200
    assert "nog geen geschiedenis" in response.content.decode()


def test_messages_of_the_history_library_are_dutch_where_its_catalogue_has_gaps():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("nl"):
        assert gettext("Could not load %(object_repr)s version - not found") == (
            "Deze versie van %(object_repr)s is niet gevonden."
        )
        assert gettext("Reverted to previous version, saved on %(datetime)s") == (
            "Vorige versie van %(datetime)s is teruggeplaatst"
        )


CONTENT_MODELS = [
    "campaign.Campaign",
    "campaign.Storyline",
    "campaign.AudienceMessage",
    "campaign.Page",
    "campaign.Video",
    "campaign.SocialPost",
    "schools.School",
    "schools.OpenDay",
    "schools.NewsItem",
    "companies.Company",
    "companies.Offer",
    "events.MasterclassRound",
    "events.Session",
]


@pytest.mark.parametrize("label", CONTENT_MODELS)
def test_every_content_model_keeps_revisions(label):
    import reversion
    from django.apps import apps

    assert reversion.is_registered(apps.get_model(label))


@pytest.mark.parametrize("label", ["events.Registration", "campaign.OutgoingEmail"])
def test_personal_data_and_mail_records_keep_no_revisions(label):
    import reversion
    from django.apps import apps

    assert not reversion.is_registered(apps.get_model(label))


def test_restore_page_gets_the_editor_policy_because_it_shows_the_editor(coordinator_client):
    page = PageFactory()
    edit(coordinator_client, page, intro="a")
    version = Version.objects.get_for_object(page).get()

    response = coordinator_client.get(
        reverse("admin:campaign_page_revision", args=[page.pk, version.pk])
    )

    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]
    history = coordinator_client.get(history_url(page))
    assert "'unsafe-inline'" not in history.headers["Content-Security-Policy"]


def test_compare_with_unknown_or_foreign_versions_falls_back_to_the_latest_two(
    coordinator_client,
):
    page, other = PageFactory(), PageFactory()
    edit(coordinator_client, page, intro="een")
    edit(coordinator_client, page, intro="twee")
    edit(coordinator_client, other, intro="ander")
    foreign = Version.objects.get_for_object(other).get()
    url = reverse("admin:campaign_page_compare", args=[page.pk])

    for params in ({"van": "abc", "naar": "1"}, {"van": foreign.pk, "naar": foreign.pk}, {}):
        response = coordinator_client.get(url, params)
        assert response.status_code == 200
        assert "<del>een</del> <ins>twee</ins>" in response.content.decode()
    single = PageFactory()
    edit(coordinator_client, single, intro="alleen")
    url = reverse("admin:campaign_page_compare", args=[single.pk])
    assert coordinator_client.get(url).status_code == 404


def test_restore_refuses_a_version_of_another_model_with_the_same_id(coordinator_client):
    from tests.factories import SchoolFactory

    school = SchoolFactory(status="draft")
    page = PageFactory(pk=school.pk, title="Pagina")
    school_url = reverse("admin:schools_school_change", args=[school.pk])
    coordinator_client.post(school_url, form_data(coordinator_client.get(school_url)))
    school_version = Version.objects.get_for_object(school).get()

    response = coordinator_client.get(
        reverse("admin:campaign_page_revision", args=[page.pk, school_version.pk])
    )

    assert response.status_code == 404


def test_recover_refuses_a_version_of_another_model(coordinator_client):
    from tests.factories import SchoolFactory

    school = SchoolFactory(status="draft")
    school_url = reverse("admin:schools_school_change", args=[school.pk])
    coordinator_client.post(school_url, form_data(coordinator_client.get(school_url)))
    school_version = Version.objects.get_for_object(school).get()

    response = coordinator_client.get(
        reverse("admin:campaign_page_recover", args=[school_version.pk])
    )

    assert response.status_code == 404
