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
