"""`auteur slack`: Auteur answering Slack, over HTTP (POST /slack/events) or Socket Mode.

build_app checks the settings, then puts the bolt app (listeners.py) over the conversations
(studio.py); the endpoint and the Socket Mode connection only hand Slack's requests to bolt.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from config.settings import Settings
from studio.errors import AuteurError
from ui.slack.credentials import app_token, check_settings, signing_secret
from ui.slack.listeners import bolt_app
from ui.slack.studio import SlackStudio

log = logging.getLogger("auteur.slack")

EVENTS_PATH = "/slack/events"
MAX_BODY = 1_000_000


def build_app(settings: Settings, *, model: str | None = None, socket_mode: bool = False,
              container: Any = None, workers: int = 4) -> SlackStudio:
    """The Slack studio (``.app`` is the bolt App); checks the settings and the bot token first."""
    check_settings(settings, socket_mode=socket_mode)
    studio = SlackStudio(settings, model=model, container=container, workers=workers)
    try:
        studio.app = bolt_app(studio, socket_mode=socket_mode)
    except AuteurError:
        studio.close()
        raise
    return studio


def asgi_app(studio: SlackStudio):
    """Slack's endpoint (POST /slack/events) as an ASGI app: the signature is checked before the body is read as
    Slack's (an unsigned or unreadable body is a 401 or a 400, never a 500); bolt's dispatch runs off the event loop."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from slack_bolt.error import BoltError
    from slack_sdk.signature import SignatureVerifier
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    verifier = SignatureVerifier(signing_secret(studio.settings) or "")

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
            signed = verifier.is_valid_request(body, dict(request.headers))
        except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
            signed = False
        if not signed:
            return PlainTextResponse("invalid request", status_code=401)  # the signature first, then the body
        try:
            bolt_request = to_bolt_request(request, body)
            if not isinstance(bolt_request.body, dict):
                raise ValueError("not an object")
        except (ValueError, TypeError, AttributeError, KeyError, BoltError):  # JSON and UTF-8 errors are ValueErrors
            return PlainTextResponse("the request body is not a Slack event", status_code=400)
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

    handler = SocketModeHandler(studio.app, app_token(studio.settings))
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
