"""Character consistency: a character's LoRA weights (with its trigger word), and reference images by IP-Adapter.

Both are loaded onto the kept pipeline for one job and unloaded after it, so
the next job on the same pipeline renders as if they had never been there. A
LoRA that cannot be applied fails the job (the look names it); references that
cannot be used are left out, and the take's parameters say why.
"""

from __future__ import annotations

import time
from pathlib import Path

from studio.errors import AuteurError
from studio.render import RenderRequest


def apply_loras(pipe, request: RenderRequest, params: dict, timings: dict) -> tuple[str, list[str]]:
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


def apply_ip_adapter(pipe, request: RenderRequest, accepts: set, params: dict, timings: dict,
                     *, ip_adapter: str | None, scale: float) -> list:
    """The reference images for IP-Adapter, loaded onto ``pipe`` (or [] with the reason in params)."""
    refs = [r for r in request.references if r]
    if not refs:
        return []
    params["references"] = [Path(r).name for r in refs]
    reason = ""
    if not hasattr(pipe, "load_ip_adapter") or "ip_adapter_image" not in accepts:
        reason = f"{type(pipe).__name__} takes no IP-Adapter"
    elif not ip_adapter:
        reason = "no IP-Adapter weights are configured (AUTEUR_IP_ADAPTER)"
    else:
        weights = Path(ip_adapter).expanduser()
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
    weights = Path(str(ip_adapter)).expanduser()
    encoder = image_encoder_folder(weights)
    try:
        pipe.load_ip_adapter(str(weights.parent.parent), subfolder=weights.parent.name, weight_name=weights.name,
                             image_encoder_folder=encoder, local_files_only=True)
        pipe.set_ip_adapter_scale(scale)
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
    params.update(ip_adapter_used=True, ip_adapter=str(weights), ip_adapter_scale=scale)
    timings["ip_adapter_load_s"] = round(time.perf_counter() - started, 3)
    images = []
    for r in refs:
        with Image.open(r) as img:
            images.append(img.convert("RGB"))
    return images


def unload(pipe, lora_names: list[str], params: dict) -> None:
    """Take the job's LoRA weights and IP-Adapter off the pipeline again."""
    if lora_names:
        pipe.unload_lora_weights()
    if params.get("ip_adapter_used"):
        pipe.unload_ip_adapter()


def image_encoder_folder(weights: Path) -> str | None:
    """Where the IP-Adapter's CLIP image encoder is, relative to the weights' grandparent (h94 layout)."""
    if (weights.parent / "image_encoder").is_dir():
        return "image_encoder"
    if (weights.parent.parent / "models" / "image_encoder").is_dir():
        return "models/image_encoder"
    return None
