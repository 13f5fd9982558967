"""The views from chat (and Slack's /auteur, and `auteur`): /board, /shot, /shotlist, /character, /tree, /compare,
/script, /look. Each answers with the view's artifact event (studio.engine.views); /shot CODE FIELD VALUE edits a
shot first, through the same operation as saying it in chat."""

from __future__ import annotations

import re
from typing import Any, Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.engine.views import build
from studio.errors import StageError
from studio.shot_codes import parse_shot, shot_code
from studio.stages import Stage

# /shot's fields: the shot's own name for each (those studio.shot_revision changes), and the words ones.
DESIGN_FIELDS = {"size": "size", "angle": "angle", "move": "movement", "movement": "movement", "lens": "lens_mm",
                 "duration": "duration_s"}
WORD_FIELDS = ("action", "dialogue")
REV = re.compile(r"[0-9a-fA-F]{4,40}")
MAX_LINES = 40  # items of a compare in words; the rest is counted
MAX_DIFF = 200  # lines of a script's diff
EXAMPLES = {"size": "CU", "angle": "low", "move": "pan", "movement": "pan", "lens": "50", "duration": "4"}


def register(registry: Registry) -> None:
    registry.add("board", "/board [SCENE]", "the storyboard: every shot's active board by scene (with a PDF contact "
                                            "sheet)", board)
    registry.add("shot", "/shot CODE [FIELD VALUE…]", "one shot: its prompts and takes; or change it (size, angle, "
                                                      "move, lens, duration, action, dialogue)", shot)
    registry.add("shotlist", "/shotlist [SCENE]", "the shot list as a table", shotlist, reads_only=True)
    registry.add("character", "/character NAME", "a character's sheet: look, wardrobe by scene, voice, where they "
                                                 "appear", character, reads_only=True)
    registry.add("tree", "/tree [STAGE]", "the history as a tree: branches, and commits stage by stage", tree,
                 reads_only=True)
    registry.add("compare", "/compare STAGE REV_A [REV_B]", "two versions of a stage side by side (REV_B: now)",
                 compare, reads_only=True)
    registry.add("script", "/script", "the script in screenplay layout", script, reads_only=True)
    registry.add("look", "/look", "the look as cards: style, characters, locations, props", look, reads_only=True)


def board(conv: Conversation, args: str) -> Iterator[Event]:
    yield build(conv, "board", args, file=True)


def shotlist(conv: Conversation, args: str) -> Iterator[Event]:
    yield build(conv, "shotlist", args)


def character(conv: Conversation, args: str) -> Iterator[Event]:
    yield build(conv, "character", args)


def tree(conv: Conversation, args: str) -> Iterator[Event]:
    yield build(conv, "tree", args)


def script(conv: Conversation, args: str) -> Iterator[Event]:
    yield build(conv, "script", args)


def look(conv: Conversation, args: str) -> Iterator[Event]:
    yield build(conv, "look", args)


def shot_edits(words: list[str]) -> list[tuple[str, str]]:
    """'size CU angle low action she runs' → [("size", "CU"), ("angle", "low"), ("action", "she runs")]: a design
    field takes the words up to the next field's name; action and dialogue take the rest of the line."""
    edits: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        name = words[i].lower().rstrip(":=")
        if name in WORD_FIELDS:
            edits.append((name, " ".join(words[i + 1:])))
            break
        if name not in DESIGN_FIELDS:
            raise StageError(f"a shot has no field {words[i]!r} to change",
                             "name one of size, angle, move, lens, duration, action, dialogue, then its value, "
                             "e.g. /shot S01_SH003 size CU")
        j = i + 1
        while j < len(words) and words[j].lower().rstrip(":=") not in (*DESIGN_FIELDS, *WORD_FIELDS):
            j += 1
        if j == i + 1:
            raise StageError(f"/shot gave {name} no value", f"say it after the field, e.g. {name} {EXAMPLES[name]}")
        edits.append((name, " ".join(words[i + 1:j])))
        i = j
    return edits


def shot(conv: Conversation, args: str) -> Iterator[Event]:
    """/shot CODE: the shot's inspector. /shot CODE FIELD VALUE…: the shot changed as in chat (one shot, its prompt
    assembled again, the person's choice kept), then what went out of date and the shot as it is now."""
    words = args.split()
    if not words:
        raise StageError("/shot needs a shot", "e.g. /shot S01_SH003, or /shot S01_SH003 size CU")
    scene, number = parse_shot(words[0], scene=conv.scene_focus)
    code = shot_code(scene, number)
    edits = shot_edits(words[1:])
    if edits:
        yield from _edit(conv, scene, number, edits)
    yield build(conv, "shot", code)


def _edit(conv: Conversation, scene: int, number: int, edits: list[tuple[str, str]]) -> Iterator[Event]:
    from studio.engine.describe import staleness_text
    from studio.engine.shot_requests import apply_shot_changes
    from studio.views.shot_words import change_words
    from studio.views.shots import find_shot

    store = conv.require_project()
    find_shot(store, scene, number)  # a shot that is not there: said before anything changes
    design: dict[str, Any] = {DESIGN_FIELDS[name]: value for name, value in edits if name in DESIGN_FIELDS}
    if design:
        yield from apply_shot_changes(conv, scene, number, design)
    for name, value in edits:
        if name in WORD_FIELDS:
            change, said = change_words(store, scene, number, name, value, author=store.user())
            conv.focus, conv.scene_focus = Stage.SHOTS, scene
            yield say(f"{said}." if change.commit else f"{shot_code(scene, number)}'s {name} was already that.",
                      author="Cinematographer", stage="shots", data={"commit": change.commit, "field": name})
    text = staleness_text(store, conv.renderer)
    if text:
        yield say(text, author="Producer", data={"stale": True})


def compare(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.views.tree import compare as compare_versions

    words = args.split()
    if len(words) not in (2, 3):
        raise StageError("/compare needs a stage and one or two versions", "e.g. /compare script 3f2a1c9 (against "
                                                                           "now) or /compare look 3f2a1c9 8d0e4b1; "
                                                                           "/tree shows the versions")
    stage = Stage.parse(words[0])
    store = conv.require_project()
    for rev in words[1:]:  # a commit's hash (as /tree and /history show it) or a branch, nothing Git reads as more
        if not (REV.fullmatch(rev) or rev in store.branches()):
            raise StageError(f"{rev[:40]!r} is not a version of this project",
                             "give a commit as /tree shows it (e.g. 3f2a1c9) or a branch name")
    found = compare_versions(store, stage, words[1], words[2] if len(words) == 3 else None)
    options = [] if found["same"] else [f"/restore {stage.value} {found['a']}"]
    yield Event("message", compare_text(stage, found), author="Producer", stage=stage.value, options=options,
                data={"compare": found})


def compare_text(stage: Stage, found: dict[str, Any]) -> str:
    """Two versions in words: per shot, character, field ('S01_SH003: size MS → CU, lens 40 → 85 mm'); the script
    as a diff in a ```diff block (its lines are Fountain, and a chat's Markdown would read '- ' as a list)."""
    from studio.views.tree import change_lines, diff_block

    head = f"The {stage.value} at {found['a']} and at {found['b']}"
    if found["same"]:
        return f"The {stage.value} is the same at {found['a']} and {found['b']}."
    lines = change_lines(found["changes"])
    if lines:
        more = f"\n- … and {len(lines) - MAX_LINES} more" if len(lines) > MAX_LINES else ""
        return f"{head}:\n" + "\n".join(f"- {line}" for line in lines[:MAX_LINES]) + more  # a list in Markdown
    diff = found["diff"]
    more = f"\n… and {len(diff) - MAX_DIFF} more lines of the diff" if len(diff) > MAX_DIFF else ""
    return f"{head}:\n" + diff_block(diff[:MAX_DIFF]) + more
