"""ui/web/views.py: what a button in a view may ask the studio to run. The page is the browser's: a view's
``callAction`` can be called with any payload, so only a command a view sends (take, prompt, shot, note…) runs, on one
line; anything else (/new, /open, an idea for the crew, a second command after a newline) is refused.

Chainlit writes its config into the app folder when first imported: the check runs in a child Python whose app folder
is a temporary one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CASES = {
    "/take S01_SH003 2": "/take S01_SH003 2",
    "/prompt S01_SH002 video: slow push in": "/prompt S01_SH002 video: slow push in",
    "/shot S01_SH003 size CU": "/shot S01_SH003 size CU",
    "/note 7.5s her coat should be red": "/note 7.5s her coat should be red",
    "/fix n1": "/fix n1",
    "/branch switch alt-ending": "/branch switch alt-ending",
    "  /take   S01_SH003\t2 ": "/take S01_SH003 2",
    "/note 7.5s red coat\n/new Another film": "/note 7.5s red coat /new Another film",  # one line: one command
    "/new Another film": None,
    "/open someone-elses-project": None,
    "/export archive": None,
    "/model openai/gpt-4o": None,
    "make the coat red": None,
    "take S01_SH003 2": None,
    "/TAKE S01_SH003 2": None,
    "/takeover": None,
    "": None,
    "/note " + "x" * 3000: None,
}


def test_only_the_commands_a_view_sends_run(tmp_path):
    code = ("import json, sys\nfrom ui.web.views import allowed\n"
            "cases = json.loads(sys.stdin.read())\n"
            "print(json.dumps({line: allowed(line) for line in cases} | {'<number>': allowed(7), '<none>': allowed(None)}))")
    env = {**os.environ, "CHAINLIT_APP_ROOT": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(list(CASES)), capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    for line, expected in CASES.items():
        assert answers[line] == expected, (line, answers[line])
    assert answers["<number>"] is None and answers["<none>"] is None


CHECKS = r'''
import json
from studio.engine.events import Event
from studio.media import Take, TakeKind
from studio.views.board import board_cell
from ui.web.presentation import text_of
from ui.web.views import latest_views

out = {}
# A note's proposed fix: a sentence, then the command lines that carry it out (chats.db of the director's try).
fix = ("The Cinematographer takes note n1 on S01_SH003: I'll write your words into the frame prompt and draw it "
       "again.\n  /prompt S01_SH003 pencil sketch, her `red` coat\n  /render boards S01_SH003 yes")
out["fix"] = text_of(Event("message", fix, author="Cinematographer", data={"commands": ["x"]}))
table = " 1. brief      approved\n 2. treatment  skipped: the script was imported\n 3. script     draft"
out["table"] = text_of(Event("message", table, author="Producer", data={"stages": []}))

# Takes numbered across kinds, as the director's S01_SH003 had them: boards 1, 3, 5 and clips 2, 4.
takes = [Take(scene=1, shot=3, kind=TakeKind(kind), number=n, path=f"03_Renders/t{n}", active=n in (4, 5))
         for n, kind in ((1, "image"), (2, "video"), (3, "image"), (4, "video"), (5, "image"))]
class Shot:
    code, size, angle, movement = "S01_SH003", type("V", (), {"value": "CU"}), type("V", (), {"value": "eye-level"}), \
        type("V", (), {"value": "static"})
    lens_mm, duration_s, dialogue, action = 85, 3.0, "", "Headlights sweep the lot."
cell = board_cell(Shot(), takes, False)
out["cell"] = {k: cell[k] for k in ("take", "board", "takes")}

def element(id_, for_id, view, args=""):
    return {"id": id_, "forId": for_id, "type": "custom", "display": "inline", "name": {"shot": "Shot",
            "script": "Script", "board": "Storyboard"}[view], "props": json.dumps({"_view": {"name": view, "args": args}})}
thread = {"steps": [{"id": "m1", "createdAt": "2026-12-02T17:00:00"}, {"id": "m2", "createdAt": "2026-12-02T17:05:00"},
                    {"id": "m3", "createdAt": "2026-12-02T17:09:00"}],
          "elements": [element("e2", "m2", "shot", "S01_SH004"), element("e1", "m1", "shot", "S01_SH002"),
                       element("e3", "m3", "script"), element("e4", "m3", "board"),
                       {"id": "e5", "forId": "m3", "type": "custom", "display": "inline", "name": "Shot",
                        "props": "not json"},
                       {"id": "e6", "forId": "m3", "type": "custom", "display": "inline", "name": "Script",
                        "props": json.dumps({"_view": {"name": "shot"}})}]}
out["latest"] = [(e["id"], p["_view"].get("args", "")) for e, p in latest_views(thread)]
print(json.dumps(out))
'''


def test_what_the_page_shows_of_fixes_tables_boards_and_a_resumed_chat(tmp_path):
    env = {**os.environ, "CHAINLIT_APP_ROOT": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CHECKS], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # A sentence with its commands is prose with a list of commands, never a ```text block cut off at the side.
    assert "```" not in out["fix"], out["fix"]
    assert out["fix"].startswith("**Cinematographer:** The Cinematographer takes note n1")
    assert "\n- `/prompt S01_SH003 pencil sketch, her 'red' coat`\n- `/render boards S01_SH003 yes`" in out["fix"]
    # Rows that line up stay a fixed-width block.
    assert out["table"].startswith("**Producer:**\n```text\n 1. brief      approved")
    # "take 5 of 3" no more: the active board is the third of three boards; take 5 is what /take names.
    assert out["cell"] == {"take": 5, "board": 3, "takes": 3}
    # The latest view of each kind drawn in the chat (by its message's time, not the list's order); a view beside
    # the chat, a broken element and one whose component is not its view's are left alone.
    assert out["latest"] == [["e2", "S01_SH004"], ["e3", ""]]
