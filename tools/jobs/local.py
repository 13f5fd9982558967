"""The in-process job runner: one worker thread, one job at a time, states kept on disk.

Job states live in ``<workspace>/.auteur/jobs/<id>.json`` (written atomically), each
with the process that owns it. A studio restarted in the middle of a batch finds
its jobs again: finished ones answer from disk, and queued or interrupted ones
whose process is gone run again when a batch is next submitted or waited for
(the executor returns the take a job already made, so nothing is made twice).
Jobs another live process runs are left to it; a cancel reaches it through a
marker file. One runner serves each workspace in a process: the composition root
(config.container) keeps it.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from pathlib import Path
from typing import Callable

from config.settings import Settings
from memory.atomic import write_bytes as atomic_write_bytes
from studio.errors import AuteurError, ProjectBusy, redact
from studio.render import JobCancelled, JobEvent, JobSpec, JobState, JobStatus

log = logging.getLogger("auteur.jobs")
Execute = Callable[..., str]
RETRIES = 2  # a job that fails for a passing reason (not an AuteurError) is tried this many more times
BACKOFF_S = 1.0


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


ME = f"{socket.gethostname()}:{os.getpid()}"


def owner_alive(owner: str) -> bool:
    """Is the process that owns a job still running? (Another host's: assume so.)"""
    if not owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True
    if owner == ME:
        return True
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def standalone_executor(settings: Settings) -> Execute:
    """``execute_job`` with a workspace and renderers of its own, for a runner or worker made outside the
    composition root (a test, a script). The container passes its own executor instead."""
    from memory.workspace import Workspace
    from tools.render.backends import Backends
    from tools.render.execute import executor

    return executor(Workspace(settings).open, Backends.standard(settings))


class JobStore:
    """Job states as JSON files, one per job."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def save(self, state: JobState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        state.updated = now()
        atomic_write_bytes(self.path(state.id), state.model_dump_json(indent=1).encode())

    def load(self, job_id: str) -> JobState | None:
        try:
            return JobState.model_validate_json(self.path(job_id).read_bytes())
        except (FileNotFoundError, ValueError):
            return None

    def cancel_marker(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.cancel"

    def all(self) -> list[JobState]:
        if not self.folder.is_dir():
            return []
        found = [self.load(p.stem) for p in sorted(self.folder.glob("*.json"))]
        return sorted((s for s in found if s), key=lambda s: s.created)


class LocalRunner:
    name = "local"

    def __init__(self, settings: Settings, execute: Execute | None = None, *, resume: bool = True) -> None:
        self.settings = settings
        self.execute = execute or standalone_executor(settings)
        self.store = JobStore(settings.workspace / ".auteur" / "jobs")
        self._queue: queue.Queue[str] = queue.Queue()
        self._states: dict[str, JobState] = {}
        self._cancel: set[str] = set()
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._listeners: list[Callable[[JobEvent], None]] = []
        self._worker: threading.Thread | None = None
        self._resume = resume

    def _take_over(self) -> None:
        """Queue again the unfinished jobs on disk whose process is gone (a studio that stopped)."""
        if not self._resume:
            return
        with self._lock:
            for state in self.store.all():
                if not state.status.finished and state.id not in self._states and not owner_alive(state.owner):
                    state.status, state.message = JobStatus.QUEUED, "resumed after a restart"
                    self._enqueue(state)

    # ------------------------------------------------------------ the port

    def submit(self, spec: JobSpec) -> JobState:
        self._take_over()
        with self._lock:
            mine = self._states.get(spec.id)
            existing = mine or self.store.load(spec.id)
            if existing is not None:
                if existing.status is JobStatus.DONE and self._take_exists(existing):
                    return existing.model_copy()
                if not existing.status.finished and (mine is not None or owner_alive(existing.owner)):
                    return existing.model_copy()  # under way here, or in another live process
            # New, failed, cancelled, orphaned, or done with its take gone (another branch): run it.
            self.store.cancel_marker(spec.id).unlink(missing_ok=True)
            state = JobState(id=spec.id, spec=spec, created=now(), runner=self.name)
            self._enqueue(state)
            return state.model_copy()

    def get(self, job_id: str) -> JobState | None:
        with self._lock:
            state = self._states.get(job_id) or self.store.load(job_id)
            return state.model_copy() if state else None

    def cancel(self, job_id: str) -> JobState | None:
        with self._lock:
            mine = self._states.get(job_id)
            state = mine or self.store.load(job_id)
            if state is None or state.status.finished:
                return state
            if mine is None and owner_alive(state.owner):
                # Another process runs it: it sees the marker at its next frame or step.
                self.store.folder.mkdir(parents=True, exist_ok=True)
                self.store.cancel_marker(job_id).write_text(now())
                return state.model_copy()
            self._cancel.add(job_id)
            if state.status is JobStatus.QUEUED or mine is None:
                self._finish(state, JobStatus.CANCELLED, "cancelled before it started")
            return state.model_copy()

    def _cancelled(self, job_id: str) -> bool:
        return job_id in self._cancel or self.store.cancel_marker(job_id).exists()

    def wait(self, job_ids: list[str], *, timeout: float | None = None,
             on_event: Callable[[JobEvent], None] | None = None) -> list[JobState]:
        self._take_over()
        deadline = None if timeout is None else time.monotonic() + timeout
        seen: dict[str, tuple] = {}
        with self._changed:
            while True:
                states = [self._states.get(i) or self.store.load(i) for i in job_ids]
                for s in states:
                    if s is not None and on_event is not None:
                        key = (s.status, round(s.progress, 3), s.message)
                        if seen.get(s.id) != key:
                            seen[s.id] = key
                            on_event(JobEvent.of(s))
                if all(s is None or s.status.finished for s in states):
                    return [s.model_copy() for s in states if s is not None]
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return [s.model_copy() for s in states if s is not None]
                self._changed.wait(timeout=0.5 if left is None else min(0.5, left))

    def jobs(self, project: str | None = None) -> list[JobState]:
        with self._lock:
            merged = {s.id: s for s in self.store.all()}
            merged.update(self._states)
        return [s.model_copy() for s in merged.values() if project is None or s.spec.project == project]

    def subscribe(self, listener: Callable[[JobEvent], None]) -> None:
        self._listeners.append(listener)

    # ------------------------------------------------------------ the worker

    def _take_exists(self, state: JobState) -> bool:
        if not state.take:
            return False
        return (self.settings.workspace / state.spec.project / state.take).exists()

    def _enqueue(self, state: JobState) -> None:
        with self._lock:
            state.owner = ME
            self._states[state.id] = state
            self.store.save(state)
            self._queue.put(state.id)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="auteur-jobs", daemon=True)
                self._worker.start()

    def _update(self, state: JobState, **changes) -> None:
        with self._changed:
            for k, v in changes.items():
                setattr(state, k, v)
            self.store.save(state)
            self._changed.notify_all()
        event = JobEvent.of(state)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a face that went away must not stop the renders
                log.debug("job listener failed", exc_info=True)

    def _finish(self, state: JobState, status: JobStatus, message: str, **changes) -> None:
        self._cancel.discard(state.id)
        self.store.cancel_marker(state.id).unlink(missing_ok=True)
        self._update(state, status=status, message=message, **changes)

    def _work(self) -> None:
        while True:
            try:
                job_id = self._queue.get(timeout=30)
            except queue.Empty:
                with self._lock:  # decide to stop where _enqueue decides to start one
                    if self._queue.empty():
                        self._worker = None
                        return
                continue
            with self._lock:
                state = self._states.get(job_id)
                if state is None or state.status is not JobStatus.QUEUED:
                    continue
            self._run(state)

    def _run(self, state: JobState) -> None:
        while True:
            self._update(state, status=JobStatus.RUNNING, attempts=state.attempts + 1, progress=0.0,
                         message="started", error=None)

            def progress(fraction: float, message: str = "") -> None:
                self._update(state, progress=max(0.0, min(1.0, float(fraction))), message=message)

            try:
                take = self.execute(self.settings, state.spec, progress, lambda: self._cancelled(state.id))
            except JobCancelled:
                self._finish(state, JobStatus.CANCELLED, "cancelled; nothing was saved")
                return
            except ProjectBusy as exc:  # another process holds the project: wait a little, like a passing failure
                if state.attempts <= RETRIES + 3 and not self._cancelled(state.id):
                    self._update(state, message=f"{exc.problem}; waiting")
                    time.sleep(BACKOFF_S * 2 ** min(state.attempts, 4))
                    continue
                self._finish(state, JobStatus.FAILED, exc.problem, error=f"{exc.problem}. {exc.fix}")
                return
            except AuteurError as exc:  # bad input: trying again gives the same answer
                self._finish(state, JobStatus.FAILED, exc.problem, error=f"{exc.problem}. {exc.fix}")
                return
            except Exception as exc:  # a passing failure: try again, a little later each time
                log.warning("job %s failed: %s", state.id, exc, exc_info=True)
                if state.attempts <= RETRIES and not self._cancelled(state.id):
                    self._update(state, message=f"failed ({redact(str(exc))}); retrying")
                    time.sleep(BACKOFF_S * 2 ** (state.attempts - 1))
                    continue
                self._finish(state, JobStatus.FAILED, f"failed after {state.attempts} tries",
                             error=f"{type(exc).__name__}: {redact(str(exc))}")
                return
            self._finish(state, JobStatus.DONE, "done", progress=1.0, take=take)
            return
