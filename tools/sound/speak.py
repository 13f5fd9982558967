"""One dialogue shot spoken as one take: its lines in order, each in its character's voice, placed as the script
says (on screen, off screen, voice-over; a dual dialogue line over the one before it).

Levels are evened out line by line (the engines speak at different loudness), so the mix has consistent takes
to work with. An off-screen line is duller, quieter and a little further away (low-pass, −6 dB, a short room
reflection); a voice-over stays dry and close; a line on screen has a faint room around it. A parenthetical
that says how loud, (quietly) or (shouting), moves its line's level (and the take notes it).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from studio.errors import AuteurError
from studio.sound import MAX_LINE_WORDS, SAMPLE_RATE, Delivery, SpokenLine, VoiceProfile
from studio.voices import voice_for
from tools.sound.voices import VoiceEngine, engine_for
from tools.sound.wav import resample

GAP_S = 0.25  # between two lines of a shot
PART_GAP_S = 0.12  # between the parts of a long speech
TARGET_RMS = 0.1  # about −20 dBFS: every line's level before its delivery
PEAK = 0.9
LIMIT_WINDOW_S = 0.005  # the limiter's look-ahead: a peak is met this far ahead and let go as far after
OS_CUTOFF_HZ = 2500.0
OS_GAIN = 0.5  # −6 dB
SILENCE = 1e-3  # below this a line's start and end are trimmed, and a whole line is silence
_EDGE_S = 0.02  # kept around a line's sound when trimmed


def speech_parts(text: str, limit: int = MAX_LINE_WORDS) -> list[str]:
    """A speech in parts of at most ``limit`` words, cut at sentence ends where it can be."""
    words = text.split()
    if len(words) <= limit:
        return [" ".join(words)]
    parts: list[str] = []
    current: list[str] = []
    for sentence in re.split(r"(?<=[.!?…])\s+", " ".join(words)):
        for word in sentence.split():
            if len(current) >= limit:
                parts.append(" ".join(current))
                current = []
            current.append(word)
        if len(current) >= limit * 3 // 4:  # a sentence end near the limit: a good place to breathe
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


# How loud a parenthetical says a line is (user F6): hushed lines −6 dB, shouted ones +3 dB (the peak limit still
# holds). Whole words and their forms, as a person writes them: (quietly), (whispering), (under her breath).
QUIET_DB, LOUD_DB = -6.0, 3.0
_QUIET_RE = re.compile(r"\b(quiet(ly)?|whisper(s|ed|ing)?|soft(ly)?|under (her|his|their|my) breath|hushed|murmur(s|ed|ing)?"
                       r"|mutter(s|ed|ing)?|barely audible|sotto voce|low voice)\b", re.IGNORECASE)
_LOUD_RE = re.compile(r"\b(shout(s|ed|ing)?|yell(s|ed|ing)?|scream(s|ed|ing)?|loud(ly)?|bellow(s|ed|ing)?|roar(s|ed|ing)?"
                      r"|at the top of (her|his|their|my) lungs)\b", re.IGNORECASE)


def loudness_of(parenthetical: str) -> tuple[str, float]:
    """('quiet' or 'loud' or '', the gain in dB) that a line's parenthetical asks for."""
    if _QUIET_RE.search(parenthetical or ""):
        return "quiet", QUIET_DB
    if _LOUD_RE.search(parenthetical or ""):
        return "loud", LOUD_DB
    return "", 0.0


def _trim(x: np.ndarray) -> np.ndarray:
    """Without the silence an engine leaves before and after the words."""
    loud = np.flatnonzero(np.abs(x) > SILENCE)
    if len(loud) == 0:
        return x[:0]
    edge = int(_EDGE_S * SAMPLE_RATE)
    return x[max(0, loud[0] - edge): loud[-1] + edge]


def _level(x: np.ndarray, gain_db: float = 0.0) -> np.ndarray:
    """``x`` at the common speech level (TARGET_RMS), moved by ``gain_db`` (a hushed or shouted line), its peaks
    held under PEAK by a limiter (speech peaks ~20 dB over its RMS: scaling the whole line down to its loudest
    peak would undo the level, and a shout's +3 dB with it)."""
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0
    if rms <= 0.0:
        return x
    return limit(x * (TARGET_RMS * 10 ** (gain_db / 20) / rms), PEAK)


def limit(y: np.ndarray, ceiling: float, window_s: float = LIMIT_WINDOW_S) -> np.ndarray:
    """``y`` under ``ceiling``. In blocks of ``window_s``: a block's gain is what the loudest of it and the two
    beside it needs, and each sample's gain runs in a straight line between the gains at the blocks' middles
    (both ends are at most what its own block needs, so no sample is left over the ceiling, and the gain ramps
    over a few ms instead of stepping). Only the blocks near a peak are touched: a 2,000-word speech is 12
    minutes of sound."""
    if len(y) == 0 or float(np.max(np.abs(y))) <= ceiling:
        return y.astype(np.float32)
    w = max(2, int(window_s * SAMPLE_RATE))
    count = -(-len(y) // w)
    padded = np.zeros(count * w, dtype=np.float32)
    padded[: len(y)] = y
    blocks = padded.reshape(count, w)
    peak = np.abs(blocks).max(axis=1)
    near = np.maximum(peak, np.maximum(np.r_[0.0, peak[:-1]], np.r_[peak[1:], 0.0]))
    gain = np.minimum(1.0, ceiling / np.maximum(near, 1e-12))
    rows = np.flatnonzero(gain < 1.0)
    rows = np.unique(np.clip(np.concatenate([rows - 1, rows, rows + 1]), 0, count - 1))
    left, mid, right = gain[np.maximum(rows - 1, 0)], gain[rows], gain[np.minimum(rows + 1, count - 1)]
    frac = (np.arange(w) + 0.5) / w - 0.5  # −½ … ½ from the block's middle
    ramp = np.where(frac >= 0, mid[:, None] + frac * (right - mid)[:, None],
                    mid[:, None] - frac * (left - mid)[:, None])
    blocks[rows] *= ramp.astype(np.float32)
    return np.clip(blocks.reshape(-1)[: len(y)], -ceiling, ceiling)


def _reflect(x: np.ndarray, taps: tuple[tuple[float, float], ...]) -> np.ndarray:
    """``x`` with delayed, quieter copies of itself (seconds, gain): a small room's first reflections."""
    longest = int(max(t for t, _ in taps) * SAMPLE_RATE)
    y = np.zeros(len(x) + longest, dtype=np.float32)
    y[: len(x)] += x
    for delay_s, gain in taps:
        d = int(delay_s * SAMPLE_RATE)
        y[d: d + len(x)] += gain * x
    return y


def place(x: np.ndarray, delivery: Delivery) -> np.ndarray:
    """Where the line is heard from: off screen (duller, quieter, further), voice-over (dry, close) or on screen."""
    if delivery is Delivery.OS:
        from scipy.signal import butter, sosfilt

        sos = butter(4, OS_CUTOFF_HZ, btype="lowpass", fs=SAMPLE_RATE, output="sos")
        dull = sosfilt(sos, x).astype(np.float32)
        return _reflect(dull * OS_GAIN, ((0.019, 0.35), (0.037, 0.2), (0.061, 0.1)))
    if delivery is Delivery.VO:
        return x
    return _reflect(x, ((0.017, 0.08),))


def _say(engine: VoiceEngine, text: str, profile: VoiceProfile) -> np.ndarray:
    """A speech as 48 kHz samples: in parts when long, each part trimmed, a short pause between them."""
    pieces: list[np.ndarray] = []
    for part in speech_parts(text):
        samples, rate = engine.speak(part, profile)
        said = _trim(resample(np.asarray(samples, dtype=np.float32), rate, SAMPLE_RATE))
        if len(said):
            if pieces:
                pieces.append(np.zeros(int(PART_GAP_S * SAMPLE_RATE), dtype=np.float32))
            pieces.append(said)
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def _voice(speaker: str, voices: dict[str, VoiceProfile], notices: list[str]) -> VoiceProfile:
    found = next((p for name, p in voices.items() if name.upper() == speaker.upper()), None)
    if found is not None:
        return found
    profile = voice_for(speaker, list(voices.values()))
    voices[speaker] = profile
    notices.append(f"{speaker} had no voice: this take uses {profile.voice}, pitch {profile.pitch} "
                   f"(cast one with `/voice {speaker} …`)")
    return profile


def _mix_in(take: np.ndarray, x: np.ndarray, start: int) -> np.ndarray:
    end = start + len(x)
    if end > len(take):
        take = np.concatenate([take, np.zeros(end - len(take), dtype=np.float32)])
    take[start:end] += x
    return take


def speak_shot(lines: list[SpokenLine], voices: dict[str, VoiceProfile],
               settings: Any = None) -> tuple[np.ndarray, list[dict[str, Any]], list[str]]:
    """One mono 48 kHz take of a shot's lines: (samples, each line's speaker/text/delivery/voice/engine/start_s/
    seconds, notices such as an engine's fallback). A line that gives no sound is an error, never silence."""
    if not lines:
        raise AuteurError("this shot has no line to speak", "give the shot dialogue, or render only its picture")
    voices = dict(voices)  # a voice cast on the fly serves this take only
    notices: list[str] = []
    engines: dict[str, tuple[VoiceEngine, str]] = {}
    take = np.zeros(0, dtype=np.float32)
    cursor = 0  # where the next line starts
    previous_start = 0
    said: list[dict[str, Any]] = []
    for line in lines:
        if not any(ch.isalpha() for ch in line.text):
            raise AuteurError(f"{line.shot}: {line.speaker}'s line {line.text[:40]!r} has no words to say",
                              "write the line in words, or take it out of the shot's dialogue")
        profile = _voice(line.speaker, voices, notices)
        key = profile.model_dump_json()
        if key not in engines:
            engines[key] = engine_for(profile, settings)
            if engines[key][1]:
                notices.append(f"{line.speaker}: {engines[key][1]}")
        engine = engines[key][0]
        x = _say(engine, line.text, profile)
        if len(x) == 0 or float(np.max(np.abs(x))) <= SILENCE:
            raise AuteurError(f"{line.shot}: {engine.name} gave no sound for {line.speaker}'s line "
                              f"{line.text[:40]!r}", f"try another voice (`/voice {line.speaker} voice en-us`)")
        level, gain_db = loudness_of(line.parenthetical)
        x = place(_level(x, gain_db), line.delivery)
        start = previous_start if line.dual and said else (cursor + int(GAP_S * SAMPLE_RATE) if said else 0)
        take = _mix_in(take, x, start)
        previous_start = start
        cursor = max(cursor, start + len(x))
        record = {"speaker": line.speaker, "text": line.text, "delivery": line.delivery.value,
                  "parenthetical": line.parenthetical, "dual": line.dual, "voice": profile.text,
                  "engine": engine.name, "start_s": round(start / SAMPLE_RATE, 3),
                  "seconds": round(len(x) / SAMPLE_RATE, 3)}
        if level:  # the parenthetical's loudness, noted with the line
            record.update(level=level, gain_db=gain_db)
        said.append(record)
    peak = float(np.max(np.abs(take)))
    if peak > PEAK:  # overlapping lines add up
        take *= PEAK / peak
    return take.astype(np.float32), said, notices
