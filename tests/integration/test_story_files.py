"""A story read from the file a person brings (tools.imports.story_reader.read_story): plain text, Markdown,
Word, EPUB and text PDF, and every bad file of issue 15 refused with the problem and the fix.

The files are made here from their formats' own structure, which is the oracle: a .docx is a zip of WordprocessingML
(paragraphs ``w:p`` of runs ``w:t``, styles by id, core.xml's dc:title), an .epub a zip of an OPF package whose
spine orders XHTML chapters; what the XML says is what the reader must give back. PDFs are laid out by fpdf2 (an
independent writer: it wraps the lines itself), and a real public-domain story (tests/corpus/stories) is read
through a PDF and compared, paragraph by paragraph, with its text. The PDF is read in the real child process.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from studio.errors import AuteurError
from studio.story_text import NotAStory, check_story, classify
from studio.uploads import MAX_STORY_ENTRIES, MAX_STORY_UNZIPPED, UploadRefused
from tools.imports.pdf_reader import PdfLimits
from tools.imports.story_reader import read_story
from tests.story_builders import W_NS, docx, scanned_pdf

STORIES = Path(__file__).resolve().parents[1] / "corpus" / "stories"
SAMPLE = Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain"


# ------------------------------------------------------------ Word


def para(*runs: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}" + "".join(f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in runs) + "</w:p>"


def test_a_word_story_reads_as_its_paragraphs_with_headings_and_metadata():
    body = (para("The Keeper", style="Heading1")
            + para("The lighthouse keeper's daugh", "ter had never seen the mainland.")  # one word over two runs
            + '<w:p><w:r><w:t>She rowed</w:t></w:r><w:r><w:tab/><w:t>out alone.</w:t></w:r>'
              '<w:del><w:r><w:delText>DELETED WORDS</w:delText></w:r></w:del></w:p>'
            + "<w:p/>"  # an empty paragraph is no paragraph
            + '<w:tbl><w:tr><w:tc>' + para("A table's cell is text too.") + "</w:tc></w:tr></w:tbl>")
    story = read_story("Keeper.docx", docx(body, title="The Keeper &amp; the Sea", creator="Ann Example"))
    assert story.format == "docx" and story.title == "The Keeper & the Sea" and story.author == "Ann Example"
    assert story.text.split("\n\n") == ["# The Keeper", "The lighthouse keeper's daughter had never seen the mainland.",
                                        "She rowed out alone.", "A table's cell is text too."]


def test_word_heading_styles_are_found_by_their_names_not_their_ids():
    """A German Word names its heading style id 'berschrift1' and its name 'heading 1'."""
    body = para("Erstes Kapitel", style="berschrift1") + para("Text.", style="Standard")
    story = read_story("k.docx", docx(body, styles={"berschrift1": "heading 1", "Standard": "Normal"}))
    assert story.text == "# Erstes Kapitel\n\nText."


def screenplay_docx(styled: bool) -> bytes:
    """The sample screenplay typed into Word, one paragraph per element, with or without screenwriting styles."""
    from studio.fountain import parse
    from studio.fountain.elements import ElementType

    names = {ElementType.SCENE_HEADING: "SceneHeading", ElementType.CHARACTER: "Character",
             ElementType.DIALOGUE: "Dialogue", ElementType.ACTION: "Action"}
    body = ""
    for element in parse(SAMPLE.read_text()).elements:
        if element.type in names and element.text.strip():
            body += para(element.text.replace("\n", " ").replace("&", "&amp;").replace("<", "&lt;"),
                         style=names[element.type] if styled else "")
    styles = {"SceneHeading": "Scene Heading", "Character": "Character", "Dialogue": "Dialogue", "Action": "Action"}
    return docx(body, styles=styles)


@pytest.mark.parametrize("styled", [True, False], ids=["screenwriting-styles", "plain-paragraphs"])
def test_a_screenplay_inside_a_docx_is_refused_with_the_fix(styled):
    with pytest.raises(NotAStory) as refused:
        read_story("Night Shift.docx", screenplay_docx(styled))
    assert refused.value.problem == "Night Shift.docx is a screenplay saved as Word, not a story in prose"
    assert "export it from your writing app as Fountain, FDX or PDF" in refused.value.fix
    assert "--as prose" in refused.value.fix
    forced = read_story("Night Shift.docx", screenplay_docx(styled), as_prose=True)  # the person's word
    assert "INT." in forced.text or "EXT." in forced.text


def test_a_docx_zip_bomb_is_stopped_as_it_inflates():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (MAX_STORY_UNZIPPED + 10))
    assert len(out.getvalue()) < 1024 * 1024  # a small file that unpacks to more than the limit
    with pytest.raises(UploadRefused) as refused:
        read_story("bomb.docx", out.getvalue())
    assert "bomb.docx unpacks to more than the 64 MB a story's Word (.docx) may hold" in refused.value.problem


def test_a_zip_of_too_many_entries_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in range(MAX_STORY_ENTRIES + 1):
            z.writestr(f"f{n}", b"")
    with pytest.raises(UploadRefused, match=f"holds {MAX_STORY_ENTRIES + 1:,} files"):
        read_story("many.epub", out.getvalue())


@pytest.mark.parametrize("data,said", [
    (b"PK\x03\x04 not really a zip", "is not a valid Word (.docx) file (its zip is damaged)"),
    (docx("").replace(b"word/document.xml", b"word/documenX.xml"), "is not a Word document"),
])
def test_a_damaged_docx_is_named(data, said):
    with pytest.raises(NotAStory, match=re.escape(said)):
        read_story("broken.docx", data)


def test_a_docx_with_entities_is_refused_and_nothing_is_expanded():
    laughs = ('<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              f'<w:document {W_NS}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    data = docx("").replace(b"word/document.xml", b"word/document.old")
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("word/document.xml", laughs)
    with pytest.raises(UploadRefused, match="declares a document type with entities"):
        read_story("laughs.docx", buf.getvalue())


# ------------------------------------------------------------ EPUB


def epub(chapters: dict[str, str], spine: list[str], *, extra: dict[str, str] | None = None,
         title: str = "The Keeper", creator: str = "Ann Example") -> bytes:
    """An EPUB 2 as e-book tools write one: mimetype first, container.xml naming the OPF, the OPF's metadata,
    manifest and spine, XHTML chapters with the XHTML 1.1 DOCTYPE and HTML entities."""
    out = io.BytesIO()
    manifest = "".join(f'<item id="{cid}" href="Text/{cid}.xhtml" media-type="application/xhtml+xml"/>'
                       for cid in chapters)
    itemrefs = "".join(f'<itemref idref="{cid}"/>' for cid in spine)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:'
                   'names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" '
                   'media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr("OEBPS/content.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                   'version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></metadata>"
                   f"<manifest>{manifest}</manifest><spine>{itemrefs}</spine></package>")
        for cid, body in chapters.items():
            z.writestr(f"OEBPS/Text/{cid}.xhtml",
                       '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
                       '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
                       f"<head><title>{cid}</title><style>p {{}}</style></head><body>{body}</body></html>")
        for name, content in (extra or {}).items():
            z.writestr(name, content)
    return out.getvalue()


CHAPTERS = {"c2": "<h2>II. The Crossing</h2><p>She rowed out&nbsp;alone &mdash; the sea let her pass.</p>",
            "c1": "<h1>I. The Lamp</h1><p>The keeper's daughter<br/>watched the ferry.</p>"
                  "<div><p>“They’ll come,” her father said.</p></div><script>ignored()</script>"}


def test_an_epub_reads_in_spine_order_with_its_metadata():
    story = read_story("keeper.epub", epub(CHAPTERS, ["c1", "c2"]))
    assert story.format == "epub" and story.title == "The Keeper" and story.author == "Ann Example"
    assert story.text.split("\n\n") == ["# I. The Lamp", "The keeper's daughter watched the ferry.",
                                        "“They’ll come,” her father said.", "# II. The Crossing",
                                        "She rowed out alone — the sea let her pass."]  # &nbsp; is a space


ENCRYPTION = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
              'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
              '<enc:EncryptionMethod Algorithm="{alg}"/><enc:CipherData>'
              '<enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData></encryption>')


@pytest.mark.parametrize("extra", [
    {"META-INF/rights.xml": "<rights/>"},
    {"META-INF/encryption.xml": ENCRYPTION.format(alg="http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                                                  uri="OEBPS/Text/c1.xhtml")},
    {"META-INF/sinf.xml": "<sinf/>"},
], ids=["adobe-rights", "encrypted-chapters", "apple-fairplay"])
def test_an_epub_with_drm_is_refused_with_the_fix(extra):
    with pytest.raises(AuteurError) as refused:
        read_story("Locked.epub", epub(CHAPTERS, ["c1", "c2"], extra=extra))
    assert refused.value.problem.startswith("Locked.epub is protected by DRM"), refused.value.problem
    assert "bring a DRM-free copy" in refused.value.fix


def test_an_epub_with_obfuscated_fonts_only_is_not_drm():
    extra = {"META-INF/encryption.xml": ENCRYPTION.format(alg="http://www.idpf.org/2008/embedding",
                                                          uri="OEBPS/Fonts/serif.otf")}
    assert read_story("fonts.epub", epub(CHAPTERS, ["c1"], extra=extra)).text.startswith("# I. The Lamp")


def test_an_epub_without_a_container_is_named():
    data = epub(CHAPTERS, ["c1"]).replace(b"META-INF/container.xml", b"META-INF/container.old")
    with pytest.raises(NotAStory, match="is not a valid EPUB"):
        read_story("odd.epub", data)


# ------------------------------------------------------------ plain text and Markdown


def test_a_gutenberg_text_loses_its_header_and_licence_and_keeps_title_and_author():
    text = ("The Project Gutenberg eBook of The Keeper\r\n\r\nTitle: The Keeper\r\n\r\nAuthor: Ann Example\r\n\r\n"
            "*** START OF THE PROJECT GUTENBERG EBOOK THE KEEPER ***\r\n\r\nCHAPTER I\r\n\r\nThe keeper's "
            "daughter had\r\nnever seen the mainland.\r\n\r\n*** END OF THE PROJECT GUTENBERG EBOOK THE KEEPER "
            "***\r\n\r\nSection 1. General Terms of Use\r\n")
    story = read_story("keeper.txt", text.encode("cp1252"))
    assert (story.title, story.author, story.format) == ("The Keeper", "Ann Example", "txt")
    assert story.text == "# CHAPTER I\n\nThe keeper's daughter had never seen the mainland."


def test_a_named_encoding_is_used_and_a_wrong_one_is_named():
    text = "Zoë walked to the harbour and counted the boats. " * 10
    assert read_story("zoe.txt", text.encode("cp1251", errors="replace"), encoding="cp1251").text.startswith("Zo")
    assert read_story("zoe.txt", text.encode("latin-1"), encoding="latin-1").text == text.strip()
    with pytest.raises(NotAStory, match="not an encoding Python knows"):
        read_story("zoe.txt", b"abc", encoding="klingon-8")
    with pytest.raises(NotAStory, match="zoe.txt is not valid utf-8"):
        read_story("zoe.txt", text.encode("latin-1"), encoding="utf-8")


def test_a_markdown_story_takes_its_title_from_its_first_heading():
    md = "# The Keeper\n\n## Chapter One\n\nThe *keeper's* daughter read [the log](log.html).\n> She rowed.\n"
    story = read_story("keeper.md", md.encode())
    assert story.title == "The Keeper" and story.format == "md"
    assert story.text.split("\n\n") == ["# The Keeper", "# Chapter One",
                                        "The keeper's daughter read the log. She rowed."]


def test_a_screenplay_in_a_text_file_comes_back_as_written():
    text = SAMPLE.read_text()
    story = read_story("night_shift.txt", text.encode())
    assert story.text == text and classify(story.text) == "screenplay"


@pytest.mark.parametrize("path", sorted(STORIES.glob("*/story.txt")), ids=lambda p: p.parent.name)
def test_real_stories_read_as_their_paragraphs(path):
    raw = path.read_text(encoding="utf-8")
    story = read_story(path.name, raw.encode("utf-8"))
    expected = [" ".join(block.split()) for block in re.split(r"\n\s*\n", raw) if block.strip()]
    got = [p.removeprefix("# ") for p in story.text.split("\n\n")]
    assert got == expected
    check_story(path.name, story.text)


def test_a_2000_page_text_is_read_then_refused_by_its_word_count():
    paragraph = "She walked down to the old harbour and looked at the boats in the rain. " * 4
    data = ("\n\n".join([paragraph.strip()] * 10_000)).encode()  # 600,000 words, 3.7 MB
    story = read_story("saga.txt", data)
    with pytest.raises(NotAStory, match=r"saga.txt is 600,000 words long \(about 2,000 pages\)"):
        check_story("saga.txt", story.text)


def test_a_text_in_a_language_we_lack_is_refused():
    text = ("Le vieil homme était maigre et sec, avec des rides profondes sur la nuque. " * 4 + "\n\n") * 10
    story = read_story("conte.txt", text.encode("utf-8"))
    with pytest.raises(NotAStory, match="conte.txt is in French, a language Auteur's story reader does not know"):
        check_story("conte.txt", story.text)


# ------------------------------------------------------------ PDF (read in the child process)


def story_pdf(paragraphs: list[str], *, indent: bool) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_margins(72, 72, 72)
    pdf.set_font("Times", size=12)
    pdf.add_page()
    for number, text in enumerate(paragraphs):
        pdf.set_x(72 + (18 if indent else 0))
        pdf.multi_cell(0 if not indent else pdf.epw - 18, 15, text)
        if not indent:
            pdf.ln(12)
        pdf.set_y(pdf.get_y())
        if number == 3:
            pdf.add_page()
    return bytes(pdf.output())


def _real_paragraphs() -> list[str]:
    raw = (STORIES / "gift_of_the_magi" / "story.txt").read_text(encoding="utf-8")
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", raw) if b.strip()]
    return [b.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "--") for b in blocks[2:12]]


@pytest.mark.parametrize("indent", [False, True], ids=["spaced-paragraphs", "indented-paragraphs"])
def test_a_text_pdf_reads_back_as_its_paragraphs(indent):
    paragraphs = _real_paragraphs()  # fpdf2's core fonts are Latin-1: the quotes as plain ASCII
    story = read_story("magi.pdf", story_pdf(paragraphs, indent=indent))
    assert story.format == "pdf"
    assert story.text.split("\n\n") == paragraphs


def test_a_scanned_pdf_is_refused_with_the_fix():
    with pytest.raises(AuteurError) as refused:
        read_story("scan.pdf", scanned_pdf(3))
    assert refused.value.problem == "scan.pdf is a scanned PDF (images only): it has no text Auteur can read"
    assert "run OCR" in refused.value.fix and "plain text" in refused.value.fix


def test_a_2000_page_pdf_is_refused_before_a_page_is_read():
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_font("Times", size=12)
    for n in range(2000):
        pdf.add_page()
        pdf.text(72, 72, f"Page {n + 1} of the saga.")
    with pytest.raises(UploadRefused) as refused:
        read_story("saga.pdf", bytes(pdf.output()))
    assert "saga.pdf has 2,000 pages, more than the 1,000 a story's PDF may have" in refused.value.problem
    assert "split the PDF" in refused.value.fix


def test_a_story_pdf_is_held_to_its_time():
    paragraphs = _real_paragraphs()
    with pytest.raises(UploadRefused, match="took more than the 0.2 seconds"):
        read_story("magi.pdf", story_pdf(paragraphs, indent=False), PdfLimits(seconds=0.2))
