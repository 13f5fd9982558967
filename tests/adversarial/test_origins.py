"""Other sites may not drive the studio (issue 12, point 3).

A real `auteur ui` on loopback. A page on another origin (another site, `null`, or another port of
this machine) must not open its Socket.IO connection nor send it requests, in raw requests and in
Chromium; the studio's own page may. `--host 0.0.0.0` / `LOCALHOST` never allow `*`, and
AUTEUR_ALLOWED_ORIGINS adds an origin that then works.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
import tomllib
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from config.settings import Settings
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, artifacts_dir, free_port

EVIL = "http://evil.example"
SOCKET = "/ws/socket.io/?EIO=4&transport=polling"


# ---------------------------------------------------------------- raw clients


def request(url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
         data: bytes | None = None) -> tuple[int, bytes]:
    sent = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(sent, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def websocket_opens(url: str, origin: str | None) -> bool:
    """Whether the studio accepts a Socket.IO WebSocket from a page on ``origin`` (and says hello)."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    headers = {"Origin": origin} if origin is not None else {}
    try:
        with connect(url.replace("http://", "ws://") + "/ws/socket.io/?EIO=4&transport=websocket",
                     additional_headers=headers, open_timeout=20) as ws:
            return str(ws.recv(timeout=20)).startswith("0{")
    except InvalidStatus:
        return False


def local_token(url: str, origin: str | None) -> str | None:
    """The sign-in token the page gets on loopback as the person at this machine (POST /auth/header, from ``origin``,
    as the page sends it); None when the studio refuses (a foreign origin)."""
    sent = urllib.request.Request(url + "/auth/header", method="POST", data=b"",
                                  headers={"Origin": origin} if origin else {})
    try:
        with urllib.request.urlopen(sent, timeout=20) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError:
        return None
    return next((c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("access_token=")), None)


def chat_client(url: str, origin: str | None, *, transport: str = "websocket"):
    """A Socket.IO client as the studio's page is one, signed in as the page is and started (the Producer has greeted
    it); None when the studio refuses the connection. Its ``session_id`` names the chat."""
    import socketio

    options = {"suppress_origin": True} if origin is None else {"origin": origin}
    client = socketio.Client(reconnection=False, websocket_extra_options=options)
    greeted = threading.Event()
    client.on("new_message", lambda message: message.get("type") == "assistant_message" and greeted.set())
    client.session_id = str(uuid.uuid4())
    # The token is asked for from the studio's own page: a foreign page would not get one, and this tests what the
    # socket itself lets in from ``origin`` even with a valid sign-in.
    token = local_token(url, url)
    headers = {"Origin": origin} if origin and transport == "polling" else {}
    if token:
        headers["Cookie"] = f"access_token={token}"
    try:
        client.connect(url, headers=headers,
                       auth={"sessionId": client.session_id, "clientType": "webapp"},
                       socketio_path="/ws/socket.io", transports=[transport], wait_timeout=20)
    except socketio.exceptions.ConnectionError:
        client.disconnect()
        return None
    client.emit("connection_successful")
    assert greeted.wait(60), "the Producer did not greet the chat"
    return client


def say(client, text: str) -> None:
    client.emit("client_message", {"message": {
        "id": str(uuid.uuid4()), "output": text, "type": "user_message", "name": "User",
        "createdAt": datetime.now(timezone.utc).isoformat()}, "fileReferences": []})


def titles(workspace: Path) -> list[str]:
    return sorted(json.loads(p.read_text())["title"] for p in workspace.glob("*/project.json"))


def wait_for_title(workspace: Path, title: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while title not in titles(workspace):
        assert time.monotonic() < deadline, f"no project {title!r} in {titles(workspace)}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("origins") / "workspace", artifacts_dir() / "origins_server.log")
    server.start().wait_ready()
    yield server
    server.stop()


# ---------------------------------------------------------------- (a) raw requests

OTHERS = [EVIL, "null", "http://127.0.0.1:{other}", "http://localhost:{other}", "https://127.0.0.1:{port}.evil.example"]


@pytest.mark.parametrize("origin", OTHERS)
def test_a_page_elsewhere_cannot_open_the_socket(studio, origin):
    origin = origin.format(other=free_port(), port=studio.port)
    status, _ = request(studio.url + SOCKET, headers={"Origin": origin})
    assert status == 403
    assert not websocket_opens(studio.url, origin)
    status, body = request(studio.url + "/auth/config", headers={"Origin": origin})
    assert status == 403 and b"another site" in body


def test_the_studios_own_page_and_plain_clients_may(studio):
    for origin in (studio.url, f"http://localhost:{studio.port}", None):
        status, body = request(studio.url + SOCKET, headers={"Origin": origin} if origin else {})
        assert status == 200 and body.startswith(b"0{"), (origin, status, body[:200])
        assert websocket_opens(studio.url, origin), origin
        assert request(studio.url + "/auth/config", headers={"Origin": origin} if origin else {})[0] == 200


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_client_claiming_another_origin_cannot_create_a_project(studio, transport):
    for origin in (EVIL, "null", f"http://127.0.0.1:{free_port()}"):
        client = chat_client(studio.url, origin, transport=transport)
        if client is not None:  # the studio let it in: show what it could do, then fail
            say(client, f"/new Evil {transport}")
            try:
                wait_for_title(studio.workspace, f"Evil {transport}", timeout=30)
            finally:
                client.disconnect()
        assert client is None, f"{origin} connected over {transport}; projects now: {titles(studio.workspace)}"
    assert not [t for t in titles(studio.workspace) if t.startswith("Evil")]
    own = chat_client(studio.url, studio.url, transport=transport)
    assert own is not None
    try:
        say(own, f"/new Own {transport}")
        wait_for_title(studio.workspace, f"Own {transport}")  # the same client from the right page works
    finally:
        own.disconnect()


def test_a_state_changing_request_with_cookies_needs_the_studios_origin(studio):
    upload = studio.url + "/project/file?session_id=none"
    cookie = {"Cookie": "access_token=stolen", "Content-Type": "application/json"}
    status, body = request(upload, method="POST", headers=cookie, data=b"{}")
    assert status == 403 and b"another site" in body
    status, _ = request(upload, method="POST", headers={**cookie, "Referer": f"{EVIL}/page"}, data=b"{}")
    assert status == 403
    for allowed in ({"Referer": studio.url + "/"}, {"Origin": studio.url}, {}):
        headers = {**cookie, **allowed} if allowed else {"Content-Type": "application/json"}
        status, body = request(upload, method="POST", headers=headers, data=b"{}")
        assert status != 403, (allowed, body)  # Chainlit's own answer (no such chat), not ours


# ---------------------------------------------------------------- (b) a real page on another port

ATTACK = """
window.outcome = null;
(function () {
  const uuid = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, c => {
    const r = Math.random() * 16 | 0; return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16); });
  const ws = new WebSocket(STUDIO + '/ws/socket.io/?EIO=4&transport=websocket');
  const emit = (...args) => ws.send('42' + JSON.stringify(args));
  ws.onmessage = (e) => {
    const d = String(e.data);
    if (d[0] === '0') ws.send('40' + JSON.stringify({sessionId: uuid(), clientType: 'webapp'}));
    else if (d === '2') ws.send('3');
    else if (d.startsWith('44')) window.outcome = 'refused';
    else if (d.startsWith('40')) emit('connection_successful');
    else if (d.startsWith('42') && window.outcome === null
             && JSON.parse(d.slice(2))[1]?.type === 'assistant_message') {
      emit('client_message', {message: {id: uuid(), output: '/new ' + TITLE, type: 'user_message', name: 'User',
                                        createdAt: new Date().toISOString()}, fileReferences: []});
      window.outcome = 'sent';
    }
  };
  ws.onclose = () => { if (window.outcome === null) window.outcome = 'refused'; };
})();
"""


def attack_script(studio, title: str) -> str:
    return f"const STUDIO = {json.dumps(studio.url.replace('http://', 'ws://'))};\n" \
           f"const TITLE = {json.dumps(title)};\n{ATTACK}"


def test_a_page_on_another_loopback_port_cannot_drive_the_studio_in_chromium(studio, tmp_path):
    from playwright.sync_api import sync_playwright

    (tmp_path / "attack.html").write_text(f"<html><body><script>{attack_script(studio, 'Evil Page')}"
                                          "</script></body></html>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{site.server_address[1]}/attack.html")
                page.wait_for_function("window.outcome !== null", timeout=60_000)
                outcome = page.evaluate("window.outcome")
                if outcome == "sent":
                    wait_for_title(studio.workspace, "Evil Page", timeout=30)
                assert outcome == "refused"
                assert "Evil Page" not in titles(studio.workspace)
                # The same script from the studio's own page does create the project.
                own = browser.new_page()
                own.goto(studio.url)
                own.locator("#chat-input").wait_for(timeout=60_000)  # signed in as the person here, page settled
                own.wait_for_load_state("networkidle")
                own.add_script_tag(content=attack_script(studio, "Own Page"))
                own.wait_for_function("window.outcome !== null", timeout=60_000)
                assert own.evaluate("window.outcome") == "sent"
                wait_for_title(studio.workspace, "Own Page")
            finally:
                browser.close()
    finally:
        site.shutdown()
    assert "Evil Page" not in titles(studio.workspace)


# ---------------------------------------------------------------- (c) never `*`; (d) AUTEUR_ALLOWED_ORIGINS


@pytest.mark.parametrize("host", ["0.0.0.0", "LOCALHOST", "localhost", "::", "studio.lan", "192.168.1.5",
                                  "127.0.0.1", "::1"])
def test_no_host_allows_every_origin(tmp_path, host):
    from ui.web.origins import Origins
    from ui.web.server import prepare

    origins = Origins(host, 8000)
    assert "*" not in " ".join(origins.allowed)
    assert not origins.allows(EVIL) and not origins.allows("null")
    assert not origins.allows("http://127.0.0.1:8001")
    root = prepare(Settings.from_env({"AUTEUR_WORKSPACE": str(tmp_path)}), host=host, port=8000)
    written = tomllib.loads((root / ".chainlit" / "config.toml").read_text())["project"]["allow_origins"]
    assert written and "*" not in written
    assert set(written) == set(origins.for_browsers())


def test_the_origins_of_each_host():
    from ui.web.origins import Origins

    loopback = Origins("LOCALHOST", 8000)
    for origin in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "HTTP://LocalHost:8000"):
        assert loopback.allows(origin), origin
    # Another loopback port, a name rebound to this machine, a look-alike: refused.
    for origin in ("http://localhost:8001", "http://localhost", "http://rebound.example:8000",
                   "http://localhost.evil.example:8000", "http://localhost:8000@evil.example"):
        assert not loopback.allows(origin, "rebound.example:8000"), origin
    named = Origins("studio.lan", 8000)
    assert named.allows("http://studio.lan:8000") and not named.allows("http://localhost:8000")
    every = Origins("0.0.0.0", 8000)
    assert every.allows("http://127.0.0.1:8000")
    assert every.allows("http://192.168.1.5:9000", "192.168.1.5:9000")  # the address the page came from
    assert not every.allows("http://192.168.1.5:9000", "192.168.1.5:8000")
    assert not every.allows("http://rebound.example:8000", "rebound.example:8000")  # DNS can point anywhere


def test_allowed_origins_are_checked():
    from studio.errors import AuteurError
    from ui.web.origins import Origins

    assert Settings.from_env({"AUTEUR_ALLOWED_ORIGINS": " https://a.example , ,http://b.example:81"}).allowed_origins \
        == ("https://a.example", "http://b.example:81")
    extra = Origins("127.0.0.1", 8000, ["https://Studio.Example.com/", "http://b.example:81"])
    assert extra.allows("https://studio.example.com") and extra.allows("https://studio.example.com:443")
    assert extra.allows("http://b.example:81") and not extra.allows("http://b.example")
    assert "https://studio.example.com" in extra.for_browsers()
    for wrong in ("*", "studio.example.com", "null", "ftp://x.example", "https://x.example/path"):
        with pytest.raises(AuteurError) as caught:
            Origins("127.0.0.1", 8000, [wrong])
        assert "AUTEUR_ALLOWED_ORIGINS" in str(caught.value)


def test_a_studio_on_every_address_with_an_added_origin(tmp_path):
    proxy = "https://studio.example.com"
    server = Server(tmp_path / "workspace", artifacts_dir() / "origins_public_server.log",
                    AUTEUR_ALLOWED_ORIGINS=proxy)
    server.command += ["--host", "0.0.0.0"]
    server.start().wait_ready()
    try:
        written = tomllib.loads((server.workspace / ".auteur" / "chainlit" / ".chainlit" / "config.toml")
                                .read_text())["project"]["allow_origins"]
        assert "*" not in written and proxy in written
        for origin in (proxy, server.url):
            status, body = request(server.url + SOCKET, headers={"Origin": origin})
            assert status == 200 and body.startswith(b"0{"), (origin, status, body[:200])
            assert websocket_opens(server.url, origin)
        for origin in (EVIL, "null", f"http://127.0.0.1:{free_port()}", "http://studio.example.com"):
            assert request(server.url + SOCKET, headers={"Origin": origin})[0] == 403, origin
            assert not websocket_opens(server.url, origin), origin
        # Reached at another loopback address (a name for this machine the list does not hold):
        # a page from exactly there is the studio's own; a page elsewhere is not.
        other = f"http://127.0.0.2:{server.port}"
        assert request(other + SOCKET, headers={"Origin": other})[0] == 200
        assert request(other + SOCKET, headers={"Origin": f"http://127.0.0.3:{server.port}"})[0] == 403
        client = chat_client(server.url, proxy)
        assert client is not None
        try:
            say(client, "/new Proxied Film")
            wait_for_title(server.workspace, "Proxied Film")
        finally:
            client.disconnect()
    finally:
        server.stop()
