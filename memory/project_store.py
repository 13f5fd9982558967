"""One film project on disk: its files, its manifest and its Git history.

Every change goes through ``ProjectStore.change``: under the project's lock it
reads the manifest, lets the caller write files (atomically), writes the
manifest, and commits exactly those files with a message naming the stage and
the change. If anything fails before the commit, the files are put back as
they were: a change lands whole or not at all.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, TypeVar

from pydantic import BaseModel, ValidationError

from config.settings import Settings
from memory import atomic, layout
from memory.git_repo import Author, CommitInfo, GitRepo
from memory.locking import project_lock
from studio.errors import AuteurError, RevisionNotFound, StageError
from studio.models import (
    ActiveTakes, BeatSheet, Breakdown, Brief, Cut, Exports, Look, Prompts, Script, ShotList, Treatment,
)
from studio.project import Project, Usage, slugify
from studio.screenplay import ImportedScript, read_fountain
from studio.stages import (
    STAGE_ORDER, Stage, StageStatus, Transition, check_approvable, record_approval, record_derived,
    record_edit, unapproved_upstream,
)

log = logging.getLogger("auteur.store")
M = TypeVar("M", bound=BaseModel)

STAGE_MODELS: dict[Stage, type[BaseModel]] = {
    Stage.BRIEF: Brief,
    Stage.TREATMENT: Treatment,
    Stage.BEATS: BeatSheet,
    Stage.BREAKDOWN: Breakdown,
    Stage.LOOK: Look,
    Stage.SHOTS: ShotList,
    Stage.PROMPTS: Prompts,
    Stage.BOARDS: ActiveTakes,
    Stage.CLIPS: ActiveTakes,
    Stage.CUT: Cut,
    Stage.EXPORT: Exports,
}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def to_json(model: BaseModel) -> str:
    return model.model_dump_json(indent=2) + "\n"


@dataclass
class Change:
    """What one change of the project wrote, and what it did to the stages.

    The bytes each file had before are kept, so a change that fails before its
    commit puts every file back without needing Git (whose index may be the very
    thing that failed).
    """

    project: Project
    store: ProjectStore
    originals: dict[str, bytes | None] = field(default_factory=dict)
    transitions: list[Transition] = field(default_factory=list)
    commit: str | None = None

    @property
    def written(self) -> list[str]:
        return list(self.originals)

    def write_bytes(self, rel: str, data: bytes) -> bool:
        """Write ``rel`` atomically; return False (and write nothing) if it already holds ``data``."""
        path = self.store.path / rel
        current = path.read_bytes() if path.is_file() else None
        if current == data:
            return False
        self.originals.setdefault(rel, current)
        atomic.write_bytes(path, data)
        return True

    def write_text(self, rel: str, text: str) -> bool:
        return self.write_bytes(rel, text.encode("utf-8"))

    def write_model(self, rel: str, model: BaseModel) -> bool:
        return self.write_text(rel, to_json(model))

    def write_new(self, rel: str, data: bytes) -> None:
        """A file that must not exist yet (a take): never overwrites."""
        atomic.create_exclusive(self.store.path / rel, data)
        self.originals.setdefault(rel, None)

    def rollback(self) -> None:
        for rel, data in reversed(list(self.originals.items())):
            path = self.store.path / rel
            if data is None:
                path.unlink(missing_ok=True)
            else:
                atomic.write_bytes(path, data)

    @property
    def made_stale(self) -> list[Stage]:
        out: list[Stage] = []
        for t in self.transitions:
            out.extend(s for s in t.made_stale if s not in out)
        return out


class ProjectStore:
    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.git = GitRepo(path)

    # ------------------------------------------------------------ reading

    @property
    def slug(self) -> str:
        return self.path.name

    def manifest(self) -> Project:
        return self._read_manifest()

    def _read_manifest(self) -> Project:
        path = self.path / layout.MANIFEST
        try:
            return Project.model_validate_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AuteurError(f"{path} is missing, so {self.path.name} is not an Auteur project",
                              "restore it with `git checkout project.json` in the project folder") from None
        except ValidationError as exc:
            raise AuteurError(f"{path} is damaged: {exc.errors()[0]['msg']}",
                              "restore it from history with `git checkout HEAD -- project.json`") from None

    def read(self, stage: Stage, model: type[M] | None = None) -> M | None:
        """The stage's artifact as its model, or None when the stage has none."""
        if stage is Stage.SCRIPT:
            return self.read_script()  # type: ignore[return-value]
        path = self.path / layout.STAGE_FILES[stage]
        if not path.exists():
            return None
        cls = model or STAGE_MODELS[stage]
        try:
            return cls.model_validate_json(path.read_bytes())  # type: ignore[return-value]
        except ValidationError as exc:
            rel = layout.STAGE_FILES[stage]
            raise AuteurError(
                f"{rel} in {self.slug} is damaged: {exc.errors()[0]['msg']}",
                f"put back the last good version with `auteur restore {stage.value} HEAD`, "
                f"or fix the file by hand",
            ) from None

    def read_script(self) -> Script | None:
        summary = self.path / layout.SCRIPT_SUMMARY
        text = self.path / layout.STAGE_FILES[Stage.SCRIPT]
        if not text.exists():
            return None
        script = Script.model_validate_json(summary.read_text(encoding="utf-8")) if summary.exists() \
            else Script(fountain="")
        script.fountain = text.read_text(encoding="utf-8")
        return script

    def breakdown(self) -> Breakdown:
        bd = self.read(Stage.BREAKDOWN)
        if bd is None:
            raise StageError(f"{self.slug} has no scenes yet",
                             f"import a screenplay with `auteur import FILE -p {self.slug}`")
        return bd  # type: ignore[return-value]

    # ------------------------------------------------------------ changing

    def _lock(self):
        """The project's one writer lock (re-entrant in a thread, exclusive across processes)."""
        return project_lock(self.path / ".git" / "auteur.lock", timeout=self.settings.lock_timeout_s,
                            what=f"project {self.slug!r}")

    @contextmanager
    def change(self, *, stage: Stage, action: str, summary: str, author: Author,
               stages: list[Stage] | None = None) -> Iterator[Change]:
        """Lock, let the caller write, then commit those files with one message."""
        with self._lock():
            change = Change(project=self._read_manifest(), store=self)
            try:
                yield change
                change.write_model(layout.MANIFEST, change.project)
                touched = stages or [stage]
                message = (
                    f"{stage.value}: {summary}\n\n"
                    f"Auteur-Stage: {stage.value}\n"
                    f"Auteur-Stages: {', '.join(s.value for s in touched)}\n"
                    f"Auteur-Action: {action}\n"
                )
                change.commit = self.git.commit(change.written, message, author)
            except BaseException:
                change.rollback()
                raise

    def user(self) -> Author:
        return Author(self.settings.user_name, self.settings.user_email)

    def write_stage(self, change: Change, stage: Stage, model: BaseModel) -> bool:
        """Write a stage's artifact; if it changed, record the edit (and its cascade)."""
        if not change.write_model(layout.STAGE_FILES[stage], model):
            return False
        change.transitions.append(record_edit(change.project.stages, stage, now=now_iso()))
        return True

    def _set_script(self, change: Change, imported: ImportedScript) -> bool:
        """Write the script and derive its breakdown; record what that does to the stages."""
        stages = change.project.stages
        text = imported.text if imported.text.endswith("\n") else imported.text + "\n"
        if not change.write_text(layout.STAGE_FILES[Stage.SCRIPT], text):
            return False
        now = now_iso()
        breakdown_before = stages[Stage.BREAKDOWN].status
        change.write_model(layout.SCRIPT_SUMMARY, imported.script.model_copy(update={"fountain": ""}))
        change.transitions.append(record_edit(stages, Stage.SCRIPT, now=now))
        # The breakdown is recomputed from the new script, not left behind: it is a draft
        # again, or stale (to be looked at again) if it had been approved.
        stages[Stage.BREAKDOWN].status = breakdown_before
        change.write_model(layout.STAGE_FILES[Stage.BREAKDOWN], imported.breakdown)
        record_derived(stages, Stage.BREAKDOWN, now=now)
        if stages[Stage.BREAKDOWN].status is not StageStatus.STALE:
            for t in change.transitions:
                if Stage.BREAKDOWN in t.made_stale:
                    t.made_stale.remove(Stage.BREAKDOWN)
        return True

    def import_script(self, name: str, data: bytes, *, encoding: str | None = None,
                      author: Author | None = None) -> tuple[Change, ImportedScript]:
        manifest = self._read_manifest()
        imported = read_fountain(name, data, encoding=encoding, fallback_title=manifest.title)
        had_script = manifest.status(Stage.SCRIPT).has_content
        words = f"{imported.script.scene_count} scenes, {imported.script.pages:.1f} pages"
        summary = f"{'replace' if had_script else 'import'} {name} ({words})"
        touched = [Stage.BRIEF, Stage.SCRIPT, Stage.BREAKDOWN]
        with self.change(stage=Stage.SCRIPT, action="import", summary=summary,
                         author=author or self.user(), stages=touched) as change:
            if change.project.status(Stage.BRIEF) is StageStatus.EMPTY:
                self.write_stage(change, Stage.BRIEF, imported.brief)
            self._set_script(change, imported)
        return change, imported

    def edit(self, stage: Stage, data: bytes, *, name: str, author: Author | None = None,
             action: str = "edit", summary: str | None = None, encoding: str | None = None,
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> Change:
        """Replace a stage's artifact with new content (Fountain for the script, JSON otherwise)."""
        if stage is Stage.SCRIPT:
            manifest = self._read_manifest()
            imported = read_fountain(name, data, encoding=encoding, fallback_title=manifest.title)
            text = summary or f"{action} from {name} ({imported.script.scene_count} scenes)"
            with self.change(stage=stage, action=action, summary=text, author=author or self.user(),
                             stages=[Stage.SCRIPT, Stage.BREAKDOWN]) as change:
                self._set_script(change, imported)
                add_usage(change.project, stage, usage, other_usage)
            return change
        model = self._parse_model(stage, name, data)
        if stage is Stage.BREAKDOWN:
            self._check_breakdown_fits_script(model, name)  # type: ignore[arg-type]
        text = summary or f"{action} from {name}"
        with self.change(stage=stage, action=action, summary=text, author=author or self.user()) as change:
            self.write_stage(change, stage, model)
        return change

    def _check_breakdown_fits_script(self, breakdown: Breakdown, name: str) -> None:
        """The breakdown follows the script: its scenes must be the script's scenes."""
        script = self.read_script()
        if script is None:
            raise StageError(f"{name}: there is no script to break down",
                             "import or write the script first; the breakdown is made from it")
        from studio.breakdown import break_down
        from studio.fountain import parse

        headings = [s.heading for s in break_down(parse(script.fountain)).scenes]
        given = [s.heading for s in breakdown.scenes]
        if given != headings:
            raise StageError(
                f"{name} has {len(given)} scenes that do not match the script's {len(headings)} "
                f"({', '.join(headings[:3])}{'…' if len(headings) > 3 else ''})",
                "keep one entry per scene of the script, in order, with the same headings; "
                "to change the scenes, edit the script",
            )

    def save(self, stage: Stage, model: BaseModel, *, author: Author, summary: str,
             action: str = "draft", usage: Usage | None = None,
             other_usage: dict[str, Usage] | None = None) -> Change:
        """Save a stage's artifact made by an agent or by code, with the model work it took."""
        if stage is Stage.SCRIPT:
            raise StageError("the script is saved as Fountain text", "use edit() with the Fountain bytes")
        with self.change(stage=stage, action=action, summary=summary, author=author) as change:
            self.write_stage(change, stage, model)
            add_usage(change.project, stage, usage, other_usage)
        return change

    def _parse_model(self, stage: Stage, name: str, data: bytes) -> BaseModel:
        cls = STAGE_MODELS[stage]
        try:
            raw = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AuteurError(f"{name} is not valid JSON for the {stage.value} stage: {exc}",
                              f"fix the file (see `auteur show {stage.value} --json` for the shape)") from None
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(top level)"
            raise AuteurError(
                f"{name} is not a valid {stage.value}: {where}: {first['msg']} ({exc.error_count()} problem(s))",
                f"fix that field and run the command again (see `auteur show {stage.value} --json`)",
            ) from None

    def approve(self, stage: Stage, *, author: Author | None = None) -> tuple[Change, list[Stage]]:
        manifest = self._read_manifest()
        check_approvable(manifest.stages, stage)
        pending = unapproved_upstream(manifest.stages, stage)
        with self.change(stage=stage, action="approve", summary=self._approve_summary(stage),
                         author=author or self.user()) as change:
            change.transitions.append(record_approval(change.project.stages, stage, now=now_iso()))
            # The approval is recorded against the commit that holds the approved content.
            change.project.stages[stage].approved_commit = self.git.repo.head.commit.hexsha
        return change, pending

    def record_decision(self, text: str, *, stage: Stage, who: str | None = None) -> Change:
        """A decision or preference the person stated, kept in the project (and so in memory)."""
        rel = layout.DECISIONS
        path = self.path / rel
        line = json.dumps({"time": now_iso(), "stage": stage.value, "who": who or self.settings.user_name,
                            "text": " ".join(text.split())[:1000]}, ensure_ascii=False)
        with self.change(stage=stage, action="decision", summary=f"decision: {text[:60]}",
                         author=self.user()) as change:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            change.write_text(rel, current + line + "\n")
        return change

    def _approve_summary(self, stage: Stage) -> str:
        if stage is Stage.SCRIPT:
            script = self.read_script()
            if script:
                return f"approve ({script.scene_count} scenes, {script.pages:.1f} pages)"
        return "approve"

    def restore(self, stage: Stage, rev: str, *, author: Author | None = None) -> Change:
        """Bring a stage's artifact back as it was at ``rev``, as a new commit."""
        commit = self.git.resolve(rev)
        rel = layout.STAGE_FILES[stage]
        data = self.git.read_at(commit.hexsha, rel)
        if data is None:
            raise RevisionNotFound(
                f"the {stage.value} stage had no content at revision {commit.hexsha[:10]}",
                f"pick a revision from `auteur history --stage {stage.value}`",
            )
        summary = f"restore to {commit.hexsha[:10]}"
        return self.edit(stage, data, name=f"{stage.value}@{commit.hexsha[:10]}",
                         author=author, action="restore", summary=summary)

    # ------------------------------------------------------------ history

    def history(self, stage: Stage | None = None, *, rev: str = "HEAD",
                limit: int | None = None) -> list[CommitInfo]:
        entries = self.git.log(rev=rev)
        if stage is not None:
            entries = [e for e in entries if stage.value in stages_of(e)]
        return entries[:limit] if limit else entries

    # ------------------------------------------------------------ branches

    def create_branch(self, name: str, *, switch: bool = True) -> None:
        with self._lock():
            if switch:
                self._check_clean()
            self.git.create_branch(name)
            if switch:
                self._switch(name)

    def switch_branch(self, name: str) -> None:
        with self._lock():
            self._switch(name)

    # ------------------------------------------------------------ takes and references

    def takes(self, scene: int, shot: int) -> list:
        from memory.takes import Takes

        return Takes(self).list(scene, shot)

    def choose_take(self, scene: int, shot: int, number: int):
        from memory.takes import Takes

        return Takes(self).choose(scene, shot, number, author=self.user())

    def add_reference(self, subject: str, name: str, data: bytes) -> str:
        """An image of a character or location, kept under 01_Assets as the next ref_NN file."""
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if not _is_image(data, suffix):
            raise AuteurError(f"{name} is not a PNG, JPEG or WebP image",
                              "upload a reference image as .png, .jpg or .webp")
        folder = reference_folder(self, subject)
        with self.change(stage=Stage.LOOK, action="reference", summary=f"reference image for {subject.upper()}",
                         author=self.user()) as change:
            existing = sorted((self.path / folder).glob("ref_*")) if (self.path / folder).is_dir() else []
            rel = f"{folder}/ref_{len({p.stem for p in existing}) + 1:02d}{suffix}"
            change.write_new(rel, data)
        return rel

    def _switch(self, name: str) -> None:
        self.git.require_branch(name)
        self._check_clean()
        self.git.switch(name)

    def _check_clean(self) -> None:
        dirty = self.git.is_dirty()
        if dirty:
            raise AuteurError(
                f"{self.slug} has changes that are not in its history: {', '.join(dirty[:5])}",
                "bring them in with `auteur edit STAGE FILE`, or put them back with "
                f"`git checkout -- .` in {self.path}, then switch again",
            )

    def compare_branches(self, a: str, b: str) -> list[dict]:
        """Stage by stage: the status on branch ``a`` and on ``b``, and whether the artifact differs."""
        for name in (a, b):
            self.git.require_branch(name)
        changed = set(self.git.changed_paths(a, b))
        pa, pb = self._manifest_at(a), self._manifest_at(b)
        rows = []
        for stage in STAGE_ORDER:
            files = [p for p in changed if layout.stage_of_path(p) is stage]
            rows.append({
                "stage": stage.value,
                "a": pa.status(stage).value,
                "b": pb.status(stage).value,
                "differs": bool(files),
                "files": sorted(files),
            })
        return rows

    def _manifest_at(self, rev: str) -> Project:
        data = self.git.read_at(rev, layout.MANIFEST)
        if data is None:
            raise RevisionNotFound(f"{rev} has no project.json", "compare branches of this project")
        return Project.model_validate_json(data)


def add_usage(project: Project, stage: Stage | str, usage: Usage | None,
              others: dict[str, Usage] | None = None) -> None:
    """Model work on the stage, and on anything else named (the conversation, work that failed)."""
    for key, use in [(getattr(stage, "value", stage), usage), *(others or {}).items()]:
        if use and use.calls:
            project.llm[key] = project.llm.get(key, Usage()) + use


def stages_of(entry: CommitInfo) -> list[str]:
    """The stages a commit touched, from its trailers."""
    listed = entry.trailers.get("Auteur-Stages") or entry.trailers.get("Auteur-Stage") or ""
    return [s.strip() for s in listed.split(",") if s.strip()]


IMAGE_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
               ".webp": (b"RIFF",)}


def _is_image(data: bytes, suffix: str) -> bool:
    magics = IMAGE_MAGIC.get(suffix)
    if not magics or not any(data.startswith(m) for m in magics):
        return False
    return suffix != ".webp" or data[8:12] == b"WEBP"


def reference_folder(store: ProjectStore, subject: str) -> str:
    """Where a subject's reference images live: its character or location folder."""
    bd = store.read(Stage.BREAKDOWN)
    wanted = subject.strip().upper()
    if bd is not None:
        for c in bd.characters:  # type: ignore[attr-defined]
            if c.upper() == wanted:
                return f"01_Assets/Characters/{c.upper()}"
        for loc in bd.locations:  # type: ignore[attr-defined]
            if loc.upper() == wanted:
                return f"01_Assets/Locations/{slugify(loc)}"
        names = ", ".join(bd.characters[:8]) or "none yet"  # type: ignore[attr-defined]
        raise AuteurError(f"{subject!r} is not a character or location of the script",
                          f"name the image after one (e.g. {bd.characters[0] if bd.characters else 'MARA'}.png); "  # type: ignore[attr-defined]
                          f"characters: {names}")
    raise AuteurError("there is no script to match the reference image with",
                      "upload or write the screenplay first, then the characters' images")
