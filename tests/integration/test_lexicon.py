"""agents.lexicon over wordfreq's real lists, with studio.vetting: issue 13's junk refused, real writing (the
golden screenplays, classic prose, French and Spanish, typical SmolLM2 sentences) accepted, languages detected."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agents.lexicon import WordfreqLexicon, detect_languages, lexicon_for
from studio.breakdown import break_down
from studio.errors import AuteurError
from studio.fountain import parse
from studio.fountain.elements import ElementType, plain_text
from studio.vetting import junk_rate, markup_count, vet

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((REPO / "tests/golden/fountain").glob("*.fountain")) + [REPO / "studio/samples/night_shift.fountain"]

ENGLISH = [  # public-domain openings
    "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and "
    "nothing particular to interest me on shore, I thought I would sail about a little and see the watery part "
    "of the world.",
    "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want "
    "of a wife.",
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
    "foolishness, it was the epoch of belief, it was the epoch of incredulity.",
    "Happy families are all alike; every unhappy family is unhappy in its own way.",
    "In my younger and more vulnerable years my father gave me some advice that I've been turning over in my "
    "mind ever since.",
    "Marley was dead: to begin with. There is no doubt whatever about that.",
]
SMOLLM = [  # what SmolLM2-135M answers to plain-text questions, as measured here
    "A lone lighthouse on the horizon, with a faded blue glow that seems to hold secrets in its dark windows.",
    "A lighthouse keeper's face lit by the glow of a single candle, surrounded by their own small cottage with its "
    "creaky wooden beam and weathered walls.",
    "A rainy harbour at night is lit by a soft, ethereal glow of embers that dance across the dark blue expanse.",
]
FRENCH = ("Longtemps, je me suis couché de bonne heure. Parfois, à peine ma bougie éteinte, mes yeux se fermaient "
          "si vite que je n'avais pas le temps de me dire : « Je m'endors. » Et, une demi-heure après, la pensée "
          "qu'il était temps de chercher le sommeil m'éveillait.")
SPANISH = ("En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha mucho tiempo que vivía un hidalgo "
           "de los de lanza en astillero, adarga antigua, rocín flaco y galgo corredor.")
JUNK = [  # issue 13, word for word
    ("Establishing: MORNINGAMONYDUEBELWINNEDADEMARCIE-AUTORO. PLATFORMTESSAMEPROPERTIESOF…", "sentence"),
    ("<img src='https://i.luckyworldsincredibleaboard_com/images-20186374'>", "phrase"),
    ("medium close-up of Stranger (<img src='https://i.luckyworldsincredibleaboard_com/images-20186374'> "
     "The End Of The Line)", "phrase"),
    ("INT. NEMONYDENDABESSAKEDADASANACHEZABANLAHARG - DAY", "place"),
    ("NEMONYDENDABESSAKEDADASANACHEZABANLAHARG", "place"),
    ("<18", "phrase"),
    ("It seems you have no idea how old your characters look", "sentence"),
    ("][", "sentence"),
    ("write_sentence", "sentence"),
    ('{"action": "]["}', "sentence"),
    ("{x}", "title"),
    ("the the the the", "phrase"),
    ("dark dark night dark dark night dark dark night", "sentence"),
]


@pytest.fixture(scope="module")
def english() -> WordfreqLexicon:
    return WordfreqLexicon(("en",))


def test_words_and_non_words(english: WordfreqLexicon) -> None:
    for word in ("lighthouse", "Nell", "WALT", "Marcie", "Amaya", "O'Brien", "O’Brien", "Jean-Luc", "Walt's",
                 "don't", "well-known", "palimpsest", "Lindqvist", "Ishmael"):
        assert english.is_word(word), word
    for junk in ("MORNINGAMONYDUEBELWINNEDADEMARCIE", "AUTORO", "PLATFORMTESSAMEPROPERTIESOF", "winned",
                 "NEMONYDENDABESSAKEDADASANACHEZABANLAHARG", "luckyworldsincredibleaboard", "write_sentence", "",
                 "1983", "Blorptastic", "morning-amony"):
        assert not english.is_word(junk), junk
    french = WordfreqLexicon(("fr", "en"))
    assert french.languages == ("fr", "en")
    assert all(french.is_word(w) for w in ("l'homme", "aujourd'hui", "qu'il", "éteinte", "bougie", "Walt"))


def test_languages_are_detected() -> None:
    assert detect_languages(" ".join(ENGLISH)) == ("en",)
    assert detect_languages(FRENCH) == ("fr", "en")
    assert detect_languages(SPANISH) == ("es", "en")
    assert detect_languages("") == ("en",)
    for script in SCRIPTS:
        assert detect_languages(script.read_text(encoding="utf-8")) == ("en",), script.name
    lexicon = lexicon_for(FRENCH)
    assert lexicon.languages == ("fr", "en") and lexicon_for(FRENCH) is lexicon


@pytest.mark.parametrize(("text", "kind"), JUNK)
def test_the_issues_junk_is_refused(english: WordfreqLexicon, text: str, kind) -> None:
    verdict = vet(text, kind, english, max_chars=300)
    assert not verdict.ok and verdict.text == "" and verdict.problems


def test_an_echo_is_refused_although_every_word_is_real(english: WordfreqLexicon) -> None:
    assert not vet("A short film title", "title", english, max_chars=80, echoes=["A short film title"]).ok
    assert vet("A short film title", "title", english, max_chars=80).ok  # real words: only the echo refuses it


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_field_of_the_golden_screenplays_passes(script: Path) -> None:
    """Action as sentences, dialogue as lines, the speakers as names, the locations as places: no known words
    given, so each is judged by the real word lists alone."""
    text = script.read_text(encoding="utf-8")
    doc = parse(text)
    breakdown = break_down(doc)
    lexicon = lexicon_for(text)
    fields = [(plain_text(e.text), "sentence") for e in doc.of_type(ElementType.ACTION)]
    fields += [(plain_text(e.text), "line") for e in doc.of_type(ElementType.DIALOGUE)]
    fields += [(c, "name") for c in breakdown.characters] + [(p, "place") for p in breakdown.locations]
    assert len(fields) > 20
    for field, kind in fields:
        verdict = vet(field, kind, lexicon, max_chars=2000)
        assert verdict.ok, (field, kind, verdict.problems)
        if kind == "sentence":  # every sentence kept: nothing of the writer's dropped
            assert verdict.text.rstrip(".") == " ".join(field.split()).rstrip(".:"), field
    assert junk_rate([f for f, _ in fields], lexicon) < 0.02
    assert markup_count(f for f, _ in fields) == 0


def test_classic_prose_and_good_smollm_output_pass(english: WordfreqLexicon) -> None:
    for text in ENGLISH + SMOLLM:
        assert vet(text, "sentence", english, max_chars=400).text == text
    for name in ("Nell", "Walt", "Marcie", "Amaya", "O'Brien", "Jean-Luc", "Elizabeth Bennet", "Queequeg"):
        assert vet(name, "name", english, max_chars=60).ok, name
    for place in ("Blue Anchor Bar", "Harbour Docks", "Lakeview Fair", "Netherfield Park"):
        assert vet(place, "place", english, max_chars=60).ok, place
    assert not vet("Zorblaxia Quennholm", "place", english, max_chars=60).ok
    assert vet("Zorblaxia Quennholm", "place", english, max_chars=60, known=["ZORBLAXIA", "Quennholm"]).ok


def test_french_and_spanish_pass_in_their_languages() -> None:
    for text in (FRENCH, SPANISH):
        lexicon = lexicon_for(text)
        assert vet(text, "sentence", lexicon, max_chars=1000).text == text
        assert junk_rate([text], lexicon) < 0.02
    assert vet("Jean-Luc Dupont", "name", lexicon_for(FRENCH), max_chars=60).ok


def test_junk_rate_of_the_junk_is_high_and_of_real_prose_low(english: WordfreqLexicon) -> None:
    assert junk_rate([t for t, _ in JUNK], english) > 0.3
    assert junk_rate(ENGLISH + SMOLLM, english) < 0.02
    assert markup_count([t for t, _ in JUNK]) >= 6 and markup_count(ENGLISH + SMOLLM) == 0


def test_without_wordfreq_the_message_says_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "wordfreq", None)  # import wordfreq now raises ImportError
    with pytest.raises(AuteurError) as raised:
        WordfreqLexicon(("en",))
    assert "wordfreq" in raised.value.problem and "pip install wordfreq" in raised.value.fix


SECOND_LOOK = [  # a reviewer's battery: real words around schemes, code, paths, invisible characters, talk
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,hello", "mailto:x@y", "alert(document.cookie)",
    "import os; os.system('x')", 'print("x")', "x = y + 1;", "SELECT * FROM users;", "DROP TABLE shots;",
    "../../etc/passwd", "/etc/passwd", "C:\\Windows\\system32", "see evil.example/p", "he said \u202eevil\u202c here",
    "zero\u200bwidth words here", "null", "N/A", "TODO", "string", "undefined", "Lorem ipsum dolor sit amet",
    "Sure! Here is the logline:", "Here is the logline:", "It seems you have no idea how old your characters look",
    "I hope this helps", "Let me know if you want more",
]


@pytest.mark.parametrize("text", SECOND_LOOK)
@pytest.mark.parametrize("kind", ["title", "sentence", "phrase", "line", "place"])
def test_the_second_looks_junk_is_refused_in_every_kind(english: WordfreqLexicon, text: str, kind) -> None:
    verdict = vet(text, kind, english, max_chars=300)
    assert not verdict.ok and verdict.text == "", verdict


def test_role_words_are_not_names_but_the_narrator_is(english: WordfreqLexicon) -> None:
    for name in ("Assistant", "User", "AI", "Bot", "System", "Model", "AI Assistant"):
        assert not vet(name, "name", english, max_chars=60).ok, name
    for name in ("Narrator", "Nell", "Model Citizen"):
        assert vet(name, "name", english, max_chars=60).ok, name
    for line in ("Sure.", "I'm sorry, Vera.", "Here it is.", "None."):
        assert vet(line, "line", english, max_chars=60).ok, line
