"""Placeholder pictures for the demo, drawn with Pillow: no downloads, the same every run."""

import io
import random
import zlib
from functools import cache

from django.core.files.base import ContentFile
from PIL import Image, ImageChops, ImageDraw, ImageFont


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):  # Pillow without FreeType
        return ImageFont.load_default()


# Drawn once per process: the browser tests load the demo into an empty database per test.
@cache
def draw_picture(label: str, colors: tuple[str, str], size=(1200, 675)) -> bytes:
    """A JPEG with a diagonal gradient, a few translucent shapes and a caption."""
    width, height = size
    # Seeded by the label: a rerun draws the same picture. Not for secrets.
    rng = random.Random(zlib.crc32(label.encode()))  # noqa: S311
    # Top-left to bottom-right: the mean of a horizontal and a vertical gradient.
    vertical = Image.linear_gradient("L")
    mask = ImageChops.add(vertical, vertical.rotate(90), scale=2).resize(size)
    base = Image.composite(
        Image.new("RGB", size, _rgb(colors[1])), Image.new("RGB", size, _rgb(colors[0])), mask
    ).convert("RGBA")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        radius = rng.randint(height // 10, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        box = (x - radius, y - radius, x + radius, y + radius)
        fill = (255, 255, 255, rng.randint(30, 80))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=fill)
        else:
            draw.rounded_rectangle(box, radius=radius // 4, fill=fill)
    font_size = height // 11
    font = _font(font_size)
    text_box = draw.textbbox((0, 0), label, font=font)
    while text_box[2] > width * 0.9 and font_size > 12:
        font_size -= 4
        font = _font(font_size)
        text_box = draw.textbbox((0, 0), label, font=font)
    band = height // 11 * 2
    draw.rectangle((0, height - band, width, height), fill=(0, 0, 0, 110))
    draw.text(
        (width // 20, height - band // 2 - (text_box[3] + text_box[1]) // 2),
        label,
        font=font,
        fill=(255, 255, 255, 255),
    )
    image = Image.alpha_composite(base, overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


@cache
def draw_logo(name: str, colors: tuple[str, str], size=400) -> bytes:
    """A square PNG logo: the initials of ``name`` on a coloured tile."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 16, size - 16, size - 16), radius=size // 6, fill=_rgb(colors[0]))
    draw.ellipse((size * 5 // 8, size // 8, size * 7 // 8, size * 3 // 8), fill=_rgb(colors[1]))
    words = [word for word in name.replace("&", " ").split() if word[0].isupper()]
    initials = "".join(word[0] for word in words[:2]) or name[:2].upper()
    font = _font(size // 3)
    draw.text((size // 2, size * 9 // 16), initials, font=font, fill=(255, 255, 255), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def attach_image(instance, field_name: str, filename: str, make) -> None:
    """Give the row its demo image once, through the model's image field.

    A row that already has its file keeps it, so a rerun adds no files. The name the
    field stores is the field's business (it may rename and re-encode); this only
    asks whether the file it points at is still there.
    """
    field_file = getattr(instance, field_name)
    if field_file and field_file.storage.exists(field_file.name):
        return
    field_file.save(filename, ContentFile(make()), save=False)
    instance.save(update_fields=[field_name])
