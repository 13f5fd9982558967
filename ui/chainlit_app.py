"""The Chainlit hooks of the studio: each hands its work to the face (ui/chainlit_face.py).

Started by `auteur ui` (ui/studio_server.py), which sets up the app folder.
"""

from __future__ import annotations

from typing import Optional

import chainlit as cl

from ui import chainlit_face as face

STUDIO = face.Studio.from_env()

if STUDIO.settings.auth_password or STUDIO.settings.auth_users:

    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> Optional[cl.User]:
        return STUDIO.check_password(username, password)

if STUDIO.settings.auth_header:

    @cl.header_auth_callback
    async def header_login(headers) -> Optional[cl.User]:
        return STUDIO.check_header(headers)


@cl.set_starters
async def starters(user: Optional[cl.User] = None, language: Optional[str] = None) -> list[cl.Starter]:
    return face.starters()


@cl.on_chat_start
async def start() -> None:
    chat = await face.Chat.create(STUDIO, cl.user_session.get("user"))
    cl.user_session.set("chat", chat)
    await chat.start()


@cl.on_message
async def message(msg: cl.Message) -> None:
    await face.chat().message(msg)


@cl.action_callback(face.OPTION)
async def option(action: cl.Action) -> None:
    await face.chat().action(action)


@cl.on_settings_update
async def settings(values: dict) -> None:
    await face.chat().settings_changed(values)
