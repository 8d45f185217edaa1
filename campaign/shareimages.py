"""Share images: a page's title in the campaign's colours, drawn with Pillow.

One image per page and size, for LinkedIn and Open Graph (1200×627), Instagram
(1080×1350) and a TikTok/story cover (1080×1920). The file name is a hash of everything
drawn, so an edit gives a new file and an old one is never served again. A share image
with a logo is stored in that logo's rendition folder: withdrawing the logo
(``delete_stored_image``) removes its share images with its other renditions.
"""

import hashlib
import io
import json
import posixpath
import xml.etree.ElementTree as ET  # noqa: S405 - only our own icons in static/ are parsed.
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, ImageOps
from svg.path import parse_path

from campaign.colors import (
    NORMAL_TEXT_CONTRAST,
    WHITE,
    contrast,
    fill_shade,
    readable_on,
    text_shade,
)
from campaign.images import rendition_folder

SIZES = {
    "linkedin": (1200, 627),
    "instagram": (1080, 1350),
    "story": (1080, 1920),
}
OG_SIZE = SIZES["linkedin"]
# Part of the hash: a change to the drawing below makes new files for every page.
DRAWING_VERSION = "2"

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
ICON_DIR = Path(settings.BASE_DIR) / "static" / "img" / "icons"


@dataclass(frozen=True)
class ShareContent:
    """Everything that is drawn: the same content always gives the same file."""

    title: str
    kicker: str
    footer: str
    color: str
    accent: str
    icon: str = ""
    logo: str = ""

    @property
    def digest(self) -> str:
        payload = json.dumps([DRAWING_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:24]


def share_image_name(content: ShareContent, size: tuple[int, int]) -> str:
    """Where the image of ``content`` at ``size`` is stored, under the renditions folder."""
    if content.logo:
        folder = rendition_folder(content.logo)
    else:
        folder = posixpath.join(settings.IMAGEKIT_CACHEFILE_DIR, "share")
    width, height = size
    return posixpath.join(folder, f"share-{content.digest}-{width}x{height}.png")


def ensure_share_image(content: ShareContent, size: tuple[int, int], storage=None) -> str:
    """The stored name of the share image, drawn and saved first if it is not there yet."""
    storage = storage or default_storage
    name = share_image_name(content, size)
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(render_share_image(content, size)))
        if saved != name:
            # Another request drew it at the same moment: keep theirs, drop the copy.
            storage.delete(saved)
    return name


# Drawing -----------------------------------------------------------------------


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _wrap(draw, text: str, font, max_width: int, *, break_words: bool = False) -> list[str]:
    """Greedy word wrap by measured width; ``break_words`` cuts a word wider than a line."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= max_width:
            lines[-1] = candidate
            continue
        lines.append(word)
        while break_words and draw.textlength(lines[-1], font=font) > max_width:
            # A URL or a run of letters without spaces: cut it at the last letter that fits.
            word = lines.pop()
            cut = len(word) - 1
            while cut > 1 and draw.textlength(word[:cut], font=font) > max_width:
                cut -= 1
            lines += [word[:cut], word[cut:]]
    return lines or [""]


def fit_text(
    draw, text: str, box: tuple[int, int], *, start: int, minimum: int = 20, path=BOLD_FONT
):
    """The largest font (bold unless told) and its lines with which ``text`` fits in ``box``.

    At the smallest size over-long words are cut, and lines that do not fit the height
    are left off with an ellipsis: the image never shows text running off its edge.
    """
    max_width, max_height = box
    size = start
    while True:
        font = _font(path, size)
        lines = _wrap(draw, text, font, max_width)
        line_height = round(size * 1.2)
        widest = max(draw.textlength(line, font=font) for line in lines)
        if widest <= max_width and line_height * len(lines) <= max_height:
            return font, lines, line_height
        if size <= minimum:
            lines = _wrap(draw, text, font, max_width, break_words=True)
            room = max(1, max_height // line_height)
            if len(lines) > room:
                lines = lines[:room]
                last = lines[-1]
                while last and draw.textlength(f"{last}…", font=font) > max_width:
                    last = last[:-1]
                lines[-1] = f"{last}…"
            return font, lines, line_height
        size -= 4


def _icon_paths(name: str):
    """The strokes of a shipped 24×24 icon as polylines (circles, rects and paths)."""
    path = ICON_DIR / f"{name}.svg"
    if not name or not path.is_file():
        return []
    root = ET.parse(path).getroot()  # noqa: S314 - our own file, not user input.
    strokes = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "path":
            for segment in parse_path(element.get("d", "")):
                steps = 1 if type(segment).__name__ in ("Line", "Move", "Close") else 16
                if type(segment).__name__ != "Move":
                    strokes.append(("line", [segment.point(t / steps) for t in range(steps + 1)]))
        elif tag == "circle":
            cx, cy, r = (float(element.get(a, 0)) for a in ("cx", "cy", "r"))
            strokes.append(("circle", (complex(cx, cy), r)))
        elif tag == "rect":
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            w, h = float(element.get("width", 0)), float(element.get("height", 0))
            corners = [complex(x, y), complex(x + w, y), complex(x + w, y + h), complex(x, y + h)]
            strokes.append(("line", [*corners, corners[0]]))
    return strokes


ICON_SUPERSAMPLING = 4


def _draw_icon(image, name: str, box: tuple[int, int, int], color: str) -> None:
    """The icon drawn with round strokes, as the SVG does, scaled into a square.

    Drawn four times larger on a transparent layer and scaled down: Pillow's lines have
    no anti-aliasing, and the thin strokes would look jagged.
    """
    left, top, side = box
    big = side * ICON_SUPERSAMPLING
    scale = big / 24
    width = max(2, round(2 * scale))
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)

    def at(point: complex) -> tuple[float, float]:
        return point.real * scale, point.imag * scale

    for kind, shape in _icon_paths(name):
        if kind == "circle":
            (cx, cy), radius = at(shape[0]), shape[1] * scale
            draw.ellipse(
                (cx - radius, cy - radius, cx + radius, cy + radius), outline=color, width=width
            )
            continue
        points = [at(p) for p in shape]
        draw.line(points, fill=color, width=width, joint="curve")
        # Round line caps, as stroke-linecap="round" in the icons.
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=color)
    layer = layer.resize((side, side), Image.Resampling.LANCZOS)
    image.paste(layer, (left, top), layer)


def _paste_logo(image, name: str, box: tuple[int, int, int, int], storage) -> None:
    """The logo on a white card, scaled to fit: logos are made for a light background."""
    left, top, right, bottom = box
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(box, radius=24, fill=WHITE)
    try:
        with storage.open(name) as file, Image.open(file) as logo:
            logo = ImageOps.contain(logo.convert("RGBA"), (right - left - 32, bottom - top - 32))
    except (OSError, ValueError):
        return  # A missing logo file leaves the white card: the page still gets its image.
    x = left + (right - left - logo.width) // 2
    y = top + (bottom - top - logo.height) // 2
    image.paste(logo, (x, y), logo)


def render_share_image(content: ShareContent, size: tuple[int, int], storage=None) -> bytes:
    """The PNG bytes of the share image of ``content`` at ``size``."""
    storage = storage or default_storage
    width, height = size
    fill = fill_shade(content.color)
    ink = readable_on(fill)
    band = fill_shade(content.accent)
    band_ink = readable_on(band)
    # fill_shade makes these pairs hold for normal text; say so, so a change is noticed.
    assert contrast(fill, ink) >= NORMAL_TEXT_CONTRAST  # noqa: S101
    assert contrast(band, band_ink) >= NORMAL_TEXT_CONTRAST  # noqa: S101

    image = Image.new("RGB", size, fill)
    draw = ImageDraw.Draw(image)
    margin = round(min(width, height) * 0.07)
    unit = min(width, height)

    # Bottom band in the accent colour with the campaign's name.
    band_height = round(unit * 0.14)
    draw.rectangle((0, height - band_height, width, height), fill=band)
    footer_font, footer_lines, _lh = fit_text(
        draw,
        content.footer,
        (width - 2 * margin, round(band_height * 0.6)),
        start=round(band_height * 0.4),
        minimum=16,
    )
    draw.text(
        (margin, height - band_height / 2),
        footer_lines[0],
        font=footer_font,
        fill=band_ink,
        anchor="lm",
    )

    # Top row: the storyline icon on a light badge, the logo on a white card.
    badge = round(unit * 0.2)
    top = margin
    if content.icon:
        draw.ellipse((margin, top, margin + badge, top + badge), fill=WHITE)
        inset = round(badge * 0.2)
        _draw_icon(
            image,
            content.icon,
            (margin + inset, top + inset, badge - 2 * inset),
            text_shade(content.color),
        )
    if content.logo:
        logo_width = round(badge * 2)
        _paste_logo(
            image,
            content.logo,
            (width - margin - logo_width, top, width - margin, top + badge),
            storage,
        )

    # Kicker and title, fitted between the top row and the band.
    text_top = top + badge + round(margin * 0.8)
    text_bottom = height - band_height - margin
    if content.kicker:
        # A long school name shrinks to fit the width (two lines at most) rather than run off.
        kicker_size = max(20, round(unit * 0.045))
        kicker_font, kicker_lines, kicker_height = fit_text(
            draw,
            content.kicker,
            (width - 2 * margin, kicker_size * 3),
            start=kicker_size,
            minimum=18,
            path=REGULAR_FONT,
        )
        for line in kicker_lines:
            draw.text((margin, text_top), line, font=kicker_font, fill=ink)
            text_top += kicker_height
        text_top += round(kicker_size * 0.4)
    title_font, lines, line_height = fit_text(
        draw,
        content.title,
        (width - 2 * margin, text_bottom - text_top),
        start=round(unit * 0.13),
    )
    y = text_top
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=ink)
        y += line_height

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
