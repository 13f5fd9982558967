"""The process that reads a PDF for tools.imports.pdf_reader, under limits it sets on itself.

Run as ``python -c 'from tools.imports.pdf_child import main; main()'``: standard input is one line of
JSON (the file's name, the limits and the mode) followed by the PDF's bytes; standard output is one line of JSON,
``{"fountain": text}`` (mode "fountain": a screenplay, tools.imports.pdf_script), ``{"text": text}`` (mode
"text": a story's paragraphs, tools.imports.pdf_text) or ``{"kind": …, "problem": …, "fix": …}``. Its address space (RLIMIT_AS) and CPU
time (RLIMIT_CPU) are capped before the PDF libraries are imported, the pages are counted (pypdfium2,
cheap) before any is read, and whatever memory the reading took goes back to the system when it exits.
"""

from __future__ import annotations

import json
import resource
import sys

MEMORY = "memory"  # the kind of a refusal when the reading ran out of its address space


def limit_self(memory_mb: int, seconds: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)
    cpu = int(seconds) + 5  # the parent's wall clock stops it first; this ends an orphan
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def count_pages(data: bytes) -> int | None:
    """The PDF's page count from its page tree, without reading a page; None when pdfium cannot open it
    (pdfplumber then tries, and names the problem)."""
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
    except Exception:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def load_libraries() -> None:
    """pdfplumber and pypdfium2, imported under the cap: a library that cannot be mapped into the capped
    address space is a MemoryError, not a damaged PDF."""
    try:
        import pdfplumber  # noqa: F401
        import pypdfium2  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: ctypes could not load libpdfium
        if "map" in str(exc) or "memory" in str(exc).lower():
            raise MemoryError(str(exc)) from None
        raise


def read(header: dict, data: bytes) -> dict:
    from studio.errors import AuteurError
    from studio.uploads import OTHER_FORMATS

    name, max_pages = str(header["name"]), int(header["pages"])
    story = header.get("mode") == "text"
    load_libraries()
    try:
        pages = count_pages(data)
        if pages is not None and pages > max_pages:
            other = "or save the story as plain text (.txt)" if story else f"or {OTHER_FORMATS}"
            return {"kind": "UploadRefused", "problem": too_many_pages(name, pages, max_pages, story=story),
                    "fix": f"split the PDF into parts of at most {max_pages} pages, {other}"}
        if story:
            from tools.imports.pdf_text import pdf_to_text

            return {"text": pdf_to_text(data, name, max_pages=max_pages)}
        from tools.imports.pdf_script import pdf_to_fountain

        return {"fountain": pdf_to_fountain(data, name, max_pages=max_pages)}
    except AuteurError as exc:
        return {"kind": type(exc).__name__, "problem": exc.problem, "fix": exc.fix}


def too_many_pages(name: str, pages: int, max_pages: int, *, story: bool = False) -> str:
    if story:
        return (f"{name} has {pages:,} pages, more than the {max_pages:,} a story's PDF may have "
                "(a long novel is about 600)")
    return (f"{name} has {pages:,} pages, more than the {max_pages} a screenplay PDF may have "
            "(a feature screenplay is about 120)")


def out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was caused by, running out of the capped address space."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, MemoryError):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def main() -> None:
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    limit_self(int(header["memory_mb"]), float(header["seconds"]))
    try:
        result = read(header, stdin.read())
    except MemoryError:
        result = {"kind": MEMORY}
    except Exception as exc:  # pdfminer wraps a MemoryError in its own exception: still the memory limit
        if not out_of_memory(exc):
            raise
        result = {"kind": MEMORY}
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
