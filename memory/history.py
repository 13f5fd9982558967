"""A project's history and story branches, read from its Git repository: what changed, and how branches differ."""

from __future__ import annotations

from pathlib import Path

from memory import layout
from memory.git_repo import CommitInfo, GitRepo
from studio.errors import AuteurError, RevisionNotFound
from studio.project import Project
from studio.stages import STAGE_ORDER, Stage


def stages_of(entry: CommitInfo) -> list[str]:
    """The stages a commit touched, from its trailers."""
    listed = entry.trailers.get("Auteur-Stages") or entry.trailers.get("Auteur-Stage") or ""
    return [s.strip() for s in listed.split(",") if s.strip()]


def history(git: GitRepo, stage: Stage | None = None, *, rev: str = "HEAD",
            limit: int | None = None) -> list[CommitInfo]:
    """Commits from ``rev`` back, newest first; with ``stage``, only those that touched it."""
    entries = git.log(rev=rev, max_count=limit if stage is None else None)
    if stage is not None:
        entries = [e for e in entries if stage.value in stages_of(e)]
    return entries[:limit] if limit else entries


def check_clean(git: GitRepo, slug: str, path: Path) -> None:
    """Refuse to switch branches while the project has files its history does not hold."""
    dirty = git.is_dirty()
    if dirty:
        raise AuteurError(
            f"{slug} has changes that are not in its history: {', '.join(dirty[:5])}",
            "bring them in with `auteur edit STAGE FILE`, or put them back with "
            f"`git checkout -- .` in {path}, then switch again",
        )


def compare_branches(git: GitRepo, a: str, b: str) -> list[dict]:
    """Stage by stage: the status on branch ``a`` and on ``b``, and whether the artifact differs."""
    for name in (a, b):
        git.require_branch(name)
    changed = set(git.changed_paths(a, b))
    pa, pb = manifest_at(git, a), manifest_at(git, b)
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


def manifest_at(git: GitRepo, rev: str) -> Project:
    data = git.read_at(rev, layout.MANIFEST)
    if data is None:
        raise RevisionNotFound(f"{rev} has no project.json", "compare branches of this project")
    return Project.model_validate_json(data)
