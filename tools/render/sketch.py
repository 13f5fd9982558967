"""The CPU sketch renderer: a storyboard panel drawn from the shot spec, no model needed.

Shot size is framing (a close-up fills the frame with a face, a wide shot shows
small figures in their setting), angle is the horizon and the tilt of the
frame, characters are labelled figures, and a caption carries the shot number,
size, movement, action and dialogue.
"""

from __future__ import annotations

import io
import textwrap

from studio.models import Angle, Shot, ShotSize
from studio.render import frame_height  # the picture's height; the caption strip sits below it

# How tall a standing figure is, as a share of the frame's height, for each size.
FIGURE_HEIGHT = {
    ShotSize.EWS: 0.14, ShotSize.WS: 0.38, ShotSize.MLS: 0.9, ShotSize.MS: 1.5,
    ShotSize.MCU: 2.4, ShotSize.CU: 3.6, ShotSize.ECU: 7.0,
}
HORIZON = {Angle.LOW: 0.78, Angle.HIGH: 0.22, Angle.OVERHEAD: -1.0}
PAPER, INK, GREY = (250, 248, 240), (30, 30, 30), (150, 150, 150)


def _figure(draw, cx: float, feet_y: float, height: float, label: str, font) -> tuple[float, float, float, float]:
    """A stick-and-oval figure, feet at ``feet_y``; returns its bounding box."""
    head = height * 0.13
    top = feet_y - height
    w = height * 0.28
    draw.ellipse([cx - head / 2, top, cx + head / 2, top + head], outline=INK, width=max(2, int(height / 120)))
    body_top = top + head
    draw.rounded_rectangle([cx - w / 2, body_top, cx + w / 2, feet_y - height * 0.45], radius=max(2, w / 5),
                           outline=INK, width=max(2, int(height / 150)))
    for dx in (-w / 4, w / 4):
        draw.line([cx + dx, feet_y - height * 0.45, cx + dx * 1.3, feet_y], fill=INK, width=max(2, int(height / 150)))
    if label:
        # Above the head when there is room; on the chest when the framing crops the head.
        y = top - 4 if top > 24 else min(feet_y, body_top + 28)
        draw.text((cx, y), label, fill=INK, font=font, anchor="md")
    return cx - w / 2, top, cx + w / 2, feet_y


def render_sketch(shot: Shot, *, width: int = 640, aspect: float = 16 / 9, heading: str = "") -> bytes:
    """A PNG storyboard panel: the frame at ``aspect`` and a caption strip below it."""
    from PIL import Image, ImageDraw, ImageFont

    if width % 8:
        raise ValueError(f"width {width} is not divisible by 8; use e.g. {width - width % 8}")
    frame_h = frame_height(width, aspect)
    caption_h = 120
    img = Image.new("RGB", (width, frame_h + caption_h), PAPER)
    frame = Image.new("RGB", (width, frame_h), PAPER)
    d = ImageDraw.Draw(frame)
    font = ImageFont.load_default(size=max(12, width // 45))
    horizon = HORIZON.get(shot.angle, 0.5)
    if horizon >= 0:
        y = frame_h * horizon
        d.line([0, y, width, y], fill=GREY, width=2)
        # perspective lines to a vanishing point on the horizon
        for k in range(-3, 4):
            d.line([width / 2, y, width / 2 + k * width / 3, frame_h], fill=(205, 205, 205), width=1)
    else:  # overhead: a floor grid
        for k in range(1, 6):
            d.line([0, frame_h * k / 6, width, frame_h * k / 6], fill=(205, 205, 205), width=1)
            d.line([width * k / 6, 0, width * k / 6, frame_h], fill=(205, 205, 205), width=1)
    people = shot.characters or []
    height = FIGURE_HEIGHT[shot.size] * frame_h
    n = max(1, len(people))
    feet = frame_h * (0.92 if shot.size in (ShotSize.EWS, ShotSize.WS, ShotSize.MLS) else 1.0)
    if shot.size in (ShotSize.MS, ShotSize.MCU, ShotSize.CU, ShotSize.ECU):
        # Closer sizes crop the figure: place the head in the upper third.
        feet = frame_h * 0.3 + height * 0.87
    if shot.angle is Angle.LOW:
        height *= 1.1
    elif shot.angle is Angle.HIGH:
        height *= 0.9
    for k, name in enumerate(people or [""]):
        cx = width * (k + 1) / (n + 1)
        if shot.angle is Angle.OVER_THE_SHOULDER and k == 1:
            cx, scale = width * 0.85, 1.4  # the shoulder we look over, large and near
        else:
            scale = 1.0
        if people:
            _figure(d, cx, feet * (1.05 if scale > 1 else 1), height * scale, name.title(), font)
    if not people:  # the setting alone
        d.rectangle([width * 0.2, frame_h * 0.45, width * 0.45, frame_h * 0.75], outline=INK, width=2)
        d.polygon([(width * 0.55, frame_h * 0.75), (width * 0.68, frame_h * 0.4), (width * 0.8, frame_h * 0.75)],
                  outline=INK)
    if shot.angle is Angle.DUTCH:
        frame = frame.rotate(12, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
        d = ImageDraw.Draw(frame)
    d.rectangle([0, 0, width - 1, frame_h - 1], outline=INK, width=3)
    img.paste(frame, (0, 0))
    cap = ImageDraw.Draw(img)
    small = ImageFont.load_default(size=max(11, width // 55))
    cap.text((8, frame_h + 6), f"{shot.code}  {shot.size.value}  {shot.angle.value}  {shot.movement.value}  "
                               f"{shot.lens_mm}mm  {shot.duration_s:g}s  {heading}"[:110], fill=INK, font=font)
    lines = textwrap.wrap(shot.action, 90)[:2] + (textwrap.wrap(f'"{shot.dialogue}"', 90)[:2] if shot.dialogue else [])
    for k, line in enumerate(lines):
        cap.text((8, frame_h + 30 + k * 20), line, fill=INK, font=small)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
