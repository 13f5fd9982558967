"""The job board in Redis, shared by the studio and the workers: each job's state, its events, its cancel.

Each job's state is a hash ``auteur:job:<id>`` (kept for days), its progress goes out on the
pub/sub channel ``auteur:events:<id>``, and a cancel is the key ``auteur:job:<id>:cancel``.
"""

from __future__ import annotations

import re
import time
from typing import cast

import redis

from studio.errors import AuteurError
from studio.render import JobEvent, JobState, JobStatus

STATE_TTL_S = 7 * 24 * 3600  # job states, cancels and results are kept this long
ALIVE_TTL_S = 15  # a worker whose beat is this old is taken for dead and its job is redone
CONNECT_TIMEOUT_S = 2.0
FIX_UNREACHABLE = "start redis-server, set AUTEUR_REDIS_URL, or use AUTEUR_JOBS=local"
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, OSError)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def shown_url(url: str) -> str:
    """The Redis URL without its password."""
    return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", url)


def unreachable(url: str) -> AuteurError:
    return AuteurError(f"Redis at {shown_url(url)} is unreachable", FIX_UNREACHABLE)


# Write a job's state and publish it; a finished state is not replaced by an unfinished one
# (a late progress report after a cancel) unless forced (a new submission).
_WRITE = """
local cur = redis.call('HGET', KEYS[1], 'status')
if ARGV[3] == '0' and (cur == 'done' or cur == 'failed' or cur == 'cancelled')
   and not (ARGV[2] == 'done' or ARGV[2] == 'failed' or ARGV[2] == 'cancelled') then
  return 0
end
if ARGV[6] ~= '' and cur ~= ARGV[6] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'status', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', KEYS[2], ARGV[5])
return 1
"""


class JobBoard:
    """Job states, cancels and events in Redis, shared by the studio and the workers."""

    INDEX = "auteur:jobs"

    def __init__(self, url: str, *, patient: bool = False) -> None:
        from redis.backoff import ExponentialBackoff, NoBackoff
        from redis.retry import Retry

        self.url = url
        # The studio answers at once when Redis is down; a worker waits a little for it to come back.
        retry = Retry(ExponentialBackoff(cap=5), 5) if patient else Retry(NoBackoff(), 1)
        self.r = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=30,
                                      retry=retry, decode_responses=True)  # its answers are str, not bytes
        self._write = self.r.register_script(_WRITE)

    @staticmethod
    def key(job_id: str) -> str:
        return f"auteur:job:{job_id}"

    @staticmethod
    def cancel_key(job_id: str) -> str:
        return f"auteur:job:{job_id}:cancel"

    @staticmethod
    def channel(job_id: str) -> str:
        return f"auteur:events:{job_id}"

    @staticmethod
    def alive_key(worker: str) -> str:
        return f"auteur:worker:{worker}"

    def ping(self) -> None:
        try:
            self.r.ping()
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise unreachable(self.url) from exc

    def meta(self, job_id: str) -> dict[str, str]:
        return cast("dict[str, str]", self.r.hgetall(self.key(job_id)))  # decode_responses: str fields

    def load(self, job_id: str) -> JobState | None:
        raw = self.r.hget(self.key(job_id), "state")
        return self.parse(raw)

    @staticmethod
    def parse(raw: str | bytes | None) -> JobState | None:
        if not raw:
            return None
        try:
            return JobState.model_validate_json(raw)
        except ValueError:
            return None

    def write(self, state: JobState, *, force: bool = False, only_if: JobStatus | None = None) -> bool:
        state.updated = now()
        event = JobEvent.of(state).model_dump_json()
        done = self._write(keys=[self.key(state.id), self.channel(state.id)],
                           args=[state.model_dump_json(), state.status.value, "1" if force else "0", STATE_TTL_S,
                                 event, only_if.value if only_if else ""])
        return bool(done)

    def cancelled(self, job_id: str) -> bool:
        return bool(self.r.exists(self.cancel_key(job_id)))

