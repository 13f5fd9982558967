"""WAV in and out, and resampling: every sound is float32 in [-1, 1], shape (samples,) mono or (samples, 2).

Only the standard library's ``wave`` and numpy: 8, 16, 24 and 32-bit PCM are read; takes and stems are
written as 16-bit (takes) or 24-bit (stems) PCM at studio.sound.SAMPLE_RATE.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from studio.errors import AuteurError
from studio.sound import SAMPLE_RATE


def read_wav(source: bytes | Path) -> tuple[np.ndarray, int]:
    """(samples, rate): float32, mono as (n,), stereo as (n, 2); more channels are folded to stereo."""
    name = source.name if isinstance(source, Path) else "the sound"
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            channels, width, rate, frames = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            raw = w.readframes(frames)
    except (wave.Error, EOFError) as exc:
        raise AuteurError(f"{name} is not a WAV file ({exc})", "render the sound again") from exc
    if width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        samples = ints.astype(np.float32) / float(1 << 23)
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / float(1 << 31)
    else:
        raise AuteurError(f"{name} has {width * 8}-bit samples", "use 8, 16, 24 or 32-bit PCM WAV")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels)
        if channels > 2:
            samples = np.stack([samples[:, 0::2].mean(axis=1), samples[:, 1::2].mean(axis=1)], axis=1)
    return samples.astype(np.float32, copy=False), rate


def wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE, *, bits: int = 16) -> bytes:
    """PCM WAV of ``samples`` (clipped to [-1, 1]); mono for (n,), stereo for (n, 2)."""
    x = np.clip(np.nan_to_num(np.asarray(samples, dtype=np.float32)), -1.0, 1.0)
    channels = 1 if x.ndim == 1 else x.shape[1]
    flat = x.reshape(-1)
    if bits == 16:
        raw = np.round(flat * 32767.0).astype("<i2").tobytes()
    elif bits == 24:
        ints = np.round(flat * float((1 << 23) - 1)).astype(np.int32)
        raw = np.stack([ints & 0xFF, (ints >> 8) & 0xFF, (ints >> 16) & 0xFF], axis=1).astype(np.uint8).tobytes()
    else:
        raise ValueError(f"bits must be 16 or 24, not {bits}")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(bits // 8)
        w.setframerate(int(rate))
        w.writeframes(raw)
    return buf.getvalue()


def resample(samples: np.ndarray, rate: int, to: int = SAMPLE_RATE) -> np.ndarray:
    """``samples`` at ``rate`` as they sound at ``to`` (polyphase, anti-aliased)."""
    if rate == to or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(int(rate), int(to))
    return resample_poly(samples, to // g, rate // g, axis=0).astype(np.float32)


def mono(samples: np.ndarray) -> np.ndarray:
    return samples if samples.ndim == 1 else samples.mean(axis=1).astype(np.float32)


def seconds(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    return round(len(samples) / float(rate), 3)
