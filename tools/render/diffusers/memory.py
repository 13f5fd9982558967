"""GPU memory: room before a load, CPU offload, and what a render does when the GPU runs out.

Before a pipeline is loaded the least recently used ones go until it fits.
A pipeline too big for the GPU stays in CPU memory with only the running model
on the GPU (``offload``). A call that runs out of memory is retried: as asked
after freeing the other pipelines, then offloaded with a tiled VAE (on CUDA),
then at three quarters of the size; after that it fails with a fix.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from studio.errors import AuteurError
from studio.render import Cancelled, Progress, RenderRequest
from tools.render.diffusers.cache import Loaded, count, drop_all, drop_oldest
from tools.render.diffusers.call import call
from tools.render.diffusers.frames import keyframe, smaller
from tools.render.diffusers.optimize import vae_tiling

log = logging.getLogger("auteur.diffusers")


def oom_types() -> tuple[type[BaseException], ...]:
    """The exceptions torch raises when the GPU runs out of memory."""
    import torch

    return tuple({getattr(torch, "OutOfMemoryError", torch.cuda.OutOfMemoryError), torch.cuda.OutOfMemoryError})


def oom_error(what: str) -> AuteurError:
    return AuteurError(f"the GPU ran out of memory {what}, even with CPU offload and a smaller size",
                       "pick a lower quality tier (--tier draft), a smaller size or fewer frames, or free the GPU "
                       "(stop other jobs or processes on it: nvidia-smi shows them)")


def free_memory(keep: Loaded | None = None) -> None:
    """Drop every kept pipeline but ``keep`` and give their memory back."""
    drop_all(keep)
    gc.collect()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass


def make_room(bound: int, device: str, need: int) -> None:
    """Drop the least recently used pipelines: to stay within ``bound``, and on CUDA until ``need``
    bytes fit in the GPU's free memory."""
    while count() >= bound:
        drop_oldest()
    if not device.startswith("cuda"):
        gc.collect()
        return
    import torch

    gc.collect()
    torch.cuda.empty_cache()
    while count() and torch.cuda.mem_get_info()[0] < need * 1.2:
        drop_oldest()
        gc.collect()
        torch.cuda.empty_cache()


def weights_bytes(path: Path, dtype: str) -> int:
    """About how many bytes the pipeline's weights take in ``dtype``."""
    total = 0
    for sub in [path, *[p for p in path.iterdir() if p.is_dir()]]:
        files = [f for f in sub.glob("*") if f.suffix in (".safetensors", ".bin")]
        plain = [f for f in files if ".fp16." not in f.name and ".bf16." not in f.name] or files
        size = sum(f.stat().st_size for f in plain)
        if dtype in ("bfloat16", "float16") and plain and ".fp16." not in plain[0].name:
            size //= 2  # stored fp32 (the usual case for plain files), loaded at half the size
        total += size
    return total


def offload(entry: Loaded) -> None:
    """Keep only the running model on the GPU (accelerate hooks); the rest waits in CPU memory."""
    entry.pipe.enable_model_cpu_offload(device=entry.device)
    entry.offloaded = True
    entry.settings["offload"] = True
    free_memory(keep=entry)


def call_with_retries(entry: Loaded, kwargs: dict, accepts: set, request: RenderRequest, progress: Progress,
                      cancelled: Cancelled, params: dict):
    """Call the pipeline; out of GPU memory: free, retry with CPU offload, then smaller, then fail."""
    cuda = entry.device.startswith("cuda")
    if request.offload and cuda and not entry.offloaded:
        offload(entry)
    if entry.offloaded:
        params["offload"] = True
    plans = ["as asked"] + (["offload"] if cuda and not entry.offloaded else []) + ["smaller"]
    tried: list[str] = []
    for plan in plans:
        if plan == "offload":
            offload(entry)
            params["offload"] = True
            params["vae_tiling"] = vae_tiling(entry.pipe, True)
        elif plan == "smaller":
            w, h = smaller(entry.pipe, kwargs.get("width", request.width), kwargs.get("height", request.height))
            params.setdefault("size_asked", [request.width, request.height])
            kwargs["width"], kwargs["height"] = params["width"], params["height"] = w, h
            if "image" in kwargs:
                kwargs["image"] = keyframe(request, w, h)
        kwargs["generator"] = kwargs["generator"].manual_seed(request.seed)  # each try from the same noise
        try:
            return call(entry.pipe, kwargs, accepts, request.num_inference_steps, progress, cancelled)
        except oom_types() as exc:
            tried.append(plan)
            params["oom_retries"] = list(tried)
            log.warning("out of memory rendering %s (%s): %s", entry.path.name, plan, str(exc)[:200])
            free_memory(keep=entry)
    raise oom_error(f"rendering {kwargs.get('width')}x{kwargs.get('height')} with {entry.path.name}")
