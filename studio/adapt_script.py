"""The script of an adapted story, by rule: scenes from its events (a scene for each run of events in one place
and time), action from the events' own sentences in the present tense, the story's quoted lines as dialogue under
their speakers, and a note on each scene naming the passages it comes from.

Written through the Fountain writer, so it always parses; its speakers are the story's characters and nobody
else, since only attributed quotes become dialogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from studio.adapt import covered, names, story_title, told
from studio.adapt_words import spoken, unmarked
from studio.drafts import clean_location
from studio.fountain import Element, ElementType, FountainDocument, TitleField, write
from studio.models import BeatSheet, Brief
from studio.source import Quote, Source, StoryEvent, StoryPlace

SCENE_EVENTS = 4  # a scene tells at most this many events
QUOTE_REACH = 3  # a quote in a passage without an event goes to the scene of an event this many passages before
TIMES = ("DAY", "NIGHT", "MORNING", "EVENING", "DAWN", "DUSK", "AFTERNOON", "SUNSET", "SUNRISE", "LATER")
# Places outdoors when the skeleton does not say (StoryPlace.interior is None).
OUTDOORS = frozenset("""street road lane field fields sea ocean forest wood woods garden park river beach shore
    harbour harbor yard square hill hills mountain deck bridge village town city country meadow desert moor
    plain lake coast cliff porch courtyard cemetery churchyard orchard farm dock docks wharf""".split())
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass
class _Scene:
    place: str
    time: str  # the story's time of day
    shown: str = ""  # the heading's: the time, or LATER for a scene that goes on where the last one was
    events: list[StoryEvent] = field(default_factory=list)
    speech: list[str] = field(default_factory=list)  # passages between events whose quoted lines it takes

    @property
    def passages(self) -> list[str]:
        return sorted(dict.fromkeys([*(e.passage for e in self.events), *self.speech]), key=_number)


def _number(pid: str) -> int:
    return int(pid[1:])


def give_speech(source: Source, scenes: Sequence[_Scene]) -> None:
    """A quoted line in a passage no event comes from ('“You've cut off your hair?” asked Jim') goes to the scene
    of the nearest event before it, within QUOTE_REACH passages, so that what the story's people say is said."""
    owner = {_number(e.passage): k for k, scene in enumerate(scenes) for e in scene.events}
    told = {e.passage for e in source.skeleton.events}  # a passage with events the writer cut stays cut
    for quote in source.skeleton.quotes:
        at = _number(quote.passage)
        if not quote.speaker.strip() or quote.passage in told:
            continue
        before = [n for n in owner if at - QUOTE_REACH <= n < at]
        if before and quote.passage not in scenes[owner[max(before)]].speech:
            scenes[owner[max(before)]].speech.append(quote.passage)


def ordered_events(source: Source, beats: BeatSheet | None) -> list[StoryEvent]:
    """The events in the beats' order when the beats cite passages (a person may have moved or cut beats), each
    once; else the span's, in story order."""
    cited = [pid for b in (beats.beats if beats else []) for pid in b.sources]
    if not cited:
        return covered(source)
    by_passage: dict[str, list[StoryEvent]] = {}
    for event in source.skeleton.events:
        by_passage.setdefault(event.passage, []).append(event)
    seen: set[int] = set()
    found = []
    for pid in cited:
        for event in by_passage.get(pid, []):
            if event.number not in seen:
                seen.add(event.number)
                found.append(event)
    return found or covered(source)


def _time(event: StoryEvent) -> str:
    said = event.time.strip().upper()
    return said if said in TIMES else ""


def _times(source: Source) -> dict[int, str]:
    """Each event's time: the time the story last said at or before it (in story order), since an event that does
    not say happens when the one before it did; "" before the story says any."""
    found, last = {}, ""
    for event in sorted(source.skeleton.events, key=lambda e: e.number):
        last = _time(event) or last
        found[event.number] = last
    return found


def _default_place(source: Source) -> str:
    places = source.skeleton.places
    return max(places, key=lambda p: p.mentions).name if places else story_title(source)


def scenes_of(source: Source, events: Sequence[StoryEvent]) -> list[_Scene]:
    """A new scene where the place or the time changes, or when a scene holds SCENE_EVENTS events; an event that
    names no place stays where the story was."""
    scenes: list[_Scene] = []
    times = _times(source)
    for event in events:
        now = scenes[-1] if scenes else None
        place = event.place.strip() or (now.place if now else _default_place(source))
        time = times.get(event.number, "") or (now.time if now else "DAY")
        moved = now is None or place.lower() != now.place.lower() or time != now.time
        if moved or (now is not None and len(now.events) >= SCENE_EVENTS):
            scenes.append(_Scene(place=place, time=time, shown=time if moved else "LATER"))
        scenes[-1].events.append(event)
    return scenes


def _place(source: Source, name: str) -> StoryPlace | None:
    return next((p for p in source.skeleton.places if p.name.lower() == name.lower()), None)


def heading(source: Source, scene: _Scene) -> str:
    """'INT. KITCHEN - NIGHT': inside or out as the skeleton says, else by the place's noun."""
    found = _place(source, scene.place)
    inside = found.interior if found is not None else None
    if inside is None:
        inside = not (set(re.findall(r"[a-z]+", scene.place.lower())) & OUTDOORS)
    location = clean_location(_ARTICLE.sub("", scene.place.strip()))
    return f"{'INT' if inside else 'EXT'}. {location} - {scene.shown or scene.time}"


def cue(name: str) -> str:
    """A character's name as a cue: 'Mrs. Hale' → 'MRS. HALE', 'José' → 'JOSÉ' (a letter of any alphabet)."""
    text = re.sub(r"[^\w '.\-]|_", "", name).upper()
    return re.sub(r"\s+", " ", text).strip(" .-")


def _speaker(source: Source, said: str) -> str:
    """The quote's speaker as the story names them most (an alias gives the character's name)."""
    for character in source.skeleton.characters:
        if said == character.name or said in character.aliases:
            return character.name
    return said


def _line(text: str) -> str:
    """A quoted line made safe as Fountain dialogue, every word kept (studio.adapt_words.spoken)."""
    return spoken(text)


def _speeches(source: Source, quotes: Sequence[Quote]) -> list[tuple[str, str]]:
    """(cue, line) for each speech: a speaker's quotes in one passage that follow each other are one speech
    ('“You needn't look for it,” said Della. “It's sold.”')."""
    speeches: list[tuple[str, str, str]] = []
    for quote in quotes:
        who = cue(_speaker(source, quote.speaker))
        if speeches and speeches[-1][0] == who and speeches[-1][2] == quote.passage:
            speeches[-1] = (who, f"{speeches[-1][1]} {_line(quote.text)}", quote.passage)
        else:
            speeches.append((who, _line(quote.text), quote.passage))
    return [(who, line) for who, line, _ in speeches]


def _introduce(action: str, source: Source, introduced: set[str]) -> str:
    """A character's first mention in the script written in capitals, as screenplays do."""
    for character in source.skeleton.characters:
        if character.name in introduced:
            continue
        for name in sorted((character.name, *character.aliases), key=len, reverse=True):
            pattern = re.compile(rf"(?<![\w'’]){re.escape(name)}(?![\w'’])")
            if pattern.search(action):
                action = pattern.sub(name.upper(), action, count=1)
                introduced.add(character.name)
                break
    return action


def _scene_elements(source: Source, scene: _Scene, introduced: set[str]) -> list[Element]:
    """The heading, the note citing the passages, then the scene passage by passage as the story tells it: what
    happens, then what is said there, so that a line comes after the action that leads to it."""
    passages = set(scene.passages)
    quotes: list[Quote] = [q for q in source.skeleton.quotes
                           if q.passage in passages and q.speaker.strip() and _line(q.text) and cue(q.speaker)]
    voiced = {q.passage for q in quotes}
    people = names(source)
    elements = [Element(type=ElementType.SCENE_HEADING, text=heading(source, scene)),
                Element(type=ElementType.NOTE, text=f"Source: {', '.join(scene.passages)}")]
    action: list[str] = []
    for pid in scene.passages:
        for item in _in_order(source, pid, [e for e in scene.events if e.passage == pid],
                              [q for q in quotes if q.passage == pid]):
            if isinstance(item, StoryEvent):
                action.append(told(item, people, quotes=pid not in voiced))
                continue
            if " ".join(action).strip():
                elements.append(_action(source, action, introduced))
            action = []
            for who, line in _speeches(source, item):
                elements.append(Element(type=ElementType.CHARACTER, text=who))
                elements.append(Element(type=ElementType.DIALOGUE, text=line))
    if " ".join(action).strip():
        elements.append(_action(source, action, introduced))
    return elements


def _action(source: Source, action: list[str], introduced: set[str]) -> Element:
    """The story's sentences as one action paragraph, its Fountain marks made inert (a story may write '/*')."""
    return Element(type=ElementType.ACTION, text=_introduce(unmarked(" ".join(action)), source, introduced))


def _in_order(source: Source, pid: str, events: list[StoryEvent], quotes: list[Quote]) -> list[StoryEvent |
                                                                                            list[Quote]]:
    """A passage's events and its lines (a run of lines together) in the order the passage tells them."""
    passage = source.passage(pid)
    text = passage.text if passage is not None else ""

    def at(part: str) -> int:
        found = text.find(part[:40].rstrip("…"))
        return found if found >= 0 else len(text)

    items: list[tuple[int, int, StoryEvent | Quote]] = [(at(e.text), 0, e) for e in events]
    items += [(at(q.text), 1, q) for q in quotes]
    ordered: list[StoryEvent | list[Quote]] = []
    for _, _, item in sorted(items, key=lambda x: (x[0], x[1])):
        if isinstance(item, StoryEvent):
            ordered.append(item)
        elif ordered and isinstance(ordered[-1], list):
            ordered[-1].append(item)
        else:
            ordered.append([item])
    return ordered


def title_page(source: Source, brief: Brief) -> list[TitleField]:
    title = brief.title or story_title(source)
    author = " ".join(source.skeleton.author.split())
    origin = f"{story_title(source)}, by {author}" if author else story_title(source)
    return [TitleField(key="Title", value=unmarked(title)), TitleField(key="Credit", value="Adapted by"),
            TitleField(key="Author", value="Auteur"),
            TitleField(key="Source", value=unmarked(f"Adapted from {origin}"))]


def script_from(source: Source, brief: Brief, beats: BeatSheet | None) -> str:
    """The adaptation as Fountain: scenes from the events (in the beats' order), each citing its passages."""
    scenes = scenes_of(source, ordered_events(source, beats))
    give_speech(source, scenes)
    elements = [Element(type=ElementType.ACTION, text="FADE IN:")]
    introduced: set[str] = set()
    for k, scene in enumerate(scenes):
        elements.extend(_scene_elements(source, scene, introduced))
        if k < len(scenes) - 1:
            elements.append(Element(type=ElementType.TRANSITION, text="CUT TO:"))
    elements.append(Element(type=ElementType.TRANSITION, text="FADE OUT.", forced=True))
    return write(FountainDocument(title_page=title_page(source, brief), elements=elements))
