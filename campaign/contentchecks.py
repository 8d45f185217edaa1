"""Content checks the admin shows next to a text: readability against its audience's target,
long words in pupil texts, and links whose text says nothing ("klik hier").

Pure functions on strings and settings, so the change pages, the storyline matrix and the
dashboard (which reaches the other apps) share one rule.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from campaign.readability import Readability, measure_rich_text
from campaign.richtext import sanitize_html

# Link texts that tell a screen-reader user, who jumps from link to link, nothing about
# where the link goes (WCAG 2.4.4). Compared after lower-casing and trimming punctuation.
VAGUE_LINK_TEXTS = frozenset(
    {
        "hier",
        "klik hier",
        "klik",
        "lees meer",
        "lees verder",
        "verder lezen",
        "meer",
        "meer info",
        "meer informatie",
        "link",
        "deze link",
        "deze pagina",
        "via deze link",
        "bekijk",
        "bekijk hier",
        "ga verder",
    }
)
# Alt texts the database accepts (it requires one for every image) that tell a blind
# visitor nothing: a word for "picture" or the file name.
VAGUE_ALT_TEXTS = frozenset(
    {"foto", "afbeelding", "plaatje", "beeld", "image", "img", "photo", "picture", "poster"}
)
_FILE_NAME = re.compile(r"\.(jpe?g|png|gif|webp|avif|heic)$|^(img|dsc|pxl)[_-]?\d+", re.IGNORECASE)
DEFAULT_AUDIENCE = "parent"  # News and pages without an audience are read by parents first.
PUPIL = "pupil"

_LINK = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)


def lix_target(audience: str | None) -> int | None:
    """The LIX target for ``audience`` (settings.READABILITY_LIX_TARGETS)."""
    targets = settings.READABILITY_LIX_TARGETS
    return targets.get(audience or DEFAULT_AUDIENCE, targets.get(DEFAULT_AUDIENCE))


def vague_links(rich: str | None) -> list[str]:
    """The texts of the links in rich text ``rich`` that do not say where they lead."""
    found = []
    for inner in _LINK.findall(sanitize_html(rich)):
        text = " ".join(html.unescape(strip_tags(inner)).split())
        if text.lower().strip(" .:!?…→»>") in VAGUE_LINK_TEXTS:
            found.append(text)
    return found


def is_vague_alt(alt: str | None) -> bool:
    """Whether an image's alt text is missing or says nothing ("foto", "IMG_0412.jpg")."""
    text = " ".join((alt or "").split()).strip(" .").lower()
    return len(text) < 3 or text in VAGUE_ALT_TEXTS or bool(_FILE_NAME.search(text))


@dataclass(frozen=True)
class TextCheck:
    readability: Readability
    target: int | None
    audience: str

    @property
    def is_above_target(self) -> bool:
        return self.readability.is_above(self.target)

    @property
    def hard_words(self) -> list[str]:
        """Words of more than four syllables, flagged in pupil texts only."""
        return self.readability.hard_words if self.audience == PUPIL else []


def check_text(*plain: str | None, rich: str | None = None, audience: str | None = None):
    """Measure a text (plain parts such as a headline, then rich text) against its target."""
    audience = audience or DEFAULT_AUDIENCE
    return TextCheck(
        readability=measure_rich_text(*plain, rich=rich),
        target=lix_target(audience),
        audience=audience,
    )


def text_check_panel(*plain: str | None, rich: str | None = None, audience: str | None = None):
    """The read-only admin panel: word count, reading time, LIX next to target, hard words,
    vague links."""
    return render_to_string(
        "admin/includes/text_check.html",
        {
            "check": check_text(*plain, rich=rich, audience=audience),
            "vague_links": vague_links(rich),
        },
    )
