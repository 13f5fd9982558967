"""Where every sound take sits on the cut: the one placement the mix, the stems and the timelines share.

The cut gives each shot round(duration_s × fps) frames (at least one), in the shot list's order, exactly as
tools/render/cut.py encodes it; a shot's first sample is its first frame's time at 48 kHz. A dialogue take
starts where its shot starts (a dual-dialogue take where the shot it overlaps starts); room tone and music span
their scenes; an effect starts at its shot (or scene) plus its offset. Nothing here reads audio: a take's length
comes from its WAV header, so the timelines can be written without decoding a sound.

A dialogue take is placed only while its shot still says what the take says: a line taken out of the shot, a line
reworded, or a shot renumbered under the take's key leaves the take out (named in ``missing`` and ``notes``), so
the cut never speaks words its shot no longer has.
"""

from __future__ import annotations

import re
import wave
from dataclasses import dataclass, field
from pathlib import Path

from memory.sound_takes import SoundTakes, read_plan
from studio.dialogue import spoken_lines
from studio.errors import AuteurError
from studio.models import ShotList, shot_code
from studio.sound import SAMPLE_RATE, CueKind, SoundCue, SoundTake, Track

LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W_]+")
BED_S = 8.0  # an effect take longer than this is a bed under the scene (a hum, rain), not a single sound


@dataclass(frozen=True)
class Span:
    """One active take on the cut: [start, end) in samples of the cut at 48 kHz."""

    key: str
    kind: CueKind
    path: str  # the take's WAV, relative to the project folder
    start: int
    end: int
    samples: int  # the take's own length at 48 kHz (shorter than the span: room tone and music loop)
    temp: bool = False
    speech: tuple[tuple[int, int], ...] = ()  # dialogue: where words are said, on the cut
    bed: bool = False  # an effect that lasts (a cue spanning scenes, or a take over BED_S): mixed well under

    @property
    def track(self) -> Track:
        return self.kind.track


@dataclass
class Layout:
    """Every placed take, the cut's length, and what could not be placed."""

    length: int
    starts: dict[str, tuple[int, int]]
    spans: list[Span] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # keys with no active take
    notes: list[str] = field(default_factory=list)
    lines: int = 0


def frames_of(duration_s: float, fps: float) -> int:
    """A shot's frames on the cut, as tools/render/cut.py counts them."""
    return max(1, round(duration_s * fps))


def place(shots: ShotList, fps: float) -> dict[str, tuple[int, int]]:
    """Shot code → (first sample, end sample) of the shot on the cut at 48 kHz."""
    out: dict[str, tuple[int, int]] = {}
    frame = 0
    for s in shots.shots:
        first = frame
        frame += frames_of(s.duration_s, fps)
        out[s.code] = (round(first * SAMPLE_RATE / fps), round(frame * SAMPLE_RATE / fps))
    return out


def cut_length(shots: ShotList, fps: float) -> int:
    """Samples of the whole cut: the last shot's end."""
    frames = sum(frames_of(s.duration_s, fps) for s in shots.shots)
    return round(frames * SAMPLE_RATE / fps)


def take_samples(path: Path) -> int:
    """A WAV's length in samples at 48 kHz, from its header; a damaged take is named, with what to do."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, rate = w.getnframes(), w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        key = path.parent.name
        raise AuteurError(f"the sound take {path.name} cannot be read as a WAV ({exc})",
                          f"render {key} again (`auteur render sound`), or choose another take with "
                          f"`/take {key} N`") from exc
    return round(frames * SAMPLE_RATE / rate) if rate else 0


def _scene_bounds(shots: ShotList, starts: dict[str, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    bounds: dict[int, tuple[int, int]] = {}
    for s in shots.shots:
        a, b = starts[s.code]
        lo, hi = bounds.get(s.scene, (a, b))
        bounds[s.scene] = (min(lo, a), max(hi, b))
    return bounds


def _speech(take: SoundTake, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Where the take's lines are said, on the cut (its whole length when it names no lines)."""
    found = []
    for line in take.lines:
        try:
            a = start + round(float(line["start_s"]) * SAMPLE_RATE)
            b = a + round(float(line["seconds"]) * SAMPLE_RATE)
        except (KeyError, TypeError, ValueError):
            return ((start, end),)
        if b > a and a < end:
            found.append((a, min(b, end)))
    return tuple(found) or ((start, end),)


def words_of(text: str) -> list[str]:
    """The words of a text, lower-cased, without punctuation: how a take's words and a shot's are compared."""
    return [w.casefold() for w in WORD.findall(text)]


def _take_words(take: SoundTake) -> list[str] | None:
    """What the take says ('NAME: words' per line): from its lines (whole), else its text (cut at 40,000
    characters); None when it records neither."""
    said = [f"{line.get('speaker', '')}: {line.get('text', '')}" for line in take.lines
            if isinstance(line, dict) and "text" in line]
    if said:
        return words_of("\n".join(said))
    return words_of(take.text) if take.text.strip() else None


def _said_now(shots: ShotList) -> dict[str, list[str]]:
    """Shot code → the words its lines say now (speakers included, parentheticals not): what a take must say."""
    lines = spoken_lines(shots, "")  # the words come from the shot list; the script only adds how they are said
    return {code: words_of("\n".join(f"{ln.speaker}: {ln.text}" for ln in said)) for code, said in lines.items()}


def _dialogue(layout: Layout, shots: ShotList, takes: SoundTakes, root: Path) -> None:
    said = _said_now(shots)
    for s in shots.shots:
        code = s.code
        take = takes.active(code)
        if take is None:
            if LETTER.search(s.dialogue):
                layout.missing.append(code)
            continue
        if code not in said or _take_words(take) not in (None, said[code]):
            _left_out(layout, code, speaks=code in said)
            continue
        anchor = str(take.parameters.get("dual_with") or code)
        start = layout.starts.get(anchor, layout.starts[code])[0]
        samples = take_samples(root / take.path)
        end = min(layout.length, start + samples)
        if end <= start:
            continue
        layout.spans.append(Span(code, CueKind.DIALOGUE, take.path, start, end, samples, take.temp,
                                 _speech(take, start, end)))
        layout.lines += len(take.lines) or 1


def _left_out(layout: Layout, code: str, *, speaks: bool) -> None:
    """A dialogue take whose shot no longer says its words: not placed, and said."""
    if speaks:
        layout.missing.append(code)
        layout.notes.append(f"{code}'s line changed since its take was spoken: it is left out of the mix until "
                            f"`auteur render sound` (/render sound) speaks it again")
    else:
        layout.notes.append(f"{code} has no line now, so its old dialogue take is left out of the mix")


def _cue_start(cue: SoundCue, layout: Layout, scenes: dict[int, tuple[int, int]]) -> int | None:
    if cue.scene not in scenes:
        # a span of scenes cut from its start (one scene's preview): it plays from the first scene here
        later = [n for n in scenes if cue.kind is not CueKind.EFFECT and cue.scene < n <= (cue.last_scene or 0)]
        return scenes[min(later)][0] if later else None
    anchor = layout.starts.get(shot_code(cue.scene, cue.shot)) if cue.shot else None
    base = anchor[0] if anchor else scenes[cue.scene][0]
    return base + round(cue.offset_s * SAMPLE_RATE)


def _cue_span(cue: SoundCue, take: SoundTake, layout: Layout, scenes: dict[int, tuple[int, int]],
              root: Path) -> Span | None:
    start = _cue_start(cue, layout, scenes)
    if start is None or start >= layout.length:
        layout.notes.append(f"{cue.id} is placed in scene {cue.scene}, which the cut does not have: left out")
        return None
    samples = take_samples(root / take.path)
    if cue.kind is CueKind.EFFECT:
        length = samples if cue.duration_s is None else min(samples, round(cue.duration_s * SAMPLE_RATE))
        end = start + length
    else:
        last = max((n for n in scenes if cue.scene <= n <= (cue.last_scene or cue.scene)), default=cue.scene)
        end = scenes[last][1]
        if cue.duration_s is not None:
            end = min(end, start + round(cue.duration_s * SAMPLE_RATE))
    end = min(end, layout.length)
    bed = cue.kind is CueKind.EFFECT and (cue.last_scene is not None or samples > BED_S * SAMPLE_RATE)
    return Span(cue.id, cue.kind, take.path, start, end, samples, take.temp, bed=bed) if end > start else None


def layout(store, shots: ShotList, fps: float) -> Layout:
    """Every active sound take of the project placed on the cut of ``shots`` at ``fps``."""
    starts = place(shots, fps)
    found = Layout(length=cut_length(shots, fps), starts=starts)
    takes = SoundTakes(store)
    root = Path(store.path)
    _dialogue(found, shots, takes, root)
    scenes = _scene_bounds(shots, starts)
    for cue in read_plan(store).cues:
        if cue.kind is CueKind.DIALOGUE:
            continue
        take = takes.active(cue.id)
        if take is None:
            if cue.scene in scenes:
                found.missing.append(cue.id)
            continue
        span = _cue_span(cue, take, found, scenes, root)
        if span is not None:
            found.spans.append(span)
    found.spans.sort(key=lambda sp: (sp.track.value, sp.start, sp.key))
    return found
