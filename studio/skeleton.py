"""The skeleton of a story in prose, found by rule: passages, characters, places, time, quoted speech, events.

No model and no randomness: the same text always gives the same skeleton, on the built-in model too, and a
novel takes seconds. Every finding points at the passages it comes from (``p12``), so that what is built on it
can cite them. The rules are English prose's: names by capitalisation and frequency (studio.story_names), quoted
speech with the speaker the narration gives it ("…," said Ahab), and an event per paragraph: the sentence that
says who does what, with the place and time the passage gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from studio.source import PASSAGE_CHARS, Passage, Quote, Skeleton, StoryCharacter, StoryEvent, StoryPlace
from studio.story_names import (Mention, Name, aliases, common_places, count_pronouns, group_names, is_person,
                                is_place, lower_counts, may_speak, mentions_in, place_interior, sentences, settings_in)
from studio.story_narrator import name_the_narrator
from studio.story_quotes import OWNERS, SPEAKER, VERB, Read, quotes_of
from studio.story_span import clip_to, double_quoted, propose_span, time_frame, time_of, title_and_author
from studio.story_words import DWELLINGS, PARTS, VERBS

__all__ = ["passages_of", "find_skeleton", "propose_span", "title_and_author"]

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
HEADING = re.compile(r"^(?:#{1,6}\s+\S.*|(?:CHAPTER|Chapter|BOOK|Book|PART|Part)\s+(?:[0-9]+|[IVXLCDM]+|[A-Z][a-z]+)"
                     r"\b[^\n]{0,120})$")
PROGRESS_EVERY = 200  # passages per chunk: progress is told this often
ATTRIBUTED = re.compile(r"[\"“][^\"“”]*(?:[\"”]|$)(?:[\s,.!?—–-]*(?:" + VERB + r"\s+" + SPEAKER + r"|" + SPEAKER
                        + r"\s+" + VERB + r")\b[^.!?;\"“]*)?")
LEAD_SPEECH = re.compile(r"(?:[,;]?\s*\b(?:and|then)\s+(?:(?:now|then|so|he|she|they|I)\s+){0,2}|[,;]?\s*\b(?:he|she|"
                         r"they|I)\s+)" + VERB + r"(?:\s+(?:to|at|with)\s+[\w’']+)?\s*[,:—–-]*$")
TERM = re.compile(r"[\"“][^\"“”.!?,;:]*(?:\s+[^\"“”.!?,;:\s]+){0,2}[\"”]")
PRONOUN_SUBJECT = re.compile(r"^\W*(?:I|We|He|She|They)\s+[a-z]")
MAX_EVENT = 400
MIN_EVENT_WORDS = 6


def passages_of(text: str) -> list[Passage]:
    """The story cut into passages in reading order: a paragraph each, a long paragraph cut at sentence ends near
    PASSAGE_CHARS. A heading ('# Chapter II', 'CHAPTER 133. The Chase') starts a new chapter and is no passage."""
    passages: list[Passage] = []
    chapter, chapter_has_text = 1, False
    for start, end in _paragraphs(text):
        block = text[start:end]
        if HEADING.match(block.strip()) and "\n" not in block.strip():
            if chapter_has_text:
                chapter, chapter_has_text = chapter + 1, False
            continue
        for p_start, p_end in _pieces(text, start, end):
            passages.append(Passage(id=f"p{len(passages) + 1}", chapter=chapter, start=p_start, end=p_end,
                                    text=" ".join(text[p_start:p_end].split())))
            chapter_has_text = True
    return passages


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A paragraph as is, or cut at sentence ends into pieces of about PASSAGE_CHARS; a sentence too long for a
    passage is cut at a space."""
    if end - start <= PASSAGE_CHARS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for s, e in sentences(text[start:end]):
        s, e = start + s, start + e
        if e - piece_start > PASSAGE_CHARS and s > piece_start:
            pieces.append((piece_start, s))
            piece_start = s
        while e - piece_start > 3 * PASSAGE_CHARS:
            cut = text.rfind(" ", piece_start, piece_start + PASSAGE_CHARS) + 1 or piece_start + PASSAGE_CHARS
            cut = cut if cut > piece_start else piece_start + PASSAGE_CHARS
            pieces.append((piece_start, cut))
            piece_start = cut
    pieces.append((piece_start, end))
    return [(s, _rstrip(text, s, e)) for s, e in pieces if text[s:e].strip()]


def _rstrip(text: str, s: int, e: int) -> int:
    return s + len(text[s:e].rstrip())



def find_skeleton(text: str, passages: list[Passage], *, title: str = "", author: str = "", minutes: float = 5.0,
                  progress: Callable[[int, int], None] | None = None) -> Skeleton:
    """The story's skeleton, from ``text`` already cut into ``passages`` (passages_of). ``progress(done, total)``
    is called after each chunk of PROGRESS_EVERY passages, so a novel shows how far it is."""
    passages = double_quoted(passages)
    read = _first_pass(text, passages)
    speakers = {n.name: n for n in read.names if may_speak(n)}
    quotes = quotes_of(passages, read, {form: n.name for n in speakers.values() for form in n.forms})
    narrator = name_the_narrator(passages, quotes, read.names, read.of_form)
    if narrator is not None:
        speakers[narrator.name] = narrator
    _role_names(text, quotes, read, speakers)
    for quote in quotes:
        if quote.speaker:
            speakers[quote.speaker].speaks += 1
    people = sorted((n for n in read.names if is_person(n)), key=lambda n: (-n.mentions, n.name))
    canonical = {form: n.name for n in people for form in n.forms}
    for quote in quotes:
        if quote.speaker and not any(n.name == quote.speaker for n in people):
            quote.speaker = ""
    places = _places(passages, read)
    events = _events(passages, read, canonical, places, progress)
    if not title and not author:
        title, author = title_and_author(text)
    skeleton = Skeleton(title=title[:200], author=author[:200], words=len(text.split()),
                        chapters=max((p.chapter for p in passages), default=1), time_frame=time_frame(text),
                        characters=[_character(n, passages) for n in people[:60]],
                        places=places[:60], events=events, quotes=quotes)
    skeleton.span = propose_span(skeleton, minutes)
    return skeleton


def _role_names(text: str, quotes: list[Quote], read: Read, speakers: dict[str, Name]) -> None:
    """A role that speaks ('said the captain') is a character, named as the story calls it, mentioned as often as
    the story says it."""
    for quote in quotes:
        said = quote.speaker
        known = next((n for n in read.names if n.name == said), None)
        if said and said not in speakers and known is not None:
            speakers[said] = known      # a titled one the role named ('the doctor' → Dr. Livesey)
        elif said and said not in speakers and said.split()[0] in OWNERS:
            name = Name(person=2, told=1)
            name.forms[said] = max(1, len(re.findall(rf"\b{re.escape(said)}\b", text, re.IGNORECASE)))
            read.names.append(name)
            read.of_form[said] = name
            speakers[said] = name


def _first_pass(text: str, passages: list[Passage]) -> Read:
    mentions = [mentions_in(p.text) for p in passages]
    names, of_form = group_names(mentions, lower_counts(text))
    for p, found in zip(passages, mentions):
        count_pronouns(p.text, found, of_form)
    for i, found in enumerate(mentions):
        for m in found:
            name = of_form.get(m.form)
            if name is not None and (not name.passages or name.passages[-1] != i):
                name.passages.append(i)
    return Read(mentions=mentions, names=names, of_form=of_form)


def _character(name: Name, passages: list[Passage]) -> StoryCharacter:
    return StoryCharacter(name=name.name[:80], aliases=[a[:80] for a in aliases(name)], mentions=name.mentions,
                          speaks=name.speaks, passages=[passages[i].id for i in name.passages[:50]])


def _places(passages: list[Passage], read: Read) -> list[StoryPlace]:
    """Proper places (names the text treats as places) and common ones ('into the kitchen'), most told first."""
    found: dict[str, tuple[bool | None, list[int], int]] = {}
    for n in read.names:
        if is_place(n):
            label = _label(n)
            found[label] = (place_interior(n.name), list(n.passages), n.mentions)
    for i, p in enumerate(passages):
        for _, label in common_places(p.text):
            interior, where, count = found.get(label, (place_interior(label), [], 0))
            if not where or where[-1] != i:
                where.append(i)
            found[label] = (interior, where, count + 1)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][2], kv[0]))
    return [StoryPlace(name=label[:80], interior=interior, mentions=count,
                       passages=[passages[i].id for i in where[:50]])
            for label, (interior, where, count) in ranked]


def _events(passages: list[Passage], read: Read, canonical: dict[str, str], places: list[StoryPlace],
            progress: Callable[[int, int], None] | None) -> list[StoryEvent]:
    """An event per narrative paragraph: its sentence(s) that say who does what; where it happens (the last setting
    the narration established in the chapter, studio.story_names.settings_in); the time of day it names."""
    where = _settings(passages, read, places)
    events: list[StoryEvent] = []
    for i, p in enumerate(passages):
        people = _people(read.mentions[i], canonical)
        said = _event_text(p.text, read.mentions[i], canonical)
        if said:
            at = p.text.find(said[:40].rstrip("…"))
            place = where[i][0]
            for offset, label in where[i][1]:
                if at < 0 or offset <= at + len(said):
                    place = label
            events.append(StoryEvent(number=len(events) + 1, passage=p.id, text=said, characters=people[:10],
                                     place=place[:80], time=time_of(p.text)))
        if progress and ((i + 1) % PROGRESS_EVERY == 0 or i + 1 == len(passages)):
            progress(i + 1, len(passages))
    return events


def _settings(passages: list[Passage], read: Read, places: list[StoryPlace]) -> list[tuple[str, list[tuple[int,
                                                                                                       str]]]]:
    """Where each passage happens: (the setting it opens in, the settings its narration moves to, with their
    offsets). A passage opens where the one before it ended (in the same chapter); a chapter's passages before
    it names a place happen where it first does. A part of a building ('about the room') keeps a scene inside
    where it was; 'home' is the story's dwelling."""
    labels = {form: _label(n) for n in read.names if is_place(n) for form in n.forms}
    home = next((p.name for p in places if p.name.split()[-1] in DWELLINGS and p.name != "home"), "home")
    where: list[tuple[str, list[tuple[int, str]]]] = []
    place, chapter = "", 0
    for i, p in enumerate(passages):
        if p.chapter != chapter:
            place, chapter = "", p.chapter
        opening, moves = place, []
        for offset, label in settings_in(p.text, read.mentions[i], labels):
            label = home if label == "home" else label
            if not (label.split()[-1] in PARTS and place and place_interior(place) and place.split()[-1] not in PARTS):
                place = label
                moves.append((offset, label))
        where.append((opening, moves))
    for i in range(len(passages) - 2, -1, -1):
        if not where[i][0] and passages[i].chapter == passages[i + 1].chapter:
            first = where[i][1][0][1] if where[i][1] else where[i + 1][0]
            where[i] = (first, where[i][1])
    return where


def _label(name: Name) -> str:
    return ("the " if name.the * 2 > name.mentions else "") + name.name


def _people(mentions: list[Mention], canonical: dict[str, str]) -> list[str]:
    people: list[str] = []
    for m in mentions:
        name = canonical.get(m.form)
        if name and name not in people:
            people.append(name)
    return people


def _event_text(text: str, mentions: list[Mention], canonical: dict[str, str]) -> str:
    """The sentence that best says what happens: a named character and a verb, else a subject pronoun and a
    verb; a short one takes the next with it. Quoted speech is not an event (it is a Quote)."""
    narration = narrated(text)
    if len(narration.split()) < MIN_EVENT_WORDS:
        return ""
    named = [m.start for m in mentions if m.form in canonical]
    spans = [(s, e) for s, e in sentences(narration)
             if len(narration[s:e].split()) >= 3 and not narration[s:e].lstrip(" \"“‘'(—–-,;:")[:1].islower()]
    best, best_score = -1, 1
    for k, (s, e) in enumerate(spans):
        words = narration[s:e].split()
        verb = any(w.strip(",;:.!?").lower() in VERBS or w.endswith("ed") for w in words)
        score = 2 * any(s <= at < e for at in named) + int(verb) + int(bool(PRONOUN_SUBJECT.match(narration[s:e])))
        if score > best_score:
            best, best_score = k, score
    if best < 0:
        return ""
    s, e = spans[best]
    if e - s < 120 and best + 1 < len(spans):
        e = spans[best + 1][1]
    said = re.sub(r"([.!?])(?:\s+[.,;:!?])+", r"\1", " ".join(narration[s:e].split())).lstrip(" .,;:!?—–-")
    return clip_to(said, MAX_EVENT) if len(said.split()) >= 3 else ""


def narrated(text: str) -> str:
    """The narration of a passage, offsets kept: quoted speech and its attribution blanked, and what led into a
    quote mended — 'Della leaped up like a little singed cat and cried, "Oh!"' keeps 'Della leaped up like a
    little singed cat.'; a sentence the quote completes ('a card bearing the name "Mr. James Young."', 'the sign
    read: "…"') is dropped, since without its quote it says nothing whole."""
    out = list(text)
    starts = [s for s, _ in sentences(text)]
    for m in ATTRIBUTED.finditer(text):
        if TERM.fullmatch(m.group(0).strip()):
            continue  # 'he was called “Jim”': a word in quotation marks, not a line
        out[m.start():m.end()] = " " * (m.end() - m.start())
        start = max([s for s in starts if s <= m.start()], default=0)
        start = max(start, *(text.rfind(ch, 0, m.start()) + 1 for ch in "”\""))
        lead = "".join(out[start:m.start()])
        if not lead.strip():
            continue
        trimmed = LEAD_SPEECH.sub("", lead.rstrip())
        if trimmed != lead.rstrip() and len(trimmed.split()) >= 3:
            mended = trimmed.rstrip(" ,;:—–-") + "."
            out[start:m.start()] = mended.ljust(m.start() - start)
        elif re.search(r"[\w,;:—–-]\s*$", lead):
            out[start:m.start()] = " " * (m.start() - start)
    return "".join(out)
