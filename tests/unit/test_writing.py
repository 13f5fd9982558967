"""/scene, /beat and /line, and the same requests in words, through the whole engine on the in-memory fakes:
each one commit, the Producer says what went stale, what the model writes is vetted (junk is refused)."""

from __future__ import annotations

import pytest

from studio.engine.events import Turn
from studio.engine.session import Session
from studio.intents import Known, parse
from studio.fountain import parse as parse_fountain
from studio.fountain.elements import ElementType
from studio.models import Beat, BeatSheet
from studio.script_ops import scene_text, speeches
from studio.stages import Stage, StageStatus
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()
KNOWN = Known(characters=("NELL", "WALT", "ROY", "DEE"), scenes=8)


def studio(crew: FakeCrew | None = None) -> Session:
    """The sample imported, brief, script and breakdown approved, and a beat sheet of four beats."""
    session = Session(FakeWorkspace(), crew or FakeCrew({}), user="Dana Director")
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    store = session.require_project()
    for stage in (Stage.BRIEF, Stage.SCRIPT, Stage.BREAKDOWN):
        store.approve(stage)
    store.save(Stage.BEATS, BeatSheet(beats=[Beat(name=n, description=d) for n, d in (
        ("Setup", "Nell works the night shift. Dee does her crossword."), ("Inciting Incident", "Walt comes in."),
        ("Midpoint", "Walt asks about the pie."), ("Climax", "Walt says who he is."))]),
        author=store.user(), summary="beats")
    return session


def said(session: Session, text: str) -> list[str]:
    return [e.text for e in session.handle(Turn(text=text))]


def headings(session: Session) -> list[str]:
    return [s.heading for s in session.require_project().breakdown().scenes]


def test_scene_cut_is_one_commit_and_the_breakdown_follows():
    session = studio()
    store = session.require_project()
    before, commits = headings(session), len(store.history())
    out = said(session, "/scene cut 3")
    assert headings(session) == before[:2] + before[3:]
    assert len(store.history()) == commits + 1
    assert out[0].startswith("Cut scene 3 (INT. SUNRISE DINER - KITCHEN - CONTINUOUS)")
    assert store.manifest().status(Stage.SCRIPT) is StageStatus.DRAFT, "an edit waits for approval again"


def test_the_same_requests_in_words_do_the_same():
    for words, command in (("cut scene 3", "/scene cut 3"), ("move scene 4 after scene 6", "/scene move 4 after 6"),
                           ("put scene 2 before scene 1", "/scene move 2 before 1")):
        a, b = studio(), studio()
        said(a, words)
        said(b, command)
        assert headings(a) == headings(b) != headings(studio()), words


def test_beats_split_merge_and_move_in_words():
    session = studio()
    store = session.require_project()
    said(session, "split beat 1")
    assert [b.name for b in store.read(Stage.BEATS).beats][:2] == ["Setup", "Setup (continued)"]
    said(session, "merge beats 1 and 2")
    assert store.read(Stage.BEATS).beats[0].description == "Nell works the night shift. Dee does her crossword."
    out = said(session, "move beat 4 before beat 2")
    assert [b.name for b in store.read(Stage.BEATS).beats] == ["Setup", "Climax", "Inciting Incident", "Midpoint"]
    assert "it is beat 2 now" in out[0]


def test_a_beats_edit_says_what_went_stale_downstream():
    session = studio()
    session.require_project().approve(Stage.BEATS)
    out = said(session, "/beat move 4 to 1")
    assert any("now stale" in t and "script" in t for t in out), out


def test_line_gets_new_words_and_out_of_range_names_the_range():
    session = studio()
    out = said(session, "/line 2.2 Do I look like a phone book?")
    assert "NELL, scene 2, speech 2" in out[0] and "phone book" in session.require_project().read_script().fountain
    events = list(session.handle(Turn(text="/line 2.99 Hi.")))
    assert events[-1].kind == "error" and "scene 2 has no speech 99" in events[-1].text


def test_punch_up_by_name_uses_the_model_line_when_it_passes():
    crew = FakeCrew({}, asks={("script", "punch"): "I drove all night to see you, Nell."})
    session = studio(crew)
    out = said(session, "punch up Walt's line in scene 5")  # WALT's one speech there
    fountain = session.require_project().read_script().fountain
    assert "I drove all night to see you, Nell.\n" in fountain and "Go on, then. Drive." not in fountain, out
    assert out[0].startswith("WALT, scene 5, speech 1")


def test_punch_up_of_someone_who_speaks_often_asks_which():
    events = list(studio().handle(Turn(text="punch up Nell's line in scene 2")))
    assert "NELL speaks 4 times in scene 2" in events[-1].text and "/line 2.2 punch up" in events[-1].text


def test_punch_up_refused_with_the_fix_when_the_model_line_fails():
    session = studio(FakeCrew({}, asks={("script", "punch"): "qzx vvb plth"}))
    store = session.require_project()
    before = store.read_script().fountain
    events = list(session.handle(Turn(text="/line 2.2 punch up")))
    assert events[-1].kind == "error" and "/line 2.2 YOUR LINE" in events[-1].text
    assert store.read_script().fountain == before


def test_rewrite_takes_the_model_scene_when_it_passes():
    crew = FakeCrew({"script": {"int_ext": "INT", "location": "Diner Counter", "time": "NIGHT",
                                "action": "Nell stops, the coffee pot in her hand, and looks at the door.",
                                "dialogue": [{"character": "NELL", "line": "I was about to close up."}]}})
    session = studio(crew)
    out = said(session, "rewrite scene 2 so that she hesitates")
    assert headings(session)[1] == "INT. DINER COUNTER - NIGHT", out
    assert "so that she hesitates" in crew.calls[-1][1]["notes"]


def test_rewrite_that_does_not_pass_changes_nothing_and_says_so():
    crew = FakeCrew({"script": {"int_ext": "INT", "location": "qzx vvb", "time": "NIGHT", "action": "plth qzx vvb",
                                "dialogue": [{"character": "NELL", "line": "qzx vvb plth"}]}})
    session = studio(crew)
    store = session.require_project()
    before = store.read_script().fountain
    events = list(session.handle(Turn(text="/scene rewrite 2")))
    assert events[-1].kind == "error" and "did not pass" in events[-1].text
    assert store.read_script().fountain == before


def test_punch_up_refuses_a_stock_reply_that_drops_the_line():
    """A short stock answer ("Understood.") is a different line, not the same line said sharper."""
    session = studio(FakeCrew({}, asks={("script", "punch"): "Understood."}))
    store = session.require_project()
    before = store.read_script().fountain
    events = list(session.handle(Turn(text="/line 2.2 punch up")))
    assert events[-1].kind == "error" and "/line 2.2 YOUR LINE" in events[-1].text
    assert store.read_script().fountain == before


def test_rewrite_keeps_the_scenes_notes():
    """An adapted scene's citation ([[Source: …]]) survives a rewrite of the scene."""
    crew = FakeCrew({"script": {"int_ext": "INT", "location": "Diner Counter", "time": "NIGHT",
                                "action": "Nell stops, the coffee pot in her hand, and looks at the door.",
                                "dialogue": [{"character": "NELL", "line": "I was about to close up."}]}})
    session = studio(crew)
    store = session.require_project()
    fountain = store.read_script().fountain
    second = [h.plain for h in parse_fountain(fountain).of_type(ElementType.SCENE_HEADING)][1]
    noted = fountain.replace(second + "\n", second + "\n\n[[Source: p3, p4]]\n", 1)
    store.edit(Stage.SCRIPT, noted.encode(), name="noted.fountain")
    out = said(session, "/scene rewrite 2")
    after = store.read_script().fountain
    assert "[[Source: p3, p4]]" in scene_text(after, 2), out
    assert [s.text for s in speeches(after, 2)] == ["I was about to close up."]


@pytest.mark.parametrize("text, kind, target, aspect", [
    ("cut scene 3", "write", "scene", "cut"),
    ("move scene 4 after scene 6", "write", "scene", "move"),
    ("rewrite scene 2 so that she hesitates", "write", "scene", "rewrite"),
    ("merge beats 3 and 4", "write", "beat", "merge"),
    ("split beat 5", "write", "beat", "split"),
    ("move beat 6 before beat 2", "write", "beat", "move"),
    ("punch up Nell's line in scene 2", "write", "line", "punch"),
    ("move scene 1 to magic hour", "change", "scene", "time_of_day"),
    ("cut it together", "render", "cut", ""),
])
def test_the_parser_reads_a_writers_words(text, kind, target, aspect):
    got = parse(text, KNOWN)[0]
    assert (got.kind, got.target, got.aspect) == (kind, target, aspect)


def test_a_question_or_a_negation_is_no_cut():
    assert parse("should we cut scene 3?", KNOWN)[0].kind == "ask"
    assert parse("don't cut scene 3", KNOWN)[0].kind == "unclear"


def test_a_line_given_to_another_character_keeps_its_words():
    """'give line 2.2 to Walt' and /line 2.2 as WALT: the cue changes, the words stay, one commit."""
    session = studio()
    store = session.require_project()
    before = speeches(store.read_script().fountain, 2)
    out = said(session, "give line 2.2 to Walt")
    after = speeches(store.read_script().fountain, 2)
    assert after[1].character == "WALT" and after[1].text == before[1].text, out
    assert [s.character for k, s in enumerate(after) if k != 1] == [s.character for k, s in enumerate(before) if k != 1]
    assert "WALT's now" in " ".join(out)
    out = said(session, "/line 2.2 as Mrs. Hale")
    assert speeches(store.read_script().fountain, 2)[1].character == "MRS. HALE", out
