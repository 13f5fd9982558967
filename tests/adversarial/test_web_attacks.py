"""The web side of issue 17 tried as an attacker would: media tokens, chat files, threads and view actions.

Against a real `auteur ui` (Chainlit) over plain HTTP and Socket.IO polling where the server matters (two password
users from AUTEUR_USERS; a studio on 0.0.0.0; a page on a foreign origin), and against the functions themselves
where it does not (the view actions' allow-list, a thread's note, the JSX). Oracles: files on disk, the chat database
read with sqlite3, status codes and bodies as the server sends them."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from config.settings import Settings
from tests.browser.conftest import REPO, Server, artifacts_dir
from ui.web.sign_in import user_folder
from ui.web.views import allowed

ANN, BOB = "ann", "bob"
PASSWORDS = {ANN: "s3cret-ann", BOB: "b0b-pass"}
EVIL = "http://evil.example"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
ELEMENTS = REPO / "ui" / "chainlit" / "public" / "elements"  # the views' JSX


def call(server: Server, path: str, *, token: str | None = None, method: str = "GET", body: object = None,
         origin: str | None = "own", headers: dict[str, str] | None = None) -> tuple[int, bytes, list[str]]:
    """(status, body, Set-Cookie headers) of one request, as a page on ``origin`` would send it; a ``body`` of bytes
    is a form, anything else JSON."""
    sent = dict(headers or {})
    if token:
        sent["Cookie"] = f"access_token={token}"
    if origin:
        sent["Origin"] = server.url if origin == "own" else origin
    data = b"" if method in ("POST", "DELETE", "PUT") else None
    if isinstance(body, bytes):
        data, sent["Content-Type"] = body, "application/x-www-form-urlencoded"
    elif body is not None:
        data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(server.url + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_all("Set-Cookie") or []


def cookie_tokens(cookies: list[str]) -> list[str]:
    return [c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("access_token=")]


def sign_in(server: Server, user: str, password: str | None = None) -> str | None:
    """POST /login as the page does: the token of the cookie it sets, None when refused."""
    form = urllib.parse.urlencode({"username": user, "password": password or PASSWORDS[user]}).encode()
    return next(iter(cookie_tokens(call(server, "/login", method="POST", body=form)[2])), None)


class Socket:
    """Chainlit's Socket.IO over Engine.IO polling, as the page speaks it: connect, say things, read what comes."""

    def __init__(self, server: Server, token: str, thread: str | None = None) -> None:
        self.headers = {"Cookie": f"access_token={token}", "Origin": server.url, "Content-Type": "text/plain"}
        self.base = server.url + "/ws/socket.io/?EIO=4&transport=polling"
        self.base = f"{self.base}&sid={json.loads(self._poll(self.base)[1:])['sid']}"
        self.session_id = str(uuid.uuid4())
        auth = {"sessionId": self.session_id, "clientType": "webapp", **({"threadId": thread} if thread else {})}
        self.send(b"40" + json.dumps(auth).encode())
        answer = self._poll(self.base)
        assert answer.startswith(("40", "44")), answer
        self.accepted = answer.startswith("40")
        if thread is None:
            assert self.accepted, answer

    def _poll(self, url: str, data: bytes | None = None) -> str:
        request = urllib.request.Request(url, data=data, headers=self.headers, method="POST" if data else "GET")
        with urllib.request.urlopen(request, timeout=40) as response:
            return response.read().decode("utf-8", "replace")

    def send(self, packet: bytes) -> None:
        self._poll(self.base, packet)

    def emit(self, event: str, *data: object) -> None:  # a Socket.IO EVENT packet
        self.send(b"42" + json.dumps([event, *data]).encode())

    def say(self, words: str) -> None:
        step = {"id": str(uuid.uuid4()), "threadId": "", "name": "user", "type": "user_message", "output": words,
                "createdAt": "2026-12-02T10:00:00Z"}
        self.emit("client_message", {"message": step, "fileReferences": []})

    def until(self, pattern: str, timeout: float = 90) -> str:
        """Everything the server sent until ``pattern`` is in it (Engine.IO pings answered on the way)."""
        seen, deadline = "", time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self._poll(self.base)
            if any(packet == "2" for packet in got.split("\x1e")):
                self.send(b"3")
            seen += got
            if re.search(pattern, seen):
                return seen
        raise AssertionError(f"{pattern!r} never came: {seen[-2000:]}")


def not_a_file(code: int, body: bytes) -> bool:
    """A refusal, or the studio's page (Chainlit's catch-all route answers a path it does not know): no file."""
    return code in (404, 414) or (code == 200 and body.lstrip().lower().startswith(b"<!doctype html"))


def db_rows(workspace: Path, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(workspace / ".auteur" / "chats.db") as db:
        return db.execute(query, args).fetchall()


def user_id(workspace: Path, identifier: str) -> str:
    [(found,)] = db_rows(workspace, 'SELECT "id" FROM users WHERE "identifier" = ?', identifier)
    return found


def workspace_of(workspace: Path, user: str) -> Path:
    return workspace / "users" / user_folder(user)


def add_thread(workspace: Path, owner: str, name: str) -> str:
    """A chat of ``owner`` written into the database as the data layer writes one."""
    thread = str(uuid.uuid4())
    with sqlite3.connect(workspace / ".auteur" / "chats.db") as db:
        db.execute('INSERT INTO threads ("id", "createdAt", "name", "userId", "userIdentifier", "tags", "metadata") '
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", (thread, "2026-12-02T10:00:00Z", name, user_id(workspace, owner),
                                                    owner, "[]", "{}"))
    return thread


def add_element(workspace: Path, owner: str, thread: str, name: str, data: bytes) -> tuple[str, Path]:
    """A file a chat of ``owner`` showed: its row and its copy in the owner's chat files; (element id, file)."""
    element = str(uuid.uuid4())
    copy = workspace_of(workspace, owner) / ".auteur" / "chat_files" / element / name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(data)
    key = f"{user_id(workspace, owner)}/{element}/{name}"
    with sqlite3.connect(workspace / ".auteur" / "chats.db") as db:
        db.execute('INSERT INTO elements ("id", "threadId", "type", "url", "name", "display", "objectKey", "forId", '
                   '"mime") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                   (element, thread, "custom", f"/auteur/chat-files/{key}", name, "inline", key, str(uuid.uuid4()),
                    "image/png"))
    return element, copy


@pytest.fixture(scope="module")
def two_users(tmp_path_factory):
    """A studio on loopback with two password users, each signed in once; the data layer has made its tables."""
    workspace = tmp_path_factory.mktemp("web_attacks") / "workspace"
    server = Server(workspace, artifacts_dir() / "web_attacks_server.log", AUTEUR_SESSION_HOURS="",
                    AUTEUR_USERS=f"{ANN}:{PASSWORDS[ANN]},{BOB}:{PASSWORDS[BOB]}").start()
    try:
        server.wait_ready()
        tokens = {user: sign_in(server, user) for user in (ANN, BOB)}
        assert all(call(server, "/user", token=token)[0] == 200 for token in tokens.values()), tokens
        yield server, tokens
    finally:
        server.stop()


def test_the_media_route_refuses_a_foreign_page_and_says_no_path(two_users):
    server, tokens = two_users
    code, body, _ = call(server, "/auteur/media/" + "A" * 32, token=tokens[ANN], origin=EVIL)
    assert code == 403, "a page on another site never reads the studio's media"
    for token in ("A" * 32, "..%2F..%2Fproject.json", "%00", "x" * 5000, "..%5C..%5Cauth_secret"):
        code, body, _ = call(server, "/auteur/media/" + token, token=tokens[ANN])
        assert not_a_file(code, body), (token, code)
        said = body.decode("utf-8", "replace")
        assert str(server.workspace) not in said and "/tmp" not in said and "Traceback" not in said, said
    for cookie in (None, "not-a-jwt", "eyJhbGciOiJub25lIn0.eyJpZGVudGlmaWVyIjoiYW5uIn0."):  # unsigned: alg none
        assert call(server, "/auteur/media/" + "B" * 32, token=cookie)[0] == 404, cookie


MEDIA = r"/auteur/media/[A-Za-z0-9_-]{20,}"


@pytest.fixture(scope="module")
def anns_board(two_users):
    """Ann's film with a board per shot and the links her studio drew for her storyboard, asked over her socket."""
    from memory.workspace import Workspace
    from tests.adversarial.test_view_attacks import PNG as BOARD
    from tests.adversarial.test_view_attacks import make_film

    server, tokens = two_users
    own = Settings.from_env({"AUTEUR_WORKSPACE": str(workspace_of(server.workspace, ANN)), "AUTEUR_MEMORY": "off",
                             "AUTEUR_USER_NAME": ANN, "AUTEUR_USER_EMAIL": "ann@example.test"})
    store = make_film(Workspace(own), cut=False)
    ann = Socket(server, tokens[ANN])
    ann.emit("connection_successful")
    ann.until("your Producer")
    ann.say(f"/open {store.slug}")
    ann.until('"task_end"')
    ann.say("/board")
    links = sorted(set(re.findall(MEDIA, ann.until(MEDIA))))
    return ann, links, store, BOARD


def test_a_media_link_drawn_for_one_user_is_no_link_for_another(two_users, anns_board):
    server, tokens = two_users
    _, links, _, board = anns_board
    assert len(links) >= 3, "the storyboard shows Ann's three boards by token"
    for link in links:
        code, mine, _ = call(server, link, token=tokens[ANN])
        assert code == 200 and (mine == board or mine.startswith(b"%PDF")), "Ann sees her board (or contact sheet)"
        code, body, _ = call(server, link, token=tokens[BOB])
        assert code == 404 and mine not in body, "Bob, given Ann's link, gets nothing"
        assert call(server, link, token=None)[0] == 404, "nobody signed in gets nothing"
        assert call(server, link, token=tokens[ANN], origin=EVIL)[0] == 403, "a foreign page cannot read it"
        code, body, _ = call(server, link, token=tokens[ANN], headers={"Range": "bytes=2-5"})
        assert code == 206 and body == mine[2:6], "a video can seek"
        code, body, _ = call(server, link, token=tokens[ANN], headers={"Range": "bytes=999999-"})
        assert str(server.workspace).encode() not in body and b"Traceback" not in body


def test_a_view_action_cannot_run_a_command_outside_the_allow_list_over_the_real_route(two_users, anns_board):
    server, tokens = two_users
    ann, _, store, _ = anns_board
    before = sorted(p.name for p in store.path.parent.iterdir())
    for command in ("/new Evil Twin", "/take S01_SH001 1\n/new Evil Twin", "\uff0fnew Evil Twin"):
        action = {"name": "auteur_view", "payload": {"command": command}, "id": str(uuid.uuid4())}
        code, _, _ = call(server, "/project/action", token=tokens[ANN], method="POST",
                          body={"sessionId": ann.session_id, "action": action})
        assert code == 200
    ann.until("a view cannot do")
    code, _, _ = call(server, "/project/action", token=tokens[BOB], method="POST",
                      body={"sessionId": ann.session_id, "action": {"name": "auteur_view", "id": str(uuid.uuid4()),
                                                                    "payload": {"command": "/approve script"}}})
    assert code == 401, "Bob cannot press a button in Ann's chat"
    assert sorted(p.name for p in store.path.parent.iterdir()) == before, "no project was made"


def test_a_chat_file_is_served_to_its_owner_alone_and_never_to_a_foreign_page(two_users):
    server, tokens = two_users
    thread = add_thread(server.workspace, ANN, "Ann's chat")
    element, copy = add_element(server.workspace, ANN, thread, "frame.png", PNG)
    ann_id, bob_id = user_id(server.workspace, ANN), user_id(server.workspace, BOB)
    own = f"/auteur/chat-files/{ann_id}/{element}/frame.png"
    code, body, _ = call(server, own, token=tokens[ANN])
    assert code == 200 and body == PNG, "the owner gets her file back"
    assert call(server, own, token=tokens[BOB])[0] == 404, "another user never gets it by its URL"
    assert call(server, f"/auteur/chat-files/{bob_id}/{element}/frame.png", token=tokens[BOB])[0] == 404
    assert call(server, own, token=None)[0] in (401, 404)
    assert call(server, own, token=tokens[ANN], origin=EVIL)[0] == 403, "a foreign page cannot fetch it"
    for trick in (f"{ann_id}/{element}/..%2F..%2F..%2Fchats.db", f"{ann_id}/..%2F{element}/frame.png",
                  f"{ann_id}/{element}/%2E%2E"):
        code, body, _ = call(server, "/auteur/chat-files/" + trick, token=tokens[ANN])
        assert not_a_file(code, body) and str(server.workspace).encode() not in body, (trick, code)
    assert copy.read_bytes() == PNG


def test_another_users_chat_cannot_be_read_listed_renamed_or_deleted(two_users):
    server, tokens = two_users
    thread = add_thread(server.workspace, ANN, "Ann only")
    assert call(server, f"/project/thread/{thread}", token=tokens[BOB])[0] in (401, 403, 404)
    code, body, _ = call(server, "/project/threads", token=tokens[BOB], method="POST",
                         body={"pagination": {"first": 50}, "filter": {}})
    assert code == 200 and thread not in body.decode(), "Bob's list never shows Ann's chat"
    code, _, _ = call(server, "/project/thread", token=tokens[BOB], method="PUT",
                      body={"threadId": thread, "name": "pwned"})
    assert code in (401, 403, 404)
    code, _, _ = call(server, "/project/thread", token=tokens[BOB], method="DELETE", body={"threadId": thread})
    assert code in (401, 403, 404)
    assert db_rows(server.workspace, 'SELECT "name" FROM threads WHERE "id" = ?', thread) == [("Ann only",)]


def test_another_users_chat_cannot_be_resumed_on_a_socket(two_users):
    server, tokens = two_users
    thread = add_thread(server.workspace, ANN, "Ann's night")
    assert not Socket(server, tokens[BOB], thread=thread).accepted, "Bob cannot open Ann's chat"
    assert Socket(server, tokens[ANN], thread=thread).accepted


def test_another_users_chat_file_cannot_be_deleted_by_its_element_id(two_users):
    """Chainlit's DELETE /project/element removes an element by the id the page sends (its data layer does not ask
    whose it is). Bob, knowing the id of an element of Ann's chat, must not remove its row or her copy."""
    server, tokens = two_users
    thread = add_thread(server.workspace, ANN, "Ann's board")
    element, copy = add_element(server.workspace, ANN, thread, "board.png", PNG)
    bob = Socket(server, tokens[BOB])
    bob.say("/help")  # his session's first message: Chainlit's data layer runs its calls at once from then on
    bob.until('"task_end"')
    call(server, "/project/element", token=tokens[BOB], method="DELETE",
         body={"sessionId": bob.session_id, "element": {"id": element, "type": "custom", "name": "Storyboard",
                                                  "display": "inline", "threadId": thread, "forId": ""}})
    assert copy.read_bytes() == PNG, "Ann's chat file is still there"
    assert db_rows(server.workspace, 'SELECT COUNT(*) FROM elements WHERE "id" = ?', element) == [(1,)]


def test_nothing_can_be_put_into_another_users_chat_by_its_thread_id(two_users):
    """Chainlit's PUT /project/element keeps a custom element under the thread id the page sends. Bob, knowing the
    id of Ann's chat (it is in her page's address), must not add a view to it, nor overwrite one of hers."""
    server, tokens = two_users
    thread = add_thread(server.workspace, ANN, "Ann's review")
    mine, copy = add_element(server.workspace, ANN, thread, "Review", PNG)
    bob = Socket(server, tokens[BOB])
    bob.say("/help")
    bob.until('"task_end"')
    forged = {"command": "/render clips S01_SH001 yes"}
    for element in (str(uuid.uuid4()), mine):
        call(server, "/project/element", token=tokens[BOB], method="PUT",
             body={"sessionId": bob.session_id, "element": {"id": element, "type": "custom", "name": "Review",
                                                             "display": "inline", "threadId": thread,
                                                             "forId": str(uuid.uuid4()), "props": forged}})
    time.sleep(1)
    rows = db_rows(server.workspace, 'SELECT "id", "props", "url" FROM elements WHERE "threadId" = ?', thread)
    assert [row[0] for row in rows] == [mine], "no element of Bob's in Ann's chat"
    assert "render clips" not in json.dumps(rows), "Ann's element is as she left it"
    assert copy.read_bytes() == PNG


def test_deleting_a_chat_never_touches_a_project_file_even_when_its_rows_point_there(two_users):
    """The database is editable: an element whose key goes through a link in the chat files, or climbs out of them,
    names a project file. Deleting the chat deletes its rows and its own copies, never that file."""
    server, tokens = two_users
    ann = workspace_of(server.workspace, ANN)
    project = ann / "night-shift"
    project.mkdir(parents=True, exist_ok=True)
    (project / "project.json").write_text('{"title": "Night Shift"}')
    thread = add_thread(server.workspace, ANN, "to delete")
    element, copy = add_element(server.workspace, ANN, thread, "kept.png", PNG)
    linked = str(uuid.uuid4())
    (ann / ".auteur" / "chat_files" / linked).symlink_to(project, target_is_directory=True)
    ann_id = user_id(server.workspace, ANN)
    keys = [f"{ann_id}/{linked}/project.json", f"{ann_id}/../../night-shift/project.json",
            f"{ann_id}/{element}/../../../night-shift/project.json"]
    with sqlite3.connect(server.workspace / ".auteur" / "chats.db") as db:
        for key in keys:
            db.execute('INSERT INTO elements ("id", "threadId", "type", "name", "objectKey") VALUES (?, ?, ?, ?, ?)',
                       (str(uuid.uuid4()), thread, "file", "project.json", key))
    code, _, _ = call(server, "/project/thread", token=tokens[ANN], method="DELETE", body={"threadId": thread})
    assert code == 200
    assert (project / "project.json").read_text() == '{"title": "Night Shift"}', "the project file is untouched"
    assert not copy.exists(), "the chat's own copy went with it"
    assert db_rows(server.workspace, 'SELECT COUNT(*) FROM elements WHERE "threadId" = ?', thread) == [(0,)]


ACTIVE = {"board.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
          "notes.html": b"<html><script>fetch('/project/threads')</script></html>",
          "cut.xml": b'<x><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></x>'}
ACTIVE_TYPES = ("image/svg+xml", "text/html", "application/xhtml+xml", "text/xml", "application/xml")


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_a_project_file_a_browser_would_run_is_never_served_as_a_page(tmp_path, monkeypatch, name):
    """A view's media path may be written by a model or come with a project made elsewhere (an archive, a branch).
    A file a browser runs as a page, opened from its link, would run in the studio's origin: it must come inert."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from ui.web import media

    project = tmp_path / "ws" / "film"
    (project / "03_Renders").mkdir(parents=True)
    (project / "03_Renders" / name).write_bytes(ACTIVE[name])
    tokens = media.MediaTokens()
    link = media.with_urls({"image": f"03_Renders/{name}"}, project, project.parent, ANN, tokens)["image"]

    async def ann(request: object) -> str:
        return ANN

    monkeypatch.setattr(media, "TOKENS", tokens)
    monkeypatch.setattr(media, "current_user", ann)
    app = FastAPI()
    media.mount(app)
    answer = TestClient(app).get(link or media.PREFIX + "not-minted")  # not minted: 404, safe
    kind = answer.headers.get("content-type", "").split(";")[0]
    inert = answer.headers.get("x-content-type-options") == "nosniff" and (
        "sandbox" in answer.headers.get("content-security-policy", "")
        or answer.headers.get("content-disposition", "").startswith("attachment"))
    assert answer.status_code == 404 or kind not in ACTIVE_TYPES or inert, (name, kind, dict(answer.headers))


def test_a_forged_header_gets_no_identity_on_a_studio_with_passwords(two_users):
    server, _ = two_users
    for name in ("X-Forwarded-User", "Remote-User", "X-Auth-Request-User", "X-Auteur-User"):
        code, _, cookies = call(server, "/auth/header", method="POST", headers={name: ANN})
        assert code != 200 and not any(c.startswith("access_token=") for c in cookies), name


def test_no_local_identity_on_a_studio_that_listens_on_every_address(tmp_path):
    server = Server(tmp_path / "workspace", artifacts_dir() / "web_attacks_wildcard.log")
    server.command += ["--host", "0.0.0.0"]
    server.start()
    try:
        server.wait_ready()
        for headers in ({}, {"X-Forwarded-For": "127.0.0.1"}, {"Host": "127.0.0.1"}):
            code, _, cookies = call(server, "/auth/header", method="POST", headers=headers)
            assert code != 200 and not any(c.startswith("access_token=") for c in cookies), headers
        assert not (tmp_path / "workspace" / ".auteur" / "chats.db").exists() or db_rows(
            tmp_path / "workspace", "SELECT COUNT(*) FROM users") == [(0,)]
    finally:
        server.stop()


def test_a_foreign_page_cannot_take_the_local_identity_on_loopback(tmp_path):
    server = Server(tmp_path / "workspace", artifacts_dir() / "web_attacks_local.log").start()
    try:
        server.wait_ready()
        code, _, cookies = call(server, "/auth/header", method="POST")
        assert code == 200 and any(c.startswith("access_token=") for c in cookies), "the person at this machine"
        for origin in (EVIL, "null", f"http://127.0.0.1.evil.example:{server.port}"):
            code, _, cookies = call(server, "/auth/header", method="POST", origin=origin)
            assert code == 403 and not cookies, origin
        rebound = f"evil.example:{server.port}"  # DNS rebinding: the foreign name now points at 127.0.0.1
        code, _, cookies = call(server, "/auth/header", method="POST", origin=f"http://{rebound}",
                                headers={"Host": rebound})
        assert code == 403 and not cookies
    finally:
        server.stop()


@pytest.mark.parametrize("way", ["AUTEUR_PASSWORD", "AUTEUR_AUTH_HEADER"])
def test_a_typed_or_proxied_name_never_becomes_the_local_identity(tmp_path, way):
    """The person at this machine keeps their chats as "local:NAME" (in the same chats.db). A name typed with the
    shared password, or passed by a proxy, must not become it: the owner's loopback chats would be listed to them."""
    local = "local:Dana Director"
    env = {"AUTEUR_PASSWORD": "shared-pass"} if way == "AUTEUR_PASSWORD" else {"AUTEUR_AUTH_HEADER": "X-User"}
    server = Server(tmp_path / "workspace", artifacts_dir() / "web_attacks_typed.log", AUTEUR_SESSION_HOURS="",
                    **env).start()
    try:
        server.wait_ready()
        if way == "AUTEUR_PASSWORD":
            tokens = [token] if (token := sign_in(server, local, "shared-pass")) else []
        else:
            tokens = cookie_tokens(call(server, "/auth/header", method="POST", headers={"X-User": local})[2])
        for token in tokens:
            code, body, _ = call(server, "/user", token=token)
            assert code != 200 or json.loads(body)["identifier"] != local, "a typed name took the local identity"
    finally:
        server.stop()


@pytest.mark.parametrize("line", [
    "/open other-film", "/new Stolen", "/delete night-shift", "/export fcpxml", "/model gpt-4", "/revise script: x",
    "/ open x", "//open x", "\\open x", "／take S01_SH001 2", "∕take S01_SH001 2", "⁄take S01_SH001 2",
    "/TAKE S01_SH001 2", "/tаke S01_SH001 2", "/take\u200b S01_SH001 2", "/takeover", "/take-x", "take S01 2",
    "\n/open x", " /open x", "\u2028/open x", "/approve" + " x" * 1500, "/prompt S01_SH001 " + "a" * 5000, None, 7,
    ["/take"], {"command": "/take"},
])
def test_a_view_action_outside_the_allow_list_is_refused(line):
    assert allowed(line) is None, repr(line)[:80]


@pytest.mark.parametrize("line", [
    "/take S01_SH001 2\n/open other", "/take S01_SH001 2\r\n/delete x", "/note 0:07 red coat\u2028/open x",
    "/prompt S01_SH001 a\x1c/new x", "/fix all\n/model evil", "/branch switch alt\n/open x", "/shot S01_SH001\x85/open y",
])
def test_a_second_command_never_rides_on_an_allowed_one(line):
    sent = allowed(line)
    assert sent is not None and "\n" not in sent and "\r" not in sent
    assert sent.split()[0] == line.split()[0] and sent.count("/") == line.count("/")
    assert all(ch.isprintable() for ch in sent), repr(sent)
    head, _, rest = sent.lstrip("/").partition(" ")
    assert head in ("take", "prompt", "note", "fix", "branch", "shot") and not rest.startswith("/")


def test_a_forged_thread_note_opens_nothing_outside_the_users_workspace(tmp_path):
    from memory.workspace import Workspace
    from ui.web.chat import resumed
    from ui.web.runs import BusyProjects

    root = tmp_path / "ws"
    base = Settings.from_env({"AUTEUR_WORKSPACE": str(root), "AUTEUR_MEMORY": "off",
                              "AUTEUR_USER_NAME": "Ann", "AUTEUR_MODEL": "fake/schema"})
    ann = dataclasses.replace(base, workspace=root / "users" / "ann")
    bob = dataclasses.replace(base, workspace=root / "users" / "bob")
    Workspace(bob).create("Bob Film")
    Workspace(ann).create("Ann Film")
    for slug in ("bob-film", "../bob/bob-film", str(bob.workspace / "bob-film"), "..", ".", "", "ann-film/../../bob"
                 "/bob-film", "ann-film/", "ANN-FILM", "ann-film\x00"):
        chat = resumed(ann, BusyProjects(), {"project": slug})
        assert chat.open_slug() != "bob-film" and chat.session.store is None, slug
    assert resumed(ann, BusyProjects(), {"project": "ann-film"}).open_slug() == "ann-film"
    for model in ("http://attacker.example/v1", "openai/gpt-4o", "../../etc/passwd", "ollama/llama3:70b", "x" * 500):
        chat = resumed(ann, BusyProjects(), {"project": "ann-film", "model": model})
        assert chat.model is None, model


@pytest.mark.parametrize("jsx", sorted(ELEMENTS.glob("*.jsx")), ids=lambda p: p.name)
def test_model_text_in_a_view_is_drawn_as_text(jsx):
    """React escapes text children; what would not: raw HTML, script URLs, code built from strings, links that
    take a value from the props (a model-written string could be javascript:)."""
    source = jsx.read_text(encoding="utf-8")
    for risky in ("dangerouslySetInnerHTML", "innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function",
                  "javascript:", "document.write", "srcDoc", "window.open", "location.href", "location ="):
        assert risky not in source, (jsx.name, risky)
    for link in re.findall(r"href=\{([^}]*)\}", source):
        assert link.strip() == "view.download", (jsx.name, link)  # the media route's token URL, made server side
    for media in re.findall(r"\b(?:src|poster)=\{([^}]*)\}", source):
        assert re.fullmatch(r"[\w.]+\.(image|video|audio)|image|video", media.strip()), (jsx.name, media)
