"""Sound takes: WAVs of a dialogue shot's lines or of a cue, numbered, never overwritten, one active per key.

A take is ``03_Renders/Sound/<KEY>/<KEY>_take02.wav`` and its sidecar ``…_take02.json`` (a studio.sound.SoundTake);
the key is a dialogue shot's code (``S01_SH003``) or a cue's id (``S01_AMB``, ``S01_FX02``, ``M01``). Which take
of each key is active lives in the sound plan (memory.layout.SOUND_PLAN), written with the take in one commit.
"""

from __future__ import annotations

import io
import json
import re
import wave
from pathlib import Path

from memory import layout
from memory.change import now_iso
from memory.git_repo import Author
from memory.takes import TakeStore, next_take_number, on_branch
from studio.errors import AuteurError, StageError
from studio.sound import KEY_RE, SoundPlan, SoundTake
from studio.stages import Stage

MIN_RATE, MAX_RATE = 8_000, 192_000  # the rates a take's WAV may say it has
HEADER_BYTES = 4096  # enough of a WAV for its format (fmt chunk) and the start of its data


def sound_folder(key: str) -> str:
    """The folder of a key's takes; the key is checked first, so a name never becomes another path."""
    if not KEY_RE.match(key):
        raise AuteurError(f"{key!r} names no sound cue or shot", "use a shot code (S01_SH003) or a cue id (S01_AMB, M01)")
    return f"{layout.SOUND_RENDERS}/{key}"


def read_plan(store: TakeStore) -> SoundPlan:
    """The project's sound plan, or an empty one (no cues, no takes yet)."""
    path = store.path / layout.SOUND_PLAN
    if not path.is_file():
        return SoundPlan()
    try:
        return SoundPlan.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise StageError(f"{layout.SOUND_PLAN} cannot be read ({str(exc).splitlines()[0]})",
                         "restore it from the history (`auteur history`), or delete it to derive the cues again") \
            from exc


def is_wav(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def wav_header_problem(data: bytes) -> str:
    """Why ``data`` is not a WAV the mix can read ("" when it is): PCM that the standard library's ``wave`` reads,
    one or two channels, 8 to 32 bits, at a rate a sound is recorded at (a hand-made header saying 1 Hz would be
    resampled to 48 kHz into billions of samples)."""
    if not is_wav(data):
        return "not a WAV file"
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
    except (wave.Error, EOFError) as exc:
        return f"not a WAV file the mix can read ({exc})"
    if not 1 <= channels <= 2 or not 1 <= width <= 4:
        return f"{channels} channels of {width * 8}-bit sound"
    if not MIN_RATE <= rate <= MAX_RATE:
        return f"a sample rate of {rate} Hz"
    return ""


def _head(media: Path) -> bytes:
    try:
        with media.open("rb") as f:
            return f.read(HEADER_BYTES)
    except OSError:
        return b""


def _impossible(head: bytes) -> bool:
    """A WAV header that parses but says what no take of ours is (a rate of 0 or 1 Hz, 64 channels): resampled,
    1 Hz would turn a few seconds into billions of samples."""
    if not is_wav(head):
        return False
    try:
        with wave.open(io.BytesIO(head), "rb") as w:
            w.getnchannels()
    except (wave.Error, EOFError):
        return False
    return wav_header_problem(head) != ""


def _our_wav(media: Path, root: Path) -> bool:
    """Whether a take's WAV is a plain file of the project that could be a take. A link (planted, or restored
    from an archive) is not followed, so a take never brings another file of the server into the mix; a header
    no take has is not a take. A file that is no WAV at all is still listed, so the mix names it and says what
    to do (and a sound plan renders it again: ``SoundTakes.damaged``)."""
    if media.is_symlink() or not media.is_file() or not media.resolve().is_relative_to(root.resolve()):
        return False
    return not _impossible(_head(media))


class SoundTakes:
    """The sound takes of one project; ``store`` is its memory.project_store.ProjectStore."""

    def __init__(self, store: TakeStore) -> None:
        self.store = store

    def list(self, key: str) -> list[SoundTake]:
        folder = self.store.path / sound_folder(key)
        if not folder.is_dir() or folder.is_symlink():
            return []
        active = read_plan(self.store).active.get(key)
        found: list[SoundTake] = []
        for sidecar in sorted(folder.glob(f"{key}_take*.json")):
            try:
                take = SoundTake.model_validate_json(sidecar.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a sidecar that is not ours (or half a hand edit): not a take
            media = self.store.path / take.path
            if take.key != key or media.parent != folder or not _our_wav(media, self.store.path):
                continue
            take.active = take.number == active
            found.append(take)
        return sorted(found, key=lambda t: t.number)

    def damaged(self, take: SoundTake) -> str:
        """Why ``take``'s WAV can no longer be read ("" when it can): a file changed by hand since it was made.
        A plan renders such a key again, and the new take replaces it as the active one."""
        return wav_header_problem(_head(self.store.path / take.path))

    def active(self, key: str) -> SoundTake | None:
        return next((t for t in self.list(key) if t.active), None)

    def find_job(self, key: str, job_id: str) -> SoundTake | None:
        return next((t for t in self.list(key) if t.job_id == job_id), None)

    def next_number(self, key: str) -> int:
        return next_take_number(self.store.path / sound_folder(key), re.escape(key) + r"_take(\d+)\.")

    def add(self, take: SoundTake, data: bytes, *, author: Author, activate: bool = False,
            branch: str | None = None, plan: SoundPlan | None = None) -> SoundTake:
        """Store ``data`` (a WAV) as the key's next take, with ``take`` as its sidecar (its number and path are set
        here). It becomes active if asked, if the key has none, or if the active take's WAV is gone or damaged
        (even a chosen one: there is nothing left to keep). ``plan``: the cues to write with it (a derived plan),
        else the plan on disk keeps its cues."""
        problem = wav_header_problem(data)
        if problem:
            raise AuteurError(f"the sound take for {take.key} is {problem}", "render the sound again")
        folder = sound_folder(take.key)
        with self.store.change(stage=Stage.CUT, action="sound", summary=f"new {take.track.value} take for {take.key}",
                               author=author) as change:
            on_branch(self.store, branch)
            number = self.next_number(take.key)
            name = f"{take.key}_take{number:02d}"
            made = take.model_copy(update={"number": number, "path": f"{folder}/{name}.wav", "created": now_iso(),
                                           "active": False})
            change.write_new(made.path, data)
            sidecar = made.model_dump(mode="json", exclude={"active"})
            change.write_new(f"{folder}/{name}.json", (json.dumps(sidecar, indent=2) + "\n").encode())
            current = read_plan(self.store)
            written = (plan or current).model_copy(deep=True)
            written.active, written.chosen = dict(current.active), list(current.chosen)
            if activate or take.key not in written.active or not self._active_file(written, take.key):
                written.active[take.key] = number
                written.chosen = [k for k in written.chosen if k != take.key]
                made.active = True
            change.write_model(layout.SOUND_PLAN, written)
        return made

    def _active_file(self, plan: SoundPlan, key: str) -> bool:
        """Whether the active take's WAV is there and readable (else a new take replaces it, even a chosen one)."""
        number = plan.active.get(key)
        if number is None:
            return False
        media = self.store.path / sound_folder(key) / f"{key}_take{number:02d}.wav"
        return _our_wav(media, self.store.path) and wav_header_problem(_head(media)) == ""

    def choose(self, key: str, number: int, *, author: Author) -> SoundTake:
        """The person's choice of a key's take: a batch render keeps it."""
        match = [t for t in self.list(key) if t.number == number]
        if not match:
            have = ", ".join(str(t.number) for t in self.list(key)) or "none yet"
            raise StageError(f"{key} has no sound take {number} (takes: {have})",
                             f"see `/takes {key}` and pick one of those numbers")
        with self.store.change(stage=Stage.CUT, action="choose", summary=f"choose sound take {number} for {key}",
                               author=author) as change:
            plan = read_plan(self.store)
            plan.active[key] = number
            if key not in plan.chosen:
                plan.chosen.append(key)
            change.write_model(layout.SOUND_PLAN, plan)
        match[0].active = True
        return match[0]

    def save_plan(self, plan: SoundPlan, *, author: Author, summary: str) -> bool:
        """Write the cues (a derivation or a person's edit), keeping which takes are active; False: no change."""
        with self.store.change(stage=Stage.CUT, action="sound-plan", summary=summary, author=author) as change:
            current = read_plan(self.store)
            written = plan.model_copy(update={"active": dict(current.active), "chosen": list(current.chosen)})
            return change.write_model(layout.SOUND_PLAN, written)
