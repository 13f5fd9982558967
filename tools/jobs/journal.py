"""Render jobs sent to Celery, also on disk: a Redis that comes back empty loses no job.

Each job the studio sends is also a small JSON file, ``<workspace>/.auteur/jobs/celery/<id>.json``
(written atomically): its spec, its Celery task id and where it stands (queued, or running on which
worker; a running job's worker touches the file at every beat). The worker that finishes a job removes
it. ``recover`` sends again, once, each job on disk that Redis no longer knows (a plain redis-server
killed and restarted, a flushed database): a queued one at once, a running one when its worker stopped
touching the file. Workers run it when they start and at every beat; the studio when it lists or waits
for jobs. Whoever writes the job's state back first sends it; the others find the state and leave it. The
executor returns the take a job already made, so a job sent twice still makes one take.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from memory.atomic import write_bytes as atomic_write_bytes
from studio.render import JobSpec, JobState, JobStatus
from tools.jobs.board import ALIVE_TTL_S, JobBoard

log = logging.getLogger("auteur.jobs")
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
FINISHED = {s.value for s in JobStatus if s.finished}
Send = Callable[[str, JobSpec], None]  # (Celery task id, spec): puts the job's message on the queue


class Entry(BaseModel):
    state: JobState
    task: str  # the Celery task id its message carries
    submits: int = 1
    worker: str = ""  # the worker's token while it runs the job


class Journal:
    """The jobs sent to Celery and not finished yet, one JSON file each."""

    def __init__(self, workspace: Path) -> None:
        self.folder = workspace / ".auteur" / "jobs" / "celery"

    def path(self, job_id: str) -> Path:
        if not JOB_ID.fullmatch(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.folder / f"{job_id}.json"

    def save(self, entry: Entry) -> None:
        atomic_write_bytes(self.path(entry.state.id), entry.model_dump_json(indent=1).encode())

    def load(self, job_id: str) -> Entry | None:
        try:
            return Entry.model_validate_json(self.path(job_id).read_bytes())
        except (FileNotFoundError, ValueError):
            return None

    def drop(self, job_id: str) -> None:
        self.path(job_id).unlink(missing_ok=True)

    def touch(self, job_id: str) -> None:
        try:
            os.utime(self.path(job_id))
        except (FileNotFoundError, ValueError):
            pass

    def age(self, job_id: str) -> float:
        """Seconds since the job's file was last written or touched."""
        try:
            return time.time() - self.path(job_id).stat().st_mtime
        except (FileNotFoundError, ValueError):
            return float("inf")

    def all(self) -> list[Entry]:
        if not self.folder.is_dir():
            return []
        found = ((p.stem, self.load(p.stem)) for p in sorted(self.folder.glob("*.json")) if JOB_ID.fullmatch(p.stem))
        # A file is a job's only if it says so: one whose job id is not its name was not written by us.
        return [e for name, e in found if e is not None and e.state.id == name]


def recover(board: JobBoard, journal: Journal, send: Send) -> list[str]:
    """Send again the jobs on disk whose message Redis lost; returns their ids.

    Redis knows a job's message when the job's hash has its ``task`` (written with it by the studio, and
    only then). A hash without one was lost and written back by a worker's progress report: that job is
    running, and is sent again only when its worker stopped touching the job's file.
    """
    entries = journal.all()
    if not entries:
        return []
    with board.r.pipeline(transaction=False) as pipe:
        for entry in entries:
            pipe.hmget(board.key(entry.state.id), "status", "task")
        found = pipe.execute()
    back: list[str] = []
    for entry, (status, task) in zip(entries, found):
        job_id = entry.state.id
        if status in FINISHED:
            journal.drop(job_id)  # its worker finished it (and died before removing the file), or it was cancelled
            continue
        if task:
            continue  # Redis has it: its message is on the queue, or taken (lost workers are reclaimed)
        if (status == JobStatus.RUNNING.value or entry.state.status is JobStatus.RUNNING) \
                and journal.age(job_id) < ALIVE_TTL_S:
            continue  # its worker is at it
        key = board.key(job_id)
        if not board.r.hsetnx(key, "task", entry.task):
            continue  # another studio or worker is sending it now
        state = entry.state.model_copy(update={"status": JobStatus.QUEUED, "progress": 0.0, "error": None,
                                               "message": "queued again (Redis had lost it)"})
        try:
            board.r.hset(key, mapping={"submits": entry.submits, "lost": 0})
            board.write(state, force=True)
            board.r.zadd(board.INDEX, {job_id: time.time()})
            send(entry.task, state.spec)
        except Exception:
            try:
                board.r.delete(key)  # not sent: the next look tries again
            except Exception:
                pass
            raise
        journal.save(Entry(state=state, task=entry.task, submits=entry.submits))
        back.append(job_id)
        log.warning("job %s: Redis had lost it; queued again from %s", job_id, journal.folder.name)
    return back

