"""ui/web/media.py: a view's media reach the browser only by token, only for files inside the workspace the token
was minted in, only for the user it was minted for; video is served with byte ranges.

Expected bytes come from the files written here; a range's bytes are sliced from them by hand (RFC 9110: "bytes=2-5"
is bytes 2 to 5 inclusive)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from starlette.responses import HTMLResponse
from starlette.testclient import TestClient

from ui.web import media
from ui.web.media import PREFIX, MediaTokens, mount, with_urls

CLIP = bytes(range(256)) * 40  # 10 240 bytes that differ from place to place


@pytest.fixture
def spaces(tmp_path: Path) -> dict[str, Path]:
    """Two users' workspaces side by side, a project in each, and a secret file outside both."""
    ana = tmp_path / "users" / "ana"
    ben = tmp_path / "users" / "ben"
    for ws in (ana, ben):
        (ws / "night" / "03_Renders").mkdir(parents=True)
    (ana / "night" / "03_Renders" / "S01_SH001_take01.png").write_bytes(b"\x89PNG ana's board")
    (ana / "night" / "03_Renders" / "cut.mp4").write_bytes(CLIP)
    (ben / "night" / "03_Renders" / "S01_SH001_take01.png").write_bytes(b"\x89PNG ben's board")
    (tmp_path / "secret.txt").write_text("not for the page")
    return {"ana": ana, "ben": ben, "root": tmp_path}


def test_a_token_gives_its_user_exactly_that_file(spaces):
    tokens = MediaTokens()
    board = spaces["ana"] / "night" / "03_Renders" / "S01_SH001_take01.png"
    token = tokens.mint(board, spaces["ana"], "ana")
    assert token and len(token) >= 32
    assert tokens.file(token, "ana") == board.resolve()
    assert tokens.file(token, "ben") is None, "another user's token reads nothing"
    assert tokens.file(token, None) is None, "nor does a page with no sign-in"
    assert tokens.file(token + "x", "ana") is None and tokens.file("", "ana") is None
    assert tokens.mint(board, spaces["ana"], "ana") == token, "the same file keeps its link for its user"
    assert tokens.mint(board, spaces["ana"], "ben") != token


def test_nothing_outside_the_workspace_gets_a_token(spaces):
    tokens = MediaTokens()
    ana = spaces["ana"]
    assert tokens.mint(spaces["root"] / "secret.txt", ana, "ana") is None
    assert tokens.mint(ana / ".." / "ben" / "night" / "03_Renders" / "S01_SH001_take01.png", ana, "ana") is None
    assert tokens.mint(ana / "night" / "missing.png", ana, "ana") is None
    assert tokens.mint(ana / "night", ana, "ana") is None, "a folder is no file"
    os.symlink(spaces["root"] / "secret.txt", ana / "night" / "03_Renders" / "link.png")
    assert tokens.mint(ana / "night" / "03_Renders" / "link.png", ana, "ana") is None, "a link out is followed"


def test_a_file_swapped_for_a_link_after_the_token_is_refused(spaces):
    tokens = MediaTokens()
    board = spaces["ana"] / "night" / "03_Renders" / "S01_SH001_take01.png"
    token = tokens.mint(board, spaces["ana"], "ana")
    board.unlink()
    os.symlink(spaces["root"] / "secret.txt", board)
    assert tokens.file(token, "ana") is None


def test_view_props_get_urls_and_never_a_path(spaces):
    tokens = MediaTokens()
    project = spaces["ana"] / "night"
    props = {"scenes": [{"shots": [{"code": "S01_SH001", "image": "03_Renders/S01_SH001_take01.png", "take": 1},
                                   {"code": "S01_SH002", "image": None},
                                   {"code": "S01_SH003", "image": str(spaces["root"] / "secret.txt")},
                                   {"code": "S01_SH004", "image": "../../ben/night/03_Renders/S01_SH001_take01.png"}]}],
             "cut": {"video": "03_Renders/cut.mp4", "duration": 4.0}, "title": "03_Renders/cut.mp4"}
    shown = with_urls(props, project, spaces["ana"], "ana", tokens)
    shots = shown["scenes"][0]["shots"]
    assert shots[0]["image"].startswith(PREFIX) and shots[0]["take"] == 1
    assert tokens.file(shots[0]["image"][len(PREFIX):], "ana").read_bytes() == b"\x89PNG ana's board"
    assert shots[1]["image"] is None
    assert shots[2]["image"] is None, "an absolute path is never served"
    assert shots[3]["image"] is None, "nor another user's file reached by .."
    assert shown["cut"]["video"].startswith(PREFIX) and shown["cut"]["duration"] == 4.0
    assert shown["title"] == "03_Renders/cut.mp4", "only media fields become links"
    assert str(spaces["root"]) not in repr(shown)


def test_the_oldest_grants_go_when_there_are_too_many(spaces):
    tokens = MediaTokens(limit=2)
    files = []
    for n in range(3):
        path = spaces["ana"] / "night" / f"f{n}.png"
        path.write_bytes(b"x")
        files.append(tokens.mint(path, spaces["ana"], "ana"))
    assert tokens.file(files[0], "ana") is None
    assert tokens.file(files[2], "ana") is not None


def app_with_media(tokens: MediaTokens, monkeypatch, user: str | None) -> TestClient:
    """A FastAPI app shaped like Chainlit's (a catch-all page route in an included router), with the media route mounted; the
    signed-in user is ``user`` (Chainlit's cookie check is replaced: it needs a running Chainlit)."""

    async def signed_in(request):
        return user

    app = FastAPI()
    router = APIRouter()

    @router.get("/{full_path:path}")
    async def page(full_path: str):
        return HTMLResponse("<html>the page</html>")

    app.include_router(router)  # as chainlit/server.py does: the catch-all comes with the router
    monkeypatch.setattr(media, "TOKENS", tokens)
    monkeypatch.setattr(media, "current_user", signed_in)
    mount(app)
    mount(app)  # twice is once
    assert [getattr(r, "name", "") for r in app.router.routes].count("auteur_media") == 1
    return TestClient(app)


def test_the_route_serves_the_file_with_ranges_before_the_page_route(spaces, monkeypatch):
    tokens = MediaTokens()
    cut = spaces["ana"] / "night" / "03_Renders" / "cut.mp4"
    token = tokens.mint(cut, spaces["ana"], "ana")
    client = app_with_media(tokens, monkeypatch, "ana")
    whole = client.get(PREFIX + token)
    assert whole.status_code == 200 and whole.content == CLIP
    assert whole.headers["content-type"] == "video/mp4" and whole.headers["accept-ranges"] == "bytes"
    part = client.get(PREFIX + token, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == CLIP[1000:2000]
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(CLIP)}"
    tail = client.get(PREFIX + token, headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == CLIP[-16:]
    missing = client.get(PREFIX + "not-a-token")
    assert missing.status_code == 404 and "the page" not in missing.text
    assert client.get("/anything/else").text == "<html>the page</html>", "the page route still answers the rest"


def test_the_route_refuses_another_users_token(spaces, monkeypatch):
    tokens = MediaTokens()
    token = tokens.mint(spaces["ana"] / "night" / "03_Renders" / "cut.mp4", spaces["ana"], "ana")
    client = app_with_media(tokens, monkeypatch, "ben")
    answer = client.get(PREFIX + token)
    assert answer.status_code == 404 and answer.content != CLIP
