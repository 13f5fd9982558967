"""The timeline review on a real project: the bundled screenplay imported, taken to its prompts, boards drawn by the
CPU sketch renderer and the cut assembled (Git, the in-process job runner, ffmpeg). A person leaves three notes on
three shots — a look note said of a shot, a timing note at a time code, a render note — each goes to the agent
who owns it, /fix carries them out, and each comes back: the look changed and a new board, a shorter shot, a new
take. Everything is in Git, by the person, and the notes are markers in the OTIO, EDL and FCP XML timelines.

What came back is read outside the engine: Git's own log and files at HEAD (`git log`, `git show`), the takes on
disk, the timeline files read by the opentimelineio package and the FCP XML by ElementTree. Where each shot starts
in the video is read from the MP4 itself: ffmpeg decodes the corner where the renderer burns each shot's code, and
a new shot is where that label's pixels change (within a shot they are the same frame after frame)."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from studio.engine.events import Turn
from studio.models import TakeKind
from studio.stages import Stage
from tests.cli_helpers import invoke, js

SAMPLE = Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain"


@pytest.fixture
def project(workspace_dir, monkeypatch) -> Path:
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    slug = js("import", str(SAMPLE))["slug"]
    invoke("run", "-p", slug, "--until", "prompts", "--yes")
    invoke("render", "boards", "-p", slug, "--tier", "sketch", "--yes")
    invoke("render", "cut", "-p", slug, "--yes")
    return workspace_dir / slug


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


def at_head(folder: Path, rel: str):
    return json.loads(git(folder, "show", f"HEAD:{rel}"))


def talk(session, line: str) -> list:
    events = list(session.handle(Turn(text=line)))
    assert not [e.text for e in events if e.kind == "error"], [e.text for e in events if e.kind == "error"]
    return events


def active(store, code: str) -> int | None:
    scene, number = int(code[1:3]), int(code[-3:])
    return next((t.number for t in store.takes(scene, number) if t.kind is TakeKind.IMAGE and t.active), None)


def shot_starts_in_video(mp4: Path, count: int) -> tuple[list[int], int]:
    """(the first frame of each shot, the video's frame count), from the MP4's pixels: the label strip of each frame
    decoded by ffmpeg, and a shot change wherever more than a few of its pixels change strongly from one frame to
    the next (a held board's label is the same in each frame, up to the encoder's small noise)."""
    import imageio_ffmpeg
    import numpy as np

    w, h = 320, 48
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(mp4), "-vf", f"crop={w}:{h}:0:0",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.int16)
    changed = (np.abs(np.diff(frames, axis=0)) > 100).sum(axis=(1, 2))
    starts = [0, *(int(k) + 1 for k in np.nonzero(changed > 5)[0])]
    assert len(starts) == count, f"{len(starts)} label changes in the video for {count} shots"
    return starts, len(frames)


def test_each_cut_made_is_the_next_version_and_the_notes_stay_with_theirs(imported):
    """The version a note is kept under: 1 for the first cut, 2 for the next (the cut's file at HEAD says so), and
    a note of version 1 is not a note of version 2 (tools.render.cut writes the cut; the notes are in Git)."""
    from studio.media import Cut
    from studio.review import Category, ReviewNote, ReviewNotes
    from tools.render.cut import _save_cut

    for n in (1, 2):
        _save_cut(imported, f"03_Renders/cut/cut_v{n:02d}.mp4", b"not really an mp4", [], 24.0, 64, 36, 0.0)
        assert at_head(imported.path, "04_Project_Files/cut.json")["version"] == n
        if n == 1:
            note = ReviewNote(id="n1", cut=1, code="S01_SH001", text="too slow", category=Category.TIMING,
                              agent="Cinematographer")
            imported.save_review_notes(ReviewNotes(notes=[note]), summary="note n1", author=imported.user())
    cut = imported.read(Stage.CUT)
    assert isinstance(cut, Cut) and cut.version == 2
    assert imported.review_notes().of_cut(2) == [] and [n.id for n in imported.review_notes().of_cut(1)] == ["n1"]
    assert git(imported.path, "log", "-1", "--format=%an", "--", "02_Source_Creative/Review/notes.json").strip() == \
        "Dana Director"


@pytest.mark.slow
def test_three_notes_on_three_shots_go_to_their_owners_and_come_back_fixed_and_in_git(project, tmp_path):
    from config.container import Container
    from tools.exports import active_media
    from tools.exports.timeline import build_timeline, note_markers, write_timeline

    session = Container().session(project=project.name)
    store = session.require_project()
    cut = at_head(project, "04_Project_Files/cut.json")
    assert cut["version"] == 1, "the project's first cut"
    codes = [f"S{e['scene']:02d}_SH{e['shot']:03d}" for e in cut["entries"]]
    first, total = shot_starts_in_video(project / cut["path"], len(codes))
    starts = {code: f / 24 for code, f in zip(codes, first)}
    # Every shot's first frame, the frame before it and the video's very end land where the video shows them.
    from studio.review import shot_at

    record = store.read(Stage.CUT)
    assert [shot_at(record, f / 24) for f in first] == codes
    assert [shot_at(record, (f - 1) / 24) for f in first[1:]] == codes[:-1]
    assert shot_at(record, total / 24) == shot_at(record, (total - 1) / 24) == codes[-1]
    assert session.view("review").data["props"]["cut"]["duration"] == pytest.approx(total / 24, abs=1e-3)
    shots = {s["scene"] * 1000 + s["number"]: s for s in at_head(project, "02_Source_Creative/ShotLists/shots.json")
             ["shots"]}
    assert shots[2002]["characters"] == ["NELL"], "S02_SH002 is Nell's alone: 'her' is Nell"
    slow_before = shots[2003]["duration_s"]
    at = round(starts["S02_SH003"] + 1.0, 3)  # one second into S02_SH003
    boards_before = {c: active(store, c) for c in ("S02_SH002", "S02_SH008")}

    said = {}
    for line in ("/note S02_SH002: her coat should be red", f"/note {at}s too slow here",
                 "/note S02_SH008 the face is smeared"):
        said[line] = next(e for e in talk(session, line) if e.kind == "question")
    notes = at_head(project, "02_Source_Creative/Review/notes.json")["notes"]
    assert [(n["code"], n["category"], n["agent"]) for n in notes] == [
        ("S02_SH002", "look", "Art Director"), ("S02_SH003", "timing", "Cinematographer"),
        ("S02_SH008", "render", "Cinematographer")]
    assert [e.author for e in said.values()] == ["Art Director", "Cinematographer", "Cinematographer"]
    assert notes[1]["at"] == pytest.approx(at)

    events = talk(session, "/fix all")
    assert sum(e.text.startswith("Note n") and " is done: " in e.text for e in events) == 3
    # The sketch renderer draws framing, not a coat's colour: the look note's answer says so plainly.
    look_done = next(e for e in events if e.text.startswith("Note n1 is done: "))
    assert "The CPU sketch draws the shot's framing, not colours or wardrobe" in look_done.text

    # The look: Nell wears a red coat in scene 2 (the look file at HEAD), and S02_SH002 was drawn again with it.
    look = at_head(project, "01_Assets/look.json")
    scene2 = next(s for s in look["states"] if s["scene"] == 2)
    assert "red coat" in scene2["characters"]["NELL"]["wardrobe"]
    new_board = active(store, "S02_SH002")
    assert new_board == boards_before["S02_SH002"] + 1
    take = next(t for t in store.takes(2, 2) if t.number == new_board and t.kind is TakeKind.IMAGE)
    assert "red coat" in take.prompt and (project / take.path).is_file()
    # The timing: S02_SH003 is shorter, and only it.
    shots_after = {s["scene"] * 1000 + s["number"]: s
                   for s in at_head(project, "02_Source_Creative/ShotLists/shots.json")["shots"]}
    assert shots_after[2003]["duration_s"] < slow_before
    assert all(shots_after[k]["duration_s"] == shots[k]["duration_s"] for k in shots if k != 2003)
    # The render: a new take of S02_SH008, the active one.
    assert active(store, "S02_SH008") == boards_before["S02_SH008"] + 1

    # Git: each note and each fix is a commit by the person; the notes at HEAD are done, with what came back.
    log = [line.split("\t", 1) for line in git(project, "log", "--format=%an\t%s").splitlines()]
    mine = [s for who, s in log if who == "Dana Director"]
    assert sum(s.startswith("cut: note n") for s in mine) == 3 and sum(s.startswith("cut: fixed note n") for s in
                                                                         mine) == 3
    assert any(s.startswith("look: NELL wardrobe") for s in mine), mine[:10]
    done = at_head(project, "02_Source_Creative/Review/notes.json")["notes"]
    assert [n["status"] for n in done] == ["done"] * 3
    assert done[2]["result"] == f"S02_SH008 board take {boards_before['S02_SH008'] + 1}"
    assert "S02_SH002 board take" in done[0]["result"] and "NELL" in done[0]["result"]

    # The review view: the cut's video and markers, the notes with their results.
    view = session.view("review")
    assert (project / view.data["props"]["cut"]["video"]).is_file()
    assert [n["status"] for n in view.data["props"]["notes"]] == ["done"] * 3

    # The notes as markers, read by opentimelineio (OTIO, EDL) and ElementTree (FCP XML).
    import opentimelineio as otio

    timeline = build_timeline(store.read(Stage.SHOTS), active_media(store, TakeKind.IMAGE), fps=24.0,
                              name="Night Shift", notes=note_markers(store))
    files = {kind: tmp_path / f"cut.{ext}" for kind, ext in (("otio", "otio"), ("edl", "edl"), ("fcpxml", "xml"))}
    for kind, path in files.items():
        write_timeline(timeline, path, kind)
    read = otio.adapters.read_from_file(str(files["otio"]))
    marked = {c.name: [(m.name, m.marked_range.start_time.to_frames()) for m in c.markers]
              for c in read.find_clips() if c.markers}
    assert marked == {"S02_SH002": [("n1 look: her coat should be red", 0)],
                      "S02_SH003": [("n2 timing: too slow here", 24)],
                      "S02_SH008": [("n3 render: the face is smeared", 0)]}
    edl = otio.adapters.read_from_file(str(files["edl"]), adapter_name="cmx_3600", rate=24)
    located = {c.name: [(m.name, m.marked_range.start_time.to_frames()) for m in c.markers]
               for c in edl.find_clips() if c.markers}
    assert located["S02_SH003"] == [("N2 TIMING: TOO SLOW HERE", 24)] and len(located) == 3
    root = ET.parse(files["fcpxml"]).getroot()
    xml_markers = {item.findtext("name"): [(m.findtext("name"), int(m.findtext("in"))) for m in item.iter("marker")]
                   for item in root.iter("clipitem") if item.find("marker") is not None}
    assert xml_markers["S02_SH003"] == [("n2 timing: too slow here", 24)] and len(xml_markers) == 3


def talk_on(store, line: str) -> list:
    from config.container import Container

    session = Container().session(project=store.slug)
    return talk(session, line)


def with_shots_and_a_cut(store):
    """The imported screenplay's shots drafted by code and a cut record of them (no video: none is needed to note
    a shot, fix its duration and undo it)."""
    from studio.coverage import plan
    from studio.fountain import parse
    from studio.media import Cut, CutEntry
    from studio.project import Author

    shots = plan(parse(store.read_script().fountain), store.breakdown())
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="coverage")
    entries = [CutEntry(scene=s.scene, shot=s.number, duration_s=s.duration_s, take=f"{s.code}.png")
               for s in shots.shots]
    store.save(Stage.CUT, Cut(version=1, entries=entries, path="03_Renders/cut/cut_v01.mp4"),
               author=Author.agent("Producer"), summary="cut")
    return shots


def test_undo_after_a_fix_takes_the_change_back_and_reopens_the_note(imported):
    shots = with_shots_and_a_cut(imported)
    quiet = next(s for s in shots.shots if not s.dialogue.strip() and s.duration_s >= 2.0)
    talk_on(imported, f"/note {quiet.code} this drags")
    talk_on(imported, "/fix n1")
    fixed = at_head(imported.path, "02_Source_Creative/Review/notes.json")["notes"][0]
    assert fixed["status"] == "done"
    events = talk_on(imported, "/undo")
    shots_now = at_head(imported.path, "02_Source_Creative/ShotLists/shots.json")["shots"]
    assert next(s for s in shots_now if (s["scene"], s["number"]) == (quiet.scene, quiet.number))["duration_s"] == \
        quiet.duration_s, [e.text for e in events]
    [note] = at_head(imported.path, "02_Source_Creative/Review/notes.json")["notes"]
    assert note["status"] == "open" and note["result"].startswith("reopened: its fix was undone")
    assert "Auteur-Reopens: n1" in git(imported.path, "log", "-1", "--format=%B")
    talk_on(imported, "/fix n1")  # and it can be fixed again
    assert at_head(imported.path, "02_Source_Creative/Review/notes.json")["notes"][0]["status"] == "done"


def test_a_cut_version_is_never_given_twice_not_after_an_older_cut_is_restored(imported):
    """v1, v2, a note on v2, v1 restored (/restore cut), a new cut: it is v3, and v2's note is not on it — even when
    the new file's name carries no number (cut.json's history and the notes say v2 was given)."""
    from tools.render.cut import _save_cut

    for n in (1, 2):
        _save_cut(imported, f"03_Renders/cut/cut_v{n:02d}.mp4", b"not really an mp4", [], 24.0, 64, 36, 0.0)
    first = git(imported.path, "log", "--format=%h", "--", "04_Project_Files/cut.json").split()[-1]
    with_note = imported.review_notes()
    from studio.review import Category, ReviewNote

    with_note.notes.append(ReviewNote(id="n1", cut=2, code="S01_SH001", text="old v2 note", category=Category.TIMING,
                                      agent="Cinematographer"))
    imported.save_review_notes(with_note, summary="note n1", author=imported.user())
    imported.restore(Stage.CUT, first)
    assert at_head(imported.path, "04_Project_Files/cut.json")["version"] == 1
    _save_cut(imported, "03_Renders/cut/recut.mp4", b"another", [], 24.0, 64, 36, 0.0)
    assert at_head(imported.path, "04_Project_Files/cut.json")["version"] == 3
    assert imported.review_notes().of_cut(3) == []
