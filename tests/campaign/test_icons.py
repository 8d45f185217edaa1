"""Storyline icons are SVG files shipped with the site; no template depends on an emoji font."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from campaign.models import Storyline
from tests.factories import CampaignFactory, StorylineFactory

# Pictographs, dingbats, arrows-with-emoji-presentation and the emoji variation selector.
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55\ufe0f]")
ICONS_DIR = Path(settings.BASE_DIR) / "static" / "img" / "icons"


def render(source, **context):
    return Template("{% load icons %}" + source).render(Context(context))


def test_every_storyline_icon_choice_ships_as_an_svg_file():
    for name in Storyline.Icon.values:
        svg = (ICONS_DIR / f"{name}.svg").read_text()
        assert svg.startswith("<svg") and "currentColor" in svg


def test_icon_tag_inlines_a_decorative_svg_hidden_from_screen_readers():
    html = render('{% icon "robot" %}')
    assert html.startswith('<svg class="icon"')
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert "<rect" in html


def test_icon_tag_names_an_icon_that_stands_alone():
    html = render('{% icon "robot" label=title %}', title="Robotica <3")
    assert 'role="img"' in html and 'aria-label="Robotica &lt;3"' in html
    assert "<title>Robotica &lt;3</title>" in html
    assert "aria-hidden" not in html


@pytest.mark.parametrize("name", ["", "bestaat-niet", "../../config/settings", "🤖", None])
def test_icon_tag_renders_nothing_for_an_unknown_name(name):
    assert render("{% icon name %}", name=name) == ""


def test_no_template_contains_an_emoji():
    found = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if EMOJI.search(line):
                found.append(f"{path}:{number}")
    assert not found


@pytest.mark.django_db
def test_storyline_pages_show_the_chosen_svg_icon(client):
    storyline = StorylineFactory(campaign=CampaignFactory(), icon=Storyline.Icon.LEAF)
    for url in (reverse("home"), storyline.get_absolute_url()):
        html = client.get(url).text
        assert (ICONS_DIR / "leaf.svg").read_text().split(">", 1)[1].split("</svg>")[0] in html
        assert not EMOJI.search(html)


@pytest.mark.django_db
def test_data_migration_maps_emoji_to_icon_names():
    migration = importlib.import_module("campaign.migrations.0006_storyline_icon_as_svg_name")
    campaign = CampaignFactory()
    old = {
        "🔧": "wrench",
        "🩺": "heart-pulse",
        "⚙️": "gear",
        "⚓": "anchor",
        "🦄": "gear",
        "": "gear",
    }
    storylines = {emoji: StorylineFactory(campaign=campaign, icon=emoji) for emoji in old}
    kept = StorylineFactory(campaign=campaign, icon="leaf")
    migration.emoji_to_icon_names(apps, None)
    for emoji, name in old.items():
        storylines[emoji].refresh_from_db()
        assert storylines[emoji].icon == name
    kept.refresh_from_db()
    assert kept.icon == "leaf"
