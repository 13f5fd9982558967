"""Is a text a screenplay or a story in prose, and is a story one Auteur can adapt?

A name does not say (.txt, .md, .pdf hold either), so the text does: a screenplay is made of scene headings
(``INT. DINER - NIGHT``), character cues (a short line in capitals with the speech under it) and short blocks;
prose is made of paragraphs of sentences. ``classify`` tells them apart; ``check_story`` refuses what cannot be
adapted — too long, written in a language the story reader does not know, or not prose at all — naming the
problem and the fix, before anything is imported.

Language: the skeleton (studio.skeleton) finds names, places and speech with English word lists ("said", "in
the", "kitchen"), so a story must be in English (``STORY_LANGUAGES``). The language is told by the share of a
text's words that are the commonest function words of each language ("the", "and", "of" … "le", "et", "de" …):
English prose has 35-45 % of its words in the English list and French or Spanish prose under 5 %, so a cheap
count decides without the wordfreq lists (studio imports no package). Other scripts are named by their letters.
Every pass is one linear read of the text, whatever its size.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Literal

from studio.errors import AuteurError
from studio.fountain.parser import HEADING_RE
from studio.source import MAX_STORY_WORDS

StoryKind = Literal["screenplay", "prose"]

STORY_LANGUAGES = ("en",)  # what the skeleton's word lists read
MIN_STORY_WORDS = 40  # fewer is an idea, not a story: `/new` takes a one-line idea
WORDS_PER_PAGE = 300  # a printed novel's page, to say a text's length in pages
LANGUAGE_SAMPLE_WORDS = 20_000  # enough words to tell a language, read from the start of the text
KNOWN_SHARE = 0.12  # a text with at least this share of a language's function words is in that language
SCREENPLAY_SHARE = 0.12  # with a heading: this share of blocks being headings, cues or transitions → screenplay
CUES_ONLY_SHARE = 0.3  # without a heading: a text this much made of cues is a screenplay fragment

FUNCTION_WORDS = {
    "en": "the and of to a in that it was he she his her i you with for on as had at but not be they said is "
          "my him me we all have this from which there were so",
    "fr": "le la les et de des un une que qui est dans il elle ne pas pour sur au avec se son sa était je vous "
          "nous du ce en lui mais plus",
    "es": "el la los las y de que en un una es por con no se su para del al lo como pero le yo mi me más era "
          "estaba muy",
    "de": "der die das und ist nicht ein eine zu den mit sich des auf für im dem er sie es war ich ihr auch "
          "aber wie noch",
    "it": "il che di e un una è non per con del della si lo gli ma come io mi era le sono al anche più",
    "pt": "o os e de que não um uma do da em para com se por é no na mas eu ele ela foi seu sua como",
    "nl": "de het een en van is dat niet op te met voor zijn hij ze er maar ik je was aan ook als",
}
LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian",
                  "pt": "Portuguese", "nl": "Dutch"}
SCRIPT_NAMES = {"CYRILLIC": "Cyrillic script (Russian, Ukrainian, …)", "GREEK": "Greek",
                "ARABIC": "Arabic script (Arabic, Persian, …)", "HEBREW": "Hebrew", "CJK": "Chinese or Japanese",
                "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
                "DEVANAGARI": "Devanagari script (Hindi, …)", "THAI": "Thai", "BENGALI": "Bengali",
                "TAMIL": "Tamil", "GEORGIAN": "Georgian", "ARMENIAN": "Armenian"}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CUE = re.compile(r"^@?[^\W\d_][^\na-z]{0,40}?(?:\s*\([^)\n]{0,30}\))?\s*\^?$")  # BOB, MRS. HALE (V.O.), @McX
_NOT_CUES = re.compile(r"^(?:#|CHAPTER\b|PART\b|BOOK\b|THE END\b|PROLOGUE\b|EPILOGUE\b|ACT\b|[IVXLC]+\.?$)")
_TRANSITION = re.compile(r"^[A-Z][A-Z .']*TO:$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(?:\s|$)")


class NotAStory(AuteurError):
    """A text Auteur cannot adapt as a story: too long, in a language it does not read, or not prose."""


# ------------------------------------------------------------ screenplay or prose


def classify(text: str) -> StoryKind:
    """'screenplay' when the text is shaped as one (scene headings, character cues over their speech), else
    'prose'. A story that quotes a heading, or a chapter title in capitals, stays prose."""
    counts = screenplay_marks(text)
    blocks = max(1, counts["blocks"])
    marks = counts["headings"] + counts["cues"] + counts["transitions"]
    if counts["headings"] and marks / blocks >= SCREENPLAY_SHARE:
        return "screenplay"
    if counts["cues"] >= 2 and counts["cues"] / blocks >= CUES_ONLY_SHARE:
        return "screenplay"
    return "prose"


def screenplay_marks(text: str) -> Counter[str]:
    """How many blocks (runs of lines between blank lines), scene headings, character cues (a short line in
    capitals with a line under it, after a blank line) and transitions a text has."""
    counts: Counter[str] = Counter(blocks=0, headings=0, cues=0, transitions=0)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    previous_blank = True
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            previous_blank = True
            continue
        if previous_blank:
            counts["blocks"] += 1
            following = lines[i + 1].strip() if i + 1 < len(lines) else ""
            counts[_block_kind(line, following)] += 1
        previous_blank = False
    del counts["prose"]
    return counts


def _block_kind(line: str, following: str) -> str:
    """What the first line of a block is: 'headings', 'transitions', 'cues' or 'prose'."""
    if len(line) <= 100 and HEADING_RE.match(line) and not line.endswith((",", ";")):
        return "headings"
    if _TRANSITION.match(line):
        return "transitions"
    if following and _CUE.match(line) and sum(c.isalpha() for c in line) >= 2 and not _NOT_CUES.match(line):
        return "cues"
    return "prose"


# ------------------------------------------------------------ can it be adapted


def check_story(name: str, text: str, *, languages: tuple[str, ...] = STORY_LANGUAGES, as_prose: bool = False) -> None:
    """Nothing when ``text`` is a story Auteur can adapt; NotAStory naming the problem and the fix when it is
    too long (MAX_STORY_WORDS), in a language the story reader does not know, or not prose at all (a screenplay
    too, unless the person said ``as_prose``: `auteur import --as prose`)."""
    words = count_words(text)
    if words > MAX_STORY_WORDS:
        raise NotAStory(f"{name} is {words:,} words long (about {words // WORDS_PER_PAGE:,} pages), more than the "
                        f"{MAX_STORY_WORDS:,} words (a long novel) Auteur adapts",
                        "bring the part you want to film (a chapter, a few chapters, or a volume) as its own file")
    found = language_of(text)
    if found not in languages and found not in LANGUAGE_NAMES and found:
        _refuse_language(name, found, languages)  # another script: its words are not even split by spaces
    if words < MIN_STORY_WORDS:
        raise NotAStory(f"{name} has {words} words: too short to adapt as a story",
                        "write the idea as a line (/new TITLE, then tell the Producer the idea), or bring the "
                        "whole story")
    if not as_prose and classify(text) == "screenplay":
        raise NotAStory(f"{name} is a screenplay (scene headings and character cues), not a story in prose",
                        "import it as a screenplay (auteur import FILE --as screenplay, or upload it as "
                        ".fountain)")
    if not reads_as_prose(text):
        raise NotAStory(f"{name} does not read as prose: too few of its lines are sentences (a list, a table, "
                        "code or an outline?)", "bring the story written out in sentences and paragraphs")
    if found not in languages:
        _refuse_language(name, found, languages)


def _refuse_language(name: str, found: str, languages: tuple[str, ...]) -> None:
    known = ", ".join(LANGUAGE_NAMES.get(lang, lang) for lang in languages)
    raise NotAStory(f"{name} {_written_in(found)}, a language Auteur's story reader does not know (it reads "
                    f"{known})", f"bring the story in {known} (a translation), or tell the Producer the idea in a "
                                 "line and start from it")


def _written_in(found: str) -> str:
    """'is in French', 'is written in Greek', 'is in a language … ' as the refusal says it."""
    if found in LANGUAGE_NAMES:
        return f"is in {LANGUAGE_NAMES[found]}"
    return f"is written in {found}" if found else "reads as none of the languages Auteur knows"


def count_words(text: str) -> int:
    """Words as a word processor counts them: runs of characters between spaces."""
    return len(text.split())


def language_of(text: str) -> str:
    """The code of the language a text is written in ('en', 'fr', …), the name of its script when it is not
    written in Latin letters ('Cyrillic script (Russian, Ukrainian, …)'), or '' when no list matches."""
    sample = _WORD.findall(text[: LANGUAGE_SAMPLE_WORDS * 8])[:LANGUAGE_SAMPLE_WORDS]
    script = script_of(sample)
    if script != "LATIN":
        return SCRIPT_NAMES.get(script, f"{script.title()} script")
    words = [w.lower().replace("’", "'") for w in sample]
    shares = {lang: sum(1 for w in words if w in listed) / max(1, len(words)) for lang, listed in _LISTS.items()}
    best = max(shares, key=lambda lang: shares[lang])
    return best if shares[best] >= KNOWN_SHARE else ""


_LISTS = {lang: frozenset(words.split()) for lang, words in FUNCTION_WORDS.items()}


def script_of(words: list[str]) -> str:
    """The script most letters of the words are written in: 'LATIN', 'CYRILLIC', 'CJK', … (Unicode's names)."""
    scripts: Counter[str] = Counter()
    for word in words[:2000]:
        letter = word[0]
        name = unicodedata.name(letter, "")
        scripts[name.split(" ")[0] if name else "UNKNOWN"] += 1
    return scripts.most_common(1)[0][0] if scripts else "LATIN"


def reads_as_prose(text: str) -> bool:
    """Most of the text's words stand in blocks that hold sentences (a full stop, a question or an exclamation
    mark inside or at the end), as a story's paragraphs do; a list, a table or code does not."""
    in_sentences = total = 0
    for block in blocks_of(text):
        words = len(block.split())
        total += words
        if words >= 6 and _SENTENCE_END.search(block):
            in_sentences += words
    return total > 0 and in_sentences / total >= 0.5


def blocks_of(text: str) -> list[str]:
    """The runs of non-blank lines of a text (a line of spaces is blank), in one pass."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks
