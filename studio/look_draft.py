"""The look, drafted piece by piece: one small call per character, location and prop, one for the style, then
the continuity. No call can outgrow the model's answer (a 40-scene script with 25 characters is 25 + … small
calls, not one that is cut at max_tokens), and every field is vetted (studio.fields).

The script's facts win (studio.facts): the ages and descriptions the script states are copied, the model's
visual loses its age words, a location's INT/EXT and times come from its headings, the props from the breakdown.
"""

from __future__ import annotations

import re
from typing import Any, Callable, cast

from studio import fallbacks as rule
from studio.continuity import carry_forward
from studio.drafts import CharacterDraft, ContinuityDraft, PlaceDraft, StyleDraft, one_line
from studio.facts import ScriptFacts, script_facts, without_ages
from studio.fields import Vetter, bound
from studio.fountain.elements import ElementType, FountainDocument
from studio.models import (
    Breakdown, Brief, Character, CharacterState, IntExt, Location, Look, Prop, PropState, Scene, SceneState, StyleCapsule,
)

_AGE = re.compile(r"^(?:(?:early|mid|late)[- ])?(?:\d{1,2}0s|\d{1,3}|teens?|twenties|thirties|forties|fifties|"
                  r"sixties|seventies|eighties|nineties)$|^(?:child|teenager|young adult|adult|middle-aged|elderly)$",
                  re.IGNORECASE)


def lines_of(doc: FountainDocument, name: str, limit: int = 6) -> list[str]:
    """The script's lines where a character appears: their speeches, and the action that names them."""
    found: list[str] = []
    speaker = ""
    word = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
    for el in doc.elements:
        if el.type is ElementType.CHARACTER:
            speaker = el.plain.upper()
        elif el.type is ElementType.DIALOGUE and speaker == name.upper():
            found.append(f"{name}: {one_line(el.plain)[:160]}")
        elif el.type is ElementType.ACTION and word.search(el.plain):
            found.append(one_line(el.plain)[:160])
        elif el.type is not ElementType.PARENTHETICAL:
            speaker = ""
        if len(found) >= limit:
            break
    return found


class LookDrafter:
    """Drafts a Look from the breakdown and the script, with the crew; every field vetted."""

    def __init__(self, vetter: Vetter, brief: Brief, breakdown: Breakdown, doc: FountainDocument, *,
                 notes: str, memory: str, continuity_memory: str) -> None:
        self.v = vetter
        self.brief = brief
        self.breakdown = breakdown
        self.doc = doc
        self.facts: ScriptFacts = script_facts(doc, breakdown)
        self.notes = notes or "none"
        self.memory = memory  # what the Art Director should remember (one recall for the stage)
        self.continuity_memory = continuity_memory
        self.base = {"title": brief.title or "untitled", "genre": brief.genre or "drama",
                     "tone": brief.tone or "grounded", "notes": self.notes}

    def draft(self) -> Look:
        bd = self.breakdown
        characters = bd.characters or list(dict.fromkeys(c for s in bd.scenes for c in s.introduced))
        props = list(dict.fromkeys(p for s in bd.scenes for p in s.props))
        look = Look(characters=[self.character(n) for n in characters],
                    locations=[self.location(n) for n in bd.locations],
                    props=[self.prop(n) for n in props],
                    style=self.style())
        look.states = carry_forward(bd, look, self.continuity(characters, props))
        return look

    # ------------------------------------------------------------ one call each

    def _scenes(self, test: Callable[[Scene], bool]) -> list[int]:
        return [s.number for s in self.breakdown.scenes if test(s)]

    def character(self, name: str) -> Character:
        known = self.facts.character(name)
        stated_age = known.age if known else ""
        stated = known.description if known else ""
        scenes = self._scenes(lambda s: name in s.characters or name in s.introduced)
        inputs: dict[str, Any] = {**self.base, "name": name, "facts": stated or "none", "age": stated_age,
                                  "scenes": lines_of(self.doc, name) or ["none"],
                                  "memory": self.memory}
        d = self.v.run("character", inputs, CharacterDraft,
                       lambda: CharacterDraft.model_construct(description="", visual="", age="", wardrobe=""))
        label = f"look: {name}'s"

        def field(text: str, key: str, kind: Any, fallback: str | Callable[[], str]) -> str:
            return self.v.field(text, task="character", name=key, kind=kind, max_chars=bound(Character, key),
                                label=f"{label} {key}", inputs=inputs, fallback=fallback)

        age = stated_age or self._age(d.age, inputs, f"{label} age")
        description = rule.sentence(stated, bound(Character, "description")) if stated else field(
            d.description, "description", "sentence", lambda: rule.character_description(name, "", scenes))
        visual = field(d.visual, "visual", "phrase", lambda: rule.character_visual(name, stated, age))
        if stated_age:  # the script says how old they are: the model's words about age go, the script's stay
            visual = self.v.check(without_ages(visual), "phrase", bound(Character, "visual"))
            visual = f"{rule.age_phrase(stated_age)}, {visual}" if visual else rule.character_visual(name, stated, age)
            visual = visual[: bound(Character, "visual")]
        wardrobe = field(d.wardrobe, "wardrobe", "phrase", lambda: rule.wardrobe_from(stated))
        return Character(name=name, description=description, visual=visual, age=age, wardrobe=wardrobe)

    def _age(self, text: str, inputs: dict[str, Any], label: str) -> str:
        """An age the way a script writes one ('40s', '42', 'late twenties'), or '' (nothing is invented)."""
        for answer in (text, None):
            if answer is None:
                answer = self.v.ask("character", "age", inputs)
            cleaned = " ".join(answer.split()).strip(" .,;:\"'")
            if len(cleaned) <= bound(Character, "age") and _AGE.match(cleaned):
                return cleaned
        self.v.fallbacks.append(f"{label} (left blank: the script does not say)")
        return ""

    def location(self, name: str) -> Location:
        facts = self.facts.locations.get(name)
        int_ext = cast(IntExt | None, facts.int_ext or None) if facts else next(
            (s.int_ext for s in self.breakdown.scenes if s.location == name), None)
        times = list(facts.times) if facts else [s.time_of_day or "" for s in self.breakdown.scenes
                                                  if s.location == name]
        first = facts.first_action if facts else ""
        inputs: dict[str, Any] = {**self.base, "name": name, "int_ext": int_ext or "INT",
                                  "times": [t for t in times if t] or ["DAY"], "first_action": first or "none",
                                  "memory": self.memory}
        d = self.v.run("location", inputs, PlaceDraft, lambda: PlaceDraft.model_construct(description="", visual=""))
        description = self.v.field(d.description, task="location", name="description", kind="sentence",
                                   max_chars=bound(Location, "description"), label=f"look: {name} description",
                                   inputs=inputs,
                                   fallback=lambda: rule.location_description(name, first, int_ext, times))
        visual = self.v.field(d.visual, task="location", name="visual", kind="phrase",
                              max_chars=bound(Location, "visual"), label=f"look: {name} visual", inputs=inputs,
                              fallback=lambda: rule.location_visual(name, int_ext, times))
        return Location(name=name, int_ext=int_ext, description=description, visual=visual)

    def prop(self, name: str) -> Prop:
        line = self.facts.props.get(name, "")
        inputs: dict[str, Any] = {"title": self.base["title"], "name": name, "sentence": line or "none",
                                  "notes": self.notes}
        d = self.v.run("prop", inputs, PlaceDraft, lambda: PlaceDraft.model_construct(description="", visual=""))
        description = self.v.field(d.description, task="prop", name="description", kind="sentence",
                                   max_chars=bound(Prop, "description"), label=f"look: the {name.lower()} description",
                                   inputs=inputs, fallback=lambda: rule.prop_description(name, line))
        visual = self.v.field(d.visual, task="prop", name="visual", kind="phrase", max_chars=bound(Prop, "visual"),
                              label=f"look: the {name.lower()} visual", inputs=inputs,
                              fallback=lambda: rule.prop_visual(name, line))
        return Prop(name=name, description=description, visual=visual,
                    scenes=self._scenes(lambda s: name in s.props))

    def style(self) -> StyleCapsule:
        inputs: dict[str, Any] = {**self.base, "logline": self.brief.logline or self.brief.title or "none"}
        d = self.v.run("style", inputs, StyleDraft,
                       lambda: StyleDraft.model_construct(medium="", palette="", lighting="", camera=""))
        by_rule = rule.style_from(self.brief.genre, self.brief.tone)
        values = {key: self.v.field(getattr(d, key), task="style", name=key, kind="phrase",
                                    max_chars=bound(StyleCapsule, key), label=f"look: style {key}", inputs=inputs,
                                    fallback=by_rule[key])
                  for key in ("medium", "palette", "lighting", "camera")}
        return StyleCapsule(name=f"{self.brief.title or 'house'} look"[:100], **values)

    def continuity(self, characters: list[str], props: list[str]) -> list[SceneState]:
        script = one_line(" ".join(e.plain for e in self.doc.elements))[:1500]
        inputs: dict[str, Any] = {
            "characters": "; ".join(characters) or "none", "props": "; ".join(props) or "none",
            "scenes": "; ".join(f"{s.number}: {s.heading}" for s in self.breakdown.scenes), "script": script,
            "notes": self.notes, "memory": self.continuity_memory,
        }
        draft = self.v.run("continuity", inputs, ContinuityDraft, ContinuityDraft,
                           label="look: continuity (no changes: the model's answer was not usable)")
        for change in draft.changes:
            change.change = self.v.field(change.change, task="continuity", name="change", kind="phrase",
                                         max_chars=100, label=f"look: continuity in scene {change.scene} (dropped)",
                                         inputs={**inputs, "name": change.name, "scene": str(change.scene)},
                                         fallback="")
        return state_changes(draft, self.breakdown.scenes)


def state_changes(draft: ContinuityDraft, scenes: list[Scene]) -> list[SceneState]:
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
