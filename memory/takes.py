"""Takes: renders of a shot, numbered, never overwritten, one active per kind.

A take is a media file and a JSON sidecar beside it:
``03_Renders/Scene_01/Shot_003/S01_SH003_take02.png`` and ``…_take02.json``.
Numbers run per shot across kinds, so every take of a shot has its own name.
Which take is active lives in the stage file of its kind (boards: images,
clips: videos).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Protocol

from memory import layout
from memory.change import ChangingStore, now_iso
from memory.git_repo import Author
from studio.errors import AuteurError, StageError
from studio.models import TAKE_EXTENSIONS, ActiveTakes, Take, TakeKind, shot_code, take_name
from studio.stages import Stage
from studio.uploads import looks_like_image

KIND_STAGE = {TakeKind.IMAGE: Stage.BOARDS, TakeKind.VIDEO: Stage.CLIPS}


def shot_folder(scene: int, shot: int) -> str:
    return f"{layout.RENDERS}/Scene_{scene:02d}/Shot_{shot:03d}"


class TakeStore(ChangingStore, Protocol):
    """What the takes need of a project store (memory.project_store.ProjectStore): a ChangingStore that
    knows its name and the branch checked out."""

    @property
    def slug(self) -> str: ...

    @property
    def branch(self) -> str: ...


def on_branch(store: TakeStore, branch: str | None, what: str = "this take was made for") -> None:
    """Refuse to write onto another branch than ``branch`` (when given: the one the work was made for).

    Call it under the project's lock, in the same critical section as the write: checked before the lock,
    a switch in between would put the work onto the branch switched to.
    """
    current = store.branch
    if branch and current != branch:
        raise StageError(f"{store.slug} is on branch {current!r}, and {what} {branch!r}",
                         f"switch back (`auteur branch switch {branch}`) and render again")


def _looks_like_video(suffix: str, data: bytes) -> bool:
    if suffix in (".mp4", ".mov"):  # ISO/QuickTime: a box (size, then type) first
        return data[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
    return suffix == ".webm" and data.startswith(b"\x1a\x45\xdf\xa3")  # EBML


def check_media(kind: TakeKind, suffix: str, data: bytes, name: str) -> None:
    """The bytes are the kind of file their name says, or AuteurError naming the file and the fix."""
    suffix = suffix.lower()
    ok = looks_like_image(suffix, data[:16]) if kind is TakeKind.IMAGE else _looks_like_video(suffix, data[:16])
    if not ok:
        what = suffix.lstrip(".").upper()
        raise AuteurError(f"{name} is not a {what} {kind.value} (its content says otherwise)",
                          "save it again as PNG, JPEG or WebP and add that file" if kind is TakeKind.IMAGE
                          else "export it again as MP4, MOV or WebM and add that file")


def kind_of(suffix: str) -> TakeKind:
    for kind, exts in TAKE_EXTENSIONS.items():
        if suffix.lower() in exts:
            return kind
    allowed = ", ".join(e for exts in TAKE_EXTENSIONS.values() for e in exts)
    raise AuteurError(f"a take cannot be a {suffix or 'file without extension'}",
                      f"use an image or a video file ({allowed})")


def next_take_number(folder: Path, pattern: str) -> int:
    """One more than the highest take number in ``folder``, read from the names ``pattern`` matches (its first
    group is the number); 1 for a folder with none. Numbers are never reused: a take is never overwritten."""
    numbers = [0]
    if folder.is_dir():
        for p in folder.iterdir():
            m = re.match(pattern, p.name)
            if m:
                numbers.append(int(m.group(1)))
    return max(numbers) + 1


class Takes:
    """The takes of one project's shots; ``store`` is its memory.project_store.ProjectStore."""

    def __init__(self, store: TakeStore) -> None:
        self.store = store

    def _active(self, kind: TakeKind) -> ActiveTakes:
        found = self.store.read(KIND_STAGE[kind])
        return found if isinstance(found, ActiveTakes) else ActiveTakes()

    def list(self, scene: int, shot: int, kind: TakeKind | None = None) -> list[Take]:
        folder = self.store.path / shot_folder(scene, shot)
        if not folder.is_dir():
            return []
        actives = {k: self._active(k).active.get(shot_code(scene, shot)) for k in TakeKind}
        takes: list[Take] = []
        prefix = f"{shot_code(scene, shot)}_take"
        for media in sorted(folder.iterdir()):
            if not media.name.startswith(prefix) or media.suffix == ".json" or media.name.startswith("."):
                continue
            if media.is_symlink() or not media.is_file():  # a link could show a file from outside the project
                continue
            try:
                number = int(media.stem[len(prefix):])
                media_kind = kind_of(media.suffix)
            except (ValueError, AuteurError):
                continue
            take = self._read_sidecar(media, scene, shot, number, media_kind)
            take.active = actives[media_kind] == number
            if kind is None or take.kind is kind:
                takes.append(take)
        return sorted(takes, key=lambda t: t.number)

    def _read_sidecar(self, media: Path, scene: int, shot: int, number: int, kind: TakeKind) -> Take:
        rel = media.relative_to(self.store.path).as_posix()
        base = {"scene": scene, "shot": shot, "number": number, "kind": kind, "path": rel}
        sidecar = media.with_suffix(".json")
        if sidecar.exists():
            try:
                data = json.loads(sidecar.read_text(encoding="utf-8"))
                data.update(base)
                data.pop("active", None)
                return Take.model_validate(data)
            except (json.JSONDecodeError, ValueError):
                pass
        return Take(**base)

    def next_number(self, scene: int, shot: int) -> int:
        return next_take_number(self.store.path / shot_folder(scene, shot),
                                re.escape(f"{shot_code(scene, shot)}_take") + r"(\d+)")

    def add(self, scene: int, shot: int, data: bytes, suffix: str, *, author: Author,
            seed: int | None = None, model: str = "", prompt: str = "", negative_prompt: str = "",
            parameters: dict | None = None, timings: dict | None = None, job_id: str | None = None,
            activate: bool = False, source: str = "", branch: str | None = None, chosen: bool = False) -> Take:
        """Store a new take under the next number; it becomes active if asked, or if it is the first.

        ``branch``: the branch the take was made for; checked under the lock, with the write. ``chosen``: the
        person chose it (an upload): a batch render keeps it active. A take activated otherwise (a render the
        person asked of this shot) replaces a chosen one, and is not itself marked chosen.
        """
        kind = kind_of(suffix)
        if not data:
            raise AuteurError(f"the take for {shot_code(scene, shot)} is empty", "render or choose the file again")
        check_media(kind, suffix, data, source or f"the take for {shot_code(scene, shot)}")
        self._check_shot(scene, shot)
        stage = KIND_STAGE[kind]
        code = shot_code(scene, shot)
        with self.store.change(stage=stage, action="take", summary=f"new {kind.value} take for {code}",
                               author=author) as change:
            on_branch(self.store, branch)
            number = self.next_number(scene, shot)
            name = take_name(scene, shot, number)
            folder = shot_folder(scene, shot)
            take = Take(scene=scene, shot=shot, kind=kind, number=number,
                        path=f"{folder}/{name}{suffix.lower()}", seed=seed, model=model, prompt=prompt,
                        negative_prompt=negative_prompt, parameters=parameters or {},
                        timings=timings or {}, job_id=job_id, created=now_iso())
            sidecar = take.model_dump(mode="json", exclude={"active"})
            if source:
                sidecar["parameters"] = {**sidecar["parameters"], "source": source}
            change.write_new(take.path, data)
            change.write_new(f"{folder}/{name}.json", (json.dumps(sidecar, indent=2) + "\n").encode())
            active = self._active(kind)
            if activate or chosen or code not in active.active:
                active.active[code] = number
                active.chosen = [c for c in active.chosen if c != code] + ([code] if chosen else [])
                self.store.write_stage(change, stage, active)
                take.active = True
        return take

    def choose(self, scene: int, shot: int, number: int, *, author: Author,
               kind: TakeKind | None = None) -> Take:
        takes = self.list(scene, shot, kind)
        code = shot_code(scene, shot)
        match = [t for t in takes if t.number == number]
        if not match:
            have = ", ".join(str(t.number) for t in takes) or "none yet"
            raise StageError(f"{code} has no take {number} (takes: {have})",
                             f"see `auteur takes {code}` and pick one of those numbers")
        take = match[0]
        if take.active and code in self._active(take.kind).chosen:
            return take
        stage = KIND_STAGE[take.kind]
        with self.store.change(stage=stage, action="choose", summary=f"choose take {number} for {code}",
                               author=author) as change:
            active = self._active(take.kind)
            active.active[code] = number
            if code not in active.chosen:  # the person's choice: a batch render keeps it (tools.render.execute)
                active.chosen.append(code)
            self.store.write_stage(change, stage, active)
        take.active = True
        return take

    def chosen(self, scene: int, shot: int, kind: TakeKind) -> bool:
        """Whether the person chose the shot's active take of that kind (/take)."""
        return shot_code(scene, shot) in self._active(kind).chosen

    def _check_shot(self, scene: int, shot: int) -> None:
        breakdown = self.store.read(Stage.BREAKDOWN)
        if breakdown is not None and scene > len(breakdown.scenes):
            raise StageError(f"scene {scene} does not exist: the script has {len(breakdown.scenes)} scenes",
                             "see `auteur scenes` for the scene numbers")
        shots = self.store.read(Stage.SHOTS)
        if shots is not None and shots.shots:
            if not any(s.scene == scene and s.number == shot for s in shots.shots):
                raise StageError(f"{shot_code(scene, shot)} is not in the shot list",
                                 "see `auteur shots` for the shots of each scene")
