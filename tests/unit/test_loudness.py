"""Loudness and true peak checked against ffmpeg's own EBU R128 meter (the ``ebur128`` filter), and against the
figures BS.1770-4 itself states; normalising to -16 and -23 LUFS checked with the same meter."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tools.sound import loudness
from tools.sound.wav import wav_bytes

RATE = 48_000


def ebur128(path: Path) -> dict[str, float]:
    """ffmpeg's measure of a sound file (a WAV, or an MP4's audio): integrated loudness (LUFS) and true peak
    (dBFS), read from the summary it prints."""
    from tools.render.video import ffmpeg

    res = subprocess.run([ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0",
                          "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True)
    summary = res.stderr[res.stderr.rindex("Summary:"):]
    found = {"lufs": re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary),
             "peak": re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)}
    assert all(found.values()), summary
    return {k: float(m.group(1)) for k, m in found.items() if m}


def measured(tmp_path: Path, x: np.ndarray, name: str = "x.wav") -> dict[str, float]:
    path = tmp_path / name
    path.write_bytes(wav_bytes(x, RATE, bits=24))
    return ebur128(path)


def seconds(n: float) -> np.ndarray:
    return np.arange(round(n * RATE)) / RATE


def signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    t = seconds(6)
    return {
        "1 kHz sine, mono": 0.3 * np.sin(2 * np.pi * 1000 * t),
        "noise, stereo, unequal channels": np.stack([rng.normal(0, 0.1, len(t)), rng.normal(0, 0.03, len(t))], 1),
        # half of it nearly silent: the relative gate keeps those blocks out
        "tone with pauses": np.where(t % 2 < 1, 0.5, 0.002) * np.sin(2 * np.pi * 440 * t),
        # 60 Hz: the K-weighting's high-pass takes it down
        "60 Hz hum": 0.5 * np.sin(2 * np.pi * 60 * t),
        # a 4 kHz tone: the shelf takes it up
        "4 kHz, stereo": np.stack([0.2 * np.sin(2 * np.pi * 4000 * t)] * 2, 1),
    }


@pytest.mark.parametrize("name", list(signals()))
def test_integrated_loudness_and_true_peak_agree_with_ffmpeg(tmp_path, name):
    x = signals()[name].astype(np.float32)
    ours = loudness.integrated_lufs(x, RATE)
    theirs = measured(tmp_path, x)
    assert ours == pytest.approx(theirs["lufs"], abs=0.5)
    assert loudness.true_peak_dbtp(x, RATE) == pytest.approx(theirs["peak"], abs=0.5)


def test_the_figures_bs1770_states():
    t = seconds(5)
    # BS.1770-4: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS
    full = np.sin(2 * np.pi * 1000 * t).astype(np.float32)
    assert loudness.integrated_lufs(full, RATE) == pytest.approx(-3.01, abs=0.05)
    # the same in both channels is 3 dB louder; 20 dB down is 20 LU down
    assert loudness.integrated_lufs(np.stack([full, full], 1), RATE) == pytest.approx(0.0, abs=0.05)
    assert loudness.integrated_lufs(full * 0.1, RATE) == pytest.approx(-23.01, abs=0.05)
    assert loudness.integrated_lufs(np.zeros(RATE * 2, np.float32), RATE) == -math.inf
    assert loudness.integrated_lufs(full[:RATE // 4], RATE) == -math.inf, "shorter than one 400 ms block"


def test_true_peak_finds_the_peak_between_samples(tmp_path):
    # A sine at a quarter of the rate, 45° off: every sample is at 0.707 of the wave's peak (-3 dB), the wave
    # itself reaches 0.9. The sample peak says -3.93 dBFS; the true peak is 20·log10(0.9) = -0.92 dBTP.
    t = seconds(2)
    x = (0.9 * np.sin(2 * np.pi * RATE / 4 * t + np.pi / 4)).astype(np.float32)
    truth = 20 * math.log10(0.9)
    assert 20 * math.log10(float(np.abs(x).max())) == pytest.approx(-3.93, abs=0.05)
    assert loudness.true_peak_dbtp(x, RATE) == pytest.approx(truth, abs=0.3)
    # ffmpeg sees it too; its interpolator reads a little high this close to the top of the band (-0.3 here)
    assert truth - 0.3 <= measured(tmp_path, x)["peak"] <= truth + 0.8


def speechlike(n_s: float = 20.0, seed: int = 3) -> np.ndarray:
    """Bursts of shaped noise with pauses and a few sharp transients: peaky, like dialogue with effects."""
    rng = np.random.default_rng(seed)
    t = seconds(n_s)
    syllables = np.clip(np.sin(2 * np.pi * 3.1 * t), 0, None) ** 2 * (np.sin(2 * np.pi * 0.25 * t) > -0.3)
    x = rng.normal(0, 0.08, (len(t), 2)) * syllables[:, None]
    for k in range(1, 8):
        x[k * len(t) // 8] = 0.95  # clicks far above the rest
    return x.astype(np.float32)


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_normalize_reaches_the_target_under_the_ceiling(tmp_path, target):
    y, lufs, peak = loudness.normalize(speechlike(), RATE, target, -1.0)
    theirs = measured(tmp_path, y)
    assert theirs["lufs"] == pytest.approx(target, abs=1.0)
    assert lufs == pytest.approx(theirs["lufs"], abs=0.5), "what normalize reports is what was measured"
    assert theirs["peak"] <= -1.0 + 0.1 and peak <= -1.0 + 0.05


def test_the_limiter_holds_a_loud_peak_under_the_ceiling_and_leaves_the_rest(tmp_path):
    t = seconds(3)
    x = (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
    x[RATE] = 1.0  # one sample at full scale
    y = loudness.limit(x, RATE, -6.0)
    assert measured(tmp_path, y)["peak"] <= -6.0 + 0.1
    far = slice(2 * RATE, 3 * RATE)  # a second after the peak: untouched
    assert np.array_equal(y[far], x[far])
    # on a steady level the limiter's gain is y / x: it ramps down before the peak and back up, no step
    level = np.full(3 * RATE, 0.3, np.float32)
    level[RATE] = 1.0
    gain = loudness.limit(level, RATE, -6.0) / level
    assert gain[RATE] <= 10 ** (-6 / 20) and gain[0] == 1.0 and gain[-1] == 1.0
    assert np.abs(np.diff(gain)).max() < 0.02


def test_peaks_skip_only_what_cannot_reach_the_floor():
    """The limiter asks only for peaks over its floor, and the true peak for the top: both are taken from
    stretches oversampled in full, so they equal scipy's 4x polyphase interpolation of the whole signal (the
    definition, computed here directly), while quiet stretches are never oversampled."""
    from scipy.signal import resample_poly

    rng = np.random.default_rng(7)
    x = (rng.standard_normal((RATE * 20, 2)) * 0.03).astype(np.float32)  # 20 s of quiet noise
    for at in (RATE * 3 + 11, RATE * 14 + 5):  # two loud bursts, one of them with a peak between samples
        x[at:at + 40] = np.sin(np.arange(40) * np.pi / 2 + np.pi / 4)[:, None] * 0.95
    up = np.abs(resample_poly(x, 4, 1, axis=0))
    per_sample = up.reshape(len(x), 4, 2).max(axis=(1, 2))
    floor = 0.5
    peaks = loudness.oversampled_peaks(x, floor=floor)
    loud = per_sample > floor
    assert loud.sum() > 40
    assert np.allclose(peaks[loud], per_sample[loud], rtol=1e-5, atol=1e-6)
    assert (peaks[~loud] <= floor).all()
    assert loudness.true_peak(x) == pytest.approx(float(up.max()), rel=1e-5)
    assert float(up.max()) > float(np.abs(x).max()) + 0.05, "the burst's peak falls between samples"
