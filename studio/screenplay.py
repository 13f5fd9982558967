"""Bringing a screenplay in: bytes → text → parsed script, with clear refusals."""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass

from studio.breakdown import break_down, script_summary
from studio.errors import AuteurError, NotAScreenplay
from studio.fountain import FountainDocument, parse
from studio.fountain.elements import ElementType
from studio.models import MAX_RUNTIME_MINUTES, Breakdown, Brief, Script
from studio.uploads import MAX_FOUNTAIN, MB

log = logging.getLogger("auteur.import")
MAX_SCRIPT_BYTES = MAX_FOUNTAIN  # the text of a screenplay, whatever file it came in
FOUNTAIN_SUFFIXES = (".fountain", ".spmd", ".txt", ".md")


@dataclass
class ImportedScript:
    text: str
    encoding: str
    document: FountainDocument
    script: Script
    breakdown: Breakdown
    brief: Brief


def decode(name: str, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) of a screenplay file. Refuse binary data and bytes in an encoding we cannot tell."""
    if not data.strip():
        raise NotAScreenplay(f"{name} is empty", "write the screenplay in Fountain and import it again")
    if len(data) > MAX_SCRIPT_BYTES:
        raise NotAScreenplay(
            f"{name} is {len(data) / MB:.1f} MB of text, more than the {MAX_SCRIPT_BYTES / MB:g} MB "
            "(about 900 pages) a screenplay may have",
            "split the screenplay into parts, or check that this is the screenplay file",
        )
    return decode_text(name, data, encoding, refused=NotAScreenplay, what="a screenplay",
                       resave="import a Fountain (.fountain) text file; export it from your screenwriting app as "
                              "Fountain")


def decode_text(name: str, data: bytes, encoding: str | None, *, refused: type[AuteurError], what: str,
                resave: str) -> tuple[str, str]:
    """(text, encoding) of a text file — a screenplay's or a story's: in ``encoding`` when the person names it,
    else by a byte-order mark, UTF-16 without one, UTF-8, else Windows-1252 when that reads as text. Binary
    data (``resave`` says what to bring instead) and bytes in an encoding we cannot tell are ``refused``."""
    if encoding:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding), encoding
        except LookupError:
            raise refused(f"{encoding!r} is not an encoding Python knows",
                          "use a name such as utf-8, cp1252, latin-1 or utf-16") from None
        except UnicodeDecodeError as exc:
            raise refused(f"{name} is not valid {encoding} (byte {exc.start})",
                          "pass the file's real encoding with --encoding, or save it as UTF-8") from None
    bom = bom_encoding(data) or bomless_utf16(data)
    if bom:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            raise refused(f"{name} starts like {bom} text but is damaged at byte {exc.start}",
                          "save the file again as UTF-8 from your editor, then bring it again") from None
    if b"\x00" in data[:8192] or control_ratio(data[:8192]) > 0.05:
        raise refused(f"{name} is a binary file, not {what}", resave)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and looks_like_text(text):
        log.warning("%s is not UTF-8; read it as Windows-1252 (cp1252). If names look wrong, "
                    "import it again with --encoding (e.g. --encoding cp1251)", name)
        return text, "cp1252"
    raise refused(f"cannot tell the text encoding of {name}: it is not UTF-8 (invalid byte at offset {utf8_error})",
                  "save the file as UTF-8, or name its encoding with --encoding (e.g. --encoding latin-1)")


def bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: text whose every other byte is zero."""
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.7 * len(sample) / 2 and even < 0.05 * len(sample) / 2:
        return "utf-16-le"
    if even > 0.7 * len(sample) / 2 and odd < 0.05 * len(sample) / 2:
        return "utf-16-be"
    return None


def control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def looks_like_text(text: str) -> bool:
    letters = sum(1 for ch in text if ch.isalpha() or ch.isspace() or ch in ".,;:!?'\"()-*#=_~>[]/@^")
    return letters / max(1, len(text)) > 0.9


def check_is_screenplay(name: str, doc: FountainDocument) -> None:
    headings = doc.of_type(ElementType.SCENE_HEADING)
    if headings:
        return
    cues = doc.of_type(ElementType.CHARACTER)
    what = f"{len(cues)} character cues but no scene heading" if cues else "no scene heading and no dialogue"
    raise NotAScreenplay(
        f"{name} does not look like a screenplay: it has {what}",
        "start each scene with a heading such as 'INT. DINER - NIGHT' or 'EXT. ROAD - DAY' "
        "(or force one with a leading '.'), with a blank line before it",
    )


def brief_from_title_page(doc: FountainDocument, name: str, fallback_title: str = "") -> Brief:
    def get(*keys: str) -> str:
        from studio.fountain import plain_text

        return plain_text(doc.title_value(*keys) or "").strip()

    authors = [a.strip() for a in get("author", "authors", "written by").split("\n") if a.strip()]
    return Brief(
        title=(get("title").replace("\n", " ") or fallback_title)[:200],
        logline=get("logline", "notes")[:600],
        credit=get("credit")[:100],
        authors=authors[:10],
        source=get("source")[:300],
        draft_date=get("draft date", "date")[:100],
        contact=get("contact")[:500],
        imported_from=name,
    )


def read_fountain(name: str, data: bytes, *, encoding: str | None = None,
                  fallback_title: str = "") -> ImportedScript:
    """Read a Fountain screenplay and derive its script, breakdown and brief."""
    text, used = decode(name, data, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = parse(text)
    check_is_screenplay(name, doc)
    breakdown = break_down(doc)
    brief = brief_from_title_page(doc, name, fallback_title)
    if breakdown.total_seconds:
        minutes = round(breakdown.total_seconds / 60, 1)
        brief.runtime_minutes = min(MAX_RUNTIME_MINUTES, max(0.1, minutes))
    return ImportedScript(text=text, encoding=used, document=doc,
                          script=script_summary(text, doc, breakdown), breakdown=breakdown, brief=brief)
