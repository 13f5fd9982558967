"""The cut: every shot's active clip (or its board, held), in order, at the project's frame rate.

Each shot lasts its duration in the shot list, so the MP4 keeps the timings of
the EDL, OTIO and XML exports: a clip shorter than its shot holds its last
frame, a longer one is trimmed, and a clip made at another frame rate is
retimed. The shot's code is burnt into the corner of every frame. A new cut
is a new file (cut/cut_v02.mp4); an old one is never overwritten.

When the project has sound takes, the cut carries their mix (tools.sound.mix, placed by the same frame counts),
mastered to the project's loudness target and ceiling and measured (Cut.audio); without any, it stays silent.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from pathlib import Path

from memory import layout as project_layout
from studio.errors import StageError
from studio.media import shot_frames
from studio.models import ActiveTakes, Cut, CutEntry, ShotList, TakeKind, shot_code
from studio.project import Author
from studio.render import frame_height
from studio.stages import Stage

CUT_FOLDER = "03_Renders/cut"
MAX_WIDTH = 1280


def label_patch(text: str, height: int):
    """The burnt-in label of a frame ``height`` pixels tall, as an RGB array: white text in an opaque black box,
    to go in the frame's top-left corner. The box hides what is under it, so the label is drawn once per shot
    and pasted into each of its frames (a frame narrower than the box shows its left part)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    size = max(12, height // 20)
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # an older Pillow
        font = ImageFont.load_default()
    box = ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox((0, 0), text, font=font)
    pad = max(3, size // 4)
    right, bottom = int(box[2] - box[0]) + 2 * pad, int(box[3] - box[1]) + 2 * pad + size // 5  # its last pixel
    patch = Image.new("RGB", (right + 1, bottom + 1), (0, 0, 0))
    ImageDraw.Draw(patch).text((pad - box[0], pad - box[1]), text, fill=(255, 255, 255), font=font)
    return np.asarray(patch)


def _paste(frame, patch) -> None:
    """``patch`` into the top-left corner of ``frame`` (an HxWx3 array), cut to the frame."""
    h, w = min(frame.shape[0], patch.shape[0]), min(frame.shape[1], patch.shape[1])
    frame[:h, :w] = patch[:h, :w]


def _fit(img, size: tuple[int, int]):
    """Scale to cover ``size`` and crop the middle (no bars, no distortion)."""
    from PIL import Image

    w, h = img.size
    tw, th = size
    scale = max(tw / w, th / h)
    img = img.resize((max(tw, round(w * scale)), max(th, round(h * scale))), Image.Resampling.BILINEAR)
    left, top = (img.width - tw) // 2, (img.height - th) // 2
    return img.crop((left, top, left + tw, top + th))


def next_cut_path(store) -> str:
    folder = store.path / CUT_FOLDER
    numbers = [0]
    if folder.is_dir():
        for p in folder.glob("cut_v*.mp4"):
            m = re.match(r"cut_v(\d+)\.mp4$", p.name)
            if m:
                numbers.append(int(m.group(1)))
    return f"{CUT_FOLDER}/cut_v{max(numbers) + 1:02d}.mp4"


def assemble_cut(store, *, progress=None) -> Cut:
    """Encode the cut, store it as a new file under 03_Renders/cut/, and record it as the cut stage."""
    from memory.takes import Takes
    from tools.render.video import encode_mp4

    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError(f"{store.slug} has no shot list to cut", "draft the shots first, then render boards")
    manifest = store.manifest()
    fps = manifest.settings.fps
    boards = store.read(Stage.BOARDS)
    clips = store.read(Stage.CLIPS)
    active_boards = boards.active if isinstance(boards, ActiveTakes) else {}
    active_clips = clips.active if isinstance(clips, ActiveTakes) else {}
    takes = Takes(store)
    sources = []
    missing = []
    for s in shots.shots:
        code = shot_code(s.scene, s.number)
        chosen = None
        for kind, active in ((TakeKind.VIDEO, active_clips), (TakeKind.IMAGE, active_boards)):
            number = active.get(code)
            if number is not None:
                chosen = next((t for t in takes.list(s.scene, s.number, kind) if t.number == number), None)
                if chosen is not None:
                    break
        if chosen is None:
            missing.append(code)
        else:
            sources.append((s, chosen))
    if missing:
        shown = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
        raise StageError(f"{len(missing)} shots have no board or clip yet ({shown})",
                         f"render their boards first: /render boards in the chat, or `auteur render boards -p "
                         f"{store.slug}` in a terminal")
    widest = max(int(t.parameters.get("width") or 640) for _, t in sources)
    width = min(MAX_WIDTH, max(320, widest)) // 8 * 8
    height = frame_height(width, manifest.settings.aspect)
    size = (width, height)
    total = sum(shot_frames(s.duration_s, fps) for s, _ in sources)
    started = time.perf_counter()
    sound = cut_sound(store, shots, fps, manifest.settings)  # first: the frames and their sound are encoded at once
    if sound is not None and progress is not None:
        progress(0.0, "sound mixed")

    def frames():
        done = 0
        for s, take in sources:
            n = shot_frames(s.duration_s, fps)
            code = shot_code(s.scene, s.number)
            patch = label_patch(f"{code}  take {take.number} · {'clip' if take.kind is TakeKind.VIDEO else 'board'}",
                                height)
            if take.kind is TakeKind.VIDEO:
                yield from _clip_frames(store, s, take, n, fps, size, patch)
            else:
                yield from itertools.repeat(_board_frame(store, take, size, patch), n)
            done += n
            if progress is not None:
                progress(done / total, f"{code} cut in")

    data = encode_mp4(frames(), fps, audio=sound[0] if sound is not None else None)
    with store._lock():  # the next number and its file in one step: two cuts at once get two files
        rel = next_cut_path(store)
        return _save_cut(store, rel, data, sources, fps, width, height, started,
                         sound[1] if sound is not None else None)


def _clip_frames(store, s, take, n: int, fps: float, size: tuple[int, int], patch):
    """The shot's ``n`` frames from its clip, labelled: decoded (and scaled) by ffmpeg one at a time; a clip
    made at another frame rate is retimed, a short one holds its last frame, a long one is trimmed."""
    import numpy as np

    from tools.render.video import cover_frames

    src_fps = float(take.parameters.get("fps") or fps)
    source = cover_frames(store.path / take.path, size)
    current, index = None, -1
    try:
        for k in range(n):
            wanted = int(k / fps * src_fps)
            while index < wanted:
                buf = next(source, None)
                if buf is None:
                    break
                current = np.frombuffer(buf, np.uint8).reshape(size[1], size[0], 3)
                _paste(current, patch)
                index += 1
            if current is None:
                code = shot_code(s.scene, s.number)
                raise StageError(f"{code}'s clip {take.path} has no frames ffmpeg can read",
                                 f"render it again (`auteur render clips -p {store.slug} --scene {s.scene}`) "
                                 f"or choose another take")
            yield current
    finally:
        source.close()


def _board_frame(store, take, size: tuple[int, int], patch):
    """A board's picture fitted to the cut's frame, labelled, as the array held for the whole shot."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO((store.path / take.path).read_bytes())) as img:
        still = img.convert("RGB")
    box = take.parameters.get("frame_box")
    if box:
        still = still.crop(tuple(box))
    frame = np.array(_fit(still, size))
    _paste(frame, patch)
    return frame


def cut_sound(store, shots: ShotList, fps: float, settings):
    """(16-bit WAV of the mastered mix, for the AAC encoder; CutAudio) of the project's sound takes, or None when the
    project has no sound take at all (the cut stays silent, as before sound existed)."""
    if not (store.path / project_layout.SOUND_PLAN).is_file():
        return None
    from studio.sound import SAMPLE_RATE
    from tools.sound.master import mastered_mix
    from tools.sound.wav import wav_bytes

    done = mastered_mix(store, shots, fps, settings)
    if done is None:
        return None
    return wav_bytes(done.stereo, SAMPLE_RATE, bits=16), done.audio


def next_version(store, rel: str) -> int:
    """The new cut's version: one past every version there has been, so a number is never given twice — not after
    /restore cut puts an older cut back (its notes stay with it). Past versions are read three ways: the cut now,
    the notes (each names the version it was left on), and the file's own number (cut_v03.mp4 is at least v3)."""
    from memory.review_notes import read_notes

    before = store.read(Stage.CUT)
    seen = [before.version if isinstance(before, Cut) else 0, *_recorded_versions(store)]
    seen.extend(note.cut for note in read_notes(store).notes)
    m = re.search(r"cut_v(\d+)\.mp4$", rel)
    return max(max(seen) + 1, int(m.group(1)) if m else 0)


def _recorded_versions(store) -> list[int]:
    """Every version the cut's record has had in the branch's history (a restored cut is still one of them)."""
    import json

    rel = project_layout.STAGE_FILES[Stage.CUT]
    found = []
    for rev in store.git.git("log", "--format=%H", "--", rel).split():
        raw = store.git.read_at(rev, rel)
        try:
            found.append(int(json.loads(raw or b"{}").get("version") or 0))
        except (ValueError, AttributeError, TypeError):
            continue  # a record of another shape: it gave no version
    return found


def _save_cut(store, rel: str, data: bytes, sources, fps: float, width: int, height: int, started: float,
              audio=None) -> Cut:
    version = next_version(store, rel)
    cut = Cut(version=version, fps=fps, path=rel, width=width, height=height, audio=audio,
              entries=[CutEntry(scene=s.scene, shot=s.number, take=t.path, duration_s=s.duration_s)
                       for s, t in sources])
    seconds = round(time.perf_counter() - started, 2)
    sound = ""
    if audio is not None:
        from tools.sound.master import loudness_text

        sound = f", {loudness_text(audio)}"
    with store.change(stage=Stage.CUT, action="cut",
                      summary=f"cut {Path(rel).name}: {len(sources)} shots, {cut.duration_s:g} s{sound} "
                              f"({seconds} s to make)",
                      author=Author.agent("Producer")) as change:
        change.write_new(rel, data)
        store.write_stage(change, Stage.CUT, cut)
    return cut
