"""One-line values stay on one line, from every form, the admin and code."""

import pytest
from django.apps import apps
from django.db import models
from django.forms import modelform_factory
from django.urls import reverse

from campaign.plaintext import (
    SingleLineCharField,
    attachment_header,
    plain_lines,
    safe_filename,
    single_line,
)
from events.models import Session
from tests.factories import SessionFactory
from tests.hostile import LINE_BREAKS, PAYLOADS

OUR_APPS = ("campaign", "schools", "companies", "events")
# Fields whose values are checked against a fixed pattern anyway.
PATTERN_FIELDS = (models.SlugField, models.EmailField, models.URLField)


def test_every_free_text_char_field_of_our_models_is_single_line():
    plain = [
        f"{model.__name__}.{field.name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField)
        and not isinstance(field, (SingleLineCharField, *PATTERN_FIELDS))
        and not field.choices
    ]
    assert plain == []


@pytest.mark.parametrize("brk", LINE_BREAKS + ["\x00", "\t", "\x1b"])
def test_single_line_turns_breaks_and_controls_into_one_space(brk):
    assert single_line(f" Bouw{brk}{brk}een robot ") == "Bouw een robot"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_single_line_leaves_nothing_that_ends_a_line_when_given_hostile_text(payload):
    assert len(single_line(payload).splitlines()) <= 1
    assert not any(ord(char) < 32 for char in single_line(payload))


def test_plain_lines_keeps_paragraphs_with_newline_only():
    assert plain_lines("a\r\nb\rc\u2028d\x0be\x00f") == "a\nb\nc\nd\nef"


def test_safe_filename_is_ascii_without_quotes_or_breaks():
    name = safe_filename('"Bouw\r\nContent-Type: x"/../\u202egpj.exe', "ics")
    assert name == "bouw-content-type-xgpjexe.ics"
    assert safe_filename("\n\n", "csv") == "download.csv"
    assert attachment_header(name) == f'attachment; filename="{name}"'


@pytest.mark.django_db
@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_session_title_is_one_line_when_saved_from_a_model_form(brk):
    session = SessionFactory()
    form_class = modelform_factory(Session, fields=["title", "summary", "location"])
    form = form_class(
        {"title": f"Bouw{brk}een robot", "summary": f"a{brk}b", "location": f"Hal{brk}3"},
        instance=session,
    )

    assert form.is_valid(), form.errors
    form.save()

    session.refresh_from_db()
    assert (session.title, session.summary, session.location) == ("Bouw een robot", "a b", "Hal 3")


@pytest.mark.django_db
def test_session_title_is_one_line_when_written_by_code_or_update():
    session = SessionFactory(title="Bouw\u2028een robot")
    session.refresh_from_db()
    assert session.title == "Bouw een robot"

    Session.objects.filter(pk=session.pk).update(title="Las\r\nen soldeer")
    session.refresh_from_db()
    assert session.title == "Las en soldeer"


@pytest.mark.django_db
def test_session_title_field_of_the_admin_form_makes_one_line(admin_client):
    session = SessionFactory()
    response = admin_client.get(reverse("admin:events_session_change", args=[session.pk]))
    form = response.context["adminform"].form

    assert form.fields["title"].clean(" Bouw\u2028een\nrobot ") == "Bouw een robot"
    assert form.fields["location"].clean("Hal\v3") == "Hal 3"
