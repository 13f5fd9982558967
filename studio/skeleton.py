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
from dataclasses import dataclass

from studio.source import PASSAGE_CHARS, Passage, Quote, Skeleton, StoryCharacter, StoryEvent, StoryPlace
from studio.story_names import (Mention, Name, aliases, common_places, count_pronouns, group_names, is_person,
                                is_place, lower_counts, may_speak, mentions_in, place_interior, sentences, settings_in)
from studio.story_span import (clip_to, double_quoted, one_sentence, propose_span, time_frame, time_of,
                               title_and_author)
from studio.story_words import DWELLINGS, PARTS, ROLES, SPEECH_VERBS, VERBS

__all__ = ["passages_of", "find_skeleton", "propose_span", "title_and_author"]

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
HEADING = re.compile(r"^(?:#{1,6}\s+\S.*|(?:CHAPTER|Chapter|BOOK|Book|PART|Part)\s+(?:[0-9]+|[IVXLCDM]+|[A-Z][a-z]+)"
                     r"\b[^\n]{0,120})$")
OWNERS = ("the", "my", "our", "his", "her")   # words before a role that speaks: 'said the doctor', 'my sister'
ROLE_SEX = {r: "f" for r in "queen princess duchess countess sister mother aunt wife mistress landlady".split()} | {
    r: "m" for r in "king prince duke count brother father uncle husband master landlord".split()}
PROGRESS_EVERY = 200  # passages per chunk: progress is told this often
QUOTE = re.compile(r"[\"“]([^\"“”]*)(?:[\"”]|$)")
ROLE = r"(?:the|my|our|his|her)\s+(?:" + "|".join(sorted(ROLES, key=len, reverse=True)) + r")"
SPEAKER = r"((?:the\s+)?(?:[A-Z][\w'’-]*\.?\s+){0,3}[A-Z][\w'’-]*|" + ROLE + r"|he|she|I)"
VERB = r"(?:went\s+on|" + "|".join(sorted(SPEECH_VERBS - {"went"})) + ")"
SAID_AFTER = re.compile(r"^[\s,.!?—–-]*(?:" + VERB + r"\s+" + SPEAKER + r"\b|" + SPEAKER + r"\s+" + VERB + r"\b)")
SAID_BEFORE = re.compile(SPEAKER + r"\s+" + VERB + r"\b[^\"“”.!?]{0,60}[,:]?\s*$")
ATTRIBUTED = re.compile(r"[\"“][^\"“”]*(?:[\"”]|$)(?:[\s,.!?—–-]*(?:" + VERB + r"\s+" + SPEAKER + r"|" + SPEAKER
                        + r"\s+" + VERB + r")\b[^.!?;\"“]*)?")
INTRO = re.compile(r"\b" + VERB + r"\b[^.!?]{0,25}[,:]\s*$")
NAMED = r"((?:[A-Z][\w'’-]*\.?\s+){0,2}[A-Z][\w'’-]*)"
VOCATIVE = re.compile(r"(?:^|[‘’'\"!?]\s+)" + NAMED + r"\s*(?=[,!?])|,\s*" + NAMED + r"\s*(?=[,.!?]|$)")
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


@dataclass
class _Read:
    """What the first pass found in each passage."""

    mentions: list[list[Mention]]
    names: list[Name]
    of_form: dict[str, Name]


def find_skeleton(text: str, passages: list[Passage], *, title: str = "", author: str = "", minutes: float = 5.0,
                  progress: Callable[[int, int], None] | None = None) -> Skeleton:
    """The story's skeleton, from ``text`` already cut into ``passages`` (passages_of). ``progress(done, total)``
    is called after each chunk of PROGRESS_EVERY passages, so a novel shows how far it is."""
    passages = double_quoted(passages)
    read = _first_pass(text, passages)
    speakers = {n.name: n for n in read.names if may_speak(n)}
    quotes = _quotes(passages, read, {form: n.name for n in speakers.values() for form in n.forms})
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


def _role_names(text: str, quotes: list[Quote], read: _Read, speakers: dict[str, Name]) -> None:
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


def _first_pass(text: str, passages: list[Passage]) -> _Read:
    mentions = [mentions_in(p.text) for p in passages]
    names, of_form = group_names(mentions, lower_counts(text))
    for p, found in zip(passages, mentions):
        count_pronouns(p.text, found, of_form)
    for i, found in enumerate(mentions):
        for m in found:
            name = of_form.get(m.form)
            if name is not None and (not name.passages or name.passages[-1] != i):
                name.passages.append(i)
    return _Read(mentions=mentions, names=names, of_form=of_form)


def _character(name: Name, passages: list[Passage]) -> StoryCharacter:
    return StoryCharacter(name=name.name[:80], aliases=[a[:80] for a in aliases(name)], mentions=name.mentions,
                          speaks=name.speaks, passages=[passages[i].id for i in name.passages[:50]])


def _places(passages: list[Passage], read: _Read) -> list[StoryPlace]:
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


def _quotes(passages: list[Passage], read: _Read, canonical: dict[str, str]) -> list[Quote]:
    """Each quoted line with its speaker: the one the narration names next to it; else the one who spoke before
    in the same paragraph; else, when two take turns in consecutive paragraphs, the one who spoke two lines back.
    'He said' is a man the narration named last, 'she said' a woman; a line that names whom it speaks to
    ('Jim, darling, …') is not said by them. A line the narration interrupts ('"Wedlock suits you," he remarked,
    "I think …"') is one line."""
    sex = {n.name: n.sex for n in read.names if n.sex or n.person}   # who 'he' or 'she' may be
    quotes: list[Quote] = []
    turns: list[tuple[int, str]] = []   # (passage index, speaker) per quote; 'I' for the narrator
    for i, p in enumerate(passages):
        last_end, here = -1, 0
        for m in QUOTE.finditer(p.text):
            line = " ".join(m.group(1).split())
            if len(line) < 2:
                continue
            gap = p.text[last_end:m.start()] if last_end >= 0 else ""
            if here and len(gap) < 80 and SAID_AFTER.match(gap) and not re.search(r"[.!?]\s*$", quotes[-1].text):
                quotes[-1].text = clip_to(_joined_line(quotes[-1].text, gap, line), 600)
                last_end = m.end()
                continue
            said = _speaker(p.text, m, canonical, read, i, sex)
            pronoun = said if said in ("he", "she") else ""
            if pronoun:
                said = _fits(_last_named(_outside_quotes(read.mentions[i], p.text), m.start(), canonical), pronoun,
                             sex) or "?"
            if said in ("", "?") and here:
                said = turns[-1][1]
            if said in ("", "?"):
                said = _fits(_in_turn(turns, i), pronoun, sex) or ("" if not said else _fits(
                    _named_before(passages, read, i, canonical, pronoun, sex), pronoun, sex) or _fits(
                    _last_speaker(turns, i), pronoun, sex))
            said = _not_addressed(said, line, turns, i, canonical, passages, read)
            quotes.append(Quote(text=clip_to(line, 600), speaker="" if said == "I" else said, passage=p.id))
            turns.append((i, said))
            last_end, here = m.end(), here + 1
    return quotes


def _joined_line(before: str, gap: str, line: str) -> str:
    """One line the narration interrupts: '"If Jim doesn't kill me," she said, "before he …"' reads on with a
    comma; '"You needn't look for it," said Della. "It's sold."' is two sentences."""
    if re.search(r"[.!?]\s*$", gap):
        return before.rstrip(",;—- ") + ". " + line
    return before.rstrip(",;—- ") + ", " + line


def _fits(name: str, pronoun: str, sex: dict[str, str]) -> str:
    """``name`` unless a pronoun says otherwise: 'he' is not a woman the story calls 'she'."""
    want = {"he": "m", "she": "f"}.get(pronoun, "")
    if name.split(" ")[0] in OWNERS:      # a role: 'the captain' may be 'he', 'my sister' is 'she'
        return "" if want and ROLE_SEX.get(name.split()[-1], want) != want else name
    return "" if want and name and (name not in sex or sex[name] not in ("", want)) else name


def addressed(line: str, canonical: dict[str, str]) -> set[str]:
    """Whom a line speaks to, by name: 'Jim, darling, …', '… for you, Jim?', 'Dell, let's …'."""
    found = set()
    for m in VOCATIVE.finditer(line):
        said = m.group(1) or m.group(2)
        name = canonical.get(said)
        if name and len(line.split()) > len(said.split()) + 1:
            found.add(name)
    return found


def _not_addressed(said: str, line: str, turns: list[tuple[int, str]], i: int, canonical: dict[str, str],
                   passages: list[Passage], read: _Read) -> str:
    """A line spoken to someone by name is said by another: the one who spoke last in the three paragraphs
    before, or the last named there, when the rules gave it no speaker or gave it the one it speaks to."""
    to = addressed(line, canonical)
    if not to or (said and said not in to and said != "?"):
        return said
    recent = [who for _, who in _recent(turns, i, 3) if who and who not in ("I", "?") and who not in to]
    if recent:
        return recent[-1]
    for back in range(i, max(-1, i - 4), -1):
        named = [canonical[m.form] for m in _outside_quotes(read.mentions[back], passages[back].text)
                 if m.form in canonical and canonical[m.form] not in to]
        if named:
            return named[-1]
    return "" if said in to else said


def _recent(turns: list[tuple[int, str]], i: int, back: int) -> list[tuple[int, str]]:
    """The turns of the ``back`` paragraphs before paragraph ``i`` (and of ``i``), read from the end, so that a
    novel of many thousand lines is read in linear time."""
    found = []
    for at, who in reversed(turns):
        if at < i - back:
            break
        found.append((at, who))
    found.reverse()
    return found


def _in_turn(turns: list[tuple[int, str]], i: int) -> str:
    """Two people taking turns in consecutive paragraphs: the one who spoke in the paragraph before last."""
    recent = _recent(turns, i, 2)
    last = [who for at, who in recent if at == i - 1]
    before = [who for at, who in recent if at == i - 2]
    if last and before and last[-1] and before[-1] and last[-1] != before[-1]:
        return before[-1]
    return ""


def _speaker(text: str, m: re.Match[str], canonical: dict[str, str], read: _Read, i: int,
             sex: dict[str, str]) -> str:
    """The speaker the narration names beside a quote: a name, 'he'/'she' (resolved by the caller), 'I' (the
    narrator), or the subject of the sentence that leads into it ('Della leaped up and cried, "Oh!"'); ''
    when it names none."""
    after = SAID_AFTER.match(text[m.end():m.end() + 80])
    who = ""
    if after:
        who = after.group(1) or after.group(2) or ""
    else:
        before = SAID_BEFORE.search(text[max(0, m.start() - 120):m.start()])
        who = before.group(1) if before else _lead_in(text, m.start(), read.mentions[i], canonical)
    who = one_sentence(who.strip())
    if who in ("I", "he", "she"):
        return who
    first, _, rest = who.partition(" ")
    if first.lower() in OWNERS and rest:
        return _named(rest, canonical) if rest[:1].isupper() else _role(rest.lower(), first.lower(), read)
    return _named(who, canonical)


def _role(role: str, owner: str, read: _Read) -> str:
    """A speaker the narration calls by a role: the one character whose title says it ('said the doctor' → Dr.
    Livesey), else the role as the story says it ('the captain', 'my sister'): a character of its own."""
    titles = ROLES.get(role, ())
    found = {n.name for n in read.names if not is_place(n) and any(
        form.split()[0].rstrip(".") in titles for form in n.forms)}
    if len(found) == 1:
        return found.pop()
    return f"{'the' if owner == 'the' else owner} {role}"


def _lead_in(text: str, at: int, mentions: list[Mention], canonical: dict[str, str]) -> str:
    """The subject of a sentence that ends in a speech verb just before a quote: 'And then Della leaped up like a
    little singed cat and cried, "Oh, oh!"' → Della; '… she was able to look up and say: "…"' → she."""
    start = max(text.rfind(ch, 0, at) for ch in ".!?”\"") + 1
    lead = text[start:at]
    if not INTRO.search(lead):
        return ""
    for mention in mentions:
        if start <= mention.start < at and mention.form in canonical:
            return mention.form
    pronoun = re.search(r"\b(he|she|I)\b", lead)
    return pronoun.group(1) if pronoun else ""


def _outside_quotes(mentions: list[Mention], text: str) -> list[Mention]:
    """Names the narration gives, not those said in a line ('"Mary Jane is incorrigible," said he')."""
    return [m for m in mentions if not m.quoted]


def _last_speaker(turns: list[tuple[int, str]], i: int) -> str:
    """'he said' in a conversation: the last one other than the narrator who spoke in the three paragraphs
    before."""
    recent = [who for _, who in _recent(turns, i, 3) if who and who not in ("I", "?")]
    return recent[-1] if recent else ""


def _named_before(passages: list[Passage], read: _Read, i: int, canonical: dict[str, str], pronoun: str = "",
                  sex: dict[str, str] | None = None) -> str:
    for back in range(i - 1, max(-1, i - 4), -1):
        named = _outside_quotes(read.mentions[back], passages[back].text)
        for m in reversed(named):
            found = canonical.get(m.form, "")
            if found and _fits(found, pronoun, sex or {}):
                return found
    return ""


def _named(who: str, canonical: dict[str, str]) -> str:
    for form in (who, who.split()[-1] if who else ""):
        if form in canonical:
            return canonical[form]
    return ""


def _last_named(mentions: list[Mention], before: int, canonical: dict[str, str]) -> str:
    for m in reversed(mentions):
        if m.start < before and m.form in canonical:
            return canonical[m.form]
    return ""


def _events(passages: list[Passage], read: _Read, canonical: dict[str, str], places: list[StoryPlace],
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


def _settings(passages: list[Passage], read: _Read, places: list[StoryPlace]) -> list[tuple[str, list[tuple[int,
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
