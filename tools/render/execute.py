"""Run one render job: build the request from the project, render, store the take.

This is what a job runner calls, in the studio's process or on a Celery worker,
bound by `executor` to where projects open and which renderers draw (both made
by the composition root, config.container). It is idempotent: a take whose sidecar carries the job's id is the job done, so
a job redone after a lost worker returns that take instead of making another.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from config.quality import tier as load_tier
from config.settings import Settings
from studio.errors import AuteurError, StageError
from studio.models import ActiveTakes, Prompts, ShotList, Take, TakeKind, shot_code
from studio.project import Author
from studio.render import (ANIMATIC, SKETCH, Cancelled, JobSpec, Progress, RenderKind, RenderRequest, frame_height,
                           json_digest, shot_digest, shot_heading)
from studio.stages import Stage

if TYPE_CHECKING:
    from tools.render.backends import Backends

log = logging.getLogger("auteur.render")
QUEUED = "this job was queued for"
AUTHORS = {RenderKind.BOARD: "Cinematographer", RenderKind.CLIP: "Cinematographer", RenderKind.REFERENCE: "Art Director",
           RenderKind.SOUND: "Producer"}


def find_done(store, spec: JobSpec) -> Take | None:
    from memory.takes import Takes

    if spec.scene is None or spec.shot is None:
        return None
    for take in Takes(store).list(spec.scene, spec.shot):
        if take.job_id == spec.id:
            return take
    return None


def executor(open_project: Callable[[str], Any], backends: Backends) -> Callable[..., str]:
    """What a job runner calls: ``execute_job`` bound to where projects open and which renderers draw."""
    return partial(execute_job, open_project=open_project, backends=backends)


def execute_job(settings: Settings, spec: JobSpec, progress: Progress, cancelled: Cancelled, *,
                open_project: Callable[[str], Any], backends: Backends, job_id: str | None = None) -> str:
    """Render ``spec`` and store it as a new take; returns the take's path in the project."""
    from memory.takes import Takes, on_branch

    store = open_project(spec.project)
    if spec.kind is RenderKind.REFERENCE:
        return render_reference(store, spec, progress, cancelled, backends=backends, job_id=job_id)
    if spec.kind is RenderKind.SOUND:  # a dialogue shot's lines or a cue: tools.sound renders and stores it
        from tools.sound.execute import execute_sound

        return execute_sound(store, spec, settings, progress, cancelled, job_id=job_id)
    on_branch(store, spec.branch, QUEUED)  # early, to spare a render; checked again with the write
    done = find_done(store, spec)
    if done is not None:
        log.info("job %s was done before: %s", spec.id, done.path)
        return done.path
    request, renderer, fallback = build_request(store, spec, settings)
    progress(0.0, f"rendering {spec.label} with {renderer}")
    output = backends[renderer].render(request, progress, cancelled)
    params = {**spec.parameters, **output.parameters, "tier": spec.tier, "made_from": made_from(store, request)}
    if fallback:
        params["fallback"] = fallback
    if cancelled():
        from studio.render import JobCancelled

        raise JobCancelled(spec.id)
    assert spec.scene is not None and spec.shot is not None  # build_request refuses a job without its shot
    with store._lock():  # one check-and-add, so two workers never both add the job's take
        done = find_done(store, spec)
        if done is not None:
            return done.path
        takes = Takes(store)
        take = takes.add(spec.scene, spec.shot, output.data, output.suffix,
                         author=Author.agent(AUTHORS[spec.kind]), seed=spec.seed, model=output.model,
                         prompt=request.prompt, negative_prompt=request.negative_prompt, parameters=params,
                         timings=output.timings, job_id=job_id or spec.id, branch=spec.branch,
                         activate=spec.activate or _replaces_stale(takes, spec, params["made_from"]))
    progress(1.0, f"{take.path} saved")
    return take.path


def made_from(store, request: RenderRequest) -> dict[str, str]:
    """What decides a take's picture and caption, for studio.engine.describe.stale_inputs to check against the
    project as it is now: the digest of its shot (as the render used it) and of the shot's prompts entry, and for a
    clip the board take it starts from. The digests are made as studio.engine.describe makes them. ``picture``
    is the shot without its duration (studio.sound_timing): a shot refitted to its voices shows the same picture."""
    from studio.sound_timing import picture_digest

    shot = request.shot
    prompts = store.read(Stage.PROMPTS)
    entry = next((p for p in prompts.prompts if (p.scene, p.number) == (shot.scene, shot.number)), None) \
        if shot is not None and isinstance(prompts, Prompts) else None
    found = {"shot": shot_digest(shot) if shot is not None else "",
             "picture": picture_digest(shot) if shot is not None else "",
             "prompt": json_digest(entry.model_dump_json()) if entry is not None else ""}
    if request.init_image:
        found["board"] = Path(request.init_image).relative_to(store.path).as_posix()
    return found


def _replaces_stale(takes, spec: JobSpec, made: dict[str, str]) -> bool:
    """Whether the new take becomes active (besides a job that says so, one a person asked for): when the active
    one was made from another version of its shot, prompt or board (so redoing stale boards brings the storyboard
    up to date), unless the person chose it; else the person's choice stays."""
    kind = TakeKind.VIDEO if spec.kind is RenderKind.CLIP else TakeKind.IMAGE
    if takes.chosen(spec.scene, spec.shot, kind):
        return False  # the person chose that take (/take): only a render they ask of this shot replaces it
    active = next((t for t in takes.list(spec.scene, spec.shot, kind) if t.active), None)
    recorded = active.parameters.get("made_from") if active is not None else None
    return isinstance(recorded, dict) and recorded != made



def build_request(store, spec: JobSpec, settings: Settings) -> tuple[RenderRequest, str, str]:
    """The request for ``spec``, its renderer, and why it fell back to the CPU (or "")."""
    from tools.render.plan import choose

    if spec.kind is RenderKind.REFERENCE or spec.scene is None or spec.shot is None:
        raise AuteurError("reference-image jobs go through `render_reference`", "render references from the look")
    shots = store.read(Stage.SHOTS)
    shot = next((s for s in shots.shots if s.scene == spec.scene and s.number == spec.shot), None) \
        if isinstance(shots, ShotList) else None
    code = shot_code(spec.scene, spec.shot)
    if shot is None:
        raise StageError(f"{code} is no longer in the shot list", "render the shots of the current shot list")
    renderer = spec.parameters.get("renderer") or (ANIMATIC if spec.kind is RenderKind.CLIP else SKETCH)
    fallback = ""
    p = dict(spec.parameters)
    if renderer == "diffusers":
        # A worker without a GPU or without the model draws on the CPU, and says so in the take.
        tier = load_tier(spec.tier, settings)
        choice = choose(spec.kind, tier, settings, local=True, model=spec.model)
        if choice.renderer != "diffusers":
            renderer, fallback = choice.renderer, choice.notice
            manifest = store.manifest()
            p["width"] = 640
            p["height"] = frame_height(640, manifest.settings.aspect)
            p["fps"] = manifest.settings.fps
            p["duration_s"] = shot.duration_s
    breakdown = store.read(Stage.BREAKDOWN)
    scene = next((s for s in breakdown.scenes if s.number == spec.scene), None) if breakdown else None
    # The caption names the shot's own time of day where it has one ("INT. DINER - DUSK").
    heading = shot_heading(scene.heading, shot.time_of_day, scene.time_of_day or "") if scene else shot.time_of_day
    request = RenderRequest(kind=spec.kind, prompt=spec.prompt, negative_prompt=spec.negative_prompt, seed=spec.seed,
                            model=spec.model if renderer == "diffusers" else renderer,
                            width=int(p.get("width", 640)), height=int(p.get("height", 352)),
                            num_inference_steps=int(p.get("steps", 1)), guidance_scale=float(p.get("guidance", 0.0)),
                            num_frames=int(p.get("frames", 0) or 0), fps=float(p.get("fps", 24.0)),
                            duration_s=float(p.get("duration_s", shot.duration_s)), shot=shot, heading=heading)
    if spec.kind is RenderKind.CLIP:
        board = keyframe(store, spec.scene, spec.shot, spec.parameters.get("board"))
        if board is None and spec.parameters.get("board"):
            raise StageError(f"board take {spec.parameters['board']} of {code}, which this clip starts from, is gone",
                             f"render the clips of scene {spec.scene} again")
        if board is None:
            raise StageError(f"{code} has no board to start its clip from",
                             f"draw it first: `auteur render boards -p {store.slug} --scene {spec.scene}`")
        request.init_image = str(store.path / board.path)
        box = board.parameters.get("frame_box")
        request.init_box = list(box) if box else None
    else:
        _add_character_looks(store, request, shot, settings.models_dir)
    return request, renderer, fallback


def keyframe(store, scene: int, shot: int, number: int | None = None) -> Take | None:
    """The board a clip starts from: the take named, else the shot's active board."""
    from memory.takes import Takes

    if number is None:
        boards = store.read(Stage.BOARDS)
        number = boards.active.get(shot_code(scene, shot)) if isinstance(boards, ActiveTakes) else None
    for take in Takes(store).list(scene, shot, TakeKind.IMAGE):
        if take.number == number:
            return take
    return None


def _add_character_looks(store, request: RenderRequest, shot, models_dir: Path | None = None) -> None:
    """Each character's reference images and LoRA (with its trigger word) for consistency.

    A LoRA is loaded only from inside the project or the models folder (AUTEUR_MODELS_DIR): a look
    file, which a person or the crew can edit, never points the renderer at another file of the server.
    """
    from memory.references import character_folder
    from studio.models import Look
    from studio.names import inside
    from studio.render import LoraWeights

    look = store.read(Stage.LOOK)
    if not isinstance(look, Look):
        look = Look()
    for name in shot.characters:
        try:
            folder = store.path / character_folder(name)
        except AuteurError:  # a cue with no letters has no folder, and no references
            folder = None
        if folder is not None and folder.is_dir() and not folder.is_symlink():
            request.references += [str(p) for p in sorted(folder.glob("ref_*"))
                                   if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp")
                                   and _within(store.path, p)]
        c = look.character(name)
        if c is None:
            continue
        for ref in c.reference_takes:
            try:
                path = store.path / inside(ref)
            except AuteurError:
                log.warning("look.json names a reference outside the project; it is not used")
                continue
            if path.is_file() and _within(store.path, path):
                request.references.append(str(path))
        if c.lora:
            lora = _lora_path(store.path, c.lora, models_dir)
            if lora is None:
                log.warning("look.json names a LoRA outside the project and the models folder; it is not used")
                continue
            request.loras.append(LoraWeights(path=str(lora), trigger=c.trigger_word or ""))


def _lora_path(project: Path, name: str, models_dir: Path | None) -> Path | None:
    """Where a look's LoRA is: in the project, or in the models folder; None when anywhere else."""
    candidate = Path(name)
    if not candidate.is_absolute():
        try:
            from studio.names import inside

            candidate = project / inside(name)
        except AuteurError:
            return None
    if _within(project, candidate) or (models_dir is not None and _within(models_dir, candidate)):
        return candidate
    return None


def _within(root: Path, path: Path) -> bool:
    """Whether ``path``, links followed, is a file of the project in ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def reference_spec(store, subject: str, settings: Settings, *, tier: str | None = None, seed: int = 0) -> JobSpec:
    """A job for a reference image of a character or location, from the look's description."""
    from studio.models import Look
    from tools.render.plan import choose
    from memory.project_store import reference_folder

    reference_folder(store, subject)  # a subject of the script, or a clear error
    look = store.read(Stage.LOOK)
    look = look if isinstance(look, Look) else Look()
    c = look.character(subject)
    loc = look.location(subject) if c is None else None
    words = [look.style.medium or "character reference sheet"]
    if c is not None:
        words += [f"full figure of {c.name}", c.visual, c.age, c.wardrobe, "neutral background, front view"]
    elif loc is not None:
        words += [f"establishing view of {loc.name}", loc.visual]
    else:
        words.append(subject)
    words += [look.style.palette, look.style.lighting]
    prompt = ", ".join(w for w in words if w)[:2000]
    tier_obj = load_tier(tier or store.manifest().settings.quality_tier, settings)
    choice = choose(RenderKind.REFERENCE, tier_obj, settings, local=settings.jobs != "celery")
    it = tier_obj.image
    params = {"renderer": choice.renderer, "width": it.width if choice.renderer == "diffusers" else 512,
              "height": it.height if choice.renderer == "diffusers" else 512,
              "steps": it.num_inference_steps, "guidance": it.guidance_scale}
    return JobSpec(project=store.slug, kind=RenderKind.REFERENCE, subject=subject.upper(), tier=tier_obj.name,
                   seed=seed, prompt=prompt, negative_prompt=look.style.negative, model=choice.model,
                   parameters=params, branch=store.git.branch)


def render_reference(store, spec: JobSpec, progress: Progress, cancelled: Cancelled, *, backends: Backends,
                     job_id: str | None = None) -> str:
    """Render a reference image into the subject's folder under 01_Assets, once per job id."""
    import json

    from memory.project_store import reference_folder
    from memory.takes import on_branch

    on_branch(store, spec.branch, QUEUED)  # early, to spare a render; checked again with the write
    folder = reference_folder(store, spec.subject)

    def done() -> str | None:
        for sidecar in sorted((store.path / folder).glob("ref_*.json")) if (store.path / folder).is_dir() else []:
            try:
                if json.loads(sidecar.read_text()).get("job_id") == spec.id:
                    media = [p for p in sidecar.parent.glob(sidecar.stem + ".*") if p.suffix != ".json"]
                    return f"{folder}/{media[0].name if media else sidecar.stem + '.png'}"
            except (OSError, ValueError):
                continue
        return None

    if (found := done()) is not None:
        return found
    renderer = spec.parameters.get("renderer") or SKETCH
    p = spec.parameters
    request = RenderRequest(kind=RenderKind.REFERENCE, prompt=spec.prompt, negative_prompt=spec.negative_prompt,
                            seed=spec.seed, model=spec.model if renderer == "diffusers" else renderer,
                            width=int(p.get("width", 512)), height=int(p.get("height", 512)),
                            num_inference_steps=int(p.get("steps", 1)), guidance_scale=float(p.get("guidance", 0.0)),
                            heading=spec.subject)
    output = backends[renderer].render(request, progress, cancelled)
    if cancelled():
        from studio.render import JobCancelled

        raise JobCancelled(spec.id)
    with store._lock():  # check again under the lock: a job delivered twice makes one image
        on_branch(store, spec.branch, QUEUED)  # with the write: a switch during the render is seen here
        if (found := done()) is not None:
            return found
        return _save_reference(store, folder, spec, output, p, job_id)


def _save_reference(store, folder: str, spec: JobSpec, output, p: dict, job_id: str | None) -> str:
    import json

    with store.change(stage=Stage.LOOK, action="reference", summary=f"reference image for {spec.subject}",
                      author=Author.agent("Art Director")) as change:
        images = sorted((store.path / folder).glob("ref_*")) if (store.path / folder).is_dir() else []
        number = len({p.stem for p in images}) + 1
        rel = f"{folder}/ref_{number:02d}{output.suffix}"
        change.write_new(rel, output.data)
        sidecar = {"subject": spec.subject, "seed": spec.seed, "model": output.model, "prompt": spec.prompt,
                   "negative_prompt": spec.negative_prompt, "parameters": {**p, **output.parameters},
                   "timings": output.timings, "job_id": job_id or spec.id}
        change.write_new(f"{folder}/ref_{number:02d}.json", (json.dumps(sidecar, indent=2) + "\n").encode())
    return rel
