"""How the studio holds up under many chats: a real `auteur ui` on `fake/schema`, driven by Socket.IO clients
that connect as Chainlit's page does (not Chromium pages, so 50 chats fit on a laptop).

Prints, for 10, 20 and 50 concurrent chats: the time from a message to the first event the page shows
(p50, p95), and the server's memory (RSS of the `auteur ui` process) with the chats open and after they
close; then, with about 50 render jobs queued in the server (sketch boards and animatic clips of a screenplay
drafted to its shot list), the first-event p50/p95 of 10 more chats, the server's memory, and how long the
queue takes to empty. Not a test.
Run: .venv/bin/python bench/load.py [--chats 10,20,50] [--message "status"] [--jobs 50 | --jobs 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser.conftest import Server  # noqa: E402

IDEA = "A night-shift nurse finds a letter from her younger self in the hospital's lost and found."
SHOWN = ("new_message", "stream_start")  # what puts a step on the page


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Chat:
    """One chat as Chainlit's page opens it: a Socket.IO connection with a session id, then the hooks."""

    def __init__(self, url: str) -> None:
        import socketio

        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.shown: asyncio.Queue[tuple[str, float]] = asyncio.Queue()
        self.greeted = asyncio.Event()
        self.idle = asyncio.Event()
        for name in SHOWN:
            self.sio.on(name, self._handler(name))
        self.sio.on("task_end", lambda *_: self.idle.set())
        self.sio.on("task_start", lambda *_: self.idle.clear())

    def _handler(self, name: str):
        async def on(data=None, *_):
            if not isinstance(data, dict) or not (data.get("output") or data.get("type") != "run"):
                return  # the hook's own run step: nothing a person reads
            if not data.get("output") and name == "new_message":
                return
            self.greeted.set()
            await self.shown.put((name, time.perf_counter()))
        return on

    async def open(self) -> None:
        auth = {"sessionId": str(uuid.uuid4()), "clientType": "webapp", "threadId": None, "userEnv": "{}",
                "chatProfile": None}
        await self.sio.connect(self.url, socketio_path="/ws/socket.io", transports=["websocket"], auth=auth,
                               headers={"Origin": self.url}, wait_timeout=60)
        await self.sio.emit("connection_successful")
        await asyncio.wait_for(self.greeted.wait(), 120)

    async def say(self, text: str) -> float:
        """Send ``text``; the seconds until the page shows the first step of the answer."""
        while not self.shown.empty():
            self.shown.get_nowait()
        message = {"id": str(uuid.uuid4()), "threadId": "", "name": "Director", "type": "user_message",
                   "output": text, "createdAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
        sent = time.perf_counter()
        await self.sio.emit("client_message", {"message": message, "fileReferences": None})
        _, at = await asyncio.wait_for(self.shown.get(), 300)
        return at - sent

    async def close(self) -> None:
        await self.sio.emit("clear_session")  # as the page does when a chat is left for a new one
        await self.sio.disconnect()


async def round_of(url: str, pid: int, chats: int, text: str, *, close_as_page: bool) -> dict:
    opened = [Chat(url) for _ in range(chats)]
    await asyncio.gather(*(c.open() for c in opened))
    await asyncio.sleep(1.0)  # the greetings and settings panels are all out
    firsts = await asyncio.gather(*(c.say(text) for c in opened))
    await asyncio.gather(*(asyncio.wait_for(c.idle.wait(), 600) for c in opened), return_exceptions=True)
    open_mb = rss_mb(pid)
    for c in opened:
        if close_as_page:
            await c.close()
        else:
            await c.sio.disconnect()  # the tab closed: no clear_session
    return {"chats": chats, "p50_ms": statistics.median(firsts) * 1000, "p95_ms": percentile(firsts, 95) * 1000,
            "open_mb": open_mb}


def prepare_project(workspace: Path) -> tuple[str, int]:
    """A project drafted to its shot list, before the server starts (in the same workspace); its slug and shots."""
    from config.container import Container
    from config.settings import Settings
    from studio.stages import Stage

    settings = Settings.from_env({"AUTEUR_WORKSPACE": str(workspace), "AUTEUR_MODEL": "fake/schema",
                                  "AUTEUR_MEMORY": "off", "AUTEUR_JOBS": "local"})
    session = Container(settings).session(auto_approve=True)
    sample = REPO / "studio" / "samples" / "night_shift.fountain"
    list(session.bring(sample.name, sample.read_bytes()))
    list(session.run_until(Stage.PROMPTS))
    shots = session.store.read(Stage.SHOTS)
    return session.store.slug, len(shots.shots)


async def with_jobs(url: str, pid: int, slug: str, shots: int, jobs: int, text: str) -> dict:
    """``jobs`` render jobs queued by one chat (boards, then clips of as many shots as needed), 10 chats measured
    while they run; the server's peak memory, and the seconds until the queue is empty."""
    renderer = Chat(url)
    await renderer.open()
    await renderer.say(f"/open {slug}")
    await asyncio.wait_for(renderer.idle.wait(), 120)
    started = time.perf_counter()
    boards = min(jobs, shots)
    # Every shot's board: the turn streams them as they finish (its task_start cleared ``idle`` before the first
    # event came).
    await renderer.say("/render boards sketch yes")
    row = await round_of(url, pid, 10, text, close_as_page=True)
    peak = max(row["open_mb"], rss_mb(pid))
    await asyncio.wait_for(renderer.idle.wait(), 1800)
    queued = boards
    if jobs > shots:
        await renderer.say("/render clips sketch yes")
        queued += shots
        peak = max(peak, rss_mb(pid))
        await asyncio.wait_for(renderer.idle.wait(), 1800)
    row.update(jobs=queued, drained_s=time.perf_counter() - started, peak_mb=max(peak, rss_mb(pid)))
    await renderer.close()
    return row


def settle(pid: int, seconds: float = 5.0) -> float:
    time.sleep(seconds)
    return rss_mb(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", default="10,20,50")
    parser.add_argument("--message", default=IDEA, help="what each chat says (default: an idea)")
    parser.add_argument("--tab-close", action="store_true", help="close chats as a closed tab does (no clear_session)")
    parser.add_argument("--jobs", type=int, default=50, help="render jobs to queue for the last round (0: none)")
    args = parser.parse_args()
    workspace = Path(tempfile.mkdtemp(prefix="auteur-bench-load-")) / "workspace"
    slug, shots = prepare_project(workspace) if args.jobs else ("", 0)
    server = Server(workspace, workspace.parent / "server.log", AUTEUR_JOBS="local")
    server.start()
    try:
        server.wait_ready(120)
        urllib.request.urlopen(server.url + "/health", timeout=5)
        pid = server.proc.pid
        # Warm up: the first chat imports the engine and crewAI; the baseline is after one chat came and went.
        asyncio.run(round_of(server.url, pid, 1, args.message, close_as_page=not args.tab_close))
        baseline = settle(pid)
        print(f"baseline RSS after one warm-up chat: {baseline:.0f} MB")
        results = []
        for n in (int(x) for x in args.chats.split(",")):
            row = asyncio.run(round_of(server.url, pid, n, args.message, close_as_page=not args.tab_close))
            row["closed_mb"] = settle(pid)
            row["per_closed_chat_mb"] = (row["closed_mb"] - baseline) / n
            results.append(row)
            print(f"{n:3d} chats: first event p50 {row['p50_ms']:6.0f} ms, p95 {row['p95_ms']:6.0f} ms; "
                  f"RSS open {row['open_mb']:.0f} MB, after close {row['closed_mb']:.0f} MB "
                  f"({row['per_closed_chat_mb']:+.2f} MB per closed chat vs baseline)", flush=True)
        if args.jobs:
            row = asyncio.run(with_jobs(server.url, pid, slug, shots, args.jobs, args.message))
            results.append(row)
            print(f"{row['jobs']} render jobs queued: 10 chats' first event p50 {row['p50_ms']:6.0f} ms, "
                  f"p95 {row['p95_ms']:6.0f} ms; RSS peak {row['peak_mb']:.0f} MB; queue empty after "
                  f"{row['drained_s']:.0f} s", flush=True)
        print(json.dumps(results))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
