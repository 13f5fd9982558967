"""A writer's work on the script on the real store and Git: each /scene, /beat and /line is one commit, the
breakdown follows the script, approved stages downstream go stale, and /undo puts it back as it was."""

from __future__ import annotations

import subprocess

from studio.breakdown import break_down
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.fountain import parse
from studio.models import Beat, BeatSheet
from studio.stages import Stage, StageStatus
from tests.fakes import FakeCrew


def git(store, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=store.path, capture_output=True, text=True, check=True).stdout


def commits(store) -> int:
    return len(git(store, "log", "--oneline").splitlines())


def studio(workspace, imported) -> Session:
    """The sample imported, its brief, script and breakdown approved, a beat sheet approved."""
    for stage in (Stage.BRIEF, Stage.SCRIPT, Stage.BREAKDOWN):
        imported.approve(stage)
    sheet = BeatSheet(beats=[Beat(name=n, description=d) for n, d in (
        ("Setup", "Nell works the night shift. Dee does her crossword."), ("Inciting Incident", "Walt comes in."),
        ("Climax", "Walt says who he is."))])
    imported.save(Stage.BEATS, sheet, author=imported.user(), summary="beats")
    imported.approve(Stage.BEATS)
    return Session(workspace, FakeCrew({}), project=imported.slug, user="Dana Director")


def test_cut_and_move_are_commits_the_breakdown_follows_and_undo_puts_them_back(workspace, imported):
    session = studio(workspace, imported)
    store = session.require_project()
    original = store.read_script().fountain
    headings = [s.heading for s in store.breakdown().scenes]
    n = commits(store)

    events = list(session.handle(Turn(text="cut scene 3")))
    assert commits(store) == n + 1, [e.text for e in events]
    assert [s.heading for s in store.breakdown().scenes] == headings[:2] + headings[3:]
    # The file on disk is the script: the breakdown saved is what the parser reads from it.
    assert [s.heading for s in break_down(parse(store.read_script().fountain)).scenes] == headings[:2] + headings[3:]
    assert store.manifest().status(Stage.SCRIPT) is StageStatus.DRAFT
    assert git(store, "status", "--porcelain") == ""

    list(session.handle(Turn(text="/scene move 1 after 2")))
    assert [s.heading for s in store.breakdown().scenes][:2] == [headings[1], headings[0]]
    assert commits(store) == n + 2

    list(session.handle(Turn(text="/undo")))
    list(session.handle(Turn(text="/undo")))
    assert store.read_script().fountain == original
    assert [s.heading for s in store.breakdown().scenes] == headings
    assert store.manifest().status(Stage.SCRIPT) is StageStatus.APPROVED


def test_a_line_changed_is_one_commit_in_the_file_and_undone(workspace, imported):
    session = studio(workspace, imported)
    store = session.require_project()
    original = store.read_script().fountain
    n = commits(store)
    list(session.handle(Turn(text="/line 2.2 Do I look like a phone book?")))
    assert commits(store) == n + 1
    text = store.read_script().fountain
    assert "Do I look like a phone book?" in text and "Do I look like a dictionary?" not in text
    assert text.replace("Do I look like a phone book?", "Do I look like a dictionary?") == original
    assert "line 2.2" in git(store, "log", "-1", "--format=%s")
    list(session.handle(Turn(text="undo")))
    assert store.read_script().fountain == original


def test_a_beat_edit_stales_the_approved_script_and_undo_restores_it(workspace, imported):
    session = studio(workspace, imported)
    store = session.require_project()
    before = store.read(Stage.BEATS)
    events = list(session.handle(Turn(text="merge beats 1 and 2")))
    assert len(store.read(Stage.BEATS).beats) == 2
    assert store.manifest().status(Stage.SCRIPT) is StageStatus.STALE
    assert any("now stale" in e.text and "script" in e.text for e in events), [e.text for e in events]
    list(session.handle(Turn(text="/undo")))
    assert store.read(Stage.BEATS) == before
    assert store.manifest().status(Stage.SCRIPT) is StageStatus.APPROVED
