"""A closed browser chat lets go of what it held: N chats opened, worked in and closed leave no Chat, Container or
Session alive, although Chainlit keeps each closed chat's session (for its session timeout) in case the page
comes back. And a page that does come back on the same socket session takes the conversation up again.

In process, on Chainlit's own user-session store, with real Git projects; no timings (bench/load.py has them).
"""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

N = 5


@pytest.fixture
def web(settings, monkeypatch):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    from chainlit.context import init_http_context
    from chainlit.user_session import user_sessions

    from ui.web.runs import BusyProjects

    made: list = []

    def new_context():
        context = init_http_context()
        made.append(context.session.id)
        return context

    yield settings, BusyProjects(), new_context, user_sessions
    for sid in made:
        user_sessions.pop(sid, None)


def open_and_work(settings, projects, title: str):
    """A chat (as on_chat_start makes it) that starts a project and asks where it stands."""
    import chainlit as cl

    from studio.engine.events import Turn
    from ui.web.chat import Chat

    chat = Chat(settings, projects)
    cl.user_session.set("chat", chat)
    events = [*chat.session.handle(Turn(text=f"/new {title}")), *chat.session.handle(Turn(text="/status"))]
    assert all(e.kind != "error" for e in events), [e.text for e in events]
    return chat


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is kind)


def test_closed_chats_let_go_of_their_engine(web):
    from config.container import Container
    from studio.engine.session import Session
    from ui.web.chat import Chat

    settings, projects, new_context, user_sessions = web
    before = (alive(Chat), alive(Container), alive(Session))
    refs = []

    async def one(k: int) -> None:  # each chat in its own Chainlit context, as each socket has
        new_context()
        chat = open_and_work(settings, projects, f"Film {k}")
        refs.append((weakref.ref(chat), weakref.ref(chat.container), weakref.ref(chat.session)))
        chat.close()  # what @cl.on_chat_end calls

    for k in range(N):
        asyncio.run(one(k))
    gc.collect()
    assert all(ref() is None for trio in refs for ref in trio), "a closed chat is still held"
    assert (alive(Chat), alive(Container), alive(Session)) == before
    assert len([s for s in user_sessions.values() if s.get("reopen")]) >= N, "Chainlit still keeps each session"


def test_a_page_that_comes_back_takes_the_conversation_up_again(web):
    import chainlit as cl

    from ui.web.chat import chat as current

    settings, projects, new_context, _ = web

    async def come_back() -> None:
        new_context()
        first = open_and_work(settings, projects, "Night Shift")
        first.session.scene_focus = 3
        said = list(first.session.turns)
        first.close()
        again = current()  # the next message on the same socket session
        assert again is not None and again is not first
        assert again.session.store is not None and again.session.store.slug == "night-shift"
        assert again.session.scene_focus == 3 and again.session.turns == said
        assert cl.user_session.get("chat") is again and cl.user_session.get("reopen") is None

    asyncio.run(come_back())
