"""Render jobs on Celery and Redis: the app, its one task, the job board in Redis, and `auteur worker`.

Redis is the broker, the result backend and the job board (tools.jobs.board). Each
job sent is also on disk (tools.jobs.journal) until a worker finishes it: a worker
sends again, when it starts and at every beat, the jobs a Redis restarted empty lost.

A worker is one process, one job at a time (pool solo, prefetch 1), acking a
message only when its job has finished (acks late). A worker killed mid-job
leaves its message unacked: every worker beats a short-lived "alive" key, and
puts back at once the messages of a worker whose beat stopped, so another
worker redoes the job; the executor returns the take a job already made, so a
redone job never makes a second take. Redis's own visibility timeout
(VISIBILITY_TIMEOUT_S) stays as the last resort, long enough for any render.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from typing import Any, cast

import redis
from celery import Celery

from config.runtime import pin_gpu
from config.settings import Settings
from studio.errors import AuteurError, redact
from studio.render import JobCancelled, JobSpec, JobState, JobStatus
from tools.jobs.board import ALIVE_TTL_S, CONNECT_TIMEOUT_S, REDIS_DOWN, STATE_TTL_S, JobBoard, now
from tools.jobs.journal import Entry, Journal, recover
from tools.jobs.local import Execute, standalone_executor

log = logging.getLogger("auteur.jobs")

TASK = "auteur.render"
QUEUE = "renders"
VISIBILITY_TIMEOUT_S = 12 * 3600  # an unacked message returns to the queue after this long, whatever happens
BEAT_EVERY_S = 3.0
RECLAIM_GRACE_S = 60  # a taken message whose job never started, after this long, goes back to the queue
RETRIES = 2  # a job that fails for a passing reason (not an AuteurError) is tried this many more times
BACKOFF_S = 1.0
LOST_LIMIT = 2  # a job whose worker died this many times fails instead of killing another worker

# ---------------------------------------------------------------- the app and its task


class Node:
    """Who this worker process is: its Celery name and its token in the alive keys."""

    def __init__(self, hostname: str = "") -> None:
        self.hostname = hostname or f"auteur@{socket.gethostname()}"
        self.token = f"{self.hostname}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.job: str | None = None  # the job it runs now: its file in the journal is touched at every beat


def make_app(settings: Settings, execute: Execute | None = None) -> Celery:
    """The Celery app on ``settings.redis_url`` with the render task registered; ``execute`` runs the jobs
    (a worker's; the studio's side only sends them)."""
    url = settings.redis_url
    app = Celery("auteur", broker=url, backend=url, set_as_current=False)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        result_accept_content=["json"], event_serializer="json",
        task_default_queue=QUEUE,
        task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1, worker_concurrency=1, worker_pool="solo",
        worker_send_task_events=False, task_send_sent_event=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_S,
                                  "socket_connect_timeout": CONNECT_TIMEOUT_S, "socket_keepalive": True},
        broker_connection_timeout=CONNECT_TIMEOUT_S,
        broker_connection_retry_on_startup=True,
        redis_socket_connect_timeout=CONNECT_TIMEOUT_S, redis_socket_timeout=30,
        result_expires=STATE_TTL_S,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                   "interval_max": 0.5},
        enable_utc=True,
    )
    app.auteur_node = Node()
    app.auteur_board = None
    app.auteur_execute = execute

    @app.task(bind=True, name=TASK, acks_late=True, reject_on_worker_lost=True, max_retries=RETRIES)
    def render(self, spec: dict[str, Any]) -> dict[str, Any]:
        if app.auteur_board is None:
            app.auteur_board = JobBoard(url, patient=True)
        if app.auteur_execute is None:
            app.auteur_execute = standalone_executor(settings)
        return run_task(self, settings, app.auteur_board, app.auteur_node, JobSpec.model_validate(spec),
                        app.auteur_execute)

    return app


def run_task(task, settings: Settings, board: JobBoard, node: Node, spec: JobSpec,
             execute: Execute) -> dict[str, Any]:
    """One attempt at one job on this worker; the job's state in Redis says how it went."""
    job_id, task_id = spec.id, task.request.id
    meta = board.meta(job_id)
    if meta.get("task") and meta["task"] != task_id:
        return {"status": "stale", "task": task_id}  # a message of an earlier submission of the job
    state = board.parse(meta.get("state"))
    if state is None:  # sent by something other than CeleryRunner.submit
        state = JobState(id=job_id, spec=spec, created=now(), runner="celery")
        board.r.zadd(board.INDEX, {job_id: time.time()})
    if board.cancelled(job_id):
        state.status, state.message = JobStatus.CANCELLED, "cancelled before it started"
        board.write(state)
        return {"status": state.status.value}
    if state.status is JobStatus.DONE and state.take and (settings.workspace / spec.project / state.take).exists():
        return {"status": "done", "take": state.take}
    lost = int(meta.get("lost") or 0)
    message = "started"
    if state.status is JobStatus.RUNNING:  # the attempt before this one never finished: its worker died
        lost = int(board.r.hincrby(board.key(job_id), "lost", 1))
        times = "" if lost == 1 else f" {lost} times"
        message = f"started again on another worker (the one running it was lost{times})"
        log.warning("job %s: redelivered after a lost worker (%d)", job_id, lost)
        if lost > LOST_LIMIT:
            state.status, state.message = JobStatus.FAILED, f"failed: {lost} workers died running it"
            state.error = (f"the workers running {spec.label} stopped {lost} times (out of memory, or killed). "
                           "Try a lower quality tier, or check the workers' logs")
            board.write(state)
            return {"status": state.status.value}
    board.r.hset(board.key(job_id), mapping={"worker": node.token, "task": task_id})
    state.status, state.attempts, state.progress, state.message, state.error = \
        JobStatus.RUNNING, state.attempts + 1, 0.0, f"{message} on {node.hostname}", None
    state.runner = "celery"
    board.write(state)
    journal = Journal(settings.workspace)
    entry = Entry(state=state, task=task_id, submits=int(meta.get("submits") or 1), worker=node.token)
    on_disk(journal.save, entry)
    node.job = job_id
    report = Reporter(board, state, journal, entry)

    try:
        take = execute(settings, spec, report.progress, report.cancelled, job_id=job_id)
    except JobCancelled:
        report.finish(JobStatus.CANCELLED, "cancelled; nothing was saved")
    except AuteurError as exc:  # bad input: trying again gives the same answer
        report.finish(JobStatus.FAILED, exc.problem, error=f"{exc.problem}. {exc.fix}")
    except Exception as exc:  # a passing failure: try again, a little later each time
        log.warning("job %s failed: %s", job_id, exc, exc_info=True)
        tries = task.request.retries
        if tries < RETRIES and not board.cancelled(job_id):
            wait = BACKOFF_S * 2 ** tries
            report.finish(JobStatus.QUEUED, f"failed ({redact(str(exc))}); retrying in {wait:g} s")
            raise task.retry(exc=exc, countdown=wait) from exc
        report.finish(JobStatus.FAILED, f"failed after {state.attempts} tries", error=f"{type(exc).__name__}: {redact(str(exc))}")
    else:
        report.finish(JobStatus.DONE, "done", progress=1.0, take=take)
    finally:
        node.job = None
    return {"status": state.status.value, "take": state.take}


def on_disk(write, *args) -> None:
    """A journal write: a full disk must not fail the render (Redis still has the job)."""
    try:
        write(*args)
    except OSError:
        log.warning("could not update the jobs' journal on disk", exc_info=True)


class Reporter:
    """Progress to Redis (at most ten writes a second) and cancel from it (checked as often). Redis away
    does not stop the render: progress waits for it to come back, and the end is written when it is."""

    EVERY_S = 0.1
    AWAY_S = 1.0  # Redis did not answer: it is asked again after this long
    FINISH_WAIT_S = 60.0  # how long the end of a job waits for Redis (then the journal on disk sends it again)

    def __init__(self, board: JobBoard, state: JobState, journal: Journal | None = None,
                 entry: Entry | None = None) -> None:
        self.board, self.state = board, state
        self.journal, self.entry = journal, entry
        self._sent = 0.0
        self._checked = 0.0
        self._cancel = False
        self._away_until = 0.0

    def _reach(self, call, *args, **kwargs):
        """``call`` on Redis, or None while it is away."""
        if time.monotonic() < self._away_until:
            return None
        try:
            return call(*args, **kwargs)
        except REDIS_DOWN:
            log.warning("job %s: Redis is unreachable; rendering on", self.state.id)
            self._away_until = time.monotonic() + self.AWAY_S
            return None

    def progress(self, fraction: float, message: str = "") -> None:
        fraction = max(0.0, min(1.0, float(fraction)))
        t = time.monotonic()
        if t - self._sent < self.EVERY_S and fraction < 1.0:
            self.state.progress, self.state.message = fraction, message or self.state.message
            return
        self._sent = t
        self.state.progress, self.state.message = fraction, message or self.state.message
        self._reach(self.board.write, self.state)

    def cancelled(self) -> bool:
        t = time.monotonic()
        if not self._cancel and t - self._checked >= self.EVERY_S:
            self._checked = t
            self._cancel = bool(self._reach(self.board.cancelled, self.state.id))
        return self._cancel

    def finish(self, status: JobStatus, message: str, **changes) -> None:
        self.state.status, self.state.message = status, message
        for k, v in changes.items():
            setattr(self.state, k, v)
        end = time.monotonic() + self.FINISH_WAIT_S
        while True:
            try:
                self.board.write(self.state)
                break
            except REDIS_DOWN:
                if time.monotonic() > end:
                    raise
                time.sleep(self.AWAY_S)
        if self.journal is not None and self.entry is not None:  # the board has it: now the disk
            if status.finished:
                on_disk(self.journal.drop, self.state.id)
            else:  # queued for another try
                on_disk(self.journal.save, self.entry.model_copy(update={"state": self.state, "worker": ""}))


# ---------------------------------------------------------------- lost workers


def reclaim(channel, board: JobBoard) -> list[str]:
    """Put back on the queue the messages of jobs whose worker died; returns their task ids.

    ``channel`` is a kombu channel on the broker: its QoS keeps the taken (unacked) messages.
    One worker at a time does this, under the lock kombu's own restore uses.
    """
    back: list[str] = []
    if not board.r.hlen(channel.unacked_key):
        return back
    lock = board.r.lock(channel.unacked_mutex_key, timeout=channel.unacked_mutex_expire)
    if not lock.acquire(blocking=False):
        return back  # another worker is at it
    try:
        taken = cast("dict[str, str]", board.r.hgetall(channel.unacked_key))  # decode_responses: str
        since = dict(cast("list[tuple[str, float]]",  # (delivery tag, when it was taken)
                          board.r.zrange(channel.unacked_index_key, 0, -1, withscores=True)))
        for tag, raw in taken.items():
            try:
                headers = json.loads(raw)[0].get("headers") or {}
            except (ValueError, IndexError, AttributeError):
                continue
            task_id = headers.get("id")
            if headers.get("task") != TASK or not task_id:
                continue
            age = time.time() - float(since.get(tag, time.time()))
            meta = board.meta(task_id.split(".")[0])
            if meta.get("status") == JobStatus.RUNNING.value and meta.get("task") == task_id:
                if not meta.get("worker") or board.r.exists(board.alive_key(meta["worker"])):
                    continue  # its worker is alive and at it
                if age < ALIVE_TTL_S - BEAT_EVERY_S:
                    continue  # taken again since its worker died; the new one is about to start it
            elif age < RECLAIM_GRACE_S:
                continue  # just taken: its worker is about to start it
            channel.qos.restore_by_tag(tag)  # to the front of the queue
            back.append(task_id)
            log.warning("job %s: its worker is gone; put back on the queue", task_id)
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:
            pass
    return back


def sender(app: Celery):
    """Puts a job's message on the queue (the journal's recover sends with it)."""
    def send(task_id: str, spec: JobSpec) -> None:
        app.send_task(TASK, args=[spec.model_dump(mode="json")], task_id=task_id, queue=QUEUE)
    return send


def keep_alive(app: Celery, board: JobBoard, node: Node, stop: threading.Event,
               journal: Journal | None = None) -> None:
    """Beat this worker's alive key (and its job's file), put back the jobs of workers that stopped beating,
    and send again the jobs on disk that Redis lost."""
    conn = None
    while True:
        if journal is not None and node.job:
            journal.touch(node.job)  # on disk: it goes on while Redis is away
        try:
            board.r.set(board.alive_key(node.token), node.hostname, ex=ALIVE_TTL_S)
            if conn is None:
                conn = app.connection_for_write()
            reclaim(conn.default_channel, board)
            if journal is not None:
                recover(board, journal, sender(app))
        except Exception:  # Redis away for a moment: the next beat tries again
            log.debug("keep-alive failed", exc_info=True)
            if conn is not None:
                conn.release()
                conn = None
        if stop.wait(BEAT_EVERY_S):
            if conn is not None:
                conn.release()
            return


# ---------------------------------------------------------------- `auteur worker`


def run_worker(settings: Settings, *, execute: Execute | None = None, gpu: str | None = None,
               queues: list[str] | None = None, loglevel: str = "info") -> None:
    """One worker process, one job at a time; ``gpu`` pins it to one CUDA device. ``execute`` runs the jobs:
    the container's, made once for the process (config.container.Container.run_worker)."""
    if gpu is not None:
        gpu = gpu.strip()
        if not gpu or "," in gpu:
            raise AuteurError(f"--gpu {gpu!r} names no single GPU",
                              "start one worker per GPU: `auteur worker --gpu 0`, `auteur worker --gpu 1`, …")
        pin_gpu(gpu)  # before anything loads torch
    board = JobBoard(settings.redis_url, patient=True)
    board.ping()
    settings.workspace.mkdir(parents=True, exist_ok=True)
    app = make_app(settings, execute)
    name = f"auteur-gpu{gpu}" if gpu is not None else "auteur-cpu"
    node = Node(f"{name}@{socket.gethostname()}")
    app.auteur_node, app.auteur_board = node, board
    journal = Journal(settings.workspace)
    resent = recover(board, journal, sender(app))  # the jobs a Redis that restarted empty lost
    if resent:
        log.warning("worker %s: %d job(s) Redis had lost queued again from disk", node.hostname, len(resent))
    stop = threading.Event()
    beat = threading.Thread(target=keep_alive, args=(app, board, node, stop, journal), name="auteur-alive",
                            daemon=True)
    beat.start()
    log.info("worker %s: workspace %s, queues %s", node.hostname, settings.workspace, ", ".join(queues or [QUEUE]))
    try:
        worker = app.Worker(hostname=node.hostname, queues=queues or [QUEUE], pool="solo", concurrency=1,
                            loglevel=loglevel.upper(), prefetch_multiplier=1, without_gossip=True,
                            without_mingle=True, optimization="fair")
        worker.start()
    finally:
        stop.set()
        try:
            board.r.delete(board.alive_key(node.token))
        except Exception:
            pass
    code = getattr(worker, "exitcode", 0)
    if code:
        raise SystemExit(code)
