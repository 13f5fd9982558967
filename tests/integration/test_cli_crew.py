"""`auteur run`, `auteur shots`, `auteur status` and `auteur chat` on the schema-filling model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio/samples/night_shift.fountain"
IDEA = "A night-shift waitress recognises the stranger at the counter"


def invoke(*args):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout) if "--json" in args else result


def test_run_from_an_idea_then_shots_and_status(workspace_dir, monkeypatch):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    out = invoke("run", "--idea", IDEA, "--until", "prompts", "--yes", "--json")
    assert set(out) >= {"slug", "stages", "llm"}
    assert [s for s, v in out["stages"].items() if v == "approved"] == [
        "brief", "treatment", "beats", "script", "breakdown", "look", "shots", "prompts"]
    assert out["llm"]["calls"] > 8 and out["llm"]["tokens"] > 0
    shots = invoke("shots", "-p", out["slug"], "--json")
    keys = {"scene", "number", "size", "angle", "movement", "lens_mm", "duration_s", "action", "characters",
            "dialogue", "frame_prompt", "video_prompt"}
    assert shots and all(keys <= set(s) for s in shots)
    assert all(s["frame_prompt"] and s["video_prompt"] for s in shots)
    status = invoke("status", "-p", out["slug"], "--json")
    assert status["llm"] == out["llm"] and status["stages"] == out["stages"]


def test_run_continues_an_imported_screenplay(workspace_dir, monkeypatch):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    invoke("new", "Night Shift")
    invoke("import", str(SAMPLE))
    out = invoke("run", "-p", "night-shift", "--until", "shots", "--yes", "--json")
    assert out["stages"]["treatment"] == "empty" and out["stages"]["beats"] == "empty", \
        "a brought screenplay skips treatment and beats"
    assert out["stages"]["script"] == "approved" and out["stages"]["shots"] == "approved"
    assert out["stages"]["prompts"] == "empty"
    shots = invoke("shots", "-p", "night-shift", "--json")
    assert {s["scene"] for s in shots} == set(range(1, 9))
    assert all(s["frame_prompt"] is None for s in shots), "no prompts before that stage"
    # Without --yes, run drafts the next stage and stops at the question.
    result = CliRunner().invoke(app, ["run", "-p", "night-shift", "--until", "prompts"])
    assert result.exit_code == 0 and "waits for your approval" in result.stdout
    status = invoke("status", "--json")
    assert status["stages"]["prompts"] == "draft"
    assert status["next"] == "prompts", "an imported screenplay never sends you back to the treatment"


def test_chat_in_a_real_terminal_process(tmp_path):
    exe = Path(sys.executable).parent / "auteur"
    env = {**os.environ, "AUTEUR_WORKSPACE": str(tmp_path / "ws"), "AUTEUR_MODEL": "fake/schema",
           "AUTEUR_USER_NAME": "Sam"}
    script = "\n".join([IDEA, "approve", "next", "use variant 3", "/status", "/bogus", "/quit"]) + "\n"
    proc = subprocess.run([str(exe), "chat"], input=script, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Producer:" in out and "Screenwriter:" in out
    assert "Variant 3" in out and "treatment  draft" in out
    assert "there is no command /bogus" in out
    slug = next((tmp_path / "ws").glob("*/project.json")).parent
    log = subprocess.run(["git", "log", "--format=%an|%s"], cwd=slug, capture_output=True, text=True).stdout
    assert "Screenwriter|treatment: 3 treatment variants" in log and "Sam|treatment: choose variant 3" in log


def test_markup_in_what_people_type_is_just_text(tmp_path):
    exe = Path(sys.executable).parent / "auteur"
    env = {**os.environ, "AUTEUR_WORKSPACE": str(tmp_path / "ws"), "AUTEUR_MODEL": "fake/schema",
           "AUTEUR_MEMORY": "off"}
    script = "\n".join([IDEA, "/shots [/b]", "[red]hello[/red] more rain please", "/quit"]) + "\n"
    proc = subprocess.run([str(exe), "chat"], input=script, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr
    assert "no shot list yet" in proc.stdout
    # The markup-laden note reached the Producer as plain text, and the brief was redrafted with it.
    assert "Passing your notes to the Producer" in proc.stdout
    assert proc.stdout.count("The Producer is working on the brief") == 2
    result = subprocess.run([str(exe), "run", "--until", "[/b]", "-p", "x"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "[/b]" in result.stderr and "Traceback" not in result.stderr
