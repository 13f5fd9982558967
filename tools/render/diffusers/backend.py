"""DiffusersBackend: the render port on diffusers pipelines. One request in, one PNG or MP4 out.

``render`` finds the request's pipeline, checks that its task fits the request
(a board needs a text-to-image pipeline, a clip a video one), loads it or finds
it kept, and ``run`` renders on it: adapters on, the call (with its retries when
memory runs out), adapters off, the image or the frames encoded, and the
parameters and timings the take's sidecar records.
"""

from __future__ import annotations

import inspect
import io
import time
from pathlib import Path
from typing import Any

from studio.errors import AuteurError
from studio.render import Cancelled, JobCancelled, Progress, RenderKind, RenderOutput, RenderRequest
from tools.render.diffusers.adapters import apply_ip_adapter, apply_loras, unload
from tools.render.diffusers.cache import CACHE_SIZE, LOCK, Loaded
from tools.render.diffusers.call import call_kwargs, forward_only
from tools.render.diffusers.frames import fit_size, video_frames
from tools.render.diffusers.loading import dtype_for, keep, kept, load_pipeline
from tools.render.diffusers.memory import call_with_retries, make_room, weights_bytes
from tools.render.diffusers.model_store import (IMAGE, IMAGE_TO_VIDEO, TEXT_TO_VIDEO, cuda_available, pipeline_class,
                                                resolve_model, task_of_class)
from tools.render.diffusers.optimize import BIG_IMAGE, BIG_VIDEO, vae_tiling


class DiffusersBackend:
    """RenderBackend on diffusers pipelines (see the package doc)."""

    name = "diffusers"

    def __init__(self, settings=None, *, device: str | None = None, dtype: str | None = None,
                 ip_adapter: str | None = None, ip_adapter_scale: float | None = None,
                 cache_size: int = CACHE_SIZE) -> None:
        self.settings = settings
        self._device = device
        self._dtype = dtype
        self.ip_adapter = ip_adapter if ip_adapter is not None else getattr(settings, "ip_adapter", None)
        scale = ip_adapter_scale if ip_adapter_scale is not None else getattr(settings, "ip_adapter_scale", None)
        self.ip_adapter_scale = 0.6 if scale is None else float(scale)
        self.cache_size = max(1, cache_size)
        self.loads = 0  # pipelines this backend read from disk

    # ------------------------------------------------------------ the port

    def render(self, request: RenderRequest, progress: Progress, cancelled: Cancelled) -> RenderOutput:
        request.check()
        path = resolve_model(request.model, self.settings)
        cls = pipeline_class(path)
        task = task_of_class(cls)
        _check_task(request, task, path, cls)
        if cancelled():
            raise JobCancelled()
        with LOCK:
            progress(0.0, f"loading {path.name}")
            started = time.perf_counter()
            entry = self._pipeline(path, task, cls)
            load_s = time.perf_counter() - started
            if cancelled():
                raise JobCancelled()
            return self.run(entry, request, progress, cancelled, load_s=load_s)

    # ------------------------------------------------------------ the pipeline, kept or loaded

    @property
    def device(self) -> str:
        return self._device or ("cuda" if cuda_available() else "cpu")

    def dtype_for(self, cls: str) -> str:
        return self._dtype or dtype_for(cls, self.device)

    def _pipeline(self, path: Path, task: str, cls: str) -> Loaded:
        device, dtype = self.device, self.dtype_for(cls)
        entry = kept(path, task, device, dtype)
        if entry is not None:
            return entry
        make_room(self.cache_size, device, weights_bytes(path, dtype))
        local = not bool(getattr(self.settings, "allow_downloads", False))
        pipe = load_pipeline(path, task, cls, dtype, local=local)
        self.loads += 1
        return keep(pipe, path, task, device, dtype)

    # ------------------------------------------------------------ one render

    def run(self, entry: Loaded, request: RenderRequest, progress: Progress, cancelled: Cancelled,
            *, load_s: float = 0.0) -> RenderOutput:
        """Render ``request`` on a loaded pipeline (the backend's cache, or the benchmark's)."""
        import torch

        pipe, cls = entry.pipe, type(entry.pipe).__name__
        progress = forward_only(progress)
        if entry.device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        accepts = set(inspect.signature(pipe.__call__).parameters)
        width, height = fit_size(pipe, request.width, request.height)
        # The sidecar's keys stay as takes have always recorded them (steps, guidance, frames).
        params: dict[str, Any] = {
            "renderer": "diffusers", "pipeline": cls, "task": entry.task, "model": str(entry.path),
            "model_name": request.model, "seed": request.seed, "steps": request.num_inference_steps,
            "guidance": request.guidance_scale, "width": width, "height": height, "device": entry.device,
            "dtype": entry.dtype, "scheduler": type(pipe.scheduler).__name__ if getattr(pipe, "scheduler", None)
            else "", "generator": "cpu", **entry.settings}
        if (width, height) != (request.width, request.height):
            params["size_asked"] = [request.width, request.height]
        if request.negative_prompt:
            params["negative_prompt_used"] = "negative_prompt" in accepts
        timings: dict[str, float] = {"load_s": round(load_s, 3)}

        prompt, lora_names = apply_loras(pipe, request, params, timings)
        try:
            ip_images = apply_ip_adapter(pipe, request, accepts, params, timings, ip_adapter=self.ip_adapter,
                                         scale=self.ip_adapter_scale)
            kwargs = call_kwargs(pipe, entry, request, accepts, prompt, width, height, params)
            pixels = width * height * (kwargs.get("num_frames", 1) if entry.task != IMAGE else 1)
            if entry.device.startswith("cuda") and pixels > (BIG_IMAGE if entry.task == IMAGE else BIG_VIDEO):
                params["vae_tiling"] = vae_tiling(pipe, True)
            if ip_images:
                kwargs["ip_adapter_image"] = [ip_images]
            started = time.perf_counter()
            result = call_with_retries(entry, kwargs, accepts, request, progress, cancelled, params)
            timings["render_s"] = round(time.perf_counter() - started, 3)
        finally:
            unload(pipe, lora_names, params)

        started = time.perf_counter()
        if entry.task == IMAGE:
            image = result.images[0]
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            data, suffix = buf.getvalue(), ".png"
            params["width"], params["height"] = image.size
        else:
            from tools.render.video import encode_mp4

            frames = video_frames(result)
            params["frames"] = len(frames)
            params["height"], params["width"] = frames[0].shape[:2]
            data, suffix = encode_mp4(frames, request.fps), ".mp4"
        timings["encode_s"] = round(time.perf_counter() - started, 3)
        if entry.device.startswith("cuda"):
            params["peak_gpu_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
        progress(1.0, "done")
        return RenderOutput(data=data, suffix=suffix, model=request.model, parameters=params, timings=timings)


def _check_task(request: RenderRequest, task: str, path: Path, cls: str) -> None:
    """Refuse, with a fix, a request the pipeline's task cannot do (and a clip without its keyframe)."""
    if request.kind is RenderKind.CLIP:
        if task == IMAGE:
            raise AuteurError(f"{path.name} is an image pipeline ({cls}); a clip needs a video pipeline",
                              "set AUTEUR_VIDEO_MODEL (or the tier's video model) to an image-to-video or "
                              "text-to-video pipeline such as LTX-Video, CogVideoX or Wan")
        if task == IMAGE_TO_VIDEO and not request.init_image:
            raise AuteurError(f"{path.name} makes clips from a keyframe, and this shot has none",
                              "render the shot's board first (`auteur render boards`)")
        if task == IMAGE_TO_VIDEO and not Path(request.init_image or "").is_file():
            raise AuteurError(f"the keyframe {request.init_image} does not exist",
                              "render the shot's board again (`auteur render boards`)")
    elif task in (TEXT_TO_VIDEO, IMAGE_TO_VIDEO):
        raise AuteurError(f"{path.name} is a video pipeline ({cls}); boards and reference images need an image one",
                          "set AUTEUR_IMAGE_MODEL (or the tier's image model) to a text-to-image pipeline "
                          "such as SDXL, SD-Turbo, FLUX or SD3")
