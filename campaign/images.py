"""Uploaded images: checked by content, stored without metadata under a random name.

Every image field of the project is a ``PrivateImageField``. Its file is re-encoded on
the way into storage, whatever the entry point (an admin form, the public news form, a
management command, the shell): pupils are minors, so no stored photo may keep a
location, a camera serial, a comment or the uploader's file name. The field registers
itself, so the photo register and the clean-up command find every such field without
knowing the other apps.
"""

import io
import logging
import posixpath
import re
import uuid
import warnings

from django import forms
from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# Many phones write JPEGs with extra frames (MPO); the first frame is a normal JPEG.
FORMAT_ALIASES = {"MPO": "JPEG"}


def _is_stored(file) -> bool:
    # A FieldFile already in storage was checked when it was uploaded. full_clean() runs
    # these validators again on every save; re-reading would crash on a missing file.
    return getattr(file, "_committed", False) is True


def _check_size(file, limit: int, too_large) -> None:
    """Refuse an empty upload, or one over ``limit`` bytes with the message ``too_large``."""
    size = getattr(file, "size", None) or 0
    if size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > limit:
        raise ValidationError(too_large % {"size": filesizeformat(limit)}, code="too_large")


def _file_head(file, length: int) -> bytes:
    """The first ``length`` bytes of an upload, leaving its position where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(length)
    file.seek(position)
    return head.encode() if isinstance(head, str) else head


# Not code="invalid": a form field replaces a validator's message with its own message
# of that code, and FileField's "invalid" says (untruly) that no file was sent.
NOT_AN_IMAGE = _("Dit bestand is geen geldige afbeelding (JPEG, PNG of WebP).")
BROKEN_IMAGE = _(
    "Dit bestand is afgebroken of beschadigd: de afbeelding is niet compleet. "
    "Sla de foto opnieuw op of kies een andere."
)
# What people most often pick by mistake, recognised by the first bytes.
_LOOKALIKES = (
    (
        lambda head: head.startswith(b"%pdf"),
        _("Dit is een PDF-bestand, geen afbeelding. Kies een foto in JPEG, PNG of WebP."),
    ),
    (
        lambda head: b"<svg" in head,
        _("Dit is een SVG-tekening, geen foto. Kies een afbeelding in JPEG, PNG of WebP."),
    ),
    (
        lambda head: any(tag in head for tag in (b"<!doctype html", b"<html", b"<script")),
        _("Dit is een webpagina (HTML), geen afbeelding. Kies een foto in JPEG, PNG of WebP."),
    ),
)


def _not_an_image_error(file) -> ValidationError:
    """The most helpful message for a file Pillow cannot open at all."""
    head = _file_head(file, 1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for matches, message in _LOOKALIKES:
        if matches(head):
            return ValidationError(message, code="not_an_image")
    return ValidationError(NOT_AN_IMAGE, code="not_an_image")


def validate_image_file(file) -> None:
    """Reject anything that is not a real JPEG, PNG or WebP within the size and pixel limits."""
    if _is_stored(file):
        return
    _check_size(
        file, settings.MAX_IMAGE_UPLOAD_BYTES, _("De afbeelding is te groot: maximaal %(size)s.")
    )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # A decompression bomb must fail, not just warn.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                image = Image.open(file)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise
            except Exception as error:  # Pillow raises many kinds for unknown files.
                raise _not_an_image_error(file) from error
            with image:
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
                try:
                    image.verify()
                    file.seek(0)
                    with Image.open(file) as decoded:
                        # verify() does not decode the pixels; load() catches truncated files.
                        decoded.load()
                except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                    raise
                except Exception as error:
                    # The header says JPEG/PNG/WebP, the pixels do not follow: cut off.
                    raise ValidationError(BROKEN_IMAGE, code="broken") from error
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("De afbeelding heeft te veel pixels."), code="pixels") from error
    except Exception as error:  # Whatever else a hostile file makes Pillow raise.
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        if hasattr(file, "seek"):
            file.seek(position)


VIDEO_EXTENSIONS = ("mp4", "webm")


def validate_video_file(file) -> None:
    """Accept only MP4 or WebM files within the size limit, checked by their first bytes."""
    if _is_stored(file):
        return
    _check_size(
        file, settings.MAX_VIDEO_UPLOAD_BYTES, _("De video is te groot: maximaal %(size)s.")
    )
    head = _file_head(file, 16)
    is_mp4 = len(head) >= 12 and head[4:8] == b"ftyp"
    is_webm = head[:4] == b"\x1a\x45\xdf\xa3"
    if not (is_mp4 or is_webm):
        raise ValidationError(_("Alleen MP4- of WebM-video's zijn toegestaan."), code="format")


def validate_captions_file(file) -> None:
    """Accept only WebVTT caption files."""
    if _is_stored(file):
        return
    head = _file_head(file, 10)
    if not head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        raise ValidationError(
            _("Ondertitels moeten een WebVTT-bestand (.vtt) zijn."), code="format"
        )


# Re-encoding on the way into storage ------------------------------------------

MAX_STORED_IMAGE_SIDE = 2400
_SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 4},
}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# What the re-encoding writes: 32 hex digits, the upright size in pixels and one of our
# extensions, nothing else. The size in the name lets a page size its <img> and pick its
# renditions without opening the file, asking the cache or the database.
CLEAN_NAME = re.compile(r"(^|/)[0-9a-f]{32}_[1-9][0-9]{0,4}x[1-9][0-9]{0,4}\.(jpg|png|webp)$")
SIZED_NAME = re.compile(r"_([1-9][0-9]{0,4})x([1-9][0-9]{0,4})\.[a-z]+$")


def size_from_name(name: str) -> tuple[int, int] | None:
    """Width and height of a stored image from its name; None for a name without them."""
    match = SIZED_NAME.search(name)
    return (int(match[1]), int(match[2])) if match else None


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Pixels as sRGB, so the profile can be dropped without changing the colours."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        # Always convert: a profile's name proves nothing, and sRGB to sRGB changes nothing.
        output_mode = "RGBA" if "A" in image.getbands() else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or unusual profile: keep the pixels as they are, drop the profile.
        logger.info("Could not convert an ICC profile to sRGB; dropping it")
        return image


def reencode_image(file) -> ContentFile:
    """A fresh copy of an image under a random name, with no metadata at all.

    The pixels are decoded, converted to sRGB and written into a new image that carries
    nothing of the original: no EXIF/GPS, XMP, IPTC, ICC profile, JPEG comment or PNG
    text chunk (Pillow's save copies ``im.info`` entries such as the comment and the
    ICC profile unless the image is new). The EXIF orientation is applied first so the
    photo still stands upright; very large photos are scaled to MAX_STORED_IMAGE_SIDE.
    """
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(file) as original:
            image_format = FORMAT_ALIASES.get(original.format, original.format)
            if image_format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    _("Alleen JPEG-, PNG- of WebP-afbeeldingen zijn toegestaan."), code="format"
                )
            icc_profile = original.info.get("icc_profile")
            image = ImageOps.exif_transpose(original)
    if image.mode == "CMYK" and icc_profile:
        image = _to_srgb(image, icc_profile)
    elif image.mode in ("RGB", "RGBA"):
        image = _to_srgb(image, icc_profile)
    if image_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail((MAX_STORED_IMAGE_SIDE, MAX_STORED_IMAGE_SIDE))
    # A new image from the bare pixels: its info dict is empty, so save() has no
    # metadata to copy.
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    bare.save(buffer, format=image_format, **_SAVE_OPTIONS[image_format])
    width, height = bare.size
    return ContentFile(
        buffer.getvalue(),
        name=f"{uuid.uuid4().hex}_{width}x{height}.{_EXTENSIONS[image_format]}",
    )


def rendition_folder(name: str) -> str:
    """The folder of every rendition of a stored image (page sizes, admin thumbnails, share
    images): django-imagekit's namer's rule, which campaign.renditions follows too."""
    return posixpath.join(settings.IMAGEKIT_CACHEFILE_DIR, posixpath.splitext(name)[0])


def delete_stored_image(name: str, storage=None) -> None:
    """Remove a stored image and every rendition made of it (page sizes, admin thumbnails)."""
    storage = storage or default_storage
    storage.delete(name)
    folder = rendition_folder(name)
    try:
        _directories, files = storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for file_name in files:
        storage.delete(posixpath.join(folder, file_name))
    # The size of a source is cached by name (campaign.templatetags.media.source_size).
    cache.delete(f"media:size:{storage.__class__.__name__}:{name}")


IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class ImageUploadField(forms.FileField):
    """Form field for images: our content checks give the messages, not Pillow's."""

    default_validators = [validate_image_file]
    widget = forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})


_private_image_fields: list["PrivateImageField"] = []


def private_image_fields() -> list["PrivateImageField"]:
    """Every PrivateImageField of the installed models (the fields register themselves)."""
    return list(_private_image_fields)


class PrivateImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # The one seam: whatever stores an image stores a clean copy under a new name.
        clean = reencode_image(content)
        super().save(clean.name, clean, save=False)
        from campaign.models import Photo  # campaign.models imports this module.

        Photo.objects.get_or_create(file=self.name)
        from campaign.tasks import make_renditions  # campaign.tasks imports the models.

        name = self.name
        if settings.RENDITIONS_AHEAD:
            # Made by the worker ahead of the first visitor, never in a request.
            transaction.on_commit(lambda: make_renditions.enqueue(name))
        if save:
            self.instance.save()


def registered_rows(field):
    """Every row of the model that a registered image field belongs to, whatever its app."""
    return field.model._default_manager.all()  # field registry


class PrivateImageField(models.ImageField):
    """An image field whose files are re-encoded without metadata under a random name."""

    attr_class = PrivateImageFieldFile

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # Historical models in migrations live in their own registry: leave them out.
        if not cls._meta.abstract and cls._meta.apps is global_apps:  # field registry
            _private_image_fields.append(self)

    def formfield(self, **kwargs):
        field = super().formfield(**{"form_class": ImageUploadField, **kwargs})
        # The admin brings its own widget: offer only the formats we accept there too.
        field.widget.attrs.setdefault("accept", IMAGE_ACCEPT)
        return field


def image_has_alt(
    image_field: str, alt_field: str, *, name: str, message
) -> models.CheckConstraint:
    """The database rule that an uploaded image comes with its alt text."""
    return models.CheckConstraint(
        condition=models.Q(**{image_field: ""}) | ~models.Q(**{alt_field: ""}),
        name=name,
        violation_error_message=message,
    )
