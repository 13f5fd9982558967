"""The CPU temp sound, measured as a sound engineer would: spectra, band energies, levels and lengths.

Expectations come from outside our code: note frequencies from equal temperament (440·2^(n/12)), the British
telephone ring (400 + 450 Hz, 0.4 s on, 0.2 off, 0.4 on, 2 off), white noise's flat spectrum, thunder's energy
under 200 Hz, and crickets' trill near 4.5 kHz (what the synthesiser is asked to imitate).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.signal import welch

from studio.cues import LEXICON
from studio.errors import AuteurError
from studio.sound import SAMPLE_RATE, CueKind, SoundCue
from tools.sound.synth import temp_sound
from tools.sound.synth_music import BEDS
from tools.sound.wav import read_wav, wav_bytes

SR = SAMPLE_RATE


def cue(prompt: str = "", kind: CueKind = CueKind.EFFECT, mood: str = "") -> SoundCue:
    key = {CueKind.EFFECT: "S01_FX01", CueKind.AMBIENCE: "S01_AMB", CueKind.MUSIC: "M01"}[kind]
    return SoundCue(id=key, kind=kind, prompt=prompt or "sound", scene=1, mood=mood)


def flatness(x: np.ndarray) -> float:
    """Spectral flatness (Wiener entropy): geometric over arithmetic mean of the power spectrum; 1 for white noise,
    near 0 for tones."""
    _, p = welch(x, SR, nperseg=4096)
    p = p[1:] + 1e-20
    return float(np.exp(np.mean(np.log(p))) / np.mean(p))


def band_share(x: np.ndarray, low: float, high: float) -> float:
    f, p = welch(x, SR, nperseg=8192)
    return float(p[(f >= low) & (f < high)].sum() / p.sum())


def peaks(x: np.ndarray, count: int) -> list[float]:
    """The frequencies of the ``count`` strongest local maxima of a Hann-windowed spectrum."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freqs = np.fft.rfftfreq(len(x), 1 / SR)
    local = [i for i in range(1, len(spectrum) - 1) if spectrum[i - 1] < spectrum[i] >= spectrum[i + 1]]
    return sorted(float(freqs[i]) for i in sorted(local, key=lambda i: -spectrum[i])[:count])


def equal_tempered(semitones_from_a4: int) -> float:
    return 440.0 * 2 ** (semitones_from_a4 / 12)


def test_rain_is_broadband_and_thunder_is_low():
    rain = temp_sound(cue("steady rain falling"), 4.0, 1)
    thunder = temp_sound(cue("thunder rolling in the distance"), 4.0, 1)
    assert flatness(rain) > 0.5  # noise across the spectrum
    assert flatness(thunder) < 0.05
    assert band_share(thunder, 0, 200) > 0.9
    assert band_share(rain, 0, 200) < 0.05


def test_sad_music_sounds_its_chord():
    # The sad bed opens on D minor: D3, F3, A3 are 19, 16 and 12 semitones under A4.
    bed = temp_sound(cue(kind=CueKind.MUSIC, mood="sad"), 8.0, 5)
    first_chord = bed[int(0.1 * SR): int(3.3 * SR)]
    expected = [equal_tempered(n) for n in (-19, -16, -12)]  # 146.83, 174.61, 220.00 Hz
    found = peaks(first_chord, 3)
    assert found == pytest.approx(expected, abs=1.0)


def test_warm_music_is_major_and_sad_is_minor():
    # C major (C3 E3 G3) opens the warm bed: a major third (4 semitones) over the root, where minor has 3.
    warm = temp_sound(cue(kind=CueKind.MUSIC, mood="warm"), 4.0, 5)[int(0.1 * SR): int(3.3 * SR)]
    found = peaks(warm, 3)
    assert found == pytest.approx([equal_tempered(n) for n in (-21, -17, -14)], abs=1.0)
    root, third = found[0], found[1]
    assert 12 * np.log2(third / root) == pytest.approx(4, abs=0.1)


def test_a_long_music_cue_is_music_all_along():
    bed = temp_sound(cue(kind=CueKind.MUSIC, mood="warm"), 30.0, 2)
    window = int(0.05 * SR)
    rms = np.sqrt(np.convolve(bed ** 2, np.ones(window) / window, mode="valid"))[::window]
    inner = rms[2:-2]  # leave the cue's own fades at its two ends
    assert inner.min() > 0.5 * np.median(inner)  # no gap where one chord hands over to the next


@pytest.mark.parametrize("mood", sorted(BEDS))
def test_every_mood_fades_in_and_out(mood):
    bed = temp_sound(cue(kind=CueKind.MUSIC, mood=mood), 6.0, 1)
    assert abs(bed[0]) < 1e-4 and abs(bed[-1]) < 1e-3
    fade = int(0.05 * SR)
    assert np.abs(bed[:fade // 5]).max() < np.abs(bed[fade: 4 * fade]).max()


def test_phone_rings_with_two_tones_in_its_cadence():
    ring = temp_sound(cue("a telephone ringing"), 3.0, 1)
    assert peaks(ring, 2) == pytest.approx([400.0, 450.0], abs=2.0)
    on = np.abs(ring[int(0.1 * SR): int(0.3 * SR)]).mean()
    off = np.abs(ring[int(1.3 * SR): int(2.8 * SR)]).mean()
    assert off < 0.05 * on


def test_night_outside_has_crickets_and_inside_is_low():
    outside = temp_sound(cue("outdoor ambience", CueKind.AMBIENCE), 6.0, 1, heading="EXT. FIELD - NIGHT")
    inside = temp_sound(cue("room tone", CueKind.AMBIENCE), 6.0, 1, heading="INT. KITCHEN - NIGHT")
    day = temp_sound(cue("outdoor ambience", CueKind.AMBIENCE), 6.0, 1, heading="EXT. FIELD - DAY")
    assert band_share(outside, 4400, 4600) > 0.1
    assert band_share(day, 4400, 4600) < 0.02
    assert band_share(inside, 0, 400) > 0.8 > band_share(outside, 0, 400)


def test_room_tone_is_quieter_than_an_effect():
    tone = temp_sound(cue("room tone", CueKind.AMBIENCE), 4.0, 1, heading="INT. OFFICE - DAY")
    slam = temp_sound(cue("a door slamming"), 4.0, 1)
    assert np.abs(tone).max() < np.abs(slam).max()


@pytest.mark.parametrize("prompt", [s.prompt for s in LEXICON] + ["a kazoo solo nobody named"])
@pytest.mark.parametrize("seconds", [1 / SR, 0.01, 1.2345])
def test_every_effect_exact_length_never_silent(prompt, seconds):
    x = temp_sound(cue(prompt), seconds, 9)
    assert x.dtype == np.float32 and x.shape == (round(seconds * SR),)
    assert np.isfinite(x).all()
    assert 0 < np.abs(x).max() <= 0.9
    assert np.sqrt(np.mean(x ** 2)) > 1e-4


@pytest.mark.parametrize(("kind", "heading"), [(CueKind.AMBIENCE, "INT. DINER - NIGHT"),
                                               (CueKind.AMBIENCE, "EXT. BEACH - DAY"), (CueKind.MUSIC, "")])
def test_ambience_and_music_exact_length_never_silent(kind, heading):
    x = temp_sound(cue("room tone of a diner, fridge hum", kind, mood="tense"), 7.777, 3, heading=heading)
    assert x.shape == (round(7.777 * SR),)
    assert 0 < np.abs(x).max() <= 0.9


def test_a_take_survives_a_16_bit_wav():
    x = temp_sound(cue("steady rain falling"), 2.5, 4)
    back, rate = read_wav(wav_bytes(x, SR))
    assert rate == SR and back.shape == x.shape
    assert np.abs(back - x).max() < 1e-4


def test_seeded():
    a = temp_sound(cue("crowd murmur, many voices"), 2.0, 11)
    assert np.array_equal(a, temp_sound(cue("crowd murmur, many voices"), 2.0, 11))
    assert not np.array_equal(a, temp_sound(cue("crowd murmur, many voices"), 2.0, 12))


def test_bad_requests_are_refused():
    with pytest.raises(AuteurError, match="over 0 s"):
        temp_sound(cue("steady rain falling"), 0.0, 1)
    with pytest.raises(AuteurError, match="dialogue"):
        temp_sound(SoundCue(id="S01_SH002", kind=CueKind.DIALOGUE, prompt="hello", scene=1), 2.0, 1)


def test_a_minute_of_temp_sound_takes_seconds():
    started = time.perf_counter()
    temp_sound(cue("room tone of a diner, fridge hum", CueKind.AMBIENCE), 60.0, 1, heading="INT. DINER - NIGHT")
    temp_sound(cue(kind=CueKind.MUSIC, mood="action"), 60.0, 1)
    temp_sound(cue("steady rain falling"), 60.0, 1)
    took = time.perf_counter() - started
    print(f"three minutes of temp sound in {took:.2f} s ({took / 180:.4f} s per second of sound)")
    assert took < 30.0  # generous on two busy cores; measured about 2 s
