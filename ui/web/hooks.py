"""The Chainlit hooks of the studio, each a few lines that hand the work to a Chat (chat.py).

`auteur ui` (server.py) tells Chainlit to run this file, after it has set up the app folder.
"""

from __future__ import annotations

from typing import Optional

import chainlit as cl

from config.settings import Settings
from ui.web.chat import Chat, chat
from ui.web.presentation import OPTION, starters
from ui.web.runs import BusyProjects
from ui.web.sign_in import SignIn

SIGN_IN = SignIn(Settings.from_env())
PROJECTS = BusyProjects()  # which projects a crew works on, across every chat of this server

if SIGN_IN.by_password:

    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> Optional[cl.User]:
        return SIGN_IN.check_password(username, password)

if SIGN_IN.by_header:

    @cl.header_auth_callback
    async def header_login(headers) -> Optional[cl.User]:
        return SIGN_IN.check_header(headers)


@cl.set_starters
async def set_starters(user: Optional[cl.User] = None, language: Optional[str] = None) -> list[cl.Starter]:
    return starters()


@cl.on_chat_start
async def start() -> None:
    new = await Chat.create(SIGN_IN.settings_for(cl.user_session.get("user")), PROJECTS)
    cl.user_session.set("chat", new)
    await new.start()


@cl.on_message
async def message(msg: cl.Message) -> None:
    await chat().message(msg)


@cl.action_callback(OPTION)
async def option(action: cl.Action) -> None:
    await chat().action(action)


@cl.on_settings_update
async def settings(values: dict) -> None:
    await chat().settings_changed(values)
