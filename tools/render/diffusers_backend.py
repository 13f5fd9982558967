"""Images and clips from diffusers pipelines: text-to-image, image-to-video and text-to-video.

Boards and reference images go through diffusers' text-to-image auto pipeline
(SDXL, SD-Turbo, FLUX, SD3 ...); clips through the video pipeline in the
model's folder, from the shot's keyframe where the pipeline takes an image
(LTX-Video, CogVideoX, Wan, Stable Video Diffusion ...). On CUDA: bf16 (fp16
where a family or the GPU needs it), PyTorch SDPA attention, channels-last
UNets, VAE tiling for big frames; on the CPU: float32. Loaded pipelines stay in
a small process-wide cache between jobs. torch and diffusers load on first use.
"""

from __future__ import annotations

import gc
import inspect
import io
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.errors import AuteurError
from studio.render import Cancelled, JobCancelled, Progress, RenderKind, RenderOutput, RenderRequest
from tools.render.model_store import (IMAGE, IMAGE_TO_VIDEO, TEXT_TO_VIDEO, cuda_available, pipeline_class,
                                      pipeline_task, resolve_model, task_of_class)

__all__ = ["DiffusersBackend", "cuda_available", "pipeline_task", "resolve_model", "task_of_class",
           "optimize", "attention_report", "clear_cache"]

log = logging.getLogger("auteur.diffusers")

# Families published and run in fp16 (bf16 elsewhere on CUDA).
FP16_CLASSES = {"StableVideoDiffusionPipeline", "I2VGenXLPipeline", "TextToVideoSDPipeline", "AnimateDiffPipeline"}
CACHE_SIZE = 2  # pipelines kept loaded at once
BIG_IMAGE = 1536 * 1024  # pixels above which the VAE decodes in tiles
BIG_VIDEO = 49 * 720 * 480  # frame pixels of a clip above which the VAE decodes in tiles


@dataclass
class _Loaded:
    pipe: Any
    path: Path
    task: str
    device: str
    dtype: str
    offloaded: bool = False
    settings: dict = field(default_factory=dict)


_CACHE: OrderedDict[tuple, _Loaded] = OrderedDict()
_LOCK = threading.RLock()  # one render at a time per process: the GPU is one


class _Stop(Exception):
    """Raised from the step callback to leave the pipeline when the job is cancelled."""


def clear_cache() -> None:
    """Drop every loaded pipeline and give its memory back."""
    with _LOCK:
        _CACHE.clear()
        _free_memory()


class DiffusersBackend:
    """RenderBackend on diffusers pipelines (see the module doc)."""

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
        with _LOCK:
            progress(0.0, f"loading {path.name}")
            started = time.perf_counter()
            entry = self._pipeline(path, task, cls)
            load_s = time.perf_counter() - started
            if cancelled():
                raise JobCancelled()
            return self.run(entry, request, progress, cancelled, load_s=load_s)

    # ------------------------------------------------------------ loading and the cache

    @property
    def device(self) -> str:
        return self._device or ("cuda" if cuda_available() else "cpu")

    def dtype_for(self, cls: str) -> str:
        if self._dtype:
            return self._dtype
        if not self.device.startswith("cuda"):
            return "float32"
        import torch

        if cls in FP16_CLASSES or not torch.cuda.is_bf16_supported():
            return "float16"
        return "bfloat16"

    def _pipeline(self, path: Path, task: str, cls: str) -> _Loaded:
        device, dtype = self.device, self.dtype_for(cls)
        key = (str(path), task, device, dtype)
        entry = _CACHE.get(key)
        if entry is not None:
            _CACHE.move_to_end(key)
            return entry
        _make_room(self.cache_size, device, _weights_bytes(path, dtype))
        entry = _Loaded(self._load(path, task, cls, device, dtype), path, task, device, dtype)
        try:
            entry.settings = optimize(entry.pipe, device, dtype)
        except _oom_types():  # the whole pipeline does not fit on the GPU: keep it in CPU memory, offloaded
            entry.pipe.to("cpu")
            _free_memory()
            entry.settings = {"attention": ensure_sdpa(entry.pipe)}
            _offload(entry)
        _CACHE[key] = entry
        return entry

    def _load(self, path: Path, task: str, cls: str, device: str, dtype: str):
        import torch
        from diffusers import AutoPipelineForText2Image, DiffusionPipeline

        local = not bool(getattr(self.settings, "allow_downloads", False))
        loader = AutoPipelineForText2Image if task == IMAGE else DiffusionPipeline
        try:
            pipe = loader.from_pretrained(str(path), dtype=getattr(torch, dtype), local_files_only=local)
        except _oom_types() as exc:
            raise _oom_error(f"loading {path.name}") from exc
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError) as exc:
            if task == IMAGE and "AutoPipeline" in str(exc):
                raise AuteurError(f"{path} holds a {cls}, which cannot make images from text",
                                  "use a text-to-image pipeline (SDXL, SD-Turbo, FLUX, SD3 ...) for boards") from exc
            raise AuteurError(f"the pipeline in {path} could not be loaded ({type(exc).__name__}: {str(exc)[:300]})",
                              "check that the folder is complete (every component's weights present), or "
                              "download it again") from exc
        self.loads += 1
        pipe.set_progress_bar_config(disable=True)
        return pipe

    # ------------------------------------------------------------ one render

    def run(self, entry: _Loaded, request: RenderRequest, progress: Progress, cancelled: Cancelled,
            *, load_s: float = 0.0) -> RenderOutput:
        """Render ``request`` on a loaded pipeline (the backend's cache, or the benchmark's)."""
        import torch

        pipe, cls = entry.pipe, type(entry.pipe).__name__
        progress = _forward_only(progress)
        if entry.device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        accepts = set(inspect.signature(pipe.__call__).parameters)
        width, height = _fit_size(pipe, request.width, request.height)
        params: dict[str, Any] = {
            "renderer": "diffusers", "pipeline": cls, "task": entry.task, "model": str(entry.path),
            "model_name": request.model, "seed": request.seed, "steps": request.steps,
            "guidance": request.guidance, "width": width, "height": height, "device": entry.device,
            "dtype": entry.dtype, "scheduler": type(pipe.scheduler).__name__ if getattr(pipe, "scheduler", None)
            else "", "generator": "cpu", **entry.settings}
        if (width, height) != (request.width, request.height):
            params["size_asked"] = [request.width, request.height]
        if request.negative_prompt:
            params["negative_prompt_used"] = "negative_prompt" in accepts
        timings: dict[str, float] = {"load_s": round(load_s, 3)}

        prompt, lora_names = self._apply_loras(pipe, request, params, timings)
        try:
            ip_images = self._apply_ip_adapter(pipe, request, accepts, params, timings)
            kwargs = self._call_kwargs(pipe, entry, request, accepts, prompt, width, height, params)
            pixels = width * height * (kwargs.get("num_frames", 1) if entry.task != IMAGE else 1)
            if entry.device.startswith("cuda") and pixels > (BIG_IMAGE if entry.task == IMAGE else BIG_VIDEO):
                params["vae_tiling"] = _vae_tiling(pipe, True)
            if ip_images:
                kwargs["ip_adapter_image"] = [ip_images]
            started = time.perf_counter()
            result = self._call_with_retries(entry, kwargs, accepts, request, progress, cancelled, params)
            timings["render_s"] = round(time.perf_counter() - started, 3)
        finally:
            if lora_names:
                pipe.unload_lora_weights()
            if params.get("ip_adapter_used"):
                pipe.unload_ip_adapter()

        started = time.perf_counter()
        if entry.task == IMAGE:
            image = result.images[0]
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            data, suffix = buf.getvalue(), ".png"
            params["width"], params["height"] = image.size
        else:
            from tools.render.video import encode_mp4

            frames = _video_frames(result)
            params["frames"] = len(frames)
            params["height"], params["width"] = frames[0].shape[:2]
            data, suffix = encode_mp4(frames, request.fps), ".mp4"
        timings["encode_s"] = round(time.perf_counter() - started, 3)
        if entry.device.startswith("cuda"):
            params["peak_gpu_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
        progress(1.0, "done")
        return RenderOutput(data=data, suffix=suffix, model=request.model, parameters=params, timings=timings)

    def _call_kwargs(self, pipe, entry: _Loaded, request: RenderRequest, accepts: set, prompt: str,
                     width: int, height: int, params: dict) -> dict:
        import torch

        kw: dict[str, Any] = {"height": height, "width": width, "num_inference_steps": request.steps,
                              "generator": torch.Generator("cpu").manual_seed(request.seed)}
        if "prompt" in accepts:
            kw["prompt"] = prompt
        if request.negative_prompt and "negative_prompt" in accepts:
            kw["negative_prompt"] = request.negative_prompt
        if "guidance_scale" in accepts:
            kw["guidance_scale"] = request.guidance
        elif "max_guidance_scale" in accepts and request.guidance > 0:  # Stable Video Diffusion
            kw["max_guidance_scale"] = request.guidance
            kw["min_guidance_scale"] = min(1.0, request.guidance)
        if entry.task == IMAGE:
            kw["output_type"] = "pil"
        else:
            frames = _frame_count(pipe, request)
            params["frames_asked"] = request.frames
            params["fps"] = request.fps
            if "num_frames" in accepts:
                kw["num_frames"] = frames
            if "frame_rate" in accepts:  # LTX-Video
                kw["frame_rate"] = request.fps
            if "decode_chunk_size" in accepts:
                kw["decode_chunk_size"] = 8 if entry.device.startswith("cuda") else frames
            kw["output_type"] = "np"
            if entry.task == IMAGE_TO_VIDEO:
                kw["image"] = _keyframe(request, width, height)
                params["keyframe"] = Path(request.init_image or "").name
            elif request.init_image:
                params["keyframe"] = f"not used: {type(pipe).__name__} makes video from text alone"
        return {k: v for k, v in kw.items() if k in accepts}

    def _call_with_retries(self, entry: _Loaded, kwargs: dict, accepts: set, request: RenderRequest,
                           progress: Progress, cancelled: Cancelled, params: dict):
        """Call the pipeline; out of GPU memory: free, retry with CPU offload, then smaller, then fail."""
        cuda = entry.device.startswith("cuda")
        if request.offload and cuda and not entry.offloaded:
            _offload(entry)
        if entry.offloaded:
            params["offload"] = True
        plans = ["as asked"] + (["offload"] if cuda and not entry.offloaded else []) + ["smaller"]
        tried: list[str] = []
        for plan in plans:
            if plan == "offload":
                _offload(entry)
                params["offload"] = True
                params["vae_tiling"] = _vae_tiling(entry.pipe, True)
            elif plan == "smaller":
                w, h = _smaller(entry.pipe, kwargs.get("width", request.width), kwargs.get("height", request.height))
                params.setdefault("size_asked", [request.width, request.height])
                kwargs["width"], kwargs["height"] = params["width"], params["height"] = w, h
                if "image" in kwargs:
                    kwargs["image"] = _keyframe(request, w, h)
            kwargs["generator"] = kwargs["generator"].manual_seed(request.seed)
            try:
                return self._call(entry.pipe, kwargs, accepts, request.steps, progress, cancelled)
            except _oom_types() as exc:
                tried.append(plan)
                params["oom_retries"] = list(tried)
                log.warning("out of memory rendering %s (%s): %s", entry.path.name, plan, str(exc)[:200])
                _free_memory(keep=entry)
        raise _oom_error(f"rendering {kwargs.get('width')}x{kwargs.get('height')} with {entry.path.name}")

    def _call(self, pipe, kwargs: dict, accepts: set, steps: int, progress: Progress, cancelled: Cancelled):
        def step(i: int) -> None:
            total = getattr(pipe, "_num_timesteps", None) or steps
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

    # ------------------------------------------------------------ character consistency

    def _apply_loras(self, pipe, request: RenderRequest, params: dict, timings: dict) -> tuple[str, list[str]]:
        """Load each LoRA of the request; returns the prompt with trigger words and the adapter names."""
        prompt = request.prompt
        if not request.loras:
            return prompt, []
        if not hasattr(pipe, "load_lora_weights"):
            params["loras"] = [{"path": lw.path, "used": False} for lw in request.loras]
            params["loras_note"] = f"{type(pipe).__name__} takes no LoRA weights; rendered without"
            return prompt, []
        started = time.perf_counter()
        names: list[str] = []
        try:
            for i, lw in enumerate(request.loras):
                p = Path(lw.path).expanduser()
                if not p.exists():
                    raise AuteurError(f"the LoRA weights {p} do not exist",
                                      "fix the character's LoRA path in the look, or remove it")
                name = f"auteur_lora_{i}"
                if p.is_file():
                    pipe.load_lora_weights(str(p.parent), weight_name=p.name, adapter_name=name)
                else:
                    pipe.load_lora_weights(str(p), adapter_name=name)
                names.append(name)
            pipe.set_adapters(names, adapter_weights=[lw.scale for lw in request.loras])
        except AuteurError:
            if names:
                pipe.unload_lora_weights()
            raise
        except Exception as exc:  # a LoRA for another architecture, a damaged file
            if names:
                pipe.unload_lora_weights()
            raise AuteurError(f"the LoRA weights {request.loras[len(names)].path} cannot be applied to "
                              f"{type(pipe).__name__} ({type(exc).__name__}: {str(exc)[:200]})",
                              "use a LoRA trained for this model family, or remove it from the character") from exc
        timings["lora_load_s"] = round(time.perf_counter() - started, 3)
        triggers = [lw.trigger.strip() for lw in request.loras if lw.trigger.strip()
                    and lw.trigger.strip().lower() not in prompt.lower()]
        if triggers:
            prompt = ", ".join(triggers + ([prompt] if prompt else []))
            params["prompt_used"] = prompt
        params["loras"] = [{"path": lw.path, "trigger": lw.trigger, "scale": lw.scale} for lw in request.loras]
        return prompt, names

    def _apply_ip_adapter(self, pipe, request: RenderRequest, accepts: set, params: dict, timings: dict) -> list:
        """The reference images for IP-Adapter, loaded onto ``pipe`` (or [] with the reason in params)."""
        refs = [r for r in request.references if r]
        if not refs:
            return []
        params["references"] = [Path(r).name for r in refs]
        reason = ""
        if not hasattr(pipe, "load_ip_adapter") or "ip_adapter_image" not in accepts:
            reason = f"{type(pipe).__name__} takes no IP-Adapter"
        elif not self.ip_adapter:
            reason = "no IP-Adapter weights are configured (AUTEUR_IP_ADAPTER)"
        else:
            weights = Path(self.ip_adapter).expanduser()
            if not weights.is_file():
                reason = f"the IP-Adapter weights {weights} do not exist"
        missing = [r for r in refs if not Path(r).is_file()]
        if not reason and missing:
            reason = f"the reference image {missing[0]} does not exist"
        if reason:
            params["ip_adapter_used"] = False
            params["ip_adapter_note"] = f"{reason}; rendered without the references"
            return []
        from PIL import Image

        started = time.perf_counter()
        weights = Path(self.ip_adapter).expanduser()
        encoder = _image_encoder_folder(weights)
        try:
            pipe.load_ip_adapter(str(weights.parent.parent), subfolder=weights.parent.name, weight_name=weights.name,
                                 image_encoder_folder=encoder, local_files_only=True)
            pipe.set_ip_adapter_scale(self.ip_adapter_scale)
        except Exception as exc:  # weights for another family, no image encoder
            params["ip_adapter_used"] = False
            params["ip_adapter_note"] = (f"the IP-Adapter {weights.name} does not fit {type(pipe).__name__} "
                                         f"({type(exc).__name__}: {str(exc)[:160]}); rendered without the references")
            if hasattr(pipe, "unload_ip_adapter"):
                try:
                    pipe.unload_ip_adapter()
                except Exception:  # nothing was loaded
                    pass
            return []
        params.update(ip_adapter_used=True, ip_adapter=str(weights), ip_adapter_scale=self.ip_adapter_scale)
        timings["ip_adapter_load_s"] = round(time.perf_counter() - started, 3)
        images = []
        for r in refs:
            with Image.open(r) as img:
                images.append(img.convert("RGB"))
        return images


# ---------------------------------------------------------------- settings applied to a loaded pipeline


def optimize(pipe, device: str, dtype: str) -> dict:
    """Our settings for ``pipe`` on ``device``: move it there; on CUDA SDPA attention, channels-last
    UNet, sliced VAE. Returns what was set, for the take's parameters."""
    import torch

    done: dict[str, Any] = {"attention": ensure_sdpa(pipe)}
    pipe.to(device)
    if device.startswith("cuda"):
        unet = getattr(pipe, "unet", None)
        if unet is not None:
            unet.to(memory_format=torch.channels_last)
            done["channels_last"] = True
        vae = getattr(pipe, "vae", None)
        if vae is not None and hasattr(vae, "enable_slicing"):
            try:
                vae.enable_slicing()
            except NotImplementedError:  # e.g. the temporal decoder of Stable Video Diffusion
                pass
    return done


def ensure_sdpa(pipe) -> str:
    """Replace any non-SDPA default attention processor by torch's scaled_dot_product_attention one."""
    from diffusers.models.attention_processor import (AttnAddedKVProcessor, AttnAddedKVProcessor2_0, AttnProcessor,
                                                      AttnProcessor2_0)

    swaps = {AttnProcessor: AttnProcessor2_0, AttnAddedKVProcessor: AttnAddedKVProcessor2_0}
    for model in _models(pipe):
        procs = getattr(model, "attn_processors", None)
        if not procs or not hasattr(model, "set_attn_processor"):
            continue
        if any(type(p) in swaps for p in procs.values()):
            model.set_attn_processor({k: swaps[type(p)]() if type(p) in swaps else p for k, p in procs.items()})
    slow = [n for names in attention_report(pipe).values() for n in names
            if n in ("AttnProcessor", "AttnAddedKVProcessor")]
    return "sdpa" if not slow else "mixed: " + ", ".join(sorted(set(slow)))


def attention_report(pipe) -> dict[str, list[str]]:
    """The attention processor classes of each model in ``pipe``."""
    out = {}
    for name, model in _named_models(pipe):
        procs = getattr(model, "attn_processors", None)
        if procs:
            out[name] = sorted({type(p).__name__ for p in procs.values()})
    return out


def _named_models(pipe):
    for name in ("unet", "transformer", "transformer_2", "vae", "prior", "decoder"):
        model = getattr(pipe, name, None)
        if model is not None:
            yield name, model


def _models(pipe):
    return [m for _n, m in _named_models(pipe)]


# ---------------------------------------------------------------- memory


def _oom_types() -> tuple[type[BaseException], ...]:
    import torch

    return tuple({getattr(torch, "OutOfMemoryError", torch.cuda.OutOfMemoryError), torch.cuda.OutOfMemoryError})


def _oom_error(what: str) -> AuteurError:
    return AuteurError(f"the GPU ran out of memory {what}, even with CPU offload and a smaller size",
                       "pick a lower quality tier (--tier draft), a smaller size or fewer frames, or free the GPU "
                       "(stop other jobs or processes on it: nvidia-smi shows them)")


def _free_memory(keep: _Loaded | None = None) -> None:
    for key in [k for k, e in _CACHE.items() if e is not keep]:
        del _CACHE[key]
    gc.collect()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass


def _make_room(bound: int, device: str, need: int) -> None:
    """Drop the least recently used pipelines: to stay within ``bound``, and on CUDA until ``need``
    bytes fit in the GPU's free memory."""
    while len(_CACHE) >= bound:
        _CACHE.popitem(last=False)
    if not device.startswith("cuda"):
        gc.collect()
        return
    import torch

    gc.collect()
    torch.cuda.empty_cache()
    while _CACHE and torch.cuda.mem_get_info()[0] < need * 1.2:
        _CACHE.popitem(last=False)
        gc.collect()
        torch.cuda.empty_cache()


def _weights_bytes(path: Path, dtype: str) -> int:
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


def _offload(entry: _Loaded) -> None:
    """Keep only the running model on the GPU (accelerate hooks); the rest waits in CPU memory."""
    entry.pipe.enable_model_cpu_offload(device=entry.device)
    entry.offloaded = True
    entry.settings["offload"] = True
    _free_memory(keep=entry)


def _vae_tiling(pipe, on: bool) -> bool:
    vae = getattr(pipe, "vae", None)
    if on and vae is not None and hasattr(vae, "enable_tiling"):
        try:
            vae.enable_tiling()
            return True
        except (NotImplementedError, ValueError):
            return False
    return False


# ---------------------------------------------------------------- sizes, frames, inputs, outputs


def _size_multiple(pipe) -> int:
    """The block a family's width and height must be a multiple of."""
    m = getattr(pipe, "vae_spatial_compression_ratio", None) or getattr(pipe, "vae_scale_factor_spatial", None) \
        or getattr(pipe, "vae_scale_factor", None) or 8
    m = int(m)
    transformer = getattr(pipe, "transformer", None)
    if transformer is not None:
        patch = getattr(transformer.config, "patch_size", None) or 1
        patch = patch[-1] if isinstance(patch, (list, tuple)) else patch
        m = max(m * int(patch), 16)
    return max(8, m)


def _fit_size(pipe, width: int, height: int) -> tuple[int, int]:
    m = _size_multiple(pipe)
    return max(m, width // m * m), max(m, height // m * m)


def _smaller(pipe, width: int, height: int) -> tuple[int, int]:
    m = _size_multiple(pipe)
    return max(m, int(width * 0.75) // m * m), max(m, int(height * 0.75) // m * m)


def _frame_count(pipe, request: RenderRequest) -> int:
    """The clip's frame count, on the family's grid (k * temporal compression + 1)."""
    n = request.frames if request.frames > 0 else max(1, round(request.duration_s * request.fps))
    t = getattr(pipe, "vae_scale_factor_temporal", None) or getattr(pipe, "vae_temporal_compression_ratio", None)
    if isinstance(t, int) and t > 1:
        n = max(1, round((n - 1) / t)) * t + 1
    return n


def _keyframe(request: RenderRequest, width: int, height: int):
    from PIL import Image, ImageOps

    with Image.open(request.init_image) as img:
        key = img.convert("RGB")
    box = getattr(request, "init_box", None)
    if box:
        key = key.crop(tuple(box))
    return ImageOps.fit(key, (width, height), Image.Resampling.LANCZOS)


def _forward_only(progress: Progress) -> Progress:
    """Progress that never goes back (a retry after running out of memory starts its steps again)."""
    done = [0.0]

    def report(fraction: float, message: str) -> None:
        done[0] = max(done[0], fraction)
        progress(done[0], message)

    return report


def _video_frames(result) -> list:
    import numpy as np

    frames = result.frames[0]
    if hasattr(frames, "detach"):  # a tensor (F, C, H, W) or (F, H, W, C)
        frames = frames.detach().float().cpu().numpy()
    if isinstance(frames, np.ndarray):
        if frames.ndim == 4 and frames.shape[1] in (1, 3) and frames.shape[-1] not in (1, 3):
            frames = frames.transpose(0, 2, 3, 1)
        frames = [np.clip(f * 255.0 + 0.5, 0, 255).astype(np.uint8) if f.dtype != np.uint8 else f for f in frames]
    else:  # PIL images
        frames = [np.asarray(f.convert("RGB")) for f in frames]
    return frames


def _image_encoder_folder(weights: Path) -> str | None:
    """Where the IP-Adapter's CLIP image encoder is, relative to the weights' grandparent (h94 layout)."""
    if (weights.parent / "image_encoder").is_dir():
        return "image_encoder"
    if (weights.parent.parent / "models" / "image_encoder").is_dir():
        return "models/image_encoder"
    return None


def _check_task(request: RenderRequest, task: str, path: Path, cls: str) -> None:
    if request.kind is RenderKind.CLIP:
        if task == IMAGE:
            raise AuteurError(f"{path.name} is an image pipeline ({cls}); a clip needs a video pipeline",
                              "set AUTEUR_VIDEO_MODEL (or the tier's video model) to an image-to-video or "
                              "text-to-video pipeline such as LTX-Video, CogVideoX or Wan")
        if task == IMAGE_TO_VIDEO and not request.init_image:
            raise AuteurError(f"{path.name} makes clips from a keyframe, and this shot has none",
                              "render the shot's board first (`auteur render boards`)")
        if task == IMAGE_TO_VIDEO and not Path(request.init_image).is_file():
            raise AuteurError(f"the keyframe {request.init_image} does not exist",
                              "render the shot's board again (`auteur render boards`)")
    elif task in (TEXT_TO_VIDEO, IMAGE_TO_VIDEO):
        raise AuteurError(f"{path.name} is a video pipeline ({cls}); boards and reference images need an image one",
                          "set AUTEUR_IMAGE_MODEL (or the tier's image model) to a text-to-image pipeline "
                          "such as SDXL, SD-Turbo, FLUX or SD3")
