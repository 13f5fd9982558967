"""The studio in a real browser: `auteur ui` on the schema-filling model, driven by headless Chromium.

Each test is a new chat in the same running studio. Screenshots go to
AUTEUR_TEST_ARTIFACTS (default tests/artifacts/).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import REPO, Server

SCREENPLAY = REPO / "tests" / "golden" / "fountain" / "01_last_call.fountain"
IDEA = "A night-shift waitress recognises the stranger at the counter"


# ---------------------------------------------------------------- what a person does


def open_studio(page, studio):
    page.goto(studio.url)
    wait_text(page, "Hello, I'm your Producer")


def wait_text(page, text: str, timeout: float = 30_000):
    page.get_by_text(text).filter(visible=True).last.wait_for(timeout=timeout)


def idle(page, timeout: float = 60_000) -> None:
    """Wait until no turn is running: while one is, the composer shows its stop button and sends nothing."""
    page.locator("#stop-button").wait_for(state="hidden", timeout=timeout)


def say(page, text: str) -> None:
    idle(page)
    box = page.locator("#chat-input")
    box.fill(text)
    box.press("Enter")


def command(page, name: str, args: str = "") -> None:
    """A slash command the way a person types it, with one Enter: '/name words' (the menu closes at the space), or
    '/name' alone, which the menu sends at once when the command needs no words (one that needs them is picked as a
    chip: Enter again sends it bare)."""
    idle(page)
    box = page.locator("#chat-input")
    box.fill(f"/{name} {args}".strip())
    box.press("Enter")
    page.wait_for_function("() => !document.querySelector('#chat-input').value")  # sent, or picked as a chip
    if page.locator("#message-composer").get_by_text(name, exact=True).count():
        box.press("Enter")


def press(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).last.click()


def upload(page, path: Path) -> None:
    page.locator("#upload-button-input").set_input_files(str(path))
    page.locator("#chat-submit").wait_for()
    page.wait_for_function("() => !document.querySelector('#chat-submit').disabled")
    page.locator("#chat-submit").click()


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)


def project(studio, title_word: str) -> Path:
    """The project folder whose title has this word."""
    [path] = [p.parent for p in studio.workspace.glob("*/project.json")
              if title_word.lower() in json.loads(p.read_text())["title"].lower()]
    return path


def stages(folder: Path) -> dict[str, str]:
    return {k: v["status"] for k, v in json.loads((folder / "project.json").read_text())["stages"].items()}


# ---------------------------------------------------------------- scenarios


def test_first_page_shows_the_producers_greeting(page, studio, artifacts):
    open_studio(page, studio)
    page.locator('img[alt="Avatar for Producer"]').first.wait_for()
    # The greeting's options are buttons, and the tiny-model notice says how to connect a real one.
    assert page.get_by_role("button", name="Develop an idea", exact=True).is_visible()
    wait_text(page, "AUTEUR_MODEL")
    shot(page, artifacts, "01_greeting")


def test_upload_a_screenplay_and_approve_through_to_shots(page, studio, artifacts):
    open_studio(page, studio)
    upload(page, SCREENPLAY)
    wait_text(page, "Breakdown: 4 scenes")
    wait_text(page, "The brief stage is ready for you")
    shot(page, artifacts, "02_uploaded")
    # A button pressed twice runs once.
    page.get_by_role("button", name="Approve", exact=True).last.dblclick()
    wait_text(page, "Brief approved and saved")
    wait_text(page, "The script stage is ready for you")
    page.wait_for_timeout(500)
    assert page.get_by_text("Brief approved and saved").count() == 1
    assert page.get_by_text("Script approved and saved").count() == 0
    press(page, "Approve")
    wait_text(page, "Script approved and saved")
    say(page, "approve")
    wait_text(page, "Breakdown approved and saved")
    wait_text(page, "the Art Director will draft the look")
    press(page, "Next")
    wait_text(page, "Look:")
    wait_text(page, "The look stage is ready for you")
    assert page.get_by_text("Used Art Director").count() == 1, "the crew's work shows as a step"
    press(page, "Approve")
    wait_text(page, "Look approved and saved")
    say(page, "next")
    wait_text(page, "Shot list:")
    press(page, "Approve")
    wait_text(page, "Shots approved and saved")
    shot(page, artifacts, "02_shots_approved")

    command(page, "status")
    wait_text(page, "Model work:")
    status = page.locator("pre").filter(has_text="Model work:").last.inner_text()
    assert re.search(r"7\. shots\s+approved", status), status
    # An imported screenplay went past the treatment and the beats: the tracker says so, and counts them done.
    assert re.search(r"2\. treatment\s+skipped: the script was imported", status), status
    assert re.search(r"branch main: 7 of 12 done \(2 skipped\)", status), status
    command(page, "history")
    history = page.locator("pre").filter(has_text="shots: approve").last
    history.wait_for()
    assert "Dana Director" in history.inner_text()
    shot(page, artifacts, "02_status_history")
    # The task list follows the project.
    wait_text(page, "shots — approved")
    wait_text(page, "prompts — to do")
    # Exports come as files to download.
    command(page, "export", "fdx")
    page.get_by_role("link", name=re.compile(r"_script\.fdx")).last.wait_for()
    saved = stages(project(studio, "last call"))
    assert saved["shots"] == "approved" and saved["look"] == "approved" and saved["prompts"] == "empty"


def test_develop_an_idea_and_pick_a_treatment_variant(page, studio, artifacts):
    open_studio(page, studio)
    press(page, "Develop an idea")
    wait_text(page, "Tell me the idea in one or two sentences")
    say(page, IDEA)
    wait_text(page, "The brief stage is ready for you")
    press(page, "Approve")
    wait_text(page, "the Screenwriter will draft the treatment")
    press(page, "Next")
    wait_text(page, "Treatment variants:")
    press(page, "Variants")
    press(page, "Use variant 2")
    wait_text(page, "Variant 2, “")
    shot(page, artifacts, "03_variant_picked")
    # Pressing a used button again does nothing: it is gone.
    assert page.get_by_role("button", name="Use variant 2", exact=True).count() == 0
    treatment = project(studio, "waitress") / "02_Source_Creative" / "Treatments" / "treatment.json"
    assert json.loads(treatment.read_text())["chosen"] == 1, "variant 2 (index 1) is the chosen one"
    # Revise asks for the notes, and they go to the Screenwriter.
    press(page, "Revise")
    wait_text(page, "What should the Screenwriter change in the treatment?")
    say(page, "make the ending hopeful")
    wait_text(page, "Passing your notes to the Screenwriter")
    page.get_by_text("Treatment variants:").nth(2).wait_for()
    decisions = project(studio, "waitress") / "04_Project_Files" / "decisions.jsonl"
    assert "make the ending hopeful" in decisions.read_text()
    shot(page, artifacts, "03_revised")


def test_bad_input_gets_a_clear_message(page, studio, artifacts, tmp_path):
    open_studio(page, studio)
    wrong = tmp_path / "notes.xlsx"
    wrong.write_bytes(b"PK\x03\x04 not a screenplay")
    upload(page, wrong)
    wait_text(page, "notes.xlsx is not a screenplay, a story or a reference image")
    wait_text(page, "upload a screenplay as Fountain (.fountain)")
    shot(page, artifacts, "04_wrong_upload")
    fake = tmp_path / "still.png"
    fake.write_text("this is text, not a picture")
    upload(page, fake)
    wait_text(page, "still.png is not a PNG image")
    say(page, "/frobnicate now")
    wait_text(page, "there is no command /frobnicate")
    wait_text(page, "type /help for the list")
    shot(page, artifacts, "04_bad_input")


def test_a_new_chat_opens_an_existing_project(page, studio, artifacts):
    folder = project(studio, "last call")
    open_studio(page, studio)
    # The chat settings: the project picker, and auto-approve.
    page.locator("#chat-settings-open-modal").click()
    page.locator("#project").click()
    page.get_by_role("option", name=folder.name, exact=True).click()
    page.locator("#auto_approve").click()
    shot(page, artifacts, "05_settings")
    page.get_by_role("button", name="Confirm").click()
    wait_text(page, "Opened LAST CALL")
    assert page.get_by_text("The crew now works with").count() == 0, "the model was not changed"
    wait_text(page, "shots — approved")
    wait_text(page, "the Cinematographer will draft the prompts")
    say(page, "next")
    wait_text(page, "Prompts approved and saved")
    wait_text(page, "prompts — approved")
    shot(page, artifacts, "05_opened_and_auto_approved")
    assert stages(folder)["prompts"] == "approved"


def test_renders_show_in_the_chat_boards_clips_and_the_cut(page, studio, artifacts):
    folder = project(studio, "last call")
    open_studio(page, studio)
    command(page, "open", folder.name)
    wait_text(page, "Opened LAST CALL")
    # The budget gate: the estimate first, nothing rendered until the person says so.
    command(page, "render", "boards scene 1 sketch")
    wait_text(page, "Estimate: 11 boards at tier sketch")
    assert not (folder / "03_Renders" / "Scene_01").exists()
    press(page, "Render")
    wait_text(page, "11 boards rendered")
    boards = page.locator('img[alt="S01_SH001_take01.png"]')
    boards.first.wait_for()
    assert boards.first.evaluate("img => img.naturalWidth") == 640, "the board itself, not a broken link"
    shot(page, artifacts, "06_boards")
    command(page, "render", "clips scene 1 sketch yes")
    wait_text(page, "11 clips rendered", timeout=120_000)
    video = page.locator("video").last
    video.wait_for()
    assert video.evaluate("v => new Promise(ok => { if (v.readyState >= 1) ok(v.duration);"
                          " else v.onloadedmetadata = () => ok(v.duration); })") > 1
    shot(page, artifacts, "06_clips")
    # The cut holds the boards of scenes without clips: draw those, then cut.
    command(page, "render", "boards sketch yes")
    wait_text(page, "37 boards rendered", timeout=120_000)
    command(page, "render", "cut")
    wait_text(page, "The cut: 37 shots", timeout=180_000)
    page.locator("video").last.wait_for()
    assert (folder / "03_Renders" / "cut" / "cut_v01.mp4").is_file()
    shot(page, artifacts, "06_cut")


def test_signed_in_users_never_see_each_others_projects(browser, tmp_path, artifacts):
    import hashlib

    bob_hash = hashlib.sha256(b"b0b-pass").hexdigest()
    server = Server(tmp_path / "workspace", artifacts / "studio_auth_server.log",
                    AUTEUR_USERS=f"ann:s3cret,bob:sha256:{bob_hash}").start()
    try:
        server.wait_ready()
        secret = server.workspace / ".auteur" / "chainlit" / "auth_secret"
        assert secret.is_file() and secret.stat().st_mode & 0o077 == 0, "the signing key is private"

        def sign_in(user: str, password: str):
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = context.new_page()
            page.goto(server.url)
            page.locator("#email").fill(user)
            page.locator("#password").fill(password)
            page.locator("#password").press("Enter")
            return context, page

        for user, password in (("ann", "wrong"), ("ann", "b0b-pass"), ("carl", "s3cret")):
            context, page = sign_in(user, password)  # a wrong password, another's password, no such user
            page.get_by_text("Unable to sign in").first.wait_for()
            assert page.get_by_text("Hello, I'm your Producer").count() == 0
            context.close()

        context, page = sign_in("ann", "s3cret")
        wait_text(page, "Hello, I'm your Producer")
        command(page, "new", "Ann Film")
        wait_text(page, "New project Ann Film")
        shot(page, artifacts, "06_ann")
        context.close()
        ann = [p.parent.name for p in server.workspace.glob("users/*/ann-film/project.json")]
        assert ann and ann[0].startswith("ann-"), "Ann's projects live in her own folder"
        assert not (server.workspace / "ann-film").exists()

        context, page = sign_in("bob", "b0b-pass")
        wait_text(page, "Hello, I'm your Producer")
        command(page, "open")
        wait_text(page, "Your projects: none yet")
        say(page, "/open ann-film")
        wait_text(page, "there is no project 'ann-film'")
        shot(page, artifacts, "06_bob")
        context.close()
    finally:
        server.stop()


# The studio with a crew that takes its time: each model call waits four seconds.
SLOW_STUDIO = """
import sys, time
from config.container import Container
from config.settings import Settings
from ui.web.server import serve

crew = Container.crew

def slow_crew(self, *args, **kwargs):
    runner = crew(self, *args, **kwargs)
    run = runner.run
    runner.run = lambda *a, **k: (time.sleep(4), run(*a, **k))[1]
    return runner

Container.crew = slow_crew
serve(Settings.from_env(), port=int(sys.argv[1]))
"""


def test_a_page_refreshed_during_a_crew_run_loses_nothing_and_runs_nothing_twice(browser, tmp_path, artifacts):
    script = tmp_path / "slow_studio.py"
    script.write_text(SLOW_STUDIO)
    server = Server(tmp_path / "workspace", artifacts / "studio_slow_server.log")
    server.command = [sys.executable, str(script), str(server.port)]
    server.env["PYTHONPATH"] = str(REPO)
    server.start()
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        server.wait_ready()
        page = context.new_page()
        page.goto(server.url)
        wait_text(page, "Hello, I'm your Producer")
        upload(page, SCREENPLAY)
        for approved in ("Brief approved", "Script approved", "Breakdown approved"):
            press(page, "Approve")
            wait_text(page, approved)
        press(page, "Next")
        wait_text(page, "look — the Art Director is working on it")
        page.reload()  # in the middle of the Art Director's work
        wait_text(page, "Hello, I'm your Producer")
        folder = project(server, "last call")
        wait_text(page, f"The crew is still working on {folder.name} from an earlier page")
        command(page, "open", folder.name)
        wait_text(page, "The crew is still working on this project")
        wait_text(page, "Opened LAST CALL", timeout=60_000)
        wait_text(page, "The look stage is ready for you")
        wait_text(page, "look — draft, waiting for you")
        shot(page, artifacts, "07_refreshed")
        log = subprocess.run(["git", "-C", str(folder), "log", "--format=%s"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
        assert len([line for line in log if line.startswith("look:")]) == 1, log
        assert stages(folder)["look"] == "draft"
    finally:
        context.close()
        server.stop()


def test_header_sign_in_behind_a_proxy(browser, tmp_path, artifacts):
    server = Server(tmp_path / "workspace", artifacts / "studio_header_server.log",
                    AUTEUR_AUTH_HEADER="X-Forwarded-User").start()
    try:
        server.wait_ready()
        context = browser.new_context(extra_http_headers={"X-Forwarded-User": "carol@example.test"})
        page = context.new_page()
        page.goto(server.url)
        wait_text(page, "Hello, I'm your Producer")
        command(page, "new", "Carol Film")
        wait_text(page, "New project Carol Film")
        context.close()
        assert list(server.workspace.glob("users/carol-example.test-*/carol-film/project.json"))

        context = browser.new_context()  # no header: no studio
        page = context.new_page()
        page.goto(server.url)
        wait_text(page, "Unable to sign in")
        shot(page, artifacts, "08_no_header")
        assert page.get_by_text("Hello, I'm your Producer").count() == 0
        context.close()
    finally:
        server.stop()
