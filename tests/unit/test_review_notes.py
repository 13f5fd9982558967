"""Review notes in the engine, on the in-memory fakes (the bundled screenplay, its shots and prompts drafted by
code, boards of every shot, a cut of them): /note attaches a note to the shot under its time, sorts it and gives it
to the owner, who proposes command lines; /fix runs them; /notes and the review view show them.

Where a note lands is worked out from the shot list's own durations laid end to end (not from studio.review); what
a fix changed is read back from the store (the shot, its takes, the look), never from the note's own words."""

from __future__ import annotations

import pytest

from studio.engine.events import Turn
from studio.engine.session import Session
from studio.media import Cut, CutEntry
from studio.models import TakeKind
from studio.project import Author
from studio.stages import Stage
from tests.drafted import drafted_sample
from tests.fakes import FakeCrew



@pytest.fixture
def session() -> Session:
    workspace, store, renderer = drafted_sample(wardrobe="work clothes", scene=None)
    entries = [CutEntry(scene=s.scene, shot=s.number, duration_s=s.duration_s, take=f"{s.code}.png")
               for s in store.read(Stage.SHOTS).shots]
    store.save(Stage.CUT, Cut(version=1, entries=entries, path="03_Renders/cut/cut_v01.mp4"),
               author=Author.agent("Producer"), summary="cut")
    return Session(workspace, FakeCrew({}), project=store.slug, renderer=renderer)


def run(session: Session, line: str) -> list:
    return list(session.handle(Turn(text=line)))


def errors(events: list) -> list[str]:
    return [e.text for e in events if e.kind == "error"]


def laid_out(session: Session) -> list[tuple[str, float, float]]:
    """The shot list's durations end to end in whole frames at 24 fps, as a video holds them (a shot of 2.6 s is
    62 frames, 2.583 s): the shots of the cut and their times, read from the shots. (That the renderer's video
    agrees is checked on a real MP4 in tests/integration/test_review.py.)"""
    out, frame = [], 0
    for s in session.require_project().read(Stage.SHOTS).shots:
        frames = max(1, int(s.duration_s * 24 + 0.5))
        out.append((s.code, round(frame / 24, 3), round((frame + frames) / 24, 3)))
        frame += frames
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


def test_a_note_on_a_shot_without_a_time_sits_where_the_shot_starts(session):
    code, start, _ = laid_out(session)[9]
    run(session, f"/note {code} the face is smeared")
    [note] = session.require_project().review_notes().notes
    assert (note.code, note.at) == (code, start)


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


def test_a_step_that_fails_leaves_the_note_open_and_says_which_and_why(session):
    store = session.require_project()
    run(session, "/note S01_SH002 the face is smeared")
    session.renderer = None  # this studio cannot render: the fix's /render fails
    said = " ".join(e.text for e in run(session, "/fix n1"))
    [note] = store.review_notes().notes
    assert "Note n1 is still open: /render did not go through" in said and note.status == "open"
    assert note.result.startswith("not fixed: /render did not go through")


def test_a_change_the_shots_do_not_keep_leaves_the_note_open_with_what_happened(session, monkeypatch):
    """As when the refit of durations puts a shot back: the step runs, but the shot is not what was proposed."""
    store = session.require_project()
    run(session, "/note S01_SH003 drags")
    before = shot(session, "S01_SH003").duration_s
    ran = session.run_command

    def shots_kept(line):  # the /shot step goes through and changes nothing
        return iter(()) if line.startswith("/shot ") else ran(line)

    monkeypatch.setattr(session, "run_command", shots_kept)
    said = " ".join(e.text for e in run(session, "/fix n1"))
    [note] = store.review_notes().notes
    assert f"is still open: S01_SH003 is {before:g} s, not the" in said and note.status == "open"
    assert shot(session, "S01_SH003").duration_s == before


def test_a_dialogue_shot_is_never_proposed_shorter_than_its_lines_and_nothing_runs(session):
    store = session.require_project()
    talk = next(s for s in store.read(Stage.SHOTS).shots if s.dialogue.strip() and s.duration_s <= 3.5)
    words = len(talk.dialogue.partition(":")[2].split())  # its lines: at 2.5 words a second and a breath, as coverage
    run(session, f"/note {talk.code} this drags")
    [note] = store.review_notes().notes
    if note.commands:  # shortened, but never under the time its lines take
        assert float(note.commands[0].split()[-1]) >= words / 2.5
    else:
        assert "cannot be shorter" in note.proposal and "/note" in note.proposal
        said = " ".join(e.text for e in run(session, "/fix n1"))
        assert "n1 is still open: there is nothing to run" in said and shot(session, talk.code) == talk


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


def test_fix_runs_only_what_the_owner_proposes_now_never_the_lines_stored_in_the_notes(session):
    """notes.json is a file in the project: lines written into it (a scene cut behind a benign proposal) never run;
    /fix proposes the note's fix again for its category and shot, shows the lines, and runs those."""
    store = session.require_project()
    run(session, "/note S01_SH003 drags")
    before = store.read_script().fountain
    notes = store.review_notes()
    notes.notes[0].proposal = "I'll render S01_SH003 again"
    notes.notes[0].commands = ["/scene cut 1", "/branch switch elsewhere", "/render clips all yes"]
    store.save_review_notes(notes, summary="an edit by hand", author=store.user())
    events = run(session, "/fix n1")
    said = " ".join(e.text for e in events)
    assert store.read_script().fountain == before and store.branch == "main", "nothing stored was run"
    seconds = round(shot(session, "S01_SH003").duration_s, 1)
    assert f"/shot S01_SH003 duration {seconds:g}" in said and "/scene" not in said
    [note] = store.review_notes().notes
    assert note.status == "done" and note.commands == [f"/shot S01_SH003 duration {seconds:g}"]


def dialogue_shot(session: Session):
    return next(s for s in session.require_project().read(Stage.SHOTS).shots
                if s.dialogue.strip() and ":" in s.dialogue and len(s.characters) == 1)


def test_a_quoted_line_is_a_script_note_that_gives_the_speech_those_words(session):
    talk = dialogue_shot(session)
    run(session, f'/note {talk.code}: his line should be "You look like you know things."')
    [note] = session.require_project().review_notes().notes
    assert (note.category.value, note.agent) == ("script", "Screenwriter")
    [line] = note.commands
    assert line.startswith(f"/line {talk.scene}.") and line.endswith("You look like you know things.")


def test_the_words_after_say_colon_are_the_line_wanted(session):
    talk = dialogue_shot(session)
    who = talk.dialogue.partition(":")[0].strip()
    run(session, f"/note {talk.code} {who.title()} should say: Do I look like a crossword?")
    [note] = session.require_project().review_notes().notes
    assert (note.category.value, note.agent) == ("script", "Screenwriter")
    [line] = note.commands
    assert line.startswith(f"/line {talk.scene}.") and line.endswith(" Do I look like a crossword?")


def test_cutting_a_shot_makes_it_as_short_as_it_may_be_and_says_a_note_cannot_remove_it(session):
    store = session.require_project()
    quiet = next(s for s in store.read(Stage.SHOTS).shots if not s.dialogue.strip() and s.duration_s >= 2)
    run(session, f"/note {quiet.code} cut this shot, we don't need it")
    [note] = store.review_notes().notes
    assert (note.category.value, note.agent) == ("timing", "Cinematographer")
    [line] = note.commands
    assert line.startswith(f"/shot {quiet.code} duration ") and float(line.split()[-1]) < quiet.duration_s
    assert "/shotlist" in note.proposal  # where a shot can be taken out


def test_how_a_line_is_said_goes_to_the_voice_not_a_rewrite(session):
    talk = dialogue_shot(session)
    who = talk.dialogue.partition(":")[0].strip()
    run(session, f"/note {talk.code} she says it too quickly")
    [note] = session.require_project().review_notes().notes
    assert (note.category.value, note.agent, note.commands) == ("sound", "Producer", [f"/voice {who} slower"])


def test_words_on_a_sign_change_this_shots_scene_at_most(session):
    run(session, "/note S02_SH001 the sign outside should say CLOSED")
    [note] = session.require_project().review_notes().notes
    assert note.category.value in ("look", "prompt") and note.commands
    assert not any(c.startswith(("/scene", "/line")) for c in note.commands), note.commands
    assert all(c.endswith("in scene 2") for c in note.commands if c.startswith("/change")), note.commands
    assert note.commands[-1] == "/render boards S02_SH001 yes"


def test_a_note_with_no_trouble_named_is_asked_about_and_nothing_runs(session):
    store = session.require_project()
    events = run(session, "/note S01_SH001 hmm")
    [note] = store.review_notes().notes
    question = next(e for e in events if e.kind == "question")
    assert (note.category.value, note.commands) == ("unclear", []) and "/fix n1" not in question.options
    assert "n1 is still open: there is nothing to run" in " ".join(e.text for e in run(session, "/fix n1"))


def test_his_is_made_possessive_for_the_one_person_in_the_shot(session):
    alone = next(s for s in session.require_project().read(Stage.SHOTS).shots
                 if len(s.characters) == 1 and s.characters[0] not in ("NELL",))
    run(session, f"/note {alone.code} his cap should be red")
    [note] = session.require_project().review_notes().notes
    assert note.commands[0].startswith(f"/change {alone.characters[0]}'s cap should be red"), note.commands


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


def test_a_colour_cast_over_the_whole_picture_is_asked_about_not_pasted_into_a_prompt(session):
    run(session, "/note S02_SH002 white balance is off, everything looks blue")
    [note] = session.require_project().review_notes().notes
    assert (note.category.value, note.commands) == ("look", []) and "/change scene 2" in note.proposal


def test_change_typed_directly_makes_only_the_change_and_names_the_rest(session):
    """'/change …, then cut scene 2': the coat changes; scene 2 stays in the script, and the Producer says so."""
    store = session.require_project()
    scenes = store.read_script().fountain.count("INT.") + store.read_script().fountain.count("EXT.")
    events = run(session, "/change Nell's coat is red, then cut scene 2")
    assert not errors(events), errors(events)
    look = store.read(Stage.LOOK)
    assert any("red" in (c.wardrobe + " " + " ".join(
        s.characters.get(c.name, None).wardrobe if s.characters.get(c.name) else "" for s in look.states))
               for c in look.characters if c.name == "NELL")
    assert store.read_script().fountain.count("INT.") + store.read_script().fountain.count("EXT.") == scenes
    assert any(e.text.startswith("Not done: /change makes changes only") for e in events)
