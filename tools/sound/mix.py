"""The mix of a cut: dialogue, effects and music as three stereo tracks exactly the cut's length.

Every active sound take is laid where tools.sound.placement puts it. Room tone fills its scene (looped with
crossfades when the take is shorter, faded at the scene's cuts); music is ONE continuous bed: each music cue over
its scenes, crossfaded into the next, never restarted at a shot or a clip; effects sit at their shot. Under the
dialogue the music goes down 12 dB and the effects 6 dB, with ramps of about 150 ms that are complete when the
first word starts (the placement of the lines is known to the sample, so the ducking looks ahead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.models import ShotList
from studio.sound import SAMPLE_RATE, CueKind, Track
from tools.sound.placement import Layout, Span, layout, place
from tools.sound.wav import read_wav, resample

__all__ = ["Mix", "build_mix", "place", "mix_layout"]

MUSIC_DUCK_DB = -12.0
EFFECTS_DUCK_DB = -6.0
DUCK_RAMP_S = 0.15  # from full level to ducked
MUSIC_XFADE_S = 1.5  # one music cue into the next
LOOP_XFADE_S = 0.5  # a short room tone or music take into its own repeat
SCENE_FADE_S = 0.08  # room tone in and out at a scene's cut
EDGE_FADE_S = 0.01  # any sound cut short (the film's end, an effect's duration)


@dataclass
class Mix:
    """Three stereo float32 tracks of exactly the cut's length, and what went into them."""

    dialogue: np.ndarray
    effects: np.ndarray
    music: np.ndarray
    takes: dict[str, str] = field(default_factory=dict)  # key → the take's path
    temp: list[str] = field(default_factory=list)  # tracks (by name) made of CPU temp takes
    lines: int = 0
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def length(self) -> int:
        return len(self.dialogue)

    def tracks(self) -> dict[Track, np.ndarray]:
        return {Track.DIALOGUE: self.dialogue, Track.EFFECTS: self.effects, Track.MUSIC: self.music}

    def sum(self) -> np.ndarray:
        return self.dialogue + self.effects + self.music


def _fade(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Equal-power fade in and out of ``n`` samples (their squares sum to one: no dip at a crossfade)."""
    t = (np.arange(n, dtype=np.float32) + 0.5) / max(1, n)
    return np.sin(t * np.pi / 2).astype(np.float32), np.cos(t * np.pi / 2).astype(np.float32)


def _stereo(x: np.ndarray) -> np.ndarray:
    return np.repeat(x[:, None], 2, axis=1) if x.ndim == 1 else x[:, :2]


def loop_to(x: np.ndarray, n: int, xfade: int) -> np.ndarray:
    """``x`` (stereo) made ``n`` samples long: cut, or repeated with an equal-power crossfade at each join."""
    if len(x) >= n:
        return x[:n].copy()
    xf = max(1, min(xfade, len(x) // 4))
    fade_in, fade_out = _fade(xf)
    out = np.zeros((n, x.shape[1]), dtype=np.float32)
    step = len(x) - xf
    pos = 0
    while pos < n:
        seg = x.copy()
        if pos > 0:
            seg[:xf] *= fade_in[:, None]
        if pos + len(x) < n:
            seg[-xf:] *= fade_out[:, None]
        take = min(len(seg), n - pos)
        out[pos:pos + take] += seg[:take]
        pos += step
    return out


def _edges(x: np.ndarray, head: int, tail: int) -> np.ndarray:
    """Fade the first ``head`` and last ``tail`` samples (equal power)."""
    head, tail = min(head, len(x) // 2), min(tail, len(x) // 2)
    if head:
        x[:head] *= _fade(head)[0][:, None]
    if tail:
        x[-tail:] *= _fade(tail)[1][:, None]
    return x


class _Reader:
    """Takes read once each, at 48 kHz, stereo."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, span: Span) -> np.ndarray:
        if span.path not in self.cache:
            samples, rate = read_wav(self.root / span.path)
            self.cache[span.path] = _stereo(resample(samples, rate, SAMPLE_RATE).astype(np.float32))
        return self.cache[span.path]


def _music_bounds(spans: list[Span], length: int) -> list[tuple[Span, int, int, int, int]]:
    """Each music span widened into its neighbours for a crossfade: (span, start, end, fade in, fade out).
    Music cues that meet (or nearly: less than a crossfade apart) are crossfaded; the first and last are faded
    only at a silence they border, never at the film's first or last sample."""
    music = sorted((s for s in spans if s.kind is CueKind.MUSIC), key=lambda s: s.start)
    xf = round(MUSIC_XFADE_S * SAMPLE_RATE)
    edge = round(EDGE_FADE_S * SAMPLE_RATE)
    out = []
    for i, sp in enumerate(music):
        start, end = sp.start, sp.end
        fade_in = fade_out = edge
        if i > 0 and sp.start - music[i - 1].end < xf:
            half = min(xf, sp.end - sp.start, music[i - 1].end - music[i - 1].start) // 2
            start, fade_in = max(0, sp.start - half), 2 * half or edge
        if i + 1 < len(music) and music[i + 1].start - sp.end < xf:
            half = min(xf, sp.end - sp.start, music[i + 1].end - music[i + 1].start) // 2
            end, fade_out = min(length, sp.end + half), 2 * half or edge
        if start == 0:
            fade_in = 0
        if end >= length:
            fade_out = 0
        out.append((sp, start, end, fade_in, fade_out))
    return out


def _lay(track: np.ndarray, x: np.ndarray, start: int) -> None:
    end = min(len(track), start + len(x))
    if end > start:
        track[start:end] += x[:end - start]


def _duck(tracks: list[tuple[np.ndarray, float]], spans: list[Span], length: int) -> None:
    """Lower each (track, depth in dB) under the speech of ``spans``, in ramps of DUCK_RAMP_S that are complete
    at the first word and start back up after the last: the speech is widened by half a ramp, then averaged
    over a ramp's width. Only the stretches near speech are touched (groups of lines closer than a ramp are one
    stretch), so the cost follows the dialogue, not the film's length."""
    half = round(DUCK_RAMP_S * SAMPLE_RATE / 2)
    width = 2 * half + 1
    spoken = sorted((max(0, a - half), min(length, b + half)) for sp in spans for a, b in sp.speech if b > a)
    groups: list[list[tuple[int, int]]] = []
    for a, b in spoken:
        if groups and a <= max(e for _, e in groups[-1]) + width:
            groups[-1].append((a, b))
        else:
            groups.append([(a, b)])
    for group in groups:
        lo, hi = max(0, group[0][0] - half), min(length, max(e for _, e in group) + half)
        under = np.zeros(hi - lo + 2 * half, np.float64)  # the stretch, with half a ramp of nothing each side
        for a, b in group:
            under[a - lo + half:b - lo + half] = 1.0
        csum = np.concatenate([[0.0], np.cumsum(under)])
        amount = ((csum[width:] - csum[:-width]) / width).astype(np.float32)
        for track, depth_db in tracks:
            track[lo:hi] *= (10.0 ** (depth_db * amount / 20.0))[:, None]


def mix_layout(found: Layout, root: Path) -> Mix:
    """The three tracks of a placement."""
    n = found.length
    mix = Mix(dialogue=np.zeros((n, 2), np.float32), effects=np.zeros((n, 2), np.float32),
              music=np.zeros((n, 2), np.float32), lines=found.lines, missing=list(found.missing),
              notes=list(found.notes))
    read = _Reader(root)
    loop_xf, scene_fade, edge = (round(s * SAMPLE_RATE) for s in (LOOP_XFADE_S, SCENE_FADE_S, EDGE_FADE_S))
    for sp in found.spans:
        mix.takes[sp.key] = sp.path
        if sp.temp and sp.track.value not in mix.temp:
            mix.temp.append(sp.track.value)
        if sp.kind is CueKind.DIALOGUE:
            _lay(mix.dialogue, read(sp)[:sp.end - sp.start], sp.start)
        elif sp.kind is CueKind.AMBIENCE:
            bed = loop_to(read(sp), sp.end - sp.start, loop_xf)
            _lay(mix.effects, _edges(bed, 0 if sp.start == 0 else scene_fade, scene_fade), sp.start)
        elif sp.kind is CueKind.EFFECT:
            x = read(sp)[:sp.end - sp.start].copy()
            _lay(mix.effects, _edges(x, 0, edge if len(x) < sp.samples else 0), sp.start)
    for sp, start, end, fade_in, fade_out in _music_bounds(found.spans, n):
        bed = loop_to(read(sp), end - start, loop_xf)
        _lay(mix.music, _edges(bed, fade_in, fade_out), start)
    dialogue = [sp for sp in found.spans if sp.kind is CueKind.DIALOGUE]
    _duck([(mix.music, MUSIC_DUCK_DB), (mix.effects, EFFECTS_DUCK_DB)], dialogue, n)
    mix.temp.sort(key=[t.value for t in Track].index)
    return mix


def build_mix(store, shots: ShotList, fps: float) -> Mix:
    """The mix of the project's active sound takes over the cut of ``shots`` at ``fps``."""
    return mix_layout(layout(store, shots, fps), Path(store.path))
