"""Slack's side of the studio without Slack's SDK: what a conversation remembers, which
requests were already seen, and how engine events read as Slack messages (mrkdwn, Block Kit)."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from studio.session import Event

log = logging.getLogger("auteur.slack")

CHOICE_ACTION = "auteur_choice"  # prefix of every button's action_id
SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text
BLOCK_LIMIT = 48  # and 50 blocks a message
SEEN_CAP = 5000
UPLOAD_LIMIT = 1_000_000_000  # Slack's file size limit (1 GB)
SCREENPLAY_SUFFIXES = (".fountain", ".spmd", ".txt", ".fdx", ".pdf")
MAX_SCREENPLAY = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".mov", ".webm", ".pdf", ".fountain",
                   ".fdx", ".csv", ".edl", ".otio", ".xml", ".zip")


# ---------------------------------------------------------------- what a person typed


def command_line(text: str) -> str:
    """'/auteur status' arrives as 'status': the registry's '/status'. Nothing, or 'help', is '/help'."""
    text = unescape(text or "").strip()
    if not text or text.lower() in ("help", "/help", "?"):
        return "/help"
    return "/" + text.lstrip("/")


_MENTION_RE = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_LINK_RE = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def mention_text(text: str) -> str:
    """'<@U0BOT> next please' → 'next please'; links back to their words, entities unescaped."""
    text = _MENTION_RE.sub("", text or "")
    text = _LINK_RE.sub(lambda m: m.group(2) or m.group(1), text)
    return unescape(" ".join(text.split()))


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Slack reads &, < and > as markup: in mrkdwn they are written as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def check_screenplay(name: str, size: int | None) -> None:
    """A file shared with a mention: refused unless a screenplay Auteur reads, of a sensible size."""
    from studio.errors import AuteurError

    suffix = Path(name).suffix.lower()
    if suffix not in SCREENPLAY_SUFFIXES:
        raise AuteurError(f"{name} is not a screenplay file Auteur can read ({suffix or 'no extension'})",
                          "share a Fountain (.fountain), Final Draft (.fdx) or PDF screenplay with your mention")
    if size is not None and size > MAX_SCREENPLAY:
        raise AuteurError(f"{name} is {size / 2**20:.1f} MB, more than the {MAX_SCREENPLAY >> 20} MB a screenplay "
                          "may have", "check that this is the right file, or share the Fountain or FDX version")
    if size == 0:
        raise AuteurError(f"{name} is empty", "share the file again; it may not have finished uploading")


def check_content(name: str, data: bytes) -> None:
    from studio.errors import AuteurError

    suffix = Path(name).suffix.lower()
    if suffix == ".pdf" and not data.startswith(b"%PDF-"):
        raise AuteurError(f"{name} is not a PDF (it does not start like one)",
                          "export the screenplay as PDF again, or share the Fountain or FDX file")
    if suffix in (".fountain", ".spmd", ".txt") and b"\0" in data[:8192]:
        raise AuteurError(f"{name} is not a text file, so it cannot be a Fountain screenplay",
                          "export the screenplay as Fountain (plain text), FDX or PDF")


# ---------------------------------------------------------------- conversations


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


# ---------------------------------------------------------------- events as Slack messages


def _chunks(text: str, size: int = SECTION_LIMIT) -> list[str]:
    """Split long text at line ends so each piece fits a section."""
    out, current = [], ""
    for line in text.splitlines() or [""]:
        while len(line) > size:
            if current:
                out.append(current)
                current = ""
            out.append(line[:size])
            line = line[size:]
        if current and len(current) + 1 + len(line) > size:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current or not out:
        out.append(current)
    return out


def _tabular(text: str) -> bool:
    """Multi-line text laid out in columns (like /status) reads right only in a code block."""
    return "\n" in text and bool(re.search(r"\S {2,}\S", text))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def event_blocks(event: Event, key: str, index: int) -> list[dict[str, Any]]:
    """One engine event as Block Kit blocks; the agent's name leads in bold."""
    if event.kind == "progress":
        if (event.data or {}).get("state") == "done":
            return []
        return [{"type": "context", "elements": [{"type": "mrkdwn",
                                                  "text": f"_{escape(event.text or 'Working…')}_"}]}]
    body = escape(event.text or "")
    if event.kind == "error":
        lead = ":warning: "
    else:
        lead = f"*{escape(event.author or 'Producer')}:* "
    if _tabular(event.text or ""):
        pieces = [f"```{piece}```" for piece in _chunks(body, SECTION_LIMIT - 8)]
        blocks = [_section(lead.rstrip())] + [_section(p) for p in pieces]
    else:
        pieces = _chunks(lead + body)
        blocks = [_section(p) for p in pieces]
    if event.options and event.kind in ("question", "message"):
        buttons = []
        for n, option in enumerate(event.options[:25]):
            buttons.append({"type": "button", "text": {"type": "plain_text", "text": option[:75]},
                            "action_id": f"{CHOICE_ACTION}_{n}",
                            "value": json.dumps({"k": key, "c": option[:1500]})})
        blocks.append({"type": "actions", "block_id": f"auteur_q{index}", "elements": buttons})
    return blocks


def event_text(event: Event) -> str:
    """The plain fallback (notifications, screen readers)."""
    if event.kind == "progress":
        return event.text
    who = "" if event.kind == "error" else f"{event.author}: "
    return f"{who}{event.text}"


def message(events: Iterable[Event], key: str) -> dict[str, Any] | None:
    """Events that go out together as one Slack message: {'text', 'blocks'}; None when nothing shows."""
    blocks: list[dict[str, Any]] = []
    texts: list[str] = []
    for n, event in enumerate(events):
        part = event_blocks(event, key, n)
        if not part:
            continue
        blocks += part
        texts.append(event_text(event))
    if not blocks:
        return None
    if len(blocks) > BLOCK_LIMIT:
        # Keep the end (the question and its buttons); say that the start was shortened.
        blocks = [_section("_(earlier lines shortened)_")] + blocks[-(BLOCK_LIMIT - 1):]
    text = escape("\n".join(texts))
    return {"text": text[:3000], "blocks": blocks}


def answered_blocks(blocks: list[dict[str, Any]], choice: str, user: str | None) -> list[dict[str, Any]]:
    """The question message once answered: its buttons gone, the answer in their place."""
    kept = [b for b in blocks or [] if b.get("type") != "actions"]
    who = f"<@{user}>" if user and re.fullmatch(r"[A-Z0-9]+", user) else "You"
    kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{who} chose *{escape(choice)}*"}]})
    return kept


def artifact_files(events: Iterable[Event], root: Path) -> list[Path]:
    """Files the events made that people should see: images, video, PDFs and exports inside the workspace."""
    out: list[Path] = []
    base = root.resolve()
    for event in events:
        raw = (event.data or {}).get("path") if event.kind == "artifact" else None
        if not raw:
            continue
        path = Path(raw).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            log.warning("not uploading %s: not a file in the workspace", raw)
            continue
        if path.suffix.lower() not in UPLOAD_SUFFIXES or path.stat().st_size > UPLOAD_LIMIT:
            continue
        if path not in out:
            out.append(path)
    return out
