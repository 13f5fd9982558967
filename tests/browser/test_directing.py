"""A director talks to the crew in the real studio (`auteur ui`, Chromium) on the bundled screenplay: the issue's
journeys replayed. Oracles come from the project's own files read here (the shot list's characters, the takes'
files on disk), never from the code that made the change."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import AUTEUR, REPO, running_studio
from tests.browser.test_studio import command, idle, open_studio, press, shot, upload, wait_text

SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"
LOOK = "01_Assets/look.json"
SHOTS = "02_Source_Creative/ShotLists/shots.json"
PROMPTS = "02_Source_Creative/Prompts/prompts.json"
CUT = "04_Project_Files/cut.json"


@pytest.fixture(scope="module")
def studio(tmp_path_factory, artifacts):
    yield from running_studio(tmp_path_factory, artifacts, "directing")


def say(page, text: str) -> None:
    """Type and send; a message typed while the page finishes the last turn is sent again once it can be."""
    idle(page)
    box = page.locator("#chat-input")
    box.fill(text)
    for _ in range(20):
        box.press("Enter")
        try:
            page.wait_for_function("() => !document.querySelector('#chat-input').value.trim()", timeout=1_500)
            return
        except Exception:  # Playwright's timeout: the box still holds the words
            idle(page)
    raise AssertionError(f"the studio never took {text!r}")


def read(folder: Path, rel: str):
    return json.loads((folder / rel).read_text(encoding="utf-8"))


def stages(folder: Path) -> dict[str, str]:
    return {k: v["status"] for k, v in read(folder, "project.json")["stages"].items()}


def approvals(folder: Path) -> int:
    log = subprocess.run(["git", "log", "--format=%B"], cwd=folder, capture_output=True, text=True, check=True).stdout
    return log.count("Auteur-Action: approve")


def shot_of(folder: Path, scene: int, number: int) -> dict:
    return next(s for s in read(folder, SHOTS)["shots"] if (s["scene"], s["number"]) == (scene, number))


def prompt_of(folder: Path, scene: int, number: int) -> dict:
    return next(p for p in read(folder, PROMPTS)["prompts"] if (p["scene"], p["number"]) == (scene, number))


def newest_board(folder: Path, scene: int, number: int) -> str:
    files = sorted((folder / "03_Renders" / f"Scene_{scene:02d}" / f"Shot_{number:03d}").glob("*.png"))
    return files[-1].relative_to(folder).as_posix()


def drawn(page, studio, script: Path) -> Path:
    """``script`` uploaded in the studio, every stage to the prompts approved in the chat, and every board drawn
    beforehand in a terminal beside the studio (a hundred progress bars in a chat is not what these tests are
    about): the same workspace, the same project, whose folder is returned."""
    open_studio(page, studio)
    upload(page, script)
    wait_text(page, "The brief stage is ready for you")
    [folder] = [p.parent for p in studio.workspace.glob("*/project.json")]
    for stage in ("Brief", "Script", "Breakdown"):
        say(page, "approve")
        wait_text(page, f"{stage} approved and saved")
    for stage, shown in (("Look", "Look:"), ("Shots", "Shot list:"), ("Prompts", "Prompts for")):
        say(page, "next")
        wait_text(page, shown, timeout=120_000)
        say(page, "approve")
        wait_text(page, f"{stage} approved and saved")
    subprocess.run([str(AUTEUR), "render", "boards", "-p", folder.name, "--tier", "sketch", "--yes"],
                   env=studio.env, cwd=studio.workspace.parent, check=True, capture_output=True, timeout=600)
    return folder


def test_a_director_changes_only_what_was_asked(page, studio, artifacts):
    folder = drawn(page, studio, SAMPLE)
    approved = approvals(folder)

    # An earlier edit of one shot: only that shot changes, and nothing goes back to draft.
    say(page, "shot 1.2 from lower")
    wait_text(page, "S01_SH002 is now")
    wait_text(page, "is now out of date")
    assert shot_of(folder, 1, 2)["angle"] == "low"
    assert stages(folder)["shots"] == "approved", "one shot changed is not a new shot list"

    # "Nell should always wear a red coat": the look, exactly Nell's prompts, only their boards stale.
    before = {(p["scene"], p["number"]): p for p in read(folder, PROMPTS)["prompts"]}
    say(page, "Nell should always wear a red coat")
    wait_text(page, "wardrobe is now a red coat")
    idle(page)
    nell = next(c for c in read(folder, LOOK)["characters"] if c["name"].upper() == "NELL")
    assert "red coat" in nell["wardrobe"]
    nells_shots = {(s["scene"], s["number"]) for s in read(folder, SHOTS)["shots"] if "NELL" in s["characters"]}
    after = {(p["scene"], p["number"]): p for p in read(folder, PROMPTS)["prompts"]}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == nells_shots, (sorted(changed - nells_shots), sorted(nells_shots - changed))
    assert all("red coat" in after[k]["frame_prompt"] for k in nells_shots)
    assert stages(folder)["shots"] == "approved" and stages(folder)["prompts"] == "approved"
    stale = len(nells_shots | {(1, 2)})  # and S01_SH002, changed before
    wait_text(page, f"The boards of {stale} shots")
    assert page.get_by_text("Shall I take that as approval").count() == 0
    assert shot_of(folder, 1, 2)["angle"] == "low", "the earlier shot edit survives"

    # A question is answered from what was decided, with its source; the script is shown.
    say(page, "what did we decide about the coat?")
    answer = page.get_by_text(re.compile(r"red coat.*|.*coat.*red", re.I)).last
    answer.wait_for()
    say(page, "show me the script")
    wait_text(page, "INT. SUNRISE DINER - NIGHT")
    say(page, "make Nell's coat red in every scene")
    idle(page)
    assert approvals(folder) == approved, "nothing was approved by the director's words"
    shot(page, artifacts, "10_coat_red")

    # "show me shot 1.2 from lower, at dusk": every part applied, the new board is the active take in the cut.
    say(page, "show me shot 1.2 from lower, at dusk")
    wait_text(page, "Estimate: 1 board")
    press(page, "Render")
    wait_text(page, "is now the active board", timeout=120_000)
    s12 = shot_of(folder, 1, 2)
    assert s12["angle"] == "low" and s12["time_of_day"] == "DUSK"
    frame = prompt_of(folder, 1, 2)["frame_prompt"].lower()
    assert "dusk" in frame and "night" not in frame
    dusk_board = newest_board(folder, 1, 2)
    command(page, "render", "cut")
    wait_text(page, "The cut:", timeout=240_000)
    entry = next(e for e in read(folder, CUT)["entries"] if (e["scene"], e["shot"]) == (1, 2))
    assert entry["take"] == dusk_board
    shot(page, artifacts, "10_dusk_in_the_cut")

    # The crew redrafts the shots: the person's changes are kept, and the Producer says so.
    say(page, "/revise shots: more coverage of the counter")
    wait_text(page, "Kept your changes", timeout=120_000)
    s12 = shot_of(folder, 1, 2)
    assert s12["angle"] == "low" and s12["time_of_day"] == "DUSK"
    assert approvals(folder) == approved
    shot(page, artifacts, "10_kept_after_redraft")
