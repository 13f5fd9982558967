"""A project's Git repository, through GitPython.

Files are staged with Git itself (``git add``), never by writing the index from
Python, so that git-lfs's clean filter turns media into pointers.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import git
from git.exc import BadName, GitCommandError
from git.objects.commit import Commit

from studio.errors import AuteurError, InvalidName, ProjectBusy, RevisionNotFound
from studio.project import Author
from config.settings import MACHINE_LOGINS

log = logging.getLogger("auteur.git")

LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"
TRAILER_RE = re.compile(r"^(Auteur-[A-Za-z-]+):[ \t]*(.*)$", re.MULTILINE)
COMMITTER = ("Auteur", "auteur@auteur.local")


@dataclass
class CommitInfo:
    commit: str
    author: str
    email: str
    time: str
    message: str
    trailers: dict[str, str]

    @property
    def short(self) -> str:
        return self.commit[:10]


def lfs_available() -> bool:
    return shutil.which("git-lfs") is not None


# Login names of machines, not of people: a studio run as root in a container named the person "root" in every
# commit they made (config.settings falls back to the login name when AUTEUR_USER_NAME is not set).
PERSON = Author("Director", "director@auteur.local")  # the person, when nothing better names them


def commit_author(author: Author) -> Author:
    """The author a commit records: the person or agent named, never a machine account or an empty name (those
    become the Director, so that the history always says who did what)."""
    name = author.name.strip()
    if not name or name.lower() in MACHINE_LOGINS:
        return PERSON
    return author


def _git_env(author: Author | None = None) -> dict[str, str]:
    env = {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_COMMITTER_NAME": COMMITTER[0],
        "GIT_COMMITTER_EMAIL": COMMITTER[1],
    }
    if author:
        named = commit_author(author)
        env["GIT_AUTHOR_NAME"] = named.name
        env["GIT_AUTHOR_EMAIL"] = named.email
    return env


_NOT_IN_REFS = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")


def ref_problem(name: object, *, full: bool = False) -> str | None:
    """Why ``name`` cannot go to git as a branch name (or, ``full``, as a ref such as refs/heads/x), or None.

    Git's check-ref-format rules, and more: no part may start with '-' (git would read it as an option),
    and names that git expands ('@{-1}', 'HEAD', '@') are refused rather than resolved.
    """
    if not isinstance(name, str) or not name:
        return "it is empty"
    if len(name.encode("utf-8", "surrogatepass")) > 255:
        return "it is longer than 255 bytes"
    parts = name.split("/")
    if name.startswith("-") or any(p.startswith("-") for p in parts):
        return "it (or a part of it) starts with '-', which git would read as an option"
    if name in ("HEAD", "@"):
        return "Git keeps that name for itself"
    if full and not name.startswith("refs/"):
        return "it is not under refs/"
    if ".." in name:
        return "it holds '..'"
    if "@{" in name:
        return "it holds '@{', which git expands to another name"
    if bad := _NOT_IN_REFS.search(name):
        return f"it holds {bad.group()!r}, which git does not allow in a name"
    if "" in parts or name.endswith(".") or any(p.startswith(".") or p.endswith(".lock") for p in parts):
        return "a part of it is empty, starts with '.' or ends with '.' or '.lock'"
    ref = name if full else f"refs/heads/{name}"
    if subprocess.run(["git", "check-ref-format", ref], capture_output=True).returncode != 0:
        return "git check-ref-format refuses it"
    return None


def check_ref_name(name: object, *, what: str, fix: str, full: bool = False) -> str:
    """``name`` if git can take it as a branch (or a full ref); InvalidName naming ``what`` otherwise."""
    why = ref_problem(name, full=full)
    if why is not None:
        shown = repr(name)[:80]
        raise InvalidName(f"{what} {shown} is not a valid Git {'ref' if full else 'branch'} name: {why}", fix)
    assert isinstance(name, str)  # ref_problem refuses anything else
    return name


def check_branch_name(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}", name or "") or ref_problem(name) is not None:
        raise InvalidName(
            f"{name!r} is not a usable branch name",
            "use letters, digits, '-', '_' and '.', e.g. alt-ending",
        )
    return name


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = git.Repo(path)

    # ------------------------------------------------------------ set-up

    @classmethod
    def init(cls, path: Path, *, gitignore: list[str], lfs_patterns: tuple[str, ...]) -> GitRepo:
        git.Repo.init(path, initial_branch="main")
        repo = cls(path)
        with repo.repo.config_writer() as cfg:
            cfg.set_value("commit", "gpgsign", "false")
            cfg.set_value("core", "autocrlf", "false")
        (path / ".gitignore").write_text("\n".join(gitignore) + "\n", encoding="utf-8")
        if lfs_available():
            repo.git("lfs", "install", "--local")
            lines = [f"{p} filter=lfs diff=lfs merge=lfs -text" for p in lfs_patterns]
            (path / ".gitattributes").write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            log.warning("git-lfs is not installed: renders are stored as plain Git files "
                        "(install git-lfs to keep project history small)")
        return repo

    def git(self, *args: str, author: Author | None = None) -> str:
        try:
            return self.repo.git.execute(["git", *args], env={**os.environ, **_git_env(author)})
        except GitCommandError as exc:
            stderr = (exc.stderr or "").strip()
            if "index.lock" in stderr:
                raise ProjectBusy(
                    f"Git's index in {self.path} is locked by another program",
                    f"if no git command is running there, delete {self.path / '.git' / 'index.lock'}",
                ) from None
            if "git-lfs" in stderr and ("not found" in stderr or "command not found" in stderr):
                raise AuteurError(f"{self.path.name} keeps its renders in git-lfs, which is not installed here",
                                  "install git-lfs (e.g. apt-get install git-lfs) and run the command again") from None
            last = stderr.splitlines()[-1] if stderr else str(exc)
            raise AuteurError(f"git {args[0]} failed in {self.path.name}: {last.removeprefix('fatal: ')}",
                              "check the names you gave; the project itself is unchanged") from None

    # ------------------------------------------------------------ commits

    def commit(self, paths: list[str], message: str, author: Author) -> str | None:
        """Stage ``paths`` with Git and commit only them. Returns the new commit, or None if nothing changed."""
        existing = [p for p in paths if (self.path / p).exists()]
        gone = [p for p in paths if not (self.path / p).exists() and self.tracked(p)]
        if existing:
            self.git("add", "--", *existing)
        if gone:
            self.git("rm", "--cached", "--quiet", "--", *gone)
        pathspec = existing + gone
        if not pathspec or not self.git("diff", "--cached", "--name-only", "--", *pathspec).strip():
            return None
        self.git("commit", "--no-verify", "--quiet", "-m", message, "--", *pathspec, author=author)
        return self.repo.head.commit.hexsha

    def commit_all(self, message: str, author: Author) -> str:
        self.git("add", "--all")
        self.git("commit", "--no-verify", "--quiet", "--allow-empty", "-m", message, author=author)
        return self.repo.head.commit.hexsha

    def tracked(self, path: str, rev: str = "HEAD") -> bool:
        try:
            self.repo.commit(rev).tree[path]
            return True
        except (KeyError, BadName, ValueError):
            return False

    def resolve(self, rev: str) -> Commit:
        try:
            return self.repo.commit(rev)
        except (BadName, ValueError, GitCommandError):
            raise RevisionNotFound(
                f"there is no revision {rev!r} in this project",
                "pick a commit from `auteur history` (the first characters of its hash are enough)",
            ) from None

    def read_at(self, rev: str, path: str) -> bytes | None:
        commit = self.resolve(rev)
        try:
            return commit.tree[path].data_stream.read()
        except KeyError:
            return None

    def raw_blob(self, rev: str, path: str) -> bytes:
        """The object Git stores for a path: an LFS pointer for media under git-lfs."""
        return self.git("cat-file", "-p", f"{self.resolve(rev).hexsha}:{path}").encode("utf-8")

    def log(self, *, paths: list[str] | None = None, rev: str = "HEAD", max_count: int | None = None) -> list[CommitInfo]:
        if not self.has_commits():
            return []
        kwargs: dict[str, Any] = {"max_count": max_count} if max_count else {}
        out = []
        for c in self.repo.iter_commits(self.resolve(rev).hexsha, paths=paths or [], **kwargs):
            message = c.message if isinstance(c.message, str) else c.message.decode("utf-8", "replace")
            out.append(CommitInfo(
                commit=c.hexsha,
                # A commit of an older project by a machine account reads as the person who made it.
                author=commit_author(Author(c.author.name or "", c.author.email or "")).name,
                email=c.author.email or "",
                time=datetime.fromtimestamp(c.authored_date).astimezone().isoformat(timespec="seconds"),
                message=message.strip(),
                trailers=dict(TRAILER_RE.findall(message)),
            ))
        return out

    def has_commits(self) -> bool:
        try:
            return self.repo.head.commit is not None  # raises ValueError while the branch has no commit
        except ValueError:
            return False

    def is_dirty(self) -> list[str]:
        out = self.git("status", "--porcelain", "--untracked-files=all")
        return [line[3:] for line in out.splitlines() if line.strip()]

    # ------------------------------------------------------------ branches

    @property
    def branch(self) -> str:
        try:
            return self.repo.active_branch.name
        except TypeError:
            return "(detached)"

    def branches(self) -> list[str]:
        return sorted(h.name for h in self.repo.heads)

    def create_branch(self, name: str, *, start: str = "HEAD") -> None:
        check_branch_name(name)
        existing = self.branches()
        if name in existing:
            raise InvalidName(f"the branch {name!r} already exists",
                              f"switch to it with `auteur branch switch {name}`, or pick another name")
        clash = [b for b in existing if b.startswith(name + "/") or name.startswith(b + "/")]
        if clash:
            raise InvalidName(f"the branch name {name!r} clashes with the branch {clash[0]!r}",
                              "Git cannot hold both 'a' and 'a/b': pick another name")
        self.git("branch", "--end-of-options", name, self.resolve(start).hexsha)

    def require_branch(self, name: str) -> None:
        if name not in self.branches():
            raise InvalidName(f"there is no branch {name!r}",
                              "see `auteur branch list`, or make it with `auteur branch new NAME`")

    def switch(self, name: str) -> None:
        self.require_branch(name)
        self.git("switch", "--quiet", "--no-guess", "--end-of-options", name)

    def changed_paths(self, a: str, b: str) -> list[str]:
        out = self.git("diff", "--name-only", self.resolve(a).hexsha, self.resolve(b).hexsha)
        return [line for line in out.splitlines() if line.strip()]
