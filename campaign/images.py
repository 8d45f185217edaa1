"""Checks for uploaded images: by content, not by name."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# Many phones write JPEGs with extra frames (MPO); the first frame is a normal JPEG.
FORMAT_ALIASES = {"MPO": "JPEG"}


def _is_stored(file) -> bool:
    # A FieldFile already in storage was checked when it was uploaded. full_clean() runs
    # these validators again on every save; re-reading would crash on a missing file.
    return getattr(file, "_committed", False) is True


def validate_image_file(file) -> None:
    """Reject anything that is not a real JPEG, PNG or WebP within the size and pixel limits."""
    if _is_stored(file):
        return
    size = getattr(file, "size", None)
    if size is None or size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > settings.MAX_IMAGE_UPLOAD_BYTES:
        raise ValidationError(
            _("De afbeelding is te groot: maximaal %(size)s.")
            % {"size": filesizeformat(settings.MAX_IMAGE_UPLOAD_BYTES)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # A decompression bomb must fail, not just warn.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = FORMAT_ALIASES.get(image.format, image.format)
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
    if _is_stored(file):
        return
    size = getattr(file, "size", 0) or 0
    if size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > settings.MAX_VIDEO_UPLOAD_BYTES:
        raise ValidationError(
            _("De video is te groot: maximaal %(size)s.")
            % {"size": filesizeformat(settings.MAX_VIDEO_UPLOAD_BYTES)},
            code="too_large",
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
    if _is_stored(file):
        return
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


MAX_STORED_IMAGE_SIDE = 2400
_SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 4},
}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def reencode_image(file, *, name_stem: str):
    """Return a fresh copy of an uploaded image with no metadata (EXIF, GPS, comments).

    The pixels are decoded and written anew, so nothing hidden in the original file
    (a location, a camera serial, a polyglot payload) survives. The orientation from
    EXIF is applied first so the photo still stands upright. Very large photos are
    scaled down to MAX_STORED_IMAGE_SIDE.
    """
    import io

    from django.core.files.base import ContentFile
    from PIL import ImageOps

    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(file) as original:
            image_format = FORMAT_ALIASES.get(original.format, original.format)
            if image_format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    _("Alleen JPEG-, PNG- of WebP-afbeeldingen zijn toegestaan."), code="format"
                )
            image = ImageOps.exif_transpose(original)
            if image_format == "JPEG":
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            image.thumbnail((MAX_STORED_IMAGE_SIDE, MAX_STORED_IMAGE_SIDE))
            buffer = io.BytesIO()
            # No exif=, no icc_profile=, no pnginfo=: nothing of the original's metadata is kept.
            image.save(buffer, format=image_format, **_SAVE_OPTIONS[image_format])
    return ContentFile(buffer.getvalue(), name=f"{name_stem}.{_EXTENSIONS[image_format]}")
