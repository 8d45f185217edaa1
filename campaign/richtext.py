"""The one seam for rich text: sanitising with nh3, the editor widget, the template filter.

Every rich-text value passes ``sanitize_html`` on the server before it is stored,
whatever client sent it, so the editor in the browser is never trusted. The allow-list
below is the one source: the editor's toolbar, heading choice and allowed content are
derived from it (``editor_config``), and templates show rich text only through the
``rich_text`` filter, which sanitises once more. To swap the editor, change
``RichTextField.formfield``, ``editor_widget`` and ``editor_config`` only.
"""

import html
import re

import nh3
from django import forms
from django.db import models
from django.utils.html import strip_tags

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

# The editor's buttons, in toolbar order, with the tags each one makes. A button appears
# only while the sanitiser keeps all of its tags. Underline is left out on purpose: on a
# web page underlined text looks like a link.
EDITOR_TOOLBAR = [
    ["Format", "Bold", "Italic"],
    ["NumberedList", "BulletedList", "Blockquote"],
    ["Link", "Unlink"],
    ["RemoveFormat"],
]
EDITOR_BUTTONS = {
    "Format": {"p"},
    "Bold": {"strong"},
    "Italic": {"em"},
    "NumberedList": {"ol", "li"},
    "BulletedList": {"ul", "li"},
    "Blockquote": {"blockquote"},
    "Link": {"a"},
    "Unlink": set(),
    "RemoveFormat": set(),
}
# Headings a page body may use: the page title is the h1.
EDITOR_FORMATS = ["p", "h2", "h3"]


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


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|blockquote|ul|ol)\s*>", re.IGNORECASE)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li(?:\s[^>]*)?>", re.IGNORECASE)


def rich_text_to_plain(value: str | None, *, one_line: bool = False) -> str:
    """Readable plain text of rich text: paragraphs apart, list items on their own line.

    ``strip_tags`` alone glues "<p>Eén.</p><p>Twee.</p>" into "Eén.Twee."; a calendar
    description, a feed summary or a JSON-LD description needs the breaks. ``one_line``
    joins the paragraphs with a space instead.
    """
    if not value:
        return ""
    text = sanitize_html(value)
    text = _LINE_BREAK.sub("\n", text)
    text = _LIST_ITEM.sub("\n- ", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs = "\n".join(lines).strip()
    paragraphs = re.sub(r"\n{3,}", "\n\n", paragraphs)
    if one_line:
        return " ".join(paragraphs.split())
    return paragraphs


_TRAILING = re.compile(r"[\s.…!?:;,]+$")


def is_repeated_in(summary, body) -> bool:
    """Whether ``body`` (rich text) already opens with ``summary``: then showing both repeats it.

    A short news item often has the same sentence as summary and body; a session's summary
    is often the first sentence of its description. Trailing punctuation and an ellipsis
    (a summary cut short) do not count.
    """

    def plain(value) -> str:
        return rich_text_to_plain(str(value or ""), one_line=True).casefold()

    short = _TRAILING.sub("", plain(summary))
    return bool(short) and plain(body).startswith(short)


def plain_text_to_html(value: str) -> str:
    """Turn plain text with blank lines between paragraphs into safe ``<p>`` markup."""
    from django.utils.html import escape, linebreaks

    return sanitize_html(linebreaks(escape(value)))


def editor_config() -> dict:
    """CKEditor's toolbar, heading choice and allowed content, from the allow-list above."""
    toolbar = [
        [button for button in group if EDITOR_BUTTONS[button] <= ALLOWED_TAGS]
        for group in EDITOR_TOOLBAR
    ]
    plain = sorted(ALLOWED_TAGS - set(ALLOWED_ATTRIBUTES))
    with_attributes = [
        f"{tag}[{','.join(sorted(names))}]" for tag, names in sorted(ALLOWED_ATTRIBUTES.items())
    ]
    return {
        "toolbar": [group for group in toolbar if group],
        "format_tags": ";".join(tag for tag in EDITOR_FORMATS if tag in ALLOWED_TAGS),
        # What the editor keeps of pasted text: exactly what the server keeps.
        "allowedContent": ";".join([" ".join(plain), *with_attributes]),
    }


def editor_widget():
    from ckeditor.widgets import CKEditorWidget

    widget = CKEditorWidget(config_name="default")
    widget.config.update(editor_config())
    return widget


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
