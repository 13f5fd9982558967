"""Exports a film team can open: script, shot list, storyboard, timeline (with its sound), cut, stems, archive.

Files land in the project's 06_Exports/; each export is recorded in the export stage.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from memory.atomic import contained
from memory.project_store import ProjectStore
from memory.takes import Takes
from studio.errors import AuteurError, StageError
from studio.models import ActiveTakes, Cut, ShotList, TakeKind
from studio.shot_codes import parse_shot
from studio.stages import Stage
from tools.exports.records import EXPORTS, record_export

KINDS = {
    "fountain": ("script", ".fountain"), "fdx": ("script", ".fdx"), "pdf": ("script", ".pdf"),
    "shotlist-csv": ("shotlist", ".csv"), "shotlist-pdf": ("shotlist", ".pdf"),
    "storyboard-pdf": ("storyboard", ".pdf"), "otio": ("cut", ".otio"), "edl": ("cut", ".edl"),
    "fcpxml": ("cut", ".xml"), "mp4": ("cut", ".mp4"), "archive": ("archive", ".zip"),
    "stems": ("stems", ""),  # a folder: <slug>_stems/dialogue.wav, effects.wav, music.wav (tools.exports.stems)
}


def _need(store: ProjectStore, stage: Stage, kind: str):
    art = store.read(stage)
    if art is None or (isinstance(art, ShotList) and not art.shots):
        how = {Stage.SCRIPT: f"import a screenplay (`auteur import FILE -p {store.slug}`) or draft one",
               Stage.SHOTS: f"draft the shot list first (`auteur run -p {store.slug} --until shots --yes`)",
               Stage.CUT: "make the cut first (`auteur render cut`, with the render tools)"}[stage]
        raise StageError(f"{kind} needs the {stage.value} stage, which {store.slug} does not have yet", how)
    return art


def active_media(store: ProjectStore, kind: TakeKind) -> dict[str, Path]:
    """Shot code → the file of its active take of that kind."""
    stage = Stage.BOARDS if kind is TakeKind.IMAGE else Stage.CLIPS
    active = store.read(stage)
    if not isinstance(active, ActiveTakes):
        return {}
    takes = Takes(store)
    out = {}
    for code, number in active.active.items():
        try:
            scene, shot = parse_shot(code)  # S100_SH001 is scene 100: never a slice of the code
        except StageError:
            continue  # a hand-edited key that names no shot: no media for it
        match = [t for t in takes.list(scene, shot, kind) if t.number == number]
        if match and (store.path / match[0].path).is_file():
            out[code] = store.path / match[0].path
    return out


def recorded_cut(store: ProjectStore) -> Path:
    """The MP4 the cut stage records (04_Project_Files/cut.json), never the newest file that looks like a cut."""
    cut = _need(store, Stage.CUT, "mp4")
    again = f"render the cut again with `auteur render cut -p {store.slug}`"
    if not isinstance(cut, Cut) or not cut.path:
        raise StageError(f"the cut of {store.slug} records no MP4", again)
    parts = PurePosixPath(cut.path).parts
    if cut.path.startswith("/") or ".." in parts or not cut.path.lower().endswith(".mp4"):
        raise StageError(f"the cut of {store.slug} names {cut.path!r}, which is not an MP4 of the project", again)
    path = store.path / cut.path
    if path.is_symlink() or not path.resolve().is_relative_to(store.path.resolve()) or not path.is_file():
        raise StageError(f"the cut's MP4 {cut.path} is missing from {store.slug}", again)
    return path


def export(store: ProjectStore, kind: str) -> Path:
    if kind not in KINDS:
        raise StageError(f"there is no export called {kind!r}", "use one of: " + ", ".join(KINDS))
    if kind == "stems":
        from tools.exports.stems import export_stems

        return export_stems(store)[0].parent
    manifest = store.manifest()
    label, suffix = KINDS[kind]
    name = f"{store.slug}_{label}{suffix}"
    if kind == "storyboard-pdf" or kind == "shotlist-pdf":
        name = f"{store.slug}_{kind.replace('-pdf', '')}.pdf"
    out, tmp = _fresh(store, name)
    try:
        _write(store, kind, tmp, manifest)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    record_export(store, kind, out)
    return out


def _fresh(store: ProjectStore, name: str) -> tuple[Path, Path]:
    """Where the export goes in 06_Exports, and a new temporary file beside it to write first.

    Both are checked on disk (memory.atomic.contained): 06_Exports or the export's name being a symbolic link
    (planted, or restored) is refused, and the temporary file is made new under a name nobody can guess."""
    folder = contained(store.path, EXPORTS)
    try:
        folder.mkdir(exist_ok=True)
    except FileExistsError:  # a file where the folder should be: said below
        pass
    if folder.is_symlink() or not folder.is_dir():
        raise AuteurError(f"{EXPORTS} of {store.slug} is not a folder of the project, so nothing was exported",
                          f"remove {EXPORTS} from the project folder and export again")
    out = contained(store.path, f"{EXPORTS}/{name}")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=f".part{out.suffix}", dir=folder)
    os.close(fd)
    return store.path / EXPORTS / out.name, Path(tmp)


def _write(store: ProjectStore, kind: str, tmp: Path, manifest) -> None:
    if kind in ("fountain", "fdx", "pdf"):
        from studio.fountain import parse

        script = _need(store, Stage.SCRIPT, kind)
        doc = parse(script.fountain)
        if kind == "fountain":
            tmp.write_text(script.fountain, encoding="utf-8")
        elif kind == "fdx":
            from studio.fdx import to_fdx

            tmp.write_text(to_fdx(doc), encoding="utf-8")
        else:
            from tools.exports.script_pdf import write_script_pdf

            write_script_pdf(doc, tmp)
    elif kind in ("shotlist-csv", "shotlist-pdf", "storyboard-pdf"):
        from tools.exports import shots as shot_exports

        shots = _need(store, Stage.SHOTS, kind)
        boards = active_media(store, TakeKind.IMAGE)
        if kind == "shotlist-csv":
            tmp.write_text(shot_exports.shotlist_csv(shots, boards), encoding="utf-8", newline="")
        elif kind == "shotlist-pdf":
            shot_exports.shotlist_pdf(shots, boards, tmp, manifest.title)
        else:
            shot_exports.storyboard_pdf(shots, boards, tmp, manifest.title, manifest.settings.aspect)
    elif kind in ("otio", "edl", "fcpxml"):
        from tools.exports.timeline import audio_clips, build_timeline, note_markers, write_timeline

        shots = _need(store, Stage.SHOTS, kind)
        media = {**active_media(store, TakeKind.IMAGE), **active_media(store, TakeKind.VIDEO)}
        audio = audio_clips(store, shots, manifest.settings.fps)
        timeline = build_timeline(shots, media, fps=manifest.settings.fps, name=manifest.title, audio=audio,
                                  notes=note_markers(store))
        write_timeline(timeline, tmp, kind)
    elif kind == "mp4":
        shutil.copyfile(recorded_cut(store), tmp)
    else:
        from memory.archive import create_archive

        create_archive(store, tmp)
