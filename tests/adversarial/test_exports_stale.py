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
    assert made.data["stale_inputs"][0]["reason"] == "the boards are older than the shot list"
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
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")  # new boards: the cut shows the old ones
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
