"""Fountain text → FountainDocument.

Follows the Fountain 1.1 syntax: title page, scene headings (INT, EXT, EST,
INT./EXT, INT/EXT, I/E, forced with '.', scene numbers '#12A#'), action (forced
with '!'), character cues (extensions, forced with '@', dual dialogue '^'),
parentheticals, dialogue, transitions ('TO:' and forced '>'), centered '>…<',
lyrics '~', sections '#', synopses '=', notes '[[…]]', boneyard '/* … */' and
page breaks '==='. Emphasis markup is kept in the text (see ``plain_text``).
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from studio.fountain.elements import Element, ElementType, FountainDocument, TitleField, plain_text

TITLE_KEYS = {
    "title", "credit", "author", "authors", "source", "draft date", "date", "contact",
    "copyright", "notes", "revision", "episode", "format", "font", "series", "written by", "logline",
}

HEADING_RE = re.compile(r"^(?:int\.?\s*/\s*ext|i\s*/\s*e|int|ext|est)(?:\.|\s)", re.IGNORECASE)
SCENE_NUMBER_RE = re.compile(r"\s*#([A-Za-z0-9.\-]+)#\s*$")
PAGE_BREAK_RE = re.compile(r"^\s*={3,}\s*$")
CENTERED_RE = re.compile(r"^\s*>\s*(.*?)\s*<\s*$")
TITLE_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 _\-]*):\s*(.*)$")
EXTENSION_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
# A note may run over several lines, but not over a blank line: an unclosed '[['
# must not swallow the scenes after it.
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
NOTE_MARK_RE = re.compile(r"\x00(\d+)\x00")
NOTE_CUT_RE = re.compile(r"[ \t]*\x00\d+\x00")
BONEYARD_MARK_RE = re.compile(r"/\*|\*/")


class _Add(Protocol):
    """parse()'s ``add``: appends an element of the document (its notes taken out of ``raw``) and returns it."""

    def __call__(self, kind: ElementType, raw: str, **kw: Any) -> Element: ...


def is_heading(line: str) -> bool:
    return bool(HEADING_RE.match(line.strip()))


def _is_upper_cue(line: str) -> bool:
    """An all-caps line: a character cue if a blank line comes before and text after."""
    body = line.strip()
    if body.endswith("^"):
        body = body[:-1].rstrip()
    name = body
    while True:
        m = EXTENSION_RE.search(name)
        if not m or m.start() == 0:
            break
        name = name[: m.start()]
    name = name.strip()
    if not name or not any(ch.isalpha() for ch in name):
        return False
    return name == name.upper()


def _is_transition(line: str) -> bool:
    t = line.strip()
    return t == t.upper() and t.endswith("TO:") and any(ch.isalpha() for ch in t)


def split_cue(cue: str) -> tuple[str, list[str], bool, bool]:
    """'@McCLANE (V.O.) ^' → ('McCLANE', ['V.O.'], dual=True, forced=True)."""
    body = cue.strip()
    forced = body.startswith("@")
    if forced:
        body = body[1:].lstrip()
    dual = body.endswith("^")
    if dual:
        body = body[:-1].rstrip()
    extensions: list[str] = []
    while True:
        m = EXTENSION_RE.search(body)
        if not m or m.start() == 0:
            break
        extensions.insert(0, m.group(1).strip())
        body = body[: m.start()]
    name = re.sub(r"\s+", " ", plain_text(body)).strip()
    return name, extensions, dual, forced


class _Notes:
    """Pulls '[[notes]]' out of the text, leaving numbered marks where they stood."""

    def __init__(self, text: str) -> None:
        self.notes: list[str] = []
        self.text = self._mark_all(text)

    def _mark_all(self, text: str) -> str:
        """Each '[[' up to the first ']]' after it, in one pass over the text.

        The spec asks for two spaces on a blank line inside a note, but writers' apps and hands leave it empty
        (``EXT. MAST FARM - NIGHT[[Near Plattsmouth.`` / empty line / ``Rivers nearby.]]``), so a note may span
        empty lines too, unless another '[[' opens before its ']]' or a scene heading stands inside it: then the
        ']]' belongs to something else, and the '[[' is a note only if it closes before the next blank line (an
        unclosed '[[' must not swallow the scenes after it).
        """
        out: list[str] = []
        pos, blank, close = 0, -1, -1  # the next blank line and the next ']]' at or after ``pos`` (-1: not looked)
        while (start := text.find("[[", pos)) >= 0:
            if close != len(text) and close < start + 2:
                found_close = text.find("]]", start + 2)
                close = found_close if found_close >= 0 else len(text)
            if blank < start + 2 and blank != len(text):
                found = BLANK_LINE_RE.search(text, start + 2)
                blank = found.start() if found else len(text)
            if close < len(text) and (close < blank or self._spans_blank_lines(text, start + 2, close)):
                self.notes.append(re.sub(r"\s*\n\s*", " ", text[start + 2:close]).strip())
                out.append(text[pos:start] + f"\x00{len(self.notes) - 1}\x00")
                pos = close + 2
                continue
            # Not a note. Unclosed: no '[[' up to the blank line is one either. Closed past a blank line but
            # rejected: a later '[[' may still be a note.
            until = blank if close == len(text) else start + 2
            out.append(text[pos:until])
            pos = until
        out.append(text[pos:])
        return "".join(out)

    @staticmethod
    def _spans_blank_lines(text: str, begin: int, close: int) -> bool:
        """Whether text[begin:close], which holds a blank line, reads as one note: no '[[' and no scene heading
        after a blank line inside it."""
        if text.find("[[", begin, close) >= 0:
            return False
        inside = text[begin:close]
        return not any(is_heading(part.strip().split("\n", 1)[0]) for part in BLANK_LINE_RE.split(inside)[1:])

    def take(self, text: str) -> tuple[str, list[str]]:
        found = [self.notes[int(i)] for i in NOTE_MARK_RE.findall(text)]
        cleaned = NOTE_CUT_RE.sub("", text)
        cleaned = re.sub(r"[ \t]+\n", "\n", cleaned)
        return cleaned.rstrip(), found


def _title_page(lines: list[str]) -> tuple[list[TitleField], int]:
    """Read the title page if the script starts with one; return it and where the body starts."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return [], 0
    m = TITLE_KEY_RE.match(lines[i])
    if not m:
        return [], 0
    block_keys = []
    j = i
    while j < len(lines) and lines[j].strip():
        km = TITLE_KEY_RE.match(lines[j])
        if km and not lines[j][:1].isspace():
            block_keys.append(km.group(1).strip().lower())
        j += 1
    known = [k for k in block_keys if k in TITLE_KEYS]
    if m.group(1).strip().lower() not in TITLE_KEYS and not (len(block_keys) >= 2 and known):
        return [], 0
    fields: list[TitleField] = []
    values: list[list[str]] = []
    while i < len(lines) and lines[i].strip():
        line = lines[i]
        m = TITLE_KEY_RE.match(line)
        if m and not line[:1].isspace():
            fields.append(TitleField(key=m.group(1).strip(), value=""))
            values.append([m.group(2).strip()] if m.group(2).strip() else [])
        elif fields:
            values[-1].append(line.strip())
        i += 1
    for f, v in zip(fields, values):
        f.value = "\n".join(v)
    return fields, i


def _without_boneyard(text: str) -> str:
    """The text without its '/* … */' boneyard (and the spaces before each), in one pass.

    Boneyards nest (``/* a /* b */ c */`` is all boneyard): each '*/' closes the latest open '/*'. A '/*' that
    nothing closes is text, and so is a '*/' with nothing open; what the closed pairs hold goes, outermost first.
    """
    opened: list[int] = []
    cut: list[tuple[int, int]] = []  # closed pairs, outermost ones kept: inner pairs end before their outer one
    for m in BONEYARD_MARK_RE.finditer(text):
        if m.group() == "/*":
            opened.append(m.start())
        elif opened:
            start = opened.pop()
            while cut and cut[-1][0] > start:  # pairs inside this one
                cut.pop()
            cut.append((start, m.end()))
    out: list[str] = []
    pos = 0
    for start, end in cut:
        out.append(text[pos:start].rstrip(" \t"))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def parse(text: str) -> FountainDocument:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _without_boneyard(text)
    notes = _Notes(text)
    lines = notes.text.split("\n")
    title_page, start = _title_page(lines)
    for f in title_page:
        f.value, _ = notes.take(f.value)
    body = lines[start:]
    elements: list[Element] = []

    def add(kind: ElementType, raw: str, **kw: Any) -> Element:
        cleaned, found = notes.take(raw)
        el = Element(type=kind, text=cleaned, notes=found, **kw)
        elements.append(el)
        return el

    def blank(idx: int) -> bool:
        return idx < 0 or idx >= len(body) or not NOTE_MARK_RE.sub("", body[idx]).strip()

    i = 0
    n = len(body)
    alone_line = -2
    while i < n:
        raw = body[i]
        line, _ = notes.take(raw)
        stripped = line.strip()
        # A heading or transition stands alone: it counts as the blank line before what follows.
        prev_blank = blank(i - 1) or alone_line == i - 1
        if not stripped:
            if NOTE_MARK_RE.search(raw):
                _, found = notes.take(raw)
                for note in found:
                    elements.append(Element(type=ElementType.NOTE, text=note))
            i += 1
            continue

        # Forced and unambiguous markers, valid on any line.
        if PAGE_BREAK_RE.match(stripped):
            add(ElementType.PAGE_BREAK, "")
            i += 1
            continue
        if stripped.startswith("#"):
            hashes = len(stripped) - len(stripped.lstrip("#"))
            add(ElementType.SECTION, stripped[hashes:].strip(), depth=hashes)
            i += 1
            continue
        if stripped.startswith("=") and not stripped.startswith("=="):
            add(ElementType.SYNOPSIS, stripped[1:].strip())
            i += 1
            continue
        if stripped.startswith("!"):
            i = _action(body, i, add, notes, forced=True)
            continue
        if stripped.startswith("~"):
            lyrics = []
            while i < n and body[i].strip().startswith("~"):
                lyrics.append(body[i].strip()[1:].lstrip())
                i += 1
            add(ElementType.LYRICS, "\n".join(lyrics))
            continue
        m = CENTERED_RE.match(line)
        if m and stripped.startswith(">"):
            add(ElementType.CENTERED, _with_notes(m.group(1), raw))
            i += 1
            continue
        if stripped.startswith(">"):
            add(ElementType.TRANSITION, _with_notes(stripped[1:].strip(), raw), forced=True)
            i += 1
            continue
        if prev_blank and stripped.startswith(".") and not stripped.startswith(".."):
            _heading(raw.strip()[1:].lstrip(), add, forced=True)
            alone_line = i
            i += 1
            continue
        if prev_blank and is_heading(stripped):
            _heading(raw.strip(), add, forced=False)
            alone_line = i
            i += 1
            continue
        next_text = not blank(i + 1)
        if prev_blank and stripped.startswith("@") and next_text:
            i = _dialogue(body, i, add, notes)
            continue
        if prev_blank and _is_transition(stripped) and (blank(i + 1) or is_heading(body[i + 1])):
            add(ElementType.TRANSITION, raw.strip())
            alone_line = i
            i += 1
            continue
        if prev_blank and next_text and _is_upper_cue(stripped):
            i = _dialogue(body, i, add, notes)
            continue
        i = _action(body, i, add, notes, forced=False)
    return FountainDocument(title_page=title_page, elements=elements)


def _with_notes(text: str, raw: str) -> str:
    """Keep the note marks of ``raw`` attached to a text cut out of it."""
    return text + "".join(f"\x00{i}\x00" for i in NOTE_MARK_RE.findall(raw))


def _heading(raw: str, add: _Add, *, forced: bool) -> None:
    text = raw
    number = None
    probe = NOTE_MARK_RE.sub("", text)
    m = SCENE_NUMBER_RE.search(probe)
    if m:
        number = m.group(1)
        marks = "".join(f"\x00{i}\x00" for i in NOTE_MARK_RE.findall(text))
        text = probe[: m.start()] + marks
    add(ElementType.SCENE_HEADING, text.strip(), forced=forced, scene_number=number)


def _action(body: list[str], i: int, add: _Add, notes: _Notes, *, forced: bool) -> int:
    """An action paragraph: lines up to the next blank line or forced element.

    A line that holds only a note (or only the '!' that forces it) adds no line of
    action: its notes stay with the paragraph.
    """
    lines: list[str] = []
    marks = ""
    n = len(body)
    first = True
    any_forced = False
    while i < n and body[i].strip():
        line = body[i].rstrip()
        s, _ = notes.take(line)
        s = s.strip()
        if not first and s and (PAGE_BREAK_RE.match(s) or s[:1] in ("#", "~", ">") or
                                (s.startswith("=") and not s.startswith("=="))):
            break
        first = False
        i += 1
        if line.lstrip().startswith("!"):
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + line.lstrip()[1:]
            any_forced = True
            s = s[1:]
        if not s.strip():
            marks += "".join(f"\x00{k}\x00" for k in NOTE_MARK_RE.findall(line))
            continue
        lines.append(line)
    if lines:
        add(ElementType.ACTION, "\n".join(lines) + marks, forced=forced or any_forced)
    elif marks:
        for note in notes.take(marks)[1]:
            add(ElementType.NOTE, note)
    return i


def _dialogue(body: list[str], i: int, add: _Add, notes: _Notes) -> int:
    """A character cue and the parentheticals and dialogue under it."""
    cue, cue_notes = notes.take(body[i])
    name, extensions, dual, forced = split_cue(cue)
    el = add(ElementType.CHARACTER, name, extensions=extensions, dual=dual, forced=forced)
    el.notes.extend(cue_notes)
    i += 1
    n = len(body)
    speech: list[str] = []

    def flush() -> None:
        if speech:
            add(ElementType.DIALOGUE, "\n".join(speech))
            speech.clear()

    while i < n and (body[i].strip() or body[i] == "  "):
        line = body[i]
        s, _ = notes.take(line)
        s = s.strip()
        if s.startswith("(") and ")" not in s:
            # A parenthetical over several lines: gather them up to the closing ')'.
            parts = [line.strip()]
            j = i + 1
            while j < n and body[j].strip() and ")" not in notes.take(body[j])[0]:
                parts.append(body[j].strip())
                j += 1
            if j < n and body[j].strip() and notes.take(body[j])[0].strip().endswith(")"):
                parts.append(body[j].strip())
                flush()
                add(ElementType.PARENTHETICAL, " ".join(parts))
                i = j + 1
                continue
        if s.startswith("(") and s.endswith(")"):
            flush()
            add(ElementType.PARENTHETICAL, line.strip())
        elif s.startswith("~"):
            flush()
            lyrics = []
            while i < n and notes.take(body[i])[0].strip().startswith("~"):
                lyrics.append(body[i].strip()[1:].lstrip())
                i += 1
            add(ElementType.LYRICS, "\n".join(lyrics))
            continue
        else:
            speech.append(line.strip() if line != "  " else "")
        i += 1
    flush()
    return i
