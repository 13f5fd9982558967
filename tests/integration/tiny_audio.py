"""Tiny random audio pipelines, built in code and saved to a folder (nothing downloaded).

``save_stable_audio``: two transformer layers, four latent channels, a T5 encoder of one layer with a tokenizer
whose vocabulary (the letters, alone and starting a word) is written here by hand; one call renders at most
``MAX_SECONDS`` (512 latents × a hop of 32 at 16 kHz). ``save_audioldm``: a two-block UNet over an 8-band
spectrogram, a CLAP text encoder with a hand-written RoBERTa BPE vocabulary, and a HiFi-GAN vocoder (hop 64 at
16 kHz). ``save_audioldm2``: the same UNet family with two cross-attentions (a GPT-2 of two layers writing 8
tokens from CLAP's and a one-layer T5's embeddings). Each runs its pipeline's real code on the CPU in a second.
"""

from __future__ import annotations

import json
from pathlib import Path

LETTERS = "abcdefghijklmnopqrstuvwxyz"
RATE = 16_000
HOP = 32  # the VAE's downsampling ratios multiplied: 4 × 8
LATENTS = 512
MAX_SECONDS = LATENTS * HOP / RATE  # 1.024 s


def t5_tokenizer():
    """A Unigram tokenizer: pad, end and unknown, the word-start mark, and each letter alone or starting a word."""
    from transformers import T5Tokenizer

    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    vocab += [(c, -3.0) for c in LETTERS] + [("▁" + c, -2.5) for c in LETTERS]
    return T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=32)


def save_stable_audio(folder: Path, *, scheduler: str = "EDMDPMSolverMultistepScheduler") -> Path:
    """A StableAudioPipeline (stereo out at 16 kHz) saved with save_pretrained; ``scheduler`` names the scheduler
    class written into its scheduler_config.json (the real Stable Audio Open names one that needs torchsde)."""
    import torch
    from diffusers import AutoencoderOobleck, EDMDPMSolverMultistepScheduler, StableAudioDiTModel, StableAudioPipeline
    from diffusers.pipelines.stable_audio import StableAudioProjectionModel
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(0)
    tokenizer = t5_tokenizer()
    text_encoder = T5EncoderModel(T5Config(vocab_size=len(tokenizer), d_model=8, d_kv=4, d_ff=16, num_layers=1,
                                           num_heads=2, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0))
    projection = StableAudioProjectionModel(text_encoder_dim=8, conditioning_dim=8, min_value=0, max_value=512)
    vae = AutoencoderOobleck(encoder_hidden_size=4, downsampling_ratios=[4, 8], channel_multiples=[1, 2],
                             decoder_channels=4, decoder_input_channels=4, audio_channels=2, sampling_rate=RATE)
    transformer = StableAudioDiTModel(sample_size=LATENTS, in_channels=4, num_layers=2, attention_head_dim=4,
                                      num_attention_heads=2, num_key_value_attention_heads=2, out_channels=4,
                                      cross_attention_dim=8, time_proj_dim=8, global_states_input_dim=16,
                                      cross_attention_input_dim=8)
    sched = EDMDPMSolverMultistepScheduler(solver_order=2, prediction_type="v_prediction", sigma_data=1.0,
                                           sigma_schedule="exponential", sigma_min=0.3, sigma_max=500.0)
    pipe = StableAudioPipeline(vae=vae, text_encoder=text_encoder, projection_model=projection, tokenizer=tokenizer,
                               transformer=transformer, scheduler=sched)
    pipe.save_pretrained(str(folder))
    if scheduler != type(sched).__name__:
        config_path = folder / "scheduler" / "scheduler_config.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["_class_name"] = scheduler
        config_path.write_text(json.dumps(config), encoding="utf-8")
        index_path = folder / "model_index.json"
        index = json.loads(index_path.read_text(encoding="utf-8"))
        index["scheduler"] = ["diffusers", scheduler]
        index_path.write_text(json.dumps(index), encoding="utf-8")
    return folder


def roberta_tokenizer(folder: Path):
    """A byte-level BPE tokenizer (RoBERTa's, as CLAP uses): the specials, each letter, and each letter after a
    space ('Ġa'), with the merges that join a space to a letter."""
    from transformers import RobertaTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4, "\u0120": 5}
    for c in LETTERS:
        vocab.setdefault(c, len(vocab))
    for c in LETTERS:
        vocab.setdefault("\u0120" + c, len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    merges = "#version: 0.2\n" + "".join(f"\u0120 {c}\n" for c in LETTERS)
    (folder / "merges.txt").write_text(merges, encoding="utf-8")
    return RobertaTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"), model_max_length=77)


def save_audioldm(folder: Path) -> Path:
    """An AudioLDMPipeline (mono out at 16 kHz) saved with save_pretrained."""
    import torch
    from diffusers import AudioLDMPipeline, AutoencoderKL, DDIMScheduler, UNet2DConditionModel
    from transformers import ClapTextConfig, ClapTextModelWithProjection

    torch.manual_seed(0)
    tokenizer = roberta_tokenizer(folder.parent / f"{folder.name}_tokenizer")
    unet = UNet2DConditionModel(block_out_channels=(8, 16), layers_per_block=1, sample_size=8, in_channels=4,
                                out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                                up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=(8, 16),
                                class_embed_type="simple_projection", projection_class_embeddings_input_dim=16,
                                class_embeddings_concat=True, norm_num_groups=4, attention_head_dim=4)
    vae = AutoencoderKL(block_out_channels=(8, 16), in_channels=1, out_channels=1,
                        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                        latent_channels=4, norm_num_groups=4)
    text_encoder = ClapTextModelWithProjection(ClapTextConfig(
        bos_token_id=0, eos_token_id=2, pad_token_id=1, hidden_size=16, intermediate_size=24, layer_norm_eps=1e-5,
        num_attention_heads=2, num_hidden_layers=2, vocab_size=len(tokenizer) + 4, projection_dim=16,
        max_position_embeddings=80))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                              set_alpha_to_one=False)
    pipe = AudioLDMPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, scheduler=scheduler,
                            vocoder=_vocoder())
    pipe.save_pretrained(str(folder))
    return folder


def _vocoder():
    """A HiFi-GAN from an 8-band spectrogram at a hop of 64 (16 kHz), loud enough to be plainly not silence."""
    import torch
    from transformers import SpeechT5HifiGan, SpeechT5HifiGanConfig

    vocoder = SpeechT5HifiGan(SpeechT5HifiGanConfig(
        model_in_dim=8, sampling_rate=RATE, upsample_initial_channel=16, upsample_rates=[4, 4, 4],
        upsample_kernel_sizes=[8, 8, 8], resblock_kernel_sizes=[3, 7], resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5]],
        normalize_before=False))
    with torch.no_grad():  # random weights whisper at -80 dBFS
        vocoder.conv_post.weight.mul_(1e5)
    return vocoder


def save_audioldm2(folder: Path) -> Path:
    """An AudioLDM2Pipeline (mono out at 16 kHz) saved with save_pretrained."""
    import torch
    from diffusers import AudioLDM2Pipeline, AutoencoderKL, DDIMScheduler
    from diffusers.pipelines.audioldm2 import AudioLDM2ProjectionModel, AudioLDM2UNet2DConditionModel
    from transformers import (ClapAudioConfig, ClapConfig, ClapFeatureExtractor, ClapModel, ClapTextConfig,
                              GPT2Config, GPT2LMHeadModel, T5Config, T5EncoderModel)

    torch.manual_seed(0)
    tokenizer = roberta_tokenizer(folder.parent / f"{folder.name}_tokenizer")
    tokenizer_2 = t5_tokenizer()
    text = ClapTextConfig(bos_token_id=0, eos_token_id=2, pad_token_id=1, hidden_size=16, intermediate_size=24,
                          num_attention_heads=2, num_hidden_layers=2, vocab_size=len(tokenizer) + 4, projection_dim=16,
                          max_position_embeddings=80, layer_norm_eps=1e-5)
    audio = ClapAudioConfig(spec_size=64, window_size=4, num_mel_bins=64, intermediate_size=24, depths=[2, 2],
                            num_attention_heads=[2, 2], num_hidden_layers=2, hidden_size=16, projection_dim=16,
                            patch_size=2, patch_stride=2, patch_embed_input_channels=4, layer_norm_eps=1e-5)
    clap = ClapModel(ClapConfig(text_config=text.to_dict(), audio_config=audio.to_dict(), projection_dim=16))
    t5 = T5EncoderModel(T5Config(vocab_size=len(tokenizer_2), d_model=32, d_kv=8, d_ff=32, num_layers=1, num_heads=2,
                                 pad_token_id=0, eos_token_id=1, decoder_start_token_id=0))
    language_model = GPT2LMHeadModel(GPT2Config(n_embd=16, n_head=2, n_layer=2, vocab_size=64, n_positions=64,
                                                bos_token_id=0, eos_token_id=0, max_new_tokens=8))
    unet = AudioLDM2UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, norm_num_groups=4, sample_size=8, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=([None, 16, 32], [None, 16, 32]), attention_head_dim=4)
    vae = AutoencoderKL(block_out_channels=(8, 16), in_channels=1, out_channels=1,
                        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                        latent_channels=4, norm_num_groups=4)
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                              set_alpha_to_one=False)
    pipe = AudioLDM2Pipeline(vae=vae, text_encoder=clap, text_encoder_2=t5,
                             projection_model=AudioLDM2ProjectionModel(text_encoder_dim=16, text_encoder_1_dim=32,
                                                                       langauge_model_dim=16),
                             language_model=language_model, tokenizer=tokenizer, tokenizer_2=tokenizer_2,
                             feature_extractor=ClapFeatureExtractor(), unet=unet, scheduler=scheduler,
                             vocoder=_vocoder())
    pipe.save_pretrained(str(folder))
    return folder
