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
from pathlib import Path
from typing import Iterator, TypeVar

from pydantic import BaseModel, ValidationError

from config.settings import Settings
from memory import layout
from memory import history as _history
from memory import references as _references
from memory.artifacts import STAGE_MODELS, parse_artifact
from memory.change import Change, now_iso, to_json
from memory.git_repo import Author, CommitInfo, GitRepo
from memory.history import stages_of
from memory.locking import project_lock
from memory.references import reference_folder
from memory.takes import Takes
from studio import person
from studio.errors import AuteurError, RevisionNotFound, StageError
from studio.models import Breakdown, Brief, Script, Take
from studio.names import inside
from studio.project import Project, ProjectSettings, Usage
from studio.review import ReviewNotes
from studio.screenplay import ImportedScript, read_fountain
from studio.source import Source, read_source_json, source_json
from studio.stages import (
    Stage, StageStatus, check_approvable, record_approval, record_derived, record_edit, unapproved_upstream,
)

# Kept importable from here: memory.workspace, memory.archive, tools.exports and tools.render use them.
__all__ = ["STAGE_MODELS", "Change", "ProjectStore", "add_usage", "now_iso", "reference_folder", "stages_of",
           "to_json"]

log = logging.getLogger("auteur.store")
M = TypeVar("M", bound=BaseModel)


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

    def read_at(self, stage: Stage, rev: str) -> BaseModel | None:
        """The stage's artifact as it was at ``rev`` (None when it had none then)."""
        data = self.git.read_at(self.git.resolve(rev).hexsha, layout.STAGE_FILES[stage])
        if data is None:
            return None
        if stage is Stage.SCRIPT:  # kept as Fountain text, not JSON
            return Script(fountain=data.decode("utf-8", "replace"))
        return STAGE_MODELS[stage].model_validate_json(data)

    def read_script(self) -> Script | None:
        summary = self.path / layout.SCRIPT_SUMMARY
        text = self.path / layout.STAGE_FILES[Stage.SCRIPT]
        if not text.exists():
            return None
        script = Script.model_validate_json(summary.read_text(encoding="utf-8")) if summary.exists() \
            else Script(fountain="")
        script.fountain = text.read_text(encoding="utf-8")
        return script

    def read_source(self) -> Source | None:
        """The story this project adapts (studio.source), None when it started from an idea or a screenplay."""
        path = self.path / layout.SOURCE_JSON
        if not path.exists():
            return None
        text = self.path / layout.SOURCE_TEXT
        try:
            # The offsets count characters of the text as written: read it without newline translation.
            return read_source_json(path.read_bytes(), text.read_bytes().decode("utf-8") if text.exists() else "")
        except ValueError as exc:  # not JSON, or not a Source
            why = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else "it is not JSON"
            raise AuteurError(f"{layout.SOURCE_JSON} in {self.slug} is damaged: {why}",
                              "put back the last good version with `auteur restore brief HEAD`, or import the "
                              "story again") from None

    def import_story(self, source: Source, text: str, brief: Brief, *,
                     author: Author | None = None) -> Change:
        """Keep a story as the project's source, with the brief drawn from it, in one commit. A project without a
        brief takes ``brief``; one whose brief came from an idea keeps its title and logline and gains the story
        as its source; a story that replaces another brings its own title and logline (the person's runtime,
        aspect ratio, genre and tone stay). Whatever was made from the brief before goes out of date."""
        had = (self.path / layout.SOURCE_JSON).exists()
        words = f"{source.skeleton.words:,} words, {len(source.passages)} passages"
        summary = f"{'replace the story with' if had else 'adapt'} {source.name} ({words})"
        with self.change(stage=Stage.BRIEF, action="import", summary=summary, author=author or self.user(),
                         stages=[Stage.BRIEF]) as change:
            change.write_text(layout.SOURCE_TEXT, text if text.endswith("\n") else text + "\n")
            change.write_text(layout.SOURCE_JSON, source_json(source))
            current = self.read(Stage.BRIEF) if change.project.status(Stage.BRIEF) is not StageStatus.EMPTY else None
            if current is None:
                self.write_stage(change, Stage.BRIEF, brief)
            else:
                told = {"source": brief.source, "references": [*brief.references, *(
                    r for r in current.references if not r.lower().startswith("adapted from"))][:20]}
                if had:
                    told |= {"title": brief.title, "logline": brief.logline}
                if not self.write_stage(change, Stage.BRIEF, current.model_copy(update=told)):
                    change.transitions.append(record_edit(change.project.stages, Stage.BRIEF, now=now_iso()))
        return change

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
            change = Change(project=self._read_manifest(), root=self.path)
            try:
                yield change
                change.write_model(layout.MANIFEST, change.project)
                touched = stages or [stage]
                message = (
                    f"{stage.value}: {summary}\n\n"
                    f"Auteur-Stage: {stage.value}\n"
                    f"Auteur-Stages: {', '.join(s.value for s in touched)}\n"
                    f"Auteur-Action: {action}\n"
                ) + "".join(f"{key}: {value}\n" for key, value in change.trailers.items())
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
            # A screenplay brought into an adaptation is the script from now on: the story stops being the
            # source the crew redrafts from (it stays in the history of the brief).
            change.remove(layout.SOURCE_JSON)
            change.remove(layout.SOURCE_TEXT)
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
        model = parse_artifact(stage, name, data)
        if stage is Stage.BREAKDOWN:
            self._check_breakdown_fits_script(model, name)  # type: ignore[arg-type]
        if stage in (Stage.SHOTS, Stage.LOOK) and action == "edit":  # a restore is not the person's edit
            model = person.mark(self.read(stage), model)  # what the person changed is theirs: a redraft keeps it
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
        """Save a stage's artifact made by an agent or by code, with the model work it took. A stale stage saved
        with the same content was looked at again: it becomes a draft waiting for approval (nothing else changes)."""
        if stage is Stage.SCRIPT:
            raise StageError("the script is saved as Fountain text", "use edit() with the Fountain bytes")
        with self.change(stage=stage, action=action, summary=summary, author=author) as change:
            if not self.write_stage(change, stage, model) and change.project.status(stage) is StageStatus.STALE:
                state = change.project.stages[stage]
                state.status, state.updated, state.stale_because = StageStatus.DRAFT, now_iso(), None
            add_usage(change.project, stage, usage, other_usage)
        return change

    def amend(self, artifacts: dict[Stage, BaseModel], *, author: Author, summary: str,
              action: str = "change") -> Change:
        """A scoped change: these stages' artifacts written in one commit, each stage keeping its status (an
        approved stage stays approved, an empty one becomes a draft). Nothing downstream is marked stale stage by
        stage: what the change touched is stale shot by shot, as the takes' ``made_from`` shows."""
        if not artifacts:
            raise StageError("a change needs something to change", "name what to change")
        if Stage.SCRIPT in artifacts:
            raise StageError("the script is saved as Fountain text", "use edit() with the Fountain bytes")
        order = sorted(artifacts, key=lambda s: s.index)
        with self.change(stage=order[0], action=action, summary=summary, author=author, stages=order) as change:
            now = now_iso()
            for stage in order:
                if change.write_model(layout.STAGE_FILES[stage], artifacts[stage]):
                    state = change.project.stages[stage]
                    if state.status is StageStatus.EMPTY:
                        state.status = StageStatus.DRAFT
                    state.updated = now
        return change

    def sound_in_use(self) -> dict[str, str]:
        """Each sound key (a dialogue shot's code, a cue's id) → the path of its active sound take."""
        from memory.sound_takes import SoundTakes, read_plan

        takes = SoundTakes(self)
        found = {key: takes.active(key) for key in read_plan(self).active}
        return {key: take.path for key, take in found.items() if take is not None}

    def set_sound_target(self, lufs: float, true_peak: float, *, author: Author | None = None) -> Change:
        """The loudness the cut is mastered to (project.json settings), in one commit; the next cut uses it."""
        with self.change(stage=Stage.CUT, action="settings", author=author or self.user(),
                         summary=f"mix to {lufs:g} LUFS integrated, {true_peak:g} dBTP") as change:
            settings = change.project.settings.model_dump()
            change.project.settings = ProjectSettings.model_validate({**settings, "loudness_lufs": lufs,
                                                                      "true_peak_db": true_peak})
        return change

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

    def undo(self, *, author: Author | None = None) -> tuple[Change, str]:
        """The newest change put back as it was before it, as a new commit: (the change, what was undone)."""
        from memory.undo import undo

        change, target = undo(self, author=author or self.user())
        return change, target.message.splitlines()[0]

    def review_notes(self) -> ReviewNotes:
        """Every review note on every version of the cut (memory.review_notes)."""
        from memory.review_notes import read_notes

        return read_notes(self)

    def save_review_notes(self, notes: ReviewNotes, *, summary: str, action: str = "note",
                          author: Author | None = None) -> Change:
        from memory.review_notes import save_notes

        return save_notes(self, notes, summary=summary, action=action, author=author)

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
        if stage is Stage.BRIEF:
            return self._restore_brief(commit.hexsha, data, summary, author)
        return self.edit(stage, data, name=f"{stage.value}@{commit.hexsha[:10]}",
                         author=author, action="restore", summary=summary)

    def _restore_brief(self, rev: str, data: bytes, summary: str, author: Author | None) -> Change:
        """The brief and the story it was drawn from (an adaptation's source files, or none) as they were at
        ``rev``, in one commit: a brief never comes back over another story's text."""
        model = parse_artifact(Stage.BRIEF, f"brief@{rev[:10]}", data)
        with self.change(stage=Stage.BRIEF, action="restore", summary=summary, author=author or self.user(),
                         stages=[Stage.BRIEF]) as change:
            changed = self.write_stage(change, Stage.BRIEF, model)
            story_changed = False
            for rel in (layout.SOURCE_TEXT, layout.SOURCE_JSON):
                then = self.git.read_at(rev, rel)
                story_changed |= change.remove(rel) if then is None else change.write_bytes(rel, then)
            if story_changed and not changed:
                change.transitions.append(record_edit(change.project.stages, Stage.BRIEF, now=now_iso()))
        return change

    # ------------------------------------------------------------ history

    def history(self, stage: Stage | None = None, *, rev: str = "HEAD",
                limit: int | None = None) -> list[CommitInfo]:
        return _history.history(self.git, stage, rev=rev, limit=limit)

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

    # ------------------------------------------------------------ what the engine asks (studio.ports.ProjectPort)

    @property
    def branch(self) -> str:
        return self.git.branch

    def branches(self) -> list[str]:
        return self.git.branches()

    def locate(self, rel: str) -> str:
        """The file behind a project-relative path, for a face to show (never put into a message); a path
        that would leave the project is refused (studio.names.inside)."""
        return str(self.path / inside(rel))

    def render_files(self) -> list[str]:
        """Every take file under 03_Renders, project-relative."""
        root = self.path / "03_Renders"
        return sorted(p.relative_to(self.path).as_posix() for p in root.rglob("*_take*.*")) if root.is_dir() else []

    def turn_lock(self):
        """The lock one conversation turn holds while it changes this project, shared by every conversation
        of this process (a chat, a Slack thread)."""
        from memory.turn_locks import turn_lock

        return turn_lock(str(self.path.resolve()))

    # ------------------------------------------------------------ takes and references

    def takes(self, scene: int, shot: int) -> list[Take]:
        return Takes(self).list(scene, shot)

    def choose_take(self, scene: int, shot: int, number: int) -> Take:
        return Takes(self).choose(scene, shot, number, author=self.user())

    def add_reference(self, subject: str, name: str, data: bytes) -> str:
        """An image of a character or location, kept under 01_Assets as the next ref_NN file."""
        return _references.add_reference(self, subject, name, data)

    def _switch(self, name: str) -> None:
        self.git.require_branch(name)
        self._check_clean()
        self.git.switch(name)

    def _check_clean(self) -> None:
        _history.check_clean(self.git, self.slug, self.path)

    def compare_branches(self, a: str, b: str) -> list[dict]:
        """Stage by stage: the status on branch ``a`` and on ``b``, and whether the artifact differs."""
        return _history.compare_branches(self.git, a, b)


def add_usage(project: Project, stage: Stage | str, usage: Usage | None,
              others: dict[str, Usage] | None = None) -> None:
    """Model work on the stage, and on anything else named (the conversation, work that failed)."""
    for key, use in [(getattr(stage, "value", stage), usage), *(others or {}).items()]:
        if use and use.calls:
            project.llm[key] = project.llm.get(key, Usage()) + use
