"""The readability measure: known Dutch texts land in the bands LIX is known for."""

import pytest

from campaign.readability import count_syllables, measure, measure_rich_text

# Written the way a picture book for children of about 8 to 11 is written.
CHILDREN = (
    "Tim heeft een rode fiets. Hij fietst elke dag naar school. "
    "Op een dag is de band lek. Wat nu? Tim kijkt naar zijn fiets. "
    "Zijn opa komt helpen. Samen plakken ze de band. Nu kan Tim weer fietsen. "
    "Hij is blij en zwaait naar opa."
)
# The style of a regional newspaper article.
NEWSPAPER = (
    "De gemeente Hoorn wil komend jaar meer leerlingen interesseren voor een opleiding "
    "in de techniek. Volgens de wethouder kampen bedrijven in de regio met een groot "
    "tekort aan vakmensen. Daarom organiseren scholen en bedrijven samen masterclasses "
    "voor kinderen uit groep acht. De eerste bijeenkomsten vinden in maart plaats op "
    "drie verschillende locaties."
)
# The style of a policy memorandum.
POLICY = (
    "Ter bevordering van de instroom in het technisch beroepsonderwijs wordt in het "
    "kader van de regionale samenwerkingsovereenkomst een gecoördineerde "
    "implementatiestrategie ontwikkeld, waarbij de verantwoordelijkheidsverdeling "
    "tussen onderwijsinstellingen, werkgeversorganisaties en gemeentelijke "
    "beleidsafdelingen nadrukkelijk wordt geformaliseerd. De monitoring van de "
    "voortgang geschiedt op basis van kwantitatieve prestatie-indicatoren."
)


def test_children_text_scores_below_the_pupil_target():
    result = measure(CHILDREN)
    assert result.lix < 30
    assert result.syllables_per_word < 1.4
    assert result.hard_words == []


def test_newspaper_text_scores_in_the_newspaper_band():
    assert 35 <= measure(NEWSPAPER).lix <= 55


def test_policy_text_scores_far_above_every_target():
    result = measure(POLICY)
    assert result.lix > 60
    assert result.syllables_per_word > 2.0
    assert "samenwerkingsovereenkomst" in result.hard_words
    assert "implementatiestrategie" in result.hard_words


def test_lix_is_words_per_sentence_plus_percentage_of_long_words():
    # 5 words, 1 sentence, 1 long word (techniek = 8 letters): 5 + 100 * 1/5 = 25.
    result = measure("Ik hou van techniek echt.")
    assert (result.words, result.sentences, result.long_words) == (5, 1, 1)
    assert result.lix == 25


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("kind", 1),
        ("fiets", 1),
        ("huis", 1),
        ("rijden", 2),
        ("koeien", 2),
        ("mooie", 2),
        ("school", 1),
        ("leeuw", 1),
        ("techniek", 2),
        ("theater", 3),
        ("ruïne", 3),
        ("gecoördineerde", 6),
        ("zorgtechnologie", 5),
    ],
)
def test_syllables_are_counted_by_dutch_vowel_sounds(word, syllables):
    assert count_syllables(word) == syllables


def test_words_of_more_than_four_syllables_are_listed_once_in_reading_order():
    result = measure("De zorgtechnologie helpt. Elektriciteit ook. Zorgtechnologie weer.")
    assert result.hard_words == ["zorgtechnologie", "Elektriciteit"]


def test_reading_time_rounds_up_to_whole_minutes():
    assert measure("woord " * 201).reading_minutes == 2
    assert measure("kort.").reading_minutes == 1


def test_empty_text_has_no_lix_and_is_never_above_target():
    result = measure("")
    assert result.lix is None
    assert result.reading_minutes == 0
    assert not result.is_above(35)


def test_rich_text_is_measured_as_the_sentences_a_reader_sees():
    result = measure_rich_text(
        "Een kop", rich="<h2>Tussenkop</h2><p>Een zin.</p><ul><li>punt</li></ul>"
    )
    assert result.sentences == 4
    assert result.words == 6
