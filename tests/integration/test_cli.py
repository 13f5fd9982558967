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
    assert all(s["eighths"] >= 1 and s["seconds"] == round(s["lines"] * 60 / 55, 1) for s in scenes)

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
    assert edited["status"] == "draft" and edited["stale"] == [], "the breakdown was a draft: it is recomputed"
    assert edited["stages"]["breakdown"] == "draft"
    assert len(js(cli("scenes", "--json"))) == 1
    diff = js(cli("branch", "diff", "main", "--json"))
    rows = {r["stage"]: r for r in diff["stages"]}
    assert diff["a"] == "main" and diff["b"] == "short"
    assert rows["script"]["differs"] and rows["script"]["a"] == "approved" and rows["script"]["b"] == "draft"
    # A later version of the script would be dropped: named, and nothing restored without --yes.
    asked = cli("restore", "script", first[:12], ok=False)
    assert asked.exit_code == 1 and "--yes" in asked.output
    assert len(js(cli("scenes", "--json"))) == 1
    restored = js(cli("restore", "script", first[:12], "--json", "--yes"))
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


def test_review_edge_cases_fail_cleanly(cli, tmp_path, workspace_dir):
    # A title page title that cannot name a folder: the file name is used instead.
    acdc = tmp_path / "acdc_live.fountain"
    acdc.write_text("Title: AC/DC: Live\n\nINT. STAGE - NIGHT\n\nBON (30s) sings.\n")
    made = js(cli("import", str(acdc), "--json"))
    assert made["slug"] == "acdc-live" and made["title"] == "AC/DC: Live"
    # A damaged stage file is named, with the way back.
    (workspace_dir / "acdc-live/03_Renders/boards.json").write_text("{oops")
    bad = cli("show", "boards", ok=False)
    assert bad.exit_code == 1 and "is damaged" in bad.stderr and "restore" in bad.stderr
    (workspace_dir / "acdc-live/03_Renders/boards.json").unlink()
    # --add and --choose together are refused before anything is stored.
    img = tmp_path / "x.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n1234")
    bad = cli("takes", "1.1", "--add", str(img), "--choose", "2", ok=False)
    assert bad.exit_code == 1 and "together" in bad.stderr
    assert js(cli("takes", "1.1", "--json")) == []
    # A branch name that clashes with another is refused with a message, not a Git trace.
    cli("branch", "new", "alt/one", "--no-switch")
    bad = cli("branch", "new", "alt", ok=False)
    assert bad.exit_code == 1 and "clashes" in bad.stderr
    bad = cli("branch", "new", "HEAD", ok=False)
    assert bad.exit_code == 1 and "not a usable branch name" in bad.stderr
    # A breakdown that does not match the script is refused.
    bd = tmp_path / "bd.json"
    bd.write_text(json.dumps({"scenes": []}))
    bad = cli("edit", "breakdown", str(bd), ok=False)
    assert bad.exit_code == 1 and "do not match the script" in bad.stderr


def test_branch_new_on_a_dirty_tree_leaves_no_branch(cli, workspace_dir):
    cli("new", "Dirty")
    cli("import", str(SAMPLE))
    (workspace_dir / "dirty/02_Source_Creative/brief.json").write_text("{}")
    bad = cli("branch", "new", "b2", ok=False)
    assert bad.exit_code == 1 and "not in its history" in bad.stderr
    assert [b["name"] for b in js(cli("branch", "list", "--json"))] == ["main"]


def test_unwritable_workspace_is_named(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("AUTEUR_WORKSPACE", str(blocker / "ws"))
    result = CliRunner().invoke(app, ["new", "X"])
    assert result.exit_code == 1 and "cannot use the workspace" in result.stderr and "AUTEUR_WORKSPACE" in result.stderr


def test_project_folder_is_not_private(cli, workspace_dir):
    old = os.umask(0o022)
    try:
        cli("new", "Shared")
    finally:
        os.umask(old)
    assert (workspace_dir / "shared").stat().st_mode & 0o777 == 0o755
