"""Turns that outlive the page: each runs in a worker thread to its end, even when the page is
closed or refreshed, so the crew's work is committed and runs once.

The engine is synchronous and a crew run can take minutes, so a chat's turn runs in a thread and its
events are shown as they come. ``BusyProjects`` (one per server) knows which projects a crew is on,
across chats: a refreshed page opens a new chat, which waits for the earlier run instead of starting
the same work again. ``Turns`` (one per chat) runs that chat's turns one at a time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Awaitable, Callable

import chainlit as cl

from studio.engine.events import Event, Turn, error
from studio.engine.session import Session, unexpected
from ui.web.presentation import producer

log = logging.getLogger("auteur.studio")
POLL_S = 0.2
ACK_S = 0.15  # a turn with nothing to show by then is acknowledged at once, and worked on after
# What the page shows while a slow turn has nothing to show yet (a step, closed when the first event comes).
ACK = Event("progress", "The Producer is on it…", author="Producer", stage=None, data={"state": "running"})
ACK_DONE = Event("progress", "", author="Producer", stage=None, data={"state": "done"})


def slow(turn: Turn) -> bool:
    """Whether a turn is sure to take a while: words for the crew (an idea, notes) or an upload, not a command or a
    button (those answer at once, or are acknowledged after ACK_S)."""
    text = (turn.text or "").strip()
    return turn.upload is not None or (bool(text) and not text.startswith("/") and turn.choice is None)


class BusyProjects:
    """The projects a crew is working on now, each with the event set when its run ends."""

    def __init__(self) -> None:
        self._busy: dict[Path, threading.Event] = {}
        self._lock = threading.Lock()

    def claim(self, project: Path | None) -> threading.Event | None:
        if project is None:
            return None
        with self._lock:
            done = threading.Event()
            self._busy[project] = done
            return done

    def release(self, project: Path | None, done: threading.Event | None) -> None:
        if project is None or done is None:  # nothing was claimed
            return
        done.set()
        with self._lock:
            if self._busy.get(project) is done:
                del self._busy[project]

    def busy_in(self, workspace: Path) -> list[Path]:
        """The projects of a workspace a crew is working on now."""
        with self._lock:
            return [p for p, done in self._busy.items() if p.parent == workspace and not done.is_set()]

    def running(self, project: Path) -> threading.Event | None:
        with self._lock:
            return self._busy.get(project)


class Turns:
    """One chat's turns, one at a time, on the projects of its ``workspace`` folder."""

    def __init__(self, projects: BusyProjects, workspace: Path) -> None:
        self.projects = projects
        self.workspace = workspace
        self._lock = threading.Lock()

    async def hold(self) -> None:
        """Wait, off the event loop, until this chat's running turn is over; then it is ours."""
        if self._lock.acquire(blocking=False):
            return
        await producer("The crew is still on your last request; this comes right after.")
        while not self._lock.acquire(blocking=False):
            await asyncio.sleep(POLL_S)

    def release(self) -> None:
        self._lock.release()

    async def run(self, session: Session, turn: Turn, show: Callable[[Event], Awaitable[None]],
                  after: Callable[[], Awaitable[None]]) -> None:
        """One turn in a worker thread, its events shown as they come, then ``after``.

        Called holding the chat (``hold``), so that ``session`` is the one the turn runs in; lets go
        of it when the turn is over. The thread owns the turn until its end: a closed page or a stop
        does not cut a crew run short, and the next turn of this chat waits for it.
        """
        finished = threading.Event()
        started = False
        try:
            target = self._project_of(session, turn)
            other = self.projects.running(target) if target else None
            if other is not None and not other.is_set():
                await producer("The crew is still working on this project (from an earlier page); "
                               "I'll go on when they are done.")
                while not other.is_set():
                    await asyncio.sleep(POLL_S)
            loop = asyncio.get_running_loop()
            queue: asyncio.Queue[Event | None] = asyncio.Queue()

            def put(item: Event | None) -> None:
                try:
                    loop.call_soon_threadsafe(queue.put_nowait, item)
                except RuntimeError:  # the server is shutting down: the turn still finishes
                    pass

            acked = slow(turn)
            if acked:  # said before the work starts, so that the crew's threads cannot hold it back
                await show(ACK)
            worker = threading.Thread(target=self._work, args=(session, turn, put, finished), name="auteur-turn")
            worker.start()
            started = True
            await cl.context.emitter.task_start()
            try:
                event = await self._first(queue, show, acked=acked)
                while event is not None:
                    await show(event)
                    event = await queue.get()
            finally:
                await cl.context.emitter.task_end()
            await after()
        finally:
            # The next turn starts once this one is shown to its end. If the page went away
            # mid-turn, the worker still owns the turn: the lock is freed when it finishes.
            if not started or finished.is_set():
                self.release()
            else:
                def release_when_finished() -> None:
                    finished.wait()
                    self.release()

                threading.Thread(target=release_when_finished, name="auteur-turn-release", daemon=True).start()

    @staticmethod
    async def _first(queue: asyncio.Queue[Event | None], show: Callable[[Event], Awaitable[None]], *,
                     acked: bool = False) -> Event | None:
        """The turn's first event (None: the turn is over). When it is slow to come (a project to make, a crew
        to call), the page first says the Producer is on it: the person sees at once that the message arrived.
        ``acked``: that was said already, before the work started."""
        first = asyncio.ensure_future(queue.get())
        if not acked:
            done, _ = await asyncio.wait({first}, timeout=ACK_S)  # waits without cancelling: no event is lost
            acked = not done
            if acked:
                await show(ACK)
        await first
        if acked:
            await show(ACK_DONE)
        return first.result()

    def _work(self, session: Session, turn: Turn, put: Callable[[Event | None], None],
              finished: threading.Event) -> None:
        """The worker thread: the whole turn, with its project marked busy while the crew is on it."""
        project = self._folder(session)
        done = self.projects.claim(project)
        try:
            for event in session.handle(turn):
                if done is None and session.store is not None:
                    project = self._folder(session)
                    done = self.projects.claim(project)
                put(event)
        except Exception as exc:  # a bug, not a person's mistake: say so and keep the chat
            log.exception("turn failed")
            put(error(unexpected(exc)))  # its text can carry the server's paths: only what kind of thing failed
        finally:
            self.projects.release(project, done)
            finished.set()
            put(None)

    def _folder(self, session: Session) -> Path | None:
        """The folder of the project open in ``session``."""
        return self.workspace / session.store.slug if session.store else None

    def _project_of(self, session: Session, turn: Turn) -> Path | None:
        """The folder of the project a turn will work on: the one it opens, else the one open now."""
        text = (turn.text or "").strip()
        if text.startswith("/open ") and text[6:].strip():
            return self.workspace / text[6:].strip()
        return self._folder(session)
