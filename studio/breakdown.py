"""Scene breakdown: scenes, speakers, props and timing from a parsed screenplay.

Timing follows the trade's rule of thumb: a page of screenplay in standard
layout holds about 55 lines and plays for about a minute. Each element is laid
out at its standard width (action 60 characters, dialogue 35, parentheticals
25) with the blank lines the layout puts between elements; a scene's length
is then counted in eighths of a page, at least one eighth.
"""

from __future__ import annotations

import math
import re
import textwrap

from studio.fountain.elements import Element, ElementType, FountainDocument, plain_text
from studio.models import Breakdown, IntExt, Scene, Script

LINES_PER_PAGE = 55
SECONDS_PER_PAGE = 60.0
WIDTHS = {
    ElementType.SCENE_HEADING: 60,
    ElementType.ACTION: 60,
    ElementType.CHARACTER: 38,
    ElementType.PARENTHETICAL: 25,
    ElementType.DIALOGUE: 35,
    ElementType.TRANSITION: 60,
    ElementType.CENTERED: 60,
    ElementType.LYRICS: 35,
}
# Blank lines the layout puts before an element.
SPACE_BEFORE = {
    ElementType.SCENE_HEADING: 1,
    ElementType.ACTION: 1,
    ElementType.CHARACTER: 1,
    ElementType.TRANSITION: 1,
    ElementType.CENTERED: 1,
    ElementType.LYRICS: 1,
}

TIMES_OF_DAY = (
    "MOMENTS LATER", "SAME TIME", "MAGIC HOUR", "LATE NIGHT", "EARLY MORNING", "LATE AFTERNOON",
    "CONTINUOUS", "AFTERNOON", "MIDNIGHT",
    "MORNING", "EVENING", "SUNRISE", "SUNSET", "LATER", "NIGHT", "DAWN", "DUSK", "NOON",
    "SAME", "DAY",
)
_PREFIX_RE = re.compile(r"^(int\.?\s*/\s*ext|i\s*/\s*e|int|ext|est)(?:\.\s*|\s+)", re.IGNORECASE)
_ARTICLES = r"(?i:a|an|the|his|her|their|its|my|your|our)"
_CAPS_WORD = r"[A-Z][A-Z'’\-]*[A-Z]"
_PROP_RE = re.compile(rf"\b{_ARTICLES}\s+({_CAPS_WORD}(?:\s+{_CAPS_WORD})*)\b")
_AGE_WORDS = ("teen", "twenties", "thirties", "forties", "fifties", "sixties", "seventies",
              "eighties", "nineties", "old", "young", "late", "early", "mid", "ageless", "child")
# A name of at most five words, then its note in brackets: bounded, so that a long line of capitals with no
# bracket is read in linear time (unbounded, every word retried the rest of the line).
_INTRO_RE = re.compile(rf"(?<![A-Za-z])((?:Mc|Mac)?{_CAPS_WORD}(?:\s+(?:Mc|Mac)?{_CAPS_WORD}){{0,4}})\s*\(([^)\n]{{0,200}})\)")
_NOT_PROPS = {
    "KNOCK", "BANG", "CRASH", "THUD", "SLAM", "BEEP", "BUZZ", "CLICK", "SCREAM", "RING", "GUNSHOT",
    "BOOM", "SMASH", "POV", "CLOSE", "ANGLE", "INSERT", "SUPER", "END", "V.O.", "O.S.",
}


def _wrapped(text: str, width: int) -> int:
    lines = 0
    for line in plain_text(text).split("\n"):
        lines += max(1, len(textwrap.wrap(line, width)) if line.strip() else 1)
    return lines


_IN_DIALOGUE = (ElementType.CHARACTER, ElementType.PARENTHETICAL, ElementType.DIALOGUE, ElementType.LYRICS)


def element_lines(el: Element, previous: Element | None = None) -> int:
    """Printed lines, including the blank lines before, that an element takes on the page."""
    width = WIDTHS.get(el.type)
    if width is None:  # sections, synopses, notes and page breaks are not printed
        return 0
    text = el.text
    if el.type is ElementType.CHARACTER:
        text = el.text + "".join(f" ({x})" for x in el.extensions)
    space = SPACE_BEFORE.get(el.type, 0)
    if el.type is ElementType.LYRICS and previous is not None and previous.type in _IN_DIALOGUE:
        space = 0  # sung inside a dialogue block
    return space + _wrapped(text, width)


def count_lines(elements: list[Element]) -> int:
    """Lines on the page. Dual dialogue stands side by side: the taller speech counts."""
    total = 0
    previous: Element | None = None
    block = 0  # lines of the dialogue block being counted
    prior_block = 0  # lines of the block before it, for a dual partner
    dual = False
    for el in elements:
        n = element_lines(el, previous)
        if el.type is ElementType.CHARACTER:
            prior_block, block, dual = block, 0, el.dual
        if el.type in _IN_DIALOGUE and dual:
            # Only what this speech adds beyond its partner's height takes new lines.
            grown = max(0, block + n - prior_block) - max(0, block - prior_block)
            block += n
            total += grown
        else:
            if el.type in _IN_DIALOGUE:
                block += n
            else:
                block, dual = 0, False
            total += n
        previous = el
    return total


def lines_to_eighths(lines: int) -> int:
    return max(1, math.floor(lines * 8 / LINES_PER_PAGE + 0.5))


def lines_to_seconds(lines: int) -> float:
    return round(lines / LINES_PER_PAGE * SECONDS_PER_PAGE, 1)


# Between a heading's parts: ' - ', ' -- ', '--', ' — ', '—', ' – ' (a hyphen alone inside a word, 'X-RAY', is not).
_HEADING_DASH = re.compile(r"\s*(?:-{2,}|[–—]+)\s*|\s+-\s+")


def parse_heading(heading: str) -> tuple[IntExt | None, str, str | None]:
    """'INT. DINER - KITCHEN - NIGHT' → ('INT', 'DINER - KITCHEN', 'NIGHT'); 'EXT. LIBRARY--DAY' and
    'INT. HOUSE — NIGHT' → ('EXT', 'LIBRARY', 'DAY') and ('INT', 'HOUSE', 'NIGHT')."""
    int_ext: IntExt | None = None
    rest = heading.strip()
    m = _PREFIX_RE.match(rest)
    if m:
        key = re.sub(r"[\s.]", "", m.group(1)).upper()
        int_ext = {"INT": "INT", "EXT": "EXT", "EST": "EST"}.get(key, "INT/EXT")  # type: ignore[assignment]
        rest = rest[m.end():]
    time_of_day = None
    parts = _HEADING_DASH.split(rest)
    last = re.sub(r"\s*\([^()]*\)\s*$", "", parts[-1]).strip().upper().rstrip(".")  # 'DAY (1985)'
    if len(parts) > 1 and last in TIMES_OF_DAY:
        time_of_day = last
        rest = " - ".join(parts[:-1])
    elif len(parts) == 1 and rest.strip().upper() in TIMES_OF_DAY and m:
        time_of_day, rest = rest.strip().upper(), ""
    return int_ext, rest.strip(" -–—"), time_of_day


def _add_unique(items: list[str], name: str) -> None:
    if name and name.upper() not in {x.upper() for x in items}:
        items.append(name)


def _introduced(text: str) -> list[str]:
    found: list[str] = []
    for m in _INTRO_RE.finditer(plain_text(text)):
        inside = m.group(2).lower()
        if any(ch.isdigit() for ch in inside) or any(w in inside for w in _AGE_WORDS):
            _add_unique(found, m.group(1).strip())
    return found


def _props(text: str, characters: set[str]) -> list[str]:
    found: list[str] = []
    for m in _PROP_RE.finditer(plain_text(text)):
        name = m.group(1).strip()
        if name.upper() in characters or name in _NOT_PROPS or len(name) < 2:
            continue
        _add_unique(found, name)
    return found


def scene_chunks(doc: FountainDocument) -> tuple[list[Element], list[list[Element]]]:
    """Split the body at scene headings: (what comes before the first scene, the scenes)."""
    before: list[Element] = []
    scenes: list[list[Element]] = []
    for el in doc.elements:
        if el.type is ElementType.SCENE_HEADING:
            scenes.append([el])
        elif scenes:
            scenes[-1].append(el)
        else:
            before.append(el)
    return before, scenes


def scene_labels(headings: list[Element]) -> list[str]:
    """The number printed for each scene: '#12A#' as written, else its position.

    A position already taken by a written number gets the next free letter
    (a '#3#' and a third unnumbered scene give '3' and '3A').
    """
    taken = {h.scene_number for h in headings if h.scene_number}
    labels = []
    for index, heading in enumerate(headings, start=1):
        if heading.scene_number:
            labels.append(heading.scene_number)
            continue
        label = str(index)
        letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        while label in taken:
            label = f"{index}{next(letters)}"
        taken.add(label)
        labels.append(label)
    return labels


def break_down(doc: FountainDocument) -> Breakdown:
    before, chunks = scene_chunks(doc)
    all_speakers: list[str] = []
    for el in doc.of_type(ElementType.CHARACTER):
        _add_unique(all_speakers, el.text)
    speaker_keys = {s.upper() for s in all_speakers}

    scenes: list[Scene] = []
    locations: list[str] = []
    labels = scene_labels([chunk[0] for chunk in chunks])
    for index, chunk in enumerate(chunks, start=1):
        heading = chunk[0]
        int_ext, location, time_of_day = parse_heading(heading.plain)
        speakers: list[str] = []
        introduced: list[str] = []
        props: list[str] = []
        synopsis = ""
        lines = count_lines(chunk)
        for el in chunk:
            if el.type is ElementType.CHARACTER:
                canonical = next(s for s in all_speakers if s.upper() == el.text.upper())
                _add_unique(speakers, canonical)
            elif el.type is ElementType.ACTION:
                for name in _introduced(el.text):
                    _add_unique(introduced, name)
            elif el.type is ElementType.SYNOPSIS and not synopsis:
                synopsis = el.plain
        intro_keys = {x.upper() for x in introduced}
        for el in chunk:
            if el.type is ElementType.ACTION:
                for prop in _props(el.text, speaker_keys | intro_keys):
                    _add_unique(props, prop)
        eighths = lines_to_eighths(lines)
        scenes.append(Scene(
            number=index,
            scene_number=labels[index - 1],
            heading=heading.plain,
            int_ext=int_ext,
            location=location,
            time_of_day=time_of_day,
            characters=speakers,
            introduced=introduced,
            props=props,
            dialogue_count=sum(1 for el in chunk if el.type is ElementType.CHARACTER),
            lines=lines,
            eighths=eighths,
            seconds=lines_to_seconds(lines),
            synopsis=synopsis,
        ))
        if location:
            _add_unique(locations, location)
    return Breakdown(
        scenes=scenes,
        characters=all_speakers,
        locations=locations,
        total_eighths=sum(s.eighths for s in scenes),
        total_seconds=round(sum(s.seconds for s in scenes), 1),
    )


def script_summary(fountain: str, doc: FountainDocument, breakdown: Breakdown) -> Script:
    total_lines = count_lines(doc.elements)
    pages = round(total_lines / LINES_PER_PAGE, 2)
    return Script(
        fountain=fountain,
        title=doc.title,
        pages=pages,
        runtime_seconds=breakdown.total_seconds,
        scene_count=len(breakdown.scenes),
    )
