"""A tiny random VITS text-to-speech model, built in code and saved to a folder (nothing downloaded).

One layer, sixteen channels, a character-level tokenizer whose vocabulary is written here by hand (as MMS-TTS's
are: one id a character, the pad id between them). It runs transformers' real VitsModel code on the CPU in a
fraction of a second; what it says is noise shaped by random weights, which is all a test of the plumbing needs.
"""

from __future__ import annotations

import json
from pathlib import Path

CHARACTERS = ["_", " ", *"abcdefghijklmnopqrstuvwxyz", "'", ",", ".", "?", "!", "-"]  # "_" is the pad


def write_vocab(folder: Path) -> Path:
    """vocab.json: each character its id, as a character-level MMS-TTS tokenizer has it."""
    vocab = {c: i for i, c in enumerate(CHARACTERS)}
    vocab["<unk>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    return folder / "vocab.json"


def save_tiny_vits(folder: Path, *, sampling_rate: int = 16000, num_speakers: int = 1, seed: int = 0) -> Path:
    """A VitsModel of random weights and its VitsTokenizer in ``folder`` (save_pretrained), at ``sampling_rate``."""
    import torch
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = VitsTokenizer(str(write_vocab(folder)), pad_token="_", unk_token="<unk>", add_blank=True,
                              normalize=True, phonemize=False)
    torch.manual_seed(seed)
    config = VitsConfig(
        vocab_size=len(CHARACTERS) + 1, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, ffn_dim=16,
        flow_size=16, spectrogram_bins=9, upsample_initial_channel=16, upsample_rates=(4, 4),
        upsample_kernel_sizes=(8, 8), resblock_kernel_sizes=(3,), resblock_dilation_sizes=((1,),),
        duration_predictor_filter_channels=16, duration_predictor_num_flows=1, prior_encoder_num_flows=1,
        prior_encoder_num_wavenet_layers=1, posterior_encoder_num_wavenet_layers=1, depth_separable_num_layers=1,
        num_speakers=num_speakers, speaker_embedding_size=8 if num_speakers > 1 else 0,
        sampling_rate=sampling_rate, pad_token_id=0)
    model = VitsModel(config)
    model.eval()
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder
