"""Stems for the editor: dialogue, effects and music as three WAVs the length of the cut.

24-bit stereo at 48 kHz, each exactly the cut's length, placed as the cut's mix places them and with the
master's gain applied, so the three summed are the master before its limiter (an editor can rebalance them and
get the film's mix back). They land in ``06_Exports/<slug>_stems/`` all three or none: they are written into a
new hidden folder first, and that folder takes the place of the old one only when all three are there. A
README.txt beside them says what a person must know: a stem that is a CPU temp track (TEMP), a silent dialogue
stem, sounds with no take yet; the CLI prints the same notes.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from memory.atomic import contained
from studio.errors import AuteurError, StageError
from studio.models import Cut, Shot, ShotList, shot_code
from studio.sound import SAMPLE_RATE, Track
from studio.stages import Stage

STEMS = (Track.DIALOGUE, Track.EFFECTS, Track.MUSIC)
FULL_SCALE = 0.999  # a stem above this after the master's gain would clip as 24-bit PCM
README = "README.txt"  # beside the three WAVs: what they are, and their notices (TEMP, silent dialogue …)
NOTES = "NOTES"


@dataclass
class Stems:
    paths: list[Path]
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0
    gain_db: float = 0.0  # the master's gain, applied to every stem
    trim_db: float = 0.0  # taken off all three together so none clips (0: none needed)


def cut_shots(store) -> tuple[ShotList, float]:
    """The shots as the recorded cut timed them (its entries' durations, the shot list's other fields), so the
    stems match the cut's MP4 even after a later refit; the shot list itself when there is no cut yet."""
    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError(f"{store.slug} has no shot list, so there is nothing to place sound on",
                         f"draft the shot list first (`auteur run -p {store.slug} --until shots --yes`)")
    cut = store.read(Stage.CUT)
    if not isinstance(cut, Cut) or not cut.entries:
        return shots, store.manifest().settings.fps
    by_code = {s.code: s for s in shots.shots}
    timed = []
    for e in cut.entries:
        base = by_code.get(shot_code(e.scene, e.shot)) or Shot(scene=e.scene, number=e.shot)
        timed.append(base.model_copy(update={"duration_s": e.duration_s}))
    return ShotList(shots=timed), cut.fps


def _stem_arrays(store, shots: ShotList, fps: float) -> tuple[dict[Track, np.ndarray], Stems]:
    from tools.sound.master import mastered_mix

    done = mastered_mix(store, shots, fps, store.manifest().settings)  # the cut's own master: one gain, one filter
    if done is None:
        raise StageError(f"{store.slug} has no sound takes yet, so there are no stems to write",
                         f"render the sound first: `auteur render sound -p {store.slug}` (or /render sound in "
                         f"the chat)")
    mix, audio, gain = done.mix, done.audio, done.gain
    tracks = {t: x * np.float32(gain) for t, x in mix.tracks().items()}
    peak = max(float(np.abs(x).max()) if len(x) else 0.0 for x in tracks.values())
    info = Stems(paths=[], seconds=round(mix.length / SAMPLE_RATE, 3), gain_db=round(20 * math.log10(gain), 2))
    if peak > FULL_SCALE:
        trim = FULL_SCALE / peak
        tracks = {t: x * np.float32(trim) for t, x in tracks.items()}
        info.trim_db = round(20 * math.log10(trim), 2)
        info.notices.append(f"the stems are {-info.trim_db:.1f} dB under the master's level so none clips; "
                            f"raise all three together by that much to match the mix")
    if not mix.lines:
        info.notices.append("the cut has no dialogue take, so the dialogue stem is silent")
    if mix.missing:
        shown = ", ".join(mix.missing[:6]) + (" …" if len(mix.missing) > 6 else "")
        info.notices.append(f"{len(mix.missing)} sounds have no take yet and are silent in the stems ({shown})")
    for t in mix.temp:
        info.notices.append(f"the {t} stem is a CPU temp track (TEMP), not a finished one")
    info.notices.append(f"mix measured at {audio.integrated_lufs:.1f} LUFS integrated")
    return tracks, info


def _stems_folder(store) -> Path:
    from tools.exports.records import EXPORTS

    folder = contained(store.path, EXPORTS)
    folder.mkdir(exist_ok=True)
    if folder.is_symlink() or not folder.is_dir():
        raise AuteurError(f"{EXPORTS} of {store.slug} is not a folder of the project, so no stems were written",
                          f"remove {EXPORTS} from the project folder and export again")
    return contained(store.path, f"{EXPORTS}/{store.slug}_stems")


def write_stems(store) -> Stems:
    """Write the three stems (all or none) and say what a person should know about them."""
    from tools.sound.wav import wav_bytes

    shots, fps = cut_shots(store)
    tracks, info = _stem_arrays(store, shots, fps)
    target = _stems_folder(store)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for track in STEMS:
            (fresh / f"{track.value}.wav").write_bytes(wav_bytes(tracks[track], SAMPLE_RATE, bits=24))
        (fresh / README).write_text(readme(store.slug, info), encoding="utf-8")
        old = None
        if target.exists() or target.is_symlink():
            if target.is_symlink() or not target.is_dir():
                raise AuteurError(f"{target.name} in the exports is not a folder, so no stems were written",
                                  f"remove {target.name} from the exports folder and export again")
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / "stems")
        os.replace(fresh, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    info.paths = [target / f"{track.value}.wav" for track in STEMS]
    return info


def readme(slug: str, info: Stems) -> str:
    """The note that travels with the stems: what they are, and what a person should know (TEMP tracks, a silent
    dialogue stem, sounds with no take, a trim), one per line after NOTES, as ``stem_notices`` reads them back."""
    head = (f"Stems of {slug}: {', '.join(f'{t.value}.wav' for t in STEMS)}. 24-bit stereo, {SAMPLE_RATE} Hz, "
            f"{info.seconds:.3f} s each (the cut's length), the master's gain ({info.gain_db:+.2f} dB) applied: the "
            "three summed are the cut's mix before its limiter.\n")
    return head + f"\n{NOTES}\n" + "".join(f"- {n}\n" for n in info.notices)


def stem_notices(folder: Path) -> list[str]:
    """What the stems in ``folder`` say of themselves (their README's notes; none when it is not there)."""
    try:
        text = (folder / README).read_text(encoding="utf-8")
    except OSError:
        return []
    _, _, notes = text.partition(f"\n{NOTES}\n")
    return [line[2:].strip() for line in notes.splitlines() if line.startswith("- ")]


def export_stems(store) -> list[Path]:
    """``06_Exports/<slug>_stems/dialogue.wav, effects.wav, music.wav``, recorded in the export stage."""
    from tools.exports.records import record_export

    stems = write_stems(store)
    record_export(store, "stems", stems.paths[0].parent)
    return stems.paths
