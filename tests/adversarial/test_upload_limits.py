"""Every upload parser has limits, and a file beyond one is refused clearly with nothing written
(issue 12, points 6 and 8: a 10,000-page PDF, FDX read by xml.etree, Fountain of any size).

Real files made here (PDFs with fpdf2, hostile FDX, over-size Fountain), brought in through the real
`auteur import` and the real engine a face drives; the PDF is read in a real child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from studio.uploads import MAX_FDX_DEPTH, MAX_FDX_ELEMENTS, MAX_FOUNTAIN, MAX_PDF_PAGES
from tests.cli_helpers import invoke, js

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio/samples/night_shift.fountain"
PASSWD = Path("/etc/passwd").read_text().splitlines()[0]  # 'root:x:0:0:…', what an external entity would leak
FIX = "Fix:"


# ------------------------------------------------------------ the files


def pages_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` letter pages, each with a scene heading where a screenplay has it."""
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_font("Courier", size=12)
    for n in range(pages):
        pdf.add_page()
        pdf.set_xy(108, 72)
        pdf.cell(text=f"INT. ROOM {n + 1} - DAY")
    return bytes(pdf.output())


def screenplay_pdf(path: Path) -> Path:
    """The sample screenplay as the PDF the studio exports (Courier, screenplay layout)."""
    from studio.fountain import parse
    from tools.exports.script_pdf import write_script_pdf

    write_script_pdf(parse(SAMPLE.read_text()), path)
    return path


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE FinalDraft [<!ENTITY lol0 "lol">{entities}]>'
            '<FinalDraft><Content><Paragraph Type="Scene Heading"><Text>INT. A - DAY</Text></Paragraph>'
            '<Paragraph Type="Action"><Text>&lol9;</Text></Paragraph></Content></FinalDraft>').encode()


def external_entity() -> bytes:
    return ('<?xml version="1.0"?><!DOCTYPE FinalDraft [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<FinalDraft><Content><Paragraph Type="Scene Heading"><Text>INT. A - DAY</Text></Paragraph>'
            '<Paragraph Type="Action"><Text>&x;</Text></Paragraph></Content></FinalDraft>').encode()


def deep_fdx(depth: int = 100_000) -> bytes:
    return (b'<FinalDraft><Content><Paragraph Type="Action">' + b"<Text>" * depth + b"deep" + b"</Text>" * depth
            + b"</Paragraph></Content></FinalDraft>")


def wide_fdx(elements: int = MAX_FDX_ELEMENTS + 1) -> bytes:
    return (b'<FinalDraft><Content><Paragraph Type="Scene Heading"><Text>INT. A - DAY</Text></Paragraph>'
            + b'<Paragraph Type="Action"><Text>x</Text></Paragraph>' * (elements // 2) + b"</Content></FinalDraft>")


def big_fountain() -> bytes:
    title, body = SAMPLE.read_bytes().split(b"\n\n", 1)
    return title + b"\n\n" + body * (MAX_FOUNTAIN // len(body) + 1)


HOSTILE = {  # name: (file name, content, words of the refusal)
    "pdf-pages": ("feature.pdf", lambda: pages_pdf(MAX_PDF_PAGES + 1),
                  f"has {MAX_PDF_PAGES + 1} pages, more than the {MAX_PDF_PAGES} a screenplay PDF may have"),
    "fdx-laughs": ("laughs.fdx", billion_laughs, "declares a document type"),
    "fdx-external": ("passwd.fdx", external_entity, "declares a document type"),
    "fdx-deep": ("deep.fdx", deep_fdx, f"more than {MAX_FDX_DEPTH} elements deep"),
    "fdx-wide": ("wide.fdx", wide_fdx, f"more than {MAX_FDX_ELEMENTS:,} XML elements"),
    "fountain-size": ("huge.fountain", big_fountain, "more than the 1 MB"),
}
FIXES = {"pdf-pages": "split the PDF", "fdx-laughs": "export the screenplay as Fountain",
         "fdx-external": "export the screenplay as Fountain", "fdx-deep": "export the screenplay as Fountain",
         "fdx-wide": "export the screenplay as Fountain", "fountain-size": "split the screenplay"}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    for key, (name, make, _) in HOSTILE.items():
        (folder / name).write_bytes(make())
        out[key] = folder / name
    return out


def snapshot(workspace: Path) -> dict:
    """Every file of the workspace, and each project's Git log: what a refusal must leave as it was."""
    if not workspace.exists():
        return {}
    files = sorted(str(p.relative_to(workspace)) for p in workspace.rglob("*") if ".git" not in p.parts)
    logs = {p.parent.name: subprocess.run(["git", "log", "--all", "--format=%H %s"], cwd=p.parent, text=True,
                                          capture_output=True, check=True).stdout
            for p in workspace.glob("*/.git")}
    return {"files": files, "logs": logs}


def leaked_nowhere(workspace: Path, *texts: str) -> None:
    assert not any(PASSWD in t for t in texts)
    if workspace.exists():
        for p in workspace.rglob("*"):
            if p.is_file() and ".git" not in p.parts:
                assert PASSWD.encode() not in p.read_bytes(), p.name


# ------------------------------------------------------------ `auteur import` from a path


@pytest.mark.parametrize("with_project", [True, False], ids=["into-a-project", "no-project-yet"])
@pytest.mark.parametrize("key", list(HOSTILE))
def test_auteur_import_refuses_beyond_a_limit_and_writes_nothing(workspace_dir, hostile_files, key, with_project):
    if with_project:
        invoke("new", "Target")
        invoke("import", str(SAMPLE))
    before = snapshot(workspace_dir)
    result = invoke("import", str(hostile_files[key]), ok=False)
    assert result.exit_code == 1, (result.output, result.exception)
    assert HOSTILE[key][2] in result.stderr and FIX in result.stderr and FIXES[key] in result.stderr, result.stderr
    assert snapshot(workspace_dir) == before, "no project, file or commit half made"
    if with_project:
        assert js("scenes")[0]["heading"] == "EXT. SUNRISE DINER - NIGHT", "the project's script is unchanged"
    leaked_nowhere(workspace_dir, result.stdout, result.stderr)


# ------------------------------------------------------------ the engine, as Chainlit and Slack drive it


@pytest.fixture
def session(workspace_dir, monkeypatch):
    from config.container import Container

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    return Container().session()


@pytest.mark.parametrize("key", list(HOSTILE))
def test_the_engine_refuses_an_upload_beyond_a_limit_and_writes_nothing(workspace_dir, session, hostile_files, key):
    from studio.engine.events import Turn

    before = snapshot(workspace_dir)
    events = list(session.handle(Turn(upload=(hostile_files[key].name, hostile_files[key].read_bytes()))))
    assert [e.kind for e in events] == ["error"], [(e.kind, e.text) for e in events]
    assert HOSTILE[key][2] in events[0].text and FIXES[key] in events[0].text, events[0].text
    assert snapshot(workspace_dir) == before and session.store is None, "no project made for a refused file"
    leaked_nowhere(workspace_dir, *(e.text + repr(e.data) for e in events))


def test_the_faces_refuse_an_oversize_fountain_before_reading_it(tmp_path, settings, hostile_files):
    """Chainlit's upload reader and Slack's file fetch ask the same policy, with the same limit."""
    import asyncio

    from studio.uploads import UploadRefused
    from ui.slack.files import fetch_shared_file
    from ui.web.uploads import read_upload

    huge = hostile_files["fountain-size"]
    with pytest.raises(UploadRefused, match="more than the 1 MB a Fountain screenplay may have"):
        asyncio.run(read_upload(SimpleNamespace(name=huge.name, path=str(huge))))
    shared = {"name": huge.name, "size": huge.stat().st_size, "url_private": "https://files.slack.com/x"}
    with pytest.raises(UploadRefused, match="more than the 1 MB a Fountain screenplay may have"):
        fetch_shared_file(settings, shared)  # refused by its size before any request is made


# ------------------------------------------------------------ the PDF's own limits: time and memory


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    return screenplay_pdf(tmp_path_factory.mktemp("pdf") / "night_shift.pdf").read_bytes()


@pytest.mark.parametrize("limits,words", [({"seconds": 0.3}, "took more than the 0.3 seconds a PDF may take"),
                                          ({"memory_mb": 64}, "needed more than the 64 MB of memory"),
                                          ({"pages": 3}, "has 8 pages, more than the 3 a screenplay PDF")])
def test_a_pdf_is_read_in_a_child_process_within_time_and_memory(sample_pdf, limits, words):
    from studio.uploads import UploadRefused
    from tools.imports import to_fountain
    from tools.imports.pdf_reader import PdfLimits

    with pytest.raises(UploadRefused) as refused:
        to_fountain("night_shift.pdf", sample_pdf, PdfLimits(**limits))
    assert words in refused.value.problem and "split the PDF" in refused.value.fix, str(refused.value)


def test_a_screenplay_pdf_still_imports_and_is_never_parsed_in_the_importing_process(tmp_path, sample_pdf):
    """`auteur import` of a real screenplay PDF, in a fresh process: the scenes arrive, and pdfplumber
    (what reads the pages) was never loaded there, only in the child that exits."""
    pdf = tmp_path / "night_shift.pdf"
    pdf.write_bytes(sample_pdf)
    code = ("import sys, json; from typer.testing import CliRunner; from ui.cli import app\n"
            "r = CliRunner().invoke(app, ['import', sys.argv[1], '--json'])\n"
            "print(json.dumps({'code': r.exit_code, 'out': r.stdout, 'err': r.stderr,\n"
            "                  'loaded': sorted(m for m in sys.modules if m.split('.')[0] in\n"
            "                                   ('pdfplumber', 'pdfminer', 'pypdfium2'))}))")
    env = {**os.environ, "AUTEUR_WORKSPACE": str(tmp_path / "ws"), "AUTEUR_MEMORY": "off"}
    done = subprocess.run([sys.executable, "-c", code, str(pdf)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, (result, done.stderr)
    assert json.loads(result["out"])["scenes"] == 8
    assert result["loaded"] == [], "the PDF was parsed in the importing process"


def test_an_fdx_screenplay_still_imports_through_defusedxml(workspace_dir, session):
    from studio.engine.events import Turn
    from studio.fdx import to_fdx
    from studio.fountain import parse

    fdx = to_fdx(parse(SAMPLE.read_text())).encode()
    events = list(session.handle(Turn(upload=("night_shift.fdx", fdx))))
    assert any(e.kind == "artifact" and e.data and e.data.get("scenes") == 8 for e in events), \
        [(e.kind, e.text) for e in events]


def test_the_pdf_reader_gets_no_secret_of_the_server(monkeypatch, sample_pdf):
    """The child that opens a stranger's PDF runs without the server's tokens and passwords in its environment."""
    import subprocess

    from tools.imports import pdf_reader

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-token")
    monkeypatch.setenv("AUTEUR_USERS", "ann:hunter2")
    seen: dict = {}
    real_run = subprocess.run

    def run(*args, **kwargs):
        seen.update(kwargs.get("env") or {})
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pdf_reader.subprocess, "run", run)
    text = pdf_reader.read_pdf(sample_pdf, "sample.pdf")
    assert "INT." in text.upper() or "EXT." in text.upper()
    assert seen and "PATH" in seen
    assert "SLACK_BOT_TOKEN" not in seen and "AUTEUR_USERS" not in seen
