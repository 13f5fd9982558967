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

from studio.source import Passage, Skeleton, Span
from studio.story_words import ABBREVIATIONS, HOLIDAYS, HONORIFICS, SEASONS, TIME_WORDS

WORDS_PER_MINUTE = 400       # prose words told in a minute of screen by a faithful adaptation
SHORT_STORY_WORDS = 30_000   # longer than this (or in chapters), a film tells an opening, not a digest
WHOLE_SLACK = 1.2            # a story up to 20 % longer than the runtime is told whole, tightly
TITLE_LINE = re.compile(r"^\s*(?:#\s+)?(?:Title:\s*)?(?P<title>[^\n]{2,120})\s*$")
BY_LINE = re.compile(r"^\s*(?:by|By|BY|Author:)\s+(?P<author>[^\n]{2,100}?)\s*$")
SMALL_WORDS = frozenset("a an the of and or in on at to for by with from".split())
YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b(?!\s*(?:pounds|dollars|guineas|miles|feet|men|people))")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH = "(" + "|".join(MONTHS) + ")"
# A date names its month beyond doubt ('3 May', 'May 3rd', 'the 4th of May', 'in May'); 'May I' or 'the March
# Hare' do not.
DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r"\b|\b" + MONTH
                  + r"\s+\d{1,2}(?:st|nd|rd|th)?\b|\b(?:in|of|early|late|mid-?)\s+" + MONTH + r"\b(?!\s+[A-Z])")
SEASON_OF = {m: s for s, months in (("winter", MONTHS[11:] + MONTHS[:2]), ("spring", MONTHS[2:5]),
                                    ("summer", MONTHS[5:8]), ("autumn", MONTHS[8:11])) for m in months}
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
    """When the story is set, as far as its words say: a year or a decade; the month its dates name most, with its
    season ('3 May' → 'May, spring'), else the season or holiday it names most ('summer', 'Christmas'); '' when
    it says none."""
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
    months = Counter(next(g for g in m.groups() if g) for m in DATE.finditer(text))
    when = (holidays + seasons).most_common(1)
    if months:                             # a date the story gives beats a season it mentions ('3 May': spring)
        month = months.most_common(1)[0][0]
        parts.append(f"{month}, {SEASON_OF[month]}")
    elif when and when[0][1] > 0:
        parts.append(when[0][0])
    return ", ".join(parts)[:200]


# ---------------------------------------------------------------- quotation marks, speakers' names, clipping


SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(—–-]))[‘'](?=[^\s'‘’])")
SINGLE_CLOSE = re.compile(r"(?<=[^\s‘'])[’'](?=[\s.,;:!?—–)-]|$)")


def double_quoted(passages: list[Passage]) -> list[Passage]:
    """A story whose speech is in single quotation marks (British editions: 'Come here,' said the Hatter) read as
    if in double ones, offsets and ids kept. An opening mark counts only with a closing one after it before the
    next opening one, so that an apostrophe ('tis, the boys' hats) stays one."""
    doubles = sum(p.text.count('"') + p.text.count("“") for p in passages)
    pairs = [_single_pairs(p.text) for p in passages]
    if sum(len(found) for found in pairs) <= 2 * doubles:
        return passages
    out = []
    for p, found in zip(passages, pairs):
        if not found:
            out.append(p)
            continue
        chars = list(p.text)
        for a, b in found:
            chars[a], chars[b] = "“", "”"
        out.append(p.model_copy(update={"text": "".join(chars)}))
    return out


def _single_pairs(text: str) -> list[tuple[int, int]]:
    """(opening, closing) offsets of each line in single quotation marks."""
    if "'" not in text and "‘" not in text:
        return []
    opens = [m.start() for m in SINGLE_OPEN.finditer(text)]
    closes = [m.start() for m in SINGLE_CLOSE.finditer(text)]
    found: list[tuple[int, int]] = []
    k = 0
    for n, at in enumerate(opens):
        if found and at < found[-1][1]:
            continue
        nxt = opens[n + 1] if n + 1 < len(opens) else len(text)
        while k < len(closes) and closes[k] <= at:
            k += 1
        if k < len(closes) and closes[k] < nxt:
            found.append((at, closes[k]))
    return found


def one_sentence(who: str) -> str:
    """A speaker without the sentence after it: '"…," said the Hatter. He had …' gives 'the Hatter', while the
    full stop of a title or an initial stays ('Mr. Holmes', 'O. Henry')."""
    words = who.split()
    for k, word in enumerate(words[:-1]):
        if word.endswith(".") and len(word) > 2 and word[:-1] not in ABBREVIATIONS and word[:-1] not in HONORIFICS:
            return " ".join(words[:k + 1])[:-1]
    return who


def time_of(text: str) -> str:
    for word in re.findall(r"[a-z][a-z-]+", text.lower()):
        if word in TIME_WORDS:
            return TIME_WORDS[word]
    return ""


def clip_to(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[:cut if cut > 0 else limit - 1] + "…"
