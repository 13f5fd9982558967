"""Names that become paths (issue 12, point 1): a character cue, a location, an upload's name or a subject
typed in the chat never makes a folder outside the project, every write stays inside it, and no message
shows an absolute server path. Against the real parts: a real workspace on disk, real Git, the real
engine with its local job runner and the sketch renderer."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from studio.errors import AuteurError, InvalidName
from studio.names import MAX_BYTES, RESERVED, folder_name, inside

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"fake image data"
LONG = "M" * 300
# Cues the Fountain parser accepts as characters (`@` forces a character name).
CUES = ["../../../../TMP/PWN", "A/../../../../../TMP/PWN2", "@..", "@.", "@/TMP/ABS", "CON", "ZOË",
        "O'BRIEN", "A/B", LONG, "ＦＵＬＬ／ＷＩＤＴＨ", "C:\\WIN", "\u202eRTL", "@~", "COM1", "NUL", "MARA"]


def screenplay(cues: list[str]) -> bytes:
    body = "Title: Names\n\nINT. HALL - NIGHT\n\nSomeone waits.\n\n" + "".join(f"{c}\nHello.\n\n" for c in cues)
    body += "EXT. 東京 - DAY\n\nRain.\n\n"
    return body.encode("utf-8")


def tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}


def git(path: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------- the one function, as a pure function

def test_folder_name_keeps_normal_names_and_tames_the_rest():
    assert folder_name("MARA") == "MARA"
    assert folder_name("OLD MAN") == "OLD MAN"
    assert folder_name("MARY-JANE") == "MARY-JANE"
    assert folder_name("ZOË") == "ZOË"
    assert folder_name("東京") == "東京"
    assert folder_name("hall") == "hall"
    assert folder_name("O'BRIEN") == "OBRIEN"
    assert folder_name("../../../../TMP/PWN") == "TMP PWN"
    assert folder_name("A/B") == "A B"
    assert folder_name("ＦＵＬＬ／ＷＩＤＴＨ") == "FULL WIDTH"
    assert folder_name("CON") != "CON" and folder_name("com1").lower() not in RESERVED
    assert folder_name("CON.txt") != "CON"
    for nothing in ("..", ".", "/", "", "   ", "\x00", "'", "../..", "\\\\"):
        with pytest.raises(InvalidName) as caught:
            folder_name(nothing, what="character")
        assert "character" in caught.value.problem and caught.value.fix
    long = folder_name(LONG)
    assert len(long.encode()) <= MAX_BYTES and long.startswith("MMMM")
    assert folder_name(LONG) != folder_name(LONG[:-1] + "N"), "two long names do not share a folder"


@hsettings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400) | st.text(alphabet="./\\\x00 _-AÉé:~'\u0301\u202e", max_size=40))
def test_folder_name_is_always_one_safe_component(name):
    try:
        out = folder_name(name)
    except InvalidName:
        return
    assert out and out not in (".", "..")
    assert not any(ch in out for ch in "/\\\x00:")
    assert not out.startswith((".", "-", " ")) and not out.endswith((".", " "))
    assert all(ch.isprintable() for ch in out)
    assert out.split(".")[0].strip().lower() not in RESERVED
    assert len(out.encode("utf-8")) <= MAX_BYTES
    assert folder_name(out) == out, "idempotent"
    assert Path("/project", out).parent == Path("/project")


def test_inside_normalises_and_refuses_escapes():
    assert inside("01_Assets/Characters/MARA/ref_01.png") == "01_Assets/Characters/MARA/ref_01.png"
    assert inside("a/./b//c") == "a/b/c"
    assert inside("a/x/../b") == "a/b"
    for bad in ("/etc/passwd", "../x", "a/../../x", "..", "C:/x", "\\\\server\\x", "a\x00b", "a\\..\\..\\x"):
        with pytest.raises(AuteurError):
            inside(bad)


@given(st.lists(st.sampled_from(["a", "b", ".", "..", "", "c d"]), max_size=8).map("/".join))
def test_inside_never_leaves(rel):
    try:
        out = inside(rel)
    except AuteurError:
        return
    assert ".." not in out.split("/") and not out.startswith("/")
    assert (Path("/p") / out).resolve().is_relative_to(Path("/p"))


def test_errors_never_show_absolute_paths():
    exc = AuteurError("cannot use the workspace /srv/auteur/users/ann: Permission denied",
                      "set AUTEUR_WORKSPACE (now /home/ann/Auteur/) to a folder you can write to")
    for text in (str(exc), exc.problem, exc.fix, str(exc.to_dict()), str(exc.args)):
        assert "/srv" not in text and "/home" not in text
    assert "ann" in exc.problem and "Auteur" in exc.fix, "the last component still names it"
    kept = AuteurError("03_Renders/Scene_01/Shot_001 of AC/DC is missing", "try /reference MARA or /new TITLE")
    assert kept.problem == "03_Renders/Scene_01/Shot_001 of AC/DC is missing"
    assert kept.fix == "try /reference MARA or /new TITLE"


# ---------------------------------------------------------------- through the real engine and store

@pytest.fixture
def studio(workspace_dir, settings, tmp_path):
    """A session of the real engine (local jobs, sketch renderer) on a project with the hostile cues."""
    from config.container import Container
    from studio.engine.events import Turn

    workspace_dir.mkdir(parents=True, exist_ok=True)
    session = Container(settings).session()
    events = list(session.handle(Turn(upload=("names.fountain", screenplay(CUES)))))
    assert session.store is not None, [e.text for e in events]
    return session, tree(tmp_path)


def test_references_of_hostile_characters_stay_in_their_folder(studio, tmp_path, workspace_dir):
    from studio.engine.events import Turn

    session, before = studio
    store = session.store
    characters = store.breakdown().characters
    assert "../../../../TMP/PWN" in characters and "/TMP/ABS" in characters and ".." in characters
    texts: list[str] = []
    for cue in characters:
        texts += [e.text + repr(e.data) for e in session.handle(Turn(upload=(f"{cue}.png", PNG)))
                  if e.kind == "error"]
    for subject in ("../../../../TMP/PWN", "/TMP/ABS", "东京".replace("东", "東"), ".."):
        texts += [e.text + repr(e.data) for e in session.handle(Turn(text=f"/reference {subject}"))
                  if e.kind == "error"]
    created = tree(tmp_path) - before
    outside = sorted(str(p) for p in created if not p.is_relative_to(workspace_dir))
    assert not outside, f"written outside the workspace: {outside}"
    assert not (tmp_path / "TMP").exists() and not Path("/TMP").exists()
    others = [p for p in created if p.is_relative_to(workspace_dir) and not p.is_relative_to(store.path)
              and ".auteur" not in p.relative_to(workspace_dir).parts]
    assert not others, f"written into the workspace but outside the project: {others}"
    assets = [p.relative_to(store.path) for p in created
              if p.is_relative_to(store.path / "01_Assets") and p.is_file()]
    assert assets, "the references were saved"
    for rel in assets:
        kind = rel.parts[1]
        assert kind in ("Characters", "Locations") and len(rel.parts) == 4, rel
        assert rel.parts[2] not in ("", ".", "..") and rel.parts[3].startswith("ref_"), rel
    folders = {rel.parts[2] for rel in assets if rel.parts[1] == "Characters"}
    assert {"TMP PWN", "TMP ABS", "CON_", "ZOË", "OBRIEN", "A B", "MARA"} <= folders, folders
    assert any(rel.parts[1] == "Locations" and rel.parts[2] == "東京" for rel in assets)
    for text in texts:
        assert str(tmp_path) not in text and "/tmp/" not in text, text
    assert any("'..'" in t or "no letters" in t for t in texts), texts
    assert git(store.path, "status", "--porcelain") == "", "every saved reference is committed"


def test_the_render_finds_the_uploaded_reference_and_nothing_outside(studio, tmp_path):
    """The folder a shot's renders look in is the one the reference went to, and a folder planted
    outside the project under the hostile name is never read."""
    from studio.engine.events import Turn
    from studio.models import Shot
    from studio.render import RenderKind, RenderRequest
    from tools.render.execute import _add_character_looks

    session, _ = studio
    store = session.store
    planted = tmp_path / "TMP" / "PWN"
    planted.mkdir(parents=True)
    (planted / "ref_01.png").write_bytes(PNG)
    list(session.handle(Turn(upload=("../../../../TMP/PWN.png", PNG))))
    list(session.handle(Turn(upload=("A/../../../../../TMP/PWN2.png", PNG))))
    request = RenderRequest(kind=RenderKind.BOARD)
    shot = Shot(scene=1, number=1, characters=["../../../../TMP/PWN", "A/../../../../../TMP/PWN2", "/TMP/ABS"])
    _add_character_looks(store, request, shot)
    assert request.references, "the uploaded references are used"
    for ref in request.references:
        assert Path(ref).resolve().is_relative_to(store.path.resolve() / "01_Assets" / "Characters"), ref


def test_every_write_stays_inside_the_project(imported, tmp_path):
    """The store refuses a path that leaves the project or goes through a symbolic link, and writes nothing."""
    from studio.stages import Stage

    store = imported
    outside = tmp_path / "outside"
    outside.mkdir()
    head = git(store.path, "rev-parse", "HEAD")
    for rel in ("../outside/x.png", "01_Assets/../../outside/x.png", str(outside / "x.png")):
        with pytest.raises(AuteurError) as caught:
            with store.change(stage=Stage.LOOK, action="t", summary="t", author=store.user()) as change:
                change.write_new(rel, PNG)
        assert str(tmp_path) not in str(caught.value)
    # A symbolic link inside the project (planted in a folder, or a checked-out link) is never written through.
    os.symlink(outside, store.path / "01_Assets" / "Characters" / "NICK")
    characters = store.breakdown().characters
    bd = store.breakdown().model_copy(update={"characters": [*characters, "NICK"]})
    with store.change(stage=Stage.BREAKDOWN, action="t", summary="t", author=store.user()) as change:
        store.write_stage(change, Stage.BREAKDOWN, bd)
    head = git(store.path, "rev-parse", "HEAD")
    with pytest.raises(AuteurError) as caught:
        store.add_reference("NICK", "NICK.png", PNG)
    assert "link" in str(caught.value) and str(tmp_path) not in str(caught.value)
    linked_file = store.path / "04_Project_Files" / "decisions.jsonl"
    os.symlink(outside / "decisions.jsonl", linked_file)
    with pytest.raises(AuteurError):
        store.record_decision("darker", stage=Stage.LOOK)
    assert list(outside.iterdir()) == [], "nothing written outside"
    assert git(store.path, "rev-parse", "HEAD") == head, "nothing committed"


def test_a_failing_disk_is_told_without_the_servers_paths(studio, tmp_path):
    """An OSError (it carries the file's absolute name) in a turn becomes a clean error event."""
    from studio.engine.events import Turn

    session, _ = studio
    breakdown = session.store.path / "02_Source_Creative" / "Scripts" / "breakdown.json"
    breakdown.unlink()
    breakdown.mkdir()  # reading it now fails with IsADirectoryError and its full path
    events = list(session.handle(Turn(text="/scenes")))
    errors = [e for e in events if e.kind == "error"]
    assert errors, [e.text for e in events]
    for e in errors:
        shown = e.text + repr(e.data)
        assert str(tmp_path) not in shown and "/tmp/" not in shown, shown
        assert "could not read or write a file" in e.text and e.data.get("fix")


def test_a_look_never_points_the_renderer_at_another_file_of_the_server(tmp_path: Path) -> None:
    """look.json is edited by people and the crew: its LoRA is read from the project or the models folder only."""
    from tools.render.execute import _lora_path

    project, models = tmp_path / "ws" / "film", tmp_path / "models"
    (project / "01_Assets").mkdir(parents=True)
    models.mkdir()
    (project / "01_Assets" / "mara.safetensors").write_bytes(b"x")
    (models / "style.safetensors").write_bytes(b"x")
    secret = tmp_path / "secret.safetensors"
    secret.write_bytes(b"x")
    (project / "01_Assets" / "link.safetensors").symlink_to(secret)

    assert _lora_path(project, "01_Assets/mara.safetensors", models) == project / "01_Assets" / "mara.safetensors"
    assert _lora_path(project, str(models / "style.safetensors"), models) == models / "style.safetensors"
    assert _lora_path(project, str(secret), models) is None
    assert _lora_path(project, "../../secret.safetensors", models) is None
    assert _lora_path(project, "/etc/passwd", None) is None
    assert _lora_path(project, "01_Assets/link.safetensors", models) is None  # a link out of the project


def test_a_failed_job_shows_no_server_path(tmp_path: Path, monkeypatch) -> None:
    """A render that fails with an OSError (not an AuteurError) carries the server's path in its text: the job's
    message, and /jobs that shows it, keep only the file's name."""
    import types

    import tools.jobs.local as local
    from config.settings import Settings
    from studio.engine.commands import renders
    from studio.render import JobSpec, RenderKind

    monkeypatch.setattr(local, "BACKOFF_S", 0.01)
    secret = "/srv/auteur/users/ann-1f3a9c/night-shift/03_Renders/Scene_01/Shot_001/.S01_SH001_T01.png.tmp"

    def execute(settings, spec, progress, cancelled, **kw):
        raise PermissionError(13, "Permission denied", secret)

    runner = local.LocalRunner(Settings.from_env({"AUTEUR_WORKSPACE": str(tmp_path / "ws"), "AUTEUR_MEMORY": "off"}),
                               execute, resume=False)
    state = runner.submit(JobSpec(project="night-shift", kind=RenderKind.BOARD, scene=1, shot=1))
    runner.wait([state.id], timeout=60)
    conv = types.SimpleNamespace(require_project=lambda: types.SimpleNamespace(slug="night-shift"),
                                 require_renderer=lambda: types.SimpleNamespace(runner=runner))
    shown = " ".join(event.text for event in renders.jobs(conv, ""))
    assert "PermissionError" in shown and ".S01_SH001_T01.png.tmp" in shown
    assert "/srv/auteur" not in shown and "ann-1f3a9c" not in shown


def test_the_workspace_is_hidden_whatever_its_name_holds() -> None:
    from studio.errors import hide_root, redact

    root = "/srv/my work, (2026)/auteur"
    hide_root(root)
    for text in (f"could not write {root}/users/ann/night-shift/06_Exports/x.pdf",
                 f"could not write file://{root}/users/ann/x.pdf", f"in {root}"):
        shown = redact(text)
        assert "/srv" not in shown and "my work" not in shown and "(2026)" not in shown, shown
    assert redact(f"could not write {root}/users/ann/x.pdf") == "could not write users/ann/x.pdf"
