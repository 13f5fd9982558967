"""The Celery job runner: the studio's side of render jobs run by `auteur worker` processes.

It behaves like the in-process runner seen from outside. A job's Celery task id
is its job id, so one job submitted twice is one task; a job submitted again
after it was cancelled or failed runs under ``<job id>.<n>``. States live in
Redis (tools.jobs.board.JobBoard), so a restarted studio finds its jobs, and each
job sent is also on disk (tools.jobs.journal) until it is finished: listing or
waiting for jobs sends again the ones a Redis that restarted empty lost.

Redis away for a moment (restarted, a network blip) after this runner reached it:
submitting, waiting and listing try again, a little later each time, for up to
``AUTEUR_REDIS_WAIT_S`` seconds (60 by default), saying "Redis is unreachable;
retrying…"; only then they give up with the fix. A Redis never reached is refused at once.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, cast

import redis

from config.settings import Settings
from studio.errors import AuteurError
from studio.render import JobEvent, JobSpec, JobState, JobStatus
from tools.jobs.board import FIX_UNREACHABLE, REDIS_DOWN, STATE_TTL_S, JobBoard, now, shown_url, unreachable
from tools.jobs.celery_app import QUEUE, TASK, make_app, sender
from tools.jobs.journal import Entry, Journal, recover

log = logging.getLogger("auteur.jobs")
POLL_S = 1.0

RECOVER_EVERY_S = 2.0
RETRYING = "Redis is unreachable; retrying…"


def redis_wait_s(settings: Settings) -> float:
    """How long to wait for a Redis that went away (AUTEUR_REDIS_WAIT_S, 60 s by default)."""
    return max(0.0, float(settings.redis_wait_s))


class CeleryRunner:
    name = "celery"

    def __init__(self, settings: Settings, *, patience_s: float | None = None) -> None:
        self.settings = settings
        self.board = JobBoard(settings.redis_url)
        self.journal = Journal(settings.workspace)
        self.patience_s = redis_wait_s(settings) if patience_s is None else max(0.0, patience_s)
        self._app = None
        self._reached = False  # Redis answered once: from now on an outage is waited out
        self._down_since: float | None = None
        self._tries = 0
        self._recovered = 0.0
        self._last: dict[str, JobState] = {}  # each job's last state seen, answered while Redis is away
        self._undo_first: dict[str, dict[str, str]] = {}  # submits whose message Redis dropped: undone when back

    @property
    def app(self):
        if self._app is None:
            self._app = make_app(self.settings)
        return self._app

    # ------------------------------------------------------------ the port

    def submit(self, spec: JobSpec) -> JobState:
        while True:
            try:
                state = self._submit(spec)
                self._up()
                return state
            except REDIS_DOWN as exc:
                self._outage(exc)

    def _submit(self, spec: JobSpec) -> JobState:
        self.board.r.ping()
        self._up()
        key = self.board.key(spec.id)
        if spec.id in self._undo_first and self._undo(spec.id, self._undo_first[spec.id], quiet=False):
            del self._undo_first[spec.id]
        entry = self.journal.load(spec.id)
        if entry is not None and not self.board.r.exists(key):
            self._recover(force=True)  # Redis lost it: it is sent again, and answered below as under way
            if not self.board.r.exists(key) and not entry.state.status.finished:
                return entry.state  # running on a worker that has not reported since Redis came back
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
                    n = max(int(before.get("submits") or 0), entry.submits if entry else 0) + 1
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
        self.journal.save(Entry(state=state, task=task_id, submits=n))
        try:
            self.app.send_task(TASK, args=[spec.model_dump(mode="json")], task_id=task_id, queue=QUEUE)
        except Exception as exc:  # the job is not queued: leave no state that says it is
            self.journal.drop(spec.id)
            if not self._undo(spec.id, before):
                self._undo_first[spec.id] = before  # Redis went away: undone first when it is back
            try:
                self.board.r.ping()
            except REDIS_DOWN as down:
                raise down from exc  # wait for it, then submit again
            raise unreachable(self.settings.redis_url) from exc
        self._last[spec.id] = state
        return state

    def get(self, job_id: str) -> JobState | None:
        try:
            state = self.board.load(job_id)
            if state is None and self.journal.load(job_id) is not None:
                self._recover(force=True)  # Redis lost it: sent again
                state = self.board.load(job_id)
            self._up()
        except REDIS_DOWN as exc:
            raise unreachable(self.settings.redis_url) from exc
        if state is not None:
            self._last[job_id] = state
        return state

    def cancel(self, job_id: str) -> JobState | None:
        try:
            meta = self.board.meta(job_id)
            state = self.board.parse(meta.get("state"))
            entry = self.journal.load(job_id)
            if state is None and entry is not None:  # Redis lost it: a cancel needs no Redis
                self.journal.drop(job_id)
                return entry.state.model_copy(update={"status": JobStatus.CANCELLED,
                                                      "message": "cancelled before it started"})
            if state is None or state.status.finished:
                return state
            self.board.r.set(self.board.cancel_key(job_id), "1", ex=STATE_TTL_S)
            if state.status is JobStatus.QUEUED:
                try:  # workers drop the queued message; a worker that took it already sees the cancel key
                    self.app.control.revoke(meta.get("task") or job_id)
                except Exception:
                    pass
                state.status, state.message = JobStatus.CANCELLED, "cancelled before it started"
                if self.board.write(state, only_if=JobStatus.QUEUED):
                    self.journal.drop(job_id)
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

        def retrying() -> None:
            for state in self._known(job_ids):
                if not state.status.finished:
                    emit(JobEvent.of(state).model_copy(update={"message": RETRYING}))

        while True:
            try:
                return self._wait(job_ids, deadline, emit)
            except REDIS_DOWN as exc:
                self._outage(exc, retrying)
                if deadline is not None and time.monotonic() >= deadline:
                    return self._known(job_ids)  # as last seen: the caller waits again

    def _wait(self, job_ids: list[str], deadline: float | None, emit: Callable[[JobEvent], None]) -> list[JobState]:
        pubsub = self.board.r.pubsub(ignore_subscribe_messages=True)
        try:
            if job_ids:
                pubsub.subscribe(*[self.board.channel(i) for i in job_ids])
            while True:
                states = self._load(job_ids)
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
            try:
                pubsub.close()
            except REDIS_DOWN:
                pass

    def jobs(self, project: str | None = None) -> list[JobState]:
        while True:
            try:
                self._recover(force=True)
                ids = cast("list[str]", self.board.r.zrange(self.board.INDEX, 0, -1))  # decode_responses: str
                raws = []
                if ids:
                    with self.board.r.pipeline(transaction=False) as pipe:
                        for i in ids:
                            pipe.hget(self.board.key(i), "state")
                        raws = pipe.execute()
                    gone = [i for i, raw in zip(ids, raws) if not raw]
                    if gone:  # their states expired
                        self.board.r.zrem(self.board.INDEX, *gone)
                self._up()
                break
            except REDIS_DOWN as exc:
                self._outage(exc)
        states = {s.id: s for s in (self.board.parse(r) for r in raws) if s is not None}
        for entry in self.journal.all():  # lost by Redis and running still: its worker reports soon
            states.setdefault(entry.state.id, entry.state)
        return [s for s in states.values() if project is None or s.spec.project == project]

    # ------------------------------------------------------------ Redis away, and the jobs it lost

    def _load(self, job_ids: list[str]) -> list[JobState | None]:
        """The jobs' states in Redis; the ones it lost (on disk, not in Redis) are sent again first, and a job
        it lost that is still running (its worker has not reported since) is as the disk has it."""
        self._recover()
        states = [self.board.load(i) for i in job_ids]
        if any(s is None and self.journal.load(i) is not None for i, s in zip(job_ids, states)):
            self._recover(force=True)
            states = [self.board.load(i) or self._on_disk(i) for i in job_ids]
        self._up()
        for s in states:
            if s is not None:
                self._last[s.id] = s
        return states

    def _on_disk(self, job_id: str) -> JobState | None:
        entry = self.journal.load(job_id)
        return entry.state if entry is not None else None

    def _known(self, job_ids: list[str]) -> list[JobState]:
        """Each job as last seen, or as it is on disk: what a wait answers while Redis is away."""
        known = []
        for i in job_ids:
            state = self._last.get(i) or self._on_disk(i)
            if state is not None:
                known.append(state)
        return known

    def _recover(self, *, force: bool = False) -> list[str]:
        """Send again the jobs on disk that Redis lost (at most every RECOVER_EVERY_S unless forced)."""
        if not force and time.monotonic() - self._recovered < RECOVER_EVERY_S:
            return []
        self._recovered = time.monotonic()
        return recover(self.board, self.journal, sender(self.app))

    def _up(self) -> None:
        self._reached, self._down_since, self._tries = True, None, 0

    def _outage(self, exc: BaseException, retrying: Callable[[], None] | None = None) -> None:
        """Redis did not answer: pause (a little longer each time) so that the caller tries again, or, when it was
        never reached or stayed away for ``patience_s``, give up with the fix."""
        t = time.monotonic()
        if self._down_since is None:
            self._down_since = t
        away = t - self._down_since
        if not self._reached:
            raise unreachable(self.settings.redis_url) from exc
        if away >= self.patience_s:
            self._down_since, self._tries = None, 0
            raise AuteurError(f"Redis at {shown_url(self.settings.redis_url)} is unreachable "
                              f"(waited {away:.0f} s for it)",
                              f"{FIX_UNREACHABLE}. The queued jobs are kept on disk and sent again when Redis is "
                              "back: `auteur render jobs` then shows them") from exc
        if self._tries == 0:
            log.warning("%s (for up to %g s)", RETRYING, self.patience_s)
        self._tries += 1
        if retrying is not None:
            retrying()
        time.sleep(max(0.05, min(0.25 * 2 ** self._tries, 5.0, self.patience_s - away)))

    # ------------------------------------------------------------ helpers

    def _take_exists(self, state: JobState) -> bool:
        if not state.take:
            return False
        return (self.settings.workspace / state.spec.project / state.take).exists()

    def _undo(self, job_id: str, before: dict[str, str], *, quiet: bool = True) -> bool:
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
            if not quiet:
                raise
            return False
        return True
