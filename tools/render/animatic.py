"""The CPU animatic renderer: a keyframe moved by the shot's camera, encoded H.264 MP4.

The camera is a window over the keyframe. A static shot holds the whole frame;
a pan slides the window across, a tilt up or down, a push-in (dolly-in,
zoom-in) narrows it on the centre, a pull-out widens it back to the full frame,
a crane rises while it pushes in, and handheld drifts a few pixels, seeded so
the same take moves the same way. Moves ease in and out like a real head.
"""

from __future__ import annotations

import io
import math
import random

from studio.models import Movement, Shot

# How far each move travels, as a share of the frame.
PAN_TRAVEL = 0.22  # the window is this much narrower than the frame and slides across it
ZOOM_RATIO = 0.72  # a push-in ends on this share of the frame's width
HANDHELD_PX = 0.012


def ease(t: float) -> float:
    """Smoothstep: slow start, slow stop."""
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def window(movement: Movement, t: float, w: int, h: int, *, rng: random.Random | None = None
           ) -> tuple[float, float, float, float]:
    """The crop box (left, top, right, bottom) over a w×h keyframe at time t in 0..1."""
    e = ease(t)
    if movement in (Movement.PAN, Movement.TRACK):
        cw, ch = w * (1 - PAN_TRAVEL), h * (1 - PAN_TRAVEL)
        x = (w - cw) * e
        y = (h - ch) / 2
        return x, y, x + cw, y + ch
    if movement is Movement.TILT:
        cw, ch = w * (1 - PAN_TRAVEL), h * (1 - PAN_TRAVEL)
        x = (w - cw) / 2
        y = (h - ch) * (1 - e)  # tilt up: from the bottom of the frame to the top
        return x, y, x + cw, y + ch
    if movement in (Movement.DOLLY_IN, Movement.PUSH_IN, Movement.ZOOM_IN, Movement.DOLLY_OUT,
                    Movement.PULL_OUT, Movement.ZOOM_OUT, Movement.CRANE):
        inward = movement in (Movement.DOLLY_IN, Movement.PUSH_IN, Movement.ZOOM_IN, Movement.CRANE)
        scale = 1 - (1 - ZOOM_RATIO) * (e if inward else 1 - e)
        cw, ch = w * scale, h * scale
        cx, cy = w / 2, h / 2
        if movement is Movement.CRANE:  # rises from below as it closes in
            cy = h / 2 + (h - ch) / 2 * (1 - e)
        return cx - cw / 2, cy - ch / 2, cx + cw / 2, cy + ch / 2
    if movement is Movement.HANDHELD:
        margin = max(2.0, w * HANDHELD_PX * 2)
        r = rng or random.Random(0)
        dx, dy = r.uniform(-1, 1) * margin / 2, r.uniform(-1, 1) * margin / 2
        return margin + dx, margin * h / w + dy, w - margin + dx, h - margin * h / w + dy
    return 0.0, 0.0, float(w), float(h)


def frame_count(duration_s: float, fps: float) -> int:
    return max(1, round(duration_s * fps))


def animate(keyframe, shot: Shot, *, fps: float, size: tuple[int, int], duration_s: float | None = None,
            seed: int = 0):
    """Yield the frames (PIL images of ``size``) of the shot's camera move over ``keyframe``."""
    from PIL import Image

    src = keyframe.convert("RGB")
    w, h = src.size
    out_w, out_h = size
    # Fit the keyframe to the output's aspect first, so the move works in output proportions.
    target = out_w / out_h
    if abs(w / h - target) > 0.01:
        if w / h > target:
            nw = int(h * target)
            src = src.crop(((w - nw) // 2, 0, (w - nw) // 2 + nw, h))
        else:
            nh = int(w / target)
            src = src.crop((0, (h - nh) // 2, w, (h - nh) // 2 + nh))
        w, h = src.size
    # Work on a keyframe at least twice the output, so a push-in stays sharp enough.
    if w < out_w * 1.5:
        factor = out_w * 1.5 / w
        src = src.resize((math.ceil(w * factor), math.ceil(h * factor)), Image.Resampling.LANCZOS)
        w, h = src.size
    n = frame_count(duration_s if duration_s is not None else shot.duration_s, fps)
    rng = random.Random(seed * 7919 + shot.scene * 131 + shot.number)
    movement = shot.movement
    boxes = [window(movement, i / (n - 1) if n > 1 else 0.0, w, h, rng=rng) for i in range(n)]
    if _steady(boxes):
        yield from _slide(src, boxes, size)
        return
    for box in boxes:
        yield src.resize((out_w, out_h), Image.Resampling.BILINEAR, box=box)


def _steady(boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether the window keeps its size all through the move (a hold, a pan, a tilt, handheld): only its
    place changes, so the keyframe can be scaled once and the window slid over it."""
    cw, ch = boxes[0][2] - boxes[0][0], boxes[0][3] - boxes[0][1]
    return all(abs(b[2] - b[0] - cw) < 1e-6 and abs(b[3] - b[1] - ch) < 1e-6 for b in boxes)


def _slide(src, boxes: list[tuple[float, float, float, float]], size: tuple[int, int]):
    """The frames of a window of one size sliding over ``src``. The keyframe is scaled once so the window is
    the output's size, and each frame is a shift of it by a fraction of a pixel (a single bilinear pass, and
    only along the axis that moves), instead of a full resample of the keyframe for every frame. A hold is
    one frame, given again."""
    from PIL import Image

    out_w, out_h = size
    bilinear = Image.Resampling.BILINEAR
    x0, y0, x1, y1 = boxes[0]
    fixed_x = all(b[0] == x0 for b in boxes)
    fixed_y = all(b[1] == y0 for b in boxes)
    # The region every window lies in: one window's span along an axis that does not move, else the whole side.
    left, right = (x0, x1) if fixed_x else (0.0, float(src.width))
    top, bottom = (y0, y1) if fixed_y else (0.0, float(src.height))
    sx, sy = out_w / (x1 - x0), out_h / (y1 - y0)
    wide = out_w if fixed_x else max(out_w, round((right - left) * sx))
    tall = out_h if fixed_y else max(out_h, round((bottom - top) * sy))
    scaled = src.resize((wide, tall), bilinear, box=(left, top, right, bottom))
    if fixed_x and fixed_y:
        yield from [scaled] * len(boxes)
        return
    for b in boxes:
        x = min(max(0.0, (b[0] - left) * wide / (right - left)), float(wide - out_w)) if not fixed_x else 0.0
        y = min(max(0.0, (b[1] - top) * tall / (bottom - top)), float(tall - out_h)) if not fixed_y else 0.0
        yield scaled.resize((out_w, out_h), bilinear, box=(x, y, x + out_w, y + out_h))


def render_animatic(keyframe, shot: Shot, *, fps: float, size: tuple[int, int],
                    duration_s: float | None = None, seed: int = 0, progress=None, cancelled=None) -> bytes:
    """An H.264 MP4 of the shot's camera move over the keyframe (PNG bytes, or a PIL image), lasting the
    shot's duration."""
    from PIL import Image

    from studio.render import JobCancelled
    from tools.render.video import encode_mp4

    key = Image.open(io.BytesIO(keyframe)) if isinstance(keyframe, bytes) else keyframe
    total = frame_count(duration_s if duration_s is not None else shot.duration_s, fps)

    def frames():
        for i, frame in enumerate(animate(key, shot, fps=fps, size=size, duration_s=duration_s, seed=seed)):
            if cancelled is not None and cancelled():
                raise JobCancelled()
            if progress is not None and (i % 12 == 0 or i == total - 1):
                progress((i + 1) / total, f"frame {i + 1}/{total}")
            yield frame

    return encode_mp4(frames(), fps)
