"""studio.vetting with a WordSet lexicon: the junk issue 13 quotes is refused word for word, real text passes
cleaned, and the cleaning and cutting rules hold (the real word lists: tests/integration/test_lexicon.py)."""

from __future__ import annotations

import re

import pytest

from studio.vetting import Verdict, WordSet, junk_rate, markup_count, vet

PROSE = (
    "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and "
    "nothing particular to interest me on shore, I thought I would sail about a little and see the watery part "
    "of the world.",
    "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want "
    "of a wife.",
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness.",
    "A lone lighthouse on the horizon, with a faded blue glow that seems to hold secrets in its dark windows.",
    "Rain streaks the windows. Neon hums. The place is nearly empty.",
    "Behind the bar, Vera polishes a glass that is already clean.",
)
NAMES = ("Nell", "Walt", "Marcie", "Amaya", "O'Brien", "Jean-Luc", "Vera", "Dekker")
EXTRA = ("a short film title int day nell walt marcie amaya o'brien jean luc vera dekker dark night the "
         "establishing morning platform properties of img src https images it seems you have no idea how old your "
         "characters look write sentence x action man walks see harbour at dusk visit today to now last call "
         "blue anchor bar lighthouse keeper title nellie lakeview fair ballpoint turns over back faded on in then i'm "
         "ten minutes late")
WORDS = WordSet({w.lower() for text in PROSE + NAMES for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)}
                | set(EXTRA.split()))

# Issue 13, word for word.
MORNING = "Establishing: MORNINGAMONYDUEBELWINNEDADEMARCIE-AUTORO. PLATFORMTESSAMEPROPERTIESOF…"
IMG = "<img src='https://i.luckyworldsincredibleaboard_com/images-20186374'>"
HEADING = "INT. NEMONYDENDABESSAKEDADASANACHEZABANLAHARG - DAY"
PLACE = "NEMONYDENDABESSAKEDADASANACHEZABANLAHARG"
NO_IDEA = "It seems you have no idea how old your characters look"
JUNK = [
    (MORNING, "sentence", "run-together word 'MORNINGAMONY…'"),
    (MORNING, "phrase", "run-together"),
    (IMG, "phrase", "has a web address"),
    (IMG, "sentence", "has markup"),
    (f"medium close-up of Vera ({IMG} The End Of The Line)", "phrase", "has markup"),
    (HEADING, "place", "run-together word 'NEMONYDENDAB…'"),
    (PLACE, "place", "run-together"),
    (HEADING, "title", "run-together"),
    ("<18", "phrase", "has no words"),
    (NO_IDEA, "sentence", "talks to the reader"),
    (NO_IDEA, "phrase", "talks to the reader"),
    ("][", "line", "has no words"),
    ("][", "phrase", "has stray symbols"),
    ("write_sentence", "sentence", "has code"),
    ("{x}", "phrase", "has code"),
    ('{"action": "A man walks."}', "sentence", "has code"),
    ('[{"title": "Last Call"}]', "title", "has code"),
    ("```\nA man walks.\n```", "sentence", "has code"),
    ("See [the harbour](https://x.org) at dusk.", "sentence", "has markup"),
    ("**Last Call** at the bar", "title", "has markup"),
    ("Visit www.x.com today.", "sentence", "has a web address"),
    ("Last Call x.com", "title", "has a web address"),
    ("Write to nell@lakeview.org now.", "sentence", "has an e-mail address"),
    ("the the the the", "phrase", "repeats itself"),
    ("dark dark night dark dark night dark dark night", "phrase", "repeats itself"),
    ("dark dark night dark dark night dark dark night", "line", "repeats itself"),
    ("A man walks.\x00", "sentence", "has control characters"),
    ("Vera\x1b[31m", "name", "has control characters"),
    ("Last\x7fCall", "title", "has control characters"),
    ("As an AI language model, I see a lighthouse.", "sentence", "talks to the reader"),
    ("Sure! A lone lighthouse on the horizon.", "sentence", "talks to the reader"),
    ("Here is a title: Last Call", "title", "talks to the reader"),
    ("", "sentence", "is empty"),
    ("  \n\t ", "title", "is empty"),
    ("xqzv blorp wuzzle", "sentence", "too few real words"),
    ("Vera Blorptastic", "name", "not a word: 'Blorptastic'"),
    ("Nell Walt Vera Dekker", "name", "too many words for a name"),
    ("Nell 42", "name", "a name has only letters"),
]


@pytest.mark.parametrize(("text", "kind", "problem"), JUNK)
def test_the_issues_junk_is_refused_with_its_problem_named(text: str, kind, problem: str) -> None:
    verdict = vet(text, kind, WORDS, max_chars=300, echoes=["A short film title"])
    assert not verdict.ok and verdict.text == ""
    assert any(problem in p for p in verdict.problems), verdict.problems


@pytest.mark.parametrize("answer", ["A short film title", "Title: A short film title.", '"a short film title"',
                                    "A short film"])
def test_an_echo_of_the_fields_description_is_refused(answer: str) -> None:
    verdict = vet(answer, "title", WORDS, max_chars=80, echoes=["A short film title", "   "])
    assert not verdict.ok and "repeats the question" in verdict.problems[0]
    assert vet("Last Call", "title", WORDS, max_chars=80, echoes=["A short film title"]).ok


@pytest.mark.parametrize("text", PROSE)
def test_real_prose_passes_whole(text: str) -> None:
    verdict = vet(text, "sentence", WORDS, max_chars=1000)
    assert verdict == Verdict(text, ())
    assert verdict.ok


@pytest.mark.parametrize("name", NAMES)
def test_real_names_pass(name: str) -> None:
    assert vet(name, "name", WORDS, max_chars=60) == Verdict(name, ())


def test_the_scripts_own_invented_words_pass_through_known() -> None:
    assert not vet("Zorblax Quenn", "name", WORDS, max_chars=60).ok
    assert vet("Zorblax Quenn", "name", WORDS, max_chars=60, known=["ZORBLAX QUENN"]).ok
    assert vet("EXT. QUENNHOLM DOCKS", "place", WORDS, max_chars=60, known=["Quennholm Docks"]).ok is False  # EXT.
    assert vet("Quennholm Docks", "place", WORDS, max_chars=60, known=["QUENNHOLM DOCKS"]).text == "Quennholm Docks"
    assert vet("QUENNHOLMVILLE", "place", WORDS, max_chars=60, known=["QUENNHOLMVILLE"]).ok


@pytest.mark.parametrize(("raw", "kind", "clean"), [
    ("  Title:   The   Last\n Call.  ", "title", "The Last Call"),
    ('Answer: "Last Call at the Blue Anchor".', "title", "Last Call at the Blue Anchor"),
    ("**Title:** Last Call", "title", "Last Call"),
    ("“Nell”", "name", "Nell"),
    ("Name: Marcie.", "name", "Marcie"),
    ("jean-luc o'brien", "name", "Jean-Luc O'brien"),
    ('Action: "a lone lighthouse on the horizon"', "sentence", "A lone lighthouse on the horizon."),
    ("Rain streaks the windows,", "sentence", "Rain streaks the windows."),
    ("'Then I'm ten minutes late.'", "line", "Then I'm ten minutes late."),
    ("- dark night, blue glow", "phrase", "dark night, blue glow"),
    ("Call me Ishmael!", "sentence", "Call me Ishmael!"),
    ("The age of wisdom…", "sentence", "The age of wisdom…"),
])
def test_cleaning(raw: str, kind, clean: str) -> None:
    assert vet(raw, kind, WORDS, max_chars=200) == Verdict(clean, ())


def test_a_trailing_junk_sentence_is_dropped_and_the_rest_kept() -> None:
    good = "Rain streaks the windows. Neon hums."
    for junk in ("PLATFORMTESSAMEPROPERTIESOF the bar.", "Visit www.x.com today.", "I hope this helps!",
                 "The place is nearly emp"):
        verdict = vet(f"{good} {junk}", "sentence", WORDS, max_chars=300)
        assert verdict == Verdict(good, ()), junk
    assert vet("Neon hums. Dark night. Dark night.", "line", WORDS, max_chars=99).text == "Neon hums. Dark night."
    assert vet("SCRAPE. SCRAPE. SCRAPE.", "sentence", WordSet(["scrape"]), max_chars=99).text == \
        "SCRAPE. SCRAPE. SCRAPE."
    assert vet("Lakeview Fair. 1983.", "line", WORDS, max_chars=99).text == "Lakeview Fair. 1983."


def test_a_junk_first_sentence_refuses_the_field() -> None:
    verdict = vet(f"{MORNING} Rain streaks the windows.", "sentence", WORDS, max_chars=300)
    assert not verdict.ok


def test_an_echoed_question_across_sentences_is_refused() -> None:
    question = "In one sentence, describe what we see."
    verdict = vet(f"{question} A lone lighthouse on the horizon.", "sentence", WORDS, max_chars=300,
                  echoes=[question])
    assert not verdict.ok


@pytest.mark.parametrize("limit", range(8, 130, 3))
def test_cuts_fall_between_words_or_sentences_never_inside_a_word(limit: int) -> None:
    text = PROSE[0]
    verdict = vet(text, "sentence", WORDS, max_chars=limit)
    assert verdict.ok and len(verdict.text) <= limit
    if verdict.text.endswith("…"):
        kept = verdict.text[:-1].split()
        assert kept == text.split()[:len(kept)]  # whole words of the start, the last one complete
    else:
        assert verdict.text == "Call me Ishmael."
    phrase = vet("dark night, blue glow, rain on the windows, neon", "phrase", WORDS, max_chars=limit)
    assert phrase.ok and len(phrase.text) <= limit
    assert set(phrase.text.replace(",", "").split()) <= set("dark night blue glow rain on the windows neon".split())
    title = vet("Last Call at the Blue Anchor", "title", WORDS, max_chars=limit)
    assert len(title.text) <= limit and not title.text.endswith((".", ","))
    assert "Last Call at the Blue Anchor".startswith(title.text)
    assert title.text == "" or "Last Call at the Blue Anchor"[len(title.text):][:1] in ("", " ")


def test_a_single_word_too_long_for_the_limit_is_refused_not_cut() -> None:
    verdict = vet("Lighthouse", "title", WORDS, max_chars=5)
    assert not verdict.ok and "does not fit" in verdict.problems[0]


def test_a_sentence_of_mostly_real_words_with_a_rare_one_passes_but_gibberish_does_not() -> None:
    rare = "Behind the bar, Vera polishes a glass that is already glistering."  # 1 unknown of 11
    assert vet(rare, "sentence", WORDS, max_chars=200).ok
    two = "Behind the bar, Vera polishes a glorp that is already glistering."  # 2 unknown of 11: 82 %
    assert "too few real words (9 of 11)" in vet(two, "sentence", WORDS, max_chars=200).problems
    assert not vet("Vera Glistering", "name", WORDS, max_chars=60).ok  # a name: every word


def test_a_long_capital_non_word_is_run_together_even_in_a_long_sentence() -> None:
    text = ("It was the best of times, it was the worst of times, it was the age of wisdom, the age of "
            "foolishness, HARBOURNIGHT.")
    assert any("run-together" in p for p in vet(text, "sentence", WORDS, max_chars=300).problems)
    assert vet(text.replace("HARBOURNIGHT", "DEKKER"), "sentence", WORDS, max_chars=300).ok


def test_dialogue_keeps_what_a_character_may_say() -> None:
    for line in ("Sure.", "I'm sorry, Vera.", "No no no.", "It seems you have no idea, Walt."):
        words = WordSet(set(WORDS._words) | {"sure", "sorry", "i'm", "no"})
        assert vet(line, "line", words, max_chars=100).ok, line
    assert not vet("As an AI, I cannot write that line.", "line", WORDS, max_chars=100).ok


def test_junk_rate_and_markup_count() -> None:
    assert junk_rate(PROSE, WORDS) == 0.0
    assert junk_rate([], WORDS) == 0.0
    assert junk_rate(["1983 42"], WORDS) == 0.0  # numbers are not word tokens
    # MORNING: 2 of 3; IMG: 6 of 6 (inside markup; "images-20186374" has digits); HEADING: 1 of 3; "<18": none
    assert junk_rate([MORNING, IMG, HEADING, "<18"], WORDS) == pytest.approx(9 / 12)
    assert junk_rate(["Zorblax walks"], WORDS, known=["ZORBLAX"]) == 0.0
    assert junk_rate(["Zorblax walks"], WordSet(["walks"])) == 0.5
    assert markup_count(PROSE) == 0
    assert markup_count([IMG]) == 1  # the tag, the address and the underscore inside it: one find
    assert markup_count([IMG, "write_sentence", "{x}", "][", "www.x.com and nell@lakeview.org", "<18"]) == 7


CITED = [
    'In "The 50 Shades of Grey," a character named Patron Five shushes the room.',  # what SmolLM2 wrote
    'In the film "The City of Ember," Patron One sits alone at a table.',
    'In "The City of Ember," Patron One sits alone at a table.',
    "In the movie Titanic, a ship sinks into the dark sea.",
    "From the novel by Dickens, a boy walks through the fog.",
    "In this film, the library burns to the ground.",
    "Fog rolls in, like in the film Casablanca.",
    "A character called Nell waits at the counter.",
]
NOT_CITED = [
    "Light from the movie screen washes over her face.",
    "She loses herself in the book, smiling.",
    "She reads in the book of spells by candlelight.",
    'The sign reads "Sunrise Diner" in red neon.',
    'A poster in "Big Red Letters" hangs over the desk.',
    "Two boys lost in the game, shouting.",
    "A man named Walt steps in from the rain.",
]


def _knowing(texts: list[str]) -> list[str]:
    return [w for t in texts for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", t)]


@pytest.mark.parametrize("text", CITED)
@pytest.mark.parametrize("kind", ["sentence", "phrase"])
def test_a_description_framed_by_a_film_or_book_is_refused(text: str, kind) -> None:
    verdict = vet(text, kind, WORDS, max_chars=300, known=_knowing(CITED))  # every word real: only the frame fails
    assert not verdict.ok and verdict.text == ""
    assert any("a film, a book or 'a character named" in p for p in verdict.problems), verdict.problems


@pytest.mark.parametrize("text", CITED)
def test_a_character_may_quote_a_film_in_a_line(text: str) -> None:
    assert vet(text, "line", WORDS, max_chars=300, known=_knowing(CITED)).ok


@pytest.mark.parametrize("text", NOT_CITED)
def test_films_and_books_as_things_in_the_picture_pass(text: str) -> None:
    assert vet(text, "sentence", WORDS, max_chars=300, known=_knowing(NOT_CITED)) == Verdict(text, ())


def test_a_sentence_citing_a_film_after_a_good_one_is_dropped() -> None:
    text = "Rain streaks the windows. In the film, Vera polishes a glass."
    assert vet(text, "sentence", WORDS, max_chars=300, known=["film"]).text == "Rain streaks the windows."


# The reviewer's battery (issue 13, second look): every word real, so only the new rule can refuse each.
EVERY = WordSet(set(WORDS._words) | set(
    "javascript alert file etc passwd data text html mailto x y document cookie import os system print select from "
    "users drop table shots insert into values delete where update set admin def f return see evil example p usr "
    "local bin boot ini windows he said here null none undefined n a todo string value tbd lorem ipsum dolor sit "
    "amet placeholder insert name assistant user ai bot model speaker narrator sure is logline line of dialogue as "
    "language hope this helps let know if you need more want she waits note scene night falls smiles barely beat "
    "s duties rise again selects one pile anything shelf function heart simple looks window rain his her choice "
    "and or chance sorry it soft hyphen citizen interface glows walt vera console log out".split()))
REFUSED = [
    ("javascript:alert(1)", "has a web address"), ("Javascript:alert(1).", "has a web address"),
    ("file:///etc/passwd", "has a web address"), ("data:text/html,hello", "has a web address"),
    ("mailto:x@y", "has a web address"),
    ("alert(document.cookie)", "has code"), ("import os; os.system('x')", "has code"), ('print("x")', "has code"),
    ("x = y + 1;", "has code"), ("SELECT * FROM users;", "has code"), ("DROP TABLE shots;", "has code"),
    ("select * from users", "has code"), ("INSERT INTO shots VALUES", "has code"), ("UPDATE users SET admin", "has code"),
    ("delete from users where", "has code"), ("import os", "has code"), ("def f(x) return x", "has code"),
    ("console.log(x)", "has code"),
    ("../../etc/passwd", "has a file path"), ("/etc/passwd", "has a file path"), ("see /usr/local/bin", "has a file path"),
    ("C:\\Windows", "has a file path"), ("see evil.example/p", "has a web address"),
]


@pytest.mark.parametrize(("text", "problem"), REFUSED)
@pytest.mark.parametrize("kind", ["title", "sentence", "phrase", "line", "place"])
def test_schemes_code_and_paths_are_refused_in_every_kind(text: str, problem: str, kind) -> None:
    verdict = vet(text, kind, EVERY, max_chars=300)
    assert not verdict.ok and verdict.text == ""
    assert any(problem in p for p in verdict.problems), verdict.problems


@pytest.mark.parametrize("text", [
    "Note: she waits.", "At 3:15 he waits.", "Scene 2: night falls.", "She smiles (barely).", "(beat)",
    "Nell (40s) waits.", "Import duties rise again.", "He selects one from the pile.", "Select anything from the shelf.",
    "The function (of the heart) is simple.", "She looks out the window. Rain falls.", "His/her choice, and/or more.",
    "The user interface glows.", "A model citizen waits.",
])
@pytest.mark.parametrize("kind", ["sentence", "line", "phrase"])
def test_prose_with_colons_brackets_and_slashes_still_passes(text: str, kind) -> None:
    verdict = vet(text, kind, EVERY, max_chars=300)
    assert verdict.ok, verdict.problems


@pytest.mark.parametrize("char", ["\u202e", "\u202c", "\u200b", "\u2066", "\u00ad", "\u200d", "\ufeff", "\u2060"])
@pytest.mark.parametrize("kind", ["name", "sentence", "line"])
def test_invisible_format_characters_are_refused_like_control_characters(char: str, kind) -> None:
    """Every character of category Cf: bidi overrides hide what a text says, zero-width ones glue or split words.
    Even a soft hyphen or a zero-width joiner inside a word is refused: a model has no reason to write one."""
    verdict = vet(f"Vera{char} waits", kind, EVERY, max_chars=300)
    assert verdict == Verdict("", ("has invisible formatting characters (a direction mark, a zero-width space…)",))
    assert vet("Vera waits", kind, EVERY, max_chars=300).ok


@pytest.mark.parametrize("text", ["null", "None", "undefined", "N/A", "TODO", "string", "value", "TBD", "example",
                                  "placeholder", "Lorem ipsum dolor sit amet.", "[insert name]", "<name>", '"null"'])
@pytest.mark.parametrize("kind", ["title", "name", "place", "phrase", "sentence", "line"])
def test_a_placeholder_as_the_answer_is_refused(text: str, kind) -> None:
    verdict = vet(text, kind, EVERY, max_chars=300)
    if kind == "line" and text in ("None", "example"):  # "None." is something a character says
        assert verdict.ok
    else:
        assert not verdict.ok, verdict


def test_a_placeholder_word_inside_an_answer_or_named_by_the_script_passes() -> None:
    assert vet("She waits, a placeholder of a smile.", "sentence", EVERY, max_chars=300).ok
    assert vet("Example", "title", EVERY, max_chars=300, known=["Example"]).ok  # the script's own title


@pytest.mark.parametrize("name", ["Assistant", "User", "AI", "Bot", "System", "Model", "Speaker", "AI Assistant",
                                  "the user", "ASSISTANT"])
def test_a_role_word_is_not_a_characters_name(name: str) -> None:
    verdict = vet(name, "name", EVERY, max_chars=60)
    assert not verdict.ok and "is a role, not a character's name" in verdict.problems[-1]
    assert vet(name, "name", EVERY, max_chars=60, known=[name.upper()]).ok  # the script's facts win


def test_narrator_and_names_with_a_role_word_in_them_pass() -> None:
    for name in ("Narrator", "Model Citizen", "Walt"):
        assert vet(name, "name", EVERY, max_chars=60).ok, name


@pytest.mark.parametrize("text", ["It seems you have no idea how old your characters look", "As an AI, I see.",
                                  "As a language model, I cannot.", "Here is the logline", "Here is the logline:",
                                  "Here's a line of dialogue", "I hope this helps.", "Let me know if you need more.",
                                  "Sure! Here is the logline:"])
@pytest.mark.parametrize("kind", ["title", "phrase", "sentence", "line"])
def test_assistant_talk_is_refused_in_every_kind_a_line_included(text: str, kind) -> None:
    verdict = vet(text, kind, EVERY, max_chars=300)
    assert not verdict.ok and verdict.text == "", verdict


def test_what_a_character_may_say_stays_a_line() -> None:
    for line in ("Sure.", "I'm sorry, Vera.", "Here it is.", "It seems you have no idea, Walt.", "None."):
        assert vet(line, "line", EVERY, max_chars=100).ok, line


def test_an_answer_ending_with_a_colon_is_cut_short_in_a_heading_or_phrase() -> None:
    for kind in ("title", "name", "place", "phrase"):
        verdict = vet("Vera waits:", kind, EVERY, max_chars=100)
        assert "ends with ':', an answer cut short" in verdict.problems, (kind, verdict)
    assert vet("Vera waits:", "sentence", EVERY, max_chars=100).text == "Vera waits."  # screenplays end so: 'reads:'


def test_a_title_cut_off_mid_phrase_is_refused_and_whole_titles_pass():
    lexicon = WordSet("an old projectionist keeps a the last screening stranger at counter gone with wind of "
                      "her brother".split())
    assert not vet("An Old Projectionist Keeps a", "title", lexicon, max_chars=60).ok
    assert not vet("The Last Screening of", "title", lexicon, max_chars=60).ok
    for title in ("The Last Screening", "The Stranger at the Counter", "Gone with the Wind", "Her Brother"):
        assert vet(title, "title", lexicon, max_chars=60).ok, title


def test_talk_about_characters_and_scenes_is_not_what_we_see():
    lexicon = WordSet("ada and anya are the only two characters in a scene set at motel room is she makes counter "
                      "main meet".split())
    for text in ("ADA and Anya are the only two characters in a scene set at the motel room.",
                 "The scene is set in a motel room.", "The main characters meet."):
        assert not vet(text, "sentence", lexicon, max_chars=300, known=["ADA", "Anya"]).ok, text
    assert vet("She makes a scene at the counter.", "sentence", lexicon, max_chars=300).ok
