"""One writer at a time per project, across threads and processes."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from studio.errors import ProjectBusy


@dataclass
class _Holder:
    rlock: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    handle: IO[str] | None = None


_holders: dict[str, _Holder] = {}
_guard = threading.Lock()


def _holder(key: str) -> _Holder:
    with _guard:
        return _holders.setdefault(key, _Holder())


def _lock_file(path: Path, timeout: float, what: str) -> IO[str]:
    fh = open(path, "a+")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                fh.seek(0)
                pid = fh.read().strip() or "unknown"
                fh.close()
                raise ProjectBusy(
                    f"{what} is being changed by another Auteur process (pid {pid}); waited {timeout:g} s",
                    "wait for that command to finish and run yours again "
                    "(AUTEUR_LOCK_TIMEOUT sets how long to wait)",
                ) from None
            time.sleep(0.05)
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


@contextmanager
def project_lock(lock_file: Path, *, timeout: float, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file``; re-entrant within one thread.

    Another process waits up to ``timeout`` seconds and then gets ProjectBusy
    naming the process that holds the lock.
    """
    holder = _holder(str(lock_file.resolve()))
    if not holder.rlock.acquire(timeout=timeout):
        raise ProjectBusy(f"{what} is busy in another thread of this process", "wait a moment and try again")
    try:
        if holder.depth == 0:
            holder.handle = _lock_file(lock_file, timeout, what)
        holder.depth += 1
        try:
            yield
        finally:
            holder.depth -= 1
            if holder.depth == 0 and holder.handle is not None:
                holder.handle.seek(0)
                holder.handle.truncate()
                fcntl.flock(holder.handle.fileno(), fcntl.LOCK_UN)
                holder.handle.close()
                holder.handle = None
    finally:
        holder.rlock.release()
