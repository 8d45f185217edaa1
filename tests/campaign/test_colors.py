"""The theme's colours meet WCAG 2.1 AA for every storyline colour, with WCAG's own thresholds."""

import pytest

from campaign.colors import (
    INK,
    LARGE_TEXT_CONTRAST,
    NORMAL_TEXT_CONTRAST,
    WHITE,
    color_properties,
    contrast,
    fill_shade,
    mix,
    readable_on,
    required_contrast,
    text_shade,
)


@pytest.mark.parametrize(
    ("size_px", "bold", "expected"),
    [
        (24, False, LARGE_TEXT_CONTRAST),  # 18 pt regular: large
        (23.99, False, NORMAL_TEXT_CONTRAST),
        (18.66, True, LARGE_TEXT_CONTRAST),  # 14 pt bold: large (axe-core rounds the same way)
        (18.65, True, NORMAL_TEXT_CONTRAST),
        (18, True, NORMAL_TEXT_CONTRAST),  # the storyline tab label at 375 px
        (18.66, False, NORMAL_TEXT_CONTRAST),
        (16, False, NORMAL_TEXT_CONTRAST),
        (40, True, LARGE_TEXT_CONTRAST),
    ],
)
def test_required_contrast_uses_wcag_thresholds_for_large_text(size_px, bold, expected):
    assert required_contrast(size_px=size_px, bold=bold) == expected


def test_thresholds_are_those_of_wcag_aa():
    assert NORMAL_TEXT_CONTRAST == 4.5
    assert LARGE_TEXT_CONTRAST == 3.0


def test_contrast_of_known_pairs():
    assert round(contrast(WHITE, "#000000"), 2) == 21
    assert 4.29 < contrast(WHITE, "#d9480f") < NORMAL_TEXT_CONTRAST
    assert round(contrast("#767676", WHITE), 2) == 4.54
    assert round(contrast("#777777", WHITE), 2) == 4.48


def test_fill_of_the_orange_that_failed_at_375_px_carries_small_white_text():
    fill = fill_shade("#D9480F")
    ink = readable_on(fill)
    assert contrast(fill, ink) >= NORMAL_TEXT_CONTRAST


@pytest.mark.parametrize(
    ("color", "unchanged"),
    [
        ("#767676", True),  # 4.54:1 with white: already enough
        ("#777777", False),  # 4.48:1 with white: must move
        ("#d9480f", False),  # neither white (4.29) nor ink reaches 4.5
        ("#ffd23f", True),  # ink on yellow is plenty
        ("#000000", True),
        ("#ffffff", True),
    ],
)
def test_fill_moves_a_colour_only_when_its_text_would_fail(color, unchanged):
    fill = fill_shade(color)
    assert (fill.lower() == color.lower()) is unchanged
    assert contrast(fill, readable_on(fill)) >= NORMAL_TEXT_CONTRAST


def every_colour(step=17):
    for r in range(0, 256, step):
        for g in range(0, 256, step):
            for b in range(0, 256, step):
                yield f"#{r:02x}{g:02x}{b:02x}"


def test_every_colour_gets_text_that_reads_as_normal_text_on_fill_white_and_tint():
    for color in every_colour():
        fill = fill_shade(color)
        assert contrast(fill, readable_on(fill)) >= NORMAL_TEXT_CONTRAST, color
        shade = text_shade(color)
        assert contrast(shade, WHITE) >= NORMAL_TEXT_CONTRAST, color
        assert contrast(shade, mix(color, WHITE, 0.86)) >= NORMAL_TEXT_CONTRAST, color


def test_color_properties_name_the_fill_and_its_ink():
    css = color_properties("accent", "#D9480F")
    fill = css.split("--accent-fill: ")[1].split(";")[0]
    ink = css.split("--accent-ink: ")[1].split(";")[0]
    assert contrast(fill, ink) >= NORMAL_TEXT_CONTRAST
    assert ink in (WHITE, INK)
