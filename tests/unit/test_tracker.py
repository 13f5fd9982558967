"""The stage tracker tells the truth: stages an import skipped say so and count as done; boards, clips and the cut
wait for an approval that /approve gives; the branch is named; /history groups a batch of renders into one line.

Expected figures are a person's reading of the project: the bundled screenplay imported skips the treatment and the
beats (2 stages); a film taken to an approved cut from the boards has nothing left to do on any of the 12 stages."""

from __future__ import annotations

import pytest

from studio.engine.describe import tracker, tracker_heading, tracker_lines
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.project import Author
from studio.stages import (
    BOARDS_CUT_REASON, IMPORT_REASON, Stage, StageStatus, default_stages, delivered, done_count, next_stage, skipped,
)
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeRenderer, FakeWorkspace

A, D, E, S = StageStatus.APPROVED, StageStatus.DRAFT, StageStatus.EMPTY, StageStatus.STALE
SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()


def states(**statuses):
    stages = default_stages()
    for name, status in statuses.items():
        stages[Stage(name)].status = status
    return stages


def finished(**changes):
    """A film from an imported screenplay taken to an approved cut made from the boards, and exported."""
    base = dict(brief=A, script=A, breakdown=A, look=A, shots=A, prompts=A, boards=A, cut=A, export=D)
    return states(**{**base, **changes})


def talk(session: Session, *said: str) -> list:
    events = []
    for text in said:
        events.extend(session.handle(Turn(text=text)))
    return events


def press(session: Session, option: str) -> list:
    """A person presses an option's button."""
    return list(session.handle(Turn(choice=option)))


@pytest.fixture
def session():
    s = Session(FakeWorkspace(), FakeCrew({"intent": {"intent": "other"}}), user="Dana Director",
                renderer=FakeRenderer())
    list(s.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    return s


def set_status(session: Session, **statuses) -> None:
    store = session.require_project()
    for name, status in statuses.items():
        store.project.stages[Stage(name)].status = status


# ---------------------------------------------------------------- skipped stages, pure


def test_an_import_skips_the_treatment_and_the_beats_while_they_are_empty():
    assert skipped(states(brief=D, script=D), imported=True) == {Stage.TREATMENT: IMPORT_REASON,
                                                                Stage.BEATS: IMPORT_REASON}
    assert skipped(states(brief=D, script=D), imported=False) == {}
    # Written after all (a person asked for a treatment): no longer skipped, it is a stage like the others.
    assert skipped(states(treatment=D), imported=True) == {Stage.BEATS: IMPORT_REASON}


def test_a_cut_from_the_boards_skips_the_clips_and_a_clip_made_unskips_them():
    assert skipped(states(boards=A, cut=D)) == {Stage.CLIPS: BOARDS_CUT_REASON}
    assert skipped(states(boards=A, clips=D, cut=D)) == {}
    assert skipped(states(boards=D)) == {}, "no cut yet: the clips are still to do"


def test_a_finished_imported_film_is_12_of_12_done_not_6():
    assert done_count(finished(), imported=True, delivery=True) == 12
    # What the issue saw as "6 of 12 approved": boards and cut rendered but never approved. Now 10 are done (the
    # 6 approved, the treatment, the beats and the clips skipped, the export delivered); boards and cut wait.
    seen = finished(boards=D, cut=D)
    assert sum(state.status is A for state in seen.values()) == 6
    assert done_count(seen, imported=True, delivery=True) == 10
    assert next_stage(seen, imported=True, delivery=True) is Stage.BOARDS
    assert next_stage(finished(), imported=True, delivery=True) is None
    assert done_count(finished(export=S), imported=True, delivery=True) == 11, "an export from an older cut is not done"


def test_the_export_stage_is_done_by_a_delivery_not_by_a_contact_sheet():
    """A person's reading of the issue: /board writes the storyboard contact sheet to show the boards; the film is
    delivered by its picture, its timeline or its script. Only a delivery ticks off the export."""
    assert done_count(finished(), imported=True, delivery=False) == 11
    assert next_stage(finished(), imported=True, delivery=False) is Stage.EXPORT
    assert not delivered(["storyboard-pdf"]) and not delivered(["storyboard-pdf", "shotlist-csv", "shotlist-pdf"])
    for kind in ("mp4", "edl", "otio", "fcpxml", "fdx", "pdf"):
        assert delivered(["storyboard-pdf", kind]), kind


def test_the_tracker_reads_which_exports_were_written(session):
    from studio.models import ExportRecord, Exports

    set_status(session, brief=A, script=A, breakdown=A, look=A, shots=A, prompts=A, boards=A, cut=A)
    store = session.require_project()
    sheet = ExportRecord(kind="storyboard-pdf", path="06_Exports/night-shift_storyboard.pdf")
    store.save(Stage.EXPORT, Exports(exports=[sheet]), author=Author.agent("Producer"), summary="storyboard-pdf",
               action="export")
    row = {r.stage: r for r in tracker(store)}[Stage.EXPORT]
    assert not row.done and "storyboard-pdf" in row.words and "/export mp4" in row.words, row
    assert tracker_heading(store).endswith("11 of 12 done (3 skipped)")
    film = ExportRecord(kind="mp4", path="06_Exports/night-shift.mp4")
    store.save(Stage.EXPORT, Exports(exports=[sheet, film]), author=Author.agent("Producer"), summary="mp4",
               action="export")
    row = {r.stage: r for r in tracker(store)}[Stage.EXPORT]
    assert row.done and row.words == "exported: mp4"
    assert tracker_heading(store).endswith("12 of 12 done (3 skipped)")


def test_next_stage_goes_past_skipped_stages_to_the_rendered_ones_that_wait():
    assert next_stage(finished(boards=D, cut=E, export=E), imported=True) is Stage.BOARDS
    assert next_stage(finished(cut=D, export=E), imported=True) is Stage.CUT
    assert next_stage(states(brief=A), imported=True) is Stage.SCRIPT


# ---------------------------------------------------------------- the tracker on a project


def test_the_tracker_after_an_upload_says_what_was_skipped_and_names_the_branch(session):
    store = session.require_project()
    rows = {r.stage: r for r in tracker(store)}
    assert rows[Stage.TREATMENT].words == "skipped: the script was imported" and rows[Stage.TREATMENT].done
    assert rows[Stage.BEATS].status == "skipped"
    assert rows[Stage.BRIEF].approve == "/approve brief"
    assert rows[Stage.LOOK].words == "to do" and not rows[Stage.LOOK].done
    assert tracker_heading(store) == "Night Shift · branch main: 2 of 12 done (2 skipped)"
    store.create_branch("alt-ending")
    assert "branch alt-ending" in tracker_lines(store)[0]
    lines = tracker_lines(store)
    assert lines[2] == " 2. treatment  skipped: the script was imported"
    assert lines[1] == " 1. brief      draft — waiting for your approval (/approve brief)"
    assert lines[6] == " 6. look       empty"


def test_rendered_stages_wait_for_an_approval_that_is_offered_and_given(session):
    set_status(session, brief=A, script=A, breakdown=A, look=A, shots=A, prompts=A, boards=D)
    rows = {r.stage: r for r in tracker(session.require_project())}
    assert rows[Stage.BOARDS].words == "rendered, waiting for your approval (/approve boards)"

    events = talk(session, "/status")
    question = events[-1]
    assert question.kind == "question" and "Approve boards" in question.options, question
    assert question.data["approval"] == "boards"

    events = talk(session, "/approve boards")
    assert "Boards approved and saved" in " ".join(e.text for e in events)
    assert session.require_project().manifest().status(Stage.BOARDS) is A
    after = events[-1]
    assert after.kind == "question" and after.options == ["Render clips", "Cut"], after


def test_a_bare_yes_approves_the_cut_it_was_asked_about(session):
    set_status(session, brief=A, script=A, breakdown=A, look=A, shots=A, prompts=A, boards=A, cut=D)
    question = talk(session, "/status")[-1]
    assert question.options[0] == "Approve cut"
    events = talk(session, "yes")
    assert "Cut approved and saved" in " ".join(e.text for e in events)
    store = session.require_project()
    assert store.manifest().status(Stage.CUT) is A
    assert "12 of 12" not in tracker_heading(store)  # nothing exported yet
    assert tracker_heading(store).endswith("11 of 12 done (3 skipped)")  # treatment, beats, clips


# ---------------------------------------------------------------- /history


def render_commits(store, codes: list[str], stage: str = "boards") -> None:
    for code in codes:
        store._commit(f"{stage}: new image take for {code}", Author.agent("Cinematographer"),
                      {"Auteur-Stage": stage, "Auteur-Stages": stage, "Auteur-Action": "take"})


def test_history_groups_consecutive_render_commits_and_names_who(session):
    store = session.require_project()
    codes = [f"S0{s}_SH00{n}" for s in (1, 2, 3) for n in (1, 2, 3, 4)][:11]
    render_commits(store, codes)
    talk(session, "/approve brief")
    render_commits(store, ["S01_SH001", "S01_SH002"])
    event = talk(session, "/history")[0]
    lines = event.text.splitlines()
    assert lines[0].endswith("Cinematographer: 2 boards rendered, S01_SH001–S01_SH002"), lines[0]
    assert " Dana Director: " in lines[1] and "approve" in lines[1], lines[1]
    assert lines[2].endswith(f"Cinematographer: 11 boards rendered, {codes[0]}–{codes[-1]}"), lines[2]
    assert lines[2].endswith("11 boards rendered, S01_SH001–S03_SH003")
    groups = event.data["groups"]
    assert [g["count"] for g in groups[:3]] == [2, 1, 11]
    assert len(event.data["history"]) >= 14, "every commit stays in the data"
    assert all(g["author"] for g in groups)


def test_history_keeps_a_lone_render_commit_as_it_is_and_the_limit_counts_lines(session):
    store = session.require_project()
    render_commits(store, [f"S01_SH{n:03d}" for n in range(1, 31)])
    render_commits(store, ["S02_SH001"], stage="clips")
    event = talk(session, "/history --limit 2")[0]
    lines = event.text.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("clips: new image take for S02_SH001")
    assert lines[1].endswith("30 boards rendered, S01_SH001–S01_SH030")


# ---------------------------------------------------------------- /restore asks first; stale boards asked about


@pytest.fixture
def drawn() -> Session:
    """The sample's shots and prompts drafted by code, scene 1's boards drawn (each take records the shot it was
    drawn from, as a real render does), the boards waiting for approval."""
    from tests.drafted import drafted_sample
    from tests.unit.test_views import record_made_from

    workspace, store, renderer = drafted_sample()
    record_made_from(store)
    store.project.stages[Stage.BOARDS].status = D
    return Session(workspace, FakeCrew({"intent": {"intent": "other"}}), project=store.slug, renderer=renderer)


def test_restore_names_the_later_changes_it_drops_and_waits_for_a_yes(drawn):
    store = drawn.require_project()
    rev = store.history(Stage.SHOTS, limit=1)[0].commit
    then = store.read(Stage.SHOTS)
    talk(drawn, "/shot S01_SH002 size CU", "/shot S01_SH003 duration 5", "/shot S01_SH004 action she waits")
    later = store.history(Stage.SHOTS)[:3]  # the three edits, newest first, as the store's log holds them
    assert "S01_SH002" in later[-1].message and "S01_SH004" in later[0].message
    now = store.read(Stage.SHOTS)

    question = talk(drawn, f"/restore shots {rev}")[-1]
    assert question.kind == "question" and question.options == ["Restore", "Keep"]
    assert "drops these 3 later changes" in question.text
    for commit in later:
        assert f"{commit.short} {commit.author}: {commit.message.splitlines()[0]}" in question.text
    assert [d["commit"] for d in question.data["restore"]["dropped"]] == [c.commit for c in later]
    assert store.read(Stage.SHOTS) == now, "nothing is restored before the yes"

    said = press(drawn, "Keep")
    assert "Kept" in said[0].text and store.read(Stage.SHOTS) == now
    assert "question is closed" in press(drawn, "Restore")[0].text, "a Restore after Keep does nothing"

    talk(drawn, f"/restore shots {rev}")
    press(drawn, "Restore")
    assert store.read(Stage.SHOTS).shots == then.shots
    assert store.history(Stage.SHOTS)[0].trailers["Auteur-Action"] == "restore"


def test_restore_with_yes_or_with_nothing_later_goes_straight_on(drawn):
    store = drawn.require_project()
    rev = store.history(Stage.SHOTS, limit=1)[0].commit
    then = store.read(Stage.SHOTS)
    talk(drawn, "/shot S01_SH002 size CU")
    events = talk(drawn, f"/restore shots {rev} yes")
    assert not [e for e in events if e.kind == "question" and "restore" in e.data]
    assert store.read(Stage.SHOTS).shots == then.shots
    head = store.history(Stage.SHOTS, limit=1)[0].commit
    events = talk(drawn, f"/restore shots {head}")  # the version in use: nothing later to drop
    assert events[0].kind == "message" and "nothing changed" in events[0].text


def test_approving_out_of_date_boards_asks_first_and_anyway_goes_on(drawn):
    store = drawn.require_project()
    talk(drawn, "/shot S01_SH002 size CU", "/shot S01_SH004 lens 85")
    question = talk(drawn, "/approve boards")[-1]
    # The two shots the test changed have boards drawn before the change: those two, and no other.
    assert question.kind == "question" and question.data["stale"] == ["S01_SH002", "S01_SH004"]
    assert question.text.startswith("2 boards are out of date (S01_SH002, S01_SH004)")
    assert question.options == ["/render boards stale", "/approve boards anyway"]
    assert store.manifest().status(Stage.BOARDS) is D
    said = " ".join(e.text for e in talk(drawn, "/approve boards anyway"))
    assert "Boards approved and saved" in said and store.manifest().status(Stage.BOARDS) is A
