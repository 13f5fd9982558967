"""Drafting a stage: the crew writes the creative part, code the rest, the store keeps it.

Each ``draft_*`` asks the crew for a small typed draft (see ``studio.drafts``),
turns it into the film model, and saves it as a commit authored by the agent
that leads the stage, with the model work it took.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Sequence, cast

from pydantic import BaseModel

from studio import adapt
from studio import fallbacks as rule
from studio import person
from studio.adapt_script import script_from
from studio.story_span import propose_span
from studio.breakdown import break_down
from studio.coverage import plan
from studio.craft import enforce
from studio.drafts import (
    BeatsDraft, BriefDraft, CharacterDraft, ContinuityDraft, PlaceDraft, SceneDraft, ScriptDraft, ShotChange,
    ShotRefinement, StyleDraft, TreatmentDraft, TreatmentOption, one_line,
)
from studio.errors import AuteurError, StageError
from studio.fields import Vetter, bound, echoes_of, on_story, shares_words, unreachable, without_label
from studio.fountain import parse
from studio.fountain.elements import ElementType, FountainDocument
from studio.look_draft import LookDrafter
from studio.models import (
    STRUCTURE_BEATS, Beat, BeatSheet, Breakdown, Brief, Look, Shot, ShotList, ShotSize, Structure, Treatment,
    TreatmentVariant,
)
from studio.ports import CrewPort, ProjectPort
from studio.project import Author, Usage
from studio.prompts import assemble
from studio.scene_draft import SceneWriter
from studio.script_render import render_script
from studio.source import Source
from studio.stages import CREATIVE, Stage
from studio.vetting import Kind


_NOT_CONTENT = ("decision", "approve", "export")  # commits of a stage that leave its artifact as it was
SECONDS_PER_SCENE = 45  # a first draft's scene, on average
VARIANT_SHAPES = (Structure.THREE_ACT, Structure.HEROS_JOURNEY, Structure.SAVE_THE_CAT)  # a treatment by rule
LOOK_DRAFTS = (CharacterDraft, PlaceDraft, StyleDraft, ContinuityDraft)
ALL_DRAFTS = (BriefDraft, TreatmentDraft, BeatsDraft, SceneDraft, *LOOK_DRAFTS, ShotRefinement)


@dataclass
class Drafted:
    stage: Stage
    author: str
    summary: str
    commit: str | None
    made_stale: list[Stage] = field(default_factory=list)
    changed: bool = True  # False when the agent came back with the same artifact
    fallbacks: list[str] = field(default_factory=list)  # fields written by rule: "look: NELL's visual"
    corrections: list[str] = field(default_factory=list)  # craft rules applied: "S01_SH001: establishing … (…)"
    kept: list[str] = field(default_factory=list)  # the person's changes kept on a redraft: "S01_SH002 angle low"
    lost: list[str] = field(default_factory=list)  # sentences: the person's changes the redraft could not keep


def _excerpt(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _noted(summary: str, fallbacks: list[str], corrections: list[str], kept: Sequence[str] = ()) -> str:
    """The commit's summary, with how much was written by rule, corrected by the craft rules and kept of the
    person's own changes."""
    notes = ([f"{len(fallbacks)} field{'s' if len(fallbacks) != 1 else ''} by rule"] if fallbacks else []) + \
        ([f"{len(corrections)} shot correction{'s' if len(corrections) != 1 else ''}"] if corrections else []) + \
        ([f"kept {len(kept)} of your changes"] if kept else [])
    return f"{summary} ({', '.join(notes)})" if notes else summary


def _script_words(breakdown: Breakdown) -> list[str]:
    """The script's own names, places and props (and their words): real although no word list has them."""
    names = [*breakdown.characters, *breakdown.locations, *(c for s in breakdown.scenes for c in s.introduced),
             *(p for s in breakdown.scenes for p in s.props)]
    return list(dict.fromkeys([*names, *(w for n in names for w in rule.words(n))]))


class Pipeline:
    def __init__(self, store: ProjectPort, crew: CrewPort | Callable[[], CrewPort],
                 memory: Callable[[Stage, str, int | None], str] | None = None,
                 other_usage: Callable[[], dict[str, Usage]] | None = None) -> None:
        self.store = store
        self._crew = crew  # or how to get it: a step that needs no model (choosing a variant) loads none
        self.memory = memory  # (stage, query, scene) → what the agent should remember; None without memory
        self._other_usage = other_usage  # model work outside stages (the conversation), saved with the next stage
        self._failed = Usage()

    @property
    def crew(self) -> CrewPort:
        if not hasattr(self._crew, "run"):
            self._crew = self._crew()
        return cast(CrewPort, self._crew)

    def _others(self) -> dict[str, Usage]:
        others = dict(self._other_usage() if self._other_usage else {})
        if self._failed.calls:
            others["failed"] = self._failed
            self._failed = Usage()
        return others

    def _recall(self, stage: Stage, query: str, scene: int | None = None) -> str:
        if self.memory is None:
            return "nothing recorded yet"
        return self.memory(stage, query, scene) or "nothing recorded yet"

    # ------------------------------------------------------------ entry

    def draft(self, stage: Stage, *, notes: str = "", idea: str = "",
              structure: Structure | None = None, minutes: float | None = None) -> Drafted:
        if stage not in CREATIVE:
            raise StageError(f"the {stage.value} stage is made by the render tools, not by the crew",
                             "render boards, clips and the cut with `auteur render` once it is available")
        # Work left over from a stage that failed is counted apart, not billed to this one.
        self._failed = self._failed + self.crew.take_usage()
        method: Callable[..., Drafted] = getattr(self, f"draft_{stage.value}")
        try:
            if stage is Stage.BRIEF:
                return method(idea=idea, notes=notes, minutes=minutes)
            if stage is Stage.BEATS:
                return method(notes=notes, structure=structure)
            return method(notes=notes)
        except AuteurError as exc:
            if unreachable(exc) and f"the {stage.value} stage" not in exc.problem:  # say which stage it stopped
                raise type(exc)(f"the {stage.value} stage was not drafted (nothing was saved): {exc.problem}",
                                exc.fix) from None
            raise

    def _vetter(self, sample: str, known: Sequence[str], *drafts: type[BaseModel]) -> Vetter:
        """What vets this stage's fields: the words of the languages ``sample`` is in, the person's own words,
        and every draft's field descriptions (a model hands back any schema's words: "A short film title")."""
        return Vetter(self.crew, self.crew.lexicon(sample[:20000]), tuple(known), echoes_of(*drafts, *ALL_DRAFTS))

    def _save(self, stage: Stage, model: BaseModel, summary: str, action: str = "draft", *,
              fallbacks: Sequence[str] = (), corrections: Sequence[str] = (), kept: Sequence[str] = (),
              lost: Sequence[str] = ()) -> Drafted:
        author = stage.lead
        change = self.store.save(stage, model, author=Author.agent(author),
                                 summary=_noted(summary, list(fallbacks), list(corrections), kept), action=action,
                                 usage=self.crew.take_usage(), other_usage=self._others())
        return Drafted(stage, author, summary, change.commit, list(change.made_stale),
                       changed=bool(change.transitions), fallbacks=list(fallbacks), corrections=list(corrections),
                       kept=list(kept), lost=list(lost))

    def _before(self, stage: Stage, notes: str) -> Any:
        """The stage as it is, whose person's changes a redraft keeps; None when the notes ask to drop them."""
        return None if person.drops_person(notes) else self.store.read(stage)

    def _headings(self, before: ShotList | None, now: Breakdown) -> person.Headings | None:
        """The scenes' headings as the shot list ``before`` was made (the breakdown at its last change) and now;
        None when the store cannot say (then shots are matched by number alone)."""
        read_at: Callable[[Stage, str], Any] | None = getattr(self.store, "read_at", None)  # (stage, rev)
        if before is None or read_at is None:
            return None
        log = [c for c in self.store.history(Stage.SHOTS)
               if c.trailers.get("Auteur-Action") not in _NOT_CONTENT][:1]  # the shots' last change of content
        then = read_at(Stage.BREAKDOWN, log[0].commit) if log else None
        if not isinstance(then, Breakdown):
            return None
        return {s.number: s.heading for s in then.scenes}, {s.number: s.heading for s in now.scenes}

    def _need(self, stage: Stage) -> Any:
        found = self.store.read(stage)
        if found is None:
            raise StageError(f"the {stage.value} stage is empty", f"draft the {stage.value} first")
        return found

    def _source(self) -> Source | None:
        """The story the project adapts, None when it started from an idea or a screenplay. Its span (how much of
        the story the film tells) follows the brief's runtime: a runtime changed after the import tells more or
        less of it."""
        source = self.store.read_source()
        brief = self.store.read(Stage.BRIEF)
        if source is None or brief is None or abs(source.skeleton.span.minutes - brief.runtime_minutes) < 0.05:
            return source
        span = propose_span(source.skeleton, brief.runtime_minutes)
        return source.model_copy(update={"skeleton": source.skeleton.model_copy(update={"span": span})})

    def _brief(self) -> Brief:
        return self.store.read(Stage.BRIEF) or Brief(title=self.store.manifest().title)

    # ------------------------------------------------------------ stages

    def draft_brief(self, *, idea: str, notes: str = "", minutes: float | None = None) -> Drafted:
        idea = one_line(idea)
        source = None if idea else self._source()
        if source is not None:  # a story brought in as prose: the brief is drawn from it
            return self._adapt_brief(source, notes, minutes)
        current = self.store.read(Stage.BRIEF)
        if not idea and current is not None:
            idea = current.logline
        if not idea:
            raise StageError("there is no idea to start from", 'say it in a sentence, e.g. auteur run --idea "…"')
        v = self._vetter(f"{idea} {notes}", rule.words(idea), BriefDraft)
        inputs = {"idea": idea, "notes": notes or "none", "memory": self._recall(Stage.BRIEF, f"{idea} {notes}")}
        draft = v.run("brief", inputs, BriefDraft,
                      lambda: BriefDraft.model_construct(title="", logline="", genre="", tone=""))
        fallback = {"title": lambda: rule.title_from(idea, self.store.manifest().title),
                    "logline": lambda: rule.logline_from(idea), "genre": lambda: rule.genre_from(idea),
                    "tone": lambda: rule.tone_from(idea)}
        kinds: dict[str, Kind] = {"title": "title", "logline": "sentence", "genre": "phrase", "tone": "phrase"}
        # The idea wins: a title or logline with none of its words is another story (every later stage is asked
        # from the brief), so it goes the way of a failed field.
        keep = {"title": partial(shares_words, source=idea), "logline": partial(on_story, source=idea)}
        values = {key: v.field(getattr(draft, key), task="brief", name=key, kind=kind, max_chars=bound(Brief, key),
                               label=f"brief: {key}", inputs=inputs, fallback=fallback[key], keep=keep.get(key))
                  for key, kind in kinds.items()}
        brief = (current or Brief()).model_copy(update=values)
        if minutes:
            brief.runtime_minutes = minutes
        if not brief.references:
            brief.references = [f"idea: {idea[:300]}"]
        return self._save(Stage.BRIEF, brief, f"brief for {brief.title!r}", fallbacks=v.fallbacks)

    def _adapt_brief(self, source: Source, notes: str, minutes: float | None) -> Drafted:
        """The story's title and words by rule; the crew fills the logline, genre and tone, vetted."""
        current: Brief | None = self.store.read(Stage.BRIEF)
        runtime = minutes or (current.runtime_minutes if current else 5.0)
        base = adapt.brief_from(source, title=current.title if current else "", runtime_minutes=runtime)
        v = self._vetter(f"{base.logline} {notes}", adapt.story_words(source), BriefDraft)
        slots = adapt.brief_slots(v, base, source, notes=notes, memory=self._recall(Stage.BRIEF, notes))
        brief = (current or base).model_copy(update={**slots, "title": base.title, "runtime_minutes": runtime,
                                                     "source": base.source, "imported_from": None})
        brief.references = brief.references or base.references
        return self._save(Stage.BRIEF, brief, f"brief for {brief.title!r}, adapted", fallbacks=v.fallbacks)

    def draft_treatment(self, *, notes: str = "") -> Drafted:
        source = self._source()
        if source is not None:  # an adaptation tells the story's events, citing its passages
            brief = self._brief()
            v = self._vetter(f"{brief.logline} {notes}", adapt.story_words(source), TreatmentDraft)
            treatment = adapt.treatment_slots(v, adapt.treatment_from(source, brief, notes=notes), source,
                                              memory=self._recall(Stage.TREATMENT, notes))
            return self._save(Stage.TREATMENT, treatment, f"{len(treatment.variants)} treatment variants, adapted",
                              fallbacks=v.fallbacks)
        brief = self._brief()
        title = brief.title or self.store.manifest().title
        v = self._vetter(f"{title} {brief.logline} {notes}", rule.words(f"{title} {brief.logline}"), TreatmentDraft)
        inputs = {"title": title, "logline": brief.logline, "genre": brief.genre or "drama",
                  "tone": brief.tone or "grounded", "minutes": f"{brief.runtime_minutes:g}", "notes": notes or "none",
                  "memory": self._recall(Stage.TREATMENT, notes)}
        draft = v.run("treatment", inputs, TreatmentDraft, lambda: TreatmentDraft.model_construct(variants=[]))
        options = list(draft.variants) + [TreatmentOption.model_construct(title="", logline="", text="")] * max(
            0, 3 - len(draft.variants))
        variants = [self._variant(v, k, option, {**inputs, "variant": str(k)}, title, brief.logline)
                    for k, option in enumerate(options, start=1)]
        return self._save(Stage.TREATMENT, Treatment(variants=variants), f"{len(variants)} treatment variants",
                          fallbacks=v.fallbacks)

    @staticmethod
    def _variant(v: Vetter, k: int, option: TreatmentOption, inputs: dict[str, Any], title: str,
                 logline: str) -> TreatmentVariant:
        """One treatment variant, vetted; by rule, the brief's title and logline told along a structure."""
        shape = STRUCTURE_BEATS[VARIANT_SHAPES[(k - 1) % len(VARIANT_SHAPES)]]

        def field(key: str, kind: Kind, text: str, fallback: Callable[[], str]) -> str:
            keep = None if key == "title" else partial(on_story, source=logline)  # the brief's story, told
            return v.field(text, task="treatment", name=key, kind=kind, max_chars=bound(TreatmentVariant, key),
                           label=f"treatment: variant {k} {key}", inputs=inputs, fallback=fallback, keep=keep)

        told = field("logline", "sentence", option.logline, lambda: rule.logline_from(logline or title))
        return TreatmentVariant(title=field("title", "title", option.title, lambda: f"{title} ({k})"), logline=told,
                                text=field("text", "sentence", option.text, lambda: rule.treatment_text(told, shape)))

    def pick_variant(self, number: int) -> Drafted:
        treatment: Treatment = self._need(Stage.TREATMENT)
        if not 1 <= number <= len(treatment.variants):
            raise StageError(f"there is no variant {number}; there are {len(treatment.variants)}",
                             f"pick a number from 1 to {len(treatment.variants)}")
        picked = treatment.model_copy(update={"chosen": number - 1})
        change = self.store.save(Stage.TREATMENT, picked, author=self.store.user(),
                                 summary=f"choose variant {number}", action="pick")
        return Drafted(Stage.TREATMENT, self.store.user().name, f"variant {number} chosen", change.commit,
                       list(change.made_stale))

    def draft_beats(self, *, notes: str = "", structure: Structure | None = None) -> Drafted:
        brief = self._brief()
        treatment: Treatment | None = self.store.read(Stage.TREATMENT)
        story = treatment.active if treatment and treatment.active else None
        current: BeatSheet | None = self.store.read(Stage.BEATS)
        structure = structure or (current.structure if current else Structure.THREE_ACT)
        source = self._source()
        if source is not None:  # the events of the chosen treatment, spread over the structure's beats
            adapt.keep_adapted(notes, current, "beats")
            sheet = adapt.beats_from(source, brief, structure, told_passages=story.sources if story else None)
            return self._save(Stage.BEATS, sheet, f"{len(sheet.beats)} beats on {structure.value}, adapted",
                              lost=adapt.unheard(notes, "beats"))
        names = STRUCTURE_BEATS[structure]
        text = story.text if story else brief.logline
        v = self._vetter(f"{brief.logline} {text} {notes}", rule.words(f"{brief.title} {brief.logline}"), BeatsDraft)
        inputs = {"title": brief.title, "logline": brief.logline, "treatment": _excerpt(text, 1500),
                  "structure": structure.value, "beat_names": "; ".join(names), "count": str(len(names)),
                  "notes": notes or "none", "memory": self._recall(Stage.BEATS, notes)}
        draft = v.run("beats", inputs, BeatsDraft, lambda: BeatsDraft.model_construct(beats=[]),
                      schema=sized(BeatsDraft, beats=len(names)))
        acts = _acts(len(names))
        beats = [Beat(name=name, act=acts[k], description=v.field(
            draft.beats[k].description if k < len(draft.beats) else "", task="beats", name="description",
            kind="sentence", max_chars=bound(Beat, "description"), label=f"beats: {name}",
            inputs={**inputs, "beat": name}, fallback=partial(rule.beat_description, name, brief.logline),
            keep=partial(on_story, source=f"{brief.title} {brief.logline} {text}")))
                 for k, name in enumerate(names)]
        return self._save(Stage.BEATS, BeatSheet(structure=structure, beats=beats),
                          f"{len(beats)} beats on {structure.value}", fallbacks=v.fallbacks)

    def draft_script(self, *, notes: str = "") -> Drafted:
        """Scene by scene: each call small enough for a small model, each scene aware of the last."""
        brief = self._brief()
        beats: BeatSheet | None = self.store.read(Stage.BEATS)
        source = self._source()
        if source is not None:  # scenes from the story's events, its quoted lines as dialogue
            adapt.keep_adapted(notes, self.store.read_script(), "script")
            fountain = script_from(source, brief, beats)
            done = self._save_script(fountain, len(parse(fountain).of_type(ElementType.SCENE_HEADING)), [],
                                     "adapted draft")
            done.lost = adapt.unheard(notes, "script")
            return done
        treatment: Treatment | None = self.store.read(Stage.TREATMENT)
        story = treatment.active if treatment and treatment.active else None
        count = max(2, min(12, round(brief.runtime_minutes * 60 / SECONDS_PER_SCENE)))
        beat_list = beats.beats if beats else []
        story_text = story.text if story else brief.logline
        v = self._vetter(f"{brief.logline} {story_text} {notes}", rule.words(f"{brief.title} {brief.logline}"),
                         SceneDraft)
        writer = SceneWriter(v, brief, story_text)
        memory = self._recall(Stage.SCRIPT, notes)
        for k in range(1, count + 1):
            # The beats this scene carries: the sheet spread evenly over the scenes.
            mine = beat_list[(k - 1) * len(beat_list) // count: k * len(beat_list) // count] or beat_list[-1:]
            writer.write(k, count, mine, notes=notes or "none", memory=memory)
        draft = ScriptDraft.model_construct(scenes=writer.scenes)
        fountain = render_script(draft, title=brief.title or self.store.manifest().title, author="Auteur")
        return self._save_script(fountain, len(writer.scenes), v.fallbacks, "draft")

    def _save_script(self, fountain: str, scenes: int, fallbacks: list[str], what: str) -> Drafted:
        summary = _noted(f"{what} ({scenes} scenes)", fallbacks, [])
        change = self.store.edit(Stage.SCRIPT, fountain.encode("utf-8"), name="screenwriter draft",
                                 author=Author.agent(Stage.SCRIPT.lead), action="draft", summary=summary,
                                 usage=self.crew.take_usage(), other_usage=self._others())
        return Drafted(Stage.SCRIPT, Stage.SCRIPT.lead, f"{scenes} scenes", change.commit,
                       list(change.made_stale), changed=bool(change.transitions), fallbacks=list(fallbacks))

    def draft_breakdown(self, *, notes: str = "") -> Drafted:
        script = self.store.read_script()
        if script is None:
            raise StageError("there is no script to break down", "draft or import the script first")
        breakdown = break_down(parse(script.fountain))
        return self._save(Stage.BREAKDOWN, breakdown, f"{len(breakdown.scenes)} scenes broken down")

    def draft_look(self, *, notes: str = "") -> Drafted:
        brief = self._brief()
        before = self._before(Stage.LOOK, notes)
        breakdown = self.store.breakdown()
        script = self.store.read_script()
        doc = parse(script.fountain) if script else FountainDocument()
        v = self._vetter(script.fountain if script else f"{brief.title} {brief.logline}", _script_words(breakdown),
                         *LOOK_DRAFTS)
        look = LookDrafter(v, brief, breakdown, doc, notes=notes, memory=self._recall(Stage.LOOK, notes),
                           continuity_memory=self._recall(Stage.LOOK, f"continuity wardrobe injuries {notes}")).draft()
        theirs = person.keeping(before, look)  # what the person changed in the look stays theirs
        return self._save(Stage.LOOK, theirs.model, f"{len(look.characters)} characters, {len(look.locations)} "
                                                    f"locations, {len(look.props)} props, style capsule",
                          fallbacks=v.fallbacks, kept=theirs.kept, lost=theirs.lost)

    def draft_shots(self, *, notes: str = "") -> Drafted:
        script = self.store.read_script()
        if script is None:
            raise StageError("there is no script to shoot", "draft or import the script first")
        doc = parse(script.fountain)
        breakdown = break_down(doc)
        shots = plan(doc, breakdown)
        before = self._before(Stage.SHOTS, notes)  # the shots the person changed stay theirs, in their scenes
        theirs = person.Theirs(before, headings=self._headings(before, breakdown))
        v = self._vetter(script.fountain, _script_words(breakdown), ShotRefinement)
        corrections: list[str] = []
        kept: list[str] = []
        codes = [s.code for s in shots.shots]
        for scene in breakdown.scenes:
            memory = self._recall(Stage.SHOTS, notes, scene.number)  # the scene, and the end of the one before
            in_scene = [s for s in shots.shots if s.scene == scene.number]
            listing = "; ".join(f"{s.number}: {s.size.value} {s.angle.value} {s.movement.value} — {s.action[:60]}"
                                for s in in_scene)
            inputs = {"scene": f"{scene.number}: {scene.heading}", "shots": listing, "count": str(len(in_scene)),
                      "notes": notes or "none", "memory": memory}
            refinement = v.run("shots", inputs, ShotRefinement, ShotRefinement,
                               label=f"shots: scene {scene.number} refinement (none: the model's answer was not "
                                     "usable)")
            headings = [scene.heading, *(b.heading for b in breakdown.scenes), *codes]
            for change in refinement.changes:
                if change.notes.strip():
                    change.notes = v.field(change.notes, task="shots", name="notes", kind="phrase", max_chars=200,
                                           label=f"shots: scene {scene.number} shot {change.shot} note (dropped)",
                                           inputs={**inputs, "shot": str(change.shot), "change": _change(change)},
                                           fallback="", prepare=partial(_note, headings=headings), echoes=headings)
            apply_refinement(in_scene, refinement, notes=False)
            kept += theirs.put_back(in_scene)  # the person's fields win over the refinement's
            theirs.fit(in_scene, scene.seconds)  # the person's durations held, the others share the rest
            corrections.extend(str(c) for c in enforce(in_scene, scene, waive=theirs.waived(in_scene)))
            theirs.fit(in_scene, scene.seconds, only_held=True)  # a dialogue shot the rules lengthened
            _keep_notes(in_scene, refinement)  # a note stays only with the change it explains, as it was kept
        return self._save(Stage.SHOTS, shots, f"{len(shots.shots)} shots over {len(breakdown.scenes)} scenes",
                          fallbacks=v.fallbacks, corrections=corrections, kept=kept, lost=theirs.lost())

    def draft_prompts(self, *, notes: str = "") -> Drafted:
        shots: ShotList = self._need(Stage.SHOTS)
        look: Look = self.store.read(Stage.LOOK) or Look()
        prompts = assemble(shots, self.store.breakdown(), look, self.store.read(Stage.PROMPTS))
        return self._save(Stage.PROMPTS, prompts, f"prompts for {len(prompts.prompts)} shots")


def sized(output: type[BaseModel], **counts: int) -> dict[str, Any]:
    """The output's JSON schema with exact list lengths: sized(ScriptDraft, scenes=6)."""
    schema = output.model_json_schema()
    for name, n in counts.items():
        prop = schema["properties"][name]
        limit = prop.get("maxItems", n)
        prop["minItems"] = prop["maxItems"] = max(0, min(n, limit))
    return schema


def _acts(n: int) -> list[int]:
    """Beats spread over three acts: a quarter, a half, a quarter."""
    return [1 if k < n / 4 else 2 if k < 3 * n / 4 else 3 for k in range(n)]


def _change(change: ShotChange) -> str:
    """A refinement's change in words, for the question that repairs its note: 'CU, low, 85 mm'."""
    parts = [x.value for x in (change.size, change.angle, change.movement) if x is not None]
    return ", ".join([*parts, *([f"{change.lens_mm} mm"] if change.lens_mm else [])]) or "unchanged"


_CHANGED = ("size", "angle", "movement", "lens_mm")


def apply_refinement(shots: list[Shot], refinement: ShotRefinement, *, notes: bool = True) -> None:
    """The Cinematographer's changes to the coverage of one scene; coverage itself stays. ``notes=False`` leaves
    the notes for `_keep_notes` (after the craft rules had their say)."""
    by_number = {s.number: s for s in shots}
    for change in refinement.changes:
        shot = by_number.get(change.shot)
        if shot is None:
            continue
        for name in _CHANGED:
            value = getattr(change, name)
            if value is not None:
                setattr(shot, name, value)
        if notes and change.notes.strip():
            shot.notes = one_line(f"{shot.notes}; {change.notes}".strip("; "))[:1000]


def _keep_notes(shots: list[Shot], refinement: ShotRefinement) -> None:
    """A refinement's note is added to its shot only when every value that change set is still the shot's (the
    craft rules did not revert or change it): a note never explains what the shot no longer is."""
    by_number = {s.number: s for s in shots}
    for change in refinement.changes:
        shot = by_number.get(change.shot)
        if shot is None or not change.notes.strip():
            continue
        if all(getattr(change, k) is None or getattr(change, k) == getattr(shot, k) for k in _CHANGED):
            shot.notes = one_line(f"{shot.notes}; {change.notes}".strip("; "))[:1000]


def _note(text: str, headings: Sequence[str]) -> str:
    """A shot note as the model wrote it, or "" when it is the question's frame handed back: a label ('The scene:')
    before a scene's heading, number or a shot's code ('The scene: 1, WS - LATER.')."""
    rest = without_label(text)
    if not rest:
        return text
    framed = {w.upper() for h in headings for w in re.findall(r"[A-Za-z0-9]+", h)} | {s.value for s in ShotSize}
    said = re.findall(r"[A-Za-z0-9]+", rest)
    return "" if any(w.isdigit() or (w.isupper() and w in framed) for w in said) else rest
