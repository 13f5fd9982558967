"""studio.intents on what issue 14's review and test found, one family of wordings each, said differently from
the report: verbs and negations are no values, no part of a request is silently dropped, one shot named is never
notes for a whole stage, the opening shot, huge numbers, praise is no approval, branches, questions the project
can answer, "render it", web addresses. On the bundled screenplay's names (read by the real importer)."""

from __future__ import annotations


import pytest

from tests.unit.sample_known import sample_known
from studio.intents import Intent, parse

KNOWN = sample_known()


def _has(intent: Intent, want: dict) -> bool:
    return all(getattr(intent, k) == v for k, v in want.items())


CASES: list[tuple[str, list[dict]]] = [
    # 1. a verb that adds, removes or undoes is no change of what it names; a verb is no part of a value
    ("remove the handheld move from 3.2", [{"kind": "unclear"}]),
    ("get rid of the low angle on 4.1", [{"kind": "unclear"}]),
    ("insert a close-up of the fork before 2.2", [{"kind": "unclear"}]),
    ("drop the crane on 5.1", [{"kind": "unclear"}]),
    ("scrap the towel", [{"kind": "unclear"}]),
    ("no tracking on 6.2", [{"kind": "unclear"}]),
    ("cut 2.4 to three seconds", [{"kind": "change", "target": "shot", "aspect": "duration", "value": "3",
                                   "shot": (2, 4)}]),
    ("put Roy in a stained white apron", [{"kind": "change", "target": "ROY", "aspect": "wardrobe",
                                           "value": "a stained white apron"}]),
    ("dress Dee in a denim jacket", [{"kind": "change", "target": "DEE", "aspect": "wardrobe",
                                      "value": "a denim jacket"}]),
    # 2. what no intent used comes back as an unclear part, right after that clause's intents
    ("redo 3.1 from above at dawn, with fog rolling in",
     [{"kind": "change", "aspect": "angle", "value": "high", "shot": (3, 1)},
      {"kind": "change", "aspect": "time_of_day", "value": "DAWN", "shot": (3, 1)},
      {"kind": "unclear", "value": "fog rolling"}]),
    ("frame 4.2 as a wide, handheld, with a neon sign flickering behind",
     [{"kind": "change", "aspect": "size", "value": "WS"}, {"kind": "change", "aspect": "movement"},
      {"kind": "unclear", "value": "neon sign flickering behind"}]),
    ("give 2.2 a push-in but just for the last beat",
     [{"kind": "change", "aspect": "movement", "value": "push-in", "shot": (2, 2)}, {"kind": "unclear"}]),
    ("make 4.3 a 7000mm shot, then show me the script",
     [{"kind": "unclear"}, {"kind": "show", "target": "script"}]),
    ("hold 2.2 for 0 seconds", [{"kind": "unclear"}]),
    ("show me 2.2 on a 50mm, please, thanks", [{"kind": "change", "aspect": "lens", "value": "50"},
                                               {"kind": "render", "target": "shot", "shot": (2, 2)}]),
    # 3. one shot or scene named, nothing known asked of it: unclear, never a revise of a whole stage
    ("make 2.3 sepia", [{"kind": "unclear"}]),
    ("the fries look too cold in scene 3", [{"kind": "unclear"}]),
    ("put a neon sign in the prompt of 4.1", [{"kind": "unclear"}]),
    ("looser on 4.4", [{"kind": "change", "target": "shot", "aspect": "size", "value": "wider", "shot": (4, 4)}]),
    ("5.2 drags a bit", [{"kind": "change", "aspect": "duration", "value": "shorter", "shot": (5, 2)}]),
    ("3.3 is too short", [{"kind": "change", "aspect": "duration", "value": "longer", "shot": (3, 3)}]),
    ("trim 3.3, half a second", [{"kind": "change", "aspect": "duration", "value": "0.5", "shot": (3, 3)}]),
    ("shot 6.1 closer and a bit quicker", [{"kind": "change", "aspect": "size", "value": "tighter"},
                                           {"kind": "change", "aspect": "duration", "value": "shorter"}]),
    # 4. the opening / first shot
    ("the opening shot from overhead", [{"kind": "change", "aspect": "angle", "value": "overhead",
                                         "shot": (1, 1)}]),
    ("make the first shot of scene 6 a close-up", [{"kind": "change", "aspect": "size", "value": "CU",
                                                    "shot": (6, 1)}]),
    ("let me see the first shot again but moodier?", [{"kind": "change", "aspect": "mood", "value": "moodier",
                                                       "shot": (1, 1)},
                                                      {"kind": "render", "target": "shot", "shot": (1, 1)}]),
    # 6. praise is no approval; an approval word is
    ("awesome", [{"kind": "affirm", "value": "praise"}]),
    ("really lovely work", [{"kind": "affirm", "value": "praise"}]),
    ("fine. approved", [{"kind": "approve"}]),
    ("approved then, thanks", [{"kind": "approve"}]),
    ("ok approved, next", [{"kind": "approve"}, {"kind": "navigate", "target": "next"}]),
    # 7. branches
    ("start a branch named dawn test", [{"kind": "navigate", "target": "branch", "value": "dawn test"}]),
    ("branch off here to try a version called rainy", [{"kind": "navigate", "target": "branch",
                                                         "value": "rainy"}]),
    ("branch it as night cut", [{"kind": "navigate", "target": "branch", "value": "night cut"}]),
    ("checkout the master branch", [{"kind": "navigate", "target": "switch", "value": "master"}]),
    ("head back to main", [{"kind": "navigate", "target": "switch", "value": "main"}]),
    ("go back to the breakdown", [{"kind": "navigate", "target": "stage"}]),
    # 8. questions the project can answer, and requests put as questions
    ("what's the runtime now?", [{"kind": "ask", "target": "runtime"}]),
    ("how long does the cut run", [{"kind": "ask", "target": "runtime"}]),
    ("what focal length is 6.2 on?", [{"kind": "ask", "target": "shot", "shot": (6, 2)}]),
    ("how many seconds is shot 3.1?", [{"kind": "ask", "target": "shot", "shot": (3, 1)}]),
    ("which boards are outdated?", [{"kind": "ask", "target": "stale"}]),
    ("what did Dee say about the ending?", [{"kind": "ask", "target": ""}]),
    ("could you render boards for scene 5, sketch quality?", [{"kind": "render", "target": "boards", "scene": 5,
                                                               "value": "sketch"}]),
    # 9. "render it" after a shot named in the same message
    ("what lens is 2.2? render it", [{"kind": "ask", "shot": (2, 2)}, {"kind": "render", "target": "shot",
                                                                      "shot": (2, 2)}]),
    ("show me shot 5.3. now render it", [{"kind": "show", "target": "board", "shot": (5, 3)},
                                         {"kind": "render", "target": "shot", "shot": (5, 3)}]),
    ("render it", [{"kind": "render", "target": "boards"}]),
]


@pytest.mark.parametrize(("text", "want"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_review_families_are_read_as_meant(text, want):
    got = parse(text, KNOWN)
    assert len(got) == len(want), got
    for intent, expected in zip(got, want):
        assert _has(intent, expected), (intent, expected)


@pytest.mark.parametrize("text", ["lose the dutch angle on 2.5", "make 2.5 not dutch", "2.5 without the dutch angle",
                                  "no more dutch angle on 2.5", "get rid of the canted angle on 2.5"])
def test_taking_an_angle_away_never_sets_it(text):
    assert not [i for i in parse(text, KNOWN) if i.kind == "change" and i.aspect == "angle" and i.value == "dutch"]


@pytest.mark.parametrize("text", ["add a close-up of the wallet after 3.1", "undo the fork", "delete the visor",
                                  "I'd approve it if the cap were blue", "give her a coat"])
def test_no_value_is_only_verbs_or_function_words(text):
    verbs = {"add", "undo", "delete", "were", "give", "would", "remove", "close-up", "shot", "after"}
    for i in parse(text, KNOWN):
        if i.kind == "change":
            assert {w.lower() for w in i.value.split()} - verbs - {"a", "an", "the", "her", "of"}, i


FIVE_THOUSAND = "7" * 5000


@pytest.mark.parametrize("frame", ["shot {d}", "shot {d}.2", "shot 1.{d}", "{d}.{d} from below", "s{d}sh{d}",
                                   "S01_SH{d}", "{d}mm on 1.2", "1.2 on a {d} lens", "make 1.2 {d} seconds",
                                   "make 1.2 {d}s", "Walt is {d}", "Walt in his {d}s", "scene {d} at dusk",
                                   "use variant {d}", "shot {d}/{d}", "1.2 at {d} mm", "{d}", "²³ seconds on 1.2",
                                   "shot ²/³ at dusk"])
def test_a_huge_number_anywhere_is_said_back_not_a_crash(frame):
    got = parse(frame.format(d=FIVE_THOUSAND), KNOWN)
    assert got and all(FIVE_THOUSAND not in i.value or i.kind == "unclear" for i in got)
    assert any(i.kind == "unclear" for i in got), got


@pytest.mark.parametrize("text", ["Roy wears an apron like http://bad.example/a.jpg?size=2&x=1",
                                  "see www.example.org/look?id=4 for Nell's coat",
                                  "make Walt's cap red, see https://x.example/p?q=1 too"])
def test_a_web_address_is_no_question_and_no_value(text):
    got = parse(text, KNOWN)
    assert all(i.kind != "ask" for i in got), got
    assert all("example" not in i.value for i in got), got
    assert any(i.kind == "unclear" and "a web address" in i.value for i in got), got


def test_a_shot_named_with_an_unknown_wish_is_never_a_revise():
    for text in ("2.1 needs more grit", "make shot 3.2 grittier, please", "scene 5 feels off",
                 "yeah ok, but 4.2 is a bit much"):
        assert all(i.kind != "revise" for i in parse(text, KNOWN)), text
