"""Checks for uploaded images: by content, not by name."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_image_file(file) -> None:
    """Reject anything that is not a real JPEG, PNG or WebP within the size and pixel limits."""
    size = getattr(file, "size", None)
    if size is None or size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > settings.MAX_IMAGE_UPLOAD_BYTES:
        limit_mb = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            _("De afbeelding is te groot: maximaal %(mb)s MB.") % {"mb": limit_mb},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # A decompression bomb must fail, not just warn.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if image_format not in ALLOWED_IMAGE_FORMATS:
                    raise ValidationError(
                        _("Alleen JPEG-, PNG- of WebP-afbeeldingen zijn toegestaan."),
                        code="format",
                    )
                if width * height > settings.MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("De afbeelding heeft te veel pixels (%(w)s × %(h)s).")
                        % {"w": width, "h": height},
                        code="pixels",
                    )
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                # verify() does not decode the pixels; load() catches truncated files.
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("De afbeelding heeft te veel pixels."), code="pixels") from error
    except Exception as error:  # Pillow raises many kinds for broken files.
        raise ValidationError(
            _("Dit bestand is geen geldige afbeelding (JPEG, PNG of WebP)."), code="invalid"
        ) from error
    finally:
        if hasattr(file, "seek"):
            file.seek(position)


VIDEO_EXTENSIONS = ("mp4", "webm")


def validate_video_file(file) -> None:
    """Accept only MP4 or WebM files within the size limit, checked by their first bytes."""
    size = getattr(file, "size", 0) or 0
    if size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > settings.MAX_VIDEO_UPLOAD_BYTES:
        limit_mb = settings.MAX_VIDEO_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            _("De video is te groot: maximaal %(mb)s MB.") % {"mb": limit_mb}, code="too_large"
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    is_mp4 = len(head) >= 12 and head[4:8] == b"ftyp"
    is_webm = head[:4] == b"\x1a\x45\xdf\xa3"
    if not (is_mp4 or is_webm):
        raise ValidationError(_("Alleen MP4- of WebM-video's zijn toegestaan."), code="format")


def validate_captions_file(file) -> None:
    """Accept only WebVTT caption files."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(10)
    file.seek(position)
    if isinstance(head, str):
        head = head.encode()
    if not head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        raise ValidationError(
            _("Ondertitels moeten een WebVTT-bestand (.vtt) zijn."), code="format"
        )
