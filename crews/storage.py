"""Where crewAI keeps things during a crew run: in the folder of the person the run is for, and no more than it must.

Left to itself, crewAI logs every task's inputs and output (a person's idea, script excerpts) to one SQLite file
per process (`latest_kickoff_task_outputs.db`), wherever `CREWAI_STORAGE_DIR` pointed when the process began,
with a lock file in the system's temp folder. In a studio where several people work in one process, that put
one person's words in another's folder. So:

- our crews keep their task-output log in memory (`Crew` with `TaskOutputsInMemory`): we never replay a crew
  from it, and nothing of a run is written by crewAI, so no lock file either;
- whatever else crewAI may store during a run goes where `crewai_core.paths.db_storage_path()` says, and that
  follows the run, not the process: it is resolved at call time from a context variable that `run_storage`
  sets around one run. Two people's runs in two threads each see their own folder, at the same time.

Outside a run (nothing of ours asks crewAI to store anything there) crewAI's own default applies.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, Iterator

_folder: ContextVar[Path | None] = ContextVar("auteur_crewai_storage", default=None)
_install_lock = threading.Lock()
_installed = False


def _install() -> None:
    """Once per process: crewAI's storage path is read from the run's context, not from the environment."""
    global _installed
    with _install_lock:
        if _installed:
            return
        import crewai_core.paths as paths

        crewai_default = paths.get_project_directory_name

        def for_this_run() -> str:
            folder = _folder.get()
            return str(folder) if folder is not None else crewai_default()

        # db_storage_path() looks this name up when it is called; an absolute folder is used as it is.
        paths.get_project_directory_name = for_this_run
        _installed = True


@contextmanager
def run_storage(folder: Path | None) -> Iterator[None]:
    """While a crew is built and runs: anything crewAI stores goes to ``folder`` (the person's own)."""
    _install()
    token = _folder.set(folder)
    try:
        yield
    finally:
        _folder.reset(token)


def current_folder() -> Path | None:
    return _folder.get()


class TaskOutputsInMemory:
    """crewAI's task-output log (`TaskOutputStorageHandler`'s methods), kept for the run only, written nowhere."""

    def __init__(self) -> None:
        self.outputs: list[dict[str, Any]] = []

    def update(self, task_index: int, log: dict[str, Any]) -> None:
        self.outputs[task_index:task_index + 1] = [log]

    def add(self, task: Any, output: dict[str, Any], task_index: int, inputs: dict[str, Any] | None = None,
            was_replayed: bool = False) -> None:
        self.update(task_index, {"task": task, "output": output, "task_index": task_index, "inputs": inputs or {},
                                 "was_replayed": was_replayed})

    def reset(self) -> None:
        self.outputs.clear()

    def load(self) -> list[dict[str, Any]]:
        return list(self.outputs)


@cache
def crew_class() -> type:
    """crewAI's Crew, with its task-output log in memory instead of a SQLite file shared by the process."""
    from crewai import Crew
    from pydantic import PrivateAttr

    class QuietCrew(Crew):
        _task_output_handler: Any = PrivateAttr(default_factory=TaskOutputsInMemory)

    return QuietCrew
