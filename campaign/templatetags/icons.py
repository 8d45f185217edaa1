"""``{% icon "robot" %}``: an SVG icon shipped with the site, inline so it takes the text colour.

Icons are decorative by default (hidden from screen readers, next to text that says the
same); ``{% icon "robot" label="Robotica" %}`` gives an icon that stands alone a name.
"""

import re
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

ICON_NAME = re.compile(r"^[a-z][a-z-]*$")


@cache
def _svg_body(name: str) -> str:
    """The markup inside the ``<svg>`` element of static/img/icons/<name>.svg, or ""."""
    if not ICON_NAME.match(name):
        return ""
    path = finders.find(f"img/icons/{name}.svg")
    if path is None:
        return ""
    with open(path, encoding="utf-8") as file:
        svg = file.read()
    return svg[svg.index(">") + 1 : svg.rindex("</svg>")]


@register.simple_tag
def icon(name, label="", css_class=""):
    body = _svg_body(str(name))
    if not body:
        return ""
    classes = f"icon {css_class}".strip()
    # The files are ours (static/img/icons), not uploaded: their markup is trusted.
    inner = mark_safe(body)  # noqa: S308
    if label:
        return format_html(
            '<svg class="{}" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" '
            'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" role="img" '
            'aria-label="{}"><title>{}</title>{}</svg>',
            classes,
            label,
            label,
            inner,
        )
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" '
        'focusable="false">{}</svg>',
        classes,
        inner,
    )
