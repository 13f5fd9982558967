"""Auteur in Slack: a slack-bolt app over the same engine as the studio.

`/auteur COMMAND` runs the shared registry's `/COMMAND`; an @mention starts or continues the
conversation of its thread. Every request is acknowledged at once (Slack waits three seconds)
and the crew's work runs on a background thread, whose events come back as messages: in the
thread, or through the slash command's response_url. Question events carry buttons; files the
engine makes are uploaded with files_upload_v2. Signatures are checked by bolt; retries and
double presses are recognised by id and run nothing twice.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.settings import Settings
from studio.errors import AuteurError
from ui.slack_support import (CHOICE_ACTION, MAX_SCREENPLAY, SlackState, answered_blocks, artifact_files,
                              check_content, check_screenplay, command_line, conversation_key, message,
                              mention_text, split_key)

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from studio.session import Event, Session, Turn

log = logging.getLogger("auteur.slack")

EVENTS_PATH = "/slack/events"
SLACK_API = "https://slack.com/api/"
EVENT_TTL_S = 6 * 3600  # Slack retries an event for about an hour; a command's trigger id is used once
CHOICE_TTL_S = 7 * 24 * 3600  # a question's buttons answer once
RESPONSE_URL_USES = 5  # Slack takes five posts to a response_url (in 30 minutes)
MAX_SESSIONS = 256
MAX_BODY = 1_000_000


@dataclass
class Reply:
    """Where a conversation's answers go: into a thread, or through a slash command's response_url."""

    channel: str
    thread_ts: str | None = None
    response_url: str | None = None
    used: int = 0  # posts made to response_url


def _quiet_token_warning(record: logging.LogRecord) -> bool:
    """bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given: it is the client's."""
    return "`token` will be unused" not in record.getMessage()


class _TrackedExecutor(ThreadPoolExecutor):
    def __init__(self, studio: SlackStudio, **kw) -> None:
        super().__init__(**kw)
        self._studio = studio

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = super().submit(fn, *args, **kwargs)
        self._studio._track(future)
        return future


def check_settings(settings: Settings, *, socket_mode: bool = False) -> None:
    """Refuse to start without what Slack needs, naming each missing setting and where it comes from."""
    missing = []
    if not settings.slack_bot_token:
        missing.append(("SLACK_BOT_TOKEN", "the Bot User OAuth Token (xoxb-…) from your Slack app's "
                                           "OAuth & Permissions page"))
    if socket_mode and not settings.slack_app_token:
        missing.append(("SLACK_APP_TOKEN", "an app-level token (xapp-…) with connections:write, from your Slack "
                                           "app's Basic Information page (or run without --socket)"))
    if not socket_mode and not settings.slack_signing_secret:
        missing.append(("SLACK_SIGNING_SECRET", "the Signing Secret from your Slack app's Basic Information page; "
                                                "without it Slack's requests cannot be verified"))
    if missing:
        names = " and ".join(name for name, _ in missing)
        raise AuteurError(f"{names} {'is' if len(missing) == 1 else 'are'} not set, so Auteur cannot answer in Slack",
                          "set " + "; ".join(f"{name} to {where}" for name, where in missing))


def api_url(settings: Settings) -> str:
    url = (settings.slack_api_url or SLACK_API).strip()
    return url if url.endswith("/") else url + "/"


class SlackStudio:
    """The bolt app and the conversations behind it: one Session per thread (or channel)."""

    def __init__(self, settings: Settings, *, model: str | None = None, socket_mode: bool = False,
                 container: Any = None, workers: int = 4) -> None:
        from slack_bolt import App
        from slack_bolt.error import BoltError
        from slack_sdk import WebClient

        from config.container import Container

        check_settings(settings, socket_mode=socket_mode)
        self.settings = settings
        self.model = model
        self.container = container or Container(settings)
        self.state = SlackState(settings.workspace / ".auteur" / "slack.json")
        self.client: WebClient = WebClient(token=settings.slack_bot_token, base_url=api_url(settings), timeout=30)
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._pending: set[Future] = set()
        self._idle = threading.Condition()
        # Bolt's listeners (the quick ack path) and the turns (the crew's work) each have their threads;
        # both are tracked, so wait_idle() knows when everything a request started has finished.
        self._listeners = _TrackedExecutor(self, max_workers=8, thread_name_prefix="auteur-slack-ack")
        self._executor = _TrackedExecutor(self, max_workers=workers, thread_name_prefix="auteur-slack")
        bolt_log = logging.getLogger("auteur.slack.bolt")
        if _quiet_token_warning not in bolt_log.filters:
            bolt_log.addFilter(_quiet_token_warning)
        try:
            # bolt checks the token with auth.test, on the same Web API base as every other call.
            self.app: App = App(client=self.client, signing_secret=settings.slack_signing_secret,
                                request_verification_enabled=not socket_mode, process_before_response=False,
                                name="auteur", logger=bolt_log, listener_executor=self._listeners)
        except (BoltError, OSError) as exc:
            raise AuteurError(f"Slack did not accept SLACK_BOT_TOKEN at {api_url(settings)}: {exc}",
                              "check the bot token (xoxb-…), that the app is installed in your workspace, "
                              "and that this machine reaches Slack") from None

        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.action(re.compile(rf"^{CHOICE_ACTION}_\d+$"))(self._on_choice)

    # ------------------------------------------------------------ listeners (the ack path: quick)

    def _on_command(self, ack, body: dict) -> None:
        from studio.session import Turn

        ack()
        trigger = body.get("trigger_id")
        if trigger and not self.state.first_time(f"command:{trigger}", EVENT_TTL_S):
            log.info("command %s was already run: ignored", trigger)
            return
        channel = body.get("channel_id") or ""
        reply = Reply(channel=channel, response_url=body.get("response_url"))
        self.submit(conversation_key(channel), reply, Turn(text=command_line(body.get("text", ""))))

    def _on_mention(self, body: dict, event: dict) -> None:
        from studio.session import Turn

        event_id = body.get("event_id")
        if event_id and not self.state.first_time(f"event:{event_id}", EVENT_TTL_S):
            log.info("event %s was already run (a retry): ignored", event_id)
            return
        channel = event.get("channel") or ""
        thread = event.get("thread_ts") or event.get("ts")
        text = mention_text(event.get("text", ""))
        files = event.get("files") or []
        if files:  # a screenplay shared with the mention: the file is the turn
            self.submit(conversation_key(channel, thread), Reply(channel=channel, thread_ts=thread), None,
                        upload=files[0])
            return
        self.submit(conversation_key(channel, thread), Reply(channel=channel, thread_ts=thread),
                    Turn(text=text) if text else None)

    def _on_message(self) -> None:
        """Other messages are not for the crew (only @mentions are); acknowledged so Slack does not retry."""

    def _on_choice(self, ack, body: dict, action: dict) -> None:
        from studio.session import Turn

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
        self.submit(key, reply, Turn(choice=choice),
                    before=lambda: self._mark_answered(response_url, original, choice, user, reply))

    # ------------------------------------------------------------ the work (background threads)

    def submit(self, key: str, reply: Reply, turn: Turn | None, before=None, upload: dict | None = None) -> Future:
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
        self._listeners.shutdown(wait=True)
        self._executor.shutdown(wait=True)

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _run(self, key: str, reply: Reply, turn: Turn | None, before=None, upload: dict | None = None) -> None:
        from studio.session import Event, Turn, error

        with self._lock(key):
            try:
                if before is not None:
                    before()
                if upload is not None:
                    try:
                        turn = Turn(upload=self._download(upload))
                    except AuteurError as exc:
                        self._send(key, reply, [error(exc)])
                        return
                session = self.session(key)
                events = session.greet() if turn is None else session.handle(turn)
                self._deliver(key, reply, events)
                if session.store is not None:
                    channel, thread = split_key(key)
                    self.state.remember(channel, thread, session.store.slug)
            except Exception:  # a bug must not silence the conversation
                log.exception("a Slack turn failed in %s", key)
                self._send(key, reply, [Event("error", "Something went wrong on Auteur's side and the turn stopped. "
                                                       "Nothing was lost; the details are in the server's log. "
                                                       "Try again, or /auteur status to see where things stand.")])

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
            from studio.session import say

            session = self.container.session(model=self.model)
            session.notices.append(say(f"I could not open {slug}: {exc.problem}. {exc.fix}"))
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

    def _deliver(self, key: str, reply: Reply, events) -> None:
        """Send events as they come: a working notice at once, the rest together, files as they appear."""
        pending: list[Event] = []
        for event in events:
            if event.kind == "progress" and (event.data or {}).get("state") == "running":
                self._send(key, reply, [*pending, event])
                pending = []
            elif event.kind == "artifact" and (event.data or {}).get("path"):
                self._send(key, reply, [*pending, event])
                pending = []
                for path in artifact_files([event], self.settings.workspace):
                    self._upload(key, reply, path)
            else:
                pending.append(event)
        self._send(key, reply, pending)

    def _send(self, key: str, reply: Reply, events: list[Event]) -> None:
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

    def _upload(self, key: str, reply: Reply, path: Path) -> None:
        from slack_sdk.errors import SlackApiError

        from studio.session import Event

        try:
            self.client.files_upload_v2(channel=reply.channel, thread_ts=reply.thread_ts, file=str(path),
                                        filename=path.name, title=path.name)
        except (SlackApiError, OSError) as exc:
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc)
            log.warning("could not upload %s: %s", path, reason)
            self._send(key, reply, [Event("error", f"I could not upload {path.name} to Slack ({reason}). "
                                                   f"It is saved at {path}. Invite the app to this channel "
                                                   "(/invite @Auteur) and ask again.")])

    def _download(self, file: dict) -> tuple[str, bytes]:
        """A file shared in Slack, fetched with the bot token, only from Slack's own file host."""
        import urllib.request
        from urllib.parse import urlsplit

        name = Path(str(file.get("name") or file.get("title") or "screenplay")).name
        check_screenplay(name, file.get("size"))
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        parts, api = urlsplit(url), urlsplit(api_url(self.settings))
        from_slack = (parts.scheme == "https" and parts.hostname == "files.slack.com") or \
            (parts.scheme, parts.netloc) == (api.scheme, api.netloc)
        if not from_slack:
            raise AuteurError(f"{name} was shared from {parts.hostname or 'an unknown place'}, not from Slack's "
                              "file store", "upload the file to Slack itself (drag it into the message), then "
                                            "mention me again")

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # the token goes to Slack's file host only
                return None

        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.settings.slack_bot_token}"})
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as resp:
                data = resp.read(MAX_SCREENPLAY + 1)
                kind = resp.headers.get("Content-Type", "")
        except OSError as exc:
            raise AuteurError(f"I could not fetch {name} from Slack: {exc}",
                              "check the app has the files:read scope, then share the file again") from None
        if "text/html" in kind and not name.lower().endswith(".html"):
            raise AuteurError(f"Slack sent a web page instead of {name} (the app may lack the files:read scope)",
                              "add files:read to the app's bot token scopes, reinstall the app, and share again")
        check_screenplay(name, len(data))
        check_content(name, data)
        return name, data

    def _mark_answered(self, response_url: str | None, original: dict, choice: str, user: str | None,
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
                blocks=answered_blocks(original.get("blocks"), choice, user))
        except OSError as exc:
            log.warning("could not mark the question answered: %s", exc)


def build_app(settings: Settings, *, model: str | None = None, socket_mode: bool = False,
              container: Any = None, workers: int = 4) -> SlackStudio:
    """The Slack studio (``.app`` is the bolt App); checks the settings and the bot token first."""
    return SlackStudio(settings, model=model, socket_mode=socket_mode, container=container, workers=workers)


def asgi_app(studio: SlackStudio):
    """Slack's endpoint (POST /slack/events) as an ASGI app; bolt's dispatch runs off the event loop."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def events(request):
        too_large = PlainTextResponse("request too large for a Slack event", status_code=413)
        try:
            if int(request.headers.get("content-length") or 0) > MAX_BODY:
                return too_large  # refused before reading: nobody unsigned makes us hold gigabytes
        except ValueError:
            return PlainTextResponse("bad Content-Length", status_code=400)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                return too_large
            chunks.append(chunk)
        body = b"".join(chunks)
        try:
            bolt_request = to_bolt_request(request, body)
        except UnicodeDecodeError:
            return PlainTextResponse("the request body is not UTF-8", status_code=400)
        response = await run_in_threadpool(studio.app.dispatch, bolt_request)
        return to_starlette_response(response)

    async def health(request):
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), Route("/health", health)])


def http_server(studio: SlackStudio, *, host: str = "127.0.0.1", port: int = 3000, log_level: str = "info"):
    """A uvicorn server for the endpoint; ``.run()`` serves until ``.should_exit`` is set."""
    import uvicorn

    config = uvicorn.Config(asgi_app(studio), host=host, port=port, log_level=log_level, access_log=False,
                            server_header=False, lifespan="off")
    return uvicorn.Server(config)


def connect_socket_mode(studio: SlackStudio):
    """Connect to Slack over Socket Mode (SLACK_APP_TOKEN); the handler answers until ``.close()``."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    handler = SocketModeHandler(studio.app, studio.settings.slack_app_token)
    try:
        handler.connect()
    except (SlackApiError, OSError) as exc:
        handler.close()
        reason = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc)
        raise AuteurError(f"Slack did not open a Socket Mode connection with SLACK_APP_TOKEN: {reason}",
                          "check the app-level token (xapp-…) has connections:write and Socket Mode is on in "
                          "your Slack app's settings, or serve over HTTP without --socket") from None
    return handler


def serve(settings: Settings, *, port: int = 3000, host: str = "127.0.0.1", socket_mode: bool = False,
          model: str | None = None) -> None:
    """Answer Slack until stopped: over HTTP at http://HOST:PORT/slack/events, or over Socket Mode."""
    if not logging.getLogger("auteur").handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    studio = build_app(settings, model=model, socket_mode=socket_mode)
    try:
        if socket_mode:
            handler = connect_socket_mode(studio)
            log.info("Auteur answers Slack over Socket Mode (Ctrl-C stops)")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                pass
            finally:
                handler.close()
        else:
            log.info("Auteur answers Slack at http://%s:%s%s", host, port, EVENTS_PATH)
            http_server(studio, host=host, port=port).run()
    finally:
        studio.close()
