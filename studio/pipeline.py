"""Drafting a stage: the crew writes the creative part, code the rest, the store keeps it.

Each ``draft_*`` asks the crew for a small typed draft (see ``studio.drafts``),
turns it into the film model, and saves it as a commit authored by the agent
that leads the stage, with the model work it took.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, cast

from pydantic import BaseModel

from studio.breakdown import break_down
from studio.continuity import carry_forward
from studio.coverage import fit_durations, plan
from studio.drafts import (
    BeatsDraft, BriefDraft, ContinuityDraft, LookDraft, SceneDraft, ScriptDraft, ShotRefinement, TreatmentDraft,
    clean_name, one_line,
)
from studio.errors import StageError
from studio.fountain import parse
from studio.models import (
    STRUCTURE_BEATS, Beat, BeatSheet, Brief, Character, CharacterState, Location, Look, Prop, PropState,
    Scene, SceneState, Shot, ShotList, Structure, StyleCapsule, Treatment, TreatmentVariant,
)
from studio.ports import CrewPort, ProjectPort
from studio.project import Author, Usage
from studio.prompts import assemble
from studio.script_render import render_script
from studio.stages import CREATIVE, Stage


SECONDS_PER_SCENE = 45  # a first draft's scene, on average


@dataclass
class Drafted:
    stage: Stage
    author: str
    summary: str
    commit: str | None
    made_stale: list[Stage] = field(default_factory=list)
    changed: bool = True  # False when the agent came back with the same artifact


def _excerpt(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        if stage is Stage.BRIEF:
            return method(idea=idea, notes=notes, minutes=minutes)
        if stage is Stage.BEATS:
            return method(notes=notes, structure=structure)
        return method(notes=notes)

    def _save(self, stage: Stage, model: BaseModel, summary: str, action: str = "draft") -> Drafted:
        author = stage.lead
        change = self.store.save(stage, model, author=Author.agent(author), summary=summary, action=action,
                                 usage=self.crew.take_usage(), other_usage=self._others())
        return Drafted(stage, author, summary, change.commit, list(change.made_stale),
                       changed=bool(change.transitions))

    def _need(self, stage: Stage) -> Any:
        found = self.store.read(stage)
        if found is None:
            raise StageError(f"the {stage.value} stage is empty", f"draft the {stage.value} first")
        return found

    def _brief(self) -> Brief:
        return self.store.read(Stage.BRIEF) or Brief(title=self.store.manifest().title)

    # ------------------------------------------------------------ stages

    def draft_brief(self, *, idea: str, notes: str = "", minutes: float | None = None) -> Drafted:
        idea = one_line(idea)
        current = self.store.read(Stage.BRIEF)
        if not idea and current is not None:
            idea = current.logline
        if not idea:
            raise StageError("there is no idea to start from", 'say it in a sentence, e.g. auteur run --idea "…"')
        draft = self.crew.run("brief", {"idea": idea, "notes": notes or "none",
                                        "memory": self._recall(Stage.BRIEF, f"{idea} {notes}")}, BriefDraft)
        brief = (current or Brief()).model_copy(update={
            "title": one_line(draft.title) or self.store.manifest().title,
            "logline": one_line(draft.logline) or idea[:600],
            "genre": one_line(draft.genre), "tone": one_line(draft.tone),
        })
        if minutes:
            brief.runtime_minutes = minutes
        if not brief.references:
            brief.references = [f"idea: {idea[:300]}"]
        return self._save(Stage.BRIEF, brief, f"brief for {brief.title!r}")

    def draft_treatment(self, *, notes: str = "") -> Drafted:
        brief = self._brief()
        draft = self.crew.run("treatment", {
            "title": brief.title, "logline": brief.logline, "genre": brief.genre or "drama",
            "tone": brief.tone or "grounded", "minutes": f"{brief.runtime_minutes:g}", "notes": notes or "none",
            "memory": self._recall(Stage.TREATMENT, notes),
        }, TreatmentDraft)
        variants = [TreatmentVariant(title=one_line(v.title) or f"{brief.title} ({k})",
                                     logline=one_line(v.logline) or brief.logline, text=v.text.strip())
                    for k, v in enumerate(draft.variants, start=1)]
        return self._save(Stage.TREATMENT, Treatment(variants=variants),
                          f"{len(variants)} treatment variants")

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
        names = STRUCTURE_BEATS[structure]
        draft = self.crew.run("beats", {
            "title": brief.title, "logline": brief.logline,
            "treatment": _excerpt(story.text if story else brief.logline, 1500),
            "structure": structure.value, "beat_names": "; ".join(names), "count": str(len(names)),
            "notes": notes or "none", "memory": self._recall(Stage.BEATS, notes),
        }, BeatsDraft, schema=sized(BeatsDraft, beats=len(names)))
        acts = _acts(len(names))
        beats = [Beat(name=name, act=acts[k],
                      description=one_line(draft.beats[k].description) if k < len(draft.beats) else "")
                 for k, name in enumerate(names)]
        return self._save(Stage.BEATS, BeatSheet(structure=structure, beats=beats),
                          f"{len(beats)} beats on {structure.value}")

    def draft_script(self, *, notes: str = "") -> Drafted:
        """Scene by scene: each call small enough for a small model, each scene aware of the last."""
        brief = self._brief()
        beats: BeatSheet | None = self.store.read(Stage.BEATS)
        treatment: Treatment | None = self.store.read(Stage.TREATMENT)
        story = treatment.active if treatment and treatment.active else None
        count = max(2, min(12, round(brief.runtime_minutes * 60 / SECONDS_PER_SCENE)))
        beat_list = beats.beats if beats else []
        scenes: list[SceneDraft] = []
        cast: list[str] = []
        memory = self._recall(Stage.SCRIPT, notes)
        for k in range(1, count + 1):
            # The beats this scene carries: the sheet spread evenly over the scenes.
            mine = beat_list[(k - 1) * len(beat_list) // count: k * len(beat_list) // count] or beat_list[-1:]
            previous = scenes[-1] if scenes else None
            scene = self.crew.run("script", {
                "title": brief.title, "logline": brief.logline,
                "treatment": _excerpt(story.text if story else brief.logline, 800),
                "beats": _excerpt(" | ".join(f"{b.name}: {b.description}" for b in mine), 500) or "free",
                "number": str(k), "scenes": str(count), "cast": ", ".join(cast) or "new characters",
                "previous": _excerpt(f"{previous.location}: {previous.action}", 300) if previous else "none",
                "notes": notes or "none", "memory": memory,
            }, SceneDraft)
            scenes.append(scene)
            cast.extend(n for n in (clean_name(d.character) for d in scene.dialogue) if n not in cast)
        draft = ScriptDraft(scenes=scenes)
        fountain = render_script(draft, title=brief.title or self.store.manifest().title, author="Auteur")
        change = self.store.edit(Stage.SCRIPT, fountain.encode("utf-8"), name="screenwriter draft",
                                 author=Author.agent(Stage.SCRIPT.lead), action="draft",
                                 summary=f"draft ({len(scenes)} scenes)", usage=self.crew.take_usage(),
                                 other_usage=self._others())
        return Drafted(Stage.SCRIPT, Stage.SCRIPT.lead, f"{len(scenes)} scenes", change.commit,
                       list(change.made_stale), changed=bool(change.transitions))

    def draft_breakdown(self, *, notes: str = "") -> Drafted:
        script = self.store.read_script()
        if script is None:
            raise StageError("there is no script to break down", "draft or import the script first")
        breakdown = break_down(parse(script.fountain))
        return self._save(Stage.BREAKDOWN, breakdown, f"{len(breakdown.scenes)} scenes broken down")

    def draft_look(self, *, notes: str = "") -> Drafted:
        brief = self._brief()
        breakdown = self.store.breakdown()
        characters = breakdown.characters or list(dict.fromkeys(c for s in breakdown.scenes for c in s.introduced))
        props = list(dict.fromkeys(p for s in breakdown.scenes for p in s.props))
        script = self.store.read_script()
        draft = self.crew.run("look", {
            "title": brief.title, "logline": brief.logline, "genre": brief.genre or "drama",
            "tone": brief.tone or "grounded",
            "characters": "; ".join(characters) or "none", "locations": "; ".join(breakdown.locations) or "none",
            "props": "; ".join(props) or "none", "count_characters": str(len(characters)),
            "count_locations": str(len(breakdown.locations)), "count_props": str(len(props)),
            "script": _excerpt(script.fountain if script else "", 1500), "notes": notes or "none",
            "memory": self._recall(Stage.LOOK, notes),
        }, LookDraft, schema=sized(LookDraft, characters=len(characters), locations=len(breakdown.locations),
                                   props=len(props)))
        look = Look(
            characters=[Character(name=name, **_fields(draft.characters, k, ("description", "visual", "age",
                                                                             "wardrobe")))
                        for k, name in enumerate(characters)],
            locations=[Location(name=name, int_ext=next((s.int_ext for s in breakdown.scenes
                                                         if s.location == name), None),
                                **_fields(draft.locations, k, ("description", "visual")))
                       for k, name in enumerate(breakdown.locations)],
            props=[Prop(name=name, scenes=[s.number for s in breakdown.scenes if name in s.props],
                        **_fields(draft.props, k, ("description", "visual")))
                   for k, name in enumerate(props)],
            style=StyleCapsule(name=f"{brief.title} look", **{k: one_line(v) for k, v in
                                                             draft.style.model_dump().items()}),
        )
        continuity = self.crew.run("continuity", {
            "characters": "; ".join(characters) or "none", "props": "; ".join(props) or "none",
            "scenes": "; ".join(f"{s.number}: {s.heading}" for s in breakdown.scenes),
            "script": _excerpt(script.fountain if script else "", 1500), "notes": notes or "none",
            "memory": self._recall(Stage.LOOK, f"continuity wardrobe injuries {notes}"),
        }, ContinuityDraft)
        look.states = carry_forward(breakdown, look, _state_changes(continuity, breakdown.scenes))
        return self._save(Stage.LOOK, look, f"{len(look.characters)} characters, {len(look.locations)} "
                                            f"locations, {len(look.props)} props, style capsule")

    def draft_shots(self, *, notes: str = "") -> Drafted:
        script = self.store.read_script()
        if script is None:
            raise StageError("there is no script to shoot", "draft or import the script first")
        doc = parse(script.fountain)
        breakdown = break_down(doc)
        shots = plan(doc, breakdown)
        for scene in breakdown.scenes:
            memory = self._recall(Stage.SHOTS, notes, scene.number)  # the scene, and the end of the one before
            in_scene = [s for s in shots.shots if s.scene == scene.number]
            listing = "; ".join(f"{s.number}: {s.size.value} {s.angle.value} {s.movement.value} — {s.action[:60]}"
                                for s in in_scene)
            refinement = self.crew.run("shots", {
                "scene": f"{scene.number}: {scene.heading}", "shots": listing, "count": str(len(in_scene)),
                "notes": notes or "none", "memory": memory,
            }, ShotRefinement)
            apply_refinement(in_scene, refinement)
            fit_durations(in_scene, scene.seconds)
        return self._save(Stage.SHOTS, shots, f"{len(shots.shots)} shots over {len(breakdown.scenes)} scenes")

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


def _fields(items: Sequence[BaseModel], k: int, names: tuple[str, ...]) -> dict[str, str]:
    if k >= len(items):
        return {}
    data = items[k].model_dump()
    return {n: one_line(str(data.get(n, ""))) for n in names}


def _state_changes(draft: ContinuityDraft, scenes: list[Scene]) -> list[SceneState]:
    """The Art Director's changes, kept only where they name a scene and someone or something in it."""
    by_scene: dict[int, SceneState] = {}
    numbers = {s.number: s for s in scenes}
    for c in draft.changes:
        scene = numbers.get(c.scene)
        if scene is None or not c.change.strip():
            continue
        state = by_scene.setdefault(c.scene, SceneState(scene=c.scene))
        name = c.name.strip().upper()
        people = {x.upper(): x for x in [*scene.characters, *scene.introduced]}
        things = {x.upper(): x for x in scene.props}
        if name in people and c.kind != "condition":
            st = state.characters.setdefault(people[name], CharacterState())
            setattr(st, c.kind, one_line(c.change))
        elif name in things:
            ps = state.props.setdefault(things[name], PropState())
            if c.kind == "holding":
                ps.held_by = one_line(c.change)
            else:
                ps.condition = one_line(c.change)
    return list(by_scene.values())


def apply_refinement(shots: list[Shot], refinement: ShotRefinement) -> None:
    """The Cinematographer's changes to the coverage of one scene; coverage itself stays."""
    by_number = {s.number: s for s in shots}
    for change in refinement.changes:
        shot = by_number.get(change.shot)
        if shot is None:
            continue
        for name in ("size", "angle", "movement", "lens_mm"):
            value = getattr(change, name)
            if value is not None:
                setattr(shot, name, value)
        if change.notes.strip():
            shot.notes = one_line(f"{shot.notes}; {change.notes}".strip("; "))[:1000]
