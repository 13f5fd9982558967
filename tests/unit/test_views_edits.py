"""What a person does from the views, on the in-memory fakes: /shot CODE FIELD VALUE changes the shot as chat
does (a scoped commit, the person's choice kept, the board marked out of date), /render boards SHOT makes one new
active take, and the batches and the cut end with an Approve."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.engine.commands.views import shot_edits
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.errors import StageError
from studio.models import ShotSize, TakeKind
from studio.stages import Stage
from tests.unit.test_views import session as session  # noqa: F401  (the fixture)


def run(session: Session, line: str) -> list:
    return list(session.handle(Turn(text=line)))


def shot_of(store, code: str):
    return next(s for s in store.read(Stage.SHOTS).shots if s.code == code)


def board_cells(session: Session) -> dict:
    props = session.view("board").data["props"]
    return {s["code"]: s for scene in props["scenes"] for s in scene["shots"]}


def test_the_words_of_a_shot_edit():
    assert shot_edits("size CU angle low angle".split()[:4]) == [("size", "CU"), ("angle", "low")]
    assert shot_edits("angle eye level move dolly in".split()) == [("angle", "eye level"), ("move", "dolly in")]
    assert shot_edits("lens 85 action she runs to the door".split()) == [("lens", "85"),
                                                                         ("action", "she runs to the door")]
    with pytest.raises(StageError, match="no field 'colour'"):
        shot_edits("colour red".split())
    with pytest.raises(StageError, match="gave size no value"):
        shot_edits("size angle low".split())


def test_a_shot_edited_from_the_table_is_the_chat_change_and_its_board_goes_out_of_date(session):
    store = session.require_project()
    assert not any(c["stale"] for c in board_cells(session).values())
    before = {s.code: s for s in store.read(Stage.SHOTS).shots}
    commits = len(store.history())
    events = run(session, "/shot S01_SH003 size CU")
    shot = shot_of(store, "S01_SH003")
    assert shot.size is ShotSize.CU and "size" in shot.person and shot.lens_mm == 85  # the lens follows the size
    assert len(store.history()) == commits + 1
    commit = store.history(limit=1)[0]
    assert commit.trailers["Auteur-Stages"] == "shots, prompts" and commit.trailers["Auteur-Action"] == "revise"
    assert all(s == before[s.code] for s in store.read(Stage.SHOTS).shots if s.code != "S01_SH003")
    said = [e.text for e in events if e.kind == "message"]
    assert "S01_SH003 is now size CU, lens 85 mm." in said
    assert any("out of date" in t and "S01_SH003" in t for t in said), said
    view = [e for e in events if e.data.get("view") == "shot"][-1]
    assert view.data["props"]["size"] == "CU" and "close-up" in view.data["props"]["frame_prompt"]
    cells = board_cells(session)
    assert cells["S01_SH003"]["stale"] and not cells["S01_SH001"]["stale"]


def test_an_action_or_dialogue_edit_is_the_persons_commit(session):
    store = session.require_project()
    run(session, "/shot S01_SH004 action Walt sits in the cab, engine off")
    shot = shot_of(store, "S01_SH004")
    commit = store.history(limit=1)[0]
    assert shot.action == "Walt sits in the cab, engine off" and "action" in shot.person
    assert commit.author == "Dana Director" and commit.trailers["Auteur-Stages"] == "shots, prompts"
    prompt = next(p for p in store.read(Stage.PROMPTS).prompts if (p.scene, p.number) == (1, 4))
    assert "Walt sits in the cab" in prompt.frame_prompt
    long_line = ("WALT: I drove eleven hundred miles through rain and sleet to sit at this counter, and I am not "
                 "leaving until somebody tells me what happened to my brother the winter he stopped writing home.")
    assert shot.duration_s < 5
    events = run(session, f"/shot S01_SH004 dialogue {long_line}")
    shot = shot_of(store, "S01_SH004")
    assert shot.dialogue == long_line and shot.duration_s > 5, "lengthened to the time its line takes"
    assert any("the time its lines take to say" in e.text for e in events)


def test_a_bad_edit_changes_nothing(session):
    store = session.require_project()
    commits = len(store.history())
    for line in ("/shot S01_SH003 colour red", "/shot S09_SH001 size CU", "/shot S01_SH003 size enormous",
                 "/shot S01_SH003 action <script>alert(1)</script>"):
        events = run(session, line)
        assert events[0].kind == "error", (line, [e.text for e in events])
    assert len(store.history()) == commits
    assert "there is no shot S09_SH001" in run(session, "/shot S09_SH001")[0].text


def test_one_shot_rendered_from_the_board_becomes_its_active_take(session):
    store = session.require_project()
    asked = run(session, "/render boards S01_SH003")
    assert asked[-1].kind == "question" and asked[-1].text.startswith("Estimate: 1 board")
    assert session.pending_render is not None and session.pending_render.shots == [(1, 3)]
    assert session.pending_render.activate and len(store.takes(1, 3)) == 1
    run(session, "Not now")
    done = run(session, "/render boards S01_SH003 S01_SH004 yes")
    for number in (3, 4):
        takes = [t for t in store.takes(1, number) if t.kind is TakeKind.IMAGE]
        assert len(takes) == 2 and takes[-1].active and not takes[0].active
    assert len(store.takes(1, 5)) == 1, "no other shot rendered"
    assert done[-1].options == ["Render clips", "Cut", "Approve boards"]
    [error] = [e for e in run(session, "/render boards S01_SH099 yes") if e.kind == "error"]
    assert "there is no shot S01_SH099" in error.text


def test_the_clips_and_the_cut_can_be_approved_when_they_end(session):
    done = run(session, "/render clips scene 1 yes")
    assert done[-1].kind == "question" and "Approve clips" in done[-1].options
    cut = run(session, "/render cut")
    assert cut[-1].kind == "question" and cut[-1].options == ["Approve cut"]


def test_the_board_command_sends_the_storyboard_pdf(session, tmp_path):
    made: list[str] = []

    def exporter(store, kind):
        made.append(kind)
        path = tmp_path / f"{store.slug}_storyboard.pdf"
        path.write_bytes(b"%PDF-1.4")
        return path

    session.exporter = exporter
    event = [e for e in run(session, "/board") if e.data.get("view") == "board"][0]
    assert made == ["storyboard-pdf"] and Path(event.data["path"]).name == "night-shift_storyboard.pdf"
    assert "PDF contact sheet" in event.text and str(tmp_path) not in event.text
    assert "path" not in session.view("board").data and made == ["storyboard-pdf"]
