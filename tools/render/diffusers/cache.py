"""The pipelines kept loaded between jobs: a small process-wide cache, the least recently used out first.

Reading a pipeline from disk takes seconds to minutes; the next job on the same
model, device and dtype finds it here. ``LOCK`` makes one render at a time per
process: the GPU is one. What is loaded and how room is made: ``loading`` and
``memory``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CACHE_SIZE = 2  # pipelines kept loaded at once
LOCK = threading.RLock()  # one render at a time per process: the GPU is one

Key = tuple[str, str, str, str]  # the pipeline's folder, task, device, dtype


@dataclass
class Loaded:
    """A pipeline read from ``path``, on ``device`` in ``dtype``, and the settings we applied to it."""

    pipe: Any
    path: Path
    task: str
    device: str
    dtype: str
    offloaded: bool = False
    settings: dict = field(default_factory=dict)

    @property
    def key(self) -> Key:
        return key_of(self.path, self.task, self.device, self.dtype)


_KEPT: OrderedDict[Key, Loaded] = OrderedDict()


def key_of(path: Path, task: str, device: str, dtype: str) -> Key:
    return (str(path), task, device, dtype)


def get(key: Key) -> Loaded | None:
    """The pipeline kept under ``key`` (now the most recently used), or None."""
    entry = _KEPT.get(key)
    if entry is not None:
        _KEPT.move_to_end(key)
    return entry


def put(entry: Loaded) -> None:
    _KEPT[entry.key] = entry


def count() -> int:
    return len(_KEPT)


def entries() -> list[Loaded]:
    """The kept pipelines, the least recently used first."""
    return list(_KEPT.values())


def drop_oldest() -> None:
    _KEPT.popitem(last=False)


def drop_all(keep: Loaded | None = None) -> None:
    """Forget every kept pipeline but ``keep``."""
    for key in [k for k, e in _KEPT.items() if e is not keep]:
        del _KEPT[key]
