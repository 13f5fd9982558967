"""Writes that never leave a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from studio.errors import AuteurError
from studio.names import inside


def contained(root: Path, rel: str) -> Path:
    """The file ``rel`` of the project in ``root``, checked on disk before anything is written there.

    ``rel`` must stay inside the project (studio.names.inside), no folder or file on the way that
    exists may be a symbolic link (one restored from an archive, or planted), and the real path must be
    inside the project's real folder. Anything else is refused with an AuteurError, and nothing is written.
    """
    clean = inside(rel)
    if not clean:
        raise AuteurError("a file of the project cannot be written at the project's own folder",
                          "name a file inside the project")
    base = root.resolve()
    path = base
    for part in clean.split("/"):
        path = path / part
        if path.is_symlink():
            raise AuteurError(f"{clean} goes through a symbolic link ({path.relative_to(base).as_posix()}), "
                              "so it was not written",
                              "remove the link from the project (or restore that folder from history), "
                              "then try again; nothing was changed")
        if not path.exists():
            break
    target = base / clean
    if not target.resolve().is_relative_to(base):
        raise AuteurError(f"{clean} would be written outside the project, so it was not written",
                          "keep the project's files inside its folder")
    return target


def write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file atomically; fail with FileExistsError if ``path`` already exists.

    The data goes to a temporary file first and is hard-linked into place, so the
    name appears only once the whole file is there, and an existing file is never
    replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
