"""Loudness as ITU-R BS.1770-4 and EBU R128 measure it, and normalising a mix to a target.

Integrated loudness: the signal is K-weighted (a high shelf for the head's effect, then a high-pass), its mean
square taken over 400 ms blocks every 100 ms, and blocks are gated twice (below -70 LUFS absolute, then 10 LU
under the loudness of what is left) so silence and pauses do not drag the figure down. True peak: the peak of
the signal oversampled four times, which catches the peaks between samples a DAC will make.

``normalize`` sets the gain that brings the integrated loudness to the target, then a look-ahead limiter keeps
the true peak under the ceiling, then measures again: what it returns is measured, never assumed.
"""

from __future__ import annotations

import math

import numpy as np

BLOCK_S = 0.4  # gating block (BS.1770-4)
HOP_S = 0.1  # 75 % overlap
ABSOLUTE_GATE = -70.0  # LUFS
RELATIVE_GATE = -10.0  # LU under the absolutely gated loudness
OVERSAMPLE = 4  # true peak
LOOKAHEAD_S = 0.002  # the limiter reaches its gain this long before a peak
RELEASE_S = 0.06  # and holds it this long after
SAFETY_DB = 0.15  # the limiter aims this far under the ceiling (the oversampled peak of a smoothed gain)
CHUNK = 96_000  # true peak is measured in 2 s pieces: a long mix never needs 4x its memory, and they stay in cache


def k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two biquads of BS.1770's K-weighting at ``rate``: the high shelf (+4 dB above ~1.7 kHz) and the
    RLB high-pass (~38 Hz), from their analogue prototypes by the bilinear transform, so any rate is exact
    (at 48 kHz they give the coefficients printed in the recommendation)."""
    shelf_f0, shelf_gain_db, shelf_q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * shelf_f0 / rate)
    vh = 10.0 ** (shelf_gain_db / 20.0)
    vb = vh ** 0.4996667741545416
    a0 = 1.0 + k / shelf_q + k * k
    shelf_b = np.array([(vh + vb * k / shelf_q + k * k) / a0, 2.0 * (k * k - vh) / a0,
                        (vh - vb * k / shelf_q + k * k) / a0])
    shelf_a = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / shelf_q + k * k) / a0])
    hp_f0, hp_q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * hp_f0 / rate)
    a0 = 1.0 + k / hp_q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / hp_q + k * k) / a0])
    return [(shelf_b, shelf_a), (hp_b, hp_a)]


def _channels(x: np.ndarray, dtype: type = np.float64) -> list[np.ndarray]:
    """Each channel as its own contiguous array: a mono signal is one channel (weight 1), as BS.1770
    counts it."""
    arr: np.ndarray = np.asarray(x, dtype=dtype)
    if arr.ndim == 1:
        return [arr]
    return [np.ascontiguousarray(arr[:, c]) for c in range(arr.shape[1])]


def block_powers(x: np.ndarray, rate: int) -> np.ndarray:
    """The K-weighted mean square of every 400 ms block (100 ms apart), summed over the channels (L, R and C
    weigh 1; a stereo mix has no surround channels). The energy of each 100 ms hop is summed once, and a block
    is four hops, when the rate makes a block exactly four hops (48 kHz does); else each block is summed."""
    from scipy.signal import sosfilt

    block, hop = round(BLOCK_S * rate), round(HOP_S * rate)
    if len(x) < block:
        return np.zeros(0)
    sos = np.array([np.concatenate([b, a]) for b, a in k_weighting(rate)])
    count = (len(x) - block) // hop + 1
    total = np.zeros(count)
    for chan in _channels(x):
        y = sosfilt(sos, chan)
        squares = y * y
        if block == 4 * hop:
            hops = squares[:(count + 3) * hop].reshape(-1, hop).sum(axis=1)
            total += (hops[0:count] + hops[1:count + 1] + hops[2:count + 2] + hops[3:count + 3]) / block
        else:
            csum = np.concatenate([[0.0], np.cumsum(squares)])
            starts = np.arange(count) * hop
            total += (csum[starts + block] - csum[starts]) / block
    return total


def _lufs(power: float) -> float:
    return -0.691 + 10.0 * math.log10(power) if power > 0 else float("-inf")


def integrated_lufs(x: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS; -inf for silence (or a sound shorter than one 400 ms block)."""
    powers = block_powers(x, rate)
    if powers.size == 0:
        return float("-inf")
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10.0 * np.log10(np.maximum(powers, 1e-300))
    kept = powers[loud > ABSOLUTE_GATE]
    if kept.size == 0:
        return float("-inf")
    relative = _lufs(float(kept.mean())) + RELATIVE_GATE
    kept = powers[(loud > ABSOLUTE_GATE) & (loud > relative)]
    return _lufs(float(kept.mean())) if kept.size else float("-inf")


def _chunk_gain() -> float:
    """The most the 4x interpolation can raise a peak over the largest sample it is made from: the largest sum
    of |taps| over the filter's phases, read from resample_poly's own response to a unit impulse. A stretch
    whose largest sample times this is under a level has no oversampled peak over it either."""
    from scipy.signal import resample_poly

    impulse = np.zeros(257, np.float32)
    impulse[128] = 1.0
    response = np.abs(resample_poly(impulse, OVERSAMPLE, 1))
    return float(max(response[k::OVERSAMPLE].sum() for k in range(OVERSAMPLE)))


def _chunk_peaks(chan: np.ndarray, start: int) -> np.ndarray:
    """The oversampled peak of every sample of one CHUNK of ``chan`` from ``start``."""
    from scipy.signal import resample_poly

    n = len(chan)
    pad = 64  # beyond the interpolation filter's reach
    lo, hi, end = max(0, start - pad), min(n, start + CHUNK + pad), min(n, start + CHUNK)
    up = np.abs(resample_poly(chan[lo:hi], OVERSAMPLE, 1))
    per_sample = up[0::OVERSAMPLE].copy()
    for k in range(1, OVERSAMPLE):
        np.maximum(per_sample, up[k::OVERSAMPLE], out=per_sample)
    return per_sample[start - lo:end - lo]


def _chunk_tops(chan: np.ndarray) -> np.ndarray:
    """The largest magnitude around each CHUNK (with the filter's reach each side), per chunk."""
    pad = 64
    tops = np.zeros((len(chan) + CHUNK - 1) // CHUNK, np.float32)
    for i in range(len(tops)):
        tops[i] = np.abs(chan[max(0, i * CHUNK - pad):(i + 1) * CHUNK + pad]).max()
    return tops


def oversampled_peaks(x: np.ndarray, floor: float | None = None) -> np.ndarray:
    """Per sample (over all channels), the largest magnitude of the signal oversampled four times around it.

    ``floor``: only peaks over this level are wanted (a limiter's ceiling). Stretches whose samples cannot make an
    oversampled peak over it (their largest sample times the filter's gain stays under) keep each sample's own
    magnitude, which is under the floor too; everywhere else the figure is exact. A film's mix is mostly far
    under its ceiling, so most of it is never oversampled."""
    n = len(x)
    peaks = np.zeros(n, np.float32)
    gain = _chunk_gain() if floor is not None else 0.0
    for chan in _channels(x, np.float32):
        np.maximum(peaks, np.abs(chan), out=peaks)
        tops = _chunk_tops(chan) if floor is not None else None
        for i, start in enumerate(range(0, n, CHUNK)):
            if tops is not None and floor is not None and tops[i] * gain <= floor:
                continue
            end = min(n, start + CHUNK)
            np.maximum(peaks[start:end], _chunk_peaks(chan, start), out=peaks[start:end])
    return peaks


def true_peak(x: np.ndarray) -> float:
    """The largest oversampled magnitude: chunks are oversampled loudest first, and the rest skipped once their
    largest sample times the filter's gain cannot beat the peak found (exact, not estimated)."""
    gain = _chunk_gain()
    best = 0.0
    for chan in _channels(x, np.float32):
        tops = _chunk_tops(chan)
        for i in np.argsort(-tops, kind="stable"):
            if float(tops[i]) * gain <= best:
                break
            best = max(best, float(_chunk_peaks(chan, int(i) * CHUNK).max()))
    return best


def true_peak_dbtp(x: np.ndarray, rate: int) -> float:
    """The true peak in dBTP (4x oversampled); -inf for silence. ``rate`` is kept for the signature's sake:
    the oversampling factor is what BS.1770-4 fixes for 48 kHz."""
    del rate
    if len(x) == 0:
        return float("-inf")
    peak = true_peak(x)
    return 20.0 * math.log10(peak) if peak > 0 else float("-inf")


def gain_to(x: np.ndarray, rate: int, target_lufs: float) -> tuple[float, float]:
    """(linear gain, loudness before): the gain that puts ``x`` at ``target_lufs``; 1.0 for silence."""
    lufs = integrated_lufs(x, rate)
    if not math.isfinite(lufs):
        return 1.0, lufs
    return 10.0 ** ((target_lufs - lufs) / 20.0), lufs


def _moving_mean(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average of odd ``width`` (edges averaged over what exists)."""
    half = width // 2
    padded = np.concatenate([np.full(half, x[0]), x, np.full(half, x[-1])])
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    return (csum[width:] - csum[:-width]) / width


def limit(x: np.ndarray, rate: int, ceiling_dbtp: float, peaks: np.ndarray | None = None) -> np.ndarray:
    """A look-ahead peak limiter: the gain each sample needs to keep its oversampled peak under the ceiling is
    held back over the look-ahead and the release (a running minimum), then smoothed by a moving average as
    wide as the look-ahead; since every gain in that average is at most the peak's own, the peak is held
    under the ceiling, and the gain moves in ramps, never in steps. ``peaks``: oversampled_peaks(x) when the
    caller has them already."""

    if len(x) == 0:
        return np.asarray(x, dtype=np.float32)
    ceiling = 10.0 ** ((ceiling_dbtp - SAFETY_DB) / 20.0)
    peaks = oversampled_peaks(x) if peaks is None else peaks
    if peaks.max() <= ceiling:
        return np.asarray(x, dtype=np.float32)
    need = np.minimum(1.0, ceiling / np.maximum(peaks.astype(np.float64), 1e-12))  # float64: summed below
    ahead, release = max(1, round(LOOKAHEAD_S * rate)), max(1, round(RELEASE_S * rate))
    held = _hold(need, ahead, release)
    gain = _moving_mean(held, 2 * ahead + 1)
    arr = np.asarray(x, dtype=np.float64)
    out = arr * (gain[:, None] if arr.ndim == 2 else gain)
    return out.astype(np.float32)


def _hold(need: np.ndarray, ahead: int, release: int) -> np.ndarray:
    """The least gain over [n - release, n + ahead] for every n."""
    from scipy.ndimage import minimum_filter1d

    size = ahead + release + 1
    origin = release - size // 2  # scipy: a positive origin moves the window towards earlier samples
    return minimum_filter1d(need, size=size, origin=origin, mode="nearest")


def normalize(x: np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float) -> tuple[np.ndarray, float, float]:
    """(y, integrated LUFS, true peak dBTP) of ``x`` brought to the target and limited under the ceiling, both
    measured on ``y``. When the limiter takes more than half a LU off, the gain is raised once and the limiter
    run again, so a peaky mix still lands near the target."""
    gain, _ = gain_to(x, rate, target_lufs)
    y = limit(np.asarray(x, dtype=np.float64) * gain, rate, ceiling_dbtp)
    lufs = integrated_lufs(y, rate)
    if math.isfinite(lufs) and lufs < target_lufs - 0.5:
        gain *= 10.0 ** ((target_lufs - lufs) / 20.0)
        y = limit(np.asarray(x, dtype=np.float64) * gain, rate, ceiling_dbtp)
        lufs = integrated_lufs(y, rate)
    return y, lufs, true_peak_dbtp(y, rate)
