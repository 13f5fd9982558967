"""An empty file dropped into the studio gets our message, not Chainlit's HTTP 500 (issue 12, point 8).

A real `auteur ui`: the upload endpoint the page uses (`/project/file`), then the page itself in Chromium.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.adversarial.test_origins import chat_client, local_token, request
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, artifacts_dir

EMPTY = "is empty — upload the file again; it may not have finished saving"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("uploads") / "workspace", artifacts_dir() / "uploads_server.log")
    server.start().wait_ready()
    yield server
    server.stop()


def post_file(studio, session_id: str, name: str, content: bytes, mime: str) -> tuple[int, bytes]:
    """What the page sends when a file is dropped into the chat."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {mime}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return request(f"{studio.url}/project/file?session_id={session_id}", method="POST", data=body,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": studio.url,
                         "Cookie": f"access_token={local_token(studio.url, studio.url)}"})  # signed in, as the page


def test_an_empty_upload_gets_our_message_and_nothing_is_kept(studio):
    client = chat_client(studio.url, studio.url)
    assert client is not None
    try:
        stored = studio.workspace / ".auteur" / "chainlit" / ".files" / client.session_id
        for name, mime in (("empty.fountain", "text/plain"), ("blank.png", "image/png"),
                           ("Night Shift.pdf", "application/pdf")):
            status, body = post_file(studio, client.session_id, name, b"", mime)
            assert status == 400, (name, status, body[:300])
            assert json.loads(body)["detail"] == f"{name} {EMPTY}"
        status, body = post_file(studio, client.session_id, "notes.xlsx", b"", "application/octet-stream")
        assert status == 400 and "notes.xlsx is not a screenplay, a story or a reference image" in \
            json.loads(body)["detail"]
        assert not stored.exists() or not any(stored.iterdir())
        # A file with content still goes through.
        status, body = post_file(studio, client.session_id, "scene.fountain", b"INT. DINER - NIGHT\n", "text/plain")
        assert status == 200 and json.loads(body)["id"]
        assert [p.read_bytes() for p in stored.iterdir()] == [b"INT. DINER - NIGHT\n"]
    finally:
        client.disconnect()
    assert "Traceback" not in studio.log.read_text()


def test_an_empty_file_dropped_in_the_page_shows_our_message(studio, tmp_path):
    from playwright.sync_api import sync_playwright

    empty = tmp_path / "draft.fountain"
    empty.write_bytes(b"")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(studio.url)
            page.get_by_text("Hello, I'm your Producer").first.wait_for()
            page.locator("#upload-button-input").set_input_files(str(empty))
            page.get_by_text(f"draft.fountain {EMPTY}").first.wait_for()
            page.screenshot(path=str(artifacts_dir() / "adversarial_empty_upload.png"))
        finally:
            browser.close()
    assert "Internal Server Error" not in studio.log.read_text()
