"""Chats that last (ui.web.history), in the real studio and headless Chromium: a person's conversation is in the
list after a reload and after a restart of the server, opens with its messages and its project, and a file it
showed comes back; with sign-in, each person sees only their own chats.

Oracles: the screenplay file that was uploaded (its bytes), the project folder on disk, and the chat database read
with the standard library's sqlite3."""

from __future__ import annotations

import json
import re
import sqlite3

from tests.browser.conftest import REPO, Server
from tests.browser.test_studio import command, idle, shot, upload, wait_text

SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"
GREETING = "Hello, I'm your Producer"
READY = "The brief stage is ready for you"


def threads(workspace) -> list[tuple[str, str, str]]:
    """(id, name, owner) of every chat the studio kept, read from its SQLite file."""
    with sqlite3.connect(workspace / ".auteur" / "chats.db") as db:
        return db.execute('SELECT "id", "name", "userIdentifier" FROM threads ORDER BY "createdAt"').fetchall()


def open_chat(page, thread_id: str) -> None:
    """Opens a chat from the side bar's list, as a person clicks it."""
    if not page.locator("#thread-history").is_visible():
        page.locator("#sidebar-trigger-button").first.click()
    link = page.locator(f"#thread-{thread_id} a").first
    link.wait_for()
    link.click()
    page.wait_for_url(f"**/thread/{thread_id}")


def status_said(page, project) -> None:
    """The last /status names the project the chat has open and its stages as project.json has them."""
    said = " ".join(page.get_by_text("Model work:").last.inner_text().split())
    manifest = json.loads((project / "project.json").read_text())
    assert manifest["title"] in said, "/status names the open project"
    for stage, state in manifest["stages"].items():
        if state["status"] in ("draft", "approved"):
            assert f"{stage} {state['status']}" in said, f"/status shows {stage} as the project has it"


HEADING = "INT. SUNRISE DINER - KITCHEN - CONTINUOUS"  # a scene heading of the sample, read from the file


def comes_back_usable(page, project) -> None:
    """A resumed chat is one a person can go on with: a "where we are" message whose buttons work, the script
    view drawn with its scenes, and the task list of the project."""
    wait_text(page, "Welcome back to")
    approve = page.get_by_role("button", name="Approve", exact=True).last
    approve.wait_for()
    assert approve.is_enabled()
    script = page.locator(".auteur-script").last
    script.get_by_text(HEADING).first.wait_for()
    title = json.loads((project / "project.json").read_text())["title"]
    page.get_by_text(re.compile(re.escape(title) + r" · branch main")).last.wait_for()  # the task list's heading


def test_a_chat_comes_back_after_a_reload_and_a_restart(browser, tmp_path, artifacts):
    workspace = tmp_path / "workspace"
    server = Server(workspace, artifacts / "chats_server.log").start()
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        server.wait_ready()
        page = context.new_page()
        page.goto(server.url)  # no sign-in configured: the person at this machine is let in without a form
        wait_text(page, GREETING)
        upload(page, SAMPLE)
        wait_text(page, READY, timeout=120_000)
        idle(page, 120_000)
        [project] = [p.parent for p in workspace.glob("*/project.json")]
        assert HEADING in SAMPLE.read_text(encoding="utf-8")
        command(page, "script")
        page.locator(".auteur-script").last.get_by_text(HEADING).first.wait_for()
        idle(page)
        [(thread_id, _, owner)] = threads(workspace)
        assert owner == "local:Dana Director"

        page.reload()
        wait_text(page, GREETING)
        open_chat(page, thread_id)
        title = json.loads((project / "project.json").read_text())["title"]
        listed = " ".join(page.locator(f"#thread-{thread_id}").inner_text().split())
        assert listed == f"{title} · /script", ("named after its project and what was done last", listed)
        wait_text(page, READY)
        page.get_by_text("project.json").first.wait_for()  # a file the chat showed, shown again
        comes_back_usable(page, project)
        shot(page, artifacts, "chats_01_after_reload")
        command(page, "status")
        wait_text(page, "Model work:")  # /status of the project it had open, not "no project is open"
        assert page.get_by_text("no project is open").count() == 0
        status_said(page, project)

        kept = page.request.get(f"{server.url}/project/thread/{thread_id}").json()
        [shown] = [e for e in kept["elements"] if e["name"] == "project.json"]
        copy = page.request.get(server.url + shown["url"])
        manifest = json.loads((project / "project.json").read_text())
        assert copy.ok and {k: json.loads(copy.body())[k] for k in ("id", "slug", "title")} == \
            {k: manifest[k] for k in ("id", "slug", "title")}, "the file the chat showed comes back"
        assert list(workspace.glob(f".auteur/chat_files/{shown['id']}/project.json")), "a copy, in the workspace"
        stranger = browser.new_context()
        assert stranger.request.get(server.url + shown["url"]).status in (401, 404), "not without this sign-in"
        stranger.close()
        idle(page)
        context.close()

        server.stop()
        server = Server(workspace, artifacts / "chats_server_again.log").start()
        server.wait_ready()
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.goto(server.url)
        wait_text(page, GREETING)
        open_chat(page, thread_id)
        wait_text(page, READY)
        wait_text(page, "Model work:")  # the earlier /status, kept
        comes_back_usable(page, project)
        shot(page, artifacts, "chats_02_after_restart_resumed")
        page.get_by_role("button", name="Approve", exact=True).last.click()  # the live button answers
        page.wait_for_function("() => true")
        idle(page, 120_000)
        stages = json.loads((project / "project.json").read_text())["stages"]
        assert stages["brief"]["status"] == "approved", stages["brief"]
        command(page, "status")
        page.get_by_text("Model work:").nth(1).wait_for()
        status_said(page, project)
        assert page.get_by_text("no project is open").count() == 0
        shot(page, artifacts, "chats_02_after_restart")
        assert project.is_dir() and (project / "project.json").is_file()
    except Exception:
        shot(page, artifacts, "chats_failed")
        raise
    finally:
        context.close()
        server.stop()


def test_signed_in_people_see_only_their_own_chats(browser, tmp_path, artifacts):
    workspace = tmp_path / "workspace"
    server = Server(workspace, artifacts / "chats_users_server.log", AUTEUR_USERS="ann:s3cret-ann,bob:s3cret-bob")
    server.start()
    pages = {}
    try:
        server.wait_ready()
        for user in ("ann", "bob"):
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = context.new_page()
            page.goto(server.url)
            page.locator("#email").fill(user)
            page.locator("#password").fill(f"s3cret-{user}")
            page.locator("#password").press("Enter")
            wait_text(page, GREETING)
            command(page, "new", f"{user.title()} Film")
            wait_text(page, f"New project {user.title()} Film")
            idle(page)
            pages[user] = page
        kept = {owner: thread_id for thread_id, _, owner in threads(workspace)}
        assert set(kept) == {"ann", "bob"}
        names = {owner: name for _, name, owner in threads(workspace)}
        assert names == {"ann": "Ann Film · /new Ann Film", "bob": "Bob Film · /new Bob Film"}, \
            "a chat begun with /new is named after its project"
        for user, page in pages.items():
            page.reload()
            wait_text(page, GREETING)
            other = kept["bob" if user == "ann" else "ann"]
            open_chat(page, kept[user])
            wait_text(page, f"New project {user.title()} Film")
            assert page.locator(f"#thread-{other}").count() == 0, "another person's chat is never listed"
            assert page.request.get(f"{server.url}/project/thread/{other}").status == 401
            shot(page, artifacts, f"chats_03_{user}")
    finally:
        for page in pages.values():
            page.context.close()
        server.stop()
