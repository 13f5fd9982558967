"""Our settings on a loaded pipeline: where it runs, SDPA attention, a channels-last UNet, VAE slicing and tiling.

What is set goes into the take's parameters, so a sidecar says how its pixels
were made. ``attention_report`` lists the attention processors of each model
(the benchmark and the GPU tests check that none is the slow default).
"""

from __future__ import annotations

from typing import Any, Iterator

BIG_IMAGE = 1536 * 1024  # pixels above which the VAE decodes in tiles
BIG_VIDEO = 49 * 720 * 480  # frame pixels of a clip above which the VAE decodes in tiles


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
    for _name, model in _named_models(pipe):
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


def vae_tiling(pipe, on: bool) -> bool:
    """Decode in tiles (``on``); whether the pipeline's VAE does now."""
    vae = getattr(pipe, "vae", None)
    if on and vae is not None and hasattr(vae, "enable_tiling"):
        try:
            vae.enable_tiling()
            return True
        except (NotImplementedError, ValueError):
            return False
    return False


def _named_models(pipe) -> Iterator[tuple[str, Any]]:
    for name in ("unet", "transformer", "transformer_2", "vae", "prior", "decoder"):
        model = getattr(pipe, name, None)
        if model is not None:
            yield name, model
