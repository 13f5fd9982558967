"""A take the person chose with /take stays theirs (real Git, the sketch renderer, the in-process job runner): a
batch render of its scene does not replace it, even when it is out of date, and says so; a render the person asks
of that very shot does replace it."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.models import ActiveTakes, TakeKind
from studio.stages import Stage
from tests.cli_helpers import at_prompts

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"


@pytest.fixture
def project(workspace_dir, monkeypatch):
    """Shots and prompts drafted and approved by the schema crew, and a sketch board of every shot."""
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    return workspace_dir / at_prompts(SCRIPT, boards=(1,))


def boards(store, scene: int, shot: int) -> list[tuple[int, bool]]:
    return [(t.number, t.active) for t in store.takes(scene, shot) if t.kind is TakeKind.IMAGE]


def talk(session, text: str) -> list:
    from studio.engine.events import Turn

    return list(session.handle(Turn(text=text)))


def test_a_batch_render_keeps_the_take_the_person_chose_and_says_so(project):
    from config.container import Container

    session = Container().session(project=project.name)
    store = session.require_project()
    talk(session, "show me shot 1.2 from lower, at dusk")
    talk(session, "yes")
    assert boards(store, 1, 2) == [(1, False), (2, True)], "the requested take is active"

    talk(session, "/take S01_SH002 1")  # the person prefers the first one, out of date as it is
    assert boards(store, 1, 2) == [(1, True), (2, False)]
    active = store.read(Stage.BOARDS)
    assert isinstance(active, ActiveTakes) and active.chosen == ["S01_SH002"]

    done = talk(session, "/render boards scene 1 sketch yes")
    assert boards(store, 1, 2) == [(1, True), (2, False), (3, False)], "the batch left the person's choice"
    summary = done[-1]
    assert summary.kind == "question" and \
        "S01_SH002 keeps your take 1; take 3 is there too: /take S01_SH002 3" in summary.text, summary.text

    # A render the person asks of that shot replaces it, and the choice is theirs again to make.
    talk(session, "show me shot 1.2 from higher")
    talk(session, "yes")
    assert boards(store, 1, 2)[-1] == (4, True)
    assert "S01_SH002" not in store.read(Stage.BOARDS).chosen


def test_a_boards_file_written_before_chosen_existed_reads():
    old = ActiveTakes.model_validate_json('{"active": {"S01_SH002": 1}}')
    assert old.active == {"S01_SH002": 1} and old.chosen == []
