"""The Celery job runner: the studio's side of render jobs run by `auteur worker` processes.

It behaves like the in-process runner seen from outside. A job's Celery task id
is its job id, so one job submitted twice is one task; a job submitted again
after it was cancelled or failed runs under ``<job id>.<n>``. States live in
Redis (tools.jobs.celery_app.JobBoard), so a restarted studio finds its jobs.
"""

from __future__ import annotations

import time
from typing import Callable, cast

import redis

from config.settings import Settings
from studio.render import JobEvent, JobSpec, JobState, JobStatus
from tools.jobs.celery_app import QUEUE, STATE_TTL_S, TASK, JobBoard, make_app, now, unreachable

REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, OSError)
POLL_S = 1.0


class CeleryRunner:
    name = "celery"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.board = JobBoard(settings.redis_url)
        self._app = None

    @property
    def app(self):
        if self._app is None:
            self._app = make_app(self.settings)
        return self._app

    # ------------------------------------------------------------ the port

    def submit(self, spec: JobSpec) -> JobState:
        self.board.ping()
        key = self.board.key(spec.id)
        try:
            with self.board.r.pipeline() as pipe:
                while True:
                    try:
                        pipe.watch(key)
                        before = cast("dict[str, str]", pipe.hgetall(key))  # the board's client decodes to str
                        existing = self.board.parse(before.get("state"))
                        if existing is not None and existing.status in (JobStatus.QUEUED, JobStatus.RUNNING,
                                                                        JobStatus.DONE):
                            if existing.status is not JobStatus.DONE or self._take_exists(existing):
                                pipe.unwatch()
                                return existing
                        n = int(before.get("submits") or 0) + 1
                        task_id = spec.id if n == 1 else f"{spec.id}.{n}"
                        state = JobState(id=spec.id, spec=spec, created=now(), updated=now(), runner=self.name,
                                         attempts=existing.attempts if existing else 0, message="queued")
                        pipe.multi()
                        pipe.delete(key, self.board.cancel_key(spec.id))
                        pipe.hset(key, mapping={"state": state.model_dump_json(), "status": state.status.value,
                                                "task": task_id, "submits": n, "lost": 0})
                        pipe.expire(key, STATE_TTL_S)
                        pipe.zadd(self.board.INDEX, {spec.id: time.time()})
                        pipe.publish(self.board.channel(spec.id), JobEvent.of(state).model_dump_json())
                        pipe.execute()
                        break
                    except redis.WatchError:
                        continue  # another studio changed it meanwhile: look again
        except REDIS_DOWN as exc:
            raise unreachable(self.settings.redis_url) from exc
        try:
            self.app.send_task(TASK, args=[spec.model_dump(mode="json")], task_id=task_id, queue=QUEUE)
        except Exception as exc:  # the job is not queued: leave no state that says it is
            self._undo(spec.id, before)
            raise unreachable(self.settings.redis_url) from exc
        return state

    def get(self, job_id: str) -> JobState | None:
        try:
            return self.board.load(job_id)
        except REDIS_DOWN as exc:
            raise unreachable(self.settings.redis_url) from exc

    def cancel(self, job_id: str) -> JobState | None:
        try:
            meta = self.board.meta(job_id)
            state = self.board.parse(meta.get("state"))
            if state is None or state.status.finished:
                return state
            self.board.r.set(self.board.cancel_key(job_id), "1", ex=STATE_TTL_S)
            if state.status is JobStatus.QUEUED:
                try:  # workers drop the queued message; a worker that took it already sees the cancel key
                    self.app.control.revoke(meta.get("task") or job_id)
                except Exception:
                    pass
                state.status, state.message = JobStatus.CANCELLED, "cancelled before it started"
                self.board.write(state, only_if=JobStatus.QUEUED)
            return self.board.load(job_id)
        except REDIS_DOWN as exc:
            raise unreachable(self.settings.redis_url) from exc

    def wait(self, job_ids: list[str], *, timeout: float | None = None,
             on_event: Callable[[JobEvent], None] | None = None) -> list[JobState]:
        deadline = None if timeout is None else time.monotonic() + timeout
        seen: dict[str, tuple] = {}

        def emit(event: JobEvent) -> None:
            last = seen.get(event.id)
            if last is not None and last[0].finished and not event.status.finished:
                return  # a late progress report after the job ended
            key = (event.status, round(event.progress, 3), event.message)
            if last != key:
                seen[event.id] = key
                if on_event is not None:
                    on_event(event)

        try:
            pubsub = self.board.r.pubsub(ignore_subscribe_messages=True)
            try:
                if job_ids:
                    pubsub.subscribe(*[self.board.channel(i) for i in job_ids])
                while True:
                    states = [self.board.load(i) for i in job_ids]
                    for s in states:
                        if s is not None:
                            emit(JobEvent.of(s))
                    done = [s for s in states if s is not None]
                    if all(s.status.finished for s in done):
                        return done
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return done
                    until = time.monotonic() + (POLL_S if left is None else min(POLL_S, left))
                    while (rest := until - time.monotonic()) > 0:
                        message = pubsub.get_message(timeout=rest)
                        if message and message.get("type") == "message":
                            try:
                                event = JobEvent.model_validate_json(message["data"])
                            except ValueError:
                                continue
                            emit(event)
                            if event.status.finished:
                                break
            finally:
                pubsub.close()
        except REDIS_DOWN as exc:
            raise unreachable(self.settings.redis_url) from exc

    def jobs(self, project: str | None = None) -> list[JobState]:
        try:
            ids = cast("list[str]", self.board.r.zrange(self.board.INDEX, 0, -1))  # decode_responses: str
            if not ids:
                return []
            with self.board.r.pipeline(transaction=False) as pipe:
                for i in ids:
                    pipe.hget(self.board.key(i), "state")
                raws = pipe.execute()
            gone = [i for i, raw in zip(ids, raws) if not raw]
            if gone:  # their states expired
                self.board.r.zrem(self.board.INDEX, *gone)
        except REDIS_DOWN as exc:
            raise unreachable(self.settings.redis_url) from exc
        states = [s for s in (self.board.parse(r) for r in raws) if s is not None]
        return [s for s in states if project is None or s.spec.project == project]

    # ------------------------------------------------------------ helpers

    def _take_exists(self, state: JobState) -> bool:
        if not state.take:
            return False
        return (self.settings.workspace / state.spec.project / state.take).exists()

    def _undo(self, job_id: str, before: dict[str, str]) -> None:
        """Put the job's state back as it was before a submit that did not reach the queue."""
        key = self.board.key(job_id)
        try:
            with self.board.r.pipeline() as pipe:
                pipe.delete(key)
                if before:
                    # redis types `mapping` as a Mapping keyed by any of its encodable types, and a Mapping's
                    # key type is invariant: it refuses the dict[str, str] it gave us.
                    pipe.hset(key, mapping=before)  # type: ignore[arg-type]
                    pipe.expire(key, STATE_TTL_S)
                else:
                    pipe.zrem(self.board.INDEX, job_id)
                pipe.execute()
        except REDIS_DOWN:
            pass
