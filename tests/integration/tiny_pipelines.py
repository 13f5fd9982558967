"""Tiny random diffusers pipelines, built in code and saved to a folder (nothing downloaded).

Two layers, a few channels: they run the real pipeline code on the CPU in well
under a second a step. ``save_text_to_image`` writes a Stable Diffusion pipeline
(the SD-Turbo family), ``save_image_to_video`` a Stable Video Diffusion one,
``save_lora`` a LoRA for the text-to-image one, ``save_ip_adapter`` IP-Adapter
weights with their image encoder.
"""

from __future__ import annotations

import json
from pathlib import Path

VOCAB = ["<|startoftext|>", "<|endoftext|>", "!"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]


def write_clip_tokenizer(folder: Path) -> Path:
    """A CLIP BPE tokenizer with a vocabulary of letters (and letters ending a word), written by hand."""
    from transformers import CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab: dict[str, int] = {}
    for tok in VOCAB:
        vocab.setdefault(tok, len(vocab))
    for c in VOCAB[3:]:
        vocab.setdefault(c + "</w>", len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    tok = CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"), model_max_length=77,
                        pad_token="!")
    tok.save_pretrained(str(folder))
    return folder


def text_to_image_components(tmp: Path) -> dict:
    """The components of a tiny StableDiffusionPipeline (VAE factor 8, UNet of 2 blocks)."""
    import torch
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(0)
    unet = UNet2DConditionModel(block_out_channels=(8, 16), layers_per_block=1, sample_size=8, in_channels=4,
                                out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                                up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=16,
                                attention_head_dim=4, norm_num_groups=4)
    vae = AutoencoderKL(block_out_channels=(8, 8, 8, 8), in_channels=3, out_channels=3,
                        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                        latent_channels=4, norm_num_groups=4, sample_size=64)
    text_encoder = CLIPTextModel(CLIPTextConfig(bos_token_id=0, eos_token_id=1, pad_token_id=2, hidden_size=16,
                                                intermediate_size=24, num_attention_heads=2, num_hidden_layers=2,
                                                vocab_size=64, max_position_embeddings=77, projection_dim=16))
    tokenizer = CLIPTokenizer.from_pretrained(str(write_clip_tokenizer(tmp / "_tokenizer")))
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       timestep_spacing="trailing", steps_offset=1)
    return {"unet": unet, "vae": vae, "text_encoder": text_encoder, "tokenizer": tokenizer,
            "scheduler": scheduler, "safety_checker": None, "feature_extractor": None, "image_encoder": None}


def save_text_to_image(folder: Path) -> Path:
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline(**text_to_image_components(folder.parent), requires_safety_checker=False)
    pipe.save_pretrained(str(folder))
    return folder


def save_image_to_video(folder: Path) -> Path:
    """A tiny StableVideoDiffusionPipeline (image in, frames out; no tokenizer)."""
    import torch
    from diffusers import (AutoencoderKLTemporalDecoder, EulerDiscreteScheduler, StableVideoDiffusionPipeline,
                           UNetSpatioTemporalConditionModel)
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(0)
    unet = UNetSpatioTemporalConditionModel(
        block_out_channels=(32, 64), layers_per_block=1, sample_size=8, in_channels=8, out_channels=4,
        down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
        up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"), cross_attention_dim=16,
        num_attention_heads=(2, 4), projection_class_embeddings_input_dim=48, addition_time_embed_dim=16,
        num_frames=8)
    vae = AutoencoderKLTemporalDecoder(block_out_channels=(32, 32, 32, 32), in_channels=3, out_channels=3,
                                       down_block_types=("DownEncoderBlock2D",) * 4, latent_channels=4,
                                       layers_per_block=1)
    image_encoder = CLIPVisionModelWithProjection(CLIPVisionConfig(
        hidden_size=16, projection_dim=16, num_hidden_layers=2, num_attention_heads=2, image_size=224,
        intermediate_size=24, patch_size=32))
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       prediction_type="v_prediction", sigma_max=700.0, sigma_min=0.002,
                                       timestep_spacing="leading", timestep_type="continuous", use_karras_sigmas=True,
                                       interpolation_type="linear", steps_offset=1)
    pipe = StableVideoDiffusionPipeline(vae=vae, image_encoder=image_encoder, unet=unet, scheduler=scheduler,
                                        feature_extractor=CLIPImageProcessor(crop_size=224, size=224))
    pipe.save_pretrained(str(folder))
    return folder


def save_lora(pipeline_folder: Path, out: Path, *, rank: int = 4, seed: int = 1) -> Path:
    """A random LoRA on the tiny text-to-image UNet's attention, saved as diffusers LoRA weights."""
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    unet = UNet2DConditionModel.from_pretrained(str(pipeline_folder), subfolder="unet")
    torch.manual_seed(seed)
    unet.add_adapter(LoraConfig(r=rank, lora_alpha=rank, init_lora_weights=False,
                                target_modules=["to_q", "to_k", "to_v", "to_out.0"]))
    with torch.no_grad():  # strong enough to move the pixels of a two-step render
        for name, p in unet.named_parameters():
            if "lora_B" in name:
                p.mul_(4.0)
    out.mkdir(parents=True, exist_ok=True)
    StableDiffusionPipeline.save_lora_weights(str(out), unet_lora_layers=get_peft_model_state_dict(unet))
    return out / "pytorch_lora_weights.safetensors"


def save_ip_adapter(pipeline_folder: Path, out: Path, *, seed: int = 2) -> Path:
    """IP-Adapter weights for the tiny text-to-image UNet (h94 layout: out/models/ip-adapter.safetensors
    beside out/models/image_encoder)."""
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    unet = UNet2DConditionModel.from_pretrained(str(pipeline_folder), subfolder="unet")
    cross = unet.config.cross_attention_dim
    embed = 16
    torch.manual_seed(seed)
    encoder = CLIPVisionModelWithProjection(CLIPVisionConfig(
        hidden_size=16, projection_dim=embed, num_hidden_layers=2, num_attention_heads=2, image_size=32,
        intermediate_size=24, patch_size=8))
    models = out / "models"
    encoder.save_pretrained(str(models / "image_encoder"))
    weights = {"image_proj.proj.weight": torch.randn(cross * 4, embed),
               "image_proj.proj.bias": torch.randn(cross * 4),
               "image_proj.norm.weight": torch.ones(cross), "image_proj.norm.bias": torch.zeros(cross)}
    # diffusers numbers the IP-Adapter's layers 1, 3, 5 ... over the UNet's cross-attention in order.
    key = 1
    for name in unet.attn_processors:
        if not name.endswith("attn1.processor"):
            if name.startswith("mid_block"):
                hidden = unet.config.block_out_channels[-1]
            elif name.startswith("up_blocks"):
                hidden = list(reversed(unet.config.block_out_channels))[int(name[len("up_blocks.")])]
            else:
                hidden = unet.config.block_out_channels[int(name[len("down_blocks.")])]
            weights[f"ip_adapter.{key}.to_k_ip.weight"] = torch.randn(hidden, cross) * 2
            weights[f"ip_adapter.{key}.to_v_ip.weight"] = torch.randn(hidden, cross) * 2
            key += 2
    path = models / "ip-adapter_tiny.safetensors"
    save_file({k: v.contiguous() for k, v in weights.items()}, str(path))
    return path


def save_text_to_video(folder: Path) -> Path:
    """A tiny AnimateDiffPipeline (text in, frames out): the text-to-image parts plus a motion adapter."""
    import torch
    from diffusers import AnimateDiffPipeline, MotionAdapter

    parts = text_to_image_components(folder.parent)
    torch.manual_seed(0)
    adapter = MotionAdapter(block_out_channels=(8, 16), motion_layers_per_block=1, motion_num_attention_heads=2,
                            motion_norm_num_groups=4, motion_max_seq_length=32)
    pipe = AnimateDiffPipeline(vae=parts["vae"], text_encoder=parts["text_encoder"], tokenizer=parts["tokenizer"],
                               unet=parts["unet"], motion_adapter=adapter, scheduler=parts["scheduler"])
    pipe.save_pretrained(str(folder))
    return folder


def out_of_memory_for(real, times: int, calls: list):
    """A pipeline ``__call__`` that raises CUDA's out-of-memory error ``times`` times, then renders."""
    import functools

    import torch

    @functools.wraps(real)
    def call(self, *args, **kwargs):
        calls.append((kwargs["width"], kwargs["height"]))
        if len(calls) <= times:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
        return real(self, *args, **kwargs)
    return call
