"""An export made from stale inputs says which and offers to redo them first (issue 12, point 8): a storyboard
PDF mixed old boards with new captions; an EDL was exported while the cut was stale.

Against the real parts: the project store on Git, the `auteur` command, the chat engine, the sketch renderer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.test_correctness import century, session_on, talk  # noqa: F401  (the fixture)
from tests.cli_helpers import invoke, js


def exports_of(store) -> list[str]:
    folder = store.path / "06_Exports"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_storyboard_from_boards_older_than_the_shot_list_is_refused_until_redone_or_anyway(century):  # noqa: F811
    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    assert not js("export", "storyboard-pdf", "-p", store.slug).get("stale_inputs"), "fresh boards: no complaint"
    (store.path / "06_Exports" / f"{store.slug}_storyboard.pdf").unlink()
    session = session_on(store)
    talk(session, "redo shot 100.1 as a low angle")  # the captions change; the boards are the old ones
    # The CLI: refused, with what is stale and how to redo it; nothing written.
    refused = invoke("export", "storyboard-pdf", "-p", store.slug, ok=False)
    assert refused.exit_code == 1
    assert "the boards are older than the shot list" in refused.stderr
    assert f"auteur render boards -p {store.slug}" in refused.stderr and "--anyway" in refused.stderr
    assert str(store.path) not in refused.stderr
    shown = js_fail("export", "storyboard-pdf", "-p", store.slug)
    assert shown["exported"] is False and [s["stage"] for s in shown["stale_inputs"]] == ["boards"]
    assert exports_of(store) == []
    # The chat: the same, as a question with the ways on.
    [asked] = talk(session, "/export storyboard-pdf")
    assert asked.kind == "question" and "the boards are older than the shot list" in asked.text
    assert asked.options == ["/render boards", "/export storyboard-pdf anyway"]
    assert exports_of(store) == []
    # Anyway: made as it is, and marked so (in its words, its data and the history).
    [made] = talk(session, choice="/export storyboard-pdf anyway")
    assert made.kind == "artifact" and "from stale inputs" in made.text and Path(made.data["path"]).is_file()
    assert made.data["stale_inputs"][0]["reason"] == "the boards are older than the shot list for S100_SH001"
    assert any("exported storyboard-pdf from stale inputs" in c.message for c in store.history(limit=3))
    forced = js("export", "storyboard-pdf", "-p", store.slug, "--anyway")
    assert [s["stage"] for s in forced["stale_inputs"]] == ["boards"]
    # Redone: exported without a word about staleness.
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    assert js("export", "storyboard-pdf", "-p", store.slug)["stale_inputs"] == []


def test_an_edl_while_the_cut_is_older_than_the_boards_is_refused(century):  # noqa: F811
    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    js("render", "cut", "-p", store.slug)
    assert not js("export", "edl", "-p", store.slug).get("stale_inputs")
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")  # new takes, not chosen: the cut is as it was
    assert js("export", "edl", "-p", store.slug)["stale_inputs"] == []
    invoke("takes", "S100_SH001", "-p", store.slug, "--choose", "2")  # a new board chosen: the cut shows the old one
    for kind in ("edl", "otio", "fcpxml", "mp4"):
        refused = invoke("export", kind, "-p", store.slug, ok=False)
        assert refused.exit_code == 1 and "the cut is older than the boards" in refused.stderr, kind
        assert f"auteur render cut -p {store.slug}" in refused.stderr
    session = session_on(store)
    [asked] = talk(session, "/export edl")
    assert asked.options == ["/render cut", "/export edl anyway"]
    [made] = talk(session, "/export edl anyway")
    assert made.kind == "artifact" and made.data["path"].endswith(".edl")
    js("render", "cut", "-p", store.slug)
    assert js("export", "edl", "-p", store.slug)["stale_inputs"] == []


def test_a_script_export_while_the_script_is_stale_names_why(century):  # noqa: F811
    from studio.stages import Stage

    store = century
    invoke("approve", "brief", "-p", store.slug)
    brief = store.read(Stage.BRIEF)
    brief.logline = "A woman waits in a hundred rooms for a call that never comes."
    store.edit(Stage.BRIEF, brief.model_dump_json().encode(), name="brief.json")
    assert store.manifest().status(Stage.SCRIPT).value == "stale"
    refused = invoke("export", "fdx", "-p", store.slug, ok=False)
    assert refused.exit_code == 1 and "the script is stale since the brief changed" in refused.stderr
    assert f"auteur approve script -p {store.slug}" in refused.stderr
    assert js("export", "fdx", "-p", store.slug, "--force")["stale_inputs"][0]["stage"] == "script"
    assert js("export", "archive", "-p", store.slug)["stale_inputs"] == [], "an archive keeps everything as it is"


def js_fail(*args) -> dict:
    """The --json of a command that exits non-zero (its JSON on stdout, its error on stderr)."""
    import json

    result = invoke(*args, "--json", ok=False)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("line", ["/export", "/export   anyway"])
def test_an_export_without_a_kind_still_says_so(century, line):  # noqa: F811
    events = talk(session_on(century), line)
    assert events[0].kind == "error" and "/export needs a kind" in events[0].text


# ---------------------------------------------------------------- shot by shot: redoing other shots hides nothing


def take_sidecar(store, scene: int, shot: int, number: int) -> dict:
    import json

    from memory.takes import shot_folder
    from studio.models import take_name

    return json.loads((store.path / shot_folder(scene, shot) / f"{take_name(scene, shot, number)}.json").read_text())


def test_redoing_the_boards_of_another_scene_leaves_a_changed_shot_stale(century):  # noqa: F811
    """The review's bypass: 100.1's caption changes, only scene 10 is redrawn; the storyboard would show 100.1's
    old board under its new caption. Each take records what it was made from, and each shot is checked."""
    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    made = take_sidecar(store, 100, 1, 1)["parameters"]["made_from"]
    assert set(made) == {"shot", "picture", "prompt"} and len(made["shot"]) == 64
    talk(session_on(store), "redo shot 100.1 as a low angle")
    invoke("render", "boards", "-p", store.slug, "--scene", "10", "--yes", "--json")
    shown = js_fail("export", "storyboard-pdf", "-p", store.slug)
    assert [s["reason"] for s in shown["stale_inputs"]] == ["the boards are older than the shot list for S100_SH001"]
    assert exports_of(store) == []
    # Redrawing scene 10 again kept its chosen board (nothing about it changed) ...
    assert [t.active for t in store.takes(10, 1)] == [True, False]
    # ... and redrawing 100.1 makes its new board the active one, since the old one shows another shot.
    invoke("render", "boards", "-p", store.slug, "--scene", "100", "--yes", "--json")
    assert [t.active for t in store.takes(100, 1) if t.kind.value == "image"][-1] is True
    assert js("export", "storyboard-pdf", "-p", store.slug)["stale_inputs"] == []
    # A shot added to the list: the storyboard leaves it blank (not drawn yet), but the cut lacks it.
    from studio.models import Shot, ShotList
    from studio.project import Author
    from studio.stages import Stage

    js("render", "cut", "-p", store.slug)
    assert js("export", "edl", "-p", store.slug)["stale_inputs"] == []
    shots = store.read(Stage.SHOTS)
    store.save(Stage.SHOTS, ShotList(shots=[*shots.shots, Shot(scene=10, number=2, action="Room ten, closer.")]),
               author=Author.agent("Cinematographer"), summary="one more shot")
    assert js("export", "storyboard-pdf", "-p", store.slug)["stale_inputs"] == []
    reasons = [s["reason"] for s in js_fail("export", "edl", "-p", store.slug)["stale_inputs"]]
    assert reasons == ["the cut is older than the shot list for S10_SH002"]


def test_a_clip_made_from_another_board_than_the_active_one_is_stale(century):  # noqa: F811
    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    invoke("render", "clips", "-p", store.slug, "--yes", "--json")
    assert take_sidecar(store, 10, 1, 2)["parameters"]["made_from"]["board"].endswith("S10_SH001_take01.png")
    assert js("export", "edl", "-p", store.slug)["stale_inputs"] == []
    invoke("render", "boards", "-p", store.slug, "--scene", "10", "--yes", "--json")
    invoke("takes", "S10_SH001", "-p", store.slug, "--choose", "3", "--kind", "image")  # a new board for 10.1
    refused = invoke("export", "edl", "-p", store.slug, ok=False)
    assert refused.exit_code == 1 and "the clips are older than the boards for S10_SH001" in refused.stderr
    assert "S100_SH001" not in refused.stderr and f"auteur render clips -p {store.slug}" in refused.stderr
    invoke("render", "clips", "-p", store.slug, "--scene", "10", "--yes", "--json")  # the new clip becomes active
    assert js("export", "edl", "-p", store.slug)["stale_inputs"] == []


def test_takes_that_record_nothing_fall_back_to_the_order_of_the_changes(century):  # noqa: F811
    """Boards rendered before takes recorded what they were made from: the stage-order rule, as before."""
    import json

    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    for sidecar in (store.path / "03_Renders").rglob("*_take*.json"):
        data = json.loads(sidecar.read_text())
        data["parameters"].pop("made_from")
        sidecar.write_text(json.dumps(data))
    assert js("export", "storyboard-pdf", "-p", store.slug)["stale_inputs"] == []
    talk(session_on(store), "redo shot 100.1 as a low angle")
    reasons = [s["reason"] for s in js_fail("export", "storyboard-pdf", "-p", store.slug)["stale_inputs"]]
    assert reasons == ["the boards are older than the shot list"]


# ---------------------------------------------------------------- exports never write through a planted link


def test_an_export_never_writes_through_a_link_planted_in_06_exports(imported, tmp_path):
    import os

    store = imported
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("precious\n")
    exports = store.path / "06_Exports"
    exports.mkdir(exist_ok=True)
    os.symlink(victim, exports / f"{store.slug}_script.fountain.part")  # where the export used to write first
    made = js("export", "fountain", "-p", store.slug)
    assert victim.read_text() == "precious\n"
    assert Path(made["path"]).read_text().startswith("Title: Night Shift")
    assert sorted(p.name for p in exports.iterdir()) == [f"{store.slug}_script.fountain",
                                                         f"{store.slug}_script.fountain.part"]
    # A link at the export's own name: refused, the file it points to untouched.
    (exports / f"{store.slug}_script.fdx").symlink_to(victim)
    refused = invoke("export", "fdx", "-p", store.slug, ok=False)
    assert refused.exit_code == 1 and "symbolic link" in refused.stderr and str(tmp_path) not in refused.stderr
    assert victim.read_text() == "precious\n"
    # 06_Exports itself a link to a folder outside: refused, nothing written there.
    for p in exports.iterdir():
        p.unlink()
    exports.rmdir()
    exports.symlink_to(outside, target_is_directory=True)
    for kind in ("fountain", "archive", "shotlist-csv"):
        refused = invoke("export", kind, "-p", store.slug, ok=False)
        assert refused.exit_code == 1, kind
        assert str(tmp_path) not in refused.stderr + refused.stdout
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
