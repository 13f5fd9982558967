"""Renders in the conversation: the budget gate, live job progress, takes, references and the cut.

The engine asks the render port (tools.render.service.RenderService) for a plan,
shows its estimate, and renders only when the person says so. Progress of
each job comes back as `progress` events while the batch runs; every take made
comes back as an `artifact` event with its file.
"""

from __future__ import annotations

import queue
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from studio.errors import AuteurError, StageError
from studio.models import TakeKind, shot_code
from studio.render import JobStatus, RenderKind

if TYPE_CHECKING:
    from studio.session import Event, Session

KIND_WORDS = {"boards": RenderKind.BOARD, "board": RenderKind.BOARD, "frames": RenderKind.BOARD,
              "storyboard": RenderKind.BOARD, "clips": RenderKind.CLIP, "clip": RenderKind.CLIP,
              "video": RenderKind.CLIP, "videos": RenderKind.CLIP, "animatic": RenderKind.CLIP}
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp")
RENDER_YES = re.compile(r"^\s*(render|render it|go|yes|yeah|yep|ok(ay)?|sure|go ahead|do it|confirm)[\s.!]*$", re.I)
RENDER_NO = re.compile(r"^\s*(not now|no|cancel|stop|later|don'?t)[\s.!]*$", re.I)


@dataclass
class PendingRender:
    kind: RenderKind
    scene: int | None
    tier: str | None
    shots: list[tuple[int, int]] | None
    prompt: str | None
    plan: Any


def _ev():
    from studio.session import Event, say

    return Event, say


def parse_render_args(args: str) -> tuple[str, int | None, str | None, bool]:
    """'clips scene 2 tier standard yes' → ("clips", 2, "standard", True)."""
    words = args.lower().replace("--", "").split()
    what = words[0] if words else "boards"
    scene = tier = None
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


def require_renderer(session: Session):
    if session.renderer is None:
        raise StageError("rendering is not available in this studio", "use `auteur render boards` in a terminal")
    return session.renderer


def ask_render(session: Session, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
               shots: list[tuple[int, int]] | None = None, prompt: str | None = None,
               confirm: bool = True) -> Iterator[Event]:
    """The budget gate: show what the batch costs and wait for a yes (unless told to go)."""
    Event, say = _ev()
    store = session.require_project()
    tier = tier or session.quality_tier
    plan = require_renderer(session).plan(store, kind, scene=scene, tier=tier, shots=shots, prompt=prompt)
    for notice in plan.notices:
        yield say(notice, author="Producer", data={"notice": "render-fallback"})
    session.pending_render = PendingRender(kind, scene, tier, shots, prompt, plan)
    extra = ""
    if kind is RenderKind.CLIP and plan.missing_boards:
        extra = f" {len(plan.missing_boards)} shots have no board yet: the Cinematographer draws those first."
    if not confirm or session.auto_approve:
        yield from run_pending(session, fresh=True)
        return
    yield Event("question", f"Estimate: {plan.estimate.text}.{extra} Render?", author="Producer",
                stage="boards" if kind is RenderKind.BOARD else "clips", options=["Render", "Not now"],
                data={"estimate": plan.estimate.model_dump(mode="json"), "jobs": len(plan.specs)})


def run_pending(session: Session, *, fresh: bool = False) -> Iterator[Event]:
    """Run the batch the person agreed to, streaming each job's progress, then show the takes.
    ``fresh``: its plan was just made (no question asked in between)."""
    Event, say = _ev()
    pending = session.pending_render
    session.pending_render = None
    if pending is None:
        raise StageError("there is no render waiting for a yes", "ask for one: /render boards, /render clips")
    store = session.require_project()
    renderer = require_renderer(session)
    stage = "boards" if pending.kind is RenderKind.BOARD else "clips"
    if not fresh:  # plan again: the shot list or the prompts may have changed since the estimate
        pending.plan = renderer.plan(store, pending.kind, scene=pending.scene, tier=pending.tier,
                                     shots=pending.shots, prompt=pending.prompt)
    events: queue.Queue = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["batch"] = renderer.run(store, pending.kind, scene=pending.scene, tier=pending.tier,
                                            shots=pending.shots, prompt=pending.prompt, on_event=events.put,
                                            prepared=pending.plan)
        except BaseException as exc:  # handed to the conversation below
            outcome["error"] = exc
        finally:
            events.put(None)

    threading.Thread(target=work, name="auteur-render-batch", daemon=True).start()
    yield Event("progress", f"The Cinematographer starts {len(pending.plan.specs)} {stage}…",
                author="Cinematographer", stage=stage, data={"state": "running", "jobs": len(pending.plan.specs)})
    while (job := events.get()) is not None:
        yield Event("progress", f"{job.label}: {job.message or job.status.value}", author="Cinematographer",
                    stage=stage, data={"job": job.id, "label": job.label, "progress": job.progress,
                                       "status": job.status.value, "take": job.take})
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, AuteurError):
            raise exc
        raise AuteurError(f"the render stopped: {exc}", "render again; finished takes are kept")
    batch = outcome["batch"]
    yield Event("progress", f"{stage} done", author="Cinematographer", stage=stage, data={"state": "done"})
    done = [s for s in batch.boards_first + batch.states if s.status is JobStatus.DONE and s.take]
    for state in done:
        media = "image" if state.take.endswith(".png") else "video"
        yield Event("artifact", f"{state.spec.label}: {state.take.rsplit('/', 1)[-1]}", author="Cinematographer",
                    stage="boards" if media == "image" else "clips",
                    data={"path": str(store.path / state.take), "media": media, "job": state.id,
                          "shot": shot_code(state.spec.scene or 1, state.spec.shot or 1)})
    failed = batch.failed
    summary = f"{len(batch.states) - len([s for s in batch.states if s in failed])} {stage} rendered"
    if failed:
        summary += f"; {len(failed)} did not finish ({failed[0].spec.label}: {failed[0].error or failed[0].status.value})"
    options = ["Render clips", "Cut"] if pending.kind is RenderKind.BOARD else ["Cut"]
    yield Event("question", f"{summary}. Pick takes with /takes SHOT, or go on.", author="Producer", stage=stage,
                options=options)


def render_command(session: Session, args: str) -> Iterator[Event]:
    what, scene, tier, yes = parse_render_args(args)
    if what in ("cut", "animatic-cut"):
        yield from cut(session)
        return
    if what not in KIND_WORDS:
        raise StageError(f"I can't render {what!r}", "say /render boards, /render clips or /render cut "
                                                     "(add 'scene N' or a tier: sketch, draft, standard, cinematic)")
    yield from ask_render(session, KIND_WORDS[what], scene=scene, tier=tier, confirm=not yes)


def cut(session: Session) -> Iterator[Event]:
    Event, say = _ev()
    store = session.require_project()
    yield Event("progress", "The Producer is assembling the cut…", author="Producer", stage="cut",
                data={"state": "running"})
    made = require_renderer(session).cut(store)
    yield Event("progress", "cut done", author="Producer", stage="cut", data={"state": "done"})
    yield Event("artifact", f"The cut: {len(made.entries)} shots, {made.duration_s:g} s at {made.fps:g} fps.",
                author="Producer", stage="cut",
                data={"path": str(store.path / made.path), "media": "video", "duration_s": made.duration_s})


def list_takes(session: Session, args: str) -> Iterator[Event]:
    Event, say = _ev()
    store = session.require_project()
    if not args.strip():
        raise StageError("/takes needs a shot", "e.g. /takes S01_SH003 or /takes 1.3")
    scene, shot = session._parse_shot(args.strip())
    takes = store.takes(scene, shot)
    code = shot_code(scene, shot)
    if not takes:
        yield say(f"{code} has no takes yet. /render boards scene {scene} draws them.", author="Cinematographer")
        return
    lines = [f"{'▶' if t.active else ' '} take {t.number} {t.kind.value} — {t.model}, seed {t.seed}: {t.prompt[:80]}"
             for t in takes]
    yield Event("question", f"Takes of {code}:\n" + "\n".join(lines), author="Cinematographer",
                stage="boards", options=[f"/take {code} {t.number}" for t in takes if not t.active],
                data={"takes": [t.model_dump(mode="json") for t in takes]})
    for t in takes:
        media = "image" if t.kind is TakeKind.IMAGE else "video"
        yield Event("artifact", f"{code} take {t.number}{' (active)' if t.active else ''}", author="Cinematographer",
                    stage="boards" if media == "image" else "clips",
                    data={"path": str(store.path / t.path), "media": media, "shot": code, "take": t.number})


def pick_take(session: Session, args: str) -> Iterator[Event]:
    Event, say = _ev()
    store = session.require_project()
    parts = args.split()
    if len(parts) != 2 or not parts[1].isdigit():
        raise StageError("/take needs a shot and a take number", "e.g. /take S01_SH003 2")
    scene, shot = session._parse_shot(parts[0])
    take = store.choose_take(scene, shot, int(parts[1]))
    yield say(f"{shot_code(scene, shot)} now uses take {take.number} ({take.kind.value}).", author="Cinematographer",
              stage="boards" if take.kind is TakeKind.IMAGE else "clips",
              data={"path": str(store.path / take.path), "take": take.number})


def store_reference(session: Session, name: str, data: bytes) -> Iterator[Event]:
    """An uploaded image becomes a reference of the character (or location) its file is named after."""
    _, say = _ev()
    store = session.require_project()
    subject = re.split(r"[_\-. ]+(?:ref|reference|\d+)", name.rsplit(".", 1)[0], flags=re.I)[0].strip(" _-.")
    rel = store.add_reference(subject, name, data)
    yield say(f"Saved {name} as a reference for {subject.upper()}: the boards of shots with "
              f"{subject.upper()} use it where the model supports reference images.", author="Art Director",
              stage="look", data={"path": str(store.path / rel), "media": "image"})


def render_reference(session: Session, args: str) -> Iterator[Event]:
    Event, say = _ev()
    if not args.strip():
        raise StageError("/reference needs a character or location", "e.g. /reference MARA")
    store = session.require_project()
    yield Event("progress", f"The Art Director is drawing {args.strip().upper()}…", author="Art Director",
                stage="look", data={"state": "running"})
    state = require_renderer(session).reference(store, args.strip(), tier=session.quality_tier)
    yield Event("progress", "reference done", author="Art Director", stage="look", data={"state": "done"})
    if state.status is not JobStatus.DONE or not state.take:
        raise AuteurError(f"the reference image of {args.strip().upper()} did not finish: "
                          f"{state.error or state.status.value}", "try again, or upload an image of them")
    yield Event("artifact", f"Reference for {state.spec.subject}: {state.take.rsplit('/', 1)[-1]}",
                author="Art Director", stage="look",
                data={"path": str(store.path / state.take), "media": "image", "job": state.id})


def list_jobs(session: Session, args: str) -> Iterator[Event]:
    _, say = _ev()
    store = session.require_project()
    states = require_renderer(session).runner.jobs(store.slug)
    if not states:
        yield say("No render jobs yet.", author="Producer")
        return
    lines = [f"{s.id[:10]} {s.spec.label:22} {s.status.value:9} {s.progress:4.0%} {s.take or s.error or ''}"
             for s in states[-30:]]
    yield say("\n".join(lines), author="Producer", data={"jobs": [s.model_dump(mode="json") for s in states[-30:]]})


def cancel_job(session: Session, args: str) -> Iterator[Event]:
    _, say = _ev()
    store = session.require_project()
    runner = require_renderer(session).runner
    wanted = args.strip()
    if not wanted:
        raise StageError("/cancel needs a job id", "see /jobs for the ids")
    match = [s for s in runner.jobs(store.slug) if s.id.startswith(wanted)]
    if not match:
        raise StageError(f"there is no render job {wanted}", "see /jobs for the ids")
    state = runner.cancel(match[0].id)
    yield say(f"{match[0].spec.label}: {state.status.value if state else 'gone'}.", author="Producer")
