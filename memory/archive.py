"""Project archives: a zip with the whole Git history (a bundle) and the media, and back.

Restoring refuses anything that would write outside its folder (absolute paths,
'..', links) and builds the new project in a temporary folder, moved into the
workspace only when it is whole.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from memory import layout
from memory.git_repo import lfs_available
from memory.project_store import ProjectStore, now_iso
from studio.errors import AuteurError, InvalidName
from studio.project import Project, check_slug

MANIFEST_NAME = "auteur-archive.json"
BUNDLE_NAME = "repo.bundle"
MEDIA = "media/"
MEDIA_ROOTS = ("01_Assets/", "03_Renders/")
MEDIA_SUFFIXES = tuple(p.lstrip("*") for p in layout.LFS_PATTERNS)


def _git(cwd: Path, *args: str, env: dict | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
    if result.returncode != 0:
        raise AuteurError(f"git {args[0]} failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}",
                          "check that the archive is complete")
    return result.stdout


def create_archive(store: ProjectStore, path: Path) -> Path:
    manifest = store.manifest()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / BUNDLE_NAME
        _git(store.path, "bundle", "create", "--quiet", str(bundle), "--all")
        partial = path.with_suffix(".zip.part")
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


def restore_archive(workspace_root: Path, archive: Path, *, slug: str | None = None) -> Path:
    """Unpack an archive as a new project; returns its folder."""
    try:
        z = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as exc:
        raise AuteurError(f"{archive} is not a readable zip archive ({type(exc).__name__})",
                          "check the file; make archives with `auteur export archive`") from None
    with z:
        for info in z.infolist():
            _check_member(info)
        names = set(z.namelist())
        if MANIFEST_NAME not in names or BUNDLE_NAME not in names:
            raise AuteurError(f"{archive.name} is not an Auteur project archive (no {MANIFEST_NAME} or history)",
                              "make archives with `auteur export archive`")
        meta = json.loads(z.read(MANIFEST_NAME))
        slug = check_slug(slug or meta.get("slug", ""))
        final = workspace_root / slug
        if final.exists():
            raise InvalidName(f"a project called {slug!r} already exists", "restore with --slug NEW-NAME")
        workspace_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".restore-{slug}-", dir=workspace_root))
        try:
            bundle = tmp / BUNDLE_NAME
            with z.open(BUNDLE_NAME) as src, open(bundle, "wb") as dst:
                shutil.copyfileobj(src, dst)
            project = tmp / "project"
            _git(tmp, "clone", "--quiet", "--no-checkout", str(bundle), str(project))
            current = _git(project, "symbolic-ref", "--short", "HEAD").strip()
            for ref in _git(project, "for-each-ref", "--format=%(refname:strip=3)", "refs/remotes/origin").split():
                if ref not in ("HEAD", current):
                    _git(project, "branch", "--quiet", "--force", ref, f"origin/{ref}")
            _git(project, "remote", "remove", "origin")
            _git(project, "config", "commit.gpgsign", "false")
            if lfs_available():
                _git(project, "lfs", "install", "--local")
            _git(project, "checkout", "--quiet", "--force", meta.get("branch") or "main",
                 env={"GIT_LFS_SKIP_SMUDGE": "1"})
            restored: list[str] = []
            for name in names:
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
                _git(project, "add", "--", *restored)
            for folder in layout.IGNORED:
                (project / folder).mkdir(parents=True, exist_ok=True)
            Project.model_validate_json((project / layout.MANIFEST).read_text(encoding="utf-8"))  # it is a project
            shutil.rmtree(project / ".git" / "lfs" / "tmp", ignore_errors=True)
            os.rename(project, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final
