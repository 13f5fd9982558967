"""The conversations behind the Slack app: one engine Session per thread (or channel), each turn run
on a background thread after Slack's request was acknowledged, one turn at a time per conversation."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable

from config.settings import Settings
from studio.engine.events import Event, Turn, error, say
from studio.engine.session import Session
from studio.errors import AuteurError
from ui.slack.credentials import api_url, bot_token
from ui.slack.files import fetch_shared_file
from ui.slack.replies import Reply, Sender
from ui.slack.state import SlackState, split_key

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("auteur.slack")

MAX_SESSIONS = 256


class _TrackedExecutor(ThreadPoolExecutor):
    def __init__(self, studio: SlackStudio, **kw: Any) -> None:
        super().__init__(**kw)
        self._studio = studio

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[no-untyped-def, override]
        future = super().submit(fn, *args, **kwargs)
        self._studio._track(future)
        return future


class SlackStudio:
    """The conversations, the threads that run their turns, and (``app``) the bolt app that
    ui/slack/server.py builds over them."""

    app: App

    def __init__(self, settings: Settings, *, model: str | None = None, container: Any = None,
                 workers: int = 4) -> None:
        from slack_sdk import WebClient

        from config.container import Container

        self.settings = settings
        self.model = model
        self.container = container or Container(settings)
        self.state = SlackState(settings.workspace / ".auteur" / "slack.json")
        self.client = WebClient(token=bot_token(settings), base_url=api_url(settings), timeout=30)
        self.sender = Sender(self.client, settings.workspace)
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._pending: set[Future] = set()
        self._idle = threading.Condition()
        # Bolt's listeners (the quick ack path) and the turns (the crew's work) each have their threads;
        # both are tracked, so wait_idle() knows when everything a request started has finished.
        self.listeners = _TrackedExecutor(self, max_workers=8, thread_name_prefix="auteur-slack-ack")
        self._executor = _TrackedExecutor(self, max_workers=workers, thread_name_prefix="auteur-slack")

    # ------------------------------------------------------------ threads

    def submit(self, key: str, reply: Reply, turn: Turn | None, before: Callable[[], None] | None = None,
               upload: dict | None = None) -> Future:
        """Run one turn of the conversation ``key`` off the ack path; one conversation runs one turn at a time.

        No turn is a greeting; ``upload`` is a file shared in Slack, fetched first and handed on as an upload.
        """
        return self._executor.submit(self._run, key, reply, turn, before, upload)

    def _track(self, future: Future) -> None:
        with self._idle:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        with self._idle:
            self._pending.discard(future)
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once every request's listener and turn has finished (for tests and shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def close(self) -> None:
        self.listeners.shutdown(wait=True)
        self._executor.shutdown(wait=True)

    # ------------------------------------------------------------ conversations

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _run(self, key: str, reply: Reply, turn: Turn | None, before: Callable[[], None] | None = None,
             upload: dict | None = None) -> None:
        with self._lock(key):
            try:
                if before is not None:
                    before()
                if upload is not None:
                    try:
                        turn = Turn(upload=fetch_shared_file(self.settings, upload))
                    except AuteurError as exc:
                        self.sender.send(key, reply, [error(exc)])
                        return
                session = self.session(key)
                events = session.greet() if turn is None else session.handle(turn)
                self.sender.deliver(key, reply, events)
                if session.store is not None:
                    channel, thread = split_key(key)
                    self.state.remember(channel, thread, session.store.slug)
            except Exception:  # a bug must not silence the conversation
                log.exception("a Slack turn failed in %s", key)
                self.sender.send(key, reply, [Event(
                    "error", "Something went wrong on Auteur's side and the turn stopped. Nothing was lost; the "
                             "details are in the server's log. Try again, or /auteur status to see where things "
                             "stand.")])

    def session(self, key: str) -> Session:
        """The conversation's Session: its thread's project, else its channel's, else the workspace default."""
        with self._guard:
            if key in self._sessions:
                self._sessions.move_to_end(key)
                return self._sessions[key]
        channel, thread = split_key(key)
        slug = self.state.project(channel, thread) or self._default_slug()
        try:
            session = self.container.session(project=slug, model=self.model)
        except AuteurError as exc:  # the project was removed or renamed since
            session = self.container.session(model=self.model)
            session.notices.append(say(f"I could not open {slug}: {exc.problem}. {exc.fix}"))
        from agents.llm.discover import ModelChoice

        if isinstance(session.models, ModelChoice) and self.container.settings.model_switch is not True:
            # A Slack workspace is shared and has no sign-in of ours: /model switches only where the operator
            # said so (AUTEUR_MODEL_SWITCH=on); listing still works.
            session.models.settings = dataclasses.replace(session.models.settings, model_switch=False)
        with self._guard:
            session = self._sessions.setdefault(key, session)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return session

    def _default_slug(self) -> str | None:
        try:
            return self.container.workspace.default_slug()
        except AuteurError:
            return None
