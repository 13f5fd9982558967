"""Sending a conversation's events to Slack: into its thread, or through a slash command's
response_url; files the engine made uploaded beside them; an answered question's buttons replaced."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from studio.engine.events import Event
from ui.slack.files import artifact_files
from ui.slack.messages import answered_blocks, message

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger("auteur.slack")

RESPONSE_URL_USES = 5  # Slack takes five posts to a response_url (in 30 minutes)


@dataclass
class Reply:
    """Where a conversation's answers go: into a thread, or through a slash command's response_url."""

    channel: str
    thread_ts: str | None = None
    response_url: str | None = None
    used: int = 0  # posts made to response_url


class Sender:
    """Posts events with the bot's Web API client; files only from inside ``workspace``."""

    def __init__(self, client: WebClient, workspace: Path) -> None:
        self.client = client
        self.workspace = workspace

    def deliver(self, key: str, reply: Reply, events: Iterable[Event]) -> None:
        """Send events as they come: a working notice at once, the rest together, files as they appear
        (an artifact that names a folder, such as a new project's, goes with the rest)."""
        pending: list[Event] = []
        for event in events:
            if event.kind == "progress" and (event.data or {}).get("state") == "running":
                self.send(key, reply, [*pending, event])
                pending = []
            elif event.kind == "artifact" and (files := artifact_files([event], self.workspace)):
                self.send(key, reply, [*pending, event])
                pending = []
                for path in files:
                    self.upload(key, reply, path)
            else:
                pending.append(event)
        self.send(key, reply, pending)

    def send(self, key: str, reply: Reply, events: list[Event]) -> None:
        from slack_sdk.errors import SlackApiError
        from slack_sdk.webhook import WebhookClient

        msg = message(events, key)
        if msg is None:
            return
        if reply.response_url and reply.used < RESPONSE_URL_USES:
            reply.used += 1
            try:
                resp = WebhookClient(reply.response_url, timeout=30).send(
                    response_type="in_channel", replace_original=False, **msg)
                if resp.status_code == 200:
                    return
                log.warning("response_url answered %s: %s", resp.status_code, resp.body)
            except OSError as exc:
                log.warning("could not post to response_url: %s", exc)
        try:
            self.client.chat_postMessage(channel=reply.channel, thread_ts=reply.thread_ts, unfurl_links=False,
                                         unfurl_media=False, **msg)
        except (SlackApiError, OSError) as exc:
            log.warning("could not post to %s: %s", reply.channel, exc)

    def upload(self, key: str, reply: Reply, path: Path) -> None:
        from slack_sdk.errors import SlackApiError

        try:
            self.client.files_upload_v2(channel=reply.channel, thread_ts=reply.thread_ts, file=str(path),
                                        filename=path.name, title=path.name)
        except (SlackApiError, OSError) as exc:
            reason = (exc.response.get("error") if isinstance(exc, SlackApiError)
                      else exc.strerror or type(exc).__name__)
            log.warning("could not upload %s: %s", path, reason)
            self.send(key, reply, [Event("error", f"I could not upload {path.name} to Slack ({reason}). "
                                                  f"It is saved in the project as {in_project(path)}. "
                                                  "Invite the app to this channel "
                                                  "(/invite @Auteur) and ask again.")])

    def mark_answered(self, response_url: str | None, original: dict, choice: str, user: str | None,
                      reply: Reply) -> None:
        """Replace the question's buttons with the answer, so it cannot be pressed again."""
        from slack_sdk.webhook import WebhookClient

        if not response_url or not original.get("blocks"):
            return
        if reply.response_url == response_url:
            reply.used += 1
        try:
            WebhookClient(response_url, timeout=30).send(
                replace_original=True, text=original.get("text") or choice,
                blocks=answered_blocks(original["blocks"], choice, user))
        except OSError as exc:
            log.warning("could not mark the question answered: %s", exc)


def in_project(path: Path) -> str:
    """A file's path from its project folder (``06_Exports/x.pdf``), never the server's absolute path."""
    parts = path.parts
    for i, part in enumerate(parts):
        if len(part) > 3 and part[:2].isdigit() and part[2] == "_":  # 03_Renders, 06_Exports, ...
            return "/".join(parts[i:])
    return path.name
