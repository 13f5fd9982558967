"""The Chainlit hooks of the studio, each a few lines that hand the work to a Chat (chat.py).

`auteur ui` (server.py) tells Chainlit to run this file, after it has set up the app folder.
"""

from __future__ import annotations

import asyncio
from typing import Optional

import chainlit as cl

from config.settings import Settings
from ui.web.chat import Chat, chat
from ui.web.presentation import OPTION, starters
from ui.web.runs import BusyProjects
from ui.web.sign_in import SignIn, guard_tokens, sign_out_request, warn

SIGN_IN = SignIn(Settings.from_env())
warn(SIGN_IN.prepare())  # plain passwords are hashed now, in memory
guard_tokens(SIGN_IN)  # every token is checked again on every request, and lasts AUTEUR_SESSION_HOURS
PROJECTS = BusyProjects()  # which projects a crew works on, across every chat of this server
ENDED = "Your sign-in has ended (you signed out, or your account changed): reload the page and sign in again."

if SIGN_IN.by_password:

    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> Optional[cl.User]:
        return await asyncio.to_thread(SIGN_IN.check_password, username, password)  # scrypt takes a while

if SIGN_IN.by_header:

    @cl.header_auth_callback
    async def header_login(headers) -> Optional[cl.User]:
        return SIGN_IN.check_header(headers)

if SIGN_IN.required:

    @cl.on_logout
    async def logout(request, response) -> dict:
        sign_out_request(SIGN_IN, request)  # this user's tokens end in every browser, not just this cookie
        return {"success": True}


async def signed_in() -> bool:
    """Whether this chat's user may still work: a socket opened before a sign-out or an account change stays
    open, so every turn asks again."""
    if SIGN_IN.still_signed_in(cl.user_session.get("user")):
        return True
    await cl.Message(content=ENDED).send()
    return False


@cl.set_starters
async def set_starters(user: Optional[cl.User] = None, language: Optional[str] = None) -> list[cl.Starter]:
    return starters()


@cl.on_chat_start
async def start() -> None:
    if not await signed_in():
        return
    new = await Chat.create(SIGN_IN.settings_for(cl.user_session.get("user")), PROJECTS)
    cl.user_session.set("chat", new)
    await new.start()


@cl.on_message
async def message(msg: cl.Message) -> None:
    if not await signed_in():
        return
    await chat().message(msg)


@cl.action_callback(OPTION)
async def option(action: cl.Action) -> None:
    if not await signed_in():
        return
    await chat().action(action)


@cl.on_settings_update
async def settings(values: dict) -> None:
    if not await signed_in():
        return
    await chat().settings_changed(values)


@cl.on_chat_end
async def end() -> None:
    """The page went away: the chat lets go of its engine, crew and page (a running turn keeps its own)."""
    if (current := cl.user_session.get("chat")) is not None:
        current.close()
