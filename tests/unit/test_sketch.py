"""The CPU sketch renderer: framing, aspect and angle measured on the pixels."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from studio.models import Angle, Shot, ShotSize
from tools.render.sketch import render_sketch


def frame_of(png: bytes, aspect: float, width: int = 640):
    im = Image.open(io.BytesIO(png)).convert("L")
    frame_h = int(round(width / aspect / 8) * 8)
    return im, im.crop((4, 4, width - 4, frame_h - 4)), frame_h


def ink_box(frame) -> tuple[int, int, int, int] | None:
    """Bounding box of the figures' ink (the darkest strokes; guides are grey)."""
    mask = frame.point(lambda v: 255 if v < 80 else 0)
    return mask.getbbox()


def shot(size=ShotSize.MS, angle=Angle.EYE_LEVEL, characters=("NELL",)):
    return Shot(scene=1, number=1, size=size, angle=angle, characters=list(characters), action="She waits.")


def test_panel_has_the_aspect_ratio_and_a_caption():
    png = render_sketch(shot(), aspect=2.39)
    im, frame, frame_h = frame_of(png, 2.39)
    assert im.size == (640, frame_h + 120) and frame_h % 8 == 0
    assert abs(640 / frame_h - 2.39) < 0.1
    caption = im.crop((0, frame_h + 2, 640, frame_h + 120))
    assert caption.point(lambda v: 255 if v < 80 else 0).getbbox() is not None, "the caption is written"


def test_closer_sizes_fill_more_of_the_frame():
    heights = {}
    for size in (ShotSize.EWS, ShotSize.WS, ShotSize.MS, ShotSize.CU):
        _, frame, frame_h = frame_of(render_sketch(shot(size), aspect=16 / 9), 16 / 9)
        box = ink_box(frame)
        heights[size] = (box[3] - box[1]) / frame.height
    assert heights[ShotSize.EWS] < heights[ShotSize.WS] < heights[ShotSize.MS] <= heights[ShotSize.CU]
    assert heights[ShotSize.EWS] < 0.3 and heights[ShotSize.CU] > 0.8


def test_angle_moves_the_horizon_and_dutch_tilts_it():
    def horizon_row(png):
        _, frame, _ = frame_of(png, 16 / 9)
        rows = [sum(1 for x in range(0, frame.width, 4) if 120 < frame.getpixel((x, y)) < 200)
                for y in range(frame.height)]
        return rows.index(max(rows)) / frame.height, max(rows)

    low, _ = horizon_row(render_sketch(shot(angle=Angle.LOW, characters=()), aspect=16 / 9))
    high, _ = horizon_row(render_sketch(shot(angle=Angle.HIGH, characters=()), aspect=16 / 9))
    _, level_run = horizon_row(render_sketch(shot(characters=()), aspect=16 / 9))
    _, dutch_run = horizon_row(render_sketch(shot(angle=Angle.DUTCH, characters=()), aspect=16 / 9))
    assert low > 0.7 and high < 0.3
    assert dutch_run < level_run / 2, "a dutch angle's horizon is no longer one level row"


def test_width_must_divide_by_8():
    with pytest.raises(ValueError, match="divisible by 8"):
        render_sketch(shot(), width=641)
