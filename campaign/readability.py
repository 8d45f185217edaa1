"""How hard a Dutch text is to read: words, reading time, LIX and syllables per word.

Pure functions, no database: the admin panels, the storyline matrix and the dashboard all
call ``measure`` on the same plain text, so they can never disagree.

LIX (Björnsson's läsbarhetsindex) works for Dutch without language-specific tables:
words per sentence plus the share of long words (more than six letters) in percent.
Rough bands: below 30 is a children's book, 40–50 a newspaper, above 55 official texts.
"""

import math
import re
from dataclasses import dataclass, field

from campaign.richtext import rich_text_to_plain

# A word is a run of letters, possibly joined by a hyphen or an apostrophe
# ("techniek-lessen", "auto's"); numbers are not words to a reader's eye here.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# A sentence ends at . ! ? (or a run of them) or at a line break: a heading or a list
# item without a full stop is a sentence of its own to a reader.
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n+")
# Dutch vowel sounds: these letter groups make one syllable ("ij", "ie", "oe", "ou",
# "au", "ei", "eu", "ui", the long vowels, and the three-letter ones that come first so
# "ooi" is not read as "oo" + "i"). A vowel with a diaeresis ("ë", "ï") starts a new
# syllable, which is why it is not part of any group.
_VOWEL_GROUP = re.compile(
    r"aai|ooi|oei|eeu|ieu|ij|ie|oe|ou|au|ei|eu|ui|aa|ee|oo|uu|[aeiouyáéíóúàèòâêîôûäëïöü]"
)

LONG_WORD_LETTERS = 6  # LIX counts words of more than six letters as long.
HARD_WORD_SYLLABLES = 4  # A word of more than four syllables is hard for a child of 11.
WORDS_PER_MINUTE = 200  # An average adult reader of Dutch; children read slower.


def count_syllables(word: str) -> int:
    """The number of syllables of one Dutch word, by counting its vowel sounds (at least 1)."""
    return max(1, len(_VOWEL_GROUP.findall(word.lower())))


@dataclass(frozen=True)
class Readability:
    words: int = 0
    sentences: int = 0
    long_words: int = 0
    syllables: int = 0
    hard_words: list[str] = field(default_factory=list)

    @property
    def lix(self) -> int | None:
        """The LIX index, rounded; ``None`` for a text without words."""
        if not self.words:
            return None
        return round(self.words / max(self.sentences, 1) + 100 * self.long_words / self.words)

    @property
    def syllables_per_word(self) -> float | None:
        if not self.words:
            return None
        return round(self.syllables / self.words, 2)

    @property
    def reading_minutes(self) -> int:
        """Whole minutes to read the text, at least one for any text with words."""
        return math.ceil(self.words / WORDS_PER_MINUTE) if self.words else 0

    def is_above(self, target: int | None) -> bool:
        """Whether the text is harder than ``target`` (an empty text never is)."""
        return target is not None and self.lix is not None and self.lix > target


def measure(text: str) -> Readability:
    """Measure plain ``text``; the hard words are listed once each, in reading order."""
    sentences = [part for part in _SENTENCE_END.split(text or "") if _WORD.search(part)]
    words = _WORD.findall(text or "")
    syllables = [count_syllables(word) for word in words]
    hard_words = []
    for word, count in zip(words, syllables, strict=True):
        if count > HARD_WORD_SYLLABLES and word.lower() not in (w.lower() for w in hard_words):
            hard_words.append(word)
    return Readability(
        words=len(words),
        sentences=len(sentences),
        long_words=sum(1 for word in words if _letters(word) > LONG_WORD_LETTERS),
        syllables=sum(syllables),
        hard_words=hard_words,
    )


def measure_rich_text(*parts: str | None, rich: str | None = None) -> Readability:
    """Measure plain ``parts`` (a headline, an intro) followed by the rich text ``rich``."""
    texts = [part for part in parts if part]
    if rich:
        texts.append(rich_text_to_plain(rich))
    return measure("\n".join(texts))


def _letters(word: str) -> int:
    return sum(1 for char in word if char.isalpha())
