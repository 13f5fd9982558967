"""Chats that last: Chainlit's SQL data layer, kept on this machine.

A person's conversations (threads, their messages as steps, the elements they showed, feedback) are kept
by Chainlit's own ``SQLAlchemyDataLayer``: by default in SQLite at ``<workspace>/.auteur/chats.db`` (through
aiosqlite), or in the SQL server ``AUTEUR_CHAT_DB`` names (``postgresql://user:pw@host/db``, through asyncpg)
when several studios share one history. The tables are made here when they are missing; Chainlit ships no
schema for this layer.

What a chat showed (an image, a PDF, a view's props) is copied, as Chainlit asks of a storage client, into
the workspace of the person it belongs to, under ``.auteur/chat_files/`` (``WorkspaceFiles``), and served
back to that person alone by ``/auteur/chat-files/…`` (``mount_files``), so a reloaded chat shows it again.
Deleting a chat deletes those copies and nothing else: a path outside the chat files is never touched, and
the project a chat worked on stays as it is.

Nothing here reaches outside the machine: an element known only by a URL is kept as that URL, never fetched.
"""

from __future__ import annotations

import importlib.util
import json
import mimetypes
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping

from config.settings import Settings, secret

if TYPE_CHECKING:
    pass

CHAT_DB = Path(".auteur") / "chats.db"
CHAT_FILES = Path(".auteur") / "chat_files"
ROUTE = "/auteur/chat-files"
NOTE = "auteur"  # the key of a thread's metadata that says where the conversation was (ui.web.chat)
SHOWN_INLINE = ("image/", "video/", "audio/", "application/pdf", "application/json", "text/plain")

# Chainlit's SQLAlchemyDataLayer reads and writes these tables and columns (chainlit/data/sql_alchemy.py, 2.12).
# Plain types that SQLite and PostgreSQL both take; JSON is kept as text, as the layer writes it.
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS users (
        "id" TEXT PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE, "createdAt" TEXT, "metadata" TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS threads (
        "id" TEXT PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" TEXT, "userIdentifier" TEXT,
        "tags" TEXT, "metadata" TEXT,
        FOREIGN KEY ("userId") REFERENCES users ("id") ON DELETE CASCADE)""",
    """CREATE TABLE IF NOT EXISTS steps (
        "id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL, "threadId" TEXT NOT NULL,
        "parentId" TEXT, "command" TEXT, "modes" TEXT, "streaming" BOOLEAN NOT NULL, "waitForAnswer" BOOLEAN,
        "isError" BOOLEAN, "metadata" TEXT, "tags" TEXT, "input" TEXT, "output" TEXT, "createdAt" TEXT,
        "start" TEXT, "end" TEXT, "generation" TEXT, "showInput" TEXT, "defaultOpen" BOOLEAN,
        "autoCollapse" BOOLEAN, "language" TEXT, "icon" TEXT)""",
    """CREATE TABLE IF NOT EXISTS elements (
        "id" TEXT PRIMARY KEY, "threadId" TEXT, "type" TEXT, "url" TEXT, "chainlitKey" TEXT, "name" TEXT NOT NULL,
        "display" TEXT, "objectKey" TEXT, "size" TEXT, "page" INTEGER, "language" TEXT, "forId" TEXT,
        "mime" TEXT, "props" TEXT, "autoPlay" BOOLEAN, "playerConfig" TEXT)""",
    """CREATE TABLE IF NOT EXISTS feedbacks (
        "id" TEXT PRIMARY KEY, "forId" TEXT NOT NULL, "threadId" TEXT, "value" INTEGER NOT NULL, "comment" TEXT)""",
    'CREATE INDEX IF NOT EXISTS threads_user ON threads ("userId")',
    'CREATE INDEX IF NOT EXISTS steps_thread ON steps ("threadId")',
    'CREATE INDEX IF NOT EXISTS elements_thread ON elements ("threadId")',
)

# Where a user's chat files go: (identifier, metadata) of the signed-in user → the workspace they work in.
WorkspaceOf = Callable[[str, dict[str, Any]], Path]


def available(settings: Settings) -> bool:
    """Whether the packages the history needs are installed (SQLAlchemy, and the driver of its database)."""
    driver = "asyncpg" if database_url(settings).startswith("postgresql") else "aiosqlite"
    return all(importlib.util.find_spec(name) is not None for name in ("sqlalchemy", driver))


def database_url(settings: Settings) -> str:
    """SQLAlchemy's URL for the history: AUTEUR_CHAT_DB with its async driver, else SQLite in the workspace."""
    url = (secret(settings.chat_db) or "").strip()
    if not url:
        return f"sqlite+aiosqlite:///{settings.workspace / CHAT_DB}"
    scheme, sep, rest = url.partition("://")
    drivers = {"postgres": "postgresql+asyncpg", "postgresql": "postgresql+asyncpg", "sqlite": "sqlite+aiosqlite"}
    return f"{drivers.get(scheme.lower(), scheme)}{sep}{rest}"


def is_id(value: Any) -> bool:
    """Chainlit's ids are UUIDs; one that is not (a socket may name any thread id) never reaches a query."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def safe_name(name: str) -> str:
    """A file name that stays one name in one folder: no separators, no dot files, at most 100 characters."""
    plain = re.sub(r"[^\w.\- ]+", "_", name).strip(" .")[:100]
    return plain or "file"


class WorkspaceFiles:
    """Chainlit's storage client for element files, in the workspace of the user each file belongs to.

    An object key is ``<user id>/<element id>/<file name>``; its file is
    ``<that user's workspace>/.auteur/chat_files/<element id>/<file name>``."""

    def __init__(self, folder_of: Callable[[str], Awaitable[Path | None]]) -> None:
        self.folder_of = folder_of  # user id → that user's workspace (None: no such user)

    async def path(self, object_key: str) -> Path | None:
        """The file of a key, or None for a key that is not one of ours (or whose user is gone)."""
        parts = object_key.split("/")
        if len(parts) != 3 or not is_id(parts[0]) or not is_id(parts[1]) or parts[2] != safe_name(parts[2]):
            return None
        workspace = await self.folder_of(parts[0])
        if workspace is None:
            return None
        root = (workspace / CHAT_FILES).resolve()
        path = (root / parts[1] / parts[2]).resolve()
        return path if path.is_relative_to(root) else None

    async def upload_file(self, object_key: str, data: bytes | str, mime: str = "application/octet-stream",
                          overwrite: bool = True, content_disposition: str | None = None) -> dict[str, Any]:
        path = await self.path(object_key)
        if path is None:
            return {}
        content = data.encode("utf-8") if isinstance(data, str) else data
        await _to_thread(_write, path, content)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        """Deletes the one copy a chat kept (and its folder when empty); anything else is left alone."""
        path = await self.path(object_key)
        if path is None or not path.is_file():
            return False
        await _to_thread(_remove, path)
        return True

    async def get_read_url(self, object_key: str) -> str:
        return f"{ROUTE}/{object_key}"

    async def close(self) -> None:
        return None


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    partial.write_bytes(content)
    partial.replace(path)  # a reader never sees half a file


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:  # another file of the same element is still there
        pass


async def _to_thread(function: Callable[..., Any], *args: Any) -> Any:
    import asyncio

    return await asyncio.to_thread(function, *args)


def mount_files(app: Any) -> None:
    """``GET /auteur/chat-files/<user id>/<element id>/<name>``: a file a chat showed, to its own user only.
    Put before Chainlit's catch-all page route, so that it is reached at all."""
    from chainlit.auth import get_current_user
    from chainlit.data import get_data_layer
    from fastapi import Depends, HTTPException
    from fastapi.responses import FileResponse

    async def chat_file(user_id: str, element_id: str, name: str, user: Any = Depends(get_current_user)) -> Any:
        layer = get_data_layer()
        if layer is None or user is None or getattr(user, "id", None) != user_id:
            raise HTTPException(status_code=404, detail="No such file in your chats.")
        path = await layer.storage_provider.path(f"{user_id}/{element_id}/{name}")
        if path is None or not path.is_file():
            raise HTTPException(status_code=404, detail="No such file in your chats.")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if mime.startswith(SHOWN_INLINE) and "svg" not in mime:  # a picture, a player, a PDF, text (an SVG can
            # carry script: it goes as a download, sandboxed, like every other kind)
            return FileResponse(path, media_type=mime, filename=path.name, content_disposition_type="inline",
                                headers={"X-Content-Type-Options": "nosniff"})
        return FileResponse(path, media_type=mime, filename=path.name, content_disposition_type="attachment",
                            headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})

    app.add_api_route(ROUTE + "/{user_id}/{element_id}/{name}", chat_file, methods=["GET"])
    app.router.routes.insert(0, app.router.routes.pop())


def chat_name(title: str, said: str | None) -> str:
    """A chat's name in the list: its project, and what the person did last there ("Night Shift · /review"), so
    that several chats on one project can be told apart."""
    name = title.strip()[:60]
    return f"{name} · {said}" if said else name


def thread_note(thread: Mapping[str, Any]) -> dict[str, Any]:
    """The note ui.web.chat left in a thread's metadata (empty when there is none or it is not readable)."""
    metadata = thread.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return {}
    note = metadata.get(NOTE) if isinstance(metadata, dict) else None
    return note if isinstance(note, dict) else {}


async def remember(note: dict[str, Any], title: str | None = None, said: str | None = None) -> None:
    """Keeps ``note`` in this chat's thread now (not only when the page goes away: a server can stop first);
    ``title``: the open project's, and ``said``: what the person did last, the chat's name in the list."""
    import chainlit as cl
    from chainlit.data import get_data_layer

    cl.user_session.set(NOTE, note)  # Chainlit writes the session into the thread when the socket closes
    layer = get_data_layer()
    thread_id = cl.context.session.thread_id
    if layer is not None and hasattr(layer, "keep_note"):
        await layer.keep_note(thread_id, note, chat_name(title, said) if title else None)


async def this_thread() -> dict[str, Any]:
    """This chat's thread as the data layer keeps it (its steps and elements); empty without a history."""
    import chainlit as cl
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    thread_id = cl.context.session.thread_id
    if layer is None or not is_id(thread_id):
        return {}
    return dict(await layer.get_thread(thread_id) or {})
