"""Finding diffusers pipelines on this machine: a folder, AUTEUR_MODELS_DIR, or the Hugging Face cache.

Nothing is downloaded unless the settings allow it (AUTEUR_ALLOW_DOWNLOADS=1).
A pipeline is a folder with diffusers' ``model_index.json``; its ``_class_name``
says whether it makes images, videos from text, or videos from an image.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from studio.errors import AuteurError

IMAGE = "text-to-image"
TEXT_TO_VIDEO = "text-to-video"
IMAGE_TO_VIDEO = "image-to-video"

# Video pipelines by class name; everything else diffusers' text-to-image auto pipeline may take.
IMAGE_TO_VIDEO_CLASSES = {
    "StableVideoDiffusionPipeline", "I2VGenXLPipeline", "LTXImageToVideoPipeline", "LTXConditionPipeline",
    "CogVideoXImageToVideoPipeline", "WanImageToVideoPipeline", "HunyuanVideoImageToVideoPipeline",
    "HunyuanVideoFramepackPipeline", "SkyReelsV2ImageToVideoPipeline", "SkyReelsV2DiffusionForcingImageToVideoPipeline",
    "PIAPipeline", "ConsisIDPipeline", "EasyAnimateInpaintPipeline", "LTX2ImageToVideoPipeline",
    "HunyuanVideo15ImageToVideoPipeline", "Kandinsky5I2VPipeline",
}
TEXT_TO_VIDEO_CLASSES = {
    "TextToVideoSDPipeline", "TextToVideoZeroPipeline", "LTXPipeline", "CogVideoXPipeline", "WanPipeline",
    "MochiPipeline", "HunyuanVideoPipeline", "AllegroPipeline", "LattePipeline", "AnimateDiffPipeline",
    "AnimateDiffSDXLPipeline", "SkyReelsV2Pipeline", "SkyReelsV2DiffusionForcingPipeline", "EasyAnimatePipeline",
    "CosmosTextToWorldPipeline", "LTX2Pipeline", "HunyuanVideo15Pipeline", "SanaVideoPipeline", "Kandinsky5T2VPipeline",
}
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def cuda_available() -> bool:
    """Whether torch sees a CUDA GPU (imports torch only when asked)."""
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def pipeline_class(path: Path) -> str:
    """The ``_class_name`` of the pipeline in ``path`` (its model_index.json)."""
    index = Path(path) / "model_index.json"
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _not_a_pipeline(Path(path)) from None
    except (OSError, ValueError) as exc:
        raise AuteurError(f"{index} cannot be read as JSON ({exc})",
                          "download or save the pipeline again (its model_index.json is damaged)") from exc
    name = data.get("_class_name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name:
        raise AuteurError(f"{index} names no pipeline class (_class_name)",
                          "use a folder written by diffusers' save_pretrained or downloaded from the Hub")
    return name


def pipeline_task(path: Path) -> str:
    """text-to-image, text-to-video or image-to-video, from the pipeline's class name."""
    return task_of_class(pipeline_class(path))


def task_of_class(name: str) -> str:
    if name in IMAGE_TO_VIDEO_CLASSES or "ImageToVideo" in name or "I2V" in name:
        return IMAGE_TO_VIDEO
    if name in TEXT_TO_VIDEO_CLASSES or "Video" in name:
        return TEXT_TO_VIDEO
    return IMAGE


def resolve_model(name: str, settings=None, *, cache_dir: Path | str | None = None) -> Path:
    """The folder of the diffusers pipeline called ``name``.

    In order: a folder path; ``<models_dir>/<name>``; a Hugging Face repo id in the
    local cache (or downloaded, only when ``settings.allow_downloads``).
    """
    name = (name or "").strip()
    if not name or name in ("sketch", "animatic"):
        raise AuteurError("no diffusers model is configured",
                          "set AUTEUR_IMAGE_MODEL / AUTEUR_VIDEO_MODEL to a pipeline folder or a Hugging Face repo "
                          "id, or pick a tier in config/quality.yaml that names one")
    models_dir = getattr(settings, "models_dir", None)
    allow = bool(getattr(settings, "allow_downloads", False))
    given = Path(name).expanduser()
    candidates = [given]
    if models_dir and not given.is_absolute():
        candidates += [Path(models_dir) / name, Path(models_dir) / name.replace("/", "--")]
    for folder in candidates:
        if folder.exists():
            return _check_pipeline(folder.absolute())
    looks_like_path = given.is_absolute() or name.startswith((".", "~")) or not _REPO_ID.match(name)
    if looks_like_path:
        where = f" (nor under {models_dir})" if models_dir and not given.is_absolute() else ""
        raise AuteurError(f"the model folder {given} does not exist{where}",
                          "point AUTEUR_IMAGE_MODEL (or AUTEUR_VIDEO_MODEL) at a diffusers pipeline folder, "
                          "or put the folder under AUTEUR_MODELS_DIR")
    return _check_pipeline(_from_hub_cache(name, allow, models_dir, cache_dir))


def _from_hub_cache(repo: str, allow: bool, models_dir, cache_dir) -> Path:
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    cache = Path(cache_dir or constants.HF_HUB_CACHE)
    try:
        return Path(snapshot_download(repo, cache_dir=cache, local_files_only=True))
    except (LocalEntryNotFoundError, FileNotFoundError, OSError, ValueError):
        pass
    if not allow:
        under = f", nor a folder under {models_dir}" if models_dir else ""
        raise AuteurError(f"the model {repo} is not in the Hugging Face cache ({cache}){under}",
                          f"download it yourself (`huggingface-cli download {repo}` or `hf download {repo}`), "
                          f"put a pipeline folder under AUTEUR_MODELS_DIR, point AUTEUR_IMAGE_MODEL at one, "
                          f"or set AUTEUR_ALLOW_DOWNLOADS=1 to let Auteur fetch it")
    try:
        from diffusers import DiffusionPipeline

        return Path(DiffusionPipeline.download(repo, cache_dir=cache))
    except Exception as exc:  # offline, unknown repo, gated model, full disk
        raise AuteurError(f"the model {repo} could not be downloaded ({type(exc).__name__}: {str(exc)[:200]})",
                          "check the repo id and the network (HF_HUB_OFFLINE must be unset, gated models need "
                          "`huggingface-cli login`), or download it yourself and point AUTEUR_IMAGE_MODEL at it") \
            from exc


def _check_pipeline(folder: Path) -> Path:
    if folder.is_file() and folder.suffix in (".safetensors", ".ckpt"):
        raise AuteurError(f"{folder} is a single-file checkpoint, not a diffusers pipeline folder",
                          "use the model's diffusers folder (with model_index.json), or convert the file with "
                          "diffusers' from_single_file and save_pretrained")
    if not (folder / "model_index.json").is_file():
        raise _not_a_pipeline(folder)
    return folder


def _not_a_pipeline(folder: Path) -> AuteurError:
    what = "a single model (config.json), not a whole pipeline" if (folder / "config.json").is_file() \
        else "not a diffusers pipeline (no model_index.json)"
    return AuteurError(f"{folder} is {what}",
                       "use the folder that holds model_index.json: a pipeline saved with diffusers' "
                       "save_pretrained or downloaded from the Hub (`huggingface-cli download REPO`)")
