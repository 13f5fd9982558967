"""Render jobs on a real redis-server and real `auteur worker` processes (Celery, pool solo)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.settings import Settings
from studio.errors import AuteurError
from studio.models import Movement, Shot, ShotList
from studio.project import Author
from studio.render import JobStatus, RenderKind
from studio.stages import Stage

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"
AUTEUR = Path(sys.executable).parent / "auteur"
LONG_S = 60.0  # a 60 s animatic is 1440 frames: long enough to kill or cancel it half-way

# A real redis-server is part of the test set-up (scripts/setup.sh installs it): without it these fail, never skip.
assert shutil.which("redis-server"), "redis-server is not installed: run `bash scripts/setup.sh test` (apt redis-server)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(check, timeout: float, what: str, log: Path | None = None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    from tools.jobs.redis_server import command

    # Our own start line (an append-only file in its folder), as docker-compose.yml and README run it.
    proc = subprocess.Popen(command(folder, "--port", str(port), "--save", ""),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port, socket_connect_timeout=1)

        def up():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        until(up, 10, "redis-server to start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def settings(tmp_path_factory, redis_url):
    ws = tmp_path_factory.mktemp("celery") / "workspace"
    return Settings.from_env({"AUTEUR_WORKSPACE": str(ws), "AUTEUR_REDIS_URL": redis_url, "AUTEUR_JOBS": "celery",
                              "AUTEUR_MEMORY": "off", "AUTEUR_USER_NAME": "Dana Director",
                              "AUTEUR_USER_EMAIL": "dana@example.test"})


@pytest.fixture(scope="module")
def store(settings):
    """A project with four shots; shots 2 and 3 last 60 s and have their boards."""
    from config.container import Container
    from memory.workspace import Workspace
    from tools.render.plan import plan

    store = Workspace(settings).create("Last Call")
    store.import_script(SCRIPT.name, SCRIPT.read_bytes())
    shots = [Shot(scene=1, number=1, action="Vera polishes a glass", characters=["VERA"]),
             Shot(scene=1, number=2, movement=Movement.PUSH_IN, duration_s=LONG_S, action="Dekker waits"),
             Shot(scene=1, number=3, movement=Movement.PAN, duration_s=LONG_S, action="Rain on the windows"),
             Shot(scene=1, number=4, action="The envelope on the bar")]
    store.save(Stage.SHOTS, ShotList(shots=shots), author=Author.agent("Cinematographer"), summary="three shots")
    execute = Container(settings).render_executor
    for spec in plan(store, RenderKind.BOARD, settings, tier="sketch", shots=[(1, 2), (1, 3)]).specs:
        execute(settings, spec, lambda f, m="": None, lambda: False)
    return store


class Workers:
    """`auteur worker` processes started by the tests, each in its own process group."""

    def __init__(self, settings: Settings, folder: Path) -> None:
        self.settings, self.folder = settings, folder
        self.procs: list[subprocess.Popen] = []
        self.log = folder / "worker-0.log"

    def start(self, *args: str) -> subprocess.Popen:
        env = {**os.environ, "AUTEUR_WORKSPACE": str(self.settings.workspace),
               "AUTEUR_REDIS_URL": self.settings.redis_url, "AUTEUR_JOBS": "celery", "AUTEUR_MEMORY": "off",
               "AUTEUR_USER_NAME": "Dana Director", "AUTEUR_USER_EMAIL": "dana@example.test"}
        self.log = self.folder / f"worker-{len(self.procs)}.log"
        proc = subprocess.Popen([str(AUTEUR), "worker", "--loglevel", "info", *args], env=env, cwd=self.folder,
                                stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        until(lambda: proc.poll() is not None or "ready." in self.log.read_text(errors="replace"), 60,
              "the worker to start", self.log)
        assert proc.poll() is None, self.log.read_text(errors="replace")
        return proc

    def live(self) -> subprocess.Popen:
        alive = [p for p in self.procs if p.poll() is None]
        return alive[0] if alive else self.start()

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(10)


@pytest.fixture(scope="module")
def workers(settings, store, tmp_path_factory):
    w = Workers(settings, tmp_path_factory.mktemp("workers"))
    try:
        yield w
    finally:
        w.stop_all()


@pytest.fixture
def runner(settings, workers):
    from tools.jobs.celery_runner import CeleryRunner

    workers.live()
    return CeleryRunner(settings)


def takes_of(store, shot: int, job_id: str) -> list[str]:
    folder = store.path / "03_Renders" / "Scene_01" / f"Shot_{shot:03d}"
    found = []
    for sidecar in sorted(folder.glob("*.json")):
        if json.loads(sidecar.read_text()).get("job_id") == job_id:
            found.append(sidecar.name)
    return found


def one_spec(store, settings, kind: RenderKind, shot: int, seed: int):
    from tools.render.plan import plan

    return plan(store, kind, settings, tier="sketch", shots=[(1, shot)], seed=seed).specs[0]


def test_a_board_job_runs_on_a_worker_end_to_end(runner, store, settings, redis_url):
    from tools.jobs.celery_runner import CeleryRunner

    spec = one_spec(store, settings, RenderKind.BOARD, 1, seed=101)
    state = runner.submit(spec)
    assert state.id == spec.id and state.status is JobStatus.QUEUED and state.runner == "celery"
    events = []
    [done] = runner.wait([spec.id], timeout=60, on_event=events.append)
    assert done.status is JobStatus.DONE, done
    assert done.take and (store.path / done.take).is_file() and done.take.startswith("03_Renders/Scene_01/Shot_001/")
    sidecar = json.loads((store.path / done.take).with_suffix(".json").read_text())
    assert sidecar["job_id"] == spec.id and sidecar["seed"] == 101
    statuses = [e.status for e in events]
    assert JobStatus.RUNNING in statuses and statuses[-1] is JobStatus.DONE
    assert any(0 < e.progress for e in events) and all(e.id == spec.id for e in events)

    # The Celery task id is the job id: its result comes to the Redis result backend under that id.
    import redis

    until(lambda: redis.Redis.from_url(redis_url).exists(f"celery-task-meta-{spec.id}"), 10, "the task's result")

    # The same spec again, from a studio started afresh: the same job, no second take.
    again = CeleryRunner(settings)
    assert again.get(spec.id).status is JobStatus.DONE
    resubmitted = again.submit(spec)
    assert resubmitted.id == spec.id and resubmitted.status is JobStatus.DONE and resubmitted.take == done.take
    assert len(takes_of(store, 1, spec.id)) == 1
    assert spec.id in [s.id for s in again.jobs(store.slug)] and again.jobs("another-project") == []


def test_a_worker_killed_mid_job_has_its_job_redone_once(runner, workers, store, settings):
    spec = one_spec(store, settings, RenderKind.CLIP, 2, seed=202)
    assert spec.parameters["frames"] == int(LONG_S * 24)
    first = workers.live()
    runner.submit(spec)
    until(lambda: (s := runner.get(spec.id)) and s.status is JobStatus.RUNNING and s.progress > 0.02, 60,
          "the clip to be running", workers.log)
    os.kill(first.pid, signal.SIGKILL)  # the worker dies mid-job: its message is never acked
    first.wait(10)
    assert runner.get(spec.id).status is JobStatus.RUNNING, "nothing is left to say it stopped"
    workers.start("--gpu", "0")  # one worker per GPU (on a CPU-only machine the sketch tier runs the same)
    events = []
    [done] = runner.wait([spec.id], timeout=150, on_event=events.append)
    assert done.status is JobStatus.DONE, (done, workers.log.read_text()[-3000:])
    assert done.attempts == 2, "one attempt lost with its worker, one more that finished"
    assert any("another worker" in e.message and "on auteur-gpu0@" in e.message for e in events)
    assert takes_of(store, 2, spec.id) == [Path(done.take).with_suffix(".json").name], "exactly one take"
    assert Path(done.take).suffix == ".mp4" and (store.path / done.take).stat().st_size > 0
    assert workers.log.read_text().count("redelivered after a lost worker") == 1


def test_cancel_a_running_and_a_queued_job(runner, workers, store, settings):
    workers.live()
    clip = one_spec(store, settings, RenderKind.CLIP, 3, seed=303)
    board = one_spec(store, settings, RenderKind.BOARD, 1, seed=304)
    runner.submit(clip)
    until(lambda: (s := runner.get(clip.id)) and s.status is JobStatus.RUNNING and s.progress > 0.02, 60,
          "the clip to be running", workers.log)
    queued = runner.submit(board)  # behind the clip on the one worker
    assert queued.status is JobStatus.QUEUED
    assert runner.cancel(board.id).status is JobStatus.CANCELLED
    runner.cancel(clip.id)
    states = {s.id: s for s in runner.wait([clip.id, board.id], timeout=60)}
    assert states[clip.id].status is JobStatus.CANCELLED and states[clip.id].take is None
    assert states[board.id].status is JobStatus.CANCELLED
    assert takes_of(store, 3, clip.id) == [] and takes_of(store, 1, board.id) == []
    assert not list((store.path / "03_Renders" / "Scene_01" / "Shot_003").glob("*.mp4")), "no half-written clip"

    # Asked for again, the cancelled board runs (as a new task: workers forgot nothing of the revoke).
    assert runner.submit(board).status is JobStatus.QUEUED
    [done] = runner.wait([board.id], timeout=60)
    assert done.status is JobStatus.DONE and len(takes_of(store, 1, board.id)) == 1


def test_passing_failures_are_retried_and_bad_input_is_not(runner, store, settings):
    from studio.render import JobSpec

    # A file where the shot's take folder should be: an OSError, tried three times, then failed.
    blocker = store.path / "03_Renders" / "Scene_01" / "Shot_004"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("in the way")
    spec = one_spec(store, settings, RenderKind.BOARD, 4, seed=505)
    runner.submit(spec)
    events = []
    [failed] = runner.wait([spec.id], timeout=60, on_event=events.append)
    assert failed.status is JobStatus.FAILED and failed.attempts == 3, failed
    assert "FileExistsError" in failed.error and "failed after 3 tries" in failed.message
    assert sum("retrying" in e.message for e in events) == 2
    # The cause gone, the same job asked for again runs and makes its take.
    blocker.unlink()
    assert runner.submit(spec).status is JobStatus.QUEUED
    [done] = runner.wait([spec.id], timeout=60)
    assert done.status is JobStatus.DONE and done.attempts == 4 and takes_of(store, 4, spec.id)

    # Bad input (an AuteurError) fails at once, with its fix.
    missing = JobSpec(project="no-such-film", kind=RenderKind.BOARD, scene=1, shot=1, tier="sketch")
    runner.submit(missing)
    [bad] = runner.wait([missing.id], timeout=60)
    assert bad.status is JobStatus.FAILED and bad.attempts == 1, bad
    assert "no-such-film" in bad.error


def test_a_submit_that_does_not_reach_the_queue_leaves_nothing(store, settings, monkeypatch):
    from kombu.exceptions import OperationalError

    from tools.jobs.celery_runner import CeleryRunner

    runner = CeleryRunner(settings)

    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(runner.app, "send_task", down)
    spec = one_spec(store, settings, RenderKind.BOARD, 1, seed=606)
    with pytest.raises(AuteurError, match="unreachable"):
        runner.submit(spec)
    assert runner.get(spec.id) is None and spec.id not in [s.id for s in runner.jobs()]


def test_redis_unreachable_is_refused_with_the_fix(store, settings):
    from dataclasses import replace

    from tools.jobs.celery_runner import CeleryRunner

    closed = replace(settings, redis_url=f"redis://:secret@127.0.0.1:{free_port()}/0")
    runner = CeleryRunner(closed)
    spec = one_spec(store, settings, RenderKind.BOARD, 1, seed=404)
    for call in (lambda: runner.submit(spec), lambda: runner.get(spec.id), lambda: runner.jobs(),
                 lambda: runner.wait([spec.id], timeout=5)):
        with pytest.raises(AuteurError) as err:
            call()
        assert "is unreachable" in err.value.problem and "127.0.0.1" in err.value.problem
        assert "secret" not in err.value.problem, "the password is not shown"
        assert "redis-server" in err.value.fix and "AUTEUR_JOBS=local" in err.value.fix
    assert takes_of(store, 1, spec.id) == []
