"""The `auteur` command: through typer's runner, and once as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio/samples/night_shift.fountain"
GOLDEN = REPO / "tests/golden/fountain"


@pytest.fixture
def cli(workspace_dir):
    runner = CliRunner()

    def run(*args: str, ok: bool = True, input: str | None = None):
        result = runner.invoke(app, list(args), input=input)
        if ok:
            assert result.exit_code == 0, f"auteur {' '.join(args)}\n{result.output}\n{result.exception!r}"
        return result

    return run


def js(result):
    return json.loads(result.stdout)


def test_new_import_scenes_approve_branch_history(cli, workspace_dir):
    made = js(cli("new", "The Last Train", "--json"))
    assert made == {"slug": "the-last-train", "path": str(workspace_dir / "the-last-train")}
    assert (workspace_dir / "the-last-train" / ".git").is_dir()

    imported = js(cli("import", str(SAMPLE), "-p", "the-last-train", "--json"))
    assert imported["stages"]["script"] == "draft" and imported["stages"]["brief"] == "draft"
    assert imported["stages"]["breakdown"] == "draft"

    scenes = js(cli("scenes", "-p", "the-last-train", "--json"))
    expected = json.loads(SAMPLE.with_suffix(".expected.json").read_text())["scenes"]
    assert [s["number"] for s in scenes] == list(range(1, len(expected) + 1))
    assert [s["heading"] for s in scenes] == [e["heading"] for e in expected]
    assert [s["characters"] for s in scenes] == [e["characters"] for e in expected]
    assert all(s["eighths"] >= 1 and s["seconds"] == s["eighths"] * 7.5 for s in scenes)

    out = cli("approve", "script", "-p", "the-last-train")
    assert "approved" in out.stdout
    cli("branch", "new", "alt-ending", "-p", "the-last-train")
    branches = js(cli("branch", "list", "--json", "-p", "the-last-train"))
    assert {b["name"]: b["current"] for b in branches} == {"main": False, "alt-ending": True}

    history = js(cli("history", "-p", "the-last-train", "--json"))
    assert [h["action"] for h in history] == ["approve", "import", "create"]
    assert history[0]["stage"] == "script" and history[0]["author"] == "Dana Director"
    assert set(history[0]) >= {"commit", "stage", "author", "message", "time"}
    git_log = subprocess.run(["git", "log", "--format=%H %an %s"], cwd=workspace_dir / "the-last-train",
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert [line.split()[0] for line in git_log] == [h["commit"] for h in history], "git log tells the same story"

    status = js(cli("status", "--json"))  # the project used last
    assert status["slug"] == "the-last-train" and status["branch"] == "alt-ending"
    assert status["stages"]["script"] == "approved" and len(status["stages"]) == 12


def test_edit_restore_and_diff_through_the_cli(cli, tmp_path):
    cli("new", "Doors")
    cli("import", str(SAMPLE))
    cli("approve", "script")
    first = js(cli("history", "--stage", "script", "--json"))[-1]["commit"]
    cli("branch", "new", "short")
    new_script = tmp_path / "short.fountain"
    new_script.write_text("Title: Short\n\nINT. ROOM - DAY\n\nANNA\nHello.\n")
    edited = js(cli("edit", "script", str(new_script), "--json"))
    assert edited["status"] == "draft" and edited["stale"] == ["breakdown"]
    assert len(js(cli("scenes", "--json"))) == 1
    diff = js(cli("branch", "diff", "main", "--json"))
    rows = {r["stage"]: r for r in diff["stages"]}
    assert rows["script"]["differs"] and rows["script"]["main"] == "approved" and rows["script"]["short"] == "draft"
    restored = js(cli("restore", "script", first[:12], "--json"))
    assert restored["status"] == "draft"
    assert len(js(cli("scenes", "--json"))) > 1
    look = tmp_path / "look.json"
    look.write_text(json.dumps({"style": {"medium": "charcoal on paper"}}))
    cli("edit", "look", str(look))
    shown = js(cli("show", "look", "--json"))
    assert shown["style"]["medium"] == "charcoal on paper"
    assert "INT. ROOM" not in cli("show", "script").stdout


def test_takes_from_the_cli(cli, tmp_path):
    cli("new", "Frames")
    cli("import", str(SAMPLE))
    img = tmp_path / "board.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(128))
    listed = js(cli("takes", "S01_SH001", "--add", str(img), "--json"))
    assert [(t["number"], t["active"], t["kind"]) for t in listed] == [(1, True, "image")]
    listed = js(cli("takes", "1.1", "--add", str(img), "--json"))
    assert [t["active"] for t in listed] == [False, True], "a take added by hand becomes active"
    listed = js(cli("takes", "1.1", "--choose", "1", "--json"))
    assert [t["active"] for t in listed] == [True, False]
    bad = cli("takes", "1.1", "--choose", "9", ok=False)
    assert bad.exit_code == 1 and "no take 9" in bad.stderr


@pytest.mark.parametrize("args,words", [
    (["new", "../escape"], "contains '/'"),
    (["new", "a\\b"], "contains '\\\\'"),
    (["new", ".."], "'..'"),
    (["status", "-p", "ghost"], "no project 'ghost'"),
    (["approve", "shots"], "nothing to approve"),
    (["approve", "plot"], "no stage called 'plot'"),
    (["restore", "script", "0123abcd"], "no revision '0123abcd'"),
    (["import", "missing.fountain"], "does not exist"),
    (["branch", "switch", "nowhere"], "no branch 'nowhere'"),
    (["takes", "banana"], "is not a shot"),
])
def test_errors_are_clear_and_exit_non_zero(cli, args, words, workspace_dir):
    cli("new", "Base")
    cli("import", str(GOLDEN / "01_last_call.fountain"))
    before = sorted(p.name for p in workspace_dir.iterdir())
    result = cli(*args, ok=False)
    assert result.exit_code == 1, result.output
    assert words in result.stderr, result.stderr
    assert "Fix:" in result.stderr
    assert sorted(p.name for p in workspace_dir.iterdir()) == before, "nothing half-made"
    assert not (workspace_dir.parent / "escape").exists()


@pytest.mark.parametrize("content,words", [(b"", "is empty"), (b"\x00\x01\x02binary\xff" * 50, "binary file"),
                                           (b"Title: X\n\nINT. A \x81\x8d\x8f\x90\x9d - DAY\n" * 20, "encoding"),
                                           (b"Shopping list:\n\n- eggs\n- milk\n", "does not look like a screenplay")])
def test_bad_screenplays_are_refused_without_a_trace(cli, tmp_path, workspace_dir, content, words):
    cli("new", "Target")
    head_before = js(cli("history", "--json"))[0]["commit"]
    bad = tmp_path / "bad.fountain"
    bad.write_bytes(content)
    result = cli("import", str(bad), ok=False)
    assert result.exit_code == 1 and words in result.stderr and "Fix:" in result.stderr
    assert js(cli("history", "--json"))[0]["commit"] == head_before
    assert js(cli("status", "--json"))["stages"]["script"] == "empty"


def test_import_without_a_project_makes_one_from_the_title_page(cli, workspace_dir):
    out = js(cli("import", str(GOLDEN / "03_dust_and_iron.fountain"), "--json"))
    assert out["created"] and (workspace_dir / out["slug"] / "project.json").exists()
    assert out["scenes"] == 5


def test_help_does_not_load_heavy_modules():
    code = ("import sys; from ui.cli import app; from typer.testing import CliRunner; "
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = {'git', 'pydantic', 'memory', 'studio', 'torch', 'crewai', 'chainlit', 'diffusers'}; "
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_real_process_end_to_end(tmp_path):
    exe = Path(sys.executable).parent / "auteur"
    cmd = [str(exe)] if exe.exists() else [shutil.which("auteur") or "auteur"]
    env = {**os.environ, "AUTEUR_WORKSPACE": str(tmp_path / "ws"), "AUTEUR_USER_NAME": "Sam"}

    def run(*args):
        return subprocess.run([*cmd, *args], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=60)

    assert run("--help").returncode == 0
    made = run("new", "Night Shift", "--json")
    assert made.returncode == 0, made.stderr
    slug = json.loads(made.stdout)["slug"]
    assert run("import", str(SAMPLE)).returncode == 0
    scenes = run("scenes", "--json")
    assert scenes.returncode == 0 and len(json.loads(scenes.stdout)) == 8
    table = run("scenes")
    assert "INT. MOONLIGHT DINER" in table.stdout or "DINER" in table.stdout
    assert run("approve", "script").returncode == 0
    assert run("branch", "new", "alt-ending").returncode == 0
    hist = run("history", "--json")
    assert [h["action"] for h in json.loads(hist.stdout)] == ["approve", "import", "create"]
    bad = run("approve", "script")
    assert bad.returncode == 1 and "already approved" in bad.stderr and bad.stdout == ""
    log = subprocess.run(["git", "log", "--format=%an|%s"], cwd=tmp_path / "ws" / slug, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert log[0].startswith("Sam|script: approve") and log[1].startswith("Sam|script: import")


def test_edit_in_the_users_editor(cli, monkeypatch):
    cli("new", "Editor")
    cli("import", str(SAMPLE))
    editor = f"{sys.executable} -c \"import sys,pathlib;p=pathlib.Path(sys.argv[1]);p.write_text(p.read_text().replace('DEE', 'DELIA'))\""
    monkeypatch.setenv("EDITOR", editor)
    monkeypatch.delenv("VISUAL", raising=False)
    cli("edit", "script")
    speakers = {c for s in js(cli("scenes", "--json")) for c in s["characters"]}
    assert "DELIA" in speakers and "DEE" not in speakers
    monkeypatch.delenv("EDITOR")
    result = cli("edit", "script", ok=False)
    assert result.exit_code == 1 and "no editor" in result.stderr and "EDITOR" in result.stderr
