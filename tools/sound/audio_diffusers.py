"""Effects, room tone and score from diffusers' audio pipelines: Stable Audio, AudioLDM2 and AudioLDM.

A pipeline comes from a local folder or a Hugging Face repo id already in the cache (found the way boards' models
are: tools.render.diffusers.model_store.resolve_model; nothing downloaded unless the settings allow it), is told
apart by its model_index.json ``_class_name``, runs on CUDA in fp16 when there is a GPU and on the CPU in fp32
otherwise, and stays loaded in the same small cache as the image and video pipelines (one render at a time per
process). Each family is asked for its length its own way (``audio_end_in_s`` / ``audio_length_in_s``); a cue
longer than a family renders at once is made of several renders crossfaded. What comes back is mono float32 at
48 kHz, exactly as long as asked.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import AuteurError
from studio.sound import SAMPLE_RATE, TEMP_SOUND
from tools.render.diffusers.cache import CACHE_SIZE, LOCK, Loaded, get, key_of, put
from tools.render.diffusers.memory import free_memory, make_room, oom_types, weights_bytes
from tools.render.diffusers.model_store import cuda_available, pipeline_class, resolve_model

TASK = "text-to-audio"
# The pipeline's own default number of steps, and the longest it renders in one call when its config does not
# say (AudioLDM and AudioLDM2 were trained on ten-second clips).
AUDIO_CLASSES: dict[str, dict[str, Any]] = {
    "StableAudioPipeline": {"steps": 100, "length_arg": "audio_end_in_s", "chunk_s": None},
    "AudioLDM2Pipeline": {"steps": 200, "length_arg": "audio_length_in_s", "chunk_s": 10.0},
    "AudioLDMPipeline": {"steps": 10, "length_arg": "audio_length_in_s", "chunk_s": 10.0},
}
CROSSFADE_S = 0.5  # between the renders of a long cue
EDGE_FADE_S = 0.05
PEAK = 0.9
# Schedulers that need an extra package (torchsde) and the plain one that stands in for them without it.
_AUDIO_FIX = ("point the tier's audio model at a Stable Audio, AudioLDM2 or AudioLDM pipeline folder (with its "
              "model_index.json), or a Hugging Face repo id already in the local cache (`hf download REPO`); "
              "without one the CPU temp score and effects are used")
_SDE_SCHEDULERS = {"CosineDPMSolverMultistepScheduler"}
_STAND_IN = "EDMDPMSolverMultistepScheduler"


def audio_model_available(model: str, settings: Any = None) -> str:
    """'' when ``model`` is an audio pipeline this machine can load; else why not, in words for a person."""
    try:
        _audio_pipeline(model, settings)
    except AuteurError as exc:
        return str(exc)
    try:
        import diffusers  # noqa: F401
    except ImportError:
        return "diffusers is not installed (pip install diffusers)"
    return ""


def _audio_pipeline(model: str, settings: Any) -> tuple[Path, str]:
    """The folder and class of ``model``, refused with a fix when it is not one of the audio families."""
    if not model.strip() or model.strip() in ("sketch", "animatic", TEMP_SOUND):
        raise AuteurError("no audio model is configured", _AUDIO_FIX)
    try:
        path = resolve_model(model, settings)
        cls = pipeline_class(path)
    except AuteurError as exc:  # the store's words name the image and video settings; these are sound's
        raise AuteurError(exc.problem, _AUDIO_FIX) from exc
    if cls not in AUDIO_CLASSES:
        raise AuteurError(f"the model {path.name} is a {cls}, not an audio pipeline", _AUDIO_FIX)
    return path, cls


class DiffusersAudio:
    """Sound cues rendered by a diffusers audio pipeline (see the module doc)."""

    name = "diffusers-audio"

    def __init__(self, settings: Any = None, *, device: str | None = None, cache_size: int = CACHE_SIZE) -> None:
        self.settings = settings
        self._device = device
        self.cache_size = max(1, cache_size)
        self.loads = 0  # pipelines read from disk by this renderer

    @property
    def device(self) -> str:
        return self._device or ("cuda" if cuda_available() else "cpu")

    def render(self, prompt: str, seconds: float, seed: int, model: str, negative: str = "",
               steps: int | None = None) -> tuple[np.ndarray, int, dict[str, Any]]:
        """``seconds`` of ``prompt`` from ``model``: (mono float32 samples at 48 kHz, 48000, what was done)."""
        if not prompt.strip():
            raise AuteurError("the sound cue has no prompt", "describe the sound (`steady rain on a tin roof`)")
        n = int(round(seconds * SAMPLE_RATE))
        if n <= 0:
            raise AuteurError(f"a sound of {seconds:g} s was asked for", "give the cue a length over 0 s")
        path, cls = _audio_pipeline(model, self.settings)
        family = AUDIO_CLASSES[cls]
        with LOCK:
            started = time.perf_counter()
            entry = self._pipeline(path, cls)
            load_s = time.perf_counter() - started
            started = time.perf_counter()
            count, each, fade = _renders(seconds, _chunk_seconds(entry.pipe, family))
            steps_used = int(steps or getattr(self.settings, "audio_steps", 0) or family["steps"])
            pieces, native = [], 0
            for k in range(count):
                audio, native = self._call(entry.pipe, cls, prompt, negative, each, seed + k, steps_used)
                pieces.append(audio)
            render_s = time.perf_counter() - started
        x = _finish(_join([_to_48k(p, native) for p in pieces], fade), n)
        info: dict[str, Any] = {
            "renderer": "diffusers", "pipeline": cls, "model": path.name, "model_name": model, "seed": seed,
            "steps": steps_used, "device": entry.device, "dtype": entry.dtype, "native_rate": native,
            "renders": count, "seconds": round(n / SAMPLE_RATE, 3), "negative_prompt": negative,
            "scheduler": type(entry.pipe.scheduler).__name__, **entry.settings,
            "timings": {"load_s": round(load_s, 3), "render_s": round(render_s, 3)}}
        return x, SAMPLE_RATE, info

    # ------------------------------------------------------------ the pipeline, kept or loaded

    def _pipeline(self, path: Path, cls: str) -> Loaded:
        device = self.device
        dtype = "float16" if device.startswith("cuda") else "float32"
        entry = get(key_of(path, TASK, device, dtype))
        if entry is not None:
            return entry
        make_room(self.cache_size, device, weights_bytes(path, dtype))
        pipe, settings = _load(path, cls, dtype, local=not bool(getattr(self.settings, "allow_downloads", False)))
        self.loads += 1
        entry = Loaded(pipe, path, TASK, device, dtype, settings=settings)
        try:
            pipe.to(device)
        except oom_types():  # too big for the GPU as a whole: only the running model on it
            pipe.to("cpu")
            free_memory()
            pipe.enable_model_cpu_offload(device=device)
            entry.offloaded = True
            entry.settings["offload"] = True
        put(entry)
        return entry

    def _call(self, pipe: Any, cls: str, prompt: str, negative: str, seconds: float, seed: int,
              steps: int) -> tuple[np.ndarray, int]:
        """One render: (samples as the pipeline gives them, its sample rate)."""
        import torch

        kwargs: dict[str, Any] = {"prompt": prompt, "num_inference_steps": steps, "output_type": "np",
                                  AUDIO_CLASSES[cls]["length_arg"]: float(seconds),
                                  "generator": torch.Generator("cpu").manual_seed(int(seed))}
        if negative.strip():
            kwargs["negative_prompt"] = negative
        try:
            result = pipe(**kwargs)
        except oom_types() as exc:
            free_memory()
            raise AuteurError("the GPU ran out of memory rendering a sound cue",
                              "free the GPU (stop other jobs), or render the temp score on the CPU") from exc
        audio = np.asarray(result.audios[0], dtype=np.float32)
        return audio, _native_rate(pipe)


def _load(path: Path, cls: str, dtype: str, *, local: bool) -> tuple[Any, dict[str, Any]]:
    """Read the pipeline from ``path`` on the CPU; a scheduler that needs a missing package gets a stand-in."""
    settings: dict[str, Any] = {}
    stand_in = _scheduler_stand_in(path)
    if stand_in is None:
        pipe = _from_pretrained(path, path, dtype, local=local)
    else:
        # diffusers checks a passed component against the class model_index.json names, so the pipeline is read
        # through a view of the folder (links to its parts) whose index names the stand-in.
        import tempfile

        with tempfile.TemporaryDirectory(prefix="auteur-audio-") as tmp:
            view = Path(tmp) / path.name
            view.mkdir()
            for part in path.iterdir():
                if part.name != "model_index.json":
                    (view / part.name).symlink_to(part.resolve(), target_is_directory=part.is_dir())
            index = json.loads((path / "model_index.json").read_text(encoding="utf-8"))
            index["scheduler"] = ["diffusers", type(stand_in).__name__]
            (view / "model_index.json").write_text(json.dumps(index), encoding="utf-8")
            pipe = _from_pretrained(view, path, dtype, local=local, scheduler=stand_in)
        settings["scheduler_stand_in"] = type(stand_in).__name__
    if type(pipe).__name__ != cls:
        raise AuteurError(f"{path.name} loaded as a {type(pipe).__name__}, not the {cls} it names",
                          "save the pipeline again with diffusers' save_pretrained")
    pipe.set_progress_bar_config(disable=True)
    return pipe, settings


def _from_pretrained(folder: Path, path: Path, dtype: str, *, local: bool, **parts: Any) -> Any:
    import torch
    from diffusers import DiffusionPipeline

    try:
        return DiffusionPipeline.from_pretrained(str(folder), dtype=getattr(torch, dtype), local_files_only=local,
                                                 **parts)
    except oom_types() as exc:
        raise AuteurError(f"the GPU ran out of memory loading {path.name}", "free the GPU and render again") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError, RuntimeError) as exc:
        raise AuteurError(f"the audio pipeline {path.name} could not be loaded ({type(exc).__name__}: "
                          f"{str(exc)[:200]})",
                          "check that the folder is complete (every component's weights present), or download "
                          "it again") from exc


def _scheduler_stand_in(path: Path) -> Any:
    """Stable Audio Open ships a scheduler that needs torchsde; without it, the EDM DPM-Solver on the same
    config (sigmas, prediction type) stands in. None when the folder's own scheduler loads as it is."""
    try:
        config = json.loads((path / "scheduler" / "scheduler_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if config.get("_class_name") not in _SDE_SCHEDULERS:
        return None
    try:
        import torchsde  # noqa: F401
        return None
    except ImportError:
        import diffusers

        return getattr(diffusers, _STAND_IN).from_config(config)


# ------------------------------------------------------------ lengths and rates


def _native_rate(pipe: Any) -> int:
    vocoder = getattr(pipe, "vocoder", None)
    if vocoder is not None:
        return int(vocoder.config.sampling_rate)
    return int(pipe.vae.config.sampling_rate)


def _chunk_seconds(pipe: Any, family: dict[str, Any]) -> float:
    """The longest sound one call renders: Stable Audio's from its transformer's latent length, the others' fixed."""
    if family["chunk_s"] is not None:
        return float(family["chunk_s"])
    hop = int(getattr(pipe.vae, "hop_length", 0) or np.prod(pipe.vae.config.downsampling_ratios))
    return float(pipe.transformer.config.sample_size * hop / pipe.vae.config.sampling_rate)


def _to_48k(audio: np.ndarray, rate: int) -> np.ndarray:
    """Mono (channels averaged; Stable Audio gives (channels, samples)), at 48 kHz."""
    from tools.sound.wav import resample

    x = np.nan_to_num(np.asarray(audio, dtype=np.float32))
    if x.ndim == 2:
        x = x.mean(axis=0) if x.shape[0] <= 2 else x.mean(axis=1)
    return resample(x.reshape(-1), rate, SAMPLE_RATE)


def _renders(seconds: float, chunk_s: float) -> tuple[int, float, float]:
    """How a cue is cut into renders a pipeline can make: (how many, seconds each, seconds of crossfade). Each
    render overlaps the next by the crossfade, so together they last ``seconds``."""
    if seconds <= chunk_s:
        return 1, seconds, 0.0
    fade = min(CROSSFADE_S, chunk_s / 4)
    count = int(np.ceil((seconds - fade) / (chunk_s - fade)))
    return count, (seconds - fade) / count + fade, fade


def _join(pieces: list[np.ndarray], fade_s: float) -> np.ndarray:
    """Renders end to end, each crossfading into the next over ``fade_s`` (equal power)."""
    out = pieces[0]
    for piece in pieces[1:]:
        fade = min(int(fade_s * SAMPLE_RATE), len(out), len(piece))
        ramp = np.sin(np.linspace(0, np.pi / 2, fade, dtype=np.float32))
        middle = out[len(out) - fade:] * ramp[::-1] + piece[:fade] * ramp
        out = np.concatenate([out[: len(out) - fade], middle, piece[fade:]])
    return out


def _finish(x: np.ndarray, n: int) -> np.ndarray:
    """Exactly ``n`` samples (padded by looping, or cut), faded at both ends, peak at most 0.9; silence refused."""
    if len(x) < n:
        x = np.concatenate([x, np.resize(x, n - len(x))]) if len(x) else np.zeros(n, dtype=np.float32)
    x = x[:n].astype(np.float32)
    peak = float(np.abs(x).max()) if n else 0.0
    if peak < 1e-5:
        raise AuteurError("the audio model made silence", "render the cue again with another seed, or use the "
                                                          "CPU temp score")
    if peak > PEAK:
        x *= PEAK / peak
    fade = min(int(EDGE_FADE_S * SAMPLE_RATE), n // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        x[:fade] *= ramp
        x[-fade:] *= ramp[::-1]
    return x
