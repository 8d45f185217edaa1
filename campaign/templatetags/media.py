"""Shared widgets for images and videos: responsive ``<picture>`` and privacy-friendly video.

``{% picture image alt sizes widths %}`` serves an uploaded image in sizes that fit, as
WebP with a fallback in the original format. Every URL is computed from the image's name
(campaign.renditions): no query, no cache lookup and no file access per image. The
renditions are made by the task worker when the image is stored.
"""

import logging
import re
from urllib.parse import parse_qs, urlsplit

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.translation import gettext as _

from campaign.renditions import (
    RENDITION_WIDTHS,
    rendition_formats,
    rendition_url,
    rendition_widths,
    source_format,
    source_size,
)

logger = logging.getLogger(__name__)
register = template.Library()

DEFAULT_WIDTHS = (320, 640, 960, 1280)
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def parse_widths(widths) -> tuple[int, ...]:
    if not widths:
        return DEFAULT_WIDTHS
    if isinstance(widths, str):
        widths = [w for w in re.split(r"[,\s]+", widths) if w]
    widths = tuple(int(w) for w in widths)
    unplanned = set(widths) - set(RENDITION_WIDTHS)
    if unplanned:
        # Only the planned widths are made ahead (campaign.renditions.RENDITION_WIDTHS).
        raise ValueError(f"picture: no renditions are made at {sorted(unplanned)} pixels")
    return widths


@register.simple_tag
def picture(
    image,
    alt=None,
    sizes="100vw",
    widths=None,
    *,
    decorative=False,
    css_class="",
    loading="lazy",
):
    """A ``<picture>`` with WebP and original-format srcsets; nothing when the field is empty.

    ``alt`` is required; an empty alt is allowed only with ``decorative=True``.
    ``loading="eager"`` is for the one image at the top of a page (it gets a high
    fetch priority); every other image loads lazily.
    """
    if not image or not getattr(image, "name", None):
        return ""
    alt = "" if alt is None else str(alt).strip()
    if not alt and not decorative:
        raise ValueError(f"picture: alt text required for {image.name} (or decorative=True)")
    size = source_size(image)
    if size is None:
        return ""
    source_width, source_height = size
    widths = rendition_widths(source_width, parse_widths(widths))
    fallback_format = source_format(image.name)
    fallback = [(rendition_url(image, w, fallback_format), w) for w in widths]
    webp = (
        [] if fallback_format == "WEBP" else [(rendition_url(image, w, "WEBP"), w) for w in widths]
    )
    largest = widths[-1]
    height = round(source_height * largest / source_width)
    return get_template("includes/picture.html").render(
        {
            "webp_srcset": ", ".join(f"{url} {w}w" for url, w in webp),
            "fallback_srcset": ", ".join(f"{url} {w}w" for url, w in fallback),
            "fallback_type": MIME_TYPES[fallback_format],
            "src": fallback[-1][0],
            "width": largest,
            "height": height,
            "sizes": sizes,
            "alt": "" if decorative else alt,
            "css_class": css_class,
            "eager": loading == "eager",
        },
    )


@register.simple_tag
def image_url(image, width=1200, image_format=None, absolute=False):
    """The URL of one rendition (for a video poster or og:image); empty without an image."""
    if not image or not getattr(image, "name", None):
        return ""
    size = source_size(image)
    if size is None:
        return ""
    (width,) = rendition_widths(size[0], parse_widths([width]))
    formats = rendition_formats(image.name)
    image_format = str(image_format or "").upper()
    url = rendition_url(image, width, image_format if image_format in formats else formats[0])
    if absolute and url.startswith("/"):
        url = settings.SITE_URL + url
    return url


@register.filter
def duration(seconds):
    """Seconds as a Dutch reading time: "45 sec", "2:05 min"."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    if seconds < 60:
        return _("%(seconds)s sec") % {"seconds": seconds}
    return _("%(minutes)s:%(seconds)02d min") % {"minutes": seconds // 60, "seconds": seconds % 60}


# External videos ---------------------------------------------------------------

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
NUMERIC_ID = re.compile(r"^\d{4,25}$")


def external_video(url: str) -> dict | None:
    """Provider, watch URL and privacy-friendly embed URL of a YouTube, Vimeo or TikTok link.

    Returns None for anything else: an unknown link is never put in an iframe.
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}:
        if segments[:1] == ["watch"] or not segments:
            video_id = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video_id = segments[1]
        provider = "youtube"
    elif host == "youtu.be":
        video_id = segments[0] if segments else None
        provider = "youtube"
    elif host in {"vimeo.com", "player.vimeo.com"}:
        video_id = next((s for s in reversed(segments) if NUMERIC_ID.match(s)), None)
        provider = "vimeo"
    elif host in {"tiktok.com", "vm.tiktok.com"}:
        if "video" in segments:
            index = segments.index("video")
            video_id = segments[index + 1] if index + 1 < len(segments) else None
        elif len(segments) >= 3 and segments[:2] == ["embed", "v2"]:
            video_id = segments[2]
        provider = "tiktok"
    else:
        return None
    if not video_id:
        return None
    if provider == "youtube" and YOUTUBE_ID.match(video_id):
        return {
            "provider": "youtube",
            "name": "YouTube",
            "id": video_id,
            "watch_url": f"https://www.youtube.com/watch?v={video_id}",
            "embed_url": f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0",
        }
    if provider == "vimeo" and NUMERIC_ID.match(video_id):
        return {
            "provider": "vimeo",
            "name": "Vimeo",
            "id": video_id,
            "watch_url": f"https://vimeo.com/{video_id}",
            "embed_url": f"https://player.vimeo.com/video/{video_id}?autoplay=1&dnt=1",
        }
    if provider == "tiktok" and NUMERIC_ID.match(video_id):
        return {
            "provider": "tiktok",
            "name": "TikTok",
            "id": video_id,
            "watch_url": url.strip(),
            "embed_url": f"https://www.tiktok.com/embed/v2/{video_id}",
        }
    return None


@register.inclusion_tag("includes/video.html")
def video_player(video, heading_level=3):
    """An uploaded video with captions and transcript, or an external one loaded on click."""
    return {
        "video": video,
        "external": None if video.video_file else external_video(video.external_url),
        "heading_tag": f"h{heading_level}",
    }
