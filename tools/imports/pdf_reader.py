"""A PDF screenplay (or a story's text PDF) read in a child process, so that the server's event loop and memory
never see it.

The child (tools.imports.pdf_child) counts the pages first and refuses more than ``pages``, reads the
text under an address-space cap of ``memory_mb`` and is killed after ``seconds`` of wall-clock time;
the memory it used goes back to the system when it exits. At most ``CHILDREN`` read at once: a flood
of uploads waits its turn instead of multiplying the memory.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from studio.errors import AuteurError, NotAScreenplay
from studio.uploads import (
    MAX_PDF_PAGES,
    MAX_STORY_PDF_PAGES,
    OTHER_FORMATS,
    PDF_MEMORY_MB,
    PDF_SECONDS,
    STORY_PDF_SECONDS,
    UploadRefused,
)

CHILDREN = 2
_slots = threading.BoundedSemaphore(CHILDREN)
ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the `tools` and `studio` packages
CHILD = "import sys; sys.path.insert(0, sys.argv[1]); from tools.imports.pdf_child import main; main()"


@dataclass(frozen=True)
class PdfLimits:
    pages: int = MAX_PDF_PAGES
    seconds: float = PDF_SECONDS
    memory_mb: int = PDF_MEMORY_MB


def story_pdf_limits() -> PdfLimits:
    """A story's PDF may be a novel: more pages, and the time to read them."""
    return PdfLimits(pages=MAX_STORY_PDF_PAGES, seconds=STORY_PDF_SECONDS)


CHILD_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")
STORY_FIX = "or save the story as plain text (.txt) or Word (.docx)"


def read_pdf(data: bytes, name: str, limits: PdfLimits | None = None) -> str:
    """The screenplay in a PDF as Fountain text, or an AuteurError naming the limit passed and the fix."""
    return _in_child(data, name, limits or PdfLimits(), "fountain")


def read_pdf_text(data: bytes, name: str, limits: PdfLimits | None = None) -> str:
    """The text of a story's PDF, paragraphs separated by a blank line (tools.imports.pdf_text), read in the
    child under the story limits; an AuteurError when it has no text layer (a scan) or passes a limit."""
    return _in_child(data, name, limits or story_pdf_limits(), "text")


def _in_child(data: bytes, name: str, limits: PdfLimits, mode: str) -> str:
    other = OTHER_FORMATS if mode == "fountain" else STORY_FIX.removeprefix("or ")
    if not _slots.acquire(timeout=limits.seconds):
        raise AuteurError(f"the studio is busy reading {CHILDREN} other PDFs, so {name} was not read",
                          f"upload it again in a minute, or {other}")
    try:
        return _run_child(data, name, limits, mode, other)
    finally:
        _slots.release()


def _run_child(data: bytes, name: str, limits: PdfLimits, mode: str = "fountain",
               other: str = OTHER_FORMATS) -> str:
    header = {"name": name, "pages": limits.pages, "seconds": limits.seconds, "memory_mb": limits.memory_mb,
              "mode": mode}
    # The child reads a stranger's file: it gets no secret of the server (tokens, passwords, keys), only what a
    # Python process needs to start and read text.
    env = {key: os.environ[key] for key in CHILD_ENV if key in os.environ}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    try:
        done = subprocess.run([sys.executable, "-I", "-c", CHILD, str(ROOT)], env=env,
                              input=json.dumps(header).encode() + b"\n" + data, capture_output=True,
                              timeout=limits.seconds, check=False)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child and waited for it
        raise UploadRefused(f"{name} took more than the {limits.seconds:g} seconds a PDF may take to read",
                            f"split the PDF into shorter parts, or {other}") from None
    result = _result(done.stdout)
    if result == {} and done.returncode == -signal.SIGXCPU:
        raise UploadRefused(f"{name} took more than the {limits.seconds:g} seconds a PDF may take to read",
                            f"split the PDF into shorter parts, or {other}")
    if result.get("kind") == "memory" or (result == {} and done.returncode < 0):
        damaged = "" if result else " (or it is damaged)"  # killed by a signal: out of memory, or a crash
        raise UploadRefused(f"{name} needed more than the {limits.memory_mb} MB of memory a PDF may take to "
                            f"read{damaged}", f"split the PDF into shorter parts, or {other}")
    if mode in result:
        return str(result[mode])
    if "problem" in result:
        error = {"UploadRefused": UploadRefused, "NotAScreenplay": NotAScreenplay}.get(str(result.get("kind")),
                                                                                       AuteurError)
        raise error(str(result["problem"]), str(result.get("fix") or ""))
    what = "screenplay" if mode == "fountain" else "story"
    raise (NotAScreenplay if mode == "fountain" else AuteurError)(
        f"{name} is not a readable PDF (reading it failed)", f"export the {what} again as PDF, or {other}")


def _result(stdout: bytes) -> dict:
    lines = stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return {}
    return result if isinstance(result, dict) else {}
