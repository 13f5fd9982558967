"""The real studio (`auteur ui`) on a free loopback port, and headless Chromium to drive it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
AUTEUR = Path(sys.executable).parent / "auteur"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LOCAL = ("127.0.0.1", "localhost")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def artifacts_dir() -> Path:
    path = Path(os.environ.get("AUTEUR_TEST_ARTIFACTS") or REPO / "tests" / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


class Server:
    """`auteur ui --port PORT` in a subprocess, with its own workspace."""

    def __init__(self, workspace: Path, log: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workspace = workspace
        self.env = {**os.environ, "AUTEUR_WORKSPACE": str(workspace), "AUTEUR_MODEL": "fake/schema",
                    "AUTEUR_MEMORY": "off", "AUTEUR_USER_NAME": "Dana Director",
                    "AUTEUR_USER_EMAIL": "dana@example.test", **env}
        for key in ("AUTEUR_PASSWORD", "AUTEUR_AUTH_HEADER", "CHAINLIT_AUTH_SECRET"):
            if key not in env:
                self.env.pop(key, None)
        self.log = log
        self.command = [str(AUTEUR), "ui", "--port", str(self.port)]
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> Server:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.workspace.parent, stdout=self.log.open("w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"auteur ui exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.url + "/health", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"auteur ui did not answer in {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    return artifacts_dir()


def running_studio(tmp_path_factory, artifacts, name: str):
    """A studio of its own (workspace and log named ``name``), ready, stopped after the fixture that uses it."""
    server = Server(tmp_path_factory.mktemp(name) / "workspace", artifacts / f"{name}_server.log").start()
    server.wait_ready()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def studio(tmp_path_factory, artifacts):
    """One studio for the module's chats (each test opens a new chat)."""
    yield from running_studio(tmp_path_factory, artifacts, "studio")


@pytest.fixture(scope="module")
def browser():
    """Chromium for one module. Playwright's sync API runs an event loop in this thread while it is open,
    and crewAI refuses to run inside one: it closes before any other test runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request, artifacts):
    """A fresh browser context (a new chat). Fails the test if the page asks anything of the internet."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    outside: list[str] = []

    def watch(req) -> None:
        url = urlparse(req.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL:
            outside.append(req.url)

    page.on("request", watch)
    yield page
    page.screenshot(path=str(artifacts / f"{request.node.name}_end.png"), full_page=True)
    context.close()
    assert not outside, f"the page reached outside this machine: {outside}"
