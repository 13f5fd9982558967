"""A story in prose adapted by rule: brief, treatment, beats and script in the story's words and names, each
citing its passages; through the pipeline, the model only fills short slots, vetted.

The skeleton below is written by hand from a short story written for this test (seven passages about a
lighthouse); what each function must give was worked out by reading it: which scenes (a new one where the place
or the time changes), who speaks where, which passages each part cites. The script is read back with the
Fountain parser and the breakdown, not with the code that wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.lexicon import WordfreqLexicon
from studio.adapt import NothingToAdapt, beats_from, brief_from, treatment_from
from studio.adapt_script import script_from
from studio.adapt_words import present
from studio.breakdown import break_down
from studio.fountain import ElementType, parse
from studio.models import STRUCTURE_BEATS, Beat, BeatSheet, Brief, Structure
from studio.pipeline import Pipeline
from studio.source import Passage, Quote, Skeleton, Source, Span, StoryCharacter, StoryEvent, StoryPlace, cited
from studio.stages import Stage
from tests.fakes import FakeCrew, FakeProject

TEXTS = [
    "The storm came in from the sea on the last night of November. Nell Avery stood in the kitchen of the "
    "lighthouse and listened to the wind.",
    "“He should be back by now,” said Nell. Her brother Tom had taken the boat out at noon.",
    "Nell climbed the tower and lit the great lamp. The beam swept over the black water. “Who is there?” someone "
    "called from the dark.",
    "At the harbour, old Mr. Pike watched the waves break over the wall. “No boat can live in that,” Pike said.",
    "Tom fought the sea for an hour. He saw the light and turned the boat toward it.",
    "“Nell!” Tom shouted, but the wind took his voice.",
    "Before dawn the boat scraped onto the shingle below the lighthouse. Nell ran down the steps and pulled her "
    "brother from the water.",
    "Years later the lamp was dark and the lighthouse was sold.",
]
EVENTS = [  # (passage, text, characters, place, time)
    ("p1", "Nell Avery stood in the kitchen of the lighthouse and listened to the wind.", ["Nell"], "the kitchen",
     "NIGHT"),
    ("p2", "Her brother Tom had taken the boat out at noon.", ["Tom"], "", ""),
    ("p3", "Nell climbed the tower and lit the great lamp. The beam swept over the black water.", ["Nell"],
     "the tower", "NIGHT"),
    ("p4", "At the harbour, old Mr. Pike watched the waves break over the wall.", ["Mr. Pike"], "the harbour", ""),
    ("p5", "Tom fought the sea for an hour. He saw the light and turned the boat toward it.", ["Tom"], "the sea", ""),
    ("p6", "“Nell!” Tom shouted, but the wind took his voice.", ["Tom", "Nell"], "", ""),
    ("p7", "Before dawn the boat scraped onto the shingle below the lighthouse. Nell ran down the steps and pulled "
     "her brother from the water.", ["Nell"], "the shore", "DAWN"),
    ("p8", "Years later the lamp was dark and the lighthouse was sold.", [], "the lighthouse", ""),
]
LEXICON = WordfreqLexicon(("en",))


def story(span: list[int] | None = None) -> Source:
    passages, at = [], 0
    for k, text in enumerate(TEXTS, start=1):
        passages.append(Passage(id=f"p{k}", start=at, end=at + len(text), text=text))
        at += len(text) + 2
    skeleton = Skeleton(
        title="The Keeper's Sister", author="A. Tester", words=170,
        characters=[StoryCharacter(name="Nell", aliases=["Nell Avery"], mentions=6, speaks=1,
                                   passages=["p1", "p2", "p3", "p6", "p7"]),
                    StoryCharacter(name="Tom", mentions=4, speaks=1, passages=["p2", "p5", "p6"]),
                    StoryCharacter(name="Mr. Pike", aliases=["Pike"], mentions=2, speaks=1, passages=["p4"])],
        places=[StoryPlace(name="the kitchen", interior=True, mentions=1, passages=["p1"]),
                StoryPlace(name="the tower", interior=True, mentions=1, passages=["p3"]),
                StoryPlace(name="the harbour", mentions=1, passages=["p4"]),
                StoryPlace(name="the sea", interior=False, mentions=2, passages=["p1", "p5"]),
                StoryPlace(name="the shore", mentions=1, passages=["p7"]),
                StoryPlace(name="the lighthouse", interior=True, mentions=3, passages=["p1", "p7", "p8"])],
        events=[StoryEvent(number=k, passage=p, text=t, characters=c, place=pl, time=tm)
                for k, (p, t, c, pl, tm) in enumerate(EVENTS, start=1)],
        quotes=[Quote(text="He should be back by now,", speaker="Nell", passage="p2"),
                Quote(text="Who is there?", speaker="", passage="p3"),
                Quote(text="No boat can live in that,", speaker="Pike", passage="p4"),
                Quote(text="Nell!", speaker="Tom", passage="p6")],
        span=Span(events=span if span is not None else [1, 2, 3, 4, 5, 6, 7], first="p1", last="p7", minutes=5))
    return Source(name="keepers_sister.txt", passages=passages, skeleton=skeleton)


# ---------------------------------------------------------------- the story's words, told now


@pytest.mark.parametrize("past, now", [
    ("Nell climbed the tower and lit the great lamp.", "Nell climbs the tower and lights the great lamp."),
    ("The beam swept over the black water.", "The beam sweeps over the black water."),
    ("She paused, agreed, murmured and smiled.", "She pauses, agrees, murmurs and smiles."),
    ("They had been married for years. I was tired.", "They have been married for years. I am tired."),
    ("Her hands trembled and the men hurried away.", "Her hands tremble and the men hurry away."),
    ("“I walked,” he said, “all night.”", "“I walked,” he says, “all night.”"),  # what is said stays as said
    ("The burned house stood on the hill.", "The burned house stood on the hill."),  # no subject the rules see
    ("She indeed stopped, and he didn't cry.", "She indeed stops, and he doesn't cry."),
    # a participle used as an adjective after 'the'/'a' and an adjective stays one
    ("Combs to wear in the beautiful vanished hair.", "Combs to wear in the beautiful vanished hair."),
    ("Nell leaped up like a little singed cat.", "Nell leaps up like a little singed cat."),
    ("He wore a broad-brimmed hat.", "He wears a broad-brimmed hat."),
    ("Tom, being slender, had mastered the art.", "Tom, being slender, has mastered the art."),  # an aside
    ("The ravages made by love healed.", "The ravages made by love healed."),  # a participle before 'by'
    ("Nell’s beautiful hair fell about her.", "Nell’s beautiful hair falls about her."),
    ("Tom sat down and put his hands under his head.", "Tom sits down and puts his hands under his head."),
    ("There was no other like it. The other was Nell’s.", "There is no other like it. The other is Nell’s."),
    ("Irene, as I will call her, had hurried up.", "Irene, as I will call her, had hurried up."),  # no 'her had'
])
def test_the_story_is_told_in_the_present_where_the_rules_can(past, now):
    assert present(past, ["Nell", "Tom"]) == now


# ---------------------------------------------------------------- brief, treatment, beats


def test_the_brief_is_the_storys_title_and_words_and_says_where_it_comes_from():
    brief = brief_from(story(), runtime_minutes=7)
    assert brief.title == "The Keeper's Sister"
    assert brief.logline == "Nell Avery stands in the kitchen of the lighthouse and listens to the wind."
    assert brief.references == ["adapted from The Keeper's Sister by A. Tester"]
    assert brief.runtime_minutes == 7 and brief.imported_from is None
    assert brief_from(story(), title="Storm Light").title == "Storm Light"


def test_each_treatment_paragraph_cites_the_passages_it_tells_in_order():
    treatment = treatment_from(story(), brief_from(story()))
    first = treatment.variants[0]
    assert first.title == "The Keeper's Sister"
    assert first.sources == ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]  # the span, not p8
    assert cited(first.text) == first.sources
    for paragraph in first.text.split("\n\n"):
        assert cited(paragraph), paragraph  # every paragraph names where it comes from
    assert "Nell climbs the tower and lights the great lamp." in first.text
    assert "sold" not in first.text
    assert 2 <= len(treatment.variants) <= 3
    thread = treatment.variants[1]  # the main character's thread: the passages where Nell is
    assert thread.title == "The Keeper's Sister: Nell's story" and thread.sources == ["p1", "p3", "p6", "p7"]
    for variant in treatment.variants:
        assert set(cited(variant.text)) == set(variant.sources)


def test_notes_that_name_a_character_put_their_thread_first():
    treatment = treatment_from(story(), brief_from(story()), notes="more of Tom, please")
    assert treatment.variants[0].title == "The Keeper's Sister: Tom's story"
    assert treatment.variants[0].sources == ["p2", "p5", "p6"]


@pytest.mark.parametrize("structure", list(Structure))
def test_every_beat_gets_the_events_in_order_and_cites_them(structure):
    sheet = beats_from(story(), brief_from(story()), structure)
    assert [b.name for b in sheet.beats] == list(STRUCTURE_BEATS[structure])
    order = [int(pid[1:]) for b in sheet.beats for pid in b.sources]
    assert order == sorted(order) and set(order) == {1, 2, 3, 4, 5, 6, 7}
    for beat in sheet.beats:
        assert beat.sources and cited(beat.description) == beat.sources


def test_the_beats_tell_only_what_the_chosen_treatment_tells():
    sheet = beats_from(story(), brief_from(story()), Structure.THREE_ACT, told_passages=["p2", "p5", "p6"])
    assert {pid for b in sheet.beats for pid in b.sources} == {"p2", "p5", "p6"}


def test_a_story_without_events_is_refused_with_the_fix():
    empty = story()
    empty.skeleton.events = []
    empty.skeleton.span = Span()
    with pytest.raises(NothingToAdapt) as caught:
        brief_from(empty)
    assert "keepers_sister.txt" in caught.value.problem and "narration" in caught.value.fix


# ---------------------------------------------------------------- script

HEADINGS = ["INT. KITCHEN - NIGHT", "INT. TOWER - NIGHT", "EXT. HARBOUR - NIGHT", "EXT. SEA - NIGHT",
            "EXT. SHORE - DAWN"]


def scenes(fountain: str) -> list[dict]:
    """Each scene as the parser reads it: heading, notes, speakers and their lines."""
    found: list[dict] = []
    speaker = ""
    for el in parse(fountain).elements:
        if el.type is ElementType.SCENE_HEADING:
            found.append({"heading": el.text, "notes": [], "lines": [], "action": ""})
        elif not found:
            continue
        elif el.type is ElementType.NOTE:
            found[-1]["notes"].append(el.text)
        elif el.type is ElementType.ACTION:
            found[-1]["action"] += el.text
        elif el.type is ElementType.CHARACTER:
            speaker = el.text
        elif el.type is ElementType.DIALOGUE:
            found[-1]["lines"].append((speaker, el.text))
    return found


def test_the_script_is_the_storys_scenes_people_and_lines_each_citing_its_passages():
    source = story()
    fountain = script_from(source, brief_from(source), None)
    read = scenes(fountain)
    assert [s["heading"] for s in read] == HEADINGS
    assert [s["notes"] for s in read] == [["Source: p1, p2"], ["Source: p3"], ["Source: p4"], ["Source: p5, p6"],
                                          ["Source: p7"]]
    assert [s["lines"] for s in read] == [[("NELL", "He should be back by now.")], [],
                                          [("MR. PIKE", "No boat can live in that.")], [("TOM", "Nell!")], []]
    assert read[0]["action"].startswith("NELL AVERY stands in the kitchen")  # introduced in capitals, once
    assert "TOM has taken the boat out at noon" in read[0]["action"]
    assert "Who is there?" not in fountain  # a line nobody is said to speak is no one's dialogue
    assert "sold" not in fountain  # beyond the span
    doc = parse(fountain)
    assert doc.title == "The Keeper's Sister"
    assert doc.title_value("source") == "Adapted from The Keeper's Sister, by A. Tester"
    breakdown = break_down(doc)
    assert set(breakdown.characters) == {"NELL", "TOM", "MR. PIKE"}
    assert [s.heading for s in breakdown.scenes] == HEADINGS


def test_a_line_comes_after_the_action_of_its_passage():
    source = story()
    fountain = script_from(source, brief_from(source), None)
    kinds = [(el.type, el.text) for el in parse(fountain).elements]
    first = [k for k, (t, _) in enumerate(kinds) if t is ElementType.SCENE_HEADING]
    scene = kinds[first[0]:first[1]]
    # p1's action, then p2's line, then p2's action: the story's order, not all action before all talk
    body = [(t, text) for t, text in scene if t not in (ElementType.NOTE, ElementType.TRANSITION)]
    assert [t for t, _ in body] == [ElementType.SCENE_HEADING, ElementType.ACTION, ElementType.CHARACTER,
                                    ElementType.DIALOGUE, ElementType.ACTION]
    assert body[1][1].startswith("NELL AVERY stands") and "TOM has taken the boat" in body[-1][1]


def test_the_script_follows_the_beats_as_the_writer_moved_them():
    source = story()
    sheet = BeatSheet(structure=Structure.THREE_ACT, beats=[
        Beat(name="Setup", sources=["p4"]), Beat(name="Inciting Incident", sources=["p1", "p2"]),
        Beat(name="Climax", sources=["p7"])])  # p3, p5, p6 cut by the writer
    read = scenes(script_from(source, brief_from(source), sheet))
    assert [s["heading"] for s in read] == ["EXT. HARBOUR - NIGHT", "INT. KITCHEN - NIGHT", "EXT. SHORE - DAWN"]
    assert [s["notes"] for s in read] == [["Source: p4"], ["Source: p1, p2"], ["Source: p7"]]


# ---------------------------------------------------------------- through the pipeline


def adapting(asks: dict | None = None) -> tuple[FakeProject, FakeCrew, Pipeline]:
    store = FakeProject("Keeper", "keeper")
    source = story()
    store.import_story(source, "\n\n".join(TEXTS), brief_from(source))
    crew = FakeCrew({}, asks=asks or {}, lexicon=LEXICON)
    return store, crew, Pipeline(store, crew)


def test_on_a_model_that_says_nothing_usable_every_stage_is_the_storys_own():
    junk = {"logline": "Mara and Jonah find love in Paris.", "genre": "<img src='x'>", "tone": "][",
            ("treatment", "logline"): "The film is a story about a film."}
    store, crew, pipeline = adapting(junk)
    done = pipeline.draft(Stage.BRIEF)
    brief: Brief = store.read(Stage.BRIEF)
    assert brief.logline == "Nell Avery stands in the kitchen of the lighthouse and listens to the wind."
    assert "Mara" not in brief.model_dump_json() and "img" not in brief.model_dump_json()
    assert set(done.fallbacks) == {"brief: logline", "brief: genre", "brief: tone"}
    done = pipeline.draft(Stage.TREATMENT)
    treatment = store.read(Stage.TREATMENT)
    assert all("film" not in v.logline for v in treatment.variants)
    assert treatment.variants[0].sources == ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    pipeline.pick_variant(1)
    pipeline.draft(Stage.BEATS)
    assert {pid for b in store.read(Stage.BEATS).beats for pid in b.sources} == {f"p{k}" for k in range(1, 8)}
    done = pipeline.draft(Stage.SCRIPT)
    assert done.summary == "5 scenes" and not done.fallbacks
    script = store.read_script()
    assert script is not None
    assert set(break_down(parse(script.fountain)).characters) == {"NELL", "TOM", "MR. PIKE"}
    assert [task for task, _ in crew.calls] == []  # no whole draft was asked of the model: only its slots
    assert {(task, name) for task, name, _ in crew.asked} == {("brief", "logline"), ("brief", "genre"),
                                                              ("brief", "tone"), ("treatment", "logline")}


def test_a_models_slot_that_keeps_to_the_story_is_kept():
    good = {"logline": "Nell waits in the lighthouse while the storm holds her brother Tom at sea.",
            "genre": "drama", "tone": "tense and quiet"}
    store, _, pipeline = adapting(good)
    done = pipeline.draft(Stage.BRIEF, minutes=4)
    brief = store.read(Stage.BRIEF)
    assert (brief.logline, brief.genre, brief.tone) == (good["logline"], "drama", "tense and quiet")
    assert brief.runtime_minutes == 4 and brief.title == "The Keeper's Sister" and not done.fallbacks


def test_the_chosen_treatment_decides_what_the_beats_and_the_script_tell():
    store, _, pipeline = adapting()
    pipeline.draft(Stage.TREATMENT, notes="follow Tom")
    pipeline.pick_variant(1)  # Tom's story: p2, p5, p6
    pipeline.draft(Stage.BEATS)
    assert {pid for b in store.read(Stage.BEATS).beats for pid in b.sources} == {"p2", "p5", "p6"}
    pipeline.draft(Stage.SCRIPT)
    read = scenes(store.read_script().fountain)
    assert [s["notes"] for s in read] == [["Source: p2"], ["Source: p5, p6"]]
    assert [s["heading"] for s in read] == ["INT. LIGHTHOUSE - NIGHT", "EXT. SEA - NIGHT"]  # the night p1 says


def test_a_line_said_in_a_passage_with_no_event_is_said_in_the_scene_before_it():
    source = story(span=[1, 2, 3, 4, 5, 7])
    source.skeleton.events = [e for e in source.skeleton.events if e.passage != "p6"]  # p6: only Tom's cry
    read = scenes(script_from(source, brief_from(source), None))
    assert read[3]["heading"] == "EXT. SEA - NIGHT" and read[3]["notes"] == ["Source: p5, p6"]
    assert read[3]["lines"] == [("TOM", "Nell!")]


# ---------------------------------------------------------------- a real story, found by rule

GIFT = Path(__file__).resolve().parents[1] / "corpus" / "stories" / "gift_of_the_magi" / "story.txt"


def test_o_henrys_story_becomes_a_script_of_its_own_people_citing_its_passages():
    """O. Henry's 'The Gift of the Magi' (1905, public domain; tests/corpus/stories/gift_of_the_magi), its
    skeleton found by studio.skeleton, adapted through the pipeline on a model that says nothing usable."""
    from studio.skeleton import find_skeleton, passages_of

    text = GIFT.read_text(encoding="utf-8")
    passages = passages_of(text)
    source = Source(name="gift_of_the_magi.txt", passages=passages, skeleton=find_skeleton(text, passages))
    store = FakeProject("Gift", "gift")
    store.import_story(source, text, brief_from(source))
    pipeline = Pipeline(store, FakeCrew({}, lexicon=LEXICON))
    for stage in (Stage.BRIEF, Stage.TREATMENT):
        pipeline.draft(stage)
    pipeline.pick_variant(1)
    pipeline.draft(Stage.BEATS)
    pipeline.draft(Stage.SCRIPT)
    brief = store.read(Stage.BRIEF)
    assert brief.title == "The Gift of the Magi" and brief.references == ["adapted from The Gift of the Magi by O. Henry"]
    assert "Della" in brief.logline  # her story, by a person's reading: she counts the money, sells her hair
    doc = parse(store.read_script().fountain)
    breakdown = break_down(doc)
    people = {c.name.upper() for c in source.skeleton.characters}
    assert {"DELLA", "JIM"} <= set(breakdown.characters) <= people
    ids = {p.id for p in passages}
    notes = [e.text for e in doc.elements if e.type is ElementType.NOTE]
    assert len(notes) == len(breakdown.scenes) >= 3
    for note in notes:
        assert note.startswith("Source: ") and set(note[len("Source: "):].split(", ")) <= ids
    said = " ".join(e.text for e in doc.elements if e.type is ElementType.DIALOGUE)
    assert "Will you buy my hair?" in said and "You’ve cut off your hair?" in said  # the story's own lines
    for beat in store.read(Stage.BEATS).beats:
        assert beat.sources and set(beat.sources) <= ids


# ------------------------------------------------------------ round 2: the story's words are inert Fountain


def test_unmarked_and_spoken_keep_every_word_and_leave_no_fountain_mark() -> None:
    from studio.adapt_words import spoken, unmarked

    for text in ("Look at this //** sign.", "Say [/*[ nothing ]*/] now.", "a ]]] b [[[ c"):
        out = unmarked(text)
        assert not any(mark in out for mark in ("/*", "*/", "[[", "]]"))
        assert out.replace(" ", "") == text.replace(" ", "")          # nothing removed, only split
    assert spoken("~ la la") == "la la" and spoken("(quietly") == "quietly" and spoken("Come in,") == "Come in."
    assert spoken("yes)") == "yes" and spoken("(yes) and no") == "(yes) and no"


def test_a_stock_logline_about_another_film_is_not_the_storys() -> None:
    from studio.adapt import keeps_to_story

    source = story()
    base = brief_from(source).logline
    assert not keeps_to_story("A man comes back to the diner he left years ago to face the wind.", source, base)
    assert keeps_to_story("Nell listens to the wind in the lighthouse kitchen.", source, base)
