"""A fake Slack on loopback: the Web API methods Auteur calls, response_url posts and file uploads,
each recorded for the test to look at."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

BAD_TOKEN = "xoxb-revoked"
BAD_APP_TOKEN = "xapp-revoked"


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}  # shared files, served at /files/NAME
        self._changed = threading.Condition()
        self._ids = count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake._handle(self, raw)

            def do_GET(self) -> None:  # files shared in Slack, for a bot token only
                name = urlsplit(self.path).path.removeprefix("/files/")
                authorized = self.headers.get("Authorization", "").startswith("Bearer xoxb-")
                with fake._changed:
                    fake.calls.append({"method": "download", "name": name, "authorized": authorized})
                    fake._changed.notify_all()
                data = fake.files.get(name) if authorized else None
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def share(self, name: str, data: bytes) -> dict[str, Any]:
        """A file as Slack describes it in an event's ``files``."""
        self.files[name] = data
        return {"id": f"F{next(self._ids):05d}", "name": name, "size": len(data),
                "url_private_download": f"http://127.0.0.1:{self.port}/files/{name}"}

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._socket is not None:
            self._socket.shutdown()

    # ------------------------------------------------------------ Socket Mode

    _socket = None

    def socket_mode(self, envelopes: list[dict[str, Any]]) -> None:
        """Serve Socket Mode's WebSocket: say hello, send ``envelopes``, record the acks as 'socket_ack'."""
        from websockets.sync.server import serve

        def session(ws) -> None:
            ws.send(json.dumps({"type": "hello", "num_connections": 1}))
            for envelope in envelopes:
                ws.send(json.dumps(envelope))
            try:
                for raw in ws:
                    with self._changed:
                        self.calls.append({"method": "socket_ack", **json.loads(raw)})
                        self._changed.notify_all()
            except Exception:  # the client went away
                pass

        self._socket = serve(session, "127.0.0.1", 0)
        self.socket_port = self._socket.socket.getsockname()[1]
        threading.Thread(target=self._socket.serve_forever, daemon=True).start()

    # ------------------------------------------------------------ what the test looks at

    def of(self, method: str) -> list[dict[str, Any]]:
        """Recorded calls of a Web API method ('chat.postMessage'), or 'response' / 'upload'."""
        with self._changed:
            return [c for c in self.calls if c["method"] == method]

    def wait_for(self, check: Callable[[], Any], timeout: float = 20.0) -> Any:
        with self._changed:
            return self._changed.wait_for(check, timeout)

    # ------------------------------------------------------------ the server side

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        path = urlsplit(handler.path).path
        kind = handler.headers.get("Content-Type", "")
        if path.startswith("/upload/"):
            call = {"method": "upload", "file_id": path.rsplit("/", 1)[1], "data": raw}
            reply: Any = "OK - %d" % len(raw)
        else:
            if "json" in kind:
                params = json.loads(raw or b"{}")
            else:
                params = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
            params.update(parse_qsl(urlsplit(handler.path).query))
            if path.startswith("/response/"):
                call = {"method": "response", "url": path, **params}
                reply = "ok"
            else:
                method = path.removeprefix("/api/")
                auth = handler.headers.get("Authorization", "")
                call = {"method": method, "token": auth.removeprefix("Bearer "), **params}
                reply = self._answer(method, call)
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        body = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain" if isinstance(reply, str) else "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _answer(self, method: str, call: dict[str, Any]) -> dict[str, Any]:
        if call["token"] in (BAD_TOKEN, BAD_APP_TOKEN):
            return {"ok": False, "error": "invalid_auth"}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.socket_port}/link"}
        if method == "auth.test":
            return {"ok": True, "url": "https://film.example/", "team": "Film", "user": "auteur",
                    "team_id": "T0FILM", "user_id": "U0BOT", "bot_id": "B0BOT"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": call.get("channel"), "ts": f"1700000000.{next(self._ids):06d}",
                    "message": {"text": call.get("text")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):05d}"
            return {"ok": True, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(call.get("files") or "[]")
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": True}
