"""Text built to make a parser backtrack: every parser that reads an upload or a message ends on it.

Each hostile text is near the limit it is allowed up to (1 MB of Fountain, a message of the chat's length
limit, and 1 MB for the searches behind it). The parsers once rescanned the rest of a line from every mark
or word (minutes to hours); now they read in one pass. The check runs in a child process that must end:
a parser that backtracks again leaves it running, and the child is stopped and the test fails (the bound
is far above what a linear read takes, so it is no timing of ours; bench/fountain_hostile.py has those).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENDS_WITHIN_S = 300  # a bound for "it ends", minutes above a linear read even on a loaded machine

PARSE_ALL = textwrap.dedent("""
    from studio.breakdown import _INTRO_RE
    from studio.engine.routing import render_ask
    from studio.screenplay import read_fountain
    from studio.uploads import MAX_FOUNTAIN

    head = b"INT. A - DAY\\n\\n"
    for unit in (b"*a ", b"**a ", b"_a ", b"[[a ", b"/*a ", b"[[a\\n", b"AB ", b"JOHN (", b"a ]]"):
        body = unit * ((MAX_FOUNTAIN - len(head) - 1) // len(unit))
        try:
            read_fountain("hostile.fountain", head + body + b"\\n")
        except Exception as exc:  # a clean refusal is an answer too
            print("refused", unit, type(exc).__name__)
        print("read", unit, flush=True)
    assert _INTRO_RE.findall("JOHN McCLANE (40s) enters. OLD MAN (80) waits.") == [("JOHN McCLANE", "40s"),
                                                                                  ("OLD MAN", "80")]
    _INTRO_RE.findall("AB " * 300_000)
    assert render_ask("can we see the opening shot again, but darker?")
    assert not render_ask("hello there")
    render_ask("show " * 200_000)
    render_ask("shot " * 200_000)
    print("done", flush=True)
""")


def test_hostile_lines_are_read_in_one_pass() -> None:
    try:
        proc = subprocess.run([sys.executable, "-c", PARSE_ALL], cwd=REPO, capture_output=True, text=True,
                              timeout=ENDS_WITHIN_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"a parser did not end on hostile text; it got through: {exc.stdout!r}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.rstrip().endswith("done")


def test_a_message_longer_than_the_limit_is_refused_with_the_fix(tmp_path: Path) -> None:
    from config.container import Container
    from config.settings import Settings
    from studio.engine.events import Turn
    from studio.engine.session import MAX_MESSAGE

    settings = Settings.from_env({"AUTEUR_WORKSPACE": str(tmp_path / "ws"), "AUTEUR_MODEL": "fake/schema",
                                  "AUTEUR_MEMORY": "off"})
    session = Container(settings).session()
    events = list(session.handle(Turn(text="show " * (MAX_MESSAGE // 5 + 1))))
    assert [e.kind for e in events] == ["error"]
    assert "characters long" in events[0].text and "as a file" in events[0].data.get("fix", "")
    assert not (tmp_path / "ws").exists() or not any((tmp_path / "ws").iterdir()), "a refused message wrote nothing"
    ok = list(session.handle(Turn(text="show " * (MAX_MESSAGE // 5 - 1))))
    assert all("characters long" not in e.text for e in ok)
