"""The views on a real project (Git, the sketch renderer, the in-process job runner, the real exports): the board
shows the takes on disk and sends the storyboard PDF, an edit through /shot is a commit that marks that shot's board
out of date, a render of that one shot brings it up to date, and `auteur board|shotlist|character|tree` print the
same views. The PDF is read back with pdfplumber (another program's reading of the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.models import TakeKind
from studio.stages import Stage
from tests.cli_helpers import at_prompts, invoke, js

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"  # small: a few shots to draw


@pytest.fixture
def project(workspace_dir, monkeypatch):
    """Shots and prompts drafted and approved by the schema crew, and a sketch board of every shot of scene 1."""
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    return workspace_dir / at_prompts(SCRIPT, boards=(1,))


def _cells(event) -> dict:
    return {s["code"]: s for scene in event.data["props"]["scenes"] for s in scene["shots"]}


def test_the_board_the_shot_edit_and_the_one_shot_render_on_a_real_project(project):
    import pdfplumber

    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    store = session.require_project()
    shots = store.read(Stage.SHOTS).shots
    [board] = [e for e in session.handle(Turn(text="/board")) if e.data.get("view") == "board"]
    cells = _cells(board)
    assert list(cells) == [s.code for s in shots]
    drawn = [c for c, cell in cells.items() if cell["image"]]
    assert drawn == [s.code for s in shots if s.scene == 1], "scene 1 was drawn, nothing else"
    for code in drawn:
        assert (project / cells[code]["image"]).is_file() and not cells[code]["stale"]
    pdf = Path(board.data["path"])
    assert pdf.parent == project / "06_Exports" and pdf.read_bytes().startswith(b"%PDF")
    with pdfplumber.open(pdf) as doc:
        text = " ".join(page.extract_text() or "" for page in doc.pages)
        assert sum(len(page.images) for page in doc.pages) >= len(drawn)
    assert all(code in text for code in cells), "the contact sheet names every shot"
    assert str(project) not in board.text

    # An edit from the table: a commit in Git, the shot changed, its board (only) out of date.
    code = drawn[1]
    scene, number = int(code[1:3]), int(code[-3:])
    events = list(session.handle(Turn(text=f"/shot {code} size ECU")))
    assert not [e for e in events if e.kind == "error"], [e.text for e in events]
    head = store.history(limit=1)[0]
    assert head.trailers["Auteur-Stages"] == "shots, prompts" and f"redo {code}" in head.message
    assert next(s for s in store.read(Stage.SHOTS).shots if s.code == code).size.value == "ECU"
    cells = _cells(session.view("board"))
    assert cells[code]["stale"] and not any(cells[c]["stale"] for c in drawn if c != code)

    # The person's words are their commit.
    list(session.handle(Turn(text=f"/shot {code} action The neon sign flickers twice and dies.")))
    head = store.history(limit=1)[0]
    assert head.author == "Dana Director" and f"{code} action" in head.message

    # A new board of that shot alone, active at once: the board is up to date again.
    before = {c: len(store.takes(int(c[1:3]), int(c[-3:]))) for c in drawn}
    list(session.handle(Turn(text=f"/render boards {code} yes")))
    takes = [t for t in store.takes(scene, number) if t.kind is TakeKind.IMAGE]
    assert len(takes) == before[code] + 1 and takes[-1].active
    assert all(len(store.takes(int(c[1:3]), int(c[-3:]))) == before[c] for c in drawn if c != code)
    cells = _cells(session.view("board"))
    assert not cells[code]["stale"] and cells[code]["image"] == takes[-1].path and cells[code]["take"] == 2


def test_the_terminal_prints_the_views(project):
    slug = project.name
    data = js("shotlist", "-p", slug)
    assert data["view"] == "shotlist"
    codes = [r["code"] for r in data["props"]["rows"]]
    board = js("board", "-p", slug)["props"]
    assert codes and [c["code"] for scene in board["scenes"] for c in scene["shots"]] == codes
    out = invoke("board", "-p", slug).stdout
    assert all(code in out for code in codes) and "PDF contact sheet" in out
    tree = invoke("tree", "-p", slug).stdout
    assert tree.startswith("Branch main") and "script:" in tree and "shots:" in tree
    vera = js("character", "vera", "-p", slug)["props"]  # VERA speaks in the script (read by a person)
    assert vera["name"] == "VERA" and vera["scenes"] and all(s["shots"] for s in vera["scenes"])
    bad = invoke("character", "NOBODY", "-p", slug, ok=False)
    assert bad.exit_code == 1 and "no character 'NOBODY'" in bad.output
