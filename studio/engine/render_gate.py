"""The render gate: a batch's estimate is shown and nothing renders until the person says so; then the
batch runs, each job's progress comes back as `progress` events and every take made as an `artifact`."""

from __future__ import annotations

import queue
import re
import threading
from typing import Any, Callable, Iterator

from studio.engine.conversation import Conversation, PendingRender
from studio.engine.events import Event, say
from studio.errors import AuteurError, StageError
from studio.models import ActiveTakes, TakeKind, shot_code
from studio.ports import ProjectPort, RenderBatch, RenderPort
from studio.render import JobEvent, JobState, JobStatus, RenderKind
from studio.shot_codes import SHOT_RE, parse_shot
from studio.sound import TEMP_LABEL
from studio.stages import Stage

KIND_WORDS = {"boards": RenderKind.BOARD, "board": RenderKind.BOARD, "frames": RenderKind.BOARD,
              "storyboard": RenderKind.BOARD, "clips": RenderKind.CLIP, "clip": RenderKind.CLIP,
              "video": RenderKind.CLIP, "videos": RenderKind.CLIP, "animatic": RenderKind.CLIP,
              "sound": RenderKind.SOUND, "audio": RenderKind.SOUND}
STAGE_WORDS = {RenderKind.BOARD: "boards", RenderKind.CLIP: "clips", RenderKind.SOUND: "sound"}
RENDER_YES = re.compile(r"^\s*(render|render it|go|yes|yeah|yep|ok(ay)?|sure|go ahead|do it|confirm)[\s.!]*$", re.I)
RENDER_NO = re.compile(r"^\s*(not now|no|cancel|stop|later|don'?t)[\s.!]*$", re.I)


def parse_render_args(args: str) -> tuple[str, int | None, str | None, bool]:
    """'clips scene 2 tier standard yes' → ("clips", 2, "standard", True)."""
    words = args.lower().replace("--", "").split()
    what = words[0] if words else "boards"
    scene: int | None = None
    tier: str | None = None
    yes = False
    i = 1
    while i < len(words):
        w = words[i]
        if w in ("scene", "sc") and i + 1 < len(words) and words[i + 1].isdigit():
            scene, i = int(words[i + 1]), i + 2
            continue
        if w == "tier" and i + 1 < len(words):
            tier, i = words[i + 1], i + 2
            continue
        if w in ("yes", "y", "now"):
            yes = True
        elif w.isdigit() and scene is None:
            scene = int(w)
        else:
            tier = tier or w
        i += 1
    return what, scene, tier, yes


def shot_words(args: str) -> tuple[list[tuple[int, int]], str]:
    """'boards S01_SH003 1.4 yes' → ([(1, 3), (1, 4)], 'boards yes'): the shots a render names, and the rest of its
    words for parse_render_args."""
    shots: list[tuple[int, int]] = []
    rest: list[str] = []
    for word in args.split():
        if SHOT_RE.match(word):
            shots.append(parse_shot(word))
        else:
            rest.append(word)
    return list(dict.fromkeys(shots)), " ".join(rest)


def ask_render(conv: Conversation, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
               shots: list[tuple[int, int]] | None = None, prompt: str | None = None,
               confirm: bool = True, activate: bool = False) -> Iterator[Event]:
    """The gate: show what the batch costs and wait for a yes (unless told to go). ``activate``: each take made
    becomes its shot's active one, and the Producer says so (a person asked for this render of this shot)."""
    store = conv.require_project()
    tier = tier or conv.quality_tier
    plan = conv.require_renderer().plan(store, kind, scene=scene, tier=tier, shots=shots, prompt=prompt,
                                        activate=activate)
    for notice in plan.notices:
        yield say(notice, author="Producer", data={"notice": "render-fallback"})
    conv.pending_render = PendingRender(kind, scene, tier, shots, prompt, plan, activate)
    if not confirm or conv.auto_approve:
        yield from run_pending(conv, fresh=True)
        return
    yield estimate_question(conv.pending_render)


def estimate_question(pending: PendingRender) -> Event:
    """The gate's question: what the batch costs, Render or Not now."""
    plan = pending.plan
    extra = ""
    if pending.kind is RenderKind.CLIP and plan.missing_boards:
        extra = f" {len(plan.missing_boards)} shots have no board yet: the Cinematographer draws those first."
    if pending.kind is RenderKind.SOUND and not plan.specs:
        extra = " Every line and cue already has an up-to-date take: rendering only mixes a preview."
    return Event("question", f"Estimate: {plan.estimate.text}.{extra} Render?", author="Producer",
                 stage=_stage(pending.kind), options=["Render", "Not now"],
                 data={"estimate": plan.estimate.model_dump(mode="json"), "jobs": len(plan.specs)})


def declined(pending: PendingRender) -> str:
    """What the Producer says when the person says no to an estimate: how to ask for the same render later.
    'Fine, nothing rendered. Say "render shot 1.2" when you want it.'"""
    stage = _stage(pending.kind)
    if pending.shots and len(pending.shots) == 1 and pending.kind is RenderKind.BOARD:
        scene, number = pending.shots[0]
        return f"Fine, nothing rendered. Say 'render shot {scene}.{number}' when you want it."
    scenes = {s for s, _ in pending.shots or []} or ({pending.scene} if pending.scene is not None else set())
    where = f" scene {next(iter(scenes))}" if len(scenes) == 1 else ""
    return f"Fine, nothing rendered. Say /render {stage}{where} when you want them."


def tool_gate(conv: Conversation) -> Callable[[RenderKind | None, list[tuple[int, int]], str | None, Any], bool]:
    """The gate for the agents' render tools (tools.render.crew_tools): a render an agent asks for waits, with
    its estimate, for the person's yes like any other (True only when the conversation approves on its own).
    ``kind`` None is a reference image, which the person asks for with /reference."""

    def gate(kind: RenderKind | None, shots: list[tuple[int, int]], prompt: str | None, plan: Any) -> bool:
        if conv.auto_approve:
            return True
        if kind is not None and plan is not None:
            activate = any(getattr(spec, "activate", False) for spec in plan.specs)  # one shot, asked for
            conv.pending_render = PendingRender(kind, None, None, list(shots), prompt, plan, activate)
        return False

    return gate


def run_pending(conv: Conversation, *, fresh: bool = False) -> Iterator[Event]:
    """Run the batch the person agreed to, streaming each job's progress, then show the takes.
    ``fresh``: its plan was just made (no question asked in between)."""
    pending = conv.pending_render
    conv.pending_render = None
    if pending is None:
        raise StageError("there is no render waiting for a yes", "ask for one: /render boards, /render clips")
    store = conv.require_project()
    renderer = conv.require_renderer()
    stage = _stage(pending.kind)
    crew = "Producer" if pending.kind is RenderKind.SOUND else "Cinematographer"
    if not fresh:  # plan again: the shot list or the prompts may have changed since the estimate
        pending.plan = renderer.plan(store, pending.kind, scene=pending.scene, tier=pending.tier,
                                     shots=pending.shots, prompt=pending.prompt, activate=pending.activate)
    events: queue.Queue[JobEvent | None] = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["batch"] = renderer.run(store, pending.kind, scene=pending.scene, tier=pending.tier,
                                            shots=pending.shots, prompt=pending.prompt, on_event=events.put,
                                            prepared=pending.plan, activate=pending.activate)
        except BaseException as exc:  # handed to the conversation below
            outcome["error"] = exc
        finally:
            events.put(None)

    threading.Thread(target=work, name="auteur-render-batch", daemon=True).start()
    yield Event("progress", f"The {crew} starts {_count(len(pending.plan.specs), stage)}…",
                author=crew, stage=stage, data={"state": "running", "jobs": len(pending.plan.specs)})
    while (job := events.get()) is not None:
        yield Event("progress", f"{job.label}: {job.message or job.status.value}", author=crew,
                    stage=stage, data={"job": job.id, "label": job.label, "progress": job.progress,
                                       "status": job.status.value, "take": job.take, "message": job.message})
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, AuteurError):
            raise exc
        raise AuteurError(f"the render stopped: {exc}", "render again; finished takes are kept")
    batch = outcome["batch"]
    yield Event("progress", f"{stage} done", author=crew, stage=stage, data={"state": "done"})
    if pending.kind is RenderKind.SOUND:
        yield from sound_done(store, renderer, batch, pending.scene)
        return
    done = [s for s in batch.boards_first + batch.states if s.status is JobStatus.DONE and s.take]
    for state in done:
        media = "image" if state.take.endswith(".png") else "video"
        yield Event("artifact", f"{state.spec.label}: {state.take.rsplit('/', 1)[-1]}", author="Cinematographer",
                    stage="boards" if media == "image" else "clips",
                    data={"path": store.locate(state.take), "media": media, "job": state.id,
                          "shot": shot_code(state.spec.scene or 1, state.spec.shot or 1)})
    for state in done:
        if state.spec.activate and state in batch.states:
            yield from _now_active(store, state)
    failed = batch.failed
    summary = f"{_count(len(batch.states) - len([s for s in batch.states if s in failed]), stage)} rendered"
    if failed:
        summary += f"; {len(failed)} did not finish ({failed[0].spec.label}: {failed[0].error or failed[0].status.value})"
    kept = _kept_choices(store, [s for s in done if s in batch.states and not s.spec.activate])
    if kept:
        summary += f". {kept}"
    # The boards (or clips) can be approved when their batch ends, beside going on.
    options = ["Render clips", "Cut", "Approve boards"] if pending.kind is RenderKind.BOARD else \
        ["Cut", "Approve clips"]
    yield Event("question", f"{summary}. Pick takes with /takes SHOT, or go on.", author="Producer", stage=stage,
                options=options, data={"rendered": len(done), "jobs": len(batch.boards_first) + len(batch.states),
                                       "failed": [{"label": s.spec.label, "error": s.error or s.status.value}
                                                  for s in failed]})


def _stage(kind: RenderKind) -> str:
    return STAGE_WORDS.get(kind, "clips")


def _count(n: int, stage: str) -> str:
    """'1 board', '3 boards', '1 clip', '4 sound takes'."""
    if stage == "sound":
        return f"{n} sound take{'s' if n != 1 else ''}"
    return f"{n} {stage if n != 1 else stage.removesuffix('s')}"


def sound_done(store: ProjectPort, renderer: RenderPort, batch: RenderBatch, scene: int | None) -> Iterator[Event]:
    """After a sound batch: the shots refitted to their voices, a mixed preview to listen to, and what was made
    (the takes in the data, for a face that lists them)."""
    notes = list(getattr(batch, "notes", []) or [])
    if notes:
        shown = "; ".join(notes[:6]) + (f"; and {len(notes) - 6} more" if len(notes) > 6 else "")
        yield say(f"I fitted {len(notes)} shot{'s' if len(notes) != 1 else ''} to the length of their lines: "
                  f"{shown}. The cut and the timelines follow (/render cut).", author="Producer", stage="shots",
                  data={"refit": notes})
    for why in list(getattr(batch, "fallbacks", []) or [])[:4]:
        yield say(why, author="Producer", stage="sound", data={"notice": "sound-fallback"})
    done = [s for s in batch.states if s.status is JobStatus.DONE and s.take]
    where = f"scene {scene}" if scene is not None else "the film"
    try:
        preview = renderer.sound_preview(store, scene=scene)
        name = preview.rsplit("/", 1)[-1]
        temp = f" ({TEMP_LABEL}: the effects and score are a CPU temp track)" if TEMP_LABEL in name else ""
        yield Event("artifact", f"The sound of {where}, mixed{temp}: {name}", author="Producer",
                    stage="sound", data={"path": store.locate(preview), "media": "audio", "scene": scene})
    except AuteurError as exc:
        yield say(f"No preview to play: {exc.problem}. {exc.fix}", author="Producer", stage="sound")
    failed = batch.failed
    summary = f"{_count(len(done), 'sound')} rendered"
    if failed:
        summary += f"; {len(failed)} did not finish ({failed[0].spec.label}: {failed[0].error or failed[0].status.value})"
    yield Event("question", f"{summary}. Listen to a line with /takes SHOT, change a voice with /voice NAME, or cut.",
                author="Producer", stage="sound", options=["Cut", "/voice"],
                data={"rendered": len(done), "jobs": len(batch.states), "refit": notes,
                      "takes": [{"key": s.spec.subject, "path": s.take, "job": s.id} for s in done],
                      "failed": [{"label": s.spec.label, "error": s.error or s.status.value} for s in failed]})


def _kept_choices(store: ProjectPort, done: list[JobState]) -> str:
    """'S01_SH002 keeps your take 1; take 3 is there too: /take S01_SH002 3': the shots of a batch whose active
    take the person chose (/take), which the batch left active beside its new take."""
    chosen: dict[TakeKind, list[str]] = {}
    for kind, stage in ((TakeKind.IMAGE, Stage.BOARDS), (TakeKind.VIDEO, Stage.CLIPS)):
        found = store.read(stage)
        chosen[kind] = found.chosen if isinstance(found, ActiveTakes) else []
    said: list[str] = []
    for state in done:
        scene, number = state.spec.scene or 1, state.spec.shot or 1
        takes = store.takes(scene, number)
        new = next((t for t in takes if t.path == state.take), None)
        code = shot_code(scene, number)
        if new is None or new.active or code not in chosen[new.kind]:
            continue
        mine = next((t for t in takes if t.kind is new.kind and t.active), None)
        if mine is not None:
            said.append(f"{code} keeps your take {mine.number}; take {new.number} is there too: "
                        f"/take {code} {new.number}")
    if len(said) > 3:
        said = [*said[:3], f"{len(said) - 3} more shots keep the take you chose too (/takes SHOT)"]
    return ". ".join(said)


def _now_active(store: ProjectPort, state: JobState) -> Iterator[Event]:
    """'S01_SH002 take 3 is now the active board: the storyboard and the cut use it.', when the take made at the
    person's request is the shot's active one now (as the project has it, not as the job meant it)."""
    scene, number = state.spec.scene or 1, state.spec.shot or 1
    takes = store.takes(scene, number)
    take = next((t for t in takes if t.path == state.take), None)
    if take is None or not take.active:
        return
    code = shot_code(scene, number)
    board = take.kind is TakeKind.IMAGE
    clip = next((t for t in takes if t.kind is TakeKind.VIDEO and t.active), None)
    if board and clip is not None:  # the cut shows a shot's clip over its board
        text = (f"{code} take {take.number} is now the active board: the storyboard uses it; the cut shows its "
                f"clip (take {clip.number}) until you render a new one (/render clips scene {scene}).")
    elif board:
        text = f"{code} take {take.number} is now the active board: the storyboard and the cut use it."
    else:
        text = f"{code} take {take.number} is now the active clip: the cut uses it."
    yield say(text, author="Producer", stage="boards" if board else "clips",
              data={"active": {"shot": code, "take": take.number, "kind": take.kind.value}})
