"""The animatic: frame count, duration and camera movement measured on the decoded MP4."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.models import Movement, Shot
from tools.render.animatic import render_animatic
from tools.render.video import decode_frames, encode_mp4, probe

SIZE = (320, 176)


def keyframe() -> bytes:
    """A grey page with one black square in the middle, 80 px wide."""
    img = Image.new("RGB", (640, 352), (235, 235, 235))
    d = ImageDraw.Draw(img)
    d.rectangle([280, 136, 360, 216], fill=(0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def square(frame: np.ndarray) -> tuple[float, float, float]:
    """Centre x, centre y and width of the dark square in a frame."""
    dark = frame.mean(axis=2) < 100
    ys, xs = np.nonzero(dark)
    return float(xs.mean()), float(ys.mean()), float(xs.max() - xs.min() + 1)


def clip(movement: Movement, tmp_path, duration: float = 1.5, fps: float = 24.0):
    shot = Shot(scene=1, number=1, movement=movement, duration_s=duration)
    data = render_animatic(keyframe(), shot, fps=fps, size=SIZE)
    path = tmp_path / f"{movement.value}.mp4"
    path.write_bytes(data)
    return path, decode_frames(path)


def test_duration_and_frame_rate_hold(tmp_path):
    path, frames = clip(Movement.STATIC, tmp_path, duration=2.5, fps=24)
    info = probe(path)
    assert info["codec"] == "h264" and (info["width"], info["height"]) == SIZE
    assert info["frames"] == 60 == len(frames)
    assert info["fps"] == pytest.approx(24)
    assert info["duration"] == pytest.approx(2.5, abs=0.05)


def test_a_static_shot_holds(tmp_path):
    _, frames = clip(Movement.STATIC, tmp_path)
    first, last = square(frames[0]), square(frames[-1])
    assert first == pytest.approx(last, abs=1.0)
    assert first[0] == pytest.approx(SIZE[0] / 2, abs=3)


def test_a_pan_slides_across_and_keeps_the_height(tmp_path):
    _, frames = clip(Movement.PAN, tmp_path)
    (x0, y0, w0), (x1, y1, w1) = square(frames[0]), square(frames[-1])
    assert x0 - x1 > 40, "the camera pans right, so the square moves left across the frame"
    assert abs(y1 - y0) < 2 and abs(w1 - w0) < 3
    xs = [square(f)[0] for f in frames]
    assert all(b <= a + 0.6 for a, b in zip(xs, xs[1:])), "one direction, no jitter"
    steps = np.diff(xs)
    assert abs(steps[0]) < abs(steps[len(steps) // 2]), "it eases in"


def test_a_tilt_moves_vertically(tmp_path):
    _, frames = clip(Movement.TILT, tmp_path)
    (x0, y0, _), (x1, y1, _) = square(frames[0]), square(frames[-1])
    assert y1 - y0 > 20 and abs(x1 - x0) < 2


@pytest.mark.parametrize("movement", [Movement.PUSH_IN, Movement.DOLLY_IN, Movement.ZOOM_IN])
def test_a_push_in_grows_the_subject_in_place(movement, tmp_path):
    _, frames = clip(movement, tmp_path)
    (x0, y0, w0), (x1, y1, w1) = square(frames[0]), square(frames[-1])
    assert w1 / w0 == pytest.approx(1 / 0.72, rel=0.08)
    assert abs(x1 - x0) < 2 and abs(y1 - y0) < 2


def test_a_pull_out_shrinks_it(tmp_path):
    _, frames = clip(Movement.PULL_OUT, tmp_path)
    assert square(frames[-1])[2] < square(frames[0])[2] * 0.8


def test_handheld_drifts_a_little_and_repeats_with_its_seed(tmp_path):
    shot = Shot(scene=1, number=1, movement=Movement.HANDHELD, duration_s=1)
    a = render_animatic(keyframe(), shot, fps=12, size=SIZE, seed=3)
    b = render_animatic(keyframe(), shot, fps=12, size=SIZE, seed=3)
    assert a == b
    (tmp_path / "h.mp4").write_bytes(a)
    xs = [square(f)[0] for f in decode_frames(tmp_path / "h.mp4")]
    assert 0.5 < max(xs) - min(xs) < 20


def test_odd_sizes_and_empty_clips_are_refused():
    from studio.errors import AuteurError

    with pytest.raises(AuteurError, match="odd size"):
        encode_mp4([np.zeros((11, 16, 3), np.uint8)], 24)
    with pytest.raises(AuteurError, match="at least one frame"):
        encode_mp4([], 24)


def test_a_cancelled_animatic_stops():
    from studio.render import JobCancelled

    shot = Shot(scene=1, number=1, movement=Movement.PAN, duration_s=2)
    seen = []
    with pytest.raises(JobCancelled):
        render_animatic(keyframe(), shot, fps=24, size=SIZE, progress=lambda f, m: seen.append(f),
                        cancelled=lambda: len(seen) >= 2)


def test_the_cuts_label_is_what_pil_draws_on_the_frame():
    """The cut draws each shot's label once and pastes it into every frame: the result must be the frame with the
    box and text drawn on it by PIL directly (the reference drawing here is PIL's, at the same size and pad)."""
    from PIL import ImageFont

    from tools.render.cut import _paste, label_patch

    rng = np.random.default_rng(3)
    for w, h in ((640, 344), (320, 176), (96, 64)):
        frame = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
        text = "S03_SH012  take 2 · clip"
        img = Image.fromarray(frame.copy())
        d = ImageDraw.Draw(img)
        size = max(12, h // 20)
        font = ImageFont.load_default(size=size)
        box, pad = d.textbbox((0, 0), text, font=font), max(3, size // 4)
        d.rectangle([0, 0, box[2] - box[0] + 2 * pad, box[3] - box[1] + 2 * pad + size // 5], fill=(0, 0, 0))
        d.text((pad - box[0], pad - box[1]), text, fill=(255, 255, 255), font=font)
        pasted = frame.copy()
        _paste(pasted, label_patch(text, h))
        assert (pasted == np.asarray(img)).all(), (w, h)


def test_the_cut_reads_a_clip_scaled_to_cover_its_frame(tmp_path):
    """ffmpeg scales and crops while decoding: a clip the cut's size comes back as it was decoded, a larger or
    smaller one as PIL's cover-fit of it (bilinear, middle crop), within a level or two."""
    from tools.render.cut import _fit
    from tools.render.video import cover_frames

    rng = np.random.default_rng(5)
    for (w, h), size in (((320, 176), (320, 176)), ((352, 240), (320, 176)), ((256, 144), (320, 176))):
        frames = [rng.integers(0, 255, (h // 8, w // 8, 3), dtype=np.uint8).repeat(8, 0).repeat(8, 1)
                  for _ in range(3)]
        path = tmp_path / f"{w}x{h}.mp4"
        path.write_bytes(encode_mp4(frames, 24))
        theirs = [np.asarray(_fit(Image.fromarray(f), size)) for f in decode_frames(path)]
        ours = [np.frombuffer(b, np.uint8).reshape(size[1], size[0], 3) for b in cover_frames(path, size)]
        assert len(ours) == len(theirs) == 3
        worst = max(int(np.abs(a.astype(int) - b.astype(int)).max()) for a, b in zip(ours, theirs))
        assert worst <= (0 if (w, h) == size else 3), ((w, h), worst)
