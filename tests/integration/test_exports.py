"""Exports and imports a film team can open, checked by reading them back."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from studio.breakdown import break_down
from studio.fdx import to_fdx
from tools.imports.fdx_reader import read_fdx
from studio.fountain import ElementType, parse, write
from tests.cli_helpers import invoke, js

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio/samples/night_shift.fountain"
SCRIPTS = sorted((REPO / "tests/golden/fountain").glob("*.fountain")) + [SAMPLE]




def story(doc):
    bd = break_down(doc)
    dialogue = [" ".join(e.plain.split()) for e in doc.elements if e.type is ElementType.DIALOGUE]
    return [s.heading for s in bd.scenes], [s.characters for s in bd.scenes], dialogue


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_fountain_fdx_fountain_keeps_scenes_characters_and_dialogue(path):
    doc = parse(path.read_text())
    again = parse(write(read_fdx(to_fdx(doc).encode())))
    assert story(again) == story(doc)
    assert again.title == doc.title


def test_fdx_golden():
    doc = parse((REPO / "tests/golden/fountain/01_last_call.fountain").read_text())
    assert to_fdx(doc) == (REPO / "tests/golden/fountain/01_last_call.expected.fdx").read_text()


@pytest.fixture
def shot_project(workspace_dir, monkeypatch):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    invoke("new", "Night Shift")
    invoke("import", str(SAMPLE))
    invoke("run", "-p", "night-shift", "--until", "shots", "--yes")
    return workspace_dir / "night-shift"


def pdf_pages(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(out / pdf.stem)], check=True)
    return sorted(out.glob(f"{pdf.stem}*.png"))


def ink(png: Path) -> float:
    from PIL import Image

    with Image.open(png) as im:
        grey = im.convert("L")
        dark = sum(1 for v in grey.getdata() if v < 128)
        return dark / (grey.width * grey.height)


def test_script_exports_and_imports_back(shot_project, tmp_path):
    fdx = Path(js("export", "fdx")["path"])
    pdf = Path(js("export", "pdf")["path"])
    fountain = Path(js("export", "fountain")["path"])
    assert fountain.read_text() == SAMPLE.read_text()
    assert fdx.parent == shot_project / "06_Exports"
    pages = pdf_pages(pdf, tmp_path)
    bd = break_down(parse(SAMPLE.read_text()))
    assert len(pages) >= round(bd.total_eighths / 8), "a page a minute, plus the title page"
    assert all(ink(p) > 0.0003 for p in pages), "no blank pages"
    # The exported FDX and PDF come back in as the same story.
    for exported in (fdx, pdf):
        slug = js("new", f"Back {exported.suffix}")["slug"]
        invoke("import", str(exported), "-p", slug)
        scenes = js("scenes", "-p", slug)
        assert [s["heading"] for s in scenes] == [s.heading for s in bd.scenes]
        assert [s["characters"] for s in scenes] == [s.characters for s in bd.scenes]


def test_shotlist_and_storyboard(shot_project, tmp_path):
    shots = js("shots")
    board = tmp_path / "board.png"
    from PIL import Image

    Image.new("RGB", (320, 180), (200, 30, 30)).save(board)
    invoke("takes", "S01_SH001", "--add", str(board))
    csv_path = Path(js("export", "shotlist-csv")["path"])
    rows = csv_path.read_text().splitlines()
    assert len(rows) == len(shots) + 1 and rows[0].startswith("shot,scene,number,size")
    assert "S01_SH001_take01.png" in rows[1]
    import pdfplumber

    for kind in ("shotlist-pdf", "storyboard-pdf"):
        pdf = Path(js("export", kind)["path"])
        pages = pdf_pages(pdf, tmp_path)
        assert pages and all(ink(p) > 0.0003 for p in pages)
        with pdfplumber.open(pdf) as doc:
            assert doc.pages[0].images, f"{kind}: the active board is on the first page"
            text = doc.pages[0].extract_text()
            assert "S01_SH001" in text
    with pdfplumber.open(Path(js("export", "storyboard-pdf")["path"])) as doc:
        assert len(doc.pages) == -(-len(shots) // 6), "six panels a page"


@pytest.mark.parametrize("kind", ["otio", "edl", "fcpxml"])
def test_timelines_read_back_with_the_same_clips_and_timecodes(shot_project, kind):
    from tools.exports.timeline import read_timeline

    shots = js("shots")
    path = Path(js("export", kind)["path"])
    timeline = read_timeline(path, kind, 24.0)
    clips = list(timeline.find_clips())
    assert len(clips) == len(shots)
    start = 0
    for clip, shot in zip(clips, shots):
        frames = round(shot["duration_s"] * 24)
        assert clip.name.replace("_", "") == f"S{shot['scene']:02d}SH{shot['number']:03d}" or \
            clip.name == f"S{shot['scene']:02d}_SH{shot['number']:03d}"
        assert round(clip.duration().to_frames()) == frames
        assert round(clip.range_in_parent().start_time.to_frames()) == start
        start += frames


def test_archive_restores_the_same_history(shot_project, tmp_path, workspace_dir):
    board = tmp_path / "b.png"
    board.write_bytes(b"\x89PNG\r\n\x1a\n" + b"1" * 100)
    invoke("takes", "1.1", "--add", str(board))
    invoke("branch", "new", "alt")
    archive = Path(js("export", "archive")["path"])
    out = js("restore-archive", str(archive), "--slug", "night-shift-copy")

    def log(path):
        return subprocess.run(["git", "log", "--all", "--format=%H %an %s"], cwd=path, capture_output=True,
                              text=True, check=True).stdout

    restored = Path(out["path"])
    # The archive holds the history up to the moment it was made; recording the export came after.
    original_log = "".join(line + "\n" for line in log(shot_project).splitlines() if "export: archive" not in line)
    assert log(restored) == original_log
    assert (restored / "03_Renders/Scene_01/Shot_001/S01_SH001_take01.png").read_bytes() == board.read_bytes()
    assert subprocess.run(["git", "status", "--porcelain"], cwd=restored, capture_output=True, text=True).stdout == ""
    assert js("status", "-p", "night-shift-copy")["branch"] == "alt"
    again = invoke("restore-archive", str(archive), "--slug", "night-shift-copy", ok=False)
    assert again.exit_code == 1 and "already exists" in again.stderr


def _evil_zip(path: Path, name: str, link: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("auteur-archive.json", json.dumps({"slug": "evil"}))
        z.writestr("repo.bundle", b"x")
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (0o120777 << 16)
        z.writestr(info, b"/etc/passwd" if link else b"pwned")
    return path


@pytest.mark.parametrize("name,link,words", [("media/../../../escape.txt", False, "leaves its folder"),
                                             ("/abs/escape.txt", False, "leaves its folder"),
                                             ("media/03_Renders/x.png", True, "link")])
def test_hostile_archives_are_refused(workspace_dir, tmp_path, name, link, words):
    bad = _evil_zip(tmp_path / "evil.zip", name, link)
    result = invoke("restore-archive", str(bad), ok=False)
    assert result.exit_code == 1 and words in result.stderr
    assert not (tmp_path / "escape.txt").exists() and not (workspace_dir / "evil").exists()
    assert not list(workspace_dir.glob(".restore-*")) if workspace_dir.exists() else True


def test_damaged_inputs_and_missing_stages(workspace_dir, tmp_path):
    invoke("new", "Empty")
    damaged = tmp_path / "broken.fdx"
    damaged.write_text("<FinalDraft><Content><Paragraph Type='Action'><Text>half")
    result = invoke("import", str(damaged), ok=False)
    assert result.exit_code == 1 and "not a valid Final Draft file" in result.stderr
    fake_pdf = tmp_path / "broken.pdf"
    fake_pdf.write_bytes(b"%PDF-1.4\n garbage that is not a pdf")
    result = invoke("import", str(fake_pdf), ok=False)
    assert result.exit_code == 1 and "not a readable PDF" in result.stderr
    for kind, stage in (("fdx", "script"), ("shotlist-csv", "shots"), ("otio", "shots"), ("mp4", "cut")):
        result = invoke("export", kind, ok=False)
        assert result.exit_code == 1 and f"needs the {stage} stage" in result.stderr, result.stderr
    result = invoke("export", "gif", ok=False)
    assert result.exit_code == 1 and "no export called 'gif'" in result.stderr
    assert not any((workspace_dir / "empty" / "06_Exports").iterdir())


def test_chat_takes_an_fdx_upload_and_exports(workspace_dir, monkeypatch):
    from config.container import Container
    from studio.engine.events import Turn

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    fdx = to_fdx(parse(SAMPLE.read_text())).encode()
    session = Container().session()
    events = list(session.handle(Turn(upload=("night_shift.fdx", fdx))))
    assert any(e.kind == "artifact" and "8 scenes" in e.text for e in events), [e.text for e in events]
    events = list(session.handle(Turn(text="/export pdf")))
    assert events[0].kind == "artifact" and events[0].data["path"].endswith(".pdf")
    assert Path(events[0].data["path"]).is_file()
    events = list(session.handle(Turn(text="/export storyboard-pdf")))
    assert events[0].kind == "error" and "shots" in events[0].text


def test_render_boards_on_the_cpu_become_takes_in_the_storyboard(shot_project, tmp_path):
    invoke("run", "-p", "night-shift", "--until", "prompts", "--yes")
    takes = js("render", "boards", "--scene", "1", "--yes")
    shots = [s for s in js("shots") if s["scene"] == 1]
    assert [t["shot"] for t in takes] == [s["number"] for s in shots]
    assert all(t["active"] and t["model"] == "sketch" and t["number"] == 1 for t in takes)
    assert takes[0]["prompt"] == shots[0]["frame_prompt"], "the sidecar keeps the shot's prompt"
    again = js("render", "boards", "--scene", "1", "--yes")
    assert all(t["number"] == 2 and not t["active"] for t in again), "a new take waits to be chosen"
    first = shot_project / takes[0]["path"]
    from PIL import Image

    with Image.open(first) as im:
        assert im.format == "PNG" and im.width == 640
    import pdfplumber

    with pdfplumber.open(Path(js("export", "storyboard-pdf")["path"])) as doc:
        assert len(doc.pages[0].images) == min(6, len(shots))
    result = invoke("render", "boards", "--scene", "99", ok=False)
    assert result.exit_code == 1 and "scene 99 has no shots" in result.stderr
