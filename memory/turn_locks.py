"""One lock per project for the conversations of this process: one turn at a time changes a project.

A chat in the browser, a Slack thread and a channel may all have the same project open; a turn
that would change it takes this lock without waiting, and the engine tells the person to try again
when another turn holds it. (Across processes, memory.locking's file lock guards each write.)
"""

from __future__ import annotations

import threading

_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def turn_lock(key: str) -> threading.Lock:
    with _GUARD:
        return _LOCKS.setdefault(key, threading.Lock())
