"""The theme stylesheet: the campaign's and storylines' colours as CSS custom properties.

The CSP forbids inline styles, so colours chosen in the admin reach the page through a
same-origin stylesheet. Its address carries a fingerprint of its content
(``/thema.<fingerprint>.css``): browsers and proxies keep it for a year, and a change of
colour gives a new address, so no page costs an extra uncached request for it.
"""

import hashlib
import logging

from django.core.cache import cache

from campaign.colors import color_properties
from campaign.content_version import current_version
from campaign.models import Storyline, campaign_reverse
from campaign.sites import entered_prefix

logger = logging.getLogger(__name__)

# How long the public stylesheet (and so its fingerprint) is kept in the cache: a storyline
# that reaches its publication time shows within this time. It is kept per content version,
# so a new colour (a campaign's or a storyline's) shows at once.
THEME_CACHE_SECONDS = 60


def build_theme_css(campaign, storylines) -> str:
    """The stylesheet for ``campaign`` (possibly unsaved: its default colours) and the
    ``(slug, color)`` pairs of ``storylines``."""
    rules = [
        f":root {{ {color_properties('brand', campaign.primary_color)} "
        f"{color_properties('brand-2', campaign.secondary_color)} }}"
    ]
    for slug, color in storylines:
        rules.append(f".accent-{slug} {{ {color_properties('accent', color)} }}")
    return "\n".join(rules) + "\n"


def fingerprint(css: str) -> str:
    return hashlib.sha256(css.encode()).hexdigest()[:16]


def public_theme(campaign) -> tuple[str, str]:
    """``(fingerprint, css)`` of the stylesheet the public sees with ``campaign``: its
    colours and its own storylines' (an unsaved one: every public campaign's storylines)."""
    colours = f"{campaign.pk}:{campaign.primary_color}:{campaign.secondary_color}"
    key = f"theme-css:{current_version()}:" + hashlib.sha256(colours.encode()).hexdigest()[:32]
    try:
        theme = cache.get(key)
    except Exception:
        logger.exception("Theme cache unavailable")
        theme = None
    if theme is None:
        storylines = Storyline.objects.listed(campaign if campaign.pk else None)
        css = build_theme_css(campaign, storylines.values_list("slug", "color"))
        theme = (fingerprint(css), css)
        try:
            cache.set(key, theme, THEME_CACHE_SECONDS)
        except Exception:
            logger.exception("Could not keep the theme in the cache")
    return theme


def theme_css_url(campaign) -> str:
    """The address of ``campaign``'s stylesheet, fingerprinted by its content, in the URL
    space the page is in (``/zorg/thema.<fingerprint>.css`` on a page under /zorg/)."""
    return campaign_reverse(
        "campaign:theme-css-fingerprinted",
        entered_prefix(),
        {"fingerprint": public_theme(campaign)[0]},
    )
