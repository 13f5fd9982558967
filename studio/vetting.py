"""Vetting what a model writes: a field passes, cleaned, or is rejected with the problems named in plain words.

What a model writes is input, like an upload (STYLE 13). ``vet(text, kind, lexicon, max_chars=…)`` cleans a
field and judges it; the pipeline repairs or falls back when the verdict is not ``ok``.

Cleaning: whitespace is collapsed; leading labels ("Title:", "**Action:**", "Answer:"), a leading list bullet and
wrapping quotes are taken off; a title, name or place never ends with a period; a name in lower case is
capitalised; a sentence starts with a capital and ends with . ! ? or …; the text is cut under ``max_chars`` at a
sentence boundary (sentence, line) or a word boundary, never inside a word (a cut sentence ends with …).

Rejected, whatever the kind:

- empty text, or text with no word at all ("<18", "][");
- control characters (C0/C1, DEL; tab and newlines are whitespace) and every invisible format character (Unicode
  category Cf: bidi overrides and isolates, zero-width spaces and joiners, the soft hyphen, BOM); a model has no
  reason to write one, even inside a word of a script that may use them, so none is kept;
- a web address or domain (``https://``, ``www.``, ``name.com``, ``name.example/p``), a URL scheme written without
  ``//`` (``javascript:``, ``data:``, ``file:``, ``mailto:``…: a real scheme followed at once by something, so
  "Note: she waits" and "3:15" are not), an e-mail address, a file path (``../``, ``/etc/…``, ``C:\\``);
- markup: HTML/XML tags and entities, markdown links, images, bold, headings; code: backticks and fences,
  braces (``{x}``, JSON), identifiers with underscores (``write_sentence``), calls ``f()``, a call on a dotted name
  or with a dot, a quote or ``;`` (``alert(document.cookie)``, ``print("x")``; "She smiles (barely)." is prose),
  ``=``, ``import x``, ``def f(``, ``os.``/``sys.``, SQL (``SELECT … FROM``, ``DROP TABLE``…: in capitals, or
  in lower case with its tell-tale ``*``, ``;``, ``VALUES``, ``WHERE``); stray symbols ``< > [ ] \\ | ^ ~``;
- a placeholder as the whole answer (``null``, ``None``, ``N/A``, ``TODO``, ``string``, ``example``, ``[insert
  name]``, lorem ipsum anywhere…; a line of dialogue may say "None."), and a role as a character's name
  (``Assistant``, ``User``, ``AI``, ``Bot``, ``System``, ``Model``, ``Speaker``; "Narrator" is a real cue), unless
  the script itself says so (``known`` holds the whole text);
- a title, name, place or phrase ending with ':' (an answer cut short: "Here is the logline:"); a sentence or line
  may (screenplays write "The sign reads:");
- a run-together word: a token that is not a word (nor known) and has more than ``LONG_TOKEN`` = 18 letters (the
  longer real words, "internationalization", are in the lexicon), or is written in capitals with ``CAPS_RUN`` = 10
  letters or more (capitals are how screenplays write names and props, so a long capital non-word is words glued
  together); it is refused even inside a long sentence that has enough real words;
- a loop: one word three times in a row with only spaces between (four in a line of dialogue, where "no no no" is
  speech; "No, no, no!" has commas), a phrase of 2-6 words three times in a row, or, from ``LOOP_MIN_WORDS`` = 16 words on, fewer than ``LOOP_DISTINCT`` = 35 %
  distinct words;
- assistant talk ("As an AI", "It seems you…", "Here is a title", "Sure!", "I'm sorry"); a line of dialogue is
  only refused the unmistakable ones ("As a language model", "Here is the logline", "I hope this helps", "Let me
  know if", "It seems you … your characters"), since a character may well say "Sure." or "I'm sorry."; talk after
  "Sure!" refuses the whole answer, not just its last sentence;
- an echo: the text is (or, from three words, is contained in, or from four words contains) one of ``echoes``,
  compared in lower-case words without punctuation.
- in a sentence or phrase (a line of dialogue may quote a film): a film, book or show as the answer's frame ("In
  the film, …", 'from the novel "…"', 'In "The City of Ember," …': a quoted title of two capitalised words or
  more after in/from), and talk about "a character named X".

Words: a word token is a run of letters with inner apostrophes or hyphens (numbers are not word tokens). It is
real when the lexicon knows it, when ``known`` holds it (the script's own names, places and props), or when each
of its parts around hyphens and apostrophes is (Jean-Luc, Walt's, l'homme). A title, name or place must be made of
real words only (a heading read by a person); a sentence, line or phrase needs at least ``REAL_SHARE`` = 85 % of
real words (a rare word or an invented name may pass, gibberish does not). Lengths: a title 1-8 words, a name
1-3, a place 1-6. A sentence or line of several sentences keeps its passing sentences up to the first that fails
(a trailing junk or cut-off sentence is dropped; a person reads whole sentences); a sentence of two words or more
said again fails ("SCRAPE. SCRAPE. SCRAPE." is a sound, "Dark night. Dark night." a loop), a number alone
("1983.") is a sentence.

``junk_rate`` is the share of word tokens that are not real (the tokens inside addresses, markup and code count
as not real); ``markup_count`` counts the addresses, paths, markup, code and stray symbols found (overlapping finds
as one). The patterns are in ``studio.vetting_rules``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from studio.ports import Lexicon
from studio.vetting_rules import (ABBREVIATION, BULLET, CLITICS, FINDS, LABEL, LINE_PLACEHOLDER_OK, META,
                                  PLACEHOLDER_ANY, PLACEHOLDERS, QUOTED, QUOTES, ROLE_FILLERS, ROLES,
                                  SENTENCE_END, SOURCE, TALK_ANY, TALK_START)

Kind = Literal["title", "name", "place", "phrase", "sentence", "line"]

REAL_SHARE = 0.85
LONG_TOKEN = 18
CAPS_RUN = 10
LOOP_MIN_WORDS = 16
LOOP_DISTINCT = 0.35
MAX_WORDS = {"title": 8, "name": 3, "place": 6}
# A title cut off mid-phrase ('An Old Projectionist Keeps a'): it ends with a word that needs another after it.
_UNFINISHED = frozenset({"a", "an", "the", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "from",
                         "by", "into", "onto", "his", "their", "its", "my", "your", "our", "who", "that", "which"})
STRICT_KINDS = frozenset({"title", "name", "place"})  # every word real or known
PROSE_KINDS = frozenset({"sentence", "line"})  # judged sentence by sentence

_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_PART = re.compile(r"['\-]")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class Verdict:
    """A field's cleaned text ("" when rejected) and its problems in plain words (none when it passed)."""

    text: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.text)


class WordSet:
    """A Lexicon over a given set of words, any case (unit tests, small vocabularies)."""

    def __init__(self, words: Iterable[str], languages: tuple[str, ...] = ("en",)) -> None:
        self.languages = languages
        self._words = frozenset(w.lower().replace("’", "'") for w in words)

    def is_word(self, word: str) -> bool:
        return word.lower().replace("’", "'") in self._words


class _Words:
    """Whether tokens are real words: the lexicon, the known words, and the parts of compound tokens."""

    def __init__(self, lexicon: Lexicon, known: Iterable[str]) -> None:
        self.lexicon = lexicon
        self.known: set[str] = set()
        self.entries: set[str] = set()  # the whole entries, as written in lower case without edge punctuation
        for entry in known:
            low = entry.lower().replace("’", "'").strip()
            if low:
                self.known.add(low)
                self.entries.add(" ".join(_EDGES.sub("", low).split()))
                self.known.update(t.lower() for t in _TOKEN.findall(low))
        self._cache: dict[str, bool] = {}

    def real(self, token: str) -> bool:
        low = token.lower().replace("’", "'")
        hit = self._cache.get(low)
        if hit is None:
            hit = low in self.known or self.lexicon.is_word(low)
            if not hit and _PART.search(low):
                parts = [p for p in _PART.split(low) if p]
                hit = bool(parts) and all(p in self.known or p in CLITICS or self.lexicon.is_word(p) for p in parts)
            self._cache[low] = hit
        return hit

    def run_together(self, token: str) -> bool:
        """A long non-word: glued words or gibberish (judged part by part around hyphens and apostrophes)."""
        for part in _PART.split(token.replace("’", "'")):
            letters = sum(c.isalpha() for c in part)
            caps = part.isupper() and letters >= CAPS_RUN
            if (letters > LONG_TOKEN or caps) and not self.real(part):
                return True
        return False


def _words(text: str) -> list[str]:
    """The word tokens of ``text`` (letters with inner apostrophes or hyphens; numbers are not words)."""
    return [t for t in _TOKEN.findall(text) if not any(c.isdigit() for c in t)]


def _spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for problem, pattern in FINDS:
        for m in pattern.finditer(text):
            if m.end() > m.start() and not any(s <= m.start() < e for _, s, e in spans):  # a find in a find
                spans.append((problem, m.start(), m.end()))
    return spans


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def markup_count(texts: Iterable[str]) -> int:
    """How many web or e-mail addresses, pieces of markup or code and stray symbols ``texts`` hold (overlapping
    finds, such as a tag around an address, count once)."""
    return sum(len(_merged((s, e) for _, s, e in _spans(text))) for text in texts)


def junk_rate(texts: Iterable[str], lexicon: Lexicon, known: Iterable[str] = ()) -> float:
    """The share (0..1) of word tokens in ``texts`` that are not words: unknown to the lexicon and to ``known``,
    or inside an address, markup or code. 0.0 when there are no word tokens."""
    words = _Words(lexicon, known)
    total = junk = 0
    for text in texts:
        spans = _merged((s, e) for _, s, e in _spans(text))
        for m in _TOKEN.finditer(text):
            if any(c.isdigit() for c in m.group()):
                continue
            total += 1
            inside = any(s <= m.start() < e for s, e in spans)
            if inside or not words.real(m.group()):
                junk += 1
    return junk / total if total else 0.0


def _norm(text: str) -> str:
    return " ".join(t.lower() for t in _TOKEN.findall(text.replace("’", "'")))


def _clean(text: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    for _ in range(4):
        before = text
        text = BULLET.sub("", LABEL.sub("", text)).strip()
        if len(text) > 1 and QUOTES.get(text[0]) == text[-1]:
            text = text[1:-1].strip()
        elif len(text) > 2 and text[-1] in ".!?" and QUOTES.get(text[0]) == text[-2]:  # "The Last Call".
            text = text[1:-2].strip() + text[-1]
        if text == before:
            break
    return text


def _loop(text: str, kind: str) -> str:
    times = 4 if kind == "line" else 3
    m = re.search(rf"\b([^\W\d_]+)(?:\s+\1\b){{{times - 1},}}", text, re.I)
    if m:
        return m.group()
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    for size in range(2, 7):
        for i in range(len(tokens) - 3 * size + 1):
            gram = tokens[i:i + size]
            if tokens[i + size:i + 2 * size] == gram and tokens[i + 2 * size:i + 3 * size] == gram:
                return " ".join(tokens[i:i + 3 * size])
    if len(tokens) >= LOOP_MIN_WORDS and len(set(tokens)) < LOOP_DISTINCT * len(tokens):
        return " ".join(tokens[:6]) + " …"
    return ""


def _short(token: str, width: int = 12) -> str:
    return token if len(token) <= width + 2 else token[:width] + "…"


def _echo(text: str, echoes: list[str]) -> str:
    """The echo ``text`` is, or holds, or is part of (from three words); "" when none."""
    said = _norm(text)
    for echo in echoes:
        e = _norm(echo)
        if e and (said == e or (len(said.split()) >= 3 and f" {said} " in f" {e} ")
                  or (len(e.split()) >= 4 and f" {e} " in f" {said} ")):
            return echo
    return ""


def _cites(text: str) -> bool:
    """A film, book or show as the answer's source: named as such, or a quoted title of two capitalised words or
    more after in/from."""
    return bool(SOURCE.search(text)) or any(
        sum(w[0].isupper() or w[0].isdigit() for w in _TOKEN.findall(m.group(1)) + re.findall(r"\d+", m.group(1))) >= 2
        for m in QUOTED.finditer(text))


def _problems(text: str, kind: str, words: _Words, echoes: list[str], sentence_is_field: bool = True) -> list[str]:
    """What is wrong with one piece of text (a whole field, or one sentence of a sentence or line)."""
    problems: list[str] = []
    found = {problem for problem, _, _ in _spans(text)}
    problems += list(dict.fromkeys(p for p, _ in FINDS if p in found))
    if TALK_ANY.search(text) or (kind != "line" and TALK_START.search(text)):
        problems.append("talks to the reader instead of answering")
    whole = " ".join(_EDGES.sub("", text.lower().replace("’", "'")).split())
    if whole not in words.entries:  # the script's own words win: a character may be called USER
        if PLACEHOLDER_ANY.search(text) or (whole in PLACEHOLDERS and not (kind == "line" and whole in
                                                                          LINE_PLACEHOLDER_OK)):
            problems.append("is a placeholder, not an answer")
        roles = whole.split()
        if kind == "name" and any(r in ROLES for r in roles) and all(r in ROLES | ROLE_FILLERS for r in roles):
            problems.append(f"'{_short(text, 30)}' is a role, not a character's name")
    if kind not in PROSE_KINDS and text.rstrip().endswith(":"):
        problems.append("ends with ':', an answer cut short")
    echo = _echo(text, echoes)
    if echo:
        problems.append(f"repeats the question or the field's description ('{_short(echo, 40)}')")
    if kind in ("sentence", "phrase") and (META.search(text) or _cites(text)):
        problems.append("tells of a film, a book or 'a character named …' instead of what we see")
    tokens = _words(text)
    if not tokens:  # a sentence of a prose field may be a number ("Lakeview Fair. 1983.")
        number = kind in PROSE_KINDS and not sentence_is_field and any(c.isdigit() for c in text)
        return problems if number else problems + ["has no words"]
    glued = [t for t in tokens if words.run_together(t)]
    problems += [f"run-together word '{_short(t)}'" for t in dict.fromkeys(glued)][:2]
    unknown = [t for t in tokens if not words.real(t)]
    if kind in STRICT_KINDS:
        if len(tokens) > MAX_WORDS[kind]:
            problems.append(f"too many words for a {kind} ({len(tokens)}, at most {MAX_WORDS[kind]})")
        if kind == "name" and re.search(r"[^\w\s'’.\-]|\d|_", text):
            problems.append("a name has only letters")
        if kind == "title" and len(tokens) > 1 and tokens[-1].lower() in _UNFINISHED:
            problems.append(f"an unfinished title (it ends with '{tokens[-1]}')")
        rest = [t for t in dict.fromkeys(unknown) if t not in glued][:3]
        if rest:
            problems.append("not a word: " + ", ".join(f"'{_short(t)}'" for t in rest))
    elif unknown and len(tokens) - len(unknown) < REAL_SHARE * len(tokens):
        problems.append(f"too few real words ({len(tokens) - len(unknown)} of {len(tokens)})")
    loop = _loop(text, kind)
    if loop:
        problems.append(f"repeats itself ('{_short(loop, 30)}')")
    return problems


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        piece = text[start:m.start()].rstrip() + text[m.start():m.end()].strip()
        if ABBREVIATION.search(text[start:m.start()]):
            continue
        parts.append(piece)
        start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _cut(text: str, limit: int, ellipsis: str) -> str:
    """``text`` cut at a word boundary so that it (and ``ellipsis``) fits in ``limit`` characters."""
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    if room <= 0:
        return ""
    head = text[:room]
    if text[room].isalnum() and head[-1:].isalnum():  # the cut falls inside a word: back to its start
        head = head[:head.rfind(" ")] if " " in head else ""
    head = head.rstrip(" ,;:-–—(\"'“‘")
    return head + ellipsis if head else ""


def _finish(text: str, kind: str) -> str:
    if kind in STRICT_KINDS:
        text = text.rstrip(" .,;:")
        if kind == "name" and text.islower():  # "jean-luc" → "Jean-Luc"
            text = re.sub(r"(^|[\s\-])(\w)", lambda m: m.group(1) + m.group(2).upper(), text)
    elif kind == "sentence" and text:
        text = text[0].upper() + text[1:]
        if not re.search(r"[.!?…][\"'”’)]*$", text):
            text = text.rstrip(" ,;:-–—") + "."
    return text


def vet(text: str, kind: Kind, lexicon: Lexicon, *, max_chars: int, known: Iterable[str] = (),
        echoes: Iterable[str] = ()) -> Verdict:
    """``text`` cleaned and judged as a field of ``kind`` (see the module's rules); ``known`` are words allowed
    although the lexicon lacks them, ``echoes`` texts the answer must not be."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        return Verdict("", ("has control characters",))
    if any(unicodedata.category(c) == "Cf" for c in text):
        return Verdict("", ("has invisible formatting characters (a direction mark, a zero-width space…)",))
    cleaned = _clean(text)
    if not cleaned:
        return Verdict("", ("is empty",))
    words, echo_list = _Words(lexicon, known), [e for e in echoes if e.strip()]
    if kind not in PROSE_KINDS:
        problems = _problems(cleaned, kind, words, echo_list)
        if problems:
            return Verdict("", tuple(problems))
        out = _finish(_cut(_finish(cleaned, kind), max_chars, ""), kind)
        return Verdict(out, ()) if out else Verdict("", (f"does not fit in {max_chars} characters",))
    echo = _echo(cleaned, echo_list)  # the answer copies the question across its sentences
    if echo:
        return Verdict("", (f"repeats the question or the field's description ('{_short(echo, 40)}')",))
    kept: list[str] = []
    first: list[str] = []
    sentences = _sentences(cleaned)
    for sentence in sentences:
        problems = _problems(sentence, kind, words, echo_list, len(sentences) == 1)
        if not problems and len(_words(sentence)) > 1 and _norm(sentence) in {_norm(k) for k in kept}:
            problems = [f"repeats itself ('{_short(sentence, 30)}')"]
        if problems:
            first = first or problems
            if "talks to the reader instead of answering" in problems and any(TALK_START.search(k) for k in kept):
                return Verdict("", tuple(problems))  # "Sure! Here is the logline:" is all talk
            break
        kept.append(sentence)
    if not any(_words(k) for k in kept):
        return Verdict("", tuple(first or ["has no words"]))
    out = ""
    for sentence in kept:
        joined = f"{out} {sentence}".strip()
        if len(_finish(joined, kind)) > max_chars:
            break
        out = joined
    if not out:
        out = _cut(kept[0], max_chars, "…")
    out = _finish(out, kind)
    if not out or len(out) > max_chars:
        return Verdict("", (f"does not fit in {max_chars} characters",))
    return Verdict(out, ())
