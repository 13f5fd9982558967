"""Redis killed with SIGKILL: queued render jobs are not lost, none runs twice, and a wait rides out a short outage.

The worst case is the user's plain `redis-server` (no AOF, no snapshot): a restart comes back empty. The jobs'
journal on disk (``<workspace>/.auteur/jobs/celery/``) is what brings them back. Real redis-server, real
`auteur worker` processes, sketch renders.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

from config.settings import Settings
from studio.models import Movement, Shot, ShotList
from studio.project import Author
from studio.render import JobStatus, RenderKind
from studio.stages import Stage
from tests.integration.test_celery_jobs import SCRIPT, Workers, free_port, until

REPO = Path(__file__).resolve().parents[2]
SHOTS = 12


class Redis:
    """One redis-server on a fixed port and folder, started, killed and started again by a test."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.folder, self.port, self.args = folder, free_port(), list(args)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=1)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(["redis-server", *self.args, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def up():
            import redis

            try:
                return self.client().ping()
            except (redis.ConnectionError, redis.BusyLoadingError):
                return False

        until(up, 10, "redis-server to start")

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.kill()


PLAIN = ("--save", "", "--appendonly", "no")  # the user's plain redis: a restart comes back empty


@pytest.fixture
def redis_server(tmp_path):
    server = Redis(tmp_path / "redis", *PLAIN)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path, redis_server):
    return Settings.from_env({"AUTEUR_WORKSPACE": str(tmp_path / "workspace"), "AUTEUR_REDIS_URL": redis_server.url,
                              "AUTEUR_JOBS": "celery", "AUTEUR_MEMORY": "off", "AUTEUR_USER_NAME": "Dana Director",
                              "AUTEUR_USER_EMAIL": "dana@example.test"})


@pytest.fixture
def store(settings):
    from memory.workspace import Workspace

    store = Workspace(settings).create("Last Call")
    store.import_script(SCRIPT.name, SCRIPT.read_bytes())
    shots = [Shot(scene=1, number=n, action=f"Vera polishes glass {n}") for n in range(1, SHOTS + 1)]
    shots[0] = Shot(scene=1, number=1, movement=Movement.PUSH_IN, duration_s=20.0, action="Dekker waits")
    store.save(Stage.SHOTS, ShotList(shots=shots), author=Author.agent("Cinematographer"), summary="shots")
    return store


@pytest.fixture
def workers(settings, tmp_path):
    w = Workers(settings, tmp_path)
    try:
        yield w
    finally:
        w.stop_all()


def board_specs(store, settings, shots):
    from tools.render.plan import plan

    return plan(store, RenderKind.BOARD, settings, tier="sketch", shots=[(1, n) for n in shots]).specs


def takes(store) -> dict[str, list[str]]:
    """Every take's sidecar under 03_Renders, by the job that made it."""
    found: dict[str, list[str]] = {}
    for sidecar in sorted((store.path / "03_Renders").glob("Scene_*/Shot_*/*.json")):
        found.setdefault(json.loads(sidecar.read_text())["job_id"], []).append(sidecar.name)
    return found


def test_queued_jobs_survive_a_redis_that_comes_back_empty(redis_server, settings, store, workers):
    from tools.jobs.celery_runner import CeleryRunner

    specs = board_specs(store, settings, range(1, SHOTS + 1))
    runner = CeleryRunner(settings)
    assert all(runner.submit(spec).status is JobStatus.QUEUED for spec in specs)  # no worker yet: all queued
    assert len(specs) == SHOTS and len({s.id for s in specs}) == SHOTS

    redis_server.kill()
    redis_server.start()
    assert redis_server.client().dbsize() == 0, "the plain redis came back empty: the queue is gone"

    # A worker started now finds the lost jobs on disk and queues them again, with no studio asking.
    workers.start()
    until(lambda: len(takes(store)) >= SHOTS, 90, "every lost job to be rendered", workers.log)

    # The studio's wait (a fresh one: nothing in memory) sees them all done.
    states = CeleryRunner(settings).wait([s.id for s in specs], timeout=60)
    assert sorted(s.id for s in states) == sorted(s.id for s in specs)
    assert all(s.status is JobStatus.DONE for s in states), [(s.id, s.status, s.message) for s in states]
    made = takes(store)
    assert {job: len(names) for job, names in made.items()} == {s.id: 1 for s in specs}, "one take per job"
    assert not list((settings.workspace / ".auteur" / "jobs" / "celery").glob("*.json")), "the journal is empty"


def test_the_studio_requeues_lost_jobs_and_its_wait_rides_out_the_outage(redis_server, settings, store, workers):
    """A busy worker, jobs queued behind it, Redis killed and back (empty) two seconds later: the wait the CLI
    uses (RenderService.follow: short waits in a loop) goes on, ends with every job done, one take each."""
    from tools.jobs.celery_runner import CeleryRunner
    from tools.render.plan import plan
    from tools.render.service import RenderService

    from config.container import Container

    [board] = board_specs(store, settings, [1])  # the clip's board, made here: the clip needs it
    Container(settings).render_executor(settings, board, lambda f, m="": None, lambda: False)
    workers.start()
    runner = CeleryRunner(settings)
    clip = plan(store, RenderKind.CLIP, settings, tier="sketch", shots=[(1, 1)]).specs[0]
    specs = [clip, *board_specs(store, settings, range(2, 8))]
    states = [runner.submit(spec) for spec in specs]
    until(lambda: (s := runner.get(clip.id)) and s.status is JobStatus.RUNNING and s.progress > 0.05, 60,
          "the clip to be running", workers.log)

    def outage() -> None:
        redis_server.kill()
        time.sleep(2)
        redis_server.start()

    killer = threading.Thread(target=outage)
    killer.start()
    events, finals = [], None
    for item in RenderService(settings, lambda: runner).follow(states, timeout=150):
        if isinstance(item, list):
            finals = item
        else:
            events.append(item)
    killer.join()
    assert finals is not None and sorted(s.id for s in finals) == sorted(s.id for s in specs)
    assert all(s.status is JobStatus.DONE for s in finals), [(s.id, s.status, s.message) for s in finals]
    assert any("Redis is unreachable; retrying" in e.message for e in events), "the wait said what it waits for"
    [done_clip] = [s for s in finals if s.id == clip.id]
    assert done_clip.attempts == 1, "the clip under way rendered on through the outage: it was not started again"
    made = takes(store)
    assert made.pop(board.id) == ["S01_SH001_take01.json"]
    assert {job: len(names) for job, names in made.items()} == {s.id: 1 for s in specs}, "one take per job"


def test_a_redis_that_stays_gone_ends_the_wait_with_a_clear_message(redis_server, settings, store):
    from studio.errors import AuteurError
    from tools.jobs.celery_runner import CeleryRunner

    [spec] = board_specs(store, settings, [3])
    runner = CeleryRunner(settings, patience_s=3)
    runner.submit(spec)
    redis_server.kill()
    notes = []
    with pytest.raises(AuteurError) as err:
        runner.wait([spec.id], timeout=60, on_event=notes.append)
    assert "is unreachable" in err.value.problem and str(settings.workspace) not in str(err.value)
    assert "kept" in err.value.fix and "redis-server" in err.value.fix
    assert any("retrying" in n.message for n in notes)
    # Nothing was lost meanwhile: the job waits on disk for the next Redis.
    assert (settings.workspace / ".auteur" / "jobs" / "celery" / f"{spec.id}.json").is_file()


def our_redis_lines() -> dict[str, list[str]]:
    """Every redis-server start line of ours: docker-compose's and tools.jobs.redis_server's."""
    from tools.jobs.redis_server import command

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["redis"]["command"]
    compose = shlex.split(compose) if isinstance(compose, str) else list(compose)
    return {"docker-compose.yml": compose, "tools.jobs.redis_server": command(Path("DATA"))}


@pytest.mark.parametrize("where", ["docker-compose.yml", "tools.jobs.redis_server"])
def test_our_redis_start_lines_keep_an_append_only_file(where, tmp_path):
    line = our_redis_lines()[where]
    assert line[0] == "redis-server"
    args = [a for a in line[1:]]
    for flag in ("--dir", "--port", "--bind"):  # the test's own folder and port
        if flag in args:
            i = args.index(flag)
            del args[i:i + 2]
    server = Redis(tmp_path / "data", *args)
    server.start()
    try:
        server.client().set("auteur:probe", "kept")  # in the append-only file before the answer comes
        assert list((tmp_path / "data").glob("appendonly*")), f"{where}: no append-only file"
        server.kill()
        server.start()
        assert server.client().get("auteur:probe") == b"kept", f"{where}: a SIGKILL lost a write"
    finally:
        server.stop()


def test_auteur_redis_keeps_its_append_only_file_in_the_workspace(tmp_path):
    """`auteur redis`, as README tells a person to start Redis: a write survives a SIGKILL."""
    import sys

    import redis

    workspace, port = tmp_path / "workspace", free_port()
    env = {**os.environ, "AUTEUR_WORKSPACE": str(workspace)}
    auteur = Path(sys.executable).parent / "auteur"

    def start() -> subprocess.Popen:
        proc = subprocess.Popen([str(auteur), "redis", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def up():
            try:
                return redis.Redis(port=port, socket_connect_timeout=1).ping()
            except (redis.ConnectionError, redis.BusyLoadingError):
                return False

        until(up, 20, "auteur redis to start")
        return proc

    proc = start()
    try:
        redis.Redis(port=port).set("auteur:probe", "kept")
        assert list((workspace / ".auteur" / "redis").glob("appendonly*")), "no append-only file in the workspace"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        proc = start()
        assert redis.Redis(port=port).get("auteur:probe") == b"kept"
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_the_journal_takes_only_files_that_are_what_their_name_says(tmp_path):
    """A file dropped in the journal's folder whose job id is not its name (or no job id at all) is not sent."""
    from studio.render import JobSpec, JobState
    from tools.jobs.journal import Entry, Journal

    journal = Journal(tmp_path)
    spec = JobSpec(project="night-shift", kind="board", scene=1, shot=1)
    journal.save(Entry(state=JobState(id="abc123", spec=spec), task="abc123"))
    journal.folder.joinpath("ffff00.json").write_text(
        Entry(state=JobState(id="../../x; rm -rf ~", spec=spec), task="t").model_dump_json())
    journal.folder.joinpath("eeee00.json").write_text("not json")
    assert [e.state.id for e in journal.all()] == ["abc123"]
