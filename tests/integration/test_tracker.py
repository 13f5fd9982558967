"""The stage tracker and the history on a real project (Git, the sketch renderer, the in-process job runner): the
bundled screenplay imported, taken to its prompts by the schema crew, scene 1 drawn. Oracles from outside the code
under test: the board files on disk, and `git log` read with the git command itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from studio.stages import Stage, StageStatus
from tests.cli_helpers import at_prompts

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"


def talk(session, text: str) -> list:
    from studio.engine.events import Turn

    return list(session.handle(Turn(text=text)))


def git_log(folder: Path, fmt: str) -> list[str]:
    out = subprocess.run(["git", "log", f"--format={fmt}"], cwd=folder, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


@pytest.fixture
def project(workspace_dir, monkeypatch):
    """The sample at its prompts, scene 1's boards drawn, by a person whose login name is root (a container)."""
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    monkeypatch.setenv("AUTEUR_USER_NAME", "root")
    monkeypatch.delenv("AUTEUR_USER_EMAIL", raising=False)
    return workspace_dir / at_prompts(SAMPLE, boards=(1,))


def test_a_real_project_tracker_history_and_render_approval(project):
    from config.container import Container
    from studio.engine.describe import tracker, tracker_heading

    session = Container().session(project=project.name)
    store = session.require_project()
    rows = {r.stage: r for r in tracker(store)}
    assert rows[Stage.TREATMENT].words == rows[Stage.BEATS].words == "skipped: the script was imported"
    assert rows[Stage.BOARDS].approve == "/approve boards"
    # brief, script, breakdown, look, shots and prompts approved; treatment and beats skipped.
    assert tracker_heading(store) == "Night Shift · branch main: 8 of 12 done (2 skipped)"

    # The boards wait for an approval that is offered, and given.
    question = talk(session, "/status")[-1]
    assert "Approve boards" in question.options
    said = " ".join(e.text for e in talk(session, "Approve boards"))
    assert "Boards approved and saved" in said
    assert store.manifest().status(Stage.BOARDS) is StageStatus.APPROVED

    # /history: scene 1's boards are one line, counted and spanned as the files on disk say.
    boards = sorted(p.name.split("_take")[0] for p in (project / "03_Renders" / "Scene_01").rglob("*.png"))
    event = next(e for e in talk(session, "/history") if e.kind == "message")
    grouped = [line for line in event.text.splitlines() if "boards rendered" in line]
    assert grouped == [grouped[0]] and grouped[0].endswith(
        f"Cinematographer: {len(boards)} boards rendered, {boards[0]}–{boards[-1]}"), event.text
    assert len(event.text.splitlines()) <= 15

    # Every commit names a person or an agent: the person's login "root" is written as the Director.
    authors = set(git_log(project, "%an"))
    assert "root" not in authors
    assert "Director" in authors and "Cinematographer" in authors
    approvals = [line for line in git_log(project, "%an|%(trailers:key=Auteur-Action,valueonly)")
                 if line.endswith("|approve")]
    assert approvals and all(line.startswith("Director|") for line in approvals)


def test_a_shot_with_a_board_and_a_clip_has_one_active_take_of_each_kind_and_says_which(project):
    from config.container import Container
    from studio.engine.describe import take_label
    from studio.models import TakeKind
    from tests.cli_helpers import invoke

    invoke("render", "clips", "-p", project.name, "--scene", "1", "--tier", "sketch", "--yes")
    store = Container().session(project=project.name).require_project()
    takes = store.takes(1, 1)
    # The files on disk: one board (png) and one clip (mp4) of S01_SH001, numbered in one sequence per shot.
    files = sorted(p.suffix for p in (project / "03_Renders" / "Scene_01" / "Shot_001").iterdir()
                   if p.suffix in (".png", ".mp4"))
    assert files == [".mp4", ".png"]
    active = {t.kind: t.number for t in takes if t.active}
    assert set(active) == {TakeKind.IMAGE, TakeKind.VIDEO} and len(active) == len([t for t in takes if t.active])
    labels = [take_label(t) for t in takes if t.active]
    assert sorted(labels) == [" (active board)", " (active clip)"]


def test_a_contact_sheet_is_no_delivery_and_a_restore_names_what_git_says_it_drops(project):
    """On Git: /board's contact sheet is committed as an export, yet the export stage stays to do until a delivery
    (the script as Final Draft) is written; /restore lists exactly the commits `git log REV..HEAD -- <shots file>`
    lists, and restores only after the yes."""
    from config.container import Container
    from memory.layout import STAGE_FILES
    from studio.engine.describe import tracker

    session = Container().session(project=project.name)
    store = session.require_project()
    talk(session, "/board 1")
    assert any(line.startswith("export: storyboard-pdf") for line in git_log(project, "%s"))
    assert (project / "06_Exports").is_dir() and list((project / "06_Exports").glob("*.pdf"))
    row = {r.stage: r for r in tracker(store)}[Stage.EXPORT]
    assert not row.done and "storyboard-pdf" in row.words
    talk(session, "/export fdx")
    assert list((project / "06_Exports").glob("*.fdx"))
    row = {r.stage: r for r in tracker(store)}[Stage.EXPORT]
    assert row.done and row.words == "exported: fdx"

    rev = git_log(project, "%H")[0]
    talk(session, "/shot S01_SH002 size CU")
    talk(session, "/shot S01_SH003 duration 5")
    shots_file = STAGE_FILES[Stage.SHOTS]
    out = subprocess.run(["git", "log", "--format=%H %(trailers:key=Auteur-Action,valueonly)", f"{rev}..HEAD", "--",
                          shots_file], cwd=project, capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()]  # a trailer value ends in a newline
    expected = [row[0] for row in rows if row[1:] != ["approve"]]
    assert len(expected) == 2
    before = (project / shots_file).read_text()
    question = talk(session, f"/restore shots {rev[:10]}")[-1]
    assert question.kind == "question" and "drops these 2 later changes" in question.text
    assert [d["commit"] for d in question.data["restore"]["dropped"]] == expected
    assert (project / shots_file).read_text() == before, "nothing restored before the yes"
    talk(session, "yes")
    restored = subprocess.run(["git", "show", f"{rev}:{shots_file}"], cwd=project, capture_output=True, text=True,
                              check=True).stdout
    assert (project / shots_file).read_text() == restored
    assert git_log(project, "%(trailers:key=Auteur-Action,valueonly)")[0].strip() == "restore"
