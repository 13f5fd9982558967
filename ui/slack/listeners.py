"""The ack path: every Slack request acknowledged at once (Slack waits three seconds), recognised
if it was seen before (retries, double presses run nothing twice), and handed on as a turn.

Slash commands run the shared registry's command in the channel's conversation; an @mention
starts or continues its thread's conversation (a file shared with it is the turn); a pressed
button answers its question once. Signatures are checked by bolt before any of this runs.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING

from studio.engine.events import Turn
from studio.errors import AuteurError
from ui.slack.credentials import api_url, signing_secret
from ui.slack.messages import CHOICE_ACTION, command_line, mention_text
from ui.slack.replies import Reply
from ui.slack.state import conversation_key, split_key
from ui.slack.studio import SlackStudio

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("auteur.slack")

EVENT_TTL_S = 6 * 3600  # Slack retries an event for about an hour; a command's trigger id is used once
CHOICE_TTL_S = 7 * 24 * 3600  # a question's buttons answer once


def bolt_app(studio: SlackStudio, *, socket_mode: bool = False) -> App:
    """The bolt App over the studio's conversations; bolt checks the bot token with auth.test first."""
    from slack_bolt import App
    from slack_bolt.error import BoltError

    bolt_log = logging.getLogger("auteur.slack.bolt")
    if _quiet_token_warning not in bolt_log.filters:
        bolt_log.addFilter(_quiet_token_warning)
    try:
        # bolt checks the token with auth.test, on the same Web API base as every other call.
        app = App(client=studio.client, signing_secret=signing_secret(studio.settings),
                  request_verification_enabled=not socket_mode, process_before_response=False,
                  name="auteur", logger=bolt_log, listener_executor=studio.listeners)
    except (BoltError, OSError) as exc:
        raise AuteurError(f"Slack did not accept SLACK_BOT_TOKEN at {api_url(studio.settings)}: {exc}",
                          "check the bot token (xoxb-…), that the app is installed in your workspace, "
                          "and that this machine reaches Slack") from None
    listeners = Listeners(studio)
    app.command(re.compile(r"^/"))(listeners.command)
    app.event("app_mention")(listeners.mention)
    app.event("message")(listeners.message)
    app.action(re.compile(rf"^{CHOICE_ACTION}_\d+$"))(listeners.choice)
    return app


def _quiet_token_warning(record: logging.LogRecord) -> bool:
    """bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given: it is the client's."""
    return "`token` will be unused" not in record.getMessage()


class Listeners:
    """bolt passes each listener the arguments its parameters name (ack, body, event, action)."""

    def __init__(self, studio: SlackStudio) -> None:
        self.studio = studio
        self.state = studio.state

    def command(self, ack, body: dict) -> None:
        ack()
        trigger = body.get("trigger_id")
        if trigger and not self.state.first_time(f"command:{trigger}", EVENT_TTL_S):
            log.info("command %s was already run: ignored", trigger)
            return
        channel = body.get("channel_id") or ""
        reply = Reply(channel=channel, response_url=body.get("response_url"))
        self.studio.submit(conversation_key(channel), reply, Turn(text=command_line(body.get("text", ""))))

    def mention(self, body: dict, event: dict) -> None:
        event_id = body.get("event_id")
        if event_id and not self.state.first_time(f"event:{event_id}", EVENT_TTL_S):
            log.info("event %s was already run (a retry): ignored", event_id)
            return
        channel = event.get("channel") or ""
        thread = event.get("thread_ts") or event.get("ts")
        text = mention_text(event.get("text", ""))
        files = event.get("files") or []
        key, reply = conversation_key(channel, thread), Reply(channel=channel, thread_ts=thread)
        if files:  # a screenplay shared with the mention: the file is the turn
            self.studio.submit(key, reply, None, upload=files[0])
            return
        self.studio.submit(key, reply, Turn(text=text) if text else None)

    def message(self) -> None:
        """Other messages are not for the crew (only @mentions are); acknowledged so Slack does not retry."""

    def choice(self, ack, body: dict, action: dict) -> None:
        ack()
        container = body.get("container") or {}
        original = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
        try:
            value = json.loads(action.get("value") or "")
            key, choice = str(value["k"]), str(value["c"])
        except (ValueError, KeyError, TypeError):
            log.warning("a button with an unreadable value was pressed: ignored")
            return
        if split_key(key)[0] != channel:
            log.warning("a button for %s was pressed in %s: ignored", key, channel)
            return
        asked = container.get("message_ts") or original.get("ts") or action.get("action_ts")
        if not self.state.first_time(f"choice:{channel}:{asked}", CHOICE_TTL_S):
            log.info("the question %s in %s was already answered: ignored", asked, channel)
            return
        thread = split_key(key)[1]
        response_url = body.get("response_url")
        reply = Reply(channel=channel, thread_ts=thread, response_url=None if thread else response_url)
        user = (body.get("user") or {}).get("id")
        self.studio.submit(key, reply, Turn(choice=choice),
                           before=lambda: self.studio.sender.mark_answered(response_url, original, choice, user,
                                                                           reply))
