"""The admin speaks Dutch, also where Django 6.1's own Dutch catalogue has gaps."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_tasks_db.models import DBTaskResult, get_date_max

from companies.models import Offer
from tests.factories import OfferFactory


def test_admin_strings_missing_from_django_are_dutch_when_language_is_nl():
    with translation.override("nl"):
        assert gettext("Filter by %(field_name)s") == "Filter op %(field_name)s"
        assert gettext("Logout") == "Afmelden"
        assert ngettext("…and %(count)d more object.", "…and %(count)d more objects.", 2) == (
            "…en nog %(count)d objecten."
        )


@pytest.mark.django_db
def test_admin_date_picker_strings_are_dutch_when_catalog_is_loaded(admin_client):
    response = admin_client.get("/beheer/jsi18n/")

    body = response.content.decode()
    assert "Vandaag (%(date)s)" in body
    assert "Jij loopt %(offset)s uur achter." in body


# English that Django 6.1 and django-tasks-db leave on admin pages, as a coordinator sees them.
ENGLISH_LEFTOVERS = [
    "select an option",
    "task result",
    "tasks database backend",
    "task name",
    "enqueued at",
    "queue name",
    "priority",
    "run after",
    "search",
    "successfully",
]


class ReadableText(HTMLParser):
    """What people read or hear: text, and the alt, title, label and placeholder of tags."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in {"script", "style"}
        for name, value in attrs:
            if name in {"alt", "title", "aria-label", "placeholder"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        self.skip -= tag in {"script", "style"}

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def readable_text(response) -> str:
    parser = ReadableText()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def admin_pages(client):
    """The admin's index, and every list, add and change page the coordinator may open."""
    pages = {"/beheer/": client.get("/beheer/")}
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        if obj := model._default_manager.first():
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                pages[url] = response
    return pages


@pytest.mark.django_db
def test_admin_pages_have_no_english_leftovers_when_a_coordinator_opens_them(
    coordinator_client,
):
    call_command("load_demo_content", stdout=io.StringIO())
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="campaign.tasks.deliver_email",
        backend_name="default",
        run_after=get_date_max(),
    )

    pages = admin_pages(coordinator_client)

    assert len(pages) > 30
    for url, response in pages.items():
        text = readable_text(response).lower()
        found = [english for english in ENGLISH_LEFTOVERS if english in text]
        assert not found, f"{url}: {found}"
    index = pages["/beheer/"].content.decode()
    assert "Wachtrij" in index
    task_list = pages[reverse("admin:django_tasks_database_dbtaskresult_changelist")]
    assert "In wachtrij gezet op" in task_list.content.decode()
    message_form = pages[reverse("admin:campaign_audiencemessage_add")].content.decode()
    assert "- Kies een optie -" in message_form


@pytest.mark.django_db
def test_admin_message_after_saving_needs_no_article_when_the_noun_is_neuter(
    coordinator_client,
):
    offer = OfferFactory(kind=Offer.Kind.GUEST_LESSON, description="Een gastles")
    url = reverse("admin:companies_offer_change", args=[offer.pk])

    response = coordinator_client.post(
        url,
        {"company": offer.company.pk, "kind": offer.kind, "description": "Twee gastlessen"},
        follow=True,
    )

    messages = [re.sub("<[^>]+>", "", str(message)) for message in response.context["messages"]]
    assert messages == [f"De wijzigingen in aanbod “{offer}” zijn opgeslagen."]
    assert "De aanbod" not in response.content.decode()


def test_admin_messages_with_a_model_name_are_dutch_without_article():
    with translation.override("nl"):
        assert gettext("The {name} “{obj}” was added successfully.").format(
            name="nieuwsbericht", obj="Open dag"
        ) == ("Toegevoegd: nieuwsbericht “Open dag”.")
        assert gettext("The %(name)s “%(obj)s” was deleted successfully.") % {
            "name": "nieuwsbericht",
            "obj": "Open dag",
        } == ("Verwijderd: nieuwsbericht “Open dag”.")
