"""The CPU temp score: a tonal bed per mood, made of chords of sine and triangle partials with slow envelopes.

Not music anyone would ship — a labelled temp track that says what the scene's score should feel like: minor
chords for tense, sad and eerie scenes, major for warm, romantic and comic ones, a pulse for action. The
progression loops, so a cue rendered longer is still music; each chord fades into the next.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.sound import SAMPLE_RATE


def note_hz(midi: int) -> float:
    """Equal temperament from A4 = 440 Hz (MIDI 69)."""
    return 440.0 * 2.0 ** ((midi - 69) / 12.0)


@dataclass(frozen=True)
class Bed:
    """How a mood plays: its chords (MIDI notes), seconds per chord, the partials' shape and an optional pulse."""

    chords: tuple[tuple[int, ...], ...]
    chord_s: float
    triangle: bool = False  # odd partials falling as 1/n² (warmer, brighter) instead of a pure sine
    pulse_bpm: float = 0.0  # a beat under the chords (action)
    detune: float = 0.0  # cents of beating between two voices of each note (eerie)


# The chords each mood opens with are the first of its tuple: sad on D minor (D3 F3 A3), tense on A minor
# (A2 C3 E3), eerie on B diminished-ish (B2 D3 F3), action on E minor (E2 G2 B2), warm on C major (C3 E3 G3),
# romantic on F major (F3 A3 C4), comic on G major (G3 B3 D4), neutral on an open fifth (C3 G3 C4).
BEDS: dict[str, Bed] = {
    "sad": Bed(((50, 53, 57), (46, 50, 53), (43, 46, 50), (45, 49, 52)), 4.0),
    "tense": Bed(((45, 48, 52), (45, 48, 53), (44, 48, 52), (45, 48, 52)), 3.0, detune=6.0),
    "eerie": Bed(((47, 50, 53), (46, 50, 53), (47, 50, 54), (48, 51, 54)), 5.0, detune=14.0),
    "action": Bed(((40, 43, 47), (36, 40, 43), (38, 42, 45), (40, 43, 47)), 2.0, triangle=True, pulse_bpm=120.0),
    "warm": Bed(((48, 52, 55), (53, 57, 60), (55, 59, 62), (48, 52, 55)), 4.0, triangle=True),
    "romantic": Bed(((53, 57, 60), (50, 53, 57), (46, 50, 53), (48, 52, 55)), 4.0),
    "comic": Bed(((55, 59, 62), (60, 64, 67), (62, 66, 69), (55, 59, 62)), 1.5, triangle=True, pulse_bpm=100.0),
    "neutral": Bed(((48, 55, 60), (53, 60, 65), (48, 55, 60), (43, 50, 55)), 5.0),
}
CHORD_FADE_S = 0.6  # chords overlap by this much, an equal-power crossfade


def bed_for(mood: str) -> Bed:
    return BEDS.get(mood.strip().lower(), BEDS["neutral"])


def _voice(freq: float, t: np.ndarray, phase: float, *, triangle: bool) -> np.ndarray:
    """One note: a sine, or a band-limited triangle (odd partials under 8 kHz)."""
    if not triangle:
        return np.sin(2 * np.pi * freq * t + phase).astype(np.float32)
    out = np.zeros_like(t, dtype=np.float32)
    for k in (1, 3, 5, 7):
        if freq * k > 8000:
            break
        out += ((-1) ** ((k - 1) // 2) / (k * k)) * np.sin(2 * np.pi * freq * k * t + phase * k).astype(np.float32)
    return out


def _chord(notes: tuple[int, ...], start: int, length: int, bed: Bed, rng: np.random.Generator) -> np.ndarray:
    """``length`` samples of a chord beginning ``start`` samples into the cue (so phases run on across chords)."""
    t = (np.arange(length, dtype=np.float64) + start) / SAMPLE_RATE
    out = np.zeros(length, dtype=np.float32)
    for i, midi in enumerate(notes):
        freq = note_hz(midi)
        level = 1.0 if i == 0 else 0.8
        out += level * _voice(freq, t, rng.uniform(0, 2 * np.pi), triangle=bed.triangle)
        if bed.detune:
            beat_freq = freq * 2.0 ** (bed.detune / 1200.0)
            out += 0.5 * level * _voice(beat_freq, t, rng.uniform(0, 2 * np.pi), triangle=bed.triangle)
    return out


def _envelope(length: int, fade: int, *, rise: bool, fall: bool) -> np.ndarray:
    """Equal-power rise and fall over ``fade`` samples, so two overlapping chords keep the level steady."""
    env = np.ones(length, dtype=np.float32)
    fade = min(fade, length // 2)
    if fade > 0:
        ramp = np.sin(np.linspace(0, np.pi / 2, fade, dtype=np.float32))
        if rise:
            env[:fade] = ramp
        if fall:
            env[-fade:] *= ramp[::-1]
    return env


def _pulse(n: int, bpm: float) -> np.ndarray:
    """A soft amplitude pulse on each beat (a low thud under the chords is added by the caller's bass)."""
    t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
    phase = (t * bpm / 60.0) % 1.0
    return (0.55 + 0.45 * np.exp(-phase * 6.0)).astype(np.float32)


def music_bed(mood: str, n: int, seed: int) -> np.ndarray:
    """``n`` samples of the temp score for ``mood``: the mood's progression, looped, chord into chord; with a
    beat (a low thump on the chord's root, and the chords swelling on it) when the mood has a pulse."""
    bed = bed_for(mood)
    rng = np.random.default_rng(seed)
    chord_len = int(bed.chord_s * SAMPLE_RATE)
    fade = int(CHORD_FADE_S * SAMPLE_RATE)
    out = np.zeros(n, dtype=np.float32)
    k, start = 0, 0
    made: dict[tuple[int, int, bool, bool], np.ndarray] = {}  # the progression loops: each chord is made once
    while start < n:
        begin = max(0, start - fade)  # each chord after the first rises under the fall of the one before
        length = min(start + chord_len, n) - begin
        key = (k % len(bed.chords), length, k > 0, start + chord_len <= n)
        if key not in made:
            made[key] = _chord(bed.chords[key[0]], begin, length, bed, rng) * \
                _envelope(length, fade, rise=key[2], fall=key[3])
        out[begin:begin + length] += made[key]
        start += chord_len
        k += 1
    if bed.pulse_bpm:
        out *= _pulse(n, bed.pulse_bpm)
        out += 0.6 * _bass_thump(n, bed, chord_len)
    return out


def _bass_thump(n: int, bed: Bed, chord_len: int) -> np.ndarray:
    """A short decaying sine an octave under each chord's root, on every beat."""
    beat = int(SAMPLE_RATE * 60.0 / bed.pulse_bpm)
    hit_len = min(beat, int(0.25 * SAMPLE_RATE))
    t = np.arange(hit_len, dtype=np.float64) / SAMPLE_RATE
    decay = np.exp(-t * 18.0)
    out = np.zeros(n, dtype=np.float32)
    for at in range(0, n, beat):
        root = bed.chords[(at // chord_len) % len(bed.chords)][0] - 12
        hit = (np.sin(2 * np.pi * note_hz(root) * t) * decay).astype(np.float32)
        end = min(n, at + hit_len)
        out[at:end] += hit[: end - at]
    return out
