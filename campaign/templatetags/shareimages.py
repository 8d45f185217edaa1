"""``{% share_image_url page %}``: the address of a page's generated share image.

Only the row's kind and key go into the address, so a page pays no query for it; the
image itself is drawn (once) when a social network first asks for it.
"""

from django import template
from django.urls import reverse

from campaign.seo import absolute_url
from campaign.shareimages import OG_SIZE

register = template.Library()

# The class name, lower case → the kind in the address (config.shareimages serves each kind).
KINDS = {
    "campaign": "campagne",
    "storyline": "verhaallijn",
    "school": "school",
    "newsitem": "nieuws",
    "session": "masterclass",
    "company": "bedrijf",
}


def _kwargs(row, size):
    width, height = size
    return {
        "kind": KINDS[type(row).__name__.lower()],
        "pk": row.pk,
        "width": width,
        "height": height,
    }


@register.simple_tag
def share_image_url(row, width: int = OG_SIZE[0], height: int = OG_SIZE[1]) -> str:
    """The absolute public address of ``row``'s share image (default 1200×627)."""
    return absolute_url(reverse("share-image", kwargs=_kwargs(row, (width, height))))


def share_image_admin_url(row, size, *, download: bool = True) -> str:
    """Where a coordinator downloads ``row``'s share image, also before it is public."""
    url = reverse("share-image-admin", kwargs=_kwargs(row, size))
    return f"{url}?download=1" if download else url
