"""Adapting a story brought in as prose: its brief, treatment and beat sheet drawn from its skeleton
(studio.source), by rule, in the story's own words and names, each paragraph and beat citing its passages.

The skeleton was found by rule, so an adaptation holds on the built-in model too: a model only fills short slots
(a logline, the genre, the tone), each vetted (studio.fields) with the rule's text as the fallback, and a slot
that names anyone the story does not is refused. The script is drawn in studio.adapt_script.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Sequence

from studio import fallbacks as rule
from studio.adapt_words import clip, has_quote, present, sentences
from studio.errors import AuteurError, StageError
from studio.fields import Vetter, bound, on_story
from studio.models import STRUCTURE_BEATS, Beat, BeatSheet, Brief, Structure, Treatment, TreatmentVariant
from studio.source import Source, StoryCharacter, StoryEvent, cite

PARAGRAPH_EVENTS = 3  # a treatment paragraph tells at most this many events
BEAT_CHARS = 600  # a beat's description, before its citation
LOGLINE_CHARS = 240


class NothingToAdapt(AuteurError):
    """The story's skeleton holds no event to tell."""


# ---------------------------------------------------------------- what the story gives


def covered(source: Source) -> list[StoryEvent]:
    """The events the film tells: the span's, in story order; every event when no span was proposed."""
    events = source.skeleton.events
    wanted = set(source.skeleton.span.events)
    chosen = [e for e in events if e.number in wanted] if wanted else list(events)
    if not chosen:
        raise NothingToAdapt(f"the story {source.name!r} has no events the adaptation could tell",
                             "bring a story with narration (what its people do), or paste a longer passage")
    return chosen


def names(source: Source) -> list[str]:
    """The story's characters by every name it gives them."""
    return [n for c in source.skeleton.characters for n in (c.name, *c.aliases)]


def story_words(source: Source) -> list[str]:
    """Names, places and the title (and their words): the story's own, though no word list has them."""
    found = [*names(source), *(p.name for p in source.skeleton.places), source.skeleton.title]
    return list(dict.fromkeys(w for w in [*found, *(x for n in found for x in rule.words(n))] if w))


def main_character(source: Source) -> StoryCharacter | None:
    """The character most of the events are about, then the one who speaks most, then the one named most (the
    first found on a tie): a story may name the one it is about less than the one she thinks of."""
    people = source.skeleton.characters
    events = source.skeleton.events
    return max(people, key=lambda c: (sum(in_event(c, e) for e in events), c.speaks, c.mentions)) if people else None


def in_event(character: StoryCharacter, event: StoryEvent) -> bool:
    every = (character.name, *character.aliases)
    return any(n in event.characters for n in every) or any(
        re.search(rf"\b{re.escape(n)}\b", event.text) for n in every)


def story_title(source: Source, title: str = "") -> str:
    """The title given, the skeleton's, else the file's name in words."""
    if title.strip():
        return " ".join(title.split())
    if source.skeleton.title.strip():
        return " ".join(source.skeleton.title.split())
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.name)
    return " ".join(w.capitalize() for w in re.split(r"[\s_-]+", stem) if w) or "Untitled"


def told(event: StoryEvent, people: Sequence[str], *, quotes: bool = True) -> str:
    """An event's sentences in the present tense (without those that quote speech, when ``quotes`` is False)."""
    kept = [s for s in sentences(event.text) if quotes or not has_quote(s)]
    return present(" ".join(kept), people)


def logline_of(source: Source, events: Sequence[StoryEvent]) -> str:
    """The first event that names the main character, its first such sentence, in the present tense."""
    main = main_character(source)
    people = names(source)
    for event in events:
        if main is None or in_event(main, event):
            said = [s for s in sentences(event.text) if not has_quote(s)] or sentences(event.text)
            who = [s for s in said if main is None or any(n in s for n in (main.name, *main.aliases))]
            return rule.sentence(clip(present((who or said)[0], people), LOGLINE_CHARS), LOGLINE_CHARS + 2)
    return rule.sentence(clip(told(events[0], people), LOGLINE_CHARS), LOGLINE_CHARS + 2)


# ---------------------------------------------------------------- brief


def brief_from(source: Source, *, title: str = "", runtime_minutes: float = 5.0) -> Brief:
    """The brief of an adaptation, by rule: the story's title, a logline of its own words, where it comes from."""
    name = story_title(source, title)
    author = " ".join(source.skeleton.author.split())
    origin = f"{name} by {author}" if author else name
    return Brief(title=name[:200], logline=logline_of(source, covered(source)), runtime_minutes=runtime_minutes,
                 references=[f"adapted from {origin}"[:300]], source=f"Adapted from {origin}"[:300],
                 imported_from=None)


def keeps_to_story(text: str, source: Source, story: str) -> bool:
    """A model's slot that tells this story: words of ``story`` in it, one of the story's own names (a character's,
    else a place's or the title's) among them, and no capitalised name (after its first word) that the story does
    not give. A stock answer about another film ('A man comes back to the diner he left years ago…') shares a
    word or two with any story, never its names."""
    own = {w.lower() for w in story_words(source)} | {w.lower() for w in rule.words(story)}
    capitals = [w for w in rule.words(text)[1:] if w[:1].isupper() and w.lower() not in own and w != "I"]
    return on_story(text, story) and not capitals and _names_the_story(text, source)


def _names_the_story(text: str, source: Source) -> bool:
    """Whether ``text`` names someone of the story (any word of a character's names but a title), or, when the
    skeleton found nobody, one of its places or a word of its title."""
    said = {w.lower() for w in rule.words(text)}
    people = [n for c in source.skeleton.characters for n in (c.name, *c.aliases)]
    found = people or [p.name for p in source.skeleton.places] + [source.skeleton.title]
    own = {w.lower() for n in found for w in rule.words(n) if w[:1].isupper() and w.lower() not in _NOT_OWN}
    return bool(said & own)


# Words of a name that any story may say: titles and articles ('Mr', 'The').
_NOT_OWN = frozenset("the a an of mr mrs ms miss dr sir lady lord captain doctor".split())


def brief_slots(v: Vetter, base: Brief, source: Source, *, notes: str, memory: str) -> dict[str, str]:
    """The logline, genre and tone, each one short question to the crew, vetted; by rule when it does not pass."""
    inputs = {"idea": base.logline, "notes": notes or "none", "memory": memory}
    keep = partial(keeps_to_story, source=source, story=base.logline)
    return {
        "logline": v.field("", task="brief", name="logline", kind="sentence", max_chars=bound(Brief, "logline"),
                           label="brief: logline", inputs=inputs, fallback=base.logline, keep=keep),
        "genre": v.field("", task="brief", name="genre", kind="phrase", max_chars=bound(Brief, "genre"),
                         label="brief: genre", inputs=inputs, fallback=lambda: rule.genre_from(base.logline)),
        "tone": v.field("", task="brief", name="tone", kind="phrase", max_chars=bound(Brief, "tone"),
                        label="brief: tone", inputs=inputs, fallback=lambda: rule.tone_from(base.logline)),
    }


# ---------------------------------------------------------------- treatment


def _paragraphs(events: Sequence[StoryEvent], people: Sequence[str]) -> str:
    """The events told in order, a paragraph for each place (at most PARAGRAPH_EVENTS events), each citing its
    passages."""
    groups: list[list[StoryEvent]] = []
    for event in events:
        last = groups[-1] if groups else None
        if last and len(last) < PARAGRAPH_EVENTS and (not event.place or event.place == last[-1].place):
            last.append(event)
        else:
            groups.append([event])
    out: list[str] = []
    size = 0
    for group in groups:
        text = " ".join(told(e, people) for e in group)
        paragraph = f"{text} {cite(list(dict.fromkeys(e.passage for e in group)))}"
        if size + len(paragraph) > bound(TreatmentVariant, "text") - 2:
            break
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)


def _variant(source: Source, title: str, events: Sequence[StoryEvent]) -> TreatmentVariant:
    return TreatmentVariant(title=title[:200], logline=logline_of(source, events),
                            text=_paragraphs(events, names(source)),
                            sources=list(dict.fromkeys(e.passage for e in events))[:200])


def _turning_points(events: Sequence[StoryEvent]) -> list[StoryEvent]:
    """The first, the last and evenly spaced events between: about a third of them, at least three."""
    n = len(events)
    keep = max(3, n // 3)
    if n <= keep:
        return list(events)
    picks = sorted({round(k * (n - 1) / (keep - 1)) for k in range(keep)})
    return [events[k] for k in picks]


def named_in(notes: str, source: Source) -> StoryCharacter | None:
    """The story's character the person's notes name ('more of Jim'), if any."""
    for character in source.skeleton.characters:
        if any(re.search(rf"\b{re.escape(n)}\b", notes, re.IGNORECASE) for n in (character.name, *character.aliases)):
            return character
    return None


def treatment_from(source: Source, brief: Brief, *, notes: str = "") -> Treatment:
    """Up to three ways to tell the span's events, in order: all of them; the main character's thread; the
    turning points. Notes that name a character put that character's thread first."""
    events = covered(source)
    title = brief.title or story_title(source)
    focus = named_in(notes, source) if notes else None
    lead = focus or main_character(source)
    candidates: list[TreatmentVariant] = []
    thread = [e for e in events if lead is not None and in_event(lead, e)]
    if focus is not None and thread:
        candidates.append(_variant(source, f"{title}: {focus.name}'s story", thread))
    candidates.append(_variant(source, title, events))
    if lead is not None and focus is None and 2 <= len(thread) < len(events):
        candidates.append(_variant(source, f"{title}: {lead.name}'s story", thread))
    candidates.append(_variant(source, f"{title}: the turning points", _turning_points(events)))
    variants: list[TreatmentVariant] = []
    for candidate in candidates:
        if candidate.text and all(candidate.sources != v.sources for v in variants):
            variants.append(candidate)
    return Treatment(variants=variants[:3])


def treatment_slots(v: Vetter, treatment: Treatment, source: Source, *, memory: str) -> Treatment:
    """Each variant's logline: one short question to the crew, vetted, the rule's when it does not pass."""
    variants = []
    for k, variant in enumerate(treatment.variants, start=1):
        inputs = {"logline": variant.logline, "approach": f"as {variant.title}", "memory": memory}
        keep = partial(keeps_to_story, source=source, story=f"{variant.logline} {variant.text}")
        logline = v.field("", task="treatment", name="logline", kind="sentence",
                          max_chars=bound(TreatmentVariant, "logline"), label=f"treatment: variant {k} logline",
                          inputs=inputs, fallback=variant.logline, keep=keep)
        variants.append(variant.model_copy(update={"logline": logline}))
    return treatment.model_copy(update={"variants": variants})


# ---------------------------------------------------------------- beats


def _acts(n: int) -> list[int]:
    """Beats spread over three acts: a quarter, a half, a quarter."""
    return [1 if k < n / 4 else 2 if k < 3 * n / 4 else 3 for k in range(n)]


def _shares(events: Sequence[StoryEvent], beats: int) -> list[list[StoryEvent]]:
    """The events spread evenly over the beats, in order; with fewer events than beats, an event carries on over
    the beats that follow it."""
    n = len(events)
    if n >= beats:
        return [list(events[k * n // beats:(k + 1) * n // beats]) for k in range(beats)]
    return [[events[k * n // beats]] for k in range(beats)]


def beats_from(source: Source, brief: Brief, structure: Structure, *,
               told_passages: Sequence[str] | None = None) -> BeatSheet:
    """Every beat of the structure gets its share of the events (those of the chosen treatment when it cites
    passages), its description their sentences, its sources their passages."""
    events = covered(source)
    if told_passages:
        wanted = set(told_passages)
        events = [e for e in source.skeleton.events if e.passage in wanted] or events
    beat_names = STRUCTURE_BEATS[structure]
    acts = _acts(len(beat_names))
    people = names(source)
    beats = []
    for k, (name, share) in enumerate(zip(beat_names, _shares(events, len(beat_names)))):
        passages = list(dict.fromkeys(e.passage for e in share))
        text = clip(" ".join(told(e, people) for e in share), BEAT_CHARS)
        beats.append(Beat(name=name, act=acts[k], description=f"{text} {cite(passages)}", sources=passages[:40]))
    return BeatSheet(structure=structure, beats=beats)


EDITED_BY = {"beats": "/beat split N, /beat merge N M, /beat move N to M",
             "script": "/scene rewrite N NOTES, /scene cut N, /line S.K NEW WORDS"}  # what changes an adapted stage


def keep_adapted(notes: str, current: Any, stage: str) -> None:
    """Notes on an adapted stage that has content redraft nothing: the rules would tell the same events again
    and undo the person's own edits of it (a cut scene, a changed line). Said, with what does take them."""
    if notes.strip() and current is not None:
        raise StageError(f"the adapted {stage} follows the story's events, so notes do not redraft it (that would "
                         "undo your own edits of it); nothing was changed",
                         f"change it with {EDITED_BY[stage]}, or give the treatment your notes")


def unheard(notes: str, stage: str) -> list[str]:
    """What the Producer says of notes an adapted stage cannot take: it is told from the story's events."""
    if not notes.strip():
        return []
    follows, it = ("follow", "them") if stage == "beats" else ("follows", "it")
    return [f"Your notes did not change the {stage}: an adaptation's {stage} {follows} the story's events (the "
            f"treatment takes notes). Change {it} here with {EDITED_BY[stage]}"]
