"""How fast the studio answers in a browser: `auteur ui` on the schema-filling model, headless Chromium.

Prints the time from starting the server to the Producer's greeting on the page,
and from a person's message to the first agent event on the page (p50, p95 over
20 messages). Not a test. Run: .venv/bin/python bench/ui.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

SCREENPLAY = REPO / "studio" / "samples" / "night_shift.fountain"
MESSAGES = ["status", "help"] * 10
AGENT = "[data-step-type='assistant_message']"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    from playwright.sync_api import sync_playwright

    workspace = Path(tempfile.mkdtemp(prefix="auteur-bench-ui-")) / "workspace"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        server = Server(workspace, workspace.parent / "server.log")
        try:
            started = time.perf_counter()
            server.start()
            server.wait_ready()
            http = time.perf_counter() - started
            page.goto(server.url)
            page.get_by_text("Hello, I'm your Producer").wait_for(timeout=60_000)
            first_page = time.perf_counter() - started

            page.locator("#upload-button-input").set_input_files(str(SCREENPLAY))
            page.wait_for_function("() => !document.querySelector('#chat-submit').disabled")
            page.locator("#chat-submit").click()
            page.get_by_text("is ready for you").last.wait_for()

            answers = []
            box = page.locator("#chat-input")
            for text in MESSAGES:
                page.wait_for_function("() => !document.querySelector('#stop-button')")
                before = page.locator(AGENT).count()
                box.fill(text)
                t = time.perf_counter()
                box.press("Enter")
                page.wait_for_function(f"n => document.querySelectorAll(\"{AGENT}\").length > n", arg=before,
                                       polling=5)
                answers.append(time.perf_counter() - t)
                page.get_by_text("is ready for you").last.wait_for()
        finally:
            server.stop()
            browser.close()
    print(f"{'measure':<48}{'seconds':>10}")
    print(f"{'server start → HTTP answers':<48}{http:>10.2f}")
    print(f"{'server start → greeting on the page':<48}{first_page:>10.2f}")
    print(f"{'message → first agent event, p50 (20 messages)':<48}{statistics.median(answers):>10.3f}")
    print(f"{'message → first agent event, p95 (20 messages)':<48}{percentile(answers, 95):>10.3f}")


if __name__ == "__main__":
    main()
