"""Archives (issue 12, point 2): a project archive made by the real export code, then tampered with as an
attacker would: symbolic links or submodules in the Git history, a manifest whose branch is an option for git,
refs in the bundle that git would read as options or that are not valid names. Restore refuses each with a
clear message; nothing outside the workspace is touched, no project folder (nor a half-restored one) is left,
and the message shows no absolute path. Real Git, real git-lfs, the real `auteur restore-archive`."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from memory.archive import BUNDLE_NAME, MANIFEST_NAME, create_archive
from memory.takes import Takes
from tests.cli_helpers import invoke

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"archived board"
SCRIPT = b"Title: Two Doors\n\nINT. HALL - NIGHT\n\nANNA waits.\n\nANNA\nLeft or right?\n\n"
SECRET = "TOP-SECRET-LINE-4711"
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Mallory", "GIT_AUTHOR_EMAIL": "m@evil.test",
           "GIT_COMMITTER_NAME": "Mallory", "GIT_COMMITTER_EMAIL": "m@evil.test", "GIT_LFS_SKIP_SMUDGE": "1"}


def git(path: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True, env=GIT_ENV).stdout


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every path under ``root`` (links not followed) with its content or link target."""
    if not root.exists():
        return {}
    out: dict[str, bytes | str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = ("->" + os.readlink(p)) if p.is_symlink() else p.read_bytes() if p.is_file() else "dir"
    return out


@pytest.fixture
def made(workspace, tmp_path):
    """A real project with a take and a second branch, exported by the real archive code; and a folder outside
    the workspace, with a secret, that no restore may touch."""
    store = workspace.create("Two Doors")
    store.import_script("two.fountain", SCRIPT)
    Takes(store).add(1, 1, PNG, ".png", author=store.user())
    store.create_branch("alt", switch=False)
    archive = create_archive(store, tmp_path / "two-doors.zip")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\nsecond line\n")
    return archive, outside


def tamper(archive: Path, out: Path, *, edit: Callable[[Path], None] | None = None,
           manifest: dict | None = None, bundle: Callable[[bytes], bytes] | None = None) -> Path:
    """A copy of ``archive`` whose history was changed by ``edit`` (run in a clone holding every branch),
    whose manifest was updated with ``manifest``, or whose bundle bytes went through ``bundle``."""
    with zipfile.ZipFile(archive) as z:
        members = [(info, z.read(info.filename)) for info in z.infolist()]
    files = {info.filename: data for info, data in members}
    if edit is not None:
        work_root = out.parent / (out.stem + "-work")
        work_root.mkdir()
        (work_root / "in.bundle").write_bytes(files[BUNDLE_NAME])
        work = work_root / "repo"
        git(work_root, "clone", "--quiet", str(work_root / "in.bundle"), str(work))
        current = git(work, "branch", "--show-current").strip()
        for ref in git(work, "for-each-ref", "--format=%(refname:strip=3)", "refs/remotes/origin").split():
            if ref not in ("HEAD", current):
                git(work, "branch", "--quiet", ref, f"origin/{ref}")
        git(work, "remote", "remove", "origin")
        edit(work)
        git(work, "bundle", "create", "--quiet", str(work_root / "out.bundle"), "--all")
        files[BUNDLE_NAME] = (work_root / "out.bundle").read_bytes()
    if manifest is not None:
        files[MANIFEST_NAME] = json.dumps({**json.loads(files[MANIFEST_NAME]), **manifest}).encode()
    if bundle is not None:
        files[BUNDLE_NAME] = bundle(files[BUNDLE_NAME])
    with zipfile.ZipFile(out, "w") as z:
        for info, _ in members:
            z.writestr(info, files[info.filename])
    return out


def refused(archive: Path, workspace_dir: Path, outside: Path, tmp_path: Path, words: tuple[str, ...],
            slug: str = "copy") -> str:
    """Restore ``archive`` through the CLI; it must fail with ``words`` and leave everything as it was."""
    before_ws, before_out = snapshot(workspace_dir), snapshot(outside)
    result = invoke("restore-archive", str(archive), "--slug", slug, ok=False)
    message = result.stderr
    assert result.exit_code == 1, (result.output, result.exception)
    for word in words:
        assert word in message, message
    assert str(tmp_path) not in message and str(workspace_dir) not in message, "no absolute path in the message"
    assert SECRET not in result.output and "root:" not in result.output, "no line of a file outside the workspace"
    assert snapshot(workspace_dir) == before_ws, "the workspace is unchanged: no project, no half-restored folder"
    assert not (workspace_dir / slug).exists()
    assert snapshot(outside) == before_out, "nothing outside the workspace was touched"
    return message


# ---------------------------------------------------------------- symbolic links and submodules in history

def link_then_unlink(target: str, where: str = "03_Renders/Scene_09") -> Callable[[Path], None]:
    """A commit adding a link at ``where`` to ``target``, and a later commit removing it: the link is only in
    history, where a switch or a restore of that commit would bring it back."""
    def edit(work: Path) -> None:
        link = work / where
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, link)
        git(work, "add", "--", where)
        git(work, "commit", "--quiet", "--no-verify", "-m", "looks harmless")
        git(work, "rm", "--quiet", "--cached", "--", where)
        link.unlink()
        git(work, "commit", "--quiet", "--no-verify", "-m", "cleanup")
    return edit


def link_kept(target: str, where: str) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        (work / where).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, work / where)
        git(work, "add", "--", where)
        git(work, "commit", "--quiet", "--no-verify", "-m", "renders folder")
    return edit


def on_branch(branch: str, edit: Callable[[Path], None]) -> Callable[[Path], None]:
    def run(work: Path) -> None:
        current = git(work, "branch", "--show-current").strip()
        git(work, "checkout", "--quiet", branch)
        edit(work)
        git(work, "checkout", "--quiet", current)
    return run


def submodule(work: Path) -> None:
    head = git(work, "rev-parse", "HEAD").strip()
    git(work, "update-index", "--add", "--cacheinfo", f"160000,{head},01_Assets/vendor")
    git(work, "commit", "--quiet", "--no-verify", "-m", "vendor")


@pytest.mark.parametrize("case", ["history-to-outside", "history-to-dotdot", "head-to-outside", "nested-in-history",
                                  "other-branch", "submodule"])
def test_links_and_submodules_anywhere_in_history_are_refused(made, tmp_path, workspace_dir, case):
    archive, outside = made
    edits = {
        "history-to-outside": link_then_unlink(str(outside)),
        "history-to-dotdot": link_then_unlink(".."),
        "head-to-outside": link_kept(str(outside), "03_Renders/Scene_02"),
        "nested-in-history": link_then_unlink("../../../../..", "01_Assets/Characters/ANNA/deep/ref_09.png"),
        "other-branch": on_branch("alt", link_kept("/etc", "03_Renders/Scene_03")),
        "submodule": submodule,
    }
    bad = tamper(archive, tmp_path / "bad.zip", edit=edits[case])
    words = ("submodule",) if case == "submodule" else ("symbolic link",)
    message = refused(bad, workspace_dir, outside, tmp_path, words + ("export archive",))
    assert "03_Renders/Scene_0" in message or "01_Assets/" in message, "the message names the path in the archive"


def pointer_file(name: str, text: str) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        (work / name).write_text(text)
        git(work, "add", "--", name)
        git(work, "commit", "--quiet", "--no-verify", "-m", "settings")
    return edit


@pytest.mark.parametrize("name", [".lfsconfig", ".gitmodules", "03_Renders/.LFSCONFIG"])
def test_files_that_point_git_at_another_server_are_refused(made, tmp_path, workspace_dir, name):
    """A `.lfsconfig` on any branch made a later switch ask the address it names for the renders (a request
    out of the server, to wherever the archive says)."""
    archive, outside = made
    text = "[lfs]\n\turl = http://127.0.0.1:9/evil.git/info/lfs\n" if "lfs" in name.lower() else \
        '[submodule "x"]\n\tpath = x\n\turl = http://127.0.0.1:9/x.git\n'
    bad = tamper(archive, tmp_path / "bad.zip", edit=on_branch("alt", pointer_file(name, text)))
    message = refused(bad, workspace_dir, outside, tmp_path, ("another server", "export archive"))
    assert name in message


# ---------------------------------------------------------------- names git would read as options

@pytest.mark.parametrize("branch", ["--pathspec-from-file={secret}", "--pathspec-from-file=/etc/passwd", "-x",
                                    "a..b", "@{-1}", "alt@{0}", "HEAD", "", "main\nx", "../main", "-"])
def test_a_manifest_branch_that_is_not_a_branch_name_is_refused(made, tmp_path, workspace_dir, branch):
    archive, outside = made
    branch = branch.replace("{secret}", str(outside / "secret.txt"))
    bad = tamper(archive, tmp_path / "bad.zip", manifest={"branch": branch})
    if branch == "":  # no branch at all means the default one, which this archive has
        invoke("restore-archive", str(bad), "--slug", "copy")
        assert git(workspace_dir / "copy", "branch", "--show-current").strip() == "main"
        return
    refused(bad, workspace_dir, outside, tmp_path, ("branch", "not a valid"))


def test_a_manifest_branch_the_history_does_not_hold_is_refused(made, tmp_path, workspace_dir):
    archive, outside = made
    bad = tamper(archive, tmp_path / "bad.zip", manifest={"branch": "nowhere"})
    refused(bad, workspace_dir, outside, tmp_path, ("nowhere", "branch"))


@pytest.mark.parametrize("ref", ["refs/heads/-x", "refs/heads/--pathspec-from-file={secret}",
                                 "refs/heads/--upload-pack=touch", "refs/tags/-f"])
def test_bundle_refs_git_would_read_as_options_are_refused(made, tmp_path, workspace_dir, ref):
    archive, outside = made
    ref = ref.replace("{secret}", str(outside / "secret.txt"))
    bad = tamper(archive, tmp_path / "bad.zip", edit=lambda work: git(work, "update-ref", ref, "HEAD"))
    refused(bad, workspace_dir, outside, tmp_path, ("not a valid", "ref"))


@pytest.mark.parametrize("name", [b"refs/heads/a..b", b"refs/heads/x@{1}", b"refs/heads/sp ace", b"refs/heads/.h"])
def test_a_bundle_with_a_bad_ref_name_is_refused(made, tmp_path, workspace_dir, name):
    archive, outside = made

    def rename(data: bytes) -> bytes:  # the bundle's header lists its refs as text, before the pack
        header, sep, pack = data.partition(b"\n\n")
        assert b"refs/heads/alt\n" in header + b"\n"
        return (header + b"\n").replace(b"refs/heads/alt\n", name + b"\n")[:-1] + sep + pack

    bad = tamper(archive, tmp_path / "bad.zip", bundle=rename)
    refused(bad, workspace_dir, outside, tmp_path, ("not a valid", "ref"))


def test_media_may_only_go_into_the_media_folders(made, tmp_path, workspace_dir):
    """A media entry naming .git/config would rewrite the new repository's configuration (core.fsmonitor runs
    a command on the next `git status`)."""
    archive, outside = made
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("media/.git/config", f"[core]\n\tfsmonitor = touch {outside}/pwned\n")
    refused(bad, workspace_dir, outside, tmp_path, ("media",))


# ---------------------------------------------------------------- what must keep working

def test_an_untampered_archive_restores_with_every_branch(workspace, made, tmp_path, workspace_dir):
    archive, _ = made
    store = workspace.open("two-doors")
    store.create_branch("cut/two", switch=True)
    again = create_archive(store, tmp_path / "again.zip")
    result = invoke("restore-archive", str(again), "--slug", "copy")
    assert result.exit_code == 0
    copy = workspace_dir / "copy"
    assert git(copy, "branch", "--show-current").strip() == "cut/two"
    assert sorted(git(copy, "branch", "--format=%(refname:short)").split()) == ["alt", "cut/two", "main"]
    assert (copy / "03_Renders/Scene_01/Shot_001/S01_SH001_take01.png").read_bytes() == PNG
    assert git(copy, "status", "--porcelain") == ""
    assert git(copy, "log", "--all", "--format=%H") == git(store.path, "log", "--all", "--format=%H")
