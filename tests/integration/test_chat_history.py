"""The studio's chat history (ui.web.history) on a real SQLite file in a temporary workspace, through Chainlit's
own SQLAlchemyDataLayer: each user sees only their own chats, a chat's images are kept in its owner's workspace and
come back, and deleting a chat deletes its own copies and rows, never a project.

What was stored is read back with the standard library's sqlite3 and the files themselves, not through the layer."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings
from memory.workspace import Workspace
from ui.web import history, history_layer
from ui.web.chat import _kept, resumed
from ui.web.runs import BusyProjects
from ui.web.sign_in import SignIn, user_folder

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # the bytes matter, not the picture


def settings(workspace: Path, **changes: Any) -> Settings:
    return dataclasses.replace(Settings.from_env({"AUTEUR_WORKSPACE": str(workspace), "AUTEUR_MEMORY": "off",
                                                  "AUTEUR_USER_NAME": "Dana Director"}), **changes)


def rows(db: Path, query: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(query, args).fetchall()


def run(coroutine):
    return asyncio.run(coroutine)


class Studio:
    """The data layer as hooks.py makes it, and the two ways of saying things into a chat that Chainlit uses."""

    def __init__(self, config: Settings) -> None:
        self.sign_in = SignIn(config)
        self.layer = history_layer.data_layer(config, self.sign_in.workspace_of)

    async def user(self, identifier: str, **metadata: Any):
        import chainlit as cl

        return await self.layer.create_user(cl.User(identifier=identifier, metadata=metadata))

    async def chat(self, user, words: str) -> tuple[str, str]:
        """A new chat of ``user`` with one message from them; (thread id, message id)."""
        from chainlit.context import init_http_context

        thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
        init_http_context(thread_id=thread_id, user=user)
        await self.layer.update_thread(thread_id, name=words[:40], user_id=user.id)
        await self.layer.create_step({"id": step_id, "threadId": thread_id, "name": user.identifier,
                                      "type": "user_message", "output": words, "streaming": False,
                                      "createdAt": "2026-12-02T10:00:00Z", "metadata": {}, "modes": {"a": "b"}})
        return thread_id, step_id

    async def show(self, thread_id: str, for_id: str, path: Path):
        import chainlit as cl

        image = cl.Image(path=str(path), name=path.name, display="inline", thread_id=thread_id, for_id=for_id,
                         mime="image/png")
        await self.layer.create_element(image)
        return image


def test_each_user_lists_only_their_own_chats(tmp_path):
    config = settings(tmp_path / "ws", auth_users=(("ann", "pw-ann-1"), ("bob", "pw-bob-1")))
    studio = Studio(config)

    async def scenario():
        ann = await studio.user("ann", provider="password", own_folder=True)
        bob = await studio.user("bob", provider="password", own_folder=True)
        ann_thread, _ = await studio.chat(ann, "Open night-shift and show me the boards")
        bob_thread, _ = await studio.chat(bob, "A heist in a bakery")
        from chainlit.types import Pagination, ThreadFilter

        listed = {}
        for user in (ann, bob):
            page = await studio.layer.list_threads(Pagination(first=20), ThreadFilter(userId=user.id))
            listed[user.identifier] = [(t["id"], t["name"]) for t in page.data]
        authors = (await studio.layer.get_thread_author(ann_thread), await studio.layer.get_thread_author(bob_thread))
        await studio.layer.close()
        return listed, authors, ann_thread, bob_thread

    listed, authors, ann_thread, bob_thread = run(scenario())
    assert listed == {"ann": [(ann_thread, "Open night-shift and show me the boards")],
                      "bob": [(bob_thread, "A heist in a bakery")]}
    assert authors == ("ann", "bob")
    db = config.workspace / ".auteur" / "chats.db"  # the default place, read by another reader
    assert rows(db, 'SELECT "userIdentifier", "name" FROM threads ORDER BY "userIdentifier"') == \
        [("ann", "Open night-shift and show me the boards"), ("bob", "A heist in a bakery")]
    assert rows(db, 'SELECT "output", "modes" FROM steps WHERE "threadId" = ?', ann_thread) == \
        [("Open night-shift and show me the boards", '{"a": "b"}')]


def test_a_chats_image_is_kept_in_its_owners_workspace_and_deleting_the_chat_keeps_the_project(tmp_path):
    config = settings(tmp_path / "ws", auth_users=(("ann", "pw-ann-1"),))
    ann_space = config.workspace / "users" / user_folder("ann")
    store = Workspace(dataclasses.replace(config, workspace=ann_space)).create("Night Shift")
    board = store.path / "03_Renders" / "S01_SH001_take01.png"
    board.parent.mkdir(parents=True, exist_ok=True)
    board.write_bytes(PNG)
    subprocess.run(["git", "add", "-A"], cwd=store.path, check=True, capture_output=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "board"], cwd=store.path,
                   check=True, capture_output=True)
    studio = Studio(config)

    async def scenario():
        ann = await studio.user("ann", provider="password", own_folder=True)
        thread_id, step_id = await studio.chat(ann, "/board")
        image = await studio.show(thread_id, step_id, board)
        thread = await studio.layer.get_thread(thread_id)
        before = {path: path.read_bytes() for path in ann_space.rglob("chat_files/*/*")}
        await studio.layer.delete_thread(thread_id)
        after = await studio.layer.get_thread(thread_id)
        await studio.layer.close()
        return ann, image, thread, before, after

    ann, image, thread, before, after = run(scenario())
    copy = ann_space / ".auteur" / "chat_files" / image.id / board.name
    assert before == {copy: PNG}  # a copy, in ann's own workspace
    [shown] = thread["elements"]
    assert shown["url"] == f"/auteur/chat-files/{ann.id}/{image.id}/{board.name}"  # served back by mount_files
    assert shown["objectKey"] == f"{ann.id}/{image.id}/{board.name}"
    assert after is None and not copy.exists() and not copy.parent.exists()
    db = config.workspace / ".auteur" / "chats.db"
    for table in ("threads", "steps", "elements"):
        assert rows(db, f"SELECT COUNT(*) FROM {table}") == [(0,)]
    assert board.read_bytes() == PNG  # the project is as it was: its file, its Git
    status = subprocess.run(["git", "status", "--porcelain"], cwd=store.path, capture_output=True, text=True)
    assert status.stdout == "" and (store.path / "project.json").is_file()


def test_no_key_reaches_outside_the_chat_files(tmp_path):
    config = settings(tmp_path / "ws")
    project_file = config.workspace / "night-shift" / "project.json"
    project_file.parent.mkdir(parents=True)
    project_file.write_text("{}", encoding="utf-8")
    studio = Studio(config)

    async def scenario():
        me = await studio.user("Dana Director", provider="local")
        files = studio.layer.storage_provider
        element = str(uuid.uuid4())
        tries = [f"{me.id}/{element}/../../../night-shift/project.json", f"{me.id}/../../night-shift/project.json",
                 f"{me.id}/{element}/project.json/..", f"../{element}/project.json", f"{me.id}/{element}/.x"]
        deleted = [await files.delete_file(key) for key in tries]
        refused = [await files.path(key) for key in tries]
        bad_thread = "x') OR 1=1 --"
        await studio.layer.update_thread(bad_thread, name="sneaky", user_id=me.id)
        await studio.layer.close()
        return deleted, refused

    deleted, refused = run(scenario())
    assert deleted == [False] * 5 and refused == [None] * 5
    assert project_file.read_text(encoding="utf-8") == "{}"
    assert rows(config.workspace / ".auteur" / "chats.db", "SELECT COUNT(*) FROM threads") == [(0,)]


def test_the_local_user_works_in_the_workspace_itself_and_only_on_loopback(tmp_path):
    config = settings(tmp_path / "ws")
    sign_in = SignIn(config)
    assert sign_in.local_identity("127.0.0.1") and sign_in.local_identity("localhost")
    assert not sign_in.local_identity("0.0.0.0") and not sign_in.local_identity("192.168.1.20")
    user = sign_in.local_user()
    assert user.identifier == "local:Dana Director" and user.display_name == "Dana Director" and sign_in.workspace_of(user.identifier, user.metadata) == \
        config.workspace
    with_password = SignIn(settings(tmp_path / "ws", auth_password="open sesame"))
    assert not with_password.local_identity("127.0.0.1")  # a configured sign-in is never skipped


def test_a_thread_note_brings_back_project_and_short_memory_and_drops_what_is_wrong(tmp_path):
    config = settings(tmp_path / "ws", llm_profile="fake/schema")
    Workspace(config).create("Night Shift")
    note = {"project": "night-shift", "model": "no/such-model", "tier": "draft",
            "kept": {"turns": [["Dana Director", "make it rain"], ["Producer", "Rain it is."], "junk"],
                     "focus": "shots", "scene_focus": 2, "awaiting_notes": "not-a-stage", "auto_approve": "yes"}}
    chat = resumed(config, BusyProjects(), note)
    assert chat.open_slug() == "night-shift" and chat.model is None  # the model of then is gone: the default
    assert chat.session.turns == [("Dana Director", "make it rain"), ("Producer", "Rain it is.")]
    assert chat.session.focus.value == "shots" and chat.session.scene_focus == 2
    assert chat.session.awaiting_notes is None and chat.session.auto_approve is False
    gone = resumed(config, BusyProjects(), {"project": "deleted-project", "kept": "nonsense"})
    assert gone.open_slug() != "deleted-project"
    assert _kept("scene_focus", True) is None and _kept("quality_tier", "nonsense") is None


@pytest.mark.parametrize("url, expected", [
    ("", "sqlite+aiosqlite:///{ws}/.auteur/chats.db"),
    ("postgresql://auteur:pw@db:5432/chats", "postgresql+asyncpg://auteur:pw@db:5432/chats"),
    ("postgres://auteur@db/chats", "postgresql+asyncpg://auteur@db/chats"),
    ("sqlite:////srv/chats.db", "sqlite+aiosqlite:////srv/chats.db"),
])
def test_the_database_is_chosen_by_auteur_chat_db(tmp_path, url, expected):
    config = Settings.from_env({"AUTEUR_WORKSPACE": str(tmp_path), "AUTEUR_CHAT_DB": url})
    assert history.database_url(config) == expected.format(ws=tmp_path)
    assert "pw" not in repr(config)  # a password in the URL stays a secret
