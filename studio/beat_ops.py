"""A writer's operations on the beat sheet: split a beat in two, merge two beats, move a beat (studio.script_ops
re-exports them beside the script's). Pure: a sheet in, a new sheet out; a beat's passages go with its words."""

from __future__ import annotations

import re

from studio.errors import StageError
from studio.models import Beat, BeatSheet

MAX_BEATS = 40
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=\S)")


def beat_index(sheet: BeatSheet, k: int) -> int:
    count = len(sheet.beats)
    if not 1 <= k <= count:
        raise StageError(f"there is no beat {k}: the beat sheet has {count} beat{'s' if count != 1 else ''}",
                         f"give a beat number from 1 to {count} (/show beats lists them)")
    return k - 1


def _split_point(text: str, at: str | None, k: int) -> int:
    """Where beat k's description is split: where ``at`` starts, else at the sentence end nearest its middle."""
    if at is not None:
        words = " ".join(at.split()).strip(" \"'\u201c\u201d")
        found = text.lower().find(words.lower()) if words else -1
        if found <= 0 or not text[:found].strip():
            where = "starts beat" if found == 0 else "is not in beat"
            raise StageError(f"\u201c{words[:60]}\u201d {where} {k}'s description, so there is nothing to split there",
                             f"quote words from the middle of it, e.g. /beat split {k} at WORDS (/show beats)")
        return found
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not ends:
        raise StageError(f"beat {k} is one sentence, so I cannot tell where to split it",
                         f"say where: /beat split {k} at WORDS THE SECOND BEAT STARTS WITH")
    middle = len(text) / 2
    return min(ends, key=lambda e: abs(e - middle))


def split_beat(sheet: BeatSheet, k: int, at: str | None = None) -> BeatSheet:
    """Beat k split in two: the first keeps its name, the second is '(continued)'; both keep its act and passages."""
    i = beat_index(sheet, k)
    if len(sheet.beats) >= MAX_BEATS:
        raise StageError(f"the beat sheet already has {MAX_BEATS} beats, the most it holds",
                         "merge two beats first: /beat merge N M")
    beat = sheet.beats[i]
    text = " ".join(beat.description.split())
    p = _split_point(text, at, k)
    first, second = text[:p].strip(), text[p:].strip()
    if not first or not second:
        raise StageError(f"beat {k} would leave an empty half", f"quote words from the middle: /beat split {k} at WORDS")
    name = f"{beat.name} (continued)"
    halves = [beat.model_copy(update={"description": first}),
              Beat(name=name if len(name) <= 100 else beat.name[:88] + " (continued)", description=second,
                   act=beat.act, sources=list(beat.sources))]
    return sheet.model_copy(update={"beats": [*sheet.beats[:i], *halves, *sheet.beats[i + 1:]]})


def merge_beats(sheet: BeatSheet, k: int, j: int) -> BeatSheet:
    """Beats k and j (next to each other) as one: the first's name and act, both descriptions, both passages."""
    a, b = sorted((beat_index(sheet, k), beat_index(sheet, j)))
    if a == b:
        raise StageError(f"beat {k} cannot merge with itself", "name two beats next to each other, e.g. /beat merge 3 4")
    if b != a + 1:
        raise StageError(f"beats {a + 1} and {b + 1} are not next to each other",
                         f"move one next to the other first (/beat move {b + 1} to {a + 2}), then merge them")
    one, two = sheet.beats[a], sheet.beats[b]
    description = " ".join(f"{one.description} {two.description}".split())
    if len(description) > 2000:
        raise StageError(f"beats {a + 1} and {b + 1} together run {len(description)} characters; a beat holds 2,000",
                         "shorten one of them first (/revise beats), then merge")
    name = one.name if two.name in (one.name, f"{one.name} (continued)") else f"{one.name} + {two.name}"
    merged = one.model_copy(update={"name": name[:100], "description": description,
                                    "sources": list(dict.fromkeys([*one.sources, *two.sources]))[:40]})
    return sheet.model_copy(update={"beats": [*sheet.beats[:a], merged, *sheet.beats[b + 1:]]})


def move_beat(sheet: BeatSheet, k: int, to: int) -> BeatSheet:
    """Beat k moved so that it becomes beat ``to`` (the others keep their order)."""
    i = beat_index(sheet, k)
    j = beat_index(sheet, to)
    if i == j:
        raise StageError(f"beat {k} is already beat {to}", "name another place, e.g. /beat move 6 to 2")
    beats = list(sheet.beats)
    beat = beats.pop(i)
    beats.insert(j, beat)
    return sheet.model_copy(update={"beats": beats})


def position_after_move(k: int, *, before: int | None = None, after: int | None = None) -> int:
    """Where scene or beat k lands when moved before or after m (the number ``move_beat`` takes)."""
    m = before if before is not None else after
    if m is None:
        raise StageError("it moves before or after another", "e.g. /beat move 6 before 2")
    if before is not None:
        return m if k > m else m - 1
    return m + 1 if k > m else m
