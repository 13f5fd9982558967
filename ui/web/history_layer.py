"""The studio's chat history: Chainlit's ``SQLAlchemyDataLayer`` with the schema made when missing, element
files kept in the owner's workspace (ui.web.history.WorkspaceFiles), and ids checked before any query.

Imported only when SQLAlchemy is installed (ui.web.history.available).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.utils import queue_until_user_message
from sqlalchemy import text

from config.settings import Settings
from ui.web.history import NOTE, SCHEMA, WorkspaceFiles, WorkspaceOf, database_url, is_id, safe_name, thread_note

BIGGEST_COPY = 256 * 1024 * 1024  # a file a chat showed is kept for it up to this size (a long cut is bigger)


class ChatHistory(SQLAlchemyDataLayer):
    def __init__(self, url: str, workspace_of: WorkspaceOf) -> None:
        self._file = Path(url.partition(":///")[2]) if url.startswith("sqlite") else None
        if self._file is not None:
            self._file.parent.mkdir(parents=True, exist_ok=True)
        self.workspace_of = workspace_of
        super().__init__(conninfo=url, storage_provider=WorkspaceFiles(self.workspace_of_user))  # type: ignore[arg-type]
        self._schema_made = False
        self._schema_lock = asyncio.Lock()

    # ------------------------------------------------------------ the tables

    async def execute_sql(self, query: str, parameters: dict) -> Any:
        await self.make_schema()
        return await super().execute_sql(query, parameters)

    async def make_schema(self) -> None:
        """Creates the tables and indexes that are missing (once per process; a no-op on a database that has
        them)."""
        if self._schema_made:
            return
        async with self._schema_lock:
            if self._schema_made:
                return
            async with self.engine.begin() as connection:
                for statement in SCHEMA:
                    await connection.execute(text(statement))
            if self._file is not None:
                self._file.chmod(0o600)  # everyone's conversations: readable by the studio's owner only
            self._schema_made = True

    # ------------------------------------------------------------ who owns what

    async def workspace_of_user(self, user_id: str) -> Path | None:
        """The workspace a user works in (their chat files go there); None for an unknown user."""
        rows = await self.execute_sql('SELECT "identifier", "metadata" FROM users WHERE "id" = :id', {"id": user_id})
        if not isinstance(rows, list) or not rows:
            return None
        metadata = rows[0].get("metadata") or "{}"
        try:
            values = json.loads(metadata) if isinstance(metadata, str) else dict(metadata)
        except ValueError:
            values = {}
        return self.workspace_of(rows[0]["identifier"], values if isinstance(values, dict) else {})

    async def keep_note(self, thread_id: str, note: dict[str, Any], title: str | None = None) -> None:
        """Writes where the conversation is into its thread's metadata, once the thread exists (a chat's thread
        is made at the person's first message), and names the chat after its open project.

        Chainlit names a chat after its first message: seven chats called "/open night-shift" could not be told
        apart. A chat with a project is named after it ("Night Shift"), unless the person gave it a name of their
        own: only a name Chainlit or the studio gave (none, the first message, one the studio set before) is
        replaced. ``title``: the name wanted (ui.web.history.chat_name)."""
        if not is_id(thread_id):
            return
        rows = await self.execute_sql('SELECT "name", "metadata" FROM threads WHERE "id" = :id', {"id": thread_id})
        if not isinstance(rows, list) or not rows:
            return
        current = rows[0].get("name") or ""
        named = thread_note({"metadata": rows[0].get("metadata")}).get("named")
        name = None
        if title and title[:80] != current and (not current or current == named or current.startswith("/")
                                                or current == await self._first_words(thread_id)):
            name = title[:80]
        await self.update_thread(thread_id, name=name, metadata={NOTE: {**note, "named": name or named}})

    async def _first_words(self, thread_id: str) -> str | None:
        """The person's first message in a chat (the name Chainlit gives it)."""
        rows = await self.execute_sql('SELECT "output" FROM steps WHERE "threadId" = :id AND "type" = :kind '
                                      'ORDER BY "createdAt" LIMIT 1', {"id": thread_id, "kind": "user_message"})
        return str(rows[0].get("output") or "").strip() if isinstance(rows, list) and rows else None

    async def get_thread(self, thread_id: str) -> Any:
        """A chat as the page shows it again. Chainlit's layer hands a custom element's props back as the JSON text
        it stored, and the page then drew a view with nothing in it (a shot table with no rows): they are read back
        into the object the element was sent with."""
        thread: Any = await super().get_thread(thread_id)
        for element in (thread or {}).get("elements") or []:
            props = element.get("props")
            if isinstance(props, str):
                try:
                    element["props"] = json.loads(props) if props else {}
                except ValueError:
                    element["props"] = {}
        return thread

    # ------------------------------------------------------------ ids checked, values made storable

    async def update_thread(self, thread_id: str, name: str | None = None, user_id: str | None = None,
                            metadata: dict | None = None, tags: list[str] | None = None) -> None:
        if is_id(thread_id):
            await super().update_thread(thread_id, name=name, user_id=user_id, metadata=metadata,
                                        tags=json.dumps(tags) if tags else None)  # type: ignore[arg-type]

    async def create_step(self, step_dict: Any) -> None:
        if not is_id(step_dict.get("id")) or not is_id(step_dict.get("threadId")):
            return
        storable = {key: json.dumps(value) if isinstance(value, (list, dict)) and key not in ("metadata", "generation")
                    else value for key, value in step_dict.items()}
        await super().create_step(storable)  # type: ignore[arg-type]

    async def _theirs(self, thread_id: Any) -> bool:
        """Whether the person of this request may write into this chat: it is theirs, or not made yet. Chainlit's
        /project/element routes take the thread and element ids from the page, whoever sends them."""
        from chainlit.context import ChainlitContextException, context

        try:
            user = getattr(context.session, "user", None)
        except ChainlitContextException:
            user = None
        if not is_id(thread_id):
            return False
        rows = await self.execute_sql('SELECT "userIdentifier" FROM threads WHERE "id" = :id', {"id": thread_id})
        if not isinstance(rows, list) or not rows:
            return True
        return user is not None and rows[0].get("userIdentifier") == getattr(user, "identifier", None)

    async def _element_thread(self, element_id: str) -> str | None:
        rows = await self.execute_sql('SELECT "threadId" FROM elements WHERE "id" = :id', {"id": element_id})
        return rows[0].get("threadId") if isinstance(rows, list) and rows else None

    async def delete_element(self, element_id: str, thread_id: str | None = None) -> None:
        """An element of one of this person's chats, never another's (the page names the id)."""
        if is_id(element_id) and await self._theirs(await self._element_thread(element_id)):
            await super().delete_element(element_id, thread_id)

    @queue_until_user_message()
    async def create_element(self, element: Any) -> None:
        """Keeps an element of a message: its row, and a copy of its file in the owner's workspace. An element
        known only by a URL keeps the URL (never fetched: nothing leaves the machine)."""
        if not element.for_id or not is_id(element.id) or not is_id(element.thread_id):
            return
        if not await self._theirs(element.thread_id):
            return  # another person's chat
        kept_in = await self._element_thread(element.id)
        if kept_in is not None and kept_in != element.thread_id:
            return  # an element of another chat is never moved or overwritten
        row = element.to_dict()
        content = await asyncio.to_thread(_content, element)
        if content is not None:
            user_id = await self._get_user_id_by_thread(element.thread_id)
            if user_id is None:
                return  # a thread of nobody's: nothing to keep
            key = f"{user_id}/{element.id}/{safe_name(element.name or 'file')}"
            stored = await self.storage_provider.upload_file(  # type: ignore[union-attr]
                object_key=key, data=content, mime=element.mime or "application/octet-stream")
            if not stored:
                return
            row["url"], row["objectKey"] = stored["url"], key
        values = {key: json.dumps(value) if isinstance(value, (list, dict)) else value
                  for key, value in row.items() if value is not None}
        columns = ", ".join(f'"{key}"' for key in values)
        placeholders = ", ".join(f":{key}" for key in values)
        updates = ", ".join(f'"{key}" = :{key}' for key in values if key != "id")
        await self.execute_sql(f"INSERT INTO elements ({columns}) VALUES ({placeholders}) "
                               f"ON CONFLICT (id) DO UPDATE SET {updates}", values)

    async def delete_thread(self, thread_id: str) -> None:
        """The chat, its messages and its own copies of files; never a project (see WorkspaceFiles)."""
        if is_id(thread_id):
            await super().delete_thread(thread_id)


def _content(element: Any) -> bytes | str | None:
    """What an element holds: its file (read now: the project may change it later) or its content."""
    if element.path:
        path = Path(element.path)
        if not path.is_file() or path.stat().st_size > BIGGEST_COPY:
            return None
        return path.read_bytes()
    return element.content or None


def data_layer(settings: Settings, workspace_of: WorkspaceOf) -> ChatHistory:
    """The studio's history (Chainlit calls this once, through ``@cl.data_layer``)."""
    return ChatHistory(database_url(settings), workspace_of)
