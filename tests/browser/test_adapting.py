"""A writer brings a short story to the real studio (`auteur ui`, Chromium, memory on) and works on the script the
crew adapted from it: upload, /recall a moment, approve through to the script, then cut a scene, move one, give a
speech new words and undo it.

The oracles are outside the code under test: what a person wrote down from reading the story
(tests/corpus/stories/gift_of_the_magi/expected.json), the story's own text, and the project's files on disk read
here with a reader of this file's own (scene headings at the start of a line after a blank line, a cue in capitals
above its dialogue), the project's stage statuses in project.json and its Git history."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import REPO, Server
from tests.browser.test_directing import say
from tests.browser.test_studio import command, open_studio, shot, upload, wait_text

GIFT = REPO / "tests" / "corpus" / "stories" / "gift_of_the_magi"
SCRIPT = "02_Source_Creative/Scripts/script.fountain"
SOURCE = "02_Source_Creative/Source/source.json"
SOURCE_TEXT = "02_Source_Creative/Source/source.txt"
NEW_WORDS = "How much would you give me for my hair?"  # a line the story does not have

HEADING = re.compile(r"^(INT\.|EXT\.|EST\.|INT\./EXT\.|INT/EXT\.?|I/E\.?) ")
TRANSITION = re.compile(r"^(?:[A-Z ]+ TO:|FADE OUT\.|FADE IN:|THE END\.?)$")
CUE = re.compile(r"^[A-Z][A-Z0-9 .'\u2019-]*(?: \(.+\))?$")


@pytest.fixture(scope="module")
def studio(tmp_path_factory, artifacts):
    """A studio with semantic memory on (the story's passages are indexed for /recall)."""
    server = Server(tmp_path_factory.mktemp("adapting") / "workspace", artifacts / "adapting_server.log",
                    AUTEUR_MEMORY="on").start()
    server.wait_ready(timeout=120)
    yield server
    server.stop()


# ---------------------------------------------------------------- the files on disk, read here


def scenes(fountain: str) -> list[list[str]]:
    """The script's scenes in order, each its heading and its lines up to the next heading."""
    out: list[list[str]] = []
    previous = ""
    for line in fountain.splitlines():
        if HEADING.match(line) and not previous.strip():
            out.append([line])
        elif out:
            out[-1].append(line)
        previous = line
    return out


def content(scene: list[str]) -> tuple[str, ...]:
    """What a scene says, without blank lines and the transition that joins it to the next one."""
    return tuple(s for s in (line.strip() for line in scene) if s and not TRANSITION.match(s))


def first_speech(scene: list[str]) -> tuple[str, str] | None:
    """(cue, words) of the scene's first speech: a line in capitals after a blank line, its dialogue below it."""
    for k in range(1, len(scene) - 1):
        cue, below = scene[k].strip(), scene[k + 1].strip()
        if cue and CUE.match(cue) and not scene[k - 1].strip() and below and not HEADING.match(below):
            words = []
            for line in scene[k + 1:]:
                if not line.strip():
                    break
                if not line.strip().startswith("("):
                    words.append(line.strip())
            return cue, " ".join(words)
    return None


def statuses(folder: Path) -> dict[str, str]:
    return {k: v["status"] for k, v in json.loads((folder / "project.json").read_text())["stages"].items()}


def commits(folder: Path) -> int:
    log = subprocess.run(["git", "log", "--oneline"], cwd=folder, capture_output=True, text=True, check=True)
    return len(log.stdout.splitlines())


def said(page, pattern: str) -> list[str]:
    """The texts of the chat's messages (their smallest element) that match."""
    return page.get_by_text(re.compile(pattern)).all_inner_texts()


def check_stale_said(page, folder: Path, before: int) -> None:
    """The Producer names every stage project.json now marks stale, in one new message."""
    stale = sorted(k for k, v in statuses(folder).items() if v == "stale")
    assert stale, f"approved stages downstream of the script should be out of date: {statuses(folder)}"
    wait_text(page, "now stale")
    page.wait_for_function(f"() => document.body.innerText.split('now stale').length - 1 > {before}")
    message = said(page, "now stale")[-1]
    assert all(name in message for name in stale), (stale, message)


# ---------------------------------------------------------------- the journey


def test_a_writer_adapts_a_story_and_works_on_its_script(page, studio, artifacts):
    expected = json.loads((GIFT / "expected.json").read_text(encoding="utf-8"))
    story = " ".join((GIFT / "story.txt").read_text(encoding="utf-8").split())

    # 1. The story, uploaded in the chat: the Screenwriter says who is in it; the project keeps it as its source.
    open_studio(page, studio)
    upload(page, GIFT / "story.txt")
    wait_text(page, "Characters:", timeout=240_000)
    summary = said(page, "Characters:")[-1]
    assert expected["title"] in summary, summary
    named = re.search(r"Characters: (.*?)\. Places:", summary)
    assert named, summary
    assert set(expected["characters"]["must"]) <= {n.strip() for n in named.group(1).split(",")}, summary
    [folder] = [p.parent for p in studio.workspace.glob("*/project.json")]
    # Each passage (by its offsets into the text kept beside it) is the story's own words.
    source = json.loads((folder / SOURCE).read_text(encoding="utf-8"))
    kept = (folder / SOURCE_TEXT).read_text(encoding="utf-8")
    passages = [" ".join(kept[p["start"]:p["end"]].split()) for p in source["passages"]]
    assert passages and all(p and p in story for p in passages), passages[:3]
    shot(page, artifacts, "15_adapt_story_read")

    # 2. A moment of the story found by meaning: the passage a person marked for it comes first.
    moment = expected["moments"][0]
    say(page, "/recall where does Della sell her hair?")
    wait_text(page, moment["passage_contains"], timeout=120_000)
    # The hits are a numbered list, wrapped (not a fixed-width block): the first one shown is the first hit.
    hits = said(page, r"source\.txt@")
    assert hits and moment["passage_contains"] in hits[0] and "passage" in hits[0], hits
    shot(page, artifacts, "15_adapt_recall")

    # 3. Through to the script as a person does it: approve, next… then the breakdown approved too.
    say(page, "approve")
    wait_text(page, "Brief approved and saved")
    for stage in ("treatment", "beats", "script"):
        say(page, "next")
        wait_text(page, f"The {stage} stage is ready for you", timeout=180_000)
        say(page, "approve")
        wait_text(page, f"{stage.capitalize()} approved and saved")
    wait_text(page, "The breakdown stage is ready for you")
    say(page, "approve")
    wait_text(page, "Breakdown approved and saved")
    assert statuses(folder)["script"] == statuses(folder)["breakdown"] == "approved"
    drafted = scenes((folder / SCRIPT).read_text(encoding="utf-8"))
    assert len(drafted) >= 4, f"too few scenes to cut and move: {[s[0] for s in drafted]}"
    shot(page, artifacts, "15_adapt_script_approved")

    # Cut scene 2: one commit, the file holds every other scene as it was, in order; the Producer says what is stale.
    n = commits(folder)
    say(page, "cut scene 2")
    wait_text(page, re.compile("Cut scene 2"))
    cut = scenes((folder / SCRIPT).read_text(encoding="utf-8"))
    assert [content(s) for s in cut] == [content(s) for s in drafted[:1] + drafted[2:]]
    assert commits(folder) == n + 1
    check_stale_said(page, folder, 0)
    shot(page, artifacts, "15_adapt_cut")

    # The writer approves the shorter script and its breakdown, then moves scene 3 before scene 1.
    for word, answer in (("approve", "Script approved and saved"), ("next", "The breakdown stage is ready for you"),
                         ("approve", "Breakdown approved and saved")):
        say(page, word)
        page.get_by_text(answer).nth(1).wait_for()
    n = commits(folder)
    say(page, "move scene 3 before scene 1")
    wait_text(page, "Moved scene 3")
    moved = scenes((folder / SCRIPT).read_text(encoding="utf-8"))
    assert [s[0] for s in moved] == [s[0] for s in [cut[2], cut[0], cut[1], *cut[3:]]]
    assert [content(s) for s in moved] == [content(s) for s in [cut[2], cut[0], cut[1], *cut[3:]]]
    assert commits(folder) == n + 1
    check_stale_said(page, folder, 1)
    shot(page, artifacts, "15_adapt_moved")

    # A speech given new words: only that line changes in the file.
    s = next((k for k, scene in enumerate(moved, 1) if first_speech(scene)), None)
    assert s, "no scene of the adapted script has a speech"
    cue, old = first_speech(moved[s - 1])
    before = (folder / SCRIPT).read_text(encoding="utf-8")
    say(page, f"/line {s}.1 {NEW_WORDS}")
    page.get_by_text(NEW_WORDS).nth(1).wait_for()  # the writer's words, then the Screenwriter's answer
    assert old in said(page, re.escape(NEW_WORDS))[-1], "the Screenwriter says what the line was"
    text = (folder / SCRIPT).read_text(encoding="utf-8")
    assert first_speech(scenes(text)[s - 1]) == (cue, NEW_WORDS)
    assert text.replace(NEW_WORDS, old) == before, "nothing else in the script changed"
    assert commits(folder) == n + 2
    shot(page, artifacts, "15_adapt_line")

    # /undo puts the line back, byte for byte, as a new commit (the history keeps both).
    command(page, "undo")  # '/undo' and Enter pick the command in the composer's menu; Enter again sends it
    wait_text(page, re.compile("Undone"))
    assert (folder / SCRIPT).read_text(encoding="utf-8") == before
    assert commits(folder) == n + 3
    shot(page, artifacts, "15_adapt_undone")
