"""Filters for plain text next to rich text."""

import re

from django import template

from campaign.richtext import rich_text_to_plain

register = template.Library()

TRAILING = re.compile(r"[\s.…!?:;,]+$")


def _plain(value) -> str:
    return rich_text_to_plain(str(value or ""), one_line=True).casefold()


@register.filter
def is_repeated_in(summary, body) -> bool:
    """Whether ``body`` (rich text) already opens with ``summary``: then showing both repeats it.

    A short news item often has the same sentence as summary and body; a session's summary
    is often the first sentence of its description. Trailing punctuation and an ellipsis
    (a summary cut short) do not count.
    """
    short = TRAILING.sub("", _plain(summary))
    return bool(short) and _plain(body).startswith(short)
