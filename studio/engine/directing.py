"""A director's message carried out: read into intents (studio.intents), each done in the order said.

Every part is done or the Producer says which part could not be done and why. A change is scoped: it touches the
look, one scene or one shot, and what it makes out of date is said shot by shot, with what redoing it costs.
Only an explicit approval approves; a message the rules cannot read is asked about, never taken as a yes.
"""

from __future__ import annotations

from typing import Generator, Iterator

from studio.engine import stage_flow
from studio.engine.conversation import Conversation
from studio.engine.describe import CREW_WRITTEN
from studio.engine.events import Event, say
from studio.errors import AuteurError, StageError
from studio.intents import Intent, Known, describe, parse
from studio.models import Look, Treatment, shot_code
from studio.ports import ProjectPort
from studio.stages import Stage, StageStatus

LOOK_TARGETS = ("character", "location", "prop", "style")


def known(conv: Conversation) -> Known:
    """What the parser may know of the open project: its names, scenes and the stage in front of us."""
    store = conv.require_project()
    characters: list[str] = []
    locations: list[str] = []
    props: list[str] = []
    scenes = 0
    try:
        breakdown = store.breakdown()
        scenes = len(breakdown.scenes)
        for scene in breakdown.scenes:
            characters += [*scene.characters, *scene.introduced]
            locations.append(scene.location)
            props += scene.props
        characters += breakdown.characters
    except AuteurError:
        pass
    look = store.read(Stage.LOOK)
    if isinstance(look, Look):
        characters += [c.name for c in look.characters]
        locations += [loc.name for loc in look.locations]
        props += [p.name for p in look.props]
    treatment = store.read(Stage.TREATMENT)
    focus = conv.focus or stage_flow.next_stage(conv)

    def names(items: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n.upper() for n in items if n and n.strip()))

    return Known(characters=names(characters), locations=names(locations), props=names(props), scenes=scenes,
                 scene_focus=conv.scene_focus, focus=focus,
                 has_variants=isinstance(treatment, Treatment) and len(treatment.variants) > 1)


def read(conv: Conversation, text: str) -> tuple[list[Intent], Known]:
    """A director's message read into intents, with what the parser knew of the project."""
    know = known(conv)
    return parse(text, know), know


def target_kind(intent: Intent, know: Known) -> str:
    """What a change is about: a character, location, prop, the style, a scene or a shot."""
    if intent.target in ("scene", "shot", "style"):
        return intent.target
    name = intent.target.upper()
    if name in know.characters:
        return "character"
    if name in know.locations:
        return "location"
    if name in know.props:
        return "prop"
    return ""


def direct(conv: Conversation, text: str, reading: tuple[list[Intent], Known] | None = None) -> Iterator[Event]:
    """Everything a director's message asks for, in order. ``reading``: the message as `read` read it already."""
    intents, know = reading if reading is not None else read(conv, text)
    if all(i.kind == "unclear" for i in intents):
        yield from clarify(conv, text, know)
        return
    not_done: list[str] = []
    changed = False
    # An approval comes last, and only when everything else said with it was done.
    intents = [i for i in intents if i.kind != "approve"] + [i for i in intents if i.kind == "approve"]
    k = 0
    while k < len(intents):
        intent = intents[k]
        if intent.kind == "change" and intent.target == "shot" and intent.shot is not None:
            group = [intent]  # the changes of one shot said together are one change
            while k + 1 < len(intents) and intents[k + 1].kind == "change" and intents[k + 1].shot == intent.shot:
                k += 1
                group.append(intents[k])
            try:
                yield from _shot_change(conv, group)
                changed = True
            except AuteurError as exc:
                not_done.append(f"{describe(intent)}: {_reason(exc)}")
        elif intent.kind == "unclear":
            not_done.append(f"I did not understand \u201c{intent.value or intent.text}\u201d")
        elif intent.kind == "approve" and not_done:
            what = intent.stage.value if intent.stage else "stage"
            not_done.append(f"I did not approve the {what}, since the rest of your message was not all done")
        else:
            try:
                done = yield from _one(conv, intent, know)
                changed = changed or done
            except AuteurError as exc:
                if len(intents) == 1:
                    raise
                not_done.append(f"{describe(intent)}: {_reason(exc)}")
        k += 1
    if changed and not any(i.kind == "render" for i in intents):  # a render asked for is the answer to it
        yield from stale_after_change(conv)
    if not_done:
        yield say("Not done: " + " ".join(s.rstrip(".") + "." for s in not_done), data={"not_done": not_done})


def _reason(exc: AuteurError) -> str:
    fix = exc.fix.strip()
    return f"{exc.problem}. {fix[:1].upper()}{fix[1:]}" if fix else exc.problem


def _one(conv: Conversation, intent: Intent, know: Known) -> Generator[Event, None, bool]:  # noqa: C901
    """One intent; returns whether it changed the project's look or shots (generator return value)."""
    kind = intent.kind
    if kind == "approve":
        yield from stage_flow.approve(conv, intent.stage)
    elif kind == "affirm":
        yield from affirm(conv, praise=intent.value == "praise")
    elif kind == "revise":
        stage = intent.stage or stage_flow.revisable(conv)
        yield from stage_flow.revise(conv, intent.value or intent.text, stage)
    elif kind == "change":
        yield from _change(conv, intent, know)
        return True
    elif kind == "ask":
        from studio.engine.answers import answer

        yield from answer(conv, intent)
    elif kind == "show":
        yield from show(conv, intent)
    elif kind == "navigate":
        yield from navigate(conv, intent)
    elif kind == "render":
        yield from render(conv, intent)
    elif kind == "undo":
        yield from undo(conv)
        return True
    elif kind == "pick":
        if not stage_flow.has_variants(conv):
            raise StageError("there are no treatment variants to pick from", "say /variants to see the treatment")
        yield from stage_flow.pick(conv, intent.number or 1)
    elif kind == "write":
        yield from write(conv, intent)
    elif kind == "status":
        yield from conv.run_command("/status")
    elif kind == "help":
        yield from conv.run_command("/help")
    return False


# ---------------------------------------------------------------- changes


def _change(conv: Conversation, intent: Intent, know: Known) -> Iterator[Event]:
    from studio.scoped import change_look, change_scene

    store = conv.require_project()
    what = target_kind(intent, know)
    if what not in ("scene", "shot") and intent.value.strip() and not isinstance(store.read(Stage.LOOK), Look):
        # Nothing to change yet: the words are kept, and the Art Director drafts the look with them.
        store.record_decision(intent.text, stage=Stage.LOOK, who=conv.user)
        yield say(f"There is no look yet: I kept \u201c{intent.text[:120]}\u201d as a decision, and the Art "
                  "Director will work from it when the look is drafted.", stage="look",
                  data={"decision": intent.text[:1000]})
        return
    if not what:
        raise StageError(f"I could not tell who or what \u201c{intent.text}\u201d is about",
                         "name the character, place, prop, scene or shot, e.g. 'make Nell's coat red'")
    if not intent.value.strip():
        raise StageError(f"I could not tell what {intent.target or 'it'} should become",
                         "say the new value, e.g. 'Nell wears a red coat'")
    author = store.user()
    if what == "scene":
        if intent.scene is None:
            raise StageError("I could not tell which scene", "name it, e.g. 'set scene 2 at dawn'")
        done = change_scene(store, intent.scene, intent.aspect, intent.value, author=author)
        stage = Stage.SHOTS
        lead = "Cinematographer"
    else:
        done = change_look(store, intent.target, intent.aspect, intent.value, scene=intent.scene,
                           from_scene=intent.from_scene, author=author)
        stage = Stage.LOOK
        lead = "Art Director"
    store.record_decision(intent.text, stage=stage, who=conv.user)
    n = len(done.prompts)
    prompts = f" {n} prompt{'s' if n != 1 else ''} assembled again ({_codes(done.prompts)})." if n else ""
    said = done.said[:1].upper() + done.said[1:]
    yield say(f"{said}.{prompts}", author=lead, stage=stage.value,
              data={"commit": done.commit, "prompts": done.prompts, "change": _intent_data(intent)})
    for part in done.not_done:
        yield say(part, author=lead, stage=stage.value, data={"not_done": [part]})


def _shot_change(conv: Conversation, group: list[Intent]) -> Iterator[Event]:
    from studio.engine.shot_requests import apply_shot_changes

    first = group[0]
    assert first.shot is not None
    scene, number = first.shot
    changes: dict[str, str] = {}
    for intent in group:
        field, value = SHOT_FIELDS.get(intent.aspect, ""), intent.value
        if not field:
            raise StageError(f"a shot has no {intent.aspect!r} to change",
                             "change its size, angle, move, lens, duration, time of day or mood")
        changes[field] = value
    words = "; ".join(dict.fromkeys(i.text for i in group))
    conv.scene_focus = scene
    store = conv.require_project()
    typed = _typed(_relative(store, scene, number, changes))
    yield from apply_shot_changes(conv, scene, number, typed, words)
    store.record_decision(words, stage=Stage.SHOTS, who=conv.user)  # kept once done, for recall


SIZE_STEPS = ["ECU", "CU", "MCU", "MS", "MLS", "WS", "EWS"]  # tightest to widest
WIDER = {"wider", "wide", "looser", "further", "farther", "back"}
TIGHTER = {"tighter", "closer", "tight", "close", "nearer", "in"}


def _relative(store: ProjectPort, scene: int, number: int, changes: dict[str, str]) -> dict[str, str]:
    """'wider', 'tighter', 'shorter', 'longer': a step from what the shot is now."""
    if not any(changes.get(k, "").lower() in WIDER | TIGHTER | {"shorter", "longer"}
               for k in ("size", "duration_s")):
        return changes
    shots = store.read(Stage.SHOTS)
    shot = next((s for s in getattr(shots, "shots", []) if (s.scene, s.number) == (scene, number)), None)
    if shot is None:
        raise StageError(f"there is no shot {shot_code(scene, number)}", f"see /shots {scene}")
    out = dict(changes)
    size = changes.get("size", "").lower()
    if size in WIDER | TIGHTER:
        at = SIZE_STEPS.index(shot.size.value)
        to = at + 1 if size in WIDER else at - 1
        if not 0 <= to < len(SIZE_STEPS):
            raise StageError(f"{shot.code} is already {'the widest' if size in WIDER else 'the tightest'} size "
                             f"({shot.size.value})", "try a lens instead, e.g. 'on a 14mm' or 'on a 100mm'")
        out["size"] = SIZE_STEPS[to]
    length = changes.get("duration_s", "").lower()
    if length in ("shorter", "longer"):
        out["duration_s"] = str(round(shot.duration_s * (2 / 3 if length == "shorter" else 1.5), 1))
    return out


SHOT_FIELDS = {"size": "size", "angle": "angle", "movement": "movement", "lens": "lens_mm", "duration": "duration_s",
               "time_of_day": "time_of_day", "mood": "mood"}


def _typed(changes: dict[str, str]) -> dict[str, object]:
    """The parser's words as the shot's field types."""
    from studio.models import Angle, Movement, ShotSize

    out: dict[str, object] = {}
    for key, value in changes.items():
        try:
            if key == "size":
                out[key] = ShotSize(value)
            elif key == "angle":
                out[key] = Angle(value)
            elif key == "movement":
                out[key] = Movement(value)
            elif key == "lens_mm":
                out[key] = max(8, min(600, int(float(value))))
            elif key == "duration_s":
                out[key] = max(0.5, min(600.0, float(value)))
            else:
                out[key] = value
        except ValueError:
            raise StageError(f"{value!r} is not a {key.replace('_', ' ')} I know",
                             "say it in words a crew uses: a close-up, a low angle, a push-in, 85mm, 4 seconds") from None
    return out


def stale_after_change(conv: Conversation) -> Iterator[Event]:
    """What the change made out of date, shot by shot, and what redoing it costs."""
    from studio.engine.describe import shot_staleness, staleness_text

    store = conv.require_project()
    stale = shot_staleness(store)
    text = staleness_text(store, conv.renderer, stale)
    if text:
        yield Event("question", text, stage="boards", options=["Render stale", "Not now"] if conv.renderer else [],
                    data={"stale": {"boards": stale.boards, "clips": stale.clips, "cut": stale.cut}})


def affirm(conv: Conversation, praise: bool = False) -> Iterator[Event]:
    """A bare yes answers the question asked last: it approves only when that question was the approval
    question itself (after an estimate the render gate takes it: studio.engine.routing). Praise never approves."""
    asked = conv.asked
    options = [o.lower() for o in asked.options] if asked is not None else []
    approval = asked.data.get("approval") if asked is not None else None
    if approval in {s.value for s in Stage} and not praise:
        yield from stage_flow.approve(conv, Stage(approval))
    elif praise:  # praise is no approval, even of the stage offered: the word is asked for
        stage = stage_flow.next_stage(conv)
        waiting = stage is not None and conv.require_project().manifest().status(stage) is StageStatus.DRAFT
        yield Event("question", "Glad you like it. " + (f"Say 'approve' to approve the {stage.value}, or tell me "
                                                         "what to change." if waiting and stage else
                                                         "Say 'next' to go on, or tell me what to change."),
                    stage=stage.value if stage else None, options=["Approve"] if waiting else ["Next"])
    elif "next" in options:
        yield from stage_flow.go_next(conv)
    elif "render boards" in options:
        yield from conv.run_command("/render boards")
    elif "render stale" in options:
        yield from conv.run_command("/render stale")
    else:
        stage = stage_flow.next_stage(conv)
        waiting = stage is not None and conv.require_project().manifest().status(stage) is StageStatus.DRAFT
        yield Event("question", "Yes to what? " + (f"Say 'approve' to approve the {stage.value}, " if waiting and stage
                                                   else "") + "say 'next' to go on, or tell me what to change.",
                    stage=stage.value if stage else None, options=(["Approve"] if waiting else []) + ["Next"])


def undo(conv: Conversation) -> Iterator[Event]:
    store = conv.require_project()
    change, what = store.undo(author=store.user())
    summary = what.split(": ", 1)[-1]
    # A review note whose fix this took back is open again (memory.undo names them in the commit's trailer).
    trailers: dict[str, str] = getattr(change, "trailers", None) or {}
    reopened = [n.strip() for n in trailers.get("Auteur-Reopens", "").split(",") if n.strip()]
    again = (f" Review note{'s' if len(reopened) > 1 else ''} {', '.join(reopened)} "
             f"{'are' if len(reopened) > 1 else 'is'} open again: {'their' if len(reopened) > 1 else 'its'} fix "
             f"was undone (/notes)." if reopened else "")
    yield say(f"Undone: {summary}. Everything it changed is back as it was (the history keeps both).{again}",
              data={"commit": change.commit, "undone": what, "reopened": reopened})


def write(conv: Conversation, intent: Intent) -> Iterator[Event]:
    """A writer's request on the script or the beats, done as its command (/scene, /beat, /line) is."""
    how, n, to, value = intent.aspect, intent.scene, intent.to, intent.value
    if intent.target == "scene":
        line = {"cut": f"/scene cut {n}", "move": f"/scene move {n} {value} {to}",
                "rewrite": f"/scene rewrite {n} {value}"}[how]
    elif intent.target == "beat":
        k = intent.number
        line = {"split": f"/beat split {k}" + (f" at {value}" if value else ""), "merge": f"/beat merge {k} {to}",
                "move": f"/beat move {k} {value} {to}"}[how]
    elif how == "speaker":
        line = f"/line {intent.scene}.{intent.number} as {value}"
    else:
        from studio.script_ops import speech_of

        scene = intent.scene or conv.scene_focus
        speech = intent.number
        if speech is None:
            script = conv.require_project().read_script()
            if script is None:
                raise StageError("there is no script yet", "say 'next' until the Screenwriter drafts it")
            speech = speech_of(script.fountain, scene, intent.value)
        line = f"/line {scene}.{speech} punch up"
    yield from conv.run_command(line.strip())


def _codes(codes: list[str], shown: int = 5) -> str:
    return ", ".join(codes[:shown]) + (f" and {len(codes) - shown} more" if len(codes) > shown else "")


def _intent_data(intent: Intent) -> dict[str, object]:
    return {"target": intent.target, "aspect": intent.aspect, "value": intent.value, "scene": intent.scene,
            "from_scene": intent.from_scene}


# ---------------------------------------------------------------- questions, showing, moving, rendering


def show(conv: Conversation, intent: Intent) -> Iterator[Event]:
    from studio.engine.showing import show_target

    yield from show_target(conv, intent)


def navigate(conv: Conversation, intent: Intent) -> Iterator[Event]:
    target = intent.target
    if target == "next":
        yield from stage_flow.go_next(conv)
    elif target == "stage" and intent.stage is not None:
        from studio.engine.describe import describe as describe_stage

        store = conv.require_project()
        conv.focus = intent.stage
        status = store.manifest().status(intent.stage)
        yield say(f"Back to the {intent.stage.value} ({status.value}). {describe_stage(store, intent.stage)}",
                  author=intent.stage.lead, stage=intent.stage.value)
        if status is not StageStatus.EMPTY and intent.stage in CREW_WRITTEN:
            yield Event("question", f"Tell me what to change in the {intent.stage.value}, or approve it.",
                        stage=intent.stage.value, options=["Revise"] + (
                            ["Approve"] if status is StageStatus.DRAFT else []))
    elif target == "open":
        yield from conv.run_command(f"/open {intent.value}".strip())
    elif target == "branch":
        if not intent.value.strip():
            raise StageError("a new branch needs a name", "e.g. 'branch this as red coat'")
        yield from conv.run_command(f"/branch new {_branch_name(intent.value)}")
    elif target == "switch":
        yield from conv.run_command(f"/branch switch {_branch_name(intent.value)}")
    else:
        raise StageError("I could not tell where to go", "say 'next', 'back to the look', or /open PROJECT")


def _branch_name(words: str) -> str:
    """'red coat' → 'red-coat': a branch's name as Git takes it (the store checks it again)."""
    import re

    return re.sub(r"[^a-z0-9._-]+", "-", words.strip().lower()).strip("-.")[:60] or "branch"


def render(conv: Conversation, intent: Intent) -> Iterator[Event]:
    from studio.engine.render_gate import ask_render
    from studio.render import RenderKind

    tier = f" {intent.value}" if intent.value else ""
    scene = f" scene {intent.scene}" if intent.scene else ""
    if intent.target == "shot" and intent.shot is not None:
        conv.scene_focus = intent.shot[0]
        yield from ask_render(conv, RenderKind.BOARD, shots=[intent.shot], tier=intent.value or None, activate=True)
    elif intent.target == "cut":
        yield from conv.run_command("/render cut")
    elif intent.target == "stale":
        yield from conv.run_command("/render stale" + tier)
    elif intent.target in ("boards", "clips"):
        yield from conv.run_command(f"/render {intent.target}{scene}{tier}")
    else:
        raise StageError("I could not tell what to render", "say 'render the boards', 'render shot 1.2' or 'cut'")


def clarify(conv: Conversation, text: str, know: Known) -> Iterator[Event]:
    """A message the rules could not read: asked about, never taken as a yes. A model that can do more than
    fill slots reads it first, and its reading shapes the question."""
    from studio.engine.clarify import question

    yield question(conv, text, know)


__all__ = ["direct", "known", "shot_code"]
