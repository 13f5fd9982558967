"""Review notes in the engine, on the in-memory fakes (the bundled screenplay, its shots and prompts drafted by
code, boards of every shot, a cut of them): /note attaches a note to the shot under its time, sorts it and gives it
to the owner, who proposes command lines; /fix runs them; /notes and the review view show them.

Where a note lands is worked out from the shot list's own durations laid end to end (not from studio.review); what
a fix changed is read back from the store (the shot, its takes, the look), never from the note's own words."""

from __future__ import annotations

import pytest

from studio.coverage import plan
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.fountain import parse
from studio.media import Cut, CutEntry
from studio.models import Character, Look, TakeKind
from studio.project import Author
from studio.prompts import assemble
from studio.render import RenderKind
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeRenderer, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()


@pytest.fixture
def session() -> Session:
    workspace = FakeWorkspace()
    store = workspace.create("Night Shift")
    store.import_script("night_shift.fountain", SAMPLE)
    shots = plan(parse(store.read_script().fountain), store.breakdown())
    look = Look(characters=[Character(name=n, wardrobe="work clothes") for n in store.breakdown().characters])
    store.save(Stage.LOOK, look, author=Author.agent("Art Director"), summary="look")
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="coverage")
    store.save(Stage.PROMPTS, assemble(shots, store.breakdown(), look), author=Author.agent("Cinematographer"),
               summary="prompts")
    renderer = FakeRenderer()
    renderer.run(store, RenderKind.BOARD)
    entries = [CutEntry(scene=s.scene, shot=s.number, duration_s=s.duration_s, take=f"{s.code}.png")
               for s in shots.shots]
    store.save(Stage.CUT, Cut(version=1, entries=entries, path="03_Renders/cut/cut_v01.mp4"),
               author=Author.agent("Producer"), summary="cut")
    return Session(workspace, FakeCrew({}), project=store.slug, renderer=renderer)


def run(session: Session, line: str) -> list:
    return list(session.handle(Turn(text=line)))


def errors(events: list) -> list[str]:
    return [e.text for e in events if e.kind == "error"]


def laid_out(session: Session) -> list[tuple[str, float, float]]:
    """The shot list's durations end to end: the shots of the cut and their times, read from the shots."""
    out, start = [], 0.0
    for s in session.require_project().read(Stage.SHOTS).shots:
        out.append((s.code, start, start + s.duration_s))
        start += s.duration_s
    return out


def shot(session: Session, code: str):
    return next(s for s in session.require_project().read(Stage.SHOTS).shots if s.code == code)


def test_a_note_at_a_time_lands_on_the_shot_then_on_screen_and_goes_to_its_owner(session):
    code, start, end = laid_out(session)[7]
    at = round((start + end) / 2, 1)
    events = run(session, f"/note {at}s too slow here")
    assert not errors(events), errors(events)
    [note] = session.require_project().review_notes().notes
    assert (note.code, note.at, note.category.value, note.agent, note.cut) == (code, at, "timing", "Cinematographer", 1)
    seconds = round(shot(session, code).duration_s * 0.7, 1)
    assert note.commands == [f"/shot {code} duration {seconds:g}"]
    question = next(e for e in events if e.kind == "question")
    assert question.author == "Cinematographer" and f"/shot {code} duration" in question.text
    assert question.options[0] == "/fix n1"
    top = session.require_project().history(Stage.CUT)[0]
    assert top.author == "Dana Director" and top.trailers["Auteur-Action"] == "note"


def test_a_note_that_names_a_shot_is_attached_to_it_whatever_the_time(session):
    first = laid_out(session)[0]
    run(session, "/note 0:00.5 S02_SH002: her coat should be red")
    [note] = session.require_project().review_notes().notes
    assert first[0] != "S02_SH002" and note.code == "S02_SH002" and note.at == 0.5
    assert (note.category.value, note.agent) == ("look", "Art Director")
    assert note.commands[0].startswith("/change NELL's coat should be red in scene 2"), note.commands
    assert note.commands[-1] == "/render boards S02_SH002 yes"


@pytest.mark.parametrize(("line", "problem"), [
    ("/note 59:00 too slow", "outside the cut"), ("/note S09_SH001 too dark", "not in the latest cut"),
    ("/note 0:01", "no words"), ("/note too slow here", "needs a time in the cut or a shot"),
])
def test_a_note_that_cannot_be_placed_says_why_and_keeps_nothing(session, line, problem):
    events = run(session, line)
    assert any(problem in text for text in errors(events)), errors(events)
    assert session.require_project().review_notes().notes == []


def test_fix_carries_out_a_timing_and_a_render_note_and_marks_them_done(session):
    store = session.require_project()
    run(session, "/note S01_SH003 drags")
    run(session, "/note S01_SH002 the face is smeared")
    before = shot(session, "S01_SH003").duration_s
    takes = [t.number for t in store.takes(1, 2) if t.kind is TakeKind.IMAGE]
    events = run(session, "/fix all")
    assert not errors(events), errors(events)
    assert shot(session, "S01_SH003").duration_s == pytest.approx(round(before * 0.7, 1))
    boards = [t for t in store.takes(1, 2) if t.kind is TakeKind.IMAGE]
    assert len(boards) == len(takes) + 1 and boards[-1].active, "a new board, the active one"
    notes = {n.id: n for n in store.review_notes().notes}
    assert notes["n1"].status == notes["n2"].status == "done"
    assert notes["n2"].result == f"S01_SH002 board take {boards[-1].number}"
    assert f"duration {round(before * 0.7, 1):g} s" in notes["n1"].result
    actions = [c.trailers.get("Auteur-Action") for c in store.history(Stage.CUT)]
    assert actions.count("fix") == 2 and actions.count("note") == 2


def test_a_fix_that_fails_leaves_the_note_open_and_says_which_step(session):
    store = session.require_project()
    run(session, "/note S01_SH003 drags")
    notes = store.review_notes()
    notes.notes[0].commands = ["/shot S01_SH003 duration 0"]  # a duration no shot can have
    store.save_review_notes(notes, summary="test", author=store.user())
    events = run(session, "/fix n1")
    said = " ".join(e.text for e in events)
    assert "Note n1 is still open" in said and store.review_notes().notes[0].status == "open"


def test_notes_and_the_review_view_list_the_latest_cuts_notes(session):
    run(session, "/note 0:01 too slow here")
    [text] = [e.text for e in run(session, "/notes") if e.kind == "message"]
    assert text.startswith("n1 [open] cut v1 S01_SH001 at 0:01.0 (timing, Cinematographer): too slow here")
    [view] = [e for e in run(session, "/review") if e.kind == "artifact"]
    props = view.data["props"]
    assert view.data["view"] == "review" and set(props) == {"cut", "markers", "notes"}
    assert set(props["cut"]) == {"version", "video", "duration", "fps"} and props["cut"]["version"] == 1
    assert [(m["code"], m["start"], m["end"]) for m in props["markers"]] == \
        [(c, pytest.approx(s), pytest.approx(e)) for c, s, e in laid_out(session)]
    assert set(props["notes"][0]) == {"id", "at", "code", "text", "category", "agent", "proposal", "status", "result"}
    assert not any(str(v).startswith("/") for v in (props["cut"]["video"], *[m["take"] for m in props["markers"]]))


def test_a_step_that_is_no_fix_is_not_run(session):
    """notes.json is a file in the project: a step written into it that is not one of a fix's commands is refused."""
    store = session.require_project()
    run(session, "/note S01_SH003 drags")
    notes = store.review_notes()
    notes.notes[0].commands = ["/branch switch elsewhere"]
    store.save_review_notes(notes, summary="test", author=store.user())
    said = " ".join(e.text for e in run(session, "/fix n1"))
    assert "is no fix I run" in said and store.branch == "main" and store.review_notes().notes[0].status == "open"


def test_a_new_cut_starts_a_new_page_of_notes_and_all_keeps_the_old(session):
    store = session.require_project()
    run(session, "/note 0:01 too slow here")
    cut = store.read(Stage.CUT)
    store.save(Stage.CUT, cut.model_copy(update={"version": 2}), author=Author.agent("Producer"), summary="cut again")
    [now] = [e.text for e in run(session, "/notes") if e.kind == "message"]
    [every] = [e.text for e in run(session, "/notes all") if e.kind == "message"]
    assert now.startswith("No notes on cut v2 yet") and every.startswith("n1 [open] cut v1 S01_SH001")
    assert "No notes yet" in the_review(session).text and the_review(session).data["props"]["notes"] == []
    run(session, "/note 0:01 closer")
    assert [n["id"] for n in the_review(session).data["props"]["notes"]] == ["n2"]


def the_review(session: Session):
    return next(e for e in run(session, "/review") if e.kind == "artifact")


def test_a_declined_note_changes_nothing_and_is_not_fixed_later(session):
    store = session.require_project()
    run(session, "/note S01_SH003 drags")
    before = shot(session, "S01_SH003").duration_s
    run(session, "/fix n1 no")
    assert store.review_notes().notes[0].status == "declined"
    said = " ".join(e.text for e in run(session, "/fix n1"))
    assert "n1 is declined already" in said and shot(session, "S01_SH003").duration_s == before
    assert "no open note" in " ".join(errors(run(session, "/fix all")))
