"""What the Slack face remembers across restarts: which project each channel and thread works on,
and which requests it already ran (Slack retries events; a button may be pressed twice)."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger("auteur.slack")

SEEN_CAP = 5000


def conversation_key(channel: str, thread_ts: str | None = None) -> str:
    """A thread is a conversation; slash commands talk to the channel's conversation."""
    return f"{channel}:{thread_ts}" if thread_ts else channel


def split_key(key: str) -> tuple[str, str | None]:
    channel, _, thread = key.partition(":")
    return channel, thread or None


class SlackState:
    """Which project each channel and thread works on, and which requests were already run.

    Kept in one JSON file (``<workspace>/.auteur/slack.json``), written whole and atomically,
    so a restart remembers both, and a retry after a restart still runs nothing twice.
    """

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self._data = self._load()

    def _load(self) -> dict[str, Any]:
        empty: dict[str, Any] = {"channels": {}, "threads": {}, "seen": {}}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return empty
        except (OSError, ValueError) as exc:
            # Keep the unreadable file for a person to look at; start afresh beside it.
            bad = self.path.with_name(f"{self.path.name}.bad-{int(self.clock())}")
            log.warning("could not read %s (%s); kept it as %s and started a new one", self.path, exc, bad.name)
            try:
                self.path.replace(bad)
            except OSError:
                pass
            return empty
        if not isinstance(data, dict):
            return empty
        return {k: dict(data.get(k) or {}) if isinstance(data.get(k), dict) else {} for k in empty}

    def _save(self) -> None:
        from memory import atomic

        try:
            atomic.write_text(self.path, json.dumps(self._data, indent=1, sort_keys=True) + "\n")
        except OSError as exc:  # a read-only workspace: the studio still answers, without the memory
            log.warning("could not save the Slack state to %s: %s", self.path, exc)

    def project(self, channel: str, thread_ts: str | None = None) -> str | None:
        """The thread's project, else the channel's."""
        with self._lock:
            if thread_ts and (slug := self._data["threads"].get(conversation_key(channel, thread_ts))):
                return slug
            return self._data["channels"].get(channel)

    def remember(self, channel: str, thread_ts: str | None, slug: str) -> None:
        """The conversation (and its channel) now works on ``slug``."""
        with self._lock:
            threads, channels = self._data["threads"], self._data["channels"]
            key = conversation_key(channel, thread_ts)
            if channels.get(channel) == slug and (not thread_ts or threads.get(key) == slug):
                return
            channels[channel] = slug
            if thread_ts:
                threads[key] = slug
            self._save()

    def first_time(self, key: str, ttl_s: float) -> bool:
        """True the first time ``key`` is seen within ``ttl_s`` seconds (and records it); False after."""
        now = self.clock()
        with self._lock:
            seen = self._data["seen"]
            if seen.get(key, 0) > now:
                return False
            seen[key] = now + ttl_s
            expired = [k for k, until in seen.items() if until <= now]
            for k in expired:
                del seen[k]
            if len(seen) > SEEN_CAP:
                for k in sorted(seen, key=seen.get)[: len(seen) - SEEN_CAP]:
                    del seen[k]
            self._save()
            return True
