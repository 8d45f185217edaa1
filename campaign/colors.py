"""Colours chosen in the admin, made readable: WCAG 2.1 AA contrast for every colour.

The theme stylesheet (/thema.css) gives every brand and storyline colour a fill for
backgrounds that carry text, the text colour on that fill, a shade for coloured text and
a light tint. Text on a fill is set at many sizes (an 18 px bold tab label on a phone,
a 3 rem title on a desktop), so every pair is made to hold for normal text, the
strictest case, at every width.
"""

WHITE = "#ffffff"
INK = "#1b1340"

# WCAG 2.1 success criterion 1.4.3 (Contrast, minimum), level AA.
NORMAL_TEXT_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 3.0
# Large text is at least 18 pt (24 px), or 14 pt (18.66 px) when bold: WCAG's "large scale".
LARGE_TEXT_PX = 24
LARGE_BOLD_TEXT_PX = 18.66


def required_contrast(*, size_px: float, bold: bool) -> float:
    """The AA minimum for text of this CSS size and weight."""
    is_large = size_px >= LARGE_TEXT_PX or (bold and size_px >= LARGE_BOLD_TEXT_PX)
    return LARGE_TEXT_CONTRAST if is_large else NORMAL_TEXT_CONTRAST


def _channel(value: int) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in rgb)


def luminance(color: str) -> float:
    r, g, b = (_channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0–1) of the way towards ``other``."""
    return _hex(c + (o - c) * amount for c, o in zip(_rgb(color), _rgb(other), strict=True))


def readable_on(background: str) -> str:
    """White or ink, whichever reads better on ``background``."""
    return WHITE if contrast(background, WHITE) >= contrast(background, INK) else INK


def _moved_until(color: str, towards: str, readable) -> str:
    shade, step = color, 0.0
    while not readable(shade) and step < 1:
        step = min(1.0, step + 0.02)
        shade = mix(color, towards, step)
    return shade


def fill_shade(color: str, minimum: float = NORMAL_TEXT_CONTRAST) -> str:
    """``color`` as a background for text: moved away from its text colour until they read.

    Some colours (an orange such as #d9480f) reach 4.5:1 with neither white nor ink.
    """
    ink = readable_on(color)
    away = INK if ink == WHITE else WHITE
    return _moved_until(color, away, lambda shade: contrast(shade, ink) >= minimum)


def tint(color: str) -> str:
    """A light version of ``color`` for large backgrounds."""
    return mix(color, WHITE, 0.86)


def text_shade(color: str, minimum: float = 5.0) -> str:
    """``color`` darkened just enough to read as text on white and on its own tint."""
    soft = tint(color)
    return _moved_until(
        color,
        INK,
        lambda shade: contrast(shade, WHITE) >= minimum and contrast(shade, soft) >= minimum,
    )


def color_properties(name: str, color: str) -> str:
    """CSS custom properties for one colour: the colour, a fill with its text colour, a text shade, a tint."""
    fill = fill_shade(color)
    return (
        f"--{name}: {color}; --{name}-ink: {readable_on(fill)}; --{name}-fill: {fill}; "
        f"--{name}-text: {text_shade(color)}; --{name}-soft: {tint(color)};"
    )
