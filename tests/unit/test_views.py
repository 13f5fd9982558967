"""The views built by the engine from a project on the in-memory fakes (the bundled screenplay, its shots and
prompts drafted by code, boards of scene 1): the storyboard, a shot's inspector, the shot list, a character's sheet,
the history tree, the script and the look, as the artifact event every face receives.

Expected values come from the project itself read another way (the shot list, the takes the fake store holds, the
breakdown) or from the sample screenplay's text as a person reads it."""

from __future__ import annotations

import json

import pytest

from studio.engine.events import Turn
from studio.engine.session import Session
from studio.engine.views import VIEWS, build
from studio.errors import StageError
from studio.models import Angle, Character, CharacterState, Look, Movement, SceneState, ShotSize, StyleCapsule, TakeKind
from studio.project import Author
from studio.render import json_digest, shot_digest
from studio.sound_timing import picture_digest
from studio.stages import Stage
from tests.drafted import drafted_sample
from tests.fakes import FakeCrew



def record_made_from(store) -> None:
    """What a real render records on each take (tools.render): the shot and prompt it was drawn from, so that the
    engine can tell a board older than its shot."""
    prompts = {(p.scene, p.number): p for p in store.read(Stage.PROMPTS).prompts}
    shots = {(s.scene, s.number): s for s in store.read(Stage.SHOTS).shots}
    for key, takes in store.take_list.items():
        for take in takes:
            shot = shots[key]
            take.parameters["made_from"] = {"shot": shot_digest(shot), "picture": picture_digest(shot),
                                            "prompt": json_digest(prompts[key].model_dump_json())}


@pytest.fixture
def session() -> Session:
    workspace, store, renderer = drafted_sample()
    store.add_take(1, 2, TakeKind.IMAGE, active=False)  # a second board of S01_SH002, not the one in use
    record_made_from(store)
    return Session(workspace, FakeCrew({}), project=store.slug, renderer=renderer)


def run(session: Session, line: str) -> list:
    return list(session.handle(Turn(text=line)))


def the_view(events: list, name: str):
    found = [e for e in events if e.kind == "artifact" and e.data.get("view") == name]
    assert len(found) == 1, [(e.kind, e.text[:80]) for e in events]
    return found[0]


def strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_board_has_every_shot_of_the_shot_list_in_order_with_its_active_board(session):
    store = session.require_project()
    event = the_view(run(session, "/board"), "board")
    props = event.data["props"]
    codes = [s["code"] for scene in props["scenes"] for s in scene["shots"]]
    assert codes == [s.code for s in store.read(Stage.SHOTS).shots]
    assert [sc["number"] for sc in props["scenes"]] == sorted({s.scene for s in store.read(Stage.SHOTS).shots})
    headings = {s.number: s.heading for s in store.breakdown().scenes}
    assert all(sc["heading"] == headings[sc["number"]] for sc in props["scenes"])
    cells = {s["code"]: s for scene in props["scenes"] for s in scene["shots"]}
    for code, cell in cells.items():
        scene, number = int(code[1:3]), int(code[-3:])
        boards = [t for t in store.takes(scene, number) if t.kind is TakeKind.IMAGE]
        active = next((t for t in boards if t.active), None)
        assert cell["image"] == (active.path if active else None) and cell["takes"] == len(boards)
        assert cell["take"] == (active.number if active else None)
    assert cells["S01_SH002"]["takes"] == 2 and cells["S01_SH002"]["take"] == 1
    assert cells["S02_SH001"]["image"] is None and not cells["S01_SH001"]["stale"]
    assert props["branch"] == "main" and props["title"] == "Night Shift"
    assert event.author == "Cinematographer" and event.stage == "boards"
    for code in codes:  # the text form names every shot
        assert code in event.text
    assert not [s for s in strings(props) if s.startswith("/")], "no absolute path in the props"
    json.dumps(event.to_dict())  # travels as JSON


def test_the_board_of_one_scene_and_a_scene_that_is_not_there(session):
    props = the_view(run(session, "/board 2"), "board").data["props"]
    assert [sc["number"] for sc in props["scenes"]] == [2]
    [error] = [e for e in run(session, "/board scene 42") if e.kind == "error"]
    assert "scene 42 has no shots" in error.text and "the scenes with shots are 1, 2," in error.text
    [error] = [e for e in run(session, "/board the diner") if e.kind == "error"]
    assert "is not a scene" in error.text


def test_a_shots_inspector_shows_its_prompts_and_every_take(session):
    store = session.require_project()
    props = the_view(run(session, "/shot S01_SH002"), "shot").data["props"]
    shot = next(s for s in store.read(Stage.SHOTS).shots if s.code == "S01_SH002")
    prompt = next(p for p in store.read(Stage.PROMPTS).prompts if (p.scene, p.number) == (1, 2))
    assert (props["size"], props["angle"], props["move"], props["lens"], props["duration"]) == \
        (shot.size.value, shot.angle.value, shot.movement.value, shot.lens_mm, shot.duration_s)
    assert props["frame_prompt"] == prompt.frame_prompt and props["video_prompt"] == prompt.video_prompt
    assert props["prompt_edited"] == {"frame": False, "video": False}
    assert [(t["number"], t["kind"], t["active"], t["image"]) for t in props["takes"]] == \
        [(t.number, "board", t.active, t.path) for t in store.takes(1, 2)]
    # The person's own prompt is what the inspector shows, marked as theirs.
    run(session, "/prompt S01_SH002 a lonely diner at night, rain on the glass")
    props = session.view("shot", "S01_SH002").data["props"]
    assert props["prompt_edited"]["frame"] and "rain on the glass" in props["frame_prompt"]


def test_the_shot_list_table_has_a_row_per_shot_and_the_values_each_field_can_take(session):
    store = session.require_project()
    event = the_view(run(session, "/shotlist"), "shotlist")
    props = event.data["props"]
    assert props["fields"] == ["size", "angle", "move", "lens", "duration", "action"]
    assert props["choices"] == {"size": [s.value for s in ShotSize], "angle": [a.value for a in Angle],
                                "move": [m.value for m in Movement]}
    shots = store.read(Stage.SHOTS).shots
    assert [r["code"] for r in props["rows"]] == [s.code for s in shots]
    assert [(r["lens"], r["duration"], r["action"]) for r in props["rows"]] == \
        [(s.lens_mm, s.duration_s, s.action) for s in shots]
    assert len(event.text.splitlines()) == len(shots) + 2  # a title, a header, a line per shot
    scene1 = session.view("shotlist", "1").data["props"]["rows"]
    assert [r["code"] for r in scene1] == [s.code for s in shots if s.scene == 1]


def test_a_characters_sheet_lists_the_scenes_and_shots_they_are_in(session):
    store = session.require_project()
    look = Look(characters=[Character(name="NELL", visual="a tired waitress in her 40s", wardrobe="faded pink uniform",
                                      reference_takes=["01_Assets/Characters/NELL/ref_01.png"])],
                states=[SceneState(scene=3, characters={"NELL": CharacterState(wardrobe="apron off",
                                                                                holding="a mug")})])
    store.save(Stage.LOOK, look, author=Author.agent("Art Director"), summary="look")
    event = the_view(run(session, "/character nell"), "character")
    props = event.data["props"]
    assert props["name"] == "NELL" and props["wardrobe"] == "faded pink uniform"
    assert props["references"] == [{"image": "01_Assets/Characters/NELL/ref_01.png"}]
    assert props["states"] == [{"scene": 3, "wardrobe": "apron off", "injuries": "", "dirt": "", "holding": "a mug"}]
    # The sample: Nell is first seen in scene 2 (the diner); scene 1 is Walt alone in the lot.
    numbers = [s["number"] for s in props["scenes"]]
    assert numbers[0] == 2 and 1 not in numbers
    lines = [s.code for s in store.read(Stage.SHOTS).shots if s.dialogue.startswith("NELL:")]
    listed = {c for s in props["scenes"] for c in s["shots"]}
    assert lines and set(lines) <= listed, "every shot where she speaks"
    assert "S02_SH008" in listed  # "NELL: Do I look like a dictionary?"
    assert event.author == "Art Director" and "Scene 2" in event.text
    [error] = [e for e in run(session, "/character Bob") if e.kind == "error"]
    assert "no character 'BOB'" in error.text and "NELL" in error.text and "WALT" in error.text


def test_the_tree_groups_commits_by_stage_and_consecutive_renders_in_one(session):
    store = session.require_project()
    for n in range(3):  # as memory.takes commits each take it keeps
        store._commit(f"boards: take new image take for S01_SH00{n + 1}", "Cinematographer",
                      {"Auteur-Stage": "boards", "Auteur-Action": "take"})
    store.create_branch("alt-ending", switch=False)
    props = the_view(run(session, "/tree"), "tree").data["props"]
    assert props["branch"] == "main" and props["branches"] == ["alt-ending", "main"]
    by_stage = {g["stage"]: g["commits"] for g in props["stages"]}
    assert [g["stage"] for g in props["stages"]] == ["script", "shots", "prompts", "boards"]
    assert [c["count"] for c in by_stage["boards"]] == [3]
    assert by_stage["shots"][0]["who"] == "Cinematographer" and by_stage["script"][0]["who"] == "Dana Director"
    only = session.view("tree", "shots").data["props"]
    assert [g["stage"] for g in only["stages"]] == ["shots"]


def test_compare_shows_what_changed_in_a_stage_between_two_versions(session):
    store = session.require_project()
    before = store.history(Stage.SHOTS, limit=1)[0].commit  # the fake's short ids are all zeros
    run(session, "/shot S01_SH002 size CU")
    [event] = [e for e in run(session, f"/compare shots {before}") if "compare" in e.data]
    found = event.data["compare"]
    removed = [d for d in found["diff"] if d.startswith("-") and not d.startswith("---")]
    added = [d for d in found["diff"] if d.startswith("+") and not d.startswith("+++")]
    assert any('"size": "CU"' in d for d in added) and any('"size": "MS"' in d for d in removed)
    assert event.options == [f"/restore shots {before}"]
    [same] = run(session, f"/compare script {store.history(Stage.SCRIPT)[0].commit}")
    assert same.data["compare"]["same"] and "is the same" in same.text
    for rev in ("--output=/tmp/x", "HEAD~1", "main:script.fountain"):
        [error] = run(session, f"/compare shots {rev}")
        assert error.kind == "error" and "is not a version of this project" in error.text
    assert "compare" in run(session, f"/compare shots {before} main")[0].data, "a branch is a version too"


def test_the_script_in_screenplay_layout(session):
    event = the_view(run(session, "/script"), "script")
    props = event.data["props"]
    scenes = props["scenes"]
    # Read from the sample by a person: FADE IN: comes before the first heading (action, by Fountain's rule that a
    # transition ends in TO:); scene 2 is the diner inside, where Dee asks Nell for a seven-letter word.
    assert scenes[0]["number"] == 0 and scenes[0]["elements"] == [{"type": "action", "text": "FADE IN:"}]
    two = next(s for s in scenes if s["number"] == 2)["elements"]
    assert two[0] == {"type": "heading", "text": "INT. SUNRISE DINER - NIGHT"}
    cue = two.index({"type": "character", "text": "DEE"})
    assert two[cue + 1]["type"] == "dialogue" and two[cue + 1]["text"].startswith("Nell. Seven letters.")
    assert [s["number"] for s in scenes[1:]] == list(range(1, len(session.require_project().breakdown().scenes) + 1))
    assert "\n                      DEE\n          Nell. Seven letters.\n" in event.text


def test_the_look_as_cards(session):
    store = session.require_project()
    run(session, "/look")  # no look yet: said, not a crash
    look = Look(style=StyleCapsule(medium="35mm film", palette="sodium orange and teal"),
                characters=[Character(name="WALT", visual="rangy man in his 60s, scar through left eyebrow")])
    store.save(Stage.LOOK, look, author=Author.agent("Art Director"), summary="look")
    props = the_view(run(session, "/look"), "look").data["props"]
    assert props["style"]["medium"] == "35mm film" and "person" not in props["style"]
    assert props["characters"] == [{"name": "WALT", "visual": "rangy man in his 60s, scar through left eyebrow",
                                    "wardrobe": "", "image": None}]


def test_build_names_the_views_and_refuses_others(session):
    assert set(VIEWS) >= {"board", "shot", "shotlist", "character", "tree", "script", "look"}
    with pytest.raises(StageError, match="no view called 'storyboard'"):
        build(session, "storyboard")
    event = session.view("board")
    assert "path" not in event.data, "a view rebuilt for the page exports nothing"


def test_every_view_has_a_text_form_without_server_paths(session):
    store = session.require_project()
    store.save(Stage.LOOK, Look(characters=[Character(name="NELL")]), author=Author.agent("Art Director"),
               summary="look")
    args = {"shot": "S01_SH002", "character": "NELL"}
    for name in ("board", "shot", "shotlist", "character", "tree", "script", "look"):
        event = session.view(name, args.get(name, ""))
        assert event.kind == "artifact" and event.data["view"] == name and event.text.strip(), name
        assert "/fake/" not in event.text and not [s for s in strings(event.data["props"]) if s.startswith("/")]


def test_compare_says_in_words_what_changed_shot_by_shot(session):
    """The words are checked against the two shot lists as the store holds them at each version (read another
    way than /compare reads them), and against the edit the test made."""
    from studio.models import Shot, ShotList

    store = session.require_project()
    before = store.history(Stage.SHOTS, limit=1)[0].commit
    then = {s.code: s for s in store.read(Stage.SHOTS).shots}
    run(session, "/shot S01_SH002 size CU lens 85")
    run(session, "/shot S01_SH003 duration 5")
    shots = store.read(Stage.SHOTS)
    gone = shots.shots[-1]
    extra = Shot(scene=1, number=99, size=ShotSize.WS, action="the diner from the road")
    store.save(Stage.SHOTS, ShotList(shots=[*shots.shots[:-1], extra]), author=Author.agent("Cinematographer"),
               summary="one shot more, one less")
    [event] = [e for e in run(session, f"/compare shots {before}") if "compare" in e.data]
    lines = [line.removeprefix("- ") for line in event.text.splitlines()[1:]]  # a Markdown list, item by item
    assert all(line.startswith("- ") for line in event.text.splitlines()[1:])
    two, three = then["S01_SH002"], then["S01_SH003"]
    assert f"S01_SH002: size {two.size.value} → CU, lens {two.lens_mm} → 85 mm" in lines, lines
    assert any(line.startswith(f"S01_SH003: duration {three.duration_s:g} → 5 s") for line in lines), lines
    assert "S01_SH099 added" in lines and f"{gone.code} removed" in lines
    assert not any(line.startswith(("S01_SH001:", "S02_SH001:")) for line in lines), "unchanged shots are not named"
    assert "{" not in event.text and '"size"' not in event.text, "no JSON in the words"
    changes = {c["item"]: c for c in event.data["compare"]["changes"]}
    assert {"field": "size", "before": two.size.value, "after": "CU"} in changes["S01_SH002"]["fields"]
    assert changes["S01_SH099"]["change"] == "added" and changes[gone.code]["change"] == "removed"


def test_compare_of_the_look_names_each_character_and_field(session):
    store = session.require_project()
    store.save(Stage.LOOK, Look(characters=[Character(name="DEE", wardrobe="mustard leather jacket")],
                                style=StyleCapsule(palette="sodium orange")),
               author=Author.agent("Art Director"), summary="look")
    rev = store.history(Stage.LOOK, limit=1)[0].commit
    store.save(Stage.LOOK, Look(characters=[Character(name="DEE", wardrobe="red coat"), Character(name="NELL")],
                                style=StyleCapsule(palette="blue fluorescent")),
               author=Author.agent("Art Director"), summary="look")
    [event] = run(session, f"/compare look {rev}")
    lines = [line.removeprefix("- ") for line in event.text.splitlines()[1:]]
    assert sorted(lines) == sorted(["character DEE: wardrobe “mustard leather jacket” → “red coat”",
                                    "character NELL added", "style: palette “sodium orange” → “blue fluorescent”"])


def test_compare_of_the_script_is_a_diff_block_that_markdown_keeps_as_code(session):
    """Read by another parser: markdown-it (CommonMark, as a chat page renders Markdown) must see one fenced block
    of language diff and no list items; the removed and added lines are the ones the test changed."""
    from markdown_it import MarkdownIt

    store = session.require_project()
    rev = store.history(Stage.SCRIPT)[-1].commit
    fountain = store.read_script().fountain
    assert "Nell. Seven letters." in fountain
    store.edit(Stage.SCRIPT, fountain.replace("Nell. Seven letters.", "Nell. Eight letters.").encode(),
               name="script.fountain")
    [event] = run(session, f"/compare script {rev}")
    tokens = MarkdownIt("commonmark").parse(event.text)
    fences = [t for t in tokens if t.type == "fence"]
    assert [t.info for t in fences] == ["diff"] and not [t for t in tokens if t.type == "list_item_open"]
    body = fences[0].content.splitlines()
    assert "-Nell. Seven letters." in body and "+Nell. Eight letters." in body
    assert event.data["compare"]["changes"] == [] and event.data["compare"]["diff"]


def test_compare_of_the_brief_goes_field_by_field(session):
    from studio.models import Brief

    store = session.require_project()
    store.save(Stage.BRIEF, Brief(title="Night Shift", tone="quiet", runtime_minutes=5),
               author=Author.agent("Producer"), summary="brief")
    rev = store.history(Stage.BRIEF, limit=1)[0].commit
    store.save(Stage.BRIEF, Brief(title="Night Shift", tone="cold and quiet", runtime_minutes=8),
               author=Author.agent("Producer"), summary="brief")
    [event] = run(session, f"/compare brief {rev}")
    assert event.text.splitlines()[1:] == ["- tone “quiet” → “cold and quiet”, runtime 5 → 8 min"]
