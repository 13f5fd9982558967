"""Takes (issue 12, point 8): the branch a take is written onto is checked in the same critical section, under
the project's lock, as the write itself (a switch in between used to put a render onto the branch switched to);
and a take's bytes must be what its name says (`auteur takes --add` took any file named .png). Real Git, the
real store and job executor with the sketch renderer, the real `auteur` command."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest

from memory.project_store import ProjectStore
from memory.takes import Takes
from studio.errors import AuteurError, StageError
from studio.models import Shot, ShotList
from studio.project import Author
from studio.render import SKETCH, RenderKind
from studio.stages import Stage
from tests.cli_helpers import invoke

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"a board"


def git(path: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True).stdout


def files_on(store: ProjectStore, branch: str) -> set[str]:
    return set(git(store.path, "ls-tree", "-r", "--name-only", branch).split())


@pytest.fixture
def store(workspace):
    store = workspace.create("Last Call")
    store.import_script(SCRIPT.name, SCRIPT.read_bytes())
    shots = [Shot(scene=1, number=n, action=f"Vera polishes glass {n}") for n in (1, 2)]
    store.save(Stage.SHOTS, ShotList(shots=shots), author=Author.agent("Cinematographer"), summary="shots")
    store.create_branch("alt", switch=False)
    return store


# ---------------------------------------------------------------- the branch, checked where the take is written

@pytest.mark.parametrize("kind", ["board", "reference"])
def test_a_job_never_writes_onto_a_branch_switched_to_while_it_rendered(store, settings, kind):
    """The job was queued on main; while it renders, someone switches the project to alt (another face, its own
    store, in another thread). The job must not put its image onto alt: it stops with a clear message."""
    from tools.render.backends import Backends, SketchBackend
    from tools.render.execute import execute_job, reference_spec
    from tools.render.plan import plan

    spec = plan(store, RenderKind.BOARD, settings, tier="sketch", shots=[(1, 1)]).specs[0] if kind == "board" \
        else reference_spec(store, "VERA", settings, tier="sketch")
    assert spec.branch == "main"
    other_face = ProjectStore(store.path, store.settings)

    class SwitchedMidRender(SketchBackend):
        def render(self, request, progress, cancelled):
            out = super().render(request, progress, cancelled)
            switch = threading.Thread(target=other_face.switch_branch, args=("alt",))
            switch.start()
            switch.join()  # the switch is done before the job goes on to write: the window, every time
            return out

    before = {b: git(store.path, "rev-parse", b) for b in ("main", "alt")}
    with pytest.raises(StageError) as refused:
        execute_job(settings, spec, lambda f, m="": None, lambda: False, open_project=lambda slug: store,
                    backends=Backends({SKETCH: SwitchedMidRender}))
    assert "'alt'" in refused.value.problem and "'main'" in refused.value.problem
    assert "auteur branch switch main" in refused.value.fix
    assert {b: git(store.path, "rev-parse", b) for b in ("main", "alt")} == before, "no commit on either branch"
    assert git(store.path, "status", "--porcelain", "--untracked-files=all") == "", "no file left behind"


def test_a_take_lands_on_the_branch_it_was_checked_on_while_a_switch_waits(store, monkeypatch):
    """Inside the critical section (the branch checked, the take not yet written) a switch starts in another
    thread: it waits for the lock, so the take lands on main and only then does the project move to alt."""
    other_face = ProjectStore(store.path, store.settings)
    both_in = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def switch() -> None:
        both_in.wait()
        try:
            other_face.switch_branch("alt")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    switcher = threading.Thread(target=switch)
    real_next = Takes.next_number

    def next_number_with_a_switch_racing(self, scene, shot):  # called under the lock, after the branch check
        if not switcher.is_alive():
            switcher.start()
            both_in.wait()
        return real_next(self, scene, shot)

    monkeypatch.setattr(Takes, "next_number", next_number_with_a_switch_racing)
    take = Takes(store).add(1, 1, PNG, ".png", author=store.user(), branch="main")
    switcher.join(60)
    assert not errors, errors
    assert store.git.branch == "alt", "the switch went through once the take was written"
    assert take.path in files_on(store, "main") and take.path not in files_on(store, "alt")


def test_a_take_for_a_branch_switched_away_before_the_lock_is_refused(store, monkeypatch):
    """The switch lands between the caller's idea of the branch and the lock: the check under the lock sees it."""
    other_face = ProjectStore(store.path, store.settings)
    real_check = Takes._check_shot

    def check_then_someone_switches(self, scene, shot):  # runs before the lock is taken
        real_check(self, scene, shot)
        other_face.switch_branch("alt")

    monkeypatch.setattr(Takes, "_check_shot", check_then_someone_switches)
    alt = git(store.path, "rev-parse", "alt")
    with pytest.raises(StageError) as refused:
        Takes(store).add(1, 1, PNG, ".png", author=store.user(), branch="main")
    assert "'alt'" in refused.value.problem and "'main'" in refused.value.problem
    assert git(store.path, "rev-parse", "alt") == alt
    assert git(store.path, "status", "--porcelain", "--untracked-files=all") == ""


# ---------------------------------------------------------------- a take is what its name says

@pytest.mark.parametrize("name,data", [
    ("board.png", b"#!/bin/sh\necho this is not an image\n"),
    ("board.jpg", b"<html><script>alert(1)</script></html>"),
    ("board.webp", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # a PNG is not a WebP
    ("clip.mp4", PNG),
    ("clip.webm", b"PK\x03\x04 a zip file"),
], ids=["script-as-png", "html-as-jpg", "png-as-webp", "png-as-mp4", "zip-as-webm"])
def test_a_file_that_is_not_what_its_name_says_is_refused_as_a_take(workspace_dir, tmp_path, name, data):
    invoke("new", "Frames")
    invoke("import", str(SCRIPT))
    before = git(workspace_dir / "frames", "rev-parse", "HEAD")
    fake = tmp_path / name
    fake.write_bytes(data)
    result = invoke("takes", "1.1", "--add", str(fake), ok=False)
    assert result.exit_code == 1 and name in result.stderr and "is not a" in result.stderr, result.output
    assert str(tmp_path) not in result.output, "no absolute path in the message"
    assert git(workspace_dir / "frames", "rev-parse", "HEAD") == before, "nothing committed"
    assert not (workspace_dir / "frames" / "03_Renders" / "Scene_01").exists(), "no take file written"


def test_real_images_and_videos_are_still_taken(store, tmp_path):
    from PIL import Image

    buf = tmp_path / "b.jpg"
    Image.new("RGB", (8, 8), "red").save(buf, format="JPEG")
    jpg = Takes(store).add(1, 2, buf.read_bytes(), ".JPG", author=store.user(), source="b.jpg")
    mp4 = Takes(store).add(1, 2, b"\x00\x00\x00\x20ftypisom" + b"\x00" * 32, ".mp4", author=store.user())
    assert jpg.path.endswith("_take01.jpg") and mp4.path.endswith("_take02.mp4")
    with pytest.raises(AuteurError):
        Takes(store).add(1, 2, b"", ".png", author=store.user())
