"""The Chainlit hooks of the studio, each a few lines that hand the work to a Chat (chat.py).

`auteur ui` (server.py) tells Chainlit to run this file, after it has set up the app folder.
"""

from __future__ import annotations

import asyncio
import os
from typing import Optional

import chainlit as cl
import chainlit.server
from chainlit.config import config as chainlit_config
from chainlit.types import ThreadDict

from config.settings import Settings
from ui.web.chat import Chat, chat
from ui.web.presentation import OPTION, starters
from ui.web.runs import BusyProjects
from ui.web import history
from ui.web.server import auth_secret
from ui.web.sign_in import SignIn, guard_tokens, sign_out_request, warn
from ui.web.views import ACTION as VIEW_ACTION
from ui.web.views import run_action as run_view_action

SIGN_IN = SignIn(Settings.from_env())
warn(SIGN_IN.prepare())  # plain passwords are hashed now, in memory
guard_tokens(SIGN_IN)  # every token is checked again on every request, and lasts AUTEUR_SESSION_HOURS
PROJECTS = BusyProjects()  # which projects a crew works on, across every chat of this server
ENDED = "Your sign-in has ended (you signed out, or your account changed): reload the page and sign in again."
# Chats last (ui.web.history) when someone is signed in to own them: by a sign-in, or as the person at this machine.
LOCAL = SIGN_IN.local_identity(chainlit_config.run.host)
CHATS_LAST = history.available(SIGN_IN.settings) and (SIGN_IN.required or LOCAL)

if CHATS_LAST:

    @cl.data_layer
    def chats():  # -> ui.web.history_layer.ChatHistory, imported only now (it needs SQLAlchemy)
        from ui.web.history_layer import data_layer

        return data_layer(SIGN_IN.settings, SIGN_IN.workspace_of)

    history.mount_files(chainlit.server.app)

if CHATS_LAST and LOCAL:
    os.environ.setdefault("CHAINLIT_AUTH_SECRET", auth_secret(SIGN_IN.settings))  # signs the local user's token

    @cl.header_auth_callback
    async def local_login(headers) -> Optional[cl.User]:
        return SIGN_IN.local_user()

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


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    """A chat of the list opened again (after a reload or a restart): its project, model, tier and short memory
    come back from the thread's note; Chainlit shows its messages."""
    if not await signed_in():
        return
    again = await Chat.resume(SIGN_IN.settings_for(cl.user_session.get("user")), PROJECTS, history.thread_note(thread))
    cl.user_session.set("chat", again)
    await again.back()


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


@cl.action_callback(VIEW_ACTION)
async def view_action(action: cl.Action) -> None:
    """A button in a view (pick a take, edit a cell, add a note): its command as a turn, if a view may send it."""
    if not await signed_in():
        return
    await run_view_action(chat(), action)


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
