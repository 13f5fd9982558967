"""Which renderer, model and settings a batch uses, the jobs it becomes, and what it will cost.

A tier names a model and needs a GPU. Where there is none, or the model is not
on this machine, the CPU renderers stand in and the plan says so in a notice.
With Celery the studio cannot see the workers' GPUs: the plan keeps the tier's
model and a worker falls back itself if it has to (see execute.choose).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from config.quality import tier as load_tier
from config.settings import Settings
from studio.errors import StageError
from studio.models import ActiveTakes, Breakdown, Look, Prompts, Shot, ShotList, ShotPrompt, shot_code
from studio.prompts import effective, light, shot_prompt
from studio.render import (ANIMATIC, CPU_SECONDS_PER_BOARD, CPU_SECONDS_PER_CLIP_SECOND, SKETCH, Estimate,
                           JobSpec, QualityTier, RenderKind, frame_height)
from studio.stages import Stage


@dataclass
class Choice:
    renderer: str  # sketch, animatic or diffusers
    model: str
    notice: str = ""


def model_for(kind: RenderKind, tier: QualityTier, settings: Settings) -> str:
    """The tier's model, or the one AUTEUR_IMAGE_MODEL / AUTEUR_VIDEO_MODEL names (a CPU tier stays CPU)."""
    own = tier.video.model if kind is RenderKind.CLIP else tier.image.model
    if own in (SKETCH, ANIMATIC):
        return own
    if kind is RenderKind.CLIP:
        return settings.video_model or own
    return settings.image_model or own


def choose(kind: RenderKind, tier: QualityTier, settings: Settings, *, local: bool = True,
           model: str | None = None) -> Choice:
    """The renderer for ``kind`` at ``tier`` (or for ``model``, a job's own); ``local`` checks this
    machine's GPU and model folders."""
    cpu = ANIMATIC if kind is RenderKind.CLIP else SKETCH
    model = model or model_for(kind, tier, settings)
    if model in (SKETCH, ANIMATIC) or not model:
        return Choice(cpu, cpu)
    if not local:
        return Choice("diffusers", model)
    from studio.errors import AuteurError
    from tools.render.diffusers.model_store import cuda_available, resolve_model

    what = "clips" if kind is RenderKind.CLIP else "images"
    fallback = "the animatic" if kind is RenderKind.CLIP else "sketch boards"
    if not cuda_available() and tier.gpu:
        return Choice(cpu, cpu, f"Tier {tier.name} renders {what} with {model} on a GPU, and this machine has no "
                                f"CUDA GPU: I'll use {fallback} on the CPU instead. Start a GPU worker "
                                f"(`auteur worker` with AUTEUR_JOBS=celery) for generated {what}.")
    try:
        path = resolve_model(model, settings)
    except AuteurError as exc:
        return Choice(cpu, cpu, f"Tier {tier.name} needs {model}, which is not on this machine ({exc.problem}): "
                                f"I'll use {fallback} instead. {exc.fix}.")
    return Choice("diffusers", str(path))


@dataclass
class Plan:
    specs: list[JobSpec]
    estimate: Estimate
    notices: list[str] = field(default_factory=list)
    missing_boards: list[str] = field(default_factory=list)


def seed_for(project_id: str, code: str, take: int) -> int:
    """A stable seed per shot and take number: the same request twice is the same job."""
    return zlib.crc32(f"{project_id}:{code}:{take}".encode()) % (2**31)


def plan(store, kind: RenderKind, settings: Settings, *, scene: int | None = None, tier: str | None = None,
         shots: list[tuple[int, int]] | None = None, seed: int | None = None, local: bool = True,
         prompt_override: str | None = None, activate: bool = False) -> Plan:
    """One job per shot (of one scene, or the listed shots) for boards or clips. ``activate``: each take made
    becomes its shot's active one (a person asked for these renders)."""
    from memory.takes import Takes

    shot_list = store.read(Stage.SHOTS)
    if not isinstance(shot_list, ShotList) or not shot_list.shots:
        raise StageError(f"{store.slug} has no shot list to render",
                         f"draft the shots first (`auteur run -p {store.slug} --until shots --yes`)")
    chosen = [s for s in shot_list.shots
              if (scene is None or s.scene == scene) and (shots is None or (s.scene, s.number) in shots)]
    if not chosen:
        where = f"scene {scene}" if scene is not None else "the shots you named"
        raise StageError(f"{where} has no shots in the shot list", "see `auteur shots` for the scenes and their shots")
    manifest = store.manifest()
    tier_obj = load_tier(tier or manifest.settings.quality_tier, settings)
    choice = choose(kind, tier_obj, settings, local=local)
    notices = [choice.notice] if choice.notice else []
    prompts = store.read(Stage.PROMPTS)
    by_shot = {(p.scene, p.number): p for p in prompts.prompts} if isinstance(prompts, Prompts) else {}
    boards = store.read(Stage.BOARDS)
    active_boards = boards.active if isinstance(boards, ActiveTakes) else {}
    takes = Takes(store)
    look, breakdown = store.read(Stage.LOOK), store.read(Stage.BREAKDOWN)
    fps = manifest.settings.fps
    aspect = manifest.settings.aspect
    specs, missing = [], []
    for shot in chosen:
        code = shot_code(shot.scene, shot.number)
        p = by_shot.get((shot.scene, shot.number)) or own_prompt(shot, breakdown, look)
        frame_p, video_p = effective(p)
        text = prompt_override or (video_p if kind is RenderKind.CLIP else frame_p) or shot.action
        # The job's parameters keep the sidecar's keys (steps, guidance, frames): takes record them and they
        # make the job id. execute.build_request puts them in the request under diffusers' names.
        params: dict = {"renderer": choice.renderer}
        if kind is RenderKind.CLIP:
            if code not in active_boards:
                missing.append(code)
            vt = tier_obj.video
            if choice.renderer == ANIMATIC:
                width = 640
                height = frame_height(width, aspect)
                params.update(width=width, height=height, fps=fps, duration_s=shot.duration_s,
                              frames=max(1, round(shot.duration_s * fps)))
            else:
                num_frames = vt.num_frames or max(1, round(shot.duration_s * vt.fps))
                params.update(width=vt.width, height=vt.height, steps=vt.num_inference_steps,
                              guidance=vt.guidance_scale, fps=vt.fps, frames=num_frames,
                              duration_s=round(num_frames / vt.fps, 3))
            params["board"] = active_boards.get(code)
        else:
            it = tier_obj.image
            if choice.renderer == SKETCH:
                params.update(width=640, height=frame_height(640, aspect))
            else:
                params.update(width=it.width, height=it.height, steps=it.num_inference_steps,
                              guidance=it.guidance_scale)
        take_seed = seed if seed is not None else seed_for(manifest.id, code, takes.next_number(shot.scene, shot.number))
        specs.append(JobSpec(project=store.slug, kind=kind, scene=shot.scene, shot=shot.number, tier=tier_obj.name,
                             seed=take_seed, prompt=text, negative_prompt=p.negative_prompt,
                             model=choice.model, parameters=params, branch=store.git.branch, activate=activate))
    cost = estimate(specs, kind, tier_obj, choice.renderer)
    if missing:  # the boards drawn first are part of the bill
        board_choice = choose(RenderKind.BOARD, tier_obj, settings, local=local)
        boards = [s for s in specs if shot_code(s.scene or 1, s.shot or 1) in missing]
        cost.seconds += estimate(boards, RenderKind.BOARD, tier_obj, board_choice.renderer).seconds
    return Plan(specs, cost, notices, missing)


def own_prompt(shot: Shot, breakdown: object, look: object) -> ShotPrompt:
    """A shot's prompts when the prompts stage has none for it: assembled as that stage would (studio.prompts)
    where the look and the breakdown exist, else its action with the light of its own time of day and its mood,
    so what the person asked of the shot ("at dusk") is in the picture."""
    if isinstance(breakdown, Breakdown) and isinstance(look, Look):
        return shot_prompt(shot, breakdown, look)
    time_of_day = shot.time_of_day.strip().upper()
    mood = shot.mood.strip()
    words = [shot.action, light(time_of_day) if time_of_day else "",
             mood if not mood or "mood" in mood.lower() else f"{mood} mood"]
    text = ", ".join(" ".join(w.split()).strip(" ,.") for w in words if w.strip(" ,."))
    return ShotPrompt(scene=shot.scene, number=shot.number, frame_prompt=text[:2000], video_prompt=text[:2000])


def estimate(specs: list[JobSpec], kind: RenderKind, tier: QualityTier, renderer: str) -> Estimate:
    if renderer in (SKETCH, ANIMATIC):
        if kind is RenderKind.CLIP:
            secs = sum(float(s.parameters.get("duration_s", 3.0)) for s in specs) * CPU_SECONDS_PER_CLIP_SECOND
        else:
            secs = len(specs) * CPU_SECONDS_PER_BOARD
        return Estimate(shots=len(specs), kind=kind, tier=tier.name, device="cpu", seconds=secs, renderer=renderer)
    per = tier.gpu_seconds_per_clip if kind is RenderKind.CLIP else tier.gpu_seconds_per_image
    return Estimate(shots=len(specs), kind=kind, tier=tier.name, device="gpu", seconds=per * len(specs),
                    renderer=model_name(specs[0].model) if specs else renderer)


def model_name(model: str) -> str:
    """'stabilityai/sdxl-turbo', '/models/sdxl-turbo' or a Hub cache snapshot → 'sdxl-turbo'."""
    import re

    cached = re.search(r"models--[^/]+--([^/]+)/snapshots/", model)
    if cached:
        return cached.group(1)
    return model.rstrip("/").rsplit("/", 1)[-1] if "/" in model else model
