"""Tags for the <head>: show one block's content twice (title and og:title)."""

import re

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def reuse_block(context, name):
    """Render the block ``name`` of the current template chain again, whitespace collapsed.

    A page sets ``{% block title %}`` once; the base layout shows it in ``<title>``
    and in ``og:title``, so the two can never disagree.
    """
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context is not None else None
    if block is None:
        return ""
    rendered = block.render(context)
    # The rendered block is already escaped template output.
    return mark_safe(re.sub(r"\s+", " ", rendered).strip())  # noqa: S308
