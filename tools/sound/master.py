"""The master of a mix: the three tracks summed, brought to the project's loudness and limited under its ceiling.

The gain is one number for the whole film (what tools.sound.loudness.gain_to finds), applied before the limiter:
the stems are written with the same gain, so dialogue + effects + music × gain sum to the master everywhere the
limiter did not have to act.

``mastered_mix`` is the one way from a project's takes to its master: the cut, the stems and the preview all go
through it, so they share one placement, one gain and one set of figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.models import ShotList
from studio.sound import DEFAULT_LUFS, DEFAULT_TRUE_PEAK, SAMPLE_RATE, CutAudio
from tools.sound.loudness import SAFETY_DB, integrated_lufs, limit, oversampled_peaks, true_peak, true_peak_dbtp
from tools.sound.mix import Mix, mix_layout
from tools.sound.placement import layout

SILENT_LUFS = -70.0  # what a mix with nothing audible records (BS.1770's absolute gate)
# The cut's sound is delivered as AAC, and a lossy encode puts peaks back over what the limiter held: measured with
# ffmpeg's ebur128 on the cut's MP4 (AAC 192 kb/s, 48 kHz), a master limited to -1.15 dBTP came out at up to
# -0.7 dBTP (espeak-ng voices over the temp score). So the master is limited this much under the person's ceiling,
# and the delivered file stays under it. The stems and the preview share the master's gain, so they get it too.
AAC_HEADROOM_DB = 0.5


@dataclass
class Mastered:
    """A project's mix and its master: the three tracks, the stereo master, what was measured, and the gain that
    took the tracks to it (the stems are the tracks times this gain)."""

    mix: Mix
    stereo: np.ndarray
    audio: CutAudio
    gain: float


def mastered_mix(store, shots: ShotList, fps: float, settings) -> Mastered | None:
    """The active takes placed on the cut of ``shots`` at ``fps``, mixed, and mastered to the project's loudness
    target (``settings.loudness_lufs``) under its ceiling (``settings.true_peak_db``, less AAC_HEADROOM_DB); None
    when no take is placed on it. What is recorded names the person's ceiling."""
    found = layout(store, shots, fps)
    if not found.spans:
        return None
    mix = mix_layout(found, Path(store.path))
    ceiling = float(settings.true_peak_db)
    stereo, audio, gain = master(mix, float(settings.loudness_lufs), ceiling - AAC_HEADROOM_DB)
    return Mastered(mix, stereo, audio.model_copy(update={"target_true_peak": ceiling}), gain)


def master(mix: Mix, target_lufs: float = DEFAULT_LUFS,
           ceiling: float = DEFAULT_TRUE_PEAK) -> tuple[np.ndarray, CutAudio, float]:
    """(stereo master float32, what was measured on it, the linear gain applied before the limiter).

    The sum is measured once. Loudness and true peak scale exactly with a gain, so when the gained peak stays
    under the ceiling the master's figures are the sum's moved by the gain (a very quiet sum, where the -70
    LUFS gate could let other blocks in after the gain, is measured again); when the limiter acts, the limited
    master is measured anew, and the gain raised once if the limiter took more than half a LU."""
    summed = mix.sum()
    before = integrated_lufs(summed, SAMPLE_RATE)
    if not math.isfinite(before):
        return summed, _audio(mix, SILENT_LUFS, SILENT_LUFS, target_lufs, ceiling), 1.0
    gain = 10.0 ** ((target_lufs - before) / 20.0)
    # Only the peaks the limiter could act on are oversampled (exact there); the film's top is exact either way.
    floor = 10.0 ** ((ceiling - SAFETY_DB) / 20.0) / gain
    peaks = oversampled_peaks(summed, floor=floor)
    top = float(peaks.max())
    top = (top if top > floor else true_peak(summed)) * gain
    if top <= 10.0 ** (ceiling / 20.0):
        out = summed * np.float32(gain)
        lufs = target_lufs if before > -55.0 else integrated_lufs(out, SAMPLE_RATE)
        return out, _audio(mix, lufs, 20.0 * math.log10(top), target_lufs, ceiling), float(gain)
    out = limit(summed * np.float32(gain), SAMPLE_RATE, ceiling, peaks * np.float32(gain))
    lufs = integrated_lufs(out, SAMPLE_RATE)
    if math.isfinite(lufs) and lufs < target_lufs - 0.5:  # the limiter took a lot: raise the gain once more
        gain *= 10.0 ** ((target_lufs - lufs) / 20.0)
        out = limit(summed * np.float32(gain), SAMPLE_RATE, ceiling, peaks * np.float32(gain))
        lufs = integrated_lufs(out, SAMPLE_RATE)
    return out, _audio(mix, lufs, true_peak_dbtp(out, SAMPLE_RATE), target_lufs, ceiling), float(gain)


def _audio(mix: Mix, lufs: float, peak: float, target_lufs: float, ceiling: float) -> CutAudio:
    return CutAudio(integrated_lufs=round(lufs, 2) if math.isfinite(lufs) else SILENT_LUFS,
                    true_peak_dbtp=round(peak, 2) if math.isfinite(peak) else SILENT_LUFS,
                    target_lufs=target_lufs, target_true_peak=ceiling, sample_rate=SAMPLE_RATE,
                    takes=dict(mix.takes), temp=list(mix.temp), lines=mix.lines,
                    seconds=round(mix.length / SAMPLE_RATE, 3))


def loudness_text(audio: CutAudio) -> str:
    """'−16.0 LUFS, −1.2 dBTP' (and 'temp score' when the music is a CPU temp track), for summaries."""
    text = f"{audio.integrated_lufs:.1f} LUFS, {audio.true_peak_dbtp:.1f} dBTP".replace("-", "\u2212")
    temp = list(audio.temp)
    if "music" in temp:
        text += ", temp score"
    others = [t for t in temp if t != "music"]
    if others:
        text += ", temp " + " and ".join(others)
    return text
