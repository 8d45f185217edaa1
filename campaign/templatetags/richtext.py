"""``{{ value|rich_text }}``: the one way stored rich text reaches a page."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from campaign.richtext import sanitize_html

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value) -> SafeString:
    """``value`` sanitised again as it is shown, so it is safe whatever way it was stored."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - nh3 just removed everything unsafe
