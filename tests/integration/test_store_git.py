"""The project store on real Git and git-lfs."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
from pathlib import Path

import pytest

from memory.git_repo import Author
from memory.project_store import ProjectStore
from memory.takes import Takes
from studio.errors import AuteurError, InvalidName, NotAScreenplay, ProjectBusy, RevisionNotFound, StageError
from studio.models import Look, StyleCapsule
from studio.shot_codes import parse_shot
from studio.stages import Stage, StageStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"fake image data"
SCRIPT_A = b"""Title: Two Doors

INT. HALL - NIGHT

ANNA (30s) stands between two doors.

ANNA
Left or right?

EXT. GARDEN - DAY

BEN (40s) waits.

BEN
You came.
"""


def git(path: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True).stdout


def test_new_project_has_the_layout_and_one_commit(workspace):
    store = workspace.create("The Last Train")
    assert store.path == workspace.root / "the-last-train"
    for folder in ("01_Assets/Characters", "02_Source_Creative/Scripts", "03_Renders", "04_Project_Files",
                   "05_Cache", "06_Exports"):
        assert (store.path / folder).is_dir(), folder
    manifest = json.loads((store.path / "project.json").read_text())
    assert manifest["slug"] == "the-last-train" and manifest["title"] == "The Last Train"
    assert set(manifest["stages"]) == {s.value for s in Stage}
    assert git(store.path, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(store.path, "status", "--porcelain") == ""
    assert "05_Cache/" in (store.path / ".gitignore").read_text()
    assert not [p for p in workspace.root.iterdir() if p.name.startswith(".new-")], "no temporary folder left"


def test_duplicate_and_bad_titles_leave_nothing_behind(workspace):
    workspace.create("Night Shift")
    with pytest.raises(InvalidName, match="already exists"):
        workspace.create("Night Shift")
    with pytest.raises(InvalidName):
        workspace.create("../escape")
    assert sorted(p.name for p in workspace.root.iterdir() if not p.name.startswith(".auteur")) == ["night-shift"]
    assert not (workspace.root.parent / "escape").exists()


def test_import_fills_brief_script_and_breakdown(imported):
    m = imported.manifest()
    assert m.status(Stage.BRIEF) is StageStatus.DRAFT
    assert m.status(Stage.SCRIPT) is StageStatus.DRAFT
    assert m.status(Stage.BREAKDOWN) is StageStatus.DRAFT
    brief = imported.read(Stage.BRIEF)
    assert brief.title == "Night Shift" and brief.imported_from == "night_shift.fountain"
    bd = imported.breakdown()
    assert len(bd.scenes) >= 5
    head = imported.history()[0]
    assert head.author == "Dana Director"
    assert head.trailers["Auteur-Action"] == "import"
    assert set(head.trailers["Auteur-Stages"].split(", ")) == {"brief", "script", "breakdown"}


def test_approve_commits_with_stage_and_author(imported):
    change, pending = imported.approve(Stage.SCRIPT)
    assert pending == [Stage.BRIEF]
    assert imported.manifest().status(Stage.SCRIPT) is StageStatus.APPROVED
    log = git(imported.path, "log", "-1", "--format=%an|%s")
    assert log.strip().startswith("Dana Director|script: approve")
    with pytest.raises(StageError, match="already approved"):
        imported.approve(Stage.SCRIPT)
    with pytest.raises(StageError, match="empty"):
        imported.approve(Stage.SHOTS)
    assert git(imported.path, "rev-list", "--count", "HEAD").strip() == "3", "refusals commit nothing"


def test_agent_authored_save_and_cascade(imported):
    imported.approve(Stage.SCRIPT)
    imported.approve(Stage.BREAKDOWN)
    producer = Author.agent("Art Director")
    imported.save(Stage.LOOK, Look(style=StyleCapsule(medium="charcoal")), author=producer, summary="first look")
    assert git(imported.path, "log", "-1", "--format=%an <%ae>").strip() == "Art Director <art-director@auteur.local>"
    imported.approve(Stage.LOOK)
    change = imported.edit(Stage.SCRIPT, SCRIPT_A, name="two_doors.fountain")
    m = imported.manifest()
    assert m.status(Stage.SCRIPT) is StageStatus.DRAFT
    assert m.status(Stage.BREAKDOWN) is StageStatus.STALE
    assert m.status(Stage.LOOK) is StageStatus.STALE
    assert m.status(Stage.SHOTS) is StageStatus.EMPTY
    assert change.made_stale == [Stage.BREAKDOWN, Stage.LOOK]
    assert [s.heading for s in imported.breakdown().scenes] == ["INT. HALL - NIGHT", "EXT. GARDEN - DAY"]


def test_invalid_edit_is_refused_and_changes_nothing(imported):
    before = git(imported.path, "rev-parse", "HEAD")
    with pytest.raises(AuteurError, match="not a valid look"):
        imported.edit(Stage.LOOK, b'{"characters": [{"nom": "x"}]}', name="look.json")
    with pytest.raises(AuteurError, match="not valid JSON"):
        imported.edit(Stage.LOOK, b"{oops", name="look.json")
    with pytest.raises(NotAScreenplay):
        imported.edit(Stage.SCRIPT, b"just some notes, no scenes at all\n", name="notes.txt")
    assert git(imported.path, "rev-parse", "HEAD") == before
    assert git(imported.path, "status", "--porcelain") == ""


def test_failed_commit_puts_files_back(imported, monkeypatch):
    script = imported.path / "02_Source_Creative/Scripts/script.fountain"
    original = script.read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imported.git, "commit", boom)
    with pytest.raises(RuntimeError):
        imported.edit(Stage.SCRIPT, SCRIPT_A, name="two_doors.fountain")
    assert script.read_bytes() == original
    assert imported.manifest().status(Stage.SCRIPT) is StageStatus.DRAFT
    assert git(imported.path, "status", "--porcelain") == ""


def test_history_per_stage_and_restore_as_new_commit(imported):
    first = imported.history(Stage.SCRIPT)[0].commit
    imported.approve(Stage.SCRIPT)
    imported.edit(Stage.SCRIPT, SCRIPT_A, name="two_doors.fountain")
    assert len(imported.breakdown().scenes) == 2
    count = int(git(imported.path, "rev-list", "--count", "HEAD"))
    change = imported.restore(Stage.SCRIPT, first[:8])
    assert int(git(imported.path, "rev-list", "--count", "HEAD")) == count + 1, "restore adds a commit"
    assert change.commit and git(imported.path, "merge-base", "--is-ancestor", first, "HEAD") == ""
    restored = (imported.path / "02_Source_Creative/Scripts/script.fountain").read_text()
    assert restored == git(imported.path, "show", f"{first}:02_Source_Creative/Scripts/script.fountain")
    assert len(imported.breakdown().scenes) > 2, "the breakdown follows the restored script"
    assert imported.manifest().status(Stage.SCRIPT) is StageStatus.DRAFT
    actions = [e.trailers.get("Auteur-Action") for e in imported.history(Stage.SCRIPT)]
    assert actions[:4] == ["restore", "edit", "approve", "import"]
    assert all("brief" not in e.trailers.get("Auteur-Stages", "") or e.trailers["Auteur-Action"] == "import"
               for e in imported.history(Stage.BRIEF))
    with pytest.raises(RevisionNotFound, match="no revision"):
        imported.restore(Stage.SCRIPT, "deadbeefcafe")
    with pytest.raises(RevisionNotFound, match="no content"):
        imported.restore(Stage.LOOK, first)


def test_branches_create_switch_list_compare(imported):
    imported.approve(Stage.SCRIPT)
    imported.create_branch("alt-ending")
    assert imported.git.branch == "alt-ending"
    imported.edit(Stage.SCRIPT, SCRIPT_A, name="two_doors.fountain")
    assert sorted(imported.git.branches()) == ["alt-ending", "main"]
    rows = {r["stage"]: r for r in imported.compare_branches("main", "alt-ending")}
    assert rows["script"]["differs"] and rows["script"]["a"] == "approved"
    assert rows["script"]["b"] == "draft"
    assert rows["breakdown"]["differs"]
    assert not rows["look"]["differs"]
    imported.switch_branch("main")
    assert len(imported.breakdown().scenes) > 2, "main keeps its own script"
    assert imported.manifest().status(Stage.SCRIPT) is StageStatus.APPROVED
    with pytest.raises(InvalidName, match="already exists"):
        imported.create_branch("alt-ending")
    with pytest.raises(InvalidName, match="no branch"):
        imported.switch_branch("nowhere")
    with pytest.raises(InvalidName, match="not a usable branch"):
        imported.create_branch("bad name..")


def test_switch_refuses_to_lose_hand_edits(imported):
    imported.create_branch("b", switch=False)
    script = imported.path / "02_Source_Creative/Scripts/script.fountain"
    script.write_text(script.read_text() + "\nEXT. NEW - DAY\n")
    with pytest.raises(AuteurError, match="not in its history"):
        imported.switch_branch("b")
    assert "EXT. NEW - DAY" in script.read_text()


@pytest.mark.skipif(shutil.which("git-lfs") is None, reason="git-lfs is not installed on this machine")
def test_takes_go_through_lfs_and_are_never_overwritten(imported):
    takes = Takes(imported)
    author = Author.agent("Cinematographer")
    t1 = takes.add(1, 3, PNG, ".png", author=author, seed=42, model="sketch", prompt="a diner at night")
    t2 = takes.add(1, 3, PNG + b"2", ".png", author=author, seed=43, model="sketch")
    assert t1.path == "03_Renders/Scene_01/Shot_003/S01_SH003_take01.png"
    assert t2.path.endswith("S01_SH003_take02.png")
    listed = takes.list(1, 3)
    assert [(t.number, t.active) for t in listed] == [(1, True), (2, False)], "the first take is active"
    assert listed[0].seed == 42 and listed[0].prompt == "a diner at night"
    sidecar = json.loads((imported.path / "03_Renders/Scene_01/Shot_003/S01_SH003_take01.json").read_text())
    assert sidecar["seed"] == 42 and sidecar["model"] == "sketch"
    pointer = git(imported.path, "cat-file", "-p", f"HEAD:{t2.path}")
    assert pointer.startswith("version https://git-lfs.github.com/spec/v1"), pointer[:80]
    assert "oid sha256:" in pointer
    assert (imported.path / t1.path).read_bytes() == PNG, "the working file is the real image"
    takes.choose(1, 3, 2, author=imported.user())
    assert [t.active for t in takes.list(1, 3)] == [False, True]
    assert imported.manifest().status(Stage.BOARDS) is StageStatus.DRAFT
    with pytest.raises(StageError, match="no take 7"):
        takes.choose(1, 3, 7, author=imported.user())
    # A file squatting on the next name is never overwritten: the take gets the number after it.
    squat = imported.path / "03_Renders/Scene_01/Shot_003/S01_SH003_take03.png"
    squat.write_bytes(b"someone else's file")
    t4 = takes.add(1, 3, PNG, ".png", author=author)
    assert t4.number == 4 and squat.read_bytes() == b"someone else's file"


def test_take_for_missing_scene_is_refused(imported):
    with pytest.raises(StageError, match="does not exist"):
        Takes(imported).add(99, 1, PNG, ".png", author=imported.user())
    with pytest.raises(AuteurError, match="cannot be a .txt"):
        Takes(imported).add(1, 1, b"x", ".txt", author=imported.user())


@pytest.mark.parametrize("text,expected", [("S01_SH003", (1, 3)), ("1.3", (1, 3)), ("12/4", (12, 4)),
                                           ("scene 2 shot 5", (2, 5))])
def test_shot_names(text, expected):
    assert parse_shot(text) == expected


def _approve_in_process(path: str, stage: str, workspace: str, out) -> None:
    import os

    os.environ["AUTEUR_WORKSPACE"] = workspace
    from config.settings import Settings

    store = ProjectStore(Path(path), Settings.from_env())
    try:
        store.approve(Stage(stage))
        out.put("ok")
    except Exception as exc:  # reported to the parent
        out.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_committing_at_once(imported, workspace_dir):
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_approve_in_process, args=(str(imported.path), s, str(workspace_dir), out))
             for s in ("script", "breakdown", "brief")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    results = sorted(out.get(timeout=5) for _ in procs)
    assert results == ["ok", "ok", "ok"], results
    m = imported.manifest()
    assert {m.status(s) for s in (Stage.SCRIPT, Stage.BREAKDOWN, Stage.BRIEF)} == {StageStatus.APPROVED}, \
        "no approval lost to a race"
    subprocess.run(["git", "fsck", "--strict"], cwd=imported.path, check=True, capture_output=True)
    assert git(imported.path, "status", "--porcelain") == ""
    assert git(imported.path, "rev-list", "--count", "HEAD").strip() == "5"


def test_a_held_lock_gives_a_clear_message(imported, monkeypatch):
    from config.settings import Settings

    lock = open(imported.path / ".git" / "auteur.lock", "a+")
    holder = subprocess.Popen(["python3", "-c", "import fcntl,sys,time;f=open(sys.argv[1],'a+');"
                               "fcntl.flock(f,fcntl.LOCK_EX);f.seek(0);f.truncate();f.write('4242');f.flush();"
                               "print('held',flush=True);time.sleep(30)", lock.name], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"held"
        monkeypatch.setenv("AUTEUR_LOCK_TIMEOUT", "0.3")
        store = ProjectStore(imported.path, Settings.from_env())
        with pytest.raises(ProjectBusy) as exc:
            store.approve(Stage.SCRIPT)
        assert "4242" in exc.value.problem and "AUTEUR_LOCK_TIMEOUT" in exc.value.fix
        assert store.manifest().status(Stage.SCRIPT) is StageStatus.DRAFT
    finally:
        holder.kill()
        holder.wait()
        lock.close()
    store.approve(Stage.SCRIPT)


def test_missing_project_names_the_ones_there(workspace):
    workspace.create("Alpha")
    from studio.errors import ProjectNotFound

    with pytest.raises(ProjectNotFound) as exc:
        workspace.open("beta")
    assert "alpha" in exc.value.fix
    assert workspace.open().slug == "alpha", "the project used last is the default"


def test_without_git_lfs_media_is_stored_plainly_with_one_warning(workspace, monkeypatch, caplog, night_shift_bytes):
    import memory.git_repo as git_repo

    monkeypatch.setattr(git_repo, "lfs_available", lambda: False)
    with caplog.at_level("WARNING", logger="auteur"):
        store = workspace.create("No LFS")
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "git-lfs is not installed" in warnings[0].getMessage()
    assert "\n" not in warnings[0].getMessage()
    assert not (store.path / ".gitattributes").exists()
    store.import_script("night_shift.fountain", night_shift_bytes)
    take = Takes(store).add(1, 1, PNG, ".png", author=store.user())
    blob = subprocess.run(["git", "cat-file", "-p", f"HEAD:{take.path}"], cwd=store.path, capture_output=True,
                          check=True).stdout
    assert blob == PNG, "without git-lfs the image itself is in Git"


def test_a_locked_git_index_leaves_the_project_as_it_was(imported):
    before = (imported.path / "project.json").read_bytes()
    lock = imported.path / ".git" / "index.lock"
    lock.write_text("")
    try:
        with pytest.raises(ProjectBusy, match="index"):
            imported.approve(Stage.SCRIPT)
        with pytest.raises(ProjectBusy):
            imported.edit(Stage.SCRIPT, SCRIPT_A, name="two_doors.fountain")
    finally:
        lock.unlink()
    assert (imported.path / "project.json").read_bytes() == before
    assert git(imported.path, "status", "--porcelain") == ""
    imported.approve(Stage.SCRIPT)
    assert imported.manifest().status(Stage.SCRIPT) is StageStatus.APPROVED


def test_an_unchanged_edit_changes_nothing(imported):
    imported.approve(Stage.SCRIPT)
    imported.approve(Stage.BREAKDOWN)
    head = git(imported.path, "rev-parse", "HEAD")
    same = (imported.path / "02_Source_Creative/Scripts/script.fountain").read_bytes()
    change = imported.edit(Stage.SCRIPT, same, name="same.fountain")
    assert change.commit is None and change.made_stale == []
    change = imported.restore(Stage.SCRIPT, "HEAD")
    assert change.commit is None
    brief = (imported.path / "02_Source_Creative/brief.json").read_bytes()
    assert imported.edit(Stage.BRIEF, brief, name="brief.json").commit is None
    assert git(imported.path, "rev-parse", "HEAD") == head
    m = imported.manifest()
    assert m.status(Stage.SCRIPT) is StageStatus.APPROVED and m.status(Stage.BREAKDOWN) is StageStatus.APPROVED
