"""The one seam for rich text: sanitising with nh3 and the editor widget.

Every rich-text value passes ``sanitize_html`` on the server before it is stored,
whatever client sent it, so the editor in the browser is never trusted. To swap the
editor, change ``RichTextField.formfield`` and ``editor_widget`` only.
"""

import nh3
from django import forms
from django.db import models

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(value: str | None) -> str:
    """Return ``value`` with only the allow-listed tags, attributes and link schemes."""
    if not value:
        return ""
    cleaned = nh3.clean(
        str(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.strip()


def plain_text_to_html(value: str) -> str:
    """Turn plain text with blank lines between paragraphs into safe ``<p>`` markup."""
    from django.utils.html import escape, linebreaks

    return sanitize_html(linebreaks(escape(value)))


def editor_widget():
    from ckeditor.widgets import CKEditorWidget

    return CKEditorWidget(config_name="default")


class RichTextFormField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", editor_widget())
        super().__init__(*args, **kwargs)

    def clean(self, value):
        return sanitize_html(super().clean(value))


class RichTextField(models.TextField):
    """A TextField whose value is sanitised whenever it is written to the database."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # Also covers QuerySet.update(), which skips pre_save().
        if isinstance(value, str):
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)

    def formfield(self, **kwargs):
        # Always the editor, also where the admin would put its plain textarea.
        kwargs.update(form_class=RichTextFormField, widget=editor_widget())
        return super().formfield(**kwargs)
