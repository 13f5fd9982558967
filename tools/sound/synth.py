"""The CPU temp sound: room tone, effects and a tonal score synthesised from noise and sines, in milliseconds.

A temp track is a stand-in a person can time a cut against, never the finished sound: its take is recorded with
``temp=True`` (studio.sound.TEMP_LABEL) by the caller. It is never silence: every cue makes sound over its length.
Levels are set for a mix before normalisation: room tone quiet (about −40 dBFS RMS), effects with peaks near
−6 dBFS, the score about −26 dBFS RMS; the master brings the whole to its loudness target.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from studio.cues import sound_of
from studio.errors import AuteurError
from studio.sound import SAMPLE_RATE, TEMP_SOUND, CueKind, SoundCue
from tools.sound.synth_music import music_bed

ENGINE = TEMP_SOUND  # what a temp take's sidecar names as its engine (with temp=True)
EDGE_FADE_S = 0.05  # every cue starts and ends with a fade: two cues crossfade without a click
PEAK = 0.9
LEVELS = {CueKind.AMBIENCE: ("rms", -40.0), CueKind.EFFECT: ("peak", -6.0), CueKind.MUSIC: ("rms", -26.0)}
SR = SAMPLE_RATE


# ---------------------------------------------------------------- building blocks


def _filter(x: np.ndarray, kind: str, cutoff: float | tuple[float, float], order: int = 4) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    sos = butter(order, cutoff, btype=kind, fs=SR, output="sos")
    return np.asarray(sosfilt(sos, x), dtype=np.float32)


def _noise(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal(n, dtype=np.float32)


def _brown(n: int, rng: np.random.Generator) -> np.ndarray:
    """Red noise (−6 dB an octave): a leaky integral of white noise."""
    from scipy.signal import lfilter

    out = np.asarray(lfilter([1.0], [1.0, -0.995], _noise(n, rng)), dtype=np.float32)
    return out / (np.abs(out).max() + 1e-9)


def _t(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.float64) / SR


def _slow(n: int, rng: np.random.Generator, rate_hz: float) -> np.ndarray:
    """A smooth random level in [0, 1] changing at about ``rate_hz`` (wind gusts, swells, murmur)."""
    points = max(2, int(n / SR * rate_hz) + 2)
    knots = rng.uniform(0, 1, points)
    return np.interp(np.linspace(0, points - 1, n), np.arange(points), knots).astype(np.float32)


def _hit(length_s: float, freq: float, decay: float, rng: np.random.Generator, *, noise: float = 0.3) -> np.ndarray:
    """A thump: a decaying low sine with a little low-passed noise on its attack."""
    n = max(1, int(length_s * SR))
    t = _t(n)
    env = np.exp(-t * decay)
    body = np.sin(2 * np.pi * freq * t * (1 - 0.3 * t)) * env
    attack = _filter(_noise(n, rng), "lowpass", min(4000.0, freq * 12)) * np.exp(-t * decay * 4)
    return (body + noise * attack).astype(np.float32)


def _click(rng: np.random.Generator, length_s: float = 0.012, cutoff: float = 2500.0) -> np.ndarray:
    n = int(length_s * SR)
    return (_filter(_noise(n, rng), "highpass", cutoff) * np.exp(-_t(n) * 400)).astype(np.float32)


def _place(out: np.ndarray, sound: np.ndarray, at: int, gain: float = 1.0) -> None:
    if at >= len(out):
        return
    end = min(len(out), at + len(sound))
    out[at:end] += gain * sound[: end - at]


def _repeat(n: int, every_s: float, make: Callable[[], np.ndarray], rng: np.random.Generator,
            jitter: float = 0.1) -> np.ndarray:
    """``make()`` placed every ``every_s`` seconds (± jitter), over ``n`` samples."""
    out = np.zeros(n, dtype=np.float32)
    at = 0.0
    while at * SR < n:
        _place(out, make(), int(at * SR))
        at += every_s * (1 + rng.uniform(-jitter, jitter))
    return out


def _tone(freqs: tuple[int, ...], n: int) -> np.ndarray:
    """Whole-hertz sines, mixed: one second of them repeats exactly, so a second is made and tiled."""
    m = min(n, SR)
    t = _t(m)
    second = sum((np.sin(2 * np.pi * f * t) for f in freqs), np.zeros(m)).astype(np.float32) / len(freqs)
    return np.resize(second, n)


# ---------------------------------------------------------------- effects


def rain(n: int, rng: np.random.Generator) -> np.ndarray:
    """Broadband hiss (white noise, its top rolled off) with drops: short bright ticks at random."""
    hiss = _filter(_noise(n, rng), "lowpass", 14000.0, order=2)
    return hiss * 0.3 + _scatter(n, rng, per_second=40, cutoff=3000.0, length_s=0.004, gains=(0.5, 2.0))


def _scatter(n: int, rng: np.random.Generator, *, per_second: float, cutoff: float, length_s: float,
             gains: tuple[float, float]) -> np.ndarray:
    """Clicks at random moments (drops, crackles), from a few filtered templates: a filter per click is slow."""
    out = np.zeros(n, dtype=np.float32)
    templates = [_click(rng, length_s, cutoff) for _ in range(8)]
    for at in rng.integers(0, max(1, n), size=int(n / SR * per_second)):
        _place(out, templates[int(rng.integers(0, 8))], int(at), gain=float(rng.uniform(*gains)))
    return out


def thunder(n: int, rng: np.random.Generator) -> np.ndarray:
    """A low rumble (red noise under 150 Hz) that swells in a quarter second and dies away over seconds."""
    t = _t(n)
    swell = np.minimum(t / 0.25, 1.0) * np.exp(-np.maximum(t - 0.25, 0) * 1.2)
    rumble = _filter(_brown(n, rng), "lowpass", 150.0) * (0.6 + 0.4 * _slow(n, rng, 6.0))
    return (rumble * swell).astype(np.float32)


def door(n: int, rng: np.random.Generator) -> np.ndarray:
    """A latch's click, then the thump of the door against its frame."""
    out = np.zeros(n, dtype=np.float32)
    _place(out, _click(rng), int(0.05 * SR), 0.6)
    _place(out, _hit(0.5, 70.0, 12.0, rng), int(0.35 * SR))
    _place(out, _click(rng, cutoff=1800.0), int(0.37 * SR), 0.4)
    return out


def slam(n: int, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    _place(out, _hit(0.8, 60.0, 8.0, rng, noise=0.8), int(0.05 * SR))
    return out


def knock(n: int, rng: np.random.Generator) -> np.ndarray:
    """Three knocks a quarter second apart."""
    out = np.zeros(n, dtype=np.float32)
    for k in range(3):
        _place(out, _hit(0.15, 180.0, 40.0, rng, noise=0.6), int((0.05 + 0.25 * k) * SR))
    return out


def engine(n: int, rng: np.random.Generator) -> np.ndarray:
    """A low harmonic hum (38 Hz and its harmonics) throbbing at its firing rate."""
    t = _t(n)
    f0 = 38.0 * (1 + 0.05 * _slow(n, rng, 0.3))
    phase = 2 * np.pi * np.cumsum(f0) / SR
    hum = sum(np.sin(k * phase) / k for k in range(1, 8))
    throb = 0.7 + 0.3 * np.sin(2 * np.pi * 4 * f0 * t / 38.0)
    return (hum * throb + 0.1 * _filter(_noise(n, rng), "lowpass", 300.0)).astype(np.float32)


def car(n: int, rng: np.random.Generator) -> np.ndarray:
    """An engine passing: the hum and road noise rising and falling over the cue."""
    t = _t(n)
    centre = n / SR / 2
    swell = np.exp(-((t - centre) / max(0.6, centre / 1.5)) ** 2)
    road = _filter(_noise(n, rng), "bandpass", (200.0, 1500.0))
    return ((engine(n, rng) * 0.6 + road) * swell).astype(np.float32)


def crowd(n: int, rng: np.random.Generator) -> np.ndarray:
    """A murmur: several voices' worth of speech-band noise, each rising and falling at syllable rate."""
    out = np.zeros(n, dtype=np.float32)
    for _ in range(4):
        band = _filter(_noise(n, rng), "bandpass", (float(rng.uniform(250, 400)), float(rng.uniform(1800, 3000))),
                       order=2)
        out += band * _slow(n, rng, float(rng.uniform(3, 6))) ** 2
    return out


def footsteps(n: int, rng: np.random.Generator) -> np.ndarray:
    return _repeat(n, 0.55, lambda: _hit(0.12, 110.0, 45.0, rng, noise=0.7), rng)


def phone(n: int, rng: np.random.Generator) -> np.ndarray:
    """A telephone's ring: two tones (400 and 450 Hz) in double bursts, 0.4 s on, 0.2 off, 0.4 on, 2 s off."""
    t = _t(n)
    cycle = t % 3.0
    on = ((cycle < 0.4) | ((cycle >= 0.6) & (cycle < 1.0))).astype(np.float32)
    return (_tone((400, 450), n) * _filter(on, "lowpass", 200.0, order=2)).astype(np.float32)


def gunshot(n: int, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    m = min(n, int(1.5 * SR))
    t = _t(m)
    crack = _noise(m, rng) * np.exp(-t * 60)
    boom = _filter(_noise(m, rng), "lowpass", 200.0) * np.exp(-t * 4) * 3
    _place(out, (crack + boom).astype(np.float32), int(0.05 * SR))
    return out


def explosion(n: int, rng: np.random.Generator) -> np.ndarray:
    t = _t(n)
    boom = _filter(_brown(n, rng), "lowpass", 300.0) * np.exp(-t * 0.9)
    return (boom + 0.2 * _noise(n, rng) * np.exp(-t * 8)).astype(np.float32)


def wind(n: int, rng: np.random.Generator) -> np.ndarray:
    """Band noise whose level and brightness gust slowly."""
    gusts = _slow(n, rng, 0.4)
    low = _filter(_noise(n, rng), "bandpass", (150.0, 700.0))
    high = _filter(_noise(n, rng), "bandpass", (700.0, 2000.0))
    return ((low + high * gusts) * (0.3 + 0.7 * gusts)).astype(np.float32)


def waves(n: int, rng: np.random.Generator) -> np.ndarray:
    """Surf: low-passed noise swelling every seven seconds or so."""
    t = _t(n)
    swell = 0.2 + 0.8 * np.sin(np.pi * (t / 7.0 + rng.uniform(0, 1)) % np.pi) ** 4
    return (_filter(_noise(n, rng), "lowpass", 2500.0) * swell).astype(np.float32)


def _chirp(rng: np.random.Generator) -> np.ndarray:
    m = int(rng.uniform(0.05, 0.12) * SR)
    t = _t(m)
    f = rng.uniform(2500, 4500) + rng.uniform(-1500, 1500) * t / t[-1]
    env = np.sin(np.pi * np.arange(m) / m) ** 2
    return (np.sin(2 * np.pi * np.cumsum(f) / SR) * env).astype(np.float32)


def birds(n: int, rng: np.random.Generator) -> np.ndarray:
    """Chirps: short rising or falling whistles between 1 and 6 kHz, in little phrases."""
    out = np.zeros(n, dtype=np.float32)
    at = rng.uniform(0, 0.3)
    while at * SR < n:
        for k in range(int(rng.integers(2, 5))):
            _place(out, _chirp(rng), int((at + 0.13 * k) * SR), 0.5)
        at += rng.uniform(0.8, 2.5)
    return out


def crickets(n: int, rng: np.random.Generator) -> np.ndarray:
    """A 4.5 kHz carrier pulsed thirty times a second, in trills of about a second."""
    t = _t(n)
    pulses = (np.sin(2 * np.pi * 30 * t) > 0.3).astype(np.float32)
    trills = ((t + rng.uniform(0, 1)) % 1.4 < 0.9).astype(np.float32)
    gate = _filter(pulses * trills, "lowpass", 300.0, order=2)
    return (np.sin(2 * np.pi * 4500 * t) * gate).astype(np.float32)


def clock(n: int, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    for k, at in enumerate(range(0, n, SR)):
        _place(out, _click(rng, 0.01, 3000.0 if k % 2 else 2000.0), at)
    return out


def glass(n: int, rng: np.random.Generator) -> np.ndarray:
    """A crash, then tinkles: bright pings between 3 and 8 kHz over the next second."""
    out = np.zeros(n, dtype=np.float32)
    m = min(n, int(0.3 * SR))
    _place(out, _filter(_noise(m, rng), "highpass", 2000.0) * np.exp(-_t(m) * 15), 0)
    for _ in range(25):
        p = int(0.08 * SR)
        ping = np.sin(2 * np.pi * rng.uniform(3000, 8000) * _t(p)) * np.exp(-_t(p) * 60)
        _place(out, ping.astype(np.float32), int(rng.uniform(0.02, 1.0) * SR), float(rng.uniform(0.1, 0.4)))
    return out


def dog(n: int, rng: np.random.Generator) -> np.ndarray:
    """Barks: a short harmonic yelp near 450 Hz through a mouth-like band, two or three at a time."""
    def bark() -> np.ndarray:
        m = int(0.18 * SR)
        t = _t(m)
        f = 450 * (1 + 0.4 * np.exp(-t * 20))
        voiced = sum(np.sin(2 * np.pi * k * np.cumsum(f) / SR) / k for k in range(1, 6))
        env = np.sin(np.pi * np.arange(m) / m) ** 0.5 * np.exp(-t * 8)
        return _filter((voiced * env).astype(np.float32), "bandpass", (300.0, 2500.0), order=2)
    return _repeat(n, 0.45, bark, rng, jitter=0.3)


def siren(n: int, rng: np.random.Generator) -> np.ndarray:
    t = _t(n)
    f = 900 + 300 * np.sin(2 * np.pi * 0.5 * t)
    return np.sin(2 * np.pi * np.cumsum(f) / SR).astype(np.float32)


def fire(n: int, rng: np.random.Generator) -> np.ndarray:
    bed = _filter(_noise(n, rng), "lowpass", 800.0) * 0.3
    return bed + _scatter(n, rng, per_second=12, cutoff=1500.0, length_s=0.006, gains=(0.3, 1.5))


def typing(n: int, rng: np.random.Generator) -> np.ndarray:
    return _repeat(n, 0.12, lambda: _click(rng, 0.015, 1500.0), rng, jitter=0.6)


def train(n: int, rng: np.random.Generator) -> np.ndarray:
    """Clack-clack of wheels over rail joints, on a rumble."""
    rumble = _filter(_brown(n, rng), "lowpass", 250.0)
    clacks = _repeat(n, 0.9, lambda: np.concatenate([_hit(0.12, 140.0, 40.0, rng, noise=1.0),
                                                      _hit(0.12, 140.0, 40.0, rng, noise=1.0)]), rng, 0.02)
    return rumble + 0.5 * clacks


def plane(n: int, rng: np.random.Generator) -> np.ndarray:
    t = _t(n)
    centre = n / SR / 2
    swell = np.exp(-((t - centre) / max(1.0, centre)) ** 2)
    return (_filter(_noise(n, rng), "bandpass", (80.0, 3000.0), order=2) * swell).astype(np.float32)


def bell(n: int, rng: np.random.Generator) -> np.ndarray:
    """A struck bell: inharmonic partials of 660 Hz, each dying at its own rate."""
    t = _t(n)
    partials = ((1.0, 1.0, 1.5), (2.0, 0.6, 2.5), (2.4, 0.5, 3.0), (3.0, 0.35, 4.0), (4.2, 0.2, 6.0))
    out = sum(a * np.sin(2 * np.pi * 660 * r * t) * np.exp(-t * d) for r, a, d in partials)
    return np.asarray(out, dtype=np.float32)


def hum(n: int, rng: np.random.Generator) -> np.ndarray:
    """Mains hum: 60 Hz and its harmonics, a faint buzz on top."""
    return (_tone((60, 120, 180, 240), n) + 0.05 * _filter(_noise(n, rng), "highpass", 3000.0))


def radio(n: int, rng: np.random.Generator) -> np.ndarray:
    """A voice-band murmur through a small speaker (300 Hz – 3 kHz)."""
    return _filter(crowd(n, rng)[:n], "bandpass", (300.0, 3000.0), order=2)


def scream(n: int, rng: np.random.Generator) -> np.ndarray:
    m = min(n, int(1.2 * SR))
    t = _t(m)
    f = 900 + 250 * np.sin(2 * np.pi * 5 * t)
    voiced = sum(np.sin(2 * np.pi * k * np.cumsum(f) / SR) / k for k in range(1, 5))
    out = np.zeros(n, dtype=np.float32)
    _place(out, (voiced * np.sin(np.pi * np.arange(m) / m)).astype(np.float32), 0)
    return out


def soft_hit(n: int, rng: np.random.Generator) -> np.ndarray:
    """An effect the lexicon does not know: a soft generic hit, so the cue is placed and heard, still labelled."""
    out = np.zeros(n, dtype=np.float32)
    _place(out, _hit(0.6, 120.0, 9.0, rng, noise=0.5), int(0.05 * SR))
    return out


EFFECTS: dict[str, Callable[[int, np.random.Generator], np.ndarray]] = {
    "rain": rain, "thunder": thunder, "door": door, "slam": slam, "knock": knock, "engine": engine, "car": car,
    "crowd": crowd, "footsteps": footsteps, "phone": phone, "gunshot": gunshot, "explosion": explosion,
    "wind": wind, "waves": waves, "birds": birds, "clock": clock, "glass": glass, "dog": dog, "siren": siren,
    "fire": fire, "typing": typing, "train": train, "plane": plane, "bell": bell, "hum": hum, "radio": radio,
    "scream": scream,
}


# ---------------------------------------------------------------- room tone


def room_tone(prompt: str, heading: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """A place's air: inside, dull low noise and a faint hum; outside, brighter noise and wind; birds by day and
    crickets at night outside; and the detail the prompt names (traffic, waves, a fridge, voices)."""
    words = f"{prompt} {heading}".lower()
    outside = heading.strip().upper().startswith(("EXT", "EST")) or "outdoor" in words
    night = any(w in words for w in ("night", "midnight", "dusk"))
    if outside:
        out = 0.6 * _filter(_noise(n, rng), "lowpass", 1200.0, order=2) + 0.8 * wind(n, rng)
        out += 0.5 * (crickets(n, rng) if night else birds(n, rng))
    else:
        out = _filter(_brown(n, rng), "lowpass", 400.0) * 2 + 0.2 * _tone((50, 100), n)
        out += 0.15 * _filter(_noise(n, rng), "bandpass", (400.0, 4000.0), order=2)
    details = {"traffic": lambda: car(n, rng) * 0.4, "waves": lambda: waves(n, rng), "fridge": lambda: hum(n, rng),
               "conditioning": lambda: _filter(_noise(n, rng), "bandpass", (100.0, 900.0)),
               "voices": lambda: crowd(n, rng) * 0.7, "beeping": lambda: _beeps(n), "engine": lambda: engine(n, rng)}
    for word, make in details.items():
        if word in words:
            out = out + 0.5 * make() / (np.abs(out).max() + 1e-9)
    return np.asarray(out, dtype=np.float32)


def _beeps(n: int) -> np.ndarray:
    t = _t(n)
    return (np.sin(2 * np.pi * 1000 * t) * ((t % 1.2) < 0.08)).astype(np.float32)


# ---------------------------------------------------------------- the port


def temp_sound(cue: SoundCue, seconds: float, seed: int, *, heading: str = "") -> np.ndarray:
    """The cue as a CPU temp track: mono float32 at 48 kHz, exactly round(seconds × 48000) samples, faded in and
    out over 50 ms, its peak at most 0.9, and never silent. ``heading`` is the scene's heading (room tone reads
    inside/outside and the time of day from it)."""
    n = int(round(seconds * SR))
    if n <= 0:
        raise AuteurError(f"the cue {cue.id} was asked for {seconds:g} s of sound", "give it a length over 0 s")
    rng = np.random.default_rng(seed)
    if cue.kind is CueKind.AMBIENCE:
        x = room_tone(cue.prompt, heading, n, rng)
    elif cue.kind is CueKind.EFFECT:
        x = EFFECTS.get(sound_of(cue.prompt), soft_hit)(n, rng)
    elif cue.kind is CueKind.MUSIC:
        x = music_bed(cue.mood or "neutral", n, seed)
    else:
        raise AuteurError(f"{cue.id} is a dialogue cue; the temp synthesiser makes effects, room tone and music",
                          "speak dialogue with the voice engine")
    x = np.asarray(x, dtype=np.float32)[:n]
    if float(np.abs(x).max()) < 1e-6:  # an effect whose sound falls after a very short cue ends: a tick instead
        x = (_noise(n, rng) * np.exp(-_t(n) * 30)).astype(np.float32)
    return _finish(x, kind=cue.kind)


def _finish(x: np.ndarray, *, kind: CueKind) -> np.ndarray:
    """Level, edge fades and the guarantees: finite, peak ≤ 0.9, and sound in it."""
    x = np.nan_to_num(x - float(np.mean(x)) if len(x) > SR // 10 else x)
    how, db = LEVELS[kind]
    measure = float(np.sqrt(np.mean(x ** 2))) if how == "rms" else float(np.abs(x).max())
    if measure < 1e-9:
        raise AuteurError("the temp synthesiser made silence", "report this: a temp track must never be silent")
    x = x * (10 ** (db / 20) / measure)
    fade = min(int(EDGE_FADE_S * SR), len(x) // 2)
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        x[:fade] *= ramp
        x[-fade:] *= ramp[::-1]
    peak = float(np.abs(x).max())
    if peak > PEAK:
        x *= PEAK / peak
    return x.astype(np.float32)
