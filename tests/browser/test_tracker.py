"""The stage tracker tells the truth, and a slash command is sent with one Enter, in the real studio (`auteur ui`,
Chromium). Oracles: the project's own files read here (project.json, the brief), and what a person sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import REPO, running_studio
from tests.browser.test_studio import command, idle, open_studio, shot, upload, wait_text

SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"


@pytest.fixture(scope="module")
def studio(tmp_path_factory, artifacts):
    yield from running_studio(tmp_path_factory, artifacts, "tracker")


def user_messages(page) -> list[str]:
    """What the person sent, as the chat shows it."""
    return [t.strip() for t in page.locator('[data-step-type="user_message"]').all_inner_texts()]


def test_a_slash_command_is_sent_with_one_enter(page, studio, artifacts):
    open_studio(page, studio)
    assert page.evaluate("window.auteurOneEnter === true"), \
        "ui/chainlit/public/composer.js is not on the page: config.toml [UI] needs custom_js = \"/public/composer.js\""
    idle(page)
    box = page.locator("#chat-input")
    box.fill("/help")
    page.locator(".command-item").first.wait_for()  # the composer's / menu is open, as a person sees it
    box.press("Enter")  # once
    wait_text(page, "Or just talk: 'next'")
    assert "/help" in user_messages(page), user_messages(page)
    assert box.input_value() == ""
    shot(page, artifacts, "tracker_one_enter")

    # Picked from the menu after a partial word, a command that needs nothing more is sent by that Enter too.
    idle(page)
    box.fill("/vari")
    page.locator(".command-item").first.wait_for()
    box.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('[data-step-type=\"user_message\"]')]"
                           ".some(m => m.innerText.trim() === '/variants')")

    # A command that needs words is picked in the menu (a chip), the words follow, and one Enter sends the lot.
    idle(page)
    sent = len(user_messages(page))
    box.fill("/takes")
    page.locator(".command-item").first.wait_for()
    box.press("Enter")
    page.locator("#message-composer").get_by_text("takes", exact=True).wait_for()
    assert len(user_messages(page)) == sent, "a command that needs a shot was not sent without it"
    box.fill("S01_SH001")
    box.press("Enter")
    wait_text(page, "S01_SH001")
    assert len(user_messages(page)) == sent + 1


def test_the_task_list_says_what_an_import_skipped_and_the_branch(page, studio, artifacts):
    open_studio(page, studio)
    upload(page, SAMPLE)
    wait_text(page, "The brief stage is ready for you")
    [folder] = [p.parent for p in Path(studio.workspace).glob("*/project.json")]
    manifest = json.loads((folder / "project.json").read_text(encoding="utf-8"))
    brief = json.loads((folder / "02_Source_Creative" / "brief.json").read_text(encoding="utf-8"))
    # What the files say: the script came from the upload, and nothing was written for the treatment or beats.
    assert brief["imported_from"] == SAMPLE.name
    assert manifest["stages"]["treatment"]["status"] == manifest["stages"]["beats"]["status"] == "empty"
    wait_text(page, "treatment — skipped: the script was imported")
    wait_text(page, "beats — skipped: the script was imported")
    wait_text(page, "Night Shift · branch main")
    # Two stages skipped, none approved yet: 2 of 12 done (brief, script and breakdown wait for the person).
    wait_text(page, "2 of 12 done (2 skipped)")
    wait_text(page, "brief — draft, waiting for your approval (/approve brief)")
    shot(page, artifacts, "tracker_task_list")

    # On another branch, the task list names it.
    command(page, "branch", "new alt-ending")
    wait_text(page, "Now on branch alt-ending")
    wait_text(page, "Night Shift · branch alt-ending: 2 of 12 done (2 skipped)")  # the task list's heading
    command(page, "history")  # one Enter
    wait_text(page, "script: import night_shift.fountain")
    shot(page, artifacts, "tracker_branch")
