"""Loading a pipeline: its dtype, diffusers' loader for its task, our settings on it, then into the cache.

bf16 on CUDA (fp16 for the families published in it, or a GPU without bf16),
float32 on the CPU. Nothing is downloaded here unless the settings allow it.
A pipeline too big for the GPU as a whole is kept offloaded (see ``memory``).
"""

from __future__ import annotations

from pathlib import Path

from studio.errors import AuteurError
from tools.render.diffusers.cache import LOCK, Loaded, get, key_of, put
from tools.render.diffusers.memory import free_memory, offload, oom_error, oom_types
from tools.render.diffusers.model_store import IMAGE
from tools.render.diffusers.optimize import ensure_sdpa, optimize

# Families published and run in fp16 (bf16 elsewhere on CUDA).
FP16_CLASSES = {"StableVideoDiffusionPipeline", "I2VGenXLPipeline", "TextToVideoSDPipeline", "AnimateDiffPipeline"}


def clear_cache() -> None:
    """Drop every loaded pipeline and give its memory back."""
    with LOCK:
        free_memory()


def dtype_for(cls: str, device: str) -> str:
    """The dtype a pipeline of class ``cls`` runs in on ``device``."""
    if not device.startswith("cuda"):
        return "float32"
    import torch

    if cls in FP16_CLASSES or not torch.cuda.is_bf16_supported():
        return "float16"
    return "bfloat16"


def kept(path: Path, task: str, device: str, dtype: str) -> Loaded | None:
    """The pipeline in ``path`` if it is still loaded for ``device`` and ``dtype``."""
    return get(key_of(path, task, device, dtype))


def load_pipeline(path: Path, task: str, cls: str, dtype: str, *, local: bool):
    """Read the pipeline in ``path`` from disk (``local``: never from the network), in ``dtype``, on the CPU."""
    import torch
    from diffusers import AutoPipelineForText2Image, DiffusionPipeline

    loader = AutoPipelineForText2Image if task == IMAGE else DiffusionPipeline
    try:
        pipe = loader.from_pretrained(str(path), dtype=getattr(torch, dtype), local_files_only=local)
    except oom_types() as exc:
        raise oom_error(f"loading {path.name}") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError) as exc:
        if task == IMAGE and "AutoPipeline" in str(exc):
            raise AuteurError(f"{path} holds a {cls}, which cannot make images from text",
                              "use a text-to-image pipeline (SDXL, SD-Turbo, FLUX, SD3 ...) for boards") from exc
        raise AuteurError(f"the pipeline in {path} could not be loaded ({type(exc).__name__}: {str(exc)[:300]})",
                          "check that the folder is complete (every component's weights present), or "
                          "download it again") from exc
    pipe.set_progress_bar_config(disable=True)
    return pipe


def keep(pipe, path: Path, task: str, device: str, dtype: str) -> Loaded:
    """Put ``pipe`` on ``device`` with our settings (offloaded if it does not fit) and keep it loaded."""
    entry = Loaded(pipe, path, task, device, dtype)
    try:
        entry.settings = optimize(entry.pipe, device, dtype)
    except oom_types():  # the whole pipeline does not fit on the GPU: keep it in CPU memory, offloaded
        entry.pipe.to("cpu")
        free_memory()
        entry.settings = {"attention": ensure_sdpa(entry.pipe)}
        offload(entry)
    put(entry)
    return entry
