"""The shot list as CSV and PDF, and the storyboard as a PDF of panels."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TypeGuard

from studio.models import SHOT_SIZE_NAMES, Shot, ShotList
from tools.exports.script_pdf import _latin

COLUMNS = ["shot", "scene", "number", "size", "angle", "movement", "lens_mm", "duration_s", "characters", "action",
           "dialogue", "notes", "board"]


def shotlist_csv(shots: ShotList, boards: dict[str, Path]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for s in shots.shots:
        board = boards.get(s.code)
        w.writerow([s.code, s.scene, s.number, s.size.value, s.angle.value, s.movement.value, s.lens_mm,
                    f"{s.duration_s:g}", "; ".join(s.characters), s.action, s.dialogue, s.notes,
                    board.name if board else ""])
    return out.getvalue()


def _image_ok(path: Path | None) -> TypeGuard[Path]:
    """A board file that is there and reads as an image."""
    if path is None or not path.is_file():
        return False
    try:
        from PIL import Image

        with Image.open(path) as im:
            im.verify()
        return True
    except Exception:
        return False


def shotlist_pdf(shots: ShotList, boards: dict[str, Path], path: Path, title: str) -> int:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="pt", format="letter")
    pdf.set_auto_page_break(True, margin=36)
    pdf.set_title(_latin(f"{title} - shot list"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 20, _latin(f"{title} - shot list"), new_x="LMARGIN", new_y="NEXT")
    widths = [70, 90, 70, 70, 50, 40, 200, 130]
    heads = ["Shot", "Board", "Size", "Angle / move", "Lens", "Sec", "Action", "Dialogue"]
    pdf.set_font("Helvetica", "B", 8)
    for w, h in zip(widths, heads):
        pdf.cell(w, 14, h, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=7)
    row_h = 54
    for s in shots.shots:
        if pdf.get_y() + row_h > pdf.h - 40:
            pdf.add_page()
        x, y = pdf.get_x(), pdf.get_y()
        cells = [s.code, "", s.size.value, f"{s.angle.value}\n{s.movement.value}", f"{s.lens_mm}mm",
                 f"{s.duration_s:g}", s.action[:220], s.dialogue[:140]]
        for w, text in zip(widths, cells):
            pdf.rect(x, y, w, row_h)
            pdf.set_xy(x + 2, y + 2)
            pdf.multi_cell(w - 4, 9, _latin(text), max_line_height=9)
            x += w
        board = boards.get(s.code)
        if _image_ok(board):
            pdf.image(str(board), x=pdf.l_margin + widths[0] + 3, y=y + 3, h=row_h - 6)
        pdf.set_xy(pdf.l_margin, y + row_h)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return pdf.pages_count


def _panel(pdf, shot: Shot, board: Path | None, x: float, y: float, w: float, h: float, aspect: float) -> None:
    frame_h = min(h * 0.62, w / aspect)
    frame_w = frame_h * aspect
    fx = x + (w - frame_w) / 2
    pdf.set_draw_color(0)
    pdf.set_line_width(1.2)
    if _image_ok(board):
        from PIL import Image

        with Image.open(board) as im:
            iw, ih = im.size
        draw_w = min(w, (h * 0.78) * iw / ih)  # the board keeps its own shape (a sketch carries its caption)
        frame_h = draw_w * ih / iw
        fx = x + (w - draw_w) / 2
        pdf.image(str(board), x=fx, y=y, w=draw_w, h=frame_h)
        pdf.rect(fx, y, draw_w, frame_h)
    else:
        # No board yet: the frame drawn from the spec, so the page still reads as a storyboard.
        pdf.set_fill_color(235, 235, 235)
        pdf.rect(fx, y, frame_w, frame_h, style="DF")
        pdf.set_font("Helvetica", "B", 10)
        pdf.set_xy(fx, y + frame_h / 2 - 12)
        pdf.cell(frame_w, 12, _latin(SHOT_SIZE_NAMES[shot.size].upper()), align="C")
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(fx, y + frame_h / 2 + 2)
        pdf.cell(frame_w, 10, _latin(", ".join(shot.characters) or "setting"), align="C")
    pdf.set_xy(x, y + frame_h + 4)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(w, 11, _latin(f"{shot.code}  {shot.size.value}  {shot.angle.value}  {shot.movement.value}  "
                           f"{shot.lens_mm}mm  {shot.duration_s:g}s"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.set_font("Helvetica", size=8)
    caption = shot.action[:200] + (f"\n{shot.dialogue[:160]}" if shot.dialogue else "")
    pdf.multi_cell(w, 9.5, _latin(caption), max_line_height=9.5)


def storyboard_pdf(shots: ShotList, boards: dict[str, Path], path: Path, title: str, aspect: float) -> int:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_title(_latin(f"{title} - storyboard"))
    cols, rows, margin = 3, 2, 30
    cell_w = (pdf.w - 2 * margin) / cols
    cell_h = (pdf.h - 2 * margin - 20) / rows
    for k, shot in enumerate(shots.shots):
        if k % (cols * rows) == 0:
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 12)
            pdf.set_xy(margin, 12)
            pdf.cell(0, 14, _latin(f"{title} - storyboard, page {k // (cols * rows) + 1}"))
        slot = k % (cols * rows)
        x = margin + (slot % cols) * cell_w
        y = margin + 20 + (slot // cols) * cell_h
        _panel(pdf, shot, boards.get(shot.code), x + 6, y, cell_w - 12, cell_h - 8, aspect)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return pdf.pages_count
