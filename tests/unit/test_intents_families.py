"""studio.intents on the families of wordings a held-out set of director lines showed, each said here in other
words than there: several stages approved at once, "from scene 4 on" before the name, praise of any common kind
(alone: an 'affirm', never an approval; with a note: the note only), cutting it together, "redo it" after asking
what is stale, two questions in one sentence, a value after its noun ("her hair up"), a film gauge as the medium,
shots from straight above, a place by another word for it, shorthand and keyboard undo, a reported approval, and
the order said. On the bundled screenplay's names (read by the real importer)."""

from __future__ import annotations


import pytest

from tests.unit.sample_known import sample_known
from studio.intents import Intent, parse
from studio.stages import Stage

KNOWN = sample_known()
LOT = next(n for n in KNOWN.locations if "PARKING" in n)
KITCHEN = next(n for n in KNOWN.locations if "KITCHEN" in n)
DINER = min((n for n in KNOWN.locations if "DINER" in n), key=len)


def _has(intent: Intent, want: dict) -> bool:
    for k, v in want.items():
        if k == "value~":
            if not set(v.lower().split()) <= set(intent.value.lower().replace(",", " ").split()):
                return False
        elif getattr(intent, k) != v:
            return False
    return True


PRAISE = {"kind": "affirm", "value": "praise"}

CASES: list[tuple[str, list[dict]]] = [
    # 1. several stages in one approval: one approve each, in the order said
    ("approve the script and the breakdown", [{"kind": "approve", "stage": Stage.SCRIPT},
                                              {"kind": "approve", "stage": Stage.BREAKDOWN}]),
    ("I approve the look and the shot list", [{"kind": "approve", "stage": Stage.LOOK},
                                              {"kind": "approve", "stage": Stage.SHOTS}]),
    ("sign off on treatment, beats and script", [{"kind": "approve", "stage": Stage.TREATMENT},
                                                 {"kind": "approve", "stage": Stage.BEATS},
                                                 {"kind": "approve", "stage": Stage.SCRIPT}]),
    ("approve the prompts and the boards please", [{"kind": "approve", "stage": Stage.PROMPTS},
                                                   {"kind": "approve", "stage": Stage.BOARDS}]),
    ("approve the look and the look", [{"kind": "approve", "stage": Stage.LOOK}]),
    ("approve both the brief and the beats", [{"kind": "approve", "stage": Stage.BRIEF},
                                              {"kind": "approve", "stage": Stage.BEATS}]),
    # 2. the scope said first, before the name
    ("from scene 5 onwards, Walt wears a flat cap", [{"kind": "change", "target": "WALT", "aspect": "wardrobe",
                                                      "value~": "flat cap", "scene": 5, "from_scene": True}]),
    ("starting scene 3, Dee has her hair in a ponytail", [{"kind": "change", "target": "DEE", "aspect": "hair",
                                                           "value~": "ponytail", "scene": 3, "from_scene": True}]),
    ("from scene 2 on, the mug is chipped", [{"kind": "change", "target": "MUG", "aspect": "state",
                                              "value": "chipped", "scene": 2, "from_scene": True}]),
    ("starting from scene 6 Roy wears a grey apron", [{"kind": "change", "target": "ROY", "aspect": "wardrobe",
                                                       "value~": "grey apron", "scene": 6, "from_scene": True}]),
    ("after scene 4, Nell has a scarf on", [{"kind": "change", "target": "NELL", "aspect": "wardrobe",
                                             "value~": "scarf", "scene": 5, "from_scene": True}]),
    ("starting at scene 3, Nell wears a scarf", [{"kind": "change", "target": "NELL", "scene": 3,
                                                  "from_scene": True}]),
    ("from sc 4 on, Walt wears a cap", [{"kind": "change", "target": "WALT", "scene": 4, "from_scene": True}]),
    # 3. praise alone: an affirm with value 'praise', of any common kind, with slips
    ("Stunning.", [PRAISE]),
    ("superb, ta", [PRAISE]),
    ("that's really lovely", [PRAISE]),
    ("the kitchen boards are gorgeous!", [PRAISE]),
    ("Nell looks fab", [PRAISE]),
    ("bang on", [PRAISE]),
    ("spot on, cheers", [PRAISE]),
    ("relly nice", [PRAISE]),
    ("gorgous", [PRAISE]),
    ("the opening shot is magnificent", [PRAISE]),
    ("this is so so good", [PRAISE]),
    ("well done, the cut is terrific", [PRAISE]),
    ("wow", [PRAISE]),
    ("ooh nice", [PRAISE]),
    ("top stuff", [PRAISE]),
    ("wonderful work everyone", [PRAISE]),
    ("the coat is perfect", [PRAISE]),
    # 3. praise with a note: the note only, about what the praise named
    ("beautiful palette, but warmer", [{"kind": "change", "target": "style", "aspect": "palette",
                                        "value": "warmer"}]),
    ("lovely lighting, but it should be colder", [{"kind": "change", "target": "style", "aspect": "lighting",
                                                   "value~": "colder"}]),
    ("gorgeous frames, the diner ones are too bright though", [{"kind": "change", "target": DINER,
                                                                "aspect": "look", "value": "too bright"}]),
    ("stunning boards. the kitchen ones feel too cold", [{"kind": "change", "target": KITCHEN, "aspect": "look",
                                                          "value~": "too cold"}]),
    ("nice look, but Walt's jacket should be brown", [{"kind": "change", "target": "WALT", "aspect": "wardrobe",
                                                       "value~": "brown"}]),
    # 3. praise that only mocks: asked about, nothing changed
    ("oh wonderful, brilliant, if you want every shot to look like a dentist's office", [{"kind": "unclear"}]),
    ("great, just great, if you enjoy everything lit like a car showroom", [{"kind": "unclear"}]),
    # 4. putting the cut together
    ("stitch it all together", [{"kind": "render", "target": "cut"}]),
    ("edit the clips together", [{"kind": "render", "target": "cut"}]),
    ("cut the film together please", [{"kind": "render", "target": "cut"}]),
    ("piece the cut together", [{"kind": "render", "target": "cut"}]),
    ("can you put it all together?", [{"kind": "render", "target": "cut"}]),
    ("assemble everything", [{"kind": "render", "target": "cut"}]),
    ("build the cut", [{"kind": "render", "target": "cut"}]),
    # 4. redo what the question before found stale
    ("what's out of date? rerender them", [{"kind": "ask", "target": "stale"}, {"kind": "render", "target": "stale"}]),
    ("what is stale? fix it please", [{"kind": "ask", "target": "stale"}, {"kind": "render", "target": "stale"}]),
    ("what's stale", [{"kind": "ask", "target": "stale"}]),
    # 4. "its", "their": the scene named before
    ("make scene 3 night and redo its clips", [{"kind": "change", "target": "scene", "value": "NIGHT", "scene": 3},
                                               {"kind": "render", "target": "clips", "scene": 3}]),
    ("set scene 2 to dawn, then rerender their boards", [{"kind": "change", "target": "scene", "scene": 2},
                                                         {"kind": "render", "target": "boards", "scene": 2}]),
    # 5. two questions in one sentence; a question put as a request after a show
    ("how are we doing, and what's out of date?", [{"kind": "status"}, {"kind": "ask", "target": "stale"}]),
    ("where are we? what is stale?", [{"kind": "status"}, {"kind": "ask", "target": "stale"}]),
    ("show me scene 2 and tell me how long the film runs", [{"kind": "show", "target": "scene", "scene": 2},
                                                            {"kind": "ask", "target": "runtime"}]),
    ("show the script and tell me how long it runs", [{"kind": "show", "target": "script"},
                                                      {"kind": "ask", "target": "runtime"}]),
    ("how long does scene 3 run?", [{"kind": "ask", "target": "runtime"}]),
    # 6. the word after the aspect's noun is its value
    ("Dee needs her hair down", [{"kind": "change", "target": "DEE", "aspect": "hair", "value~": "hair down"}]),
    ("Walt should have his hair short", [{"kind": "change", "target": "WALT", "aspect": "hair",
                                          "value~": "hair short"}]),
    ("tie Dee's hair back", [{"kind": "change", "target": "DEE", "aspect": "hair", "value~": "hair back"}]),
    # 6. a film gauge is the medium of the whole film, not a lens
    ("make everything look like 35mm", [{"kind": "change", "target": "style", "aspect": "medium",
                                         "value": "35mm film"}]),
    ("the whole movie should feel like 8mm", [{"kind": "change", "target": "style", "aspect": "medium",
                                               "value~": "8mm film"}]),
    ("give everything a 35mm film look", [{"kind": "change", "target": "style", "aspect": "medium",
                                           "value": "35mm film"}]),
    ("use a 16mm on 2.3", [{"kind": "change", "target": "shot", "aspect": "lens", "value": "16", "shot": (2, 3)}]),
    # 6. straight above
    ("2.4 directly above", [{"kind": "change", "target": "shot", "aspect": "angle", "value": "overhead",
                             "shot": (2, 4)}]),
    ("shoot 3.1 looking straight down", [{"kind": "change", "aspect": "angle", "value": "overhead",
                                          "shot": (3, 1)}]),
    ("frame 2.2 from directly overhead", [{"kind": "change", "aspect": "angle", "value": "overhead",
                                           "shot": (2, 2)}]),
    # 6. a place by another word for it
    ("make the carpark foggy", [{"kind": "change", "target": LOT, "aspect": "look", "value~": "foggy"}]),
    ("the car park should be wet with rain", [{"kind": "change", "target": LOT, "aspect": "look",
                                               "value~": "wet with rain"}]),
    ("the restaurant feels too clean", [{"kind": "change", "target": DINER, "aspect": "look",
                                         "value~": "too clean"}]),
    ("the galley should be greasier", [{"kind": "change", "target": KITCHEN, "aspect": "look",
                                        "value": "greasier"}]),
    ("the cafe kitchen should be darker", [{"kind": "change", "target": KITCHEN, "aspect": "look"}]),
    # 7. shorthand and keyboard undo; a reported approval approves nothing
    ("nxt pls", [{"kind": "navigate", "target": "next"}]),
    ("nxt step", [{"kind": "navigate", "target": "next"}]),
    ("Ctrl+Z", [{"kind": "undo"}]),
    ("ctrl z", [{"kind": "undo"}]),
    ("cmd-z please", [{"kind": "undo"}]),
    ("Dee told me to approve the script, could you show it to me first", [{"kind": "show", "target": "script"}]),
    ("my DP said to approve the look; can I see it first?", [{"kind": "show", "target": "look"}]),
    ("the studio wants me to sign off on the boards. show me them first",
     [{"kind": "show", "target": "stage", "stage": Stage.BOARDS}]),
    # 8. the order said
    ("wider on 3.2 and pan", [{"kind": "change", "aspect": "size", "value": "wider", "shot": (3, 2)},
                              {"kind": "change", "aspect": "movement", "value": "pan", "shot": (3, 2)}]),
    ("shorter on 1.4 and a low angle", [{"kind": "change", "aspect": "duration", "value": "shorter"},
                                        {"kind": "change", "aspect": "angle", "value": "low"}]),
    ("make 2.1 slower, handheld", [{"kind": "change", "aspect": "duration", "value": "longer"},
                                   {"kind": "change", "aspect": "movement", "value": "handheld"}]),
]


@pytest.mark.parametrize(("text", "want"), CASES, ids=[c[0][:40] for c in CASES])
def test_a_family_of_wordings_is_read_as_meant(text, want):
    got = parse(text, KNOWN)
    assert len(got) == len(want), got
    for intent, expected in zip(got, want):
        assert _has(intent, expected), (intent, expected)


@pytest.mark.parametrize("text", [
    "don't approve the look and the shots", "approve the script and the breakdown?",
    "lovely, if you like everything lit like a hospital", "the kitchen is gorgeous, approve it if Roy agrees",
    "gorgeous", "Superb!", "the boards are stunning", "spot on", "Dee told me to approve the look",
    "ctrl+shift+z", "realy good", "nice palette but more teal"])
def test_praise_and_reported_approvals_never_approve(text):
    assert all(i.kind != "approve" for i in parse(text, KNOWN)), text


@pytest.mark.parametrize("text", ["lovely palette but a touch more teal", "gorgeous lighting, just softer",
                                  "brilliant look but Nell's coat needs to be green"])
def test_a_praise_word_is_never_a_value(text):
    for i in parse(text, KNOWN):
        assert not {"lovely", "gorgeous", "brilliant"} & set(i.value.lower().split()), i


def test_praise_that_asks_or_changes_is_no_praise():
    for text in ("is it gorgeous?", "make it gorgeous", "make Nell look stunning", "redo the lovely boards"):
        assert all(i.value != "praise" for i in parse(text, KNOWN)), text


def test_redo_it_without_a_question_about_staleness_is_not_a_stale_render():
    assert all(i.target != "stale" for i in parse("show me 2.3. redo it", KNOWN))
