"""The mix of a cut: dialogue, effects and music as three stereo tracks exactly the cut's length.

Every active sound take is laid where tools.sound.placement puts it. Room tone fills its scene (looped with
crossfades when the take is shorter, faded at the scene's cuts); music is ONE continuous bed: each music cue over
its scenes, crossfaded into the next, never restarted at a shot or a clip; effects sit at their shot.

The lines must be heard over everything else. An effect that lasts (a hum or rain under a whole scene: a cue
spanning scenes, or a take longer than placement.BED_S) is a bed and goes in 12 dB down; room tone is kept no
louder than AMBIENCE_MAX_DB RMS. Under the dialogue the music goes down 12 dB and the effects 10 dB, with ramps of
about 150 ms that are complete when the first word starts (the placement of the lines is known to the sample, so
the ducking looks ahead); where a line would still stand less than CLEAR_DB over the music and effects (a quiet
off-screen line, a loud generated bed), both go down further for that stretch, up to MAX_EXTRA_DB more. The very
first and last EDGE_S of the film fade in and out, so the sound neither starts nor stops with a click.
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
EFFECTS_DUCK_DB = -10.0
BED_DB = -12.0  # an effect that lasts the scene sits this far under a single effect
AMBIENCE_MAX_DB = -36.0  # room tone's RMS at most (the CPU temp room tone is about -40 dBFS)
CLEAR_DB = 12.0  # a line stands at least this far over music + effects (RMS over the line)
MAX_EXTRA_DB = 12.0  # the most the ducking deepens to get there
FILM_FADE_S = 0.02  # the film's first and last sound fade in and out
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


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def _extra_db(dialogue: np.ndarray, beds: list[tuple[np.ndarray, float]], said: list[tuple[int, int]]) -> float:
    """How much deeper than their set depth the beds must go for every line of a stretch to stand CLEAR_DB over
    them (0 when it already does): measured on the lines' own samples, where the ducking is complete."""
    worst = float("inf")
    for a, b in said:
        voice = _rms(dialogue[a:b])
        if voice <= 0.0:
            continue
        under = sum((track[a:b] * np.float32(10.0 ** (depth / 20.0)) for track, depth in beds),
                    start=np.zeros((b - a, 2), np.float32))
        rest = _rms(under)
        if rest > 0.0:
            worst = min(worst, 20.0 * np.log10(voice / rest))
    return float(min(MAX_EXTRA_DB, max(0.0, CLEAR_DB - worst))) if np.isfinite(worst) else 0.0


def _duck(dialogue: np.ndarray, tracks: list[tuple[np.ndarray, float]], spans: list[Span], length: int) -> None:
    """Lower each (track, depth in dB) under the speech of ``spans``, in ramps of DUCK_RAMP_S that are complete
    at the first word and start back up after the last: the speech is widened by half a ramp, then averaged
    over a ramp's width. Only the stretches near speech are touched (groups of lines closer than a ramp are one
    stretch), so the cost follows the dialogue, not the film's length. A stretch whose lines would not stand
    CLEAR_DB over the ducked tracks is ducked deeper, all tracks alike."""
    half = round(DUCK_RAMP_S * SAMPLE_RATE / 2)
    width = 2 * half + 1
    said = sorted((a, b) for sp in spans for a, b in sp.speech if b > a)
    groups: list[list[tuple[int, int]]] = []
    for a, b in said:
        if groups and max(0, a - half) <= max(min(length, e + half) for _, e in groups[-1]) + width:
            groups[-1].append((a, b))
        else:
            groups.append([(a, b)])
    for group in groups:
        widened = [(max(0, a - half), min(length, b + half)) for a, b in group]
        lo, hi = max(0, widened[0][0] - half), min(length, max(e for _, e in widened) + half)
        under = np.zeros(hi - lo + 2 * half, np.float64)  # the stretch, with half a ramp of nothing each side
        for a, b in widened:
            under[a - lo + half:b - lo + half] = 1.0
        csum = np.concatenate([[0.0], np.cumsum(under)])
        amount = ((csum[width:] - csum[:-width]) / width).astype(np.float32)
        extra = _extra_db(dialogue, tracks, group)
        for track, depth_db in tracks:
            track[lo:hi] *= (10.0 ** ((depth_db - extra) * amount / 20.0))[:, None]


def _film_edges(mix: Mix) -> None:
    """Fade every track in over the film's first FILM_FADE_S and out over its last (no click at either end)."""
    n = min(round(FILM_FADE_S * SAMPLE_RATE), mix.length // 2)
    if n <= 0:
        return
    fade_in, fade_out = _fade(n)
    for track in (mix.dialogue, mix.effects, mix.music):
        track[:n] *= (fade_in * fade_in)[:, None]  # the square: from exactly nothing, smoothly
        track[-n:] *= (fade_out * fade_out)[:, None]


def _ambience_gain(tone: np.ndarray) -> float:
    """The gain that keeps a room tone at most AMBIENCE_MAX_DB RMS (1.0 for one already that quiet)."""
    level = _rms(tone)
    most = 10.0 ** (AMBIENCE_MAX_DB / 20.0)
    return min(1.0, most / level) if level > 0.0 else 1.0


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
            tone = read(sp)
            bed = loop_to(tone, sp.end - sp.start, loop_xf) * np.float32(_ambience_gain(tone))
            _lay(mix.effects, _edges(bed, 0 if sp.start == 0 else scene_fade, scene_fade), sp.start)
        elif sp.kind is CueKind.EFFECT:
            x = read(sp)[:sp.end - sp.start] * np.float32(10.0 ** (BED_DB / 20.0) if sp.bed else 1.0)
            _lay(mix.effects, _edges(x, 0, edge if len(x) < sp.samples else 0), sp.start)
    for sp, start, end, fade_in, fade_out in _music_bounds(found.spans, n):
        bed = loop_to(read(sp), end - start, loop_xf)
        _lay(mix.music, _edges(bed, fade_in, fade_out), start)
    dialogue = [sp for sp in found.spans if sp.kind is CueKind.DIALOGUE]
    _duck(mix.dialogue, [(mix.music, MUSIC_DUCK_DB), (mix.effects, EFFECTS_DUCK_DB)], dialogue, n)
    _film_edges(mix)
    mix.temp.sort(key=[t.value for t in Track].index)
    return mix


def build_mix(store, shots: ShotList, fps: float) -> Mix:
    """The mix of the project's active sound takes over the cut of ``shots`` at ``fps``."""
    return mix_layout(layout(store, shots, fps), Path(store.path))
