"""How much of a story a film of a given runtime can tell, the story's title and author, and its time frame.

A page of screenplay runs about a minute; a faithful adaptation spends about WORDS_PER_MINUTE words of prose on
a minute of screen. A short story that runs longer than the brief keeps events from its beginning to its end,
evenly; a novel (chapters, or longer than SHORT_STORY_WORDS) keeps a contiguous opening, and the note says what
the whole would run.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from studio.source import Skeleton, Span
from studio.story_words import HOLIDAYS, SEASONS

WORDS_PER_MINUTE = 400       # prose words told in a minute of screen by a faithful adaptation
SHORT_STORY_WORDS = 30_000   # longer than this (or in chapters), a film tells an opening, not a digest
WHOLE_SLACK = 1.2            # a story up to 20 % longer than the runtime is told whole, tightly
TITLE_LINE = re.compile(r"^\s*(?:#\s+)?(?:Title:\s*)?(?P<title>[^\n]{2,120})\s*$")
BY_LINE = re.compile(r"^\s*(?:by|By|BY|Author:)\s+(?P<author>[^\n]{2,100}?)\s*$")
SMALL_WORDS = frozenset("a an the of and or in on at to for by with from".split())
YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b(?!\s*(?:pounds|dollars|guineas|miles|feet|men|people))")
DECADE = re.compile(r"\b(?:the\s+)?((?:1[0-9]|20)[0-9]0)['’]?s\b")


def propose_span(skeleton: Skeleton, minutes: float) -> Span:
    """The events a ``minutes``-long film tells, and the proposal in words for the person."""
    events = skeleton.events
    whole = skeleton.words / WORDS_PER_MINUTE
    name = f"“{skeleton.title}”" if skeleton.title else "The story"
    said = f"{name} is about {skeleton.words:,} words; told whole it would run {_duration(whole)}."
    if not events:
        return Span(minutes=minutes, minutes_whole=round(whole, 1), note=said + " No events were found in it.")
    if whole <= minutes * WHOLE_SLACK:
        chosen = list(range(len(events)))
        note = f"{said} A {_duration(minutes, about=False)} film tells all of it: {len(events)} events."
    elif skeleton.chapters > 1 or skeleton.words > SHORT_STORY_WORDS:
        chosen = list(range(max(1, math.floor(len(events) * minutes / whole))))
        share = len(chosen) / len(events)
        note = (f"{said} A {_duration(minutes, about=False)} film tells its opening: the first {len(chosen)} of "
                f"{len(events)} events ({_percent(share)} of the story), {events[0].passage} to "
                f"{events[chosen[-1]].passage}.")
    else:
        keep = max(3, round(len(events) * minutes / whole))
        chosen = _evenly(len(events), keep)
        note = (f"{said} A {_duration(minutes, about=False)} film keeps {len(chosen)} of its {len(events)} "
                f"events, from its beginning ({events[0].passage}) to its end ({events[-1].passage}), and "
                f"leaves the others out.")
    return Span(events=[events[i].number for i in chosen], first=events[chosen[0]].passage,
                last=events[chosen[-1]].passage, minutes=minutes, minutes_whole=round(whole, 1), note=note[:600])


def _evenly(total: int, keep: int) -> list[int]:
    """``keep`` indexes spread over ``total``, the first and the last among them."""
    if keep >= total:
        return list(range(total))
    return sorted({round(k * (total - 1) / (keep - 1)) for k in range(keep)})


def _duration(minutes: float, *, about: bool = True) -> str:
    total = max(1, round(minutes))
    hours, rest = divmod(total, 60)
    if hours and rest:
        text = f"{hours} hour{'s' if hours > 1 else ''} {rest} minute{'s' if rest > 1 else ''}"
    elif hours:
        text = f"{hours} hour{'s' if hours > 1 else ''}"
    else:
        text = f"{rest}-minute" if not about else f"{rest} minute{'s' if rest > 1 else ''}"
    return ("about " + text) if about else text


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 else "under 1%"


def title_and_author(text: str) -> tuple[str, str]:
    """The title and author a story's first lines give: "THE GIFT OF THE MAGI\\n\\nby O. Henry" → ('The Gift of
    the Magi', 'O. Henry'); a Project Gutenberg header's 'Title:' and 'Author:' lines; ('', '') when unsaid."""
    head = text[:3000]
    title = _field(head, "Title")
    author = _field(head, "Author")
    if title or author:
        return _title_case(title), author
    lines = [line.strip() for line in head.splitlines() if line.strip()][:6]
    for k, line in enumerate(lines[:-1]):
        by = BY_LINE.match(lines[k + 1])
        if by and TITLE_LINE.match(line) and len(line.split()) <= 12:
            return _title_case(line.lstrip("# ").strip()), by.group("author").strip()
    if lines and lines[0].startswith("# "):
        return _title_case(lines[0][2:].strip()), ""
    return "", ""


def _field(head: str, label: str) -> str:
    m = re.search(rf"^{label}:\s*(.+)$", head, re.MULTILINE)
    return m.group(1).strip() if m else ""


def _title_case(title: str) -> str:
    """A title in capitals as a reader writes it: 'THE GIFT OF THE MAGI' → 'The Gift of the Magi'."""
    if not title.isupper():
        return title
    words = title.lower().split()
    return " ".join(w if k and w in SMALL_WORDS else w[:1].upper() + w[1:] for k, w in enumerate(words))


def time_frame(text: str) -> str:
    """When the story is set, as far as its words say: a year or a decade, a season or a holiday it names most
    ('1888, March', 'summer', 'Christmas'); '' when it says none."""
    parts: list[str] = []
    years = Counter(YEAR.findall(text))
    decades = Counter(DECADE.findall(text))
    if years:
        parts.append(years.most_common(1)[0][0])
    elif decades:
        parts.append(decades.most_common(1)[0][0] + "s")
    holidays: Counter[str] = Counter()
    rest = text
    for holiday in HOLIDAYS:               # longest first: 'Christmas Eve' is not also counted as 'Christmas'
        holidays[holiday] = len(re.findall(rf"\b{re.escape(holiday)}\b", rest))
        rest = re.sub(rf"\b{re.escape(holiday)}\b", " ", rest)
    seasons = Counter(m.group(1).lower() for m in re.finditer(
        r"\b(?:the|that|this|one|last|next|in|of)\s+(" + "|".join(SEASONS) + r")\b", text, re.IGNORECASE))
    if seasons["fall"] < 2:                # 'the fall' is more often a tumble than autumn
        del seasons["fall"]
    when = (holidays + seasons).most_common(1)
    if when and when[0][1] > 0:
        parts.append(when[0][0])
    return ", ".join(parts)[:200]
