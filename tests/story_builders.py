"""Story files built in a test from their formats' own structure: what the XML says is what a reader of the file
must give back (tests/integration/test_story_files.py, tests/adversarial/test_story_attacks.py)."""

from __future__ import annotations

import io
import zipfile

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(body: str, *, styles: dict[str, str] | None = None, title: str = "", creator: str = "",
         extra: dict[str, bytes] | None = None, target: str = "word/document.xml") -> bytes:
    """A .docx as Word writes one: content types, the package relationship to its main part (``target``), the
    document, its styles (id → name), core properties, and any ``extra`` entries (an attacker's)."""
    styles = styles or {"Heading1": "heading 1", "Normal": "Normal"}
    style_xml = "".join(f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
                        for sid, name in styles.items())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   f'officeDocument/2006/relationships/officeDocument" Target="{target}"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {W_NS}><w:body>{body}</w:body>'
                                        "</w:document>")
        z.writestr("word/styles.xml", f'<?xml version="1.0"?><w:styles {W_NS}>{style_xml}</w:styles>')
        z.writestr("docProps/core.xml", '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.'
                   'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/'
                   f'1.1/"><dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></cp:coreProperties>')
        for name, content in (extra or {}).items():
            z.writestr(name, content)
    return out.getvalue()


def scanned_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages that are images only (a scan): no text layer at all (fpdf2 and Pillow)."""
    from fpdf import FPDF
    from PIL import Image

    scan = io.BytesIO()
    Image.new("L", (200, 260), color=230).save(scan, format="PNG")
    pdf = FPDF(format="letter", unit="pt")
    for _ in range(pages):
        pdf.add_page()
        pdf.image(io.BytesIO(scan.getvalue()), x=0, y=0, w=612, h=792)
    return bytes(pdf.output())
