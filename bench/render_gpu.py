"""Seconds per image on a GPU: Auteur's diffusers settings beside plain diffusers defaults.

Two pipelines are built from their architectures' configs with random weights
(nothing downloaded): SDXL (1024², 30 steps, guidance 5) and FLUX.1-schnell
(1024², 4 steps). Each runs first as plain diffusers leaves it (float32, no
tweaks), then, the same weights in the same process, through the backend's
settings (bf16, SDPA, channels-last) and its render path. Prints a table; not a test.

Run: .venv/bin/python bench/render_gpu.py  (without a CUDA GPU it says so and exits 0)
     .venv/bin/python bench/render_gpu.py --tiny  (tiny configs, on the CPU: checks the script)
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PROMPT = "a waitress at a diner counter at night, rain on the window"  # under 77 tokens, letter by letter

# Architectures at full size (the models' published configs) and tiny (same code path, on a CPU).
SDXL_UNET = dict(act_fn="silu", addition_embed_type="text_time", addition_embed_type_num_heads=64,
                 addition_time_embed_dim=256, attention_head_dim=[5, 10, 20], block_out_channels=[320, 640, 1280],
                 cross_attention_dim=2048, down_block_types=["DownBlock2D", "CrossAttnDownBlock2D",
                                                             "CrossAttnDownBlock2D"],
                 in_channels=4, layers_per_block=2, mid_block_type="UNetMidBlock2DCrossAttn", norm_num_groups=32,
                 out_channels=4, projection_class_embeddings_input_dim=2816, sample_size=128,
                 transformer_layers_per_block=[1, 2, 10],
                 up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"], use_linear_projection=True)
SDXL_UNET_TINY = {**SDXL_UNET, "attention_head_dim": [2, 4], "block_out_channels": [16, 32],
                  "cross_attention_dim": 32, "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"],
                  "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"], "layers_per_block": 1, "norm_num_groups": 8,
                  "addition_time_embed_dim": 8, "projection_class_embeddings_input_dim": 16 + 6 * 8,
                  "transformer_layers_per_block": [1, 1], "sample_size": 16}
VAE = dict(block_out_channels=[128, 256, 512, 512], down_block_types=["DownEncoderBlock2D"] * 4,
           up_block_types=["UpDecoderBlock2D"] * 4, in_channels=3, out_channels=3, latent_channels=4,
           layers_per_block=2, norm_num_groups=32, sample_size=1024, scaling_factor=0.13025, force_upcast=True)
VAE_TINY = {**VAE, "block_out_channels": [8, 8, 8, 8], "layers_per_block": 1, "norm_num_groups": 4}
FLUX_VAE = {**VAE, "latent_channels": 16, "scaling_factor": 0.3611, "shift_factor": 0.1159,
            "use_quant_conv": False, "use_post_quant_conv": False}
FLUX_VAE_TINY = {**FLUX_VAE, "block_out_channels": [8, 8, 8, 8], "layers_per_block": 1, "norm_num_groups": 4}
FLUX_TRANSFORMER = dict(patch_size=1, in_channels=64, num_layers=19, num_single_layers=38, attention_head_dim=128,
                        num_attention_heads=24, joint_attention_dim=4096, pooled_projection_dim=768,
                        guidance_embeds=False, axes_dims_rope=[16, 56, 56])
FLUX_TRANSFORMER_TINY = {**FLUX_TRANSFORMER, "num_layers": 1, "num_single_layers": 1, "attention_head_dim": 16,
                         "num_attention_heads": 2, "joint_attention_dim": 32, "pooled_projection_dim": 32,
                         "axes_dims_rope": [4, 6, 6]}
CLIP_L = dict(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12,
              projection_dim=768, hidden_act="quick_gelu", vocab_size=49408, max_position_embeddings=77)
CLIP_G = dict(hidden_size=1280, intermediate_size=5120, num_attention_heads=20, num_hidden_layers=32,
              projection_dim=1280, hidden_act="gelu", vocab_size=49408, max_position_embeddings=77)
T5_XXL = dict(d_model=4096, d_ff=10240, d_kv=64, num_heads=64, num_layers=24, vocab_size=32128,
              feed_forward_proj="gated-gelu", relative_attention_num_buckets=32, layer_norm_epsilon=1e-6)


def clip_tiny(hidden: int) -> dict:
    return dict(hidden_size=hidden, intermediate_size=2 * hidden, num_attention_heads=2, num_hidden_layers=1,
                projection_dim=hidden, hidden_act="gelu", vocab_size=64, max_position_embeddings=77,
                bos_token_id=0, eos_token_id=1, pad_token_id=2)


T5_TINY = {**T5_XXL, "d_model": 32, "d_ff": 64, "d_kv": 8, "num_heads": 4, "num_layers": 1, "vocab_size": 64}

# name, steps, guidance, size; tiny: size 64, at most 3 steps
RUNS = {"sdxl": ("SDXL", 30, 5.0, 1024), "flux": ("FLUX.1-schnell", 4, 0.0, 1024)}


def clip_tokenizer():
    from transformers import CLIPTokenizer

    folder = Path(tempfile.mkdtemp(prefix="auteur-bench-tok-"))
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    vocab = {t: i for i, t in enumerate(["<|startoftext|>", "<|endoftext|>", "!"] + letters
                                        + [c + "</w>" for c in letters])}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    return CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"), model_max_length=77, pad_token="!")


def t5_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = ["<pad>", "</s>", "<unk>"] + PROMPT.replace(",", "").split()
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(dict.fromkeys(words))}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>",
                                   model_max_length=512)


def build_sdxl(tiny: bool):
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    unet = UNet2DConditionModel(**(SDXL_UNET_TINY if tiny else SDXL_UNET))
    te1 = CLIPTextModel(CLIPTextConfig(**(clip_tiny(16) if tiny else CLIP_L)))
    te2 = CLIPTextModelWithProjection(CLIPTextConfig(**(clip_tiny(16) if tiny else CLIP_G)))
    vae = AutoencoderKL(**(VAE_TINY if tiny else VAE))
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       steps_offset=1, timestep_spacing="leading")
    return StableDiffusionXLPipeline(vae=vae, text_encoder=te1, text_encoder_2=te2, tokenizer=clip_tokenizer(),
                                     tokenizer_2=clip_tokenizer(), unet=unet, scheduler=scheduler)


def build_flux(tiny: bool):
    from diffusers import AutoencoderKL, FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel
    from transformers import CLIPTextConfig, CLIPTextModel, T5Config, T5EncoderModel

    transformer = FluxTransformer2DModel(**(FLUX_TRANSFORMER_TINY if tiny else FLUX_TRANSFORMER))
    te1 = CLIPTextModel(CLIPTextConfig(**(clip_tiny(32) if tiny else CLIP_L)))
    te2 = T5EncoderModel(T5Config(**(T5_TINY if tiny else T5_XXL)))
    vae = AutoencoderKL(**(FLUX_VAE_TINY if tiny else FLUX_VAE))
    scheduler = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0, use_dynamic_shifting=False)
    return FluxPipeline(scheduler=scheduler, vae=vae, text_encoder=te1, tokenizer=clip_tokenizer(),
                        text_encoder_2=te2, tokenizer_2=t5_tokenizer(), transformer=transformer)


def build(arch: str, tiny: bool, device: str):
    """The pipeline with random weights, made directly on ``device`` in float32 (diffusers' default)."""
    import torch

    torch.manual_seed(0)
    with torch.device(device):
        pipe = build_sdxl(tiny) if arch == "sdxl" else build_flux(tiny)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def time_calls(fn, device: str, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        sync(device)
        started = time.perf_counter()
        fn()
        sync(device)
        out.append(time.perf_counter() - started)
    return out


def measure(arch: str, *, tiny: bool, device: str, dtype: str | None, repeats: int) -> list[dict]:
    """Seconds per image of ``arch``: plain diffusers defaults, then the backend's settings."""
    import torch

    from studio.render import RenderKind, RenderRequest
    from tools.render.diffusers import DiffusersBackend, optimize
    from tools.render.diffusers.cache import Loaded

    label, steps, guidance, size = RUNS[arch]
    if tiny:
        size, steps = 64, min(steps, 3)
    rows = []
    pipe = build(arch, tiny, device)
    args = dict(prompt=PROMPT, height=size, width=size, num_inference_steps=steps, guidance_scale=guidance)
    if arch == "flux":
        args["max_sequence_length"] = 256

    def plain():
        pipe(**args, generator=torch.Generator("cpu").manual_seed(0))

    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    try:
        pipe(**{**args, "num_inference_steps": 2})  # warm-up: kernels chosen, memory pools grown
        seconds = time_calls(plain, device, repeats)
        rows.append(row(label, "diffusers defaults", "float32", "default", size, steps, seconds, device))
    except torch.cuda.OutOfMemoryError:
        rows.append(row(label, "diffusers defaults", "float32", "default", size, steps, None, device))
    gc.collect()

    backend = DiffusersBackend(device=device, dtype=dtype)
    ours = backend.dtype_for(type(pipe).__name__)
    pipe.to(dtype=getattr(torch, ours))
    entry = Loaded(pipe, Path(f"<random {label}>"), "text-to-image", device, ours)
    entry.settings = optimize(pipe, device, ours)
    gc.collect()
    if device.startswith("cuda"):
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    request = RenderRequest(kind=RenderKind.BOARD, prompt=PROMPT, model=label, width=size, height=size,
                            num_inference_steps=steps, guidance_scale=guidance, seed=0)

    def auteur():
        backend.run(entry, request, lambda _f, _m: None, lambda: False)

    backend.run(entry, request.model_copy(update={"num_inference_steps": 2}), lambda _f, _m: None, lambda: False)
    seconds = time_calls(auteur, device, repeats)
    rows.append(row(label, "Auteur backend", ours, entry.settings.get("attention", ""), size, steps, seconds, device))
    return rows


def free(device: str) -> None:
    import torch

    gc.collect()
    if device.startswith("cuda"):
        torch.cuda.empty_cache()


def row(label, setup, dtype, attention, size, steps, seconds, device) -> dict:
    import torch

    peak = torch.cuda.max_memory_allocated() / 2**30 if device.startswith("cuda") else None
    return {"pipeline": label, "setup": setup, "dtype": dtype, "attention": attention, "size": f"{size}²",
            "steps": steps, "s_per_image": min(seconds) if seconds else None,
            "mean_s": sum(seconds) / len(seconds) if seconds else None, "peak_gib": peak}


def fmt(v: float | None, d: int = 2) -> str:
    return f"{v:.{d}f}" if v is not None else "out of memory"


def table(rows: list[dict]) -> str:
    lines = ["| pipeline | setup | dtype | attention | size | steps | s/image (best) | mean s | peak GiB | speed-up |",
             "|---|---|---|---|---|---:|---:|---:|---:|---:|"]
    base: dict[str, float] = {}
    for r in rows:
        s = r["s_per_image"]
        if r["setup"] == "diffusers defaults" and s:
            base[r["pipeline"]] = s
        speed = f"{base[r['pipeline']] / s:.2f}x" if s and r["pipeline"] in base else "—"
        peak = f"{r['peak_gib']:.1f}" if r["peak_gib"] is not None else "—"
        lines.append(f"| {r['pipeline']} | {r['setup']} | {r['dtype']} | {r['attention']} | {r['size']} | "
                     f"{r['steps']} | {fmt(s, 3)} | {fmt(r['mean_s'], 3)} | {peak} | {speed} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tiny", action="store_true", help="tiny configs of the same architectures (runs on a CPU)")
    ap.add_argument("--only", choices=sorted(RUNS), action="append", help="one pipeline (default: both)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of each (the best and the mean are shown)")
    ap.add_argument("--dtype", choices=["bfloat16", "float16", "float32"], help="override the backend's dtype")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON after the table")
    args = ap.parse_args(argv)

    from tools.render.diffusers import cuda_available

    if not cuda_available() and not args.tiny:
        print("bench/render_gpu.py needs a CUDA GPU (torch sees none); nothing measured. "
              "Run it on a GPU machine, or with --tiny to check the script on the CPU.")
        return 0
    import torch

    device = "cuda" if cuda_available() else "cpu"
    where = torch.cuda.get_device_name(0) if device == "cuda" else "CPU"
    print(f"device: {where}; torch {torch.__version__}; {'tiny configs' if args.tiny else 'full-size configs'}, "
          f"random weights; best of {args.repeats} after a warm-up")
    rows: list[dict] = []
    for arch in args.only or ["sdxl", "flux"]:
        rows += measure(arch, tiny=args.tiny, device=device, dtype=args.dtype, repeats=max(1, args.repeats))
        free(device)  # the pipeline goes with measure's frame
    print(table(rows))
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
