"""Image renditions: fixed names, made ahead of the first visitor by the task worker.

A stored image's name carries its size (campaign.images.CLEAN_NAME), and each rendition
has a name derived from that name, its width and its format. So the page that shows an
image computes every rendition URL by string formatting: no hashing, no cache lookup, no
file check and no query per image. The renditions themselves are made once, when the
image is stored (campaign.tasks.make_renditions, queued on commit), or for images stored
earlier by ``manage.py make_renditions``. Until the worker has made them, a new image's
renditions answer 404 for a few seconds; no request ever resizes an image.
"""

import io
import logging
import posixpath
import re

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from imagekit.processors import ResizeToFit
from PIL import Image, ImageOps
from pilkit.utils import save_image

from campaign.images import CLEAN_NAME, rendition_folder, size_from_name

logger = logging.getLogger(__name__)

# Every width a page may ask for. Renditions are made for these (below the source's width)
# and for the source's own width; a template asking for another width is a mistake that
# the picture tag reports at once.
RENDITION_WIDTHS = (64, 128, 320, 480, 640, 720, 960, 1200, 1280)
EXTENSION_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 78, "method": 4},
}
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}


def source_format(name: str) -> str:
    for extension, image_format in EXTENSION_FORMATS.items():
        if name.lower().endswith(extension):
            return image_format
    return "JPEG"


def source_size(image) -> tuple[int, int] | None:
    """Upright width and height of a stored image.

    Read from its name; only an image stored before names carried the size is opened
    (once, then cached by name: names are unique). ``manage.py reencode_images`` gives
    such images a sized name.
    """
    size = size_from_name(image.name)
    if size is not None:
        return size
    key = f"media:size:{image.storage.__class__.__name__}:{image.name}"
    size = cache.get(key)
    if size is None:
        try:
            with image.storage.open(image.name, "rb") as handle, Image.open(handle) as img:
                width, height = img.size
                orientation = img.getexif().get(0x0112)
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.warning("Cannot read image %s", image.name)
            return None
        if orientation in QUARTER_TURNS:
            width, height = height, width
        size = (width, height)
        cache.set(key, size, 60 * 60 * 24 * 30)
    return tuple(size)


def rendition_widths(source_width: int, widths) -> list[int]:
    """The requested widths that do not upscale, plus the source width if it is smaller."""
    fitting = sorted({w for w in widths if w < source_width})
    if len(fitting) < len(set(widths)):
        fitting.append(source_width)
    return fitting


def rendition_formats(name: str) -> list[str]:
    """The source's own format, and WebP next to a JPEG or PNG."""
    image_format = source_format(name)
    return [image_format] if image_format == "WEBP" else [image_format, "WEBP"]


def rendition_name(name: str, width: int, image_format: str) -> str:
    """Where the rendition of ``name`` at ``width`` pixels in ``image_format`` is stored."""
    return posixpath.join(rendition_folder(name), f"{width}.{FORMAT_EXTENSIONS[image_format]}")


def rendition_url(image, width: int, image_format: str) -> str:
    name = rendition_name(image.name, width, image_format)
    storage = image.storage
    if isinstance(storage, FileSystemStorage) and CLEAN_NAME.search(image.name):
        # Nothing in a clean name needs quoting: skip urljoin, which is most of the cost.
        return storage.base_url + name
    return storage.url(name)


def planned_renditions(name: str, size: tuple[int, int]) -> list[tuple[int, str]]:
    """Every (width, format) that a page may ask of the image ``name`` of ``size``."""
    widths = rendition_widths(size[0], RENDITION_WIDTHS)
    return [(width, fmt) for fmt in rendition_formats(name) for width in widths]


def make_renditions(name: str, storage=None, only=None) -> int:
    """Make the missing renditions of the stored image ``name`` (or only the ``(width,
    format)`` pairs in ``only``); returns how many were made."""
    storage = storage or default_storage
    if not name or not storage.exists(name):
        return 0
    with storage.open(name, "rb") as handle, Image.open(handle) as opened:
        source = opened.copy()
    # Images stored by campaign.images are upright already; older ones may not be.
    source = ImageOps.exif_transpose(source)
    made = 0
    for width, image_format in planned_renditions(name, source.size):
        if only is not None and (width, image_format) not in only:
            continue
        target = rendition_name(name, width, image_format)
        if storage.exists(target):
            continue
        resized = ResizeToFit(width=width, upscale=False).process(source.copy())
        buffer = io.BytesIO()
        save_image(resized, buffer, image_format, SAVE_OPTIONS[image_format])
        saved = storage.save(target, ContentFile(buffer.getvalue()))
        if saved != target:
            # Another worker made it at the same moment: keep theirs, drop the copy.
            storage.delete(saved)
        made += 1
    return made


RENDITION_PATH = re.compile(r"^(?P<stem>.+)/(?P<width>[1-9][0-9]{0,4})\.(?P<ext>jpg|png|webp)$")


def make_requested_rendition(path: str, storage=None) -> bool:
    """Make the one rendition at ``path`` (under MEDIA_ROOT) if it is missing.

    Only for the development server and the tests (config.media), where the task worker
    may not have run: a production page request never resizes an image.
    """
    storage = storage or default_storage
    folder = settings.IMAGEKIT_CACHEFILE_DIR + "/"
    match = RENDITION_PATH.match(path.removeprefix(folder)) if path.startswith(folder) else None
    if match is None or storage.exists(path):
        return False
    image_format = EXTENSION_FORMATS["." + match["ext"]]
    for extension in ("jpg", "png", "webp"):
        source = f"{match['stem']}.{extension}"
        if storage.exists(source):
            return make_renditions(source, storage, only={(int(match["width"]), image_format)}) > 0
    return False
