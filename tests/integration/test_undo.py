"""Undo on the real store and Git: the newest change put back as a new commit, a stack of undos, renders kept."""

from __future__ import annotations

import subprocess

import pytest

from studio.errors import StageError
from studio.models import Brief
from studio.stages import Stage, StageStatus


def git(store, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=store.path, capture_output=True, text=True, check=True).stdout


def test_undo_puts_the_last_change_back_and_keeps_both_in_the_history(imported):
    brief = imported.read(Stage.BRIEF)
    imported.approve(Stage.BRIEF)
    first = brief.model_copy(update={"logline": "A waitress and a stranger, one rainy night."})
    imported.save(Stage.BRIEF, first, author=imported.user(), summary="tighter logline", action="edit")
    second = first.model_copy(update={"tone": "bleak"})
    imported.save(Stage.BRIEF, second, author=imported.user(), summary="bleaker", action="edit")
    commits = len(git(imported, "log", "--oneline").splitlines())

    change, what = imported.undo()
    assert "bleaker" in what
    assert imported.read(Stage.BRIEF).tone == first.tone and imported.read(Stage.BRIEF).logline == first.logline
    assert len(git(imported, "log", "--oneline").splitlines()) == commits + 1, "undo is a new commit"
    assert imported.history(limit=1)[0].trailers["Auteur-Action"] == "undo"
    # Undo again: the change before it, not the undo itself.
    imported.undo()
    back = imported.read(Stage.BRIEF)
    assert isinstance(back, Brief) and back.logline == brief.logline
    # The stage's status came back with the content: approved, as before the first edit.
    assert imported.manifest().status(Stage.BRIEF) is StageStatus.APPROVED
    # The work tree holds exactly what Git holds: nothing half-written.
    assert git(imported, "status", "--porcelain") == ""


def test_undo_of_an_approval_makes_the_stage_a_draft_again(imported):
    imported.approve(Stage.BRIEF)
    imported.undo()
    assert imported.manifest().status(Stage.BRIEF) is StageStatus.DRAFT


def test_nothing_to_undo_in_a_new_project_is_a_clear_error(workspace):
    store = workspace.create("Empty One")
    with pytest.raises(StageError) as err:
        store.undo()
    assert "nothing to undo" in err.value.problem


def test_a_render_is_not_undone_its_take_is_kept(imported):
    import io

    from PIL import Image

    from memory.takes import Takes
    from studio.models import Shot, ShotList
    from studio.project import Author

    imported.save(Stage.SHOTS, ShotList(shots=[Shot(scene=1, number=1, action="A diner in the rain.")]),
                  author=imported.user(), summary="one shot")
    png = io.BytesIO()
    Image.new("RGB", (64, 36), "gray").save(png, format="PNG")
    Takes(imported).add(1, 1, png.getvalue(), ".png", author=Author.agent("Cinematographer"))
    with pytest.raises(StageError) as err:
        imported.undo()
    assert "takes are never removed" in err.value.problem and "/take" in err.value.fix
    assert Takes(imported).list(1, 1), "the take is still there"


def test_undo_refuses_to_overwrite_a_hand_edit_not_in_the_history(imported):
    brief = imported.read(Stage.BRIEF)
    imported.save(Stage.BRIEF, brief.model_copy(update={"tone": "bleak"}), author=imported.user(),
                  summary="bleaker", action="edit")
    from memory import layout

    rel = layout.STAGE_FILES[Stage.BRIEF]
    by_hand = (imported.path / rel).read_text(encoding="utf-8").replace('"bleak"', '"HAND EDIT"')
    (imported.path / rel).write_text(by_hand, encoding="utf-8")
    head = git(imported, "rev-parse", "HEAD")

    with pytest.raises(StageError) as err:
        imported.undo()
    assert rel in err.value.problem and str(imported.path) not in str(err.value), "the file, relative"
    assert f"git checkout -- {rel}" in err.value.fix and "auteur edit brief" in err.value.fix
    assert (imported.path / rel).read_text(encoding="utf-8") == by_hand, "the hand edit is still there"
    assert git(imported, "rev-parse", "HEAD") == head, "nothing committed"
    # Put back by hand: the undo goes through.
    git(imported, "checkout", "--", rel)
    imported.undo()
    assert imported.read(Stage.BRIEF).tone == brief.tone


def test_undo_keeps_what_the_changes_it_passes_over_did_to_the_manifest(imported):
    from studio.project import Usage
    from tools.exports import export

    imported.approve(Stage.BRIEF)
    before = imported.manifest()
    brief = imported.read(Stage.BRIEF)
    imported.save(Stage.BRIEF, brief.model_copy(update={"tone": "bleak"}), author=imported.user(),
                  summary="bleaker", action="edit", usage=Usage(calls=2, tokens=300, seconds=1.0))
    assert imported.manifest().status(Stage.BRIEF) is StageStatus.DRAFT
    export(imported, "fountain")  # passed over by undo
    imported.record_decision("keep it bleak", stage=Stage.BRIEF)  # passed over too
    exported = imported.manifest().stages[Stage.EXPORT]
    assert exported.status is StageStatus.DRAFT

    imported.undo()
    after = imported.manifest()
    assert imported.read(Stage.BRIEF).tone == brief.tone
    assert after.stages[Stage.BRIEF] == before.stages[Stage.BRIEF], "the undone stage as it was"
    assert after.llm.get("brief") == before.llm.get("brief"), "and its model work"
    assert after.stages[Stage.EXPORT] == exported, "the export made after it is still recorded"
    assert imported.read(Stage.EXPORT) is not None
    from memory import layout

    assert "keep it bleak" in (imported.path / layout.DECISIONS).read_text(encoding="utf-8"), "decisions stay"
    assert git(imported, "status", "--porcelain") == ""
