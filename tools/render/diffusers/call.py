"""One call of a pipeline: the keyword arguments diffusers takes, progress from its steps, cancelling half-way.

A request speaks diffusers' words (``num_inference_steps``, ``guidance_scale``,
``num_frames``); here they become the call's arguments, each only where the
pipeline's ``__call__`` takes it, with a torch ``generator`` seeded from the
request's seed. What the call was given that the take should record goes into
``params`` (the sidecar keeps its own keys: ``steps``, ``guidance``, ``frames``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.render import Cancelled, JobCancelled, Progress, RenderRequest
from tools.render.diffusers.cache import Loaded
from tools.render.diffusers.frames import frame_count, keyframe
from tools.render.diffusers.model_store import IMAGE, IMAGE_TO_VIDEO


class _Stop(Exception):
    """Raised from the step callback to leave the pipeline when the job is cancelled."""


def call_kwargs(pipe, entry: Loaded, request: RenderRequest, accepts: set, prompt: str, width: int, height: int,
                params: dict) -> dict:
    """The pipeline's keyword arguments for ``request`` (those its ``__call__`` accepts)."""
    import torch

    generator = torch.Generator("cpu").manual_seed(request.seed)
    kw: dict[str, Any] = {"height": height, "width": width, "num_inference_steps": request.num_inference_steps,
                          "generator": generator}
    if "prompt" in accepts:
        kw["prompt"] = prompt
    if request.negative_prompt and "negative_prompt" in accepts:
        kw["negative_prompt"] = request.negative_prompt
    guidance_scale = request.guidance_scale
    if "guidance_scale" in accepts:
        kw["guidance_scale"] = guidance_scale
    elif "max_guidance_scale" in accepts and guidance_scale > 0:  # Stable Video Diffusion
        kw["max_guidance_scale"] = guidance_scale
        kw["min_guidance_scale"] = min(1.0, guidance_scale)
    if entry.task == IMAGE:
        kw["output_type"] = "pil"
    else:
        num_frames = frame_count(pipe, request)
        params["frames_asked"] = request.num_frames
        params["fps"] = request.fps
        if "num_frames" in accepts:
            kw["num_frames"] = num_frames
        if "frame_rate" in accepts:  # LTX-Video
            kw["frame_rate"] = request.fps
        if "decode_chunk_size" in accepts:
            kw["decode_chunk_size"] = 8 if entry.device.startswith("cuda") else num_frames
        kw["output_type"] = "np"
        if entry.task == IMAGE_TO_VIDEO:
            kw["image"] = keyframe(request, width, height)
            params["keyframe"] = Path(request.init_image or "").name
        elif request.init_image:
            params["keyframe"] = f"not used: {type(pipe).__name__} makes video from text alone"
    return {k: v for k, v in kw.items() if k in accepts}


def call(pipe, kwargs: dict, accepts: set, num_inference_steps: int, progress: Progress, cancelled: Cancelled):
    """Run the pipeline, reporting each step and leaving between steps when the job is cancelled."""
    def step(i: int) -> None:
        total = getattr(pipe, "_num_timesteps", None) or num_inference_steps
        progress(min(0.99, (i + 1) / max(1, total)), f"step {i + 1}/{total}")
        if cancelled():
            raise _Stop()

    if "callback_on_step_end" in accepts:
        def on_step_end(_pipe, i, _t, callback_kwargs):
            step(i)
            return callback_kwargs

        kwargs["callback_on_step_end"] = on_step_end
    elif "callback" in accepts:  # older pipelines
        kwargs["callback"] = lambda i, _t, _latents: step(i)
        kwargs["callback_steps"] = 1
    try:
        return pipe(**kwargs)
    except _Stop:
        raise JobCancelled() from None


def forward_only(progress: Progress) -> Progress:
    """Progress that never goes back (a retry after running out of memory starts its steps again)."""
    done = [0.0]

    def report(fraction: float, message: str) -> None:
        done[0] = max(done[0], fraction)
        progress(done[0], message)

    return report
