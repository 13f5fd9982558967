"""A new chat with no project open: the greeting offers the workspace's projects (worked on last first, three at
most), a request to see something never becomes a new project, and "Open Night Shift" opens it.

The expected order is the one the test sets: each project's last commit is given a time, as `git log` would
show it; the expected titles are the ones the test created."""

from __future__ import annotations

import pytest

from studio.engine.events import Turn
from studio.engine.session import Session
from studio.models import Brief
from studio.project import Author
from studio.stages import Stage
from tests.fakes import FakeCrew, FakeWorkspace

# title → the time of its last commit (what "worked on last" reads)
PROJECTS = {"Night Shift": "2026-12-02T17:20:00", "Red Coat": "2026-12-01T09:00:00",
            "Blue Hour": "2026-12-02T18:00:00", "Old Reel": "2026-11-03T10:00:00"}


@pytest.fixture
def workspace() -> FakeWorkspace:
    ws = FakeWorkspace()
    for title, when in PROJECTS.items():
        store = ws.create(title)
        store.save(Stage.BRIEF, Brief(title=title), author=Author("Dana Director", "dana@example.test"),
                   summary="brief")
        store.history(limit=1)[0].time = when
    return ws


def new_chat(workspace: FakeWorkspace) -> Session:
    return Session(workspace, FakeCrew({"intent": {"intent": "other"}}), user="Dana Director")


def say(session: Session, text: str = "", choice: str | None = None) -> list:
    return list(session.handle(Turn(text=text, choice=choice)))


def test_the_greeting_offers_the_projects_worked_on_last(workspace):
    [hello] = new_chat(workspace).greet()
    newest = sorted(PROJECTS, key=PROJECTS.__getitem__, reverse=True)[:3]
    assert newest == ["Blue Hour", "Night Shift", "Red Coat"]
    assert hello.options[:3] == [f"Open {t}" for t in newest] and "Open Old Reel" not in hello.options
    assert "Blue Hour, Night Shift, Red Coat" in hello.text


def test_an_empty_workspace_greets_as_before():
    [hello] = new_chat(FakeWorkspace()).greet()
    assert hello.options == ["Develop an idea", "Bring my screenplay"]


@pytest.mark.parametrize("said", ["show me the storyboard", "show the shot list", "Can I see the script?",
                                  "let me see the boards", "open the review"])
def test_a_request_to_see_something_never_makes_a_project(workspace, said):
    chat = new_chat(workspace)
    before = workspace.slugs()
    events = say(chat, said)
    assert workspace.slugs() == before and chat.store is None
    assert events[-1].kind == "question" and events[-1].text.startswith("No project is open")
    assert events[-1].options[:3] == ["Open Blue Hour", "Open Night Shift", "Open Red Coat"]


def test_open_by_title_opens_that_project(workspace):
    chat = new_chat(workspace)
    events = say(chat, choice="Open Night Shift")
    assert chat.store is not None and chat.store.slug == "night-shift"
    assert events[0].text == "Opened Night Shift."
    other = new_chat(workspace)
    say(other, "open red-coat")
    assert other.store is not None and other.store.slug == "red-coat"


def test_a_command_that_needs_a_project_names_those_there_are(workspace):
    [error] = say(new_chat(workspace), "/shotlist")
    assert error.kind == "error" and "no project is open" in error.text and "/open night-shift" in error.text


def test_a_film_idea_still_starts_a_project(workspace):
    chat = new_chat(workspace)
    say(chat, "A night-shift waitress in a desert diner finds out her only regular is her missing father")
    assert len(workspace.slugs()) == len(PROJECTS) + 1, "an idea is not a request to see something"


def test_a_greeting_option_pressed_after_another_project_was_opened_still_opens_it(workspace):
    chat = new_chat(workspace)
    say(chat, "/open red-coat")
    say(chat, choice="Open Night Shift")
    assert chat.store is not None and chat.store.slug == "night-shift"
