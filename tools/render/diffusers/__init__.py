"""Images and clips from diffusers pipelines: text-to-image, image-to-video and text-to-video.

Boards and reference images go through diffusers' text-to-image auto pipeline
(SDXL, SD-Turbo, FLUX, SD3 ...); clips through the video pipeline in the
model's folder, from the shot's keyframe where the pipeline takes an image
(LTX-Video, CogVideoX, Wan, Stable Video Diffusion ...). On CUDA: bf16 (fp16
where a family or the GPU needs it), PyTorch SDPA attention, channels-last
UNets, VAE tiling for big frames; on the CPU: float32. Loaded pipelines stay in
a small process-wide cache between jobs.

One module a concern:

- ``backend``: DiffusersBackend, the render port: one request in, one PNG or MP4 out.
- ``model_store``: where a pipeline is on this machine, and which task its class does.
- ``cache``: the pipelines kept loaded between jobs, and the one render lock.
- ``loading``: reading a pipeline from disk in its dtype, set up and kept in the cache.
- ``optimize``: our settings on a loaded pipeline (SDPA attention, channels-last, VAE slicing and tiling).
- ``memory``: room on the GPU, CPU offload, and the retries when it runs out of memory.
- ``call``: one call of a pipeline: diffusers' keyword arguments, step progress, cancelling.
- ``adapters``: LoRA weights and IP-Adapter reference images (character consistency).
- ``frames``: sizes on a family's grid, frame counts, keyframes, and a result's video frames.

torch and diffusers load on first use, inside the functions that need them:
importing this package costs nothing.
"""

from __future__ import annotations

from tools.render.diffusers.backend import DiffusersBackend
from tools.render.diffusers.loading import clear_cache
from tools.render.diffusers.model_store import cuda_available, pipeline_task, resolve_model, task_of_class
from tools.render.diffusers.optimize import attention_report, optimize

__all__ = ["DiffusersBackend", "attention_report", "clear_cache", "cuda_available", "optimize", "pipeline_task",
           "resolve_model", "task_of_class"]
