"""Project archives: a zip with the whole Git history (a bundle) and the media, and back.

Restoring refuses anything that would write outside its folder (absolute paths,
'..', links in the zip, symbolic links or submodules in any commit of the history),
names git would read as options or expand (the manifest's branch, the bundle's refs:
git's check-ref-format rules, no leading '-'), and media outside the media folders.
It builds the new project in a temporary folder, moved into the workspace only when
it is whole: on a refusal the workspace is as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from memory import layout
from memory.git_repo import check_ref_name, lfs_available
from memory.project_store import ProjectStore, now_iso
from studio.errors import AuteurError, InvalidName
from studio.project import Project, check_slug

MANIFEST_NAME = "auteur-archive.json"
BUNDLE_NAME = "repo.bundle"
MEDIA = "media/"
MEDIA_ROOTS = ("01_Assets/", "03_Renders/")
MEDIA_SUFFIXES = tuple(p.lstrip("*") for p in layout.LFS_PATTERNS)


_ABSOLUTE = re.compile(r"(?<![\w.~-])/[^\s'\"]+")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
NOT_RESTORED = ("this archive was not made by Auteur, or was changed after it was made; nothing was restored: "
                "make it again with `auteur export archive` from the original project")


def _git(cwd: Path, *args: str, env: dict | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
    if result.returncode != 0:
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        raise AuteurError(f"git {args[0]} failed: {_ABSOLUTE.sub('…', last)}",  # no server path in a message
                          "check that the archive is complete")
    return result.stdout


def create_archive(store: ProjectStore, path: Path) -> Path:
    manifest = store.manifest()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Beside the archive (in the project's exports), not in the system's temp folder: the project's history never
    # sits where other users of the machine look, and no name of it can be guessed in advance.
    with tempfile.TemporaryDirectory(prefix=".archive-", dir=path.parent) as tmp:
        bundle = Path(tmp) / BUNDLE_NAME
        _git(store.path, "bundle", "create", "--quiet", str(bundle), "--all")
        partial = Path(tmp) / path.name
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST_NAME, json.dumps({
                "format": 1, "slug": manifest.slug, "title": manifest.title, "id": manifest.id,
                "branch": store.git.branch, "created": now_iso()}, indent=2))
            z.write(bundle, BUNDLE_NAME, compress_type=zipfile.ZIP_STORED)
            for root in MEDIA_ROOTS:
                base = store.path / root
                if not base.is_dir():
                    continue
                for f in sorted(base.rglob("*")):
                    if f.is_file() and not f.is_symlink() and f.suffix.lower() in MEDIA_SUFFIXES:
                        z.write(f, MEDIA + f.relative_to(store.path).as_posix(), compress_type=zipfile.ZIP_STORED)
        os.replace(partial, path)
    return path


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    pure = PurePosixPath(name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise AuteurError(f"the archive holds a link ({name}), which Auteur never restores",
                          "make the archive again with `auteur export archive`")
    if name.startswith(("/", "\\")) or "\\" in name or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise AuteurError(f"the archive holds a path that leaves its folder ({name!r})",
                          "this archive was not made by Auteur, or was tampered with; nothing was written")
    if name not in (MANIFEST_NAME, BUNDLE_NAME) and not name.startswith(MEDIA):
        raise AuteurError(f"the archive holds an unexpected file ({name!r})",
                          "restore only archives made with `auteur export archive`")
    rel = name[len(MEDIA):]
    if name.startswith(MEDIA) and not name.endswith("/") and (
            not rel.startswith(MEDIA_ROOTS) or pure.suffix.lower() not in MEDIA_SUFFIXES
            or any(p.lower() == ".git" for p in pure.parts)):
        raise AuteurError(f"the archive's media entry {rel[:120]!r} is not a render or an asset of a project",
                          NOT_RESTORED)


def _read_manifest(z: zipfile.ZipFile, archive: Path) -> dict:
    try:
        meta = json.loads(z.read(MANIFEST_NAME))
    except (ValueError, UnicodeDecodeError):
        meta = None
    if not isinstance(meta, dict) or not isinstance(meta.get("slug", ""), str):
        raise AuteurError(f"{archive.name} has a damaged {MANIFEST_NAME}", NOT_RESTORED)
    return meta


def _bundle_heads(bundle: Path) -> dict[str, str]:
    """The branches of a bundle (name: commit), from its header; every ref it lists must be a valid name."""
    with open(bundle, "rb") as fh:
        header, blank, _ = fh.read(1 << 20).partition(b"\n\n")
    try:
        lines = header.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        lines = []
    if not blank or lines[:1] not in (["# v2 git bundle"], ["# v3 git bundle"]):
        raise AuteurError("the archive's history is not a Git bundle Auteur can read", NOT_RESTORED)
    heads: dict[str, str] = {}
    for line in lines[1:]:
        if line.startswith(("@", "-")):  # a capability (v3) or a commit the bundle needs (never in ours)
            continue
        sha, _, ref = line.partition(" ")
        if not _SHA.fullmatch(sha):
            raise AuteurError(f"the archive's history lists a ref without a commit ({line[:80]!r})", NOT_RESTORED)
        if ref != "HEAD":
            check_ref_name(ref, what="in the archive's history, the ref", fix=NOT_RESTORED, full=True)
            if ref.startswith("refs/heads/"):
                heads[ref.removeprefix("refs/heads/")] = sha
    return heads


# Files that make Git (or git-lfs) reach another address: a project of ours never holds them.
GIT_POINTERS = (".lfsconfig", ".gitmodules")


def _refuse_links(project: Path) -> None:
    """Refuse symbolic links and submodules in any commit of any ref, before anything is checked out.

    Every entry of every tree is added by some commit (against one of its parents, or the empty tree for a
    root), so one `git log -m --raw` over all refs sees each of them once; a link removed later still counts,
    since switching to or restoring that commit would bring it back.
    """
    out = _git(project, "log", "--all", "--raw", "-m", "--root", "--no-renames", "--no-abbrev",
               "--format=", "-z")
    fields = out.split("\0")
    for i, field in enumerate(fields):
        field = field.lstrip("\n")
        if not field.startswith(":"):
            continue
        new_mode = field[1:].split(" ")[1]
        path = fields[i + 1] if i + 1 < len(fields) else ""
        if PurePosixPath(path).name.lower() in GIT_POINTERS:
            raise AuteurError(f"the archive's history holds {path[:120]!r}, which Auteur never restores: it would "
                              "point Git at another server", NOT_RESTORED)
        if new_mode in ("120000", "160000"):
            what = "a symbolic link" if new_mode == "120000" else "a submodule"
            path = fields[i + 1] if i + 1 < len(fields) else "?"
            raise AuteurError(f"the archive's history holds {what} ({path[:120]!r}), which Auteur never restores: "
                              "it could make a later render or restore write outside the project",
                              NOT_RESTORED)


def restore_archive(workspace_root: Path, archive: Path, *, slug: str | None = None) -> Path:
    """Unpack an archive as a new project; returns its folder. On any refusal the workspace is as it was."""
    try:
        z = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as exc:
        raise AuteurError(f"{archive.name} is not a readable zip archive ({type(exc).__name__})",
                          "check the file; make archives with `auteur export archive`") from None
    with z:
        for info in z.infolist():
            _check_member(info)
        names = set(z.namelist())
        if MANIFEST_NAME not in names or BUNDLE_NAME not in names:
            raise AuteurError(f"{archive.name} is not an Auteur project archive (no {MANIFEST_NAME} or history)",
                              "make archives with `auteur export archive`")
        meta = _read_manifest(z, archive)
        slug = check_slug(slug or meta.get("slug", ""))
        branch = check_ref_name(meta.get("branch") or "main", what="the archive's branch", fix=NOT_RESTORED)
        final = workspace_root / slug
        if final.exists():
            raise InvalidName(f"a project called {slug!r} already exists", "restore with --slug NEW-NAME")
        made_root = not workspace_root.exists()
        workspace_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".restore-{slug}-", dir=workspace_root))
        try:
            project = _unpack(z, names, tmp, branch)
            os.rename(project, final)
        except BaseException:
            if made_root:
                shutil.rmtree(tmp, ignore_errors=True)
                with contextlib.suppress(OSError):
                    workspace_root.rmdir()  # only if nothing else arrived meanwhile
            raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _unpack(z: zipfile.ZipFile, names: set[str], tmp: Path, branch: str) -> Path:
    """The project, whole, in ``tmp``: its history checked, its branch checked out, its media in place."""
    bundle = tmp / BUNDLE_NAME
    with z.open(BUNDLE_NAME) as src, open(bundle, "wb") as dst:
        shutil.copyfileobj(src, dst)
    heads = _bundle_heads(bundle)
    if branch not in heads:
        have = ", ".join(sorted(heads)[:8]) or "none"
        raise AuteurError(f"the archive's manifest names the branch {branch!r}, which its history does not hold "
                          f"(branches: {have})", NOT_RESTORED)
    project = tmp / "project"
    _git(tmp, "clone", "--quiet", "--no-checkout", "--", str(bundle), str(project))
    _refuse_links(project)  # before any file of it is checked out
    for name, sha in heads.items():
        _git(project, "update-ref", "--end-of-options", f"refs/heads/{name}", sha)
    _git(project, "remote", "remove", "origin")
    _git(project, "config", "commit.gpgsign", "false")
    if lfs_available():
        _git(project, "lfs", "install", "--local")
    _git(project, "switch", "--quiet", "--discard-changes", "--no-guess", "--end-of-options", branch,
         env={"GIT_LFS_SKIP_SMUDGE": "1"})
    restored: list[str] = []
    for name in sorted(names):
        if name.startswith(MEDIA) and not name.endswith("/"):
            rel = name[len(MEDIA):]
            restored.append(rel)
            target = (project / rel).resolve()
            if not target.is_relative_to(project.resolve()):
                raise AuteurError(f"the archive's media path {rel!r} leaves the project", "nothing was written")
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(name) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    if restored:
        # The real media replaces the LFS pointers checked out; the index learns they are the same.
        _git(project, "add", "--", *restored, env={"GIT_LITERAL_PATHSPECS": "1"})
    for folder in layout.IGNORED:
        (project / folder).mkdir(parents=True, exist_ok=True)
    try:
        Project.model_validate_json((project / layout.MANIFEST).read_text(encoding="utf-8"))  # it is a project
    except (OSError, ValueError):
        raise AuteurError(f"the archive's branch {branch!r} holds no readable {layout.MANIFEST}",
                          NOT_RESTORED) from None
    shutil.rmtree(project / ".git" / "lfs" / "tmp", ignore_errors=True)
    return project
