"""H.264 MP4 in and out through ffmpeg: the system's, or the one imageio-ffmpeg ships."""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Generator, Iterable, cast

from studio.errors import AuteurError, redact


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # the wheel has no binary for this platform
        raise AuteurError("no ffmpeg was found to encode video",
                          "install ffmpeg (apt-get install ffmpeg, brew install ffmpeg)") from exc


log = logging.getLogger(__name__)


def ffmpeg_said(stderr: bytes | str, what: str) -> str:
    """The end of what ffmpeg said, fit for a person: its last two lines, every path cut to its file name (ffmpeg
    names its inputs and outputs, server paths in a temporary folder), not relying on the error's own scrubbing
    alone. The whole of it goes to the log, at info level (not printed to a person by default)."""
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    log.info("ffmpeg failed to %s: %s", what, text.strip()[-2000:])  # info: not shown to a person by default
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return redact(" ".join(lines[-2:]))[-200:]


def ffprobe() -> str | None:
    return shutil.which("ffprobe")


# x264 for previz: "superfast" took about a fifth less CPU than "veryfast" on moving animatic frames (a pan over a
# sketch at 640x344: 4.2 against 5.3 ms a frame) and about the same on held ones, at the same CRF, for files about
# twice as large and still small (1.2 KiB a frame moving, 0.2 held); a final picture is graded and encoded
# elsewhere, so the animatic spends its seconds on rendering, not on squeezing bytes.
PREVIZ_PRESET = "superfast"


def encode_mp4(frames: Iterable, fps: float, *, crf: int = 20, audio: bytes | None = None,
               preset: str = PREVIZ_PRESET) -> bytes:
    """Encode RGB frames (HxWx3 uint8 arrays, float arrays in 0..1, or PIL images; all one size)
    as H.264 MP4 (yuv420p, faststart) and return the file's bytes.

    ``audio``: a WAV to carry as the sound, encoded in the same pass (AAC 192 kb/s, 48 kHz stereo). No
    ``-shortest``: the caller makes the sound exactly the video's length, so neither is cut."""
    it = iter(frames)
    try:
        first = _as_array(next(it))
    except StopIteration:
        raise AuteurError("a clip needs at least one frame", "render the shot again") from None
    h, w = first.shape[:2]
    if w % 2 or h % 2:
        raise AuteurError(f"a {w}x{h} frame cannot be encoded as H.264 (odd size)",
                          "use an even width and height, e.g. multiples of 8")
    with tempfile.TemporaryDirectory(prefix="auteur-mp4-") as tmp:
        out = Path(tmp) / "clip.mp4"
        sound: list[str] = []
        if audio is not None:
            (Path(tmp) / "mix.wav").write_bytes(audio)
            sound = ["-i", str(Path(tmp) / "mix.wav"), "-map", "0:v:0", "-map", "1:a:0", "-c:a", "aac", "-b:a", "192k",
                     "-ar", "48000", "-ac", "2"]
        cmd = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
               "-s", f"{w}x{h}", "-r", f"{fps:g}", "-i", "-", *(sound or ["-an"]), "-c:v", "libx264",
               "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(out)]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert proc.stdin is not None
            proc.stdin.write(first)  # the array's own buffer: no copy per frame
            for frame in it:
                arr = _as_array(frame)
                if arr.shape != first.shape:
                    raise AuteurError(f"frames of a clip differ in size ({arr.shape[1]}x{arr.shape[0]} after "
                                      f"{w}x{h})", "render every frame of a clip at one size")
                proc.stdin.write(arr)
            proc.stdin.close()
        except BrokenPipeError:
            pass
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        err = proc.stderr.read() if proc.stderr else b""
        if proc.wait() != 0 or not out.exists():
            if audio is not None:
                raise AuteurError(f"ffmpeg could not encode the cut with its sound: {ffmpeg_said(err, 'encode')}",
                                  "check that ffmpeg has libx264 and aac (ffmpeg -encoders | grep -e 264 -e aac)")
            raise AuteurError(f"ffmpeg could not encode the clip: {ffmpeg_said(err, 'encode')}",
                              "check that ffmpeg has libx264 (ffmpeg -encoders | grep 264)")
        return out.read_bytes()


def mux_audio(mp4: bytes, wav: bytes) -> bytes:
    """The MP4 with ``wav`` as its sound: the video stream copied as it is, the audio encoded as AAC 192 kb/s,
    48 kHz stereo. No ``-shortest``: the mix is made exactly the video's length, so neither is cut. (The cut
    encodes its sound with its frames, in one pass: ``encode_mp4(..., audio=)``; this is for a finished MP4.)"""
    with tempfile.TemporaryDirectory(prefix="auteur-mux-") as tmp:
        video, audio, out = Path(tmp) / "video.mp4", Path(tmp) / "mix.wav", Path(tmp) / "cut.mp4"
        video.write_bytes(mp4)
        audio.write_bytes(wav)
        cmd = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(video), "-i", str(audio),
               "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-b:a", "192k", "-ar", "48000",
               "-ac", "2", "-movflags", "+faststart", str(out)]
        res = subprocess.run(cmd, capture_output=True)
        if res.returncode != 0 or not out.exists():
            said = ffmpeg_said(res.stderr, "mux")
            raise AuteurError(f"ffmpeg could not add the sound to the cut (exit {res.returncode}): {said}",
                              "check that ffmpeg has the aac encoder (ffmpeg -encoders | grep aac)")
        return out.read_bytes()


def probe(path: Path) -> dict:
    """Codec, size, frame rate, frame count and duration of a video (ffprobe, else ffmpeg's decode)."""
    tool = ffprobe()
    if tool:
        out = subprocess.run([tool, "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                              "stream=codec_name,width,height,r_frame_rate,nb_read_frames,pix_fmt:format=duration",
                              "-of", "json", str(path)], capture_output=True, text=True, check=True)
        data = json.loads(out.stdout)
        st = data["streams"][0]
        num, den = (int(x) for x in st["r_frame_rate"].split("/"))
        return {"codec": st["codec_name"], "width": int(st["width"]), "height": int(st["height"]),
                "fps": num / den, "frames": int(st["nb_read_frames"]), "pix_fmt": st.get("pix_fmt", ""),
                "duration": float(data["format"]["duration"])}
    import re

    res = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    codec = re.search(r"Video: (\w+)", res.stderr)
    fps = re.search(r"([\d.]+) fps", res.stderr)
    w, h = _size(path)
    frames = decode_frames(path)
    rate = float(fps.group(1)) if fps else 0.0
    return {"codec": codec.group(1) if codec else "", "width": w, "height": h, "fps": rate,
            "frames": len(frames), "pix_fmt": "", "duration": len(frames) / rate if rate else 0.0}


def decode_frames(path: Path, *, size: tuple[int, int] | None = None) -> list:
    """Every frame of a video as an HxWx3 uint8 array (for tests and the cut)."""
    import numpy as np

    info_w, info_h = size or _size(path)
    out = subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", *(["-s", f"{info_w}x{info_h}"] if size else []), "-"],
                         capture_output=True, check=True)
    frame = info_w * info_h * 3
    n = len(out.stdout) // frame
    return [np.frombuffer(out.stdout[i * frame:(i + 1) * frame], np.uint8).reshape(info_h, info_w, 3)
            for i in range(n)]


def cover_frames(path: Path, size: tuple[int, int]) -> Generator[bytearray, None, None]:
    """The frames of a video, one by one, as rgb24 bytes of exactly ``size``: scaled to cover it (bilinear, as
    the cut's stills are) and cropped in the middle, no bars, no distortion. ffmpeg scales while it decodes, so
    a long clip is never held in memory whole and Python never resizes a frame; the buffers are writable, for
    a label to be pasted in."""
    tw, th = size
    scale = (f"scale=w='max({tw},round(iw*max({tw}/iw,{th}/ih)))':h='max({th},round(ih*max({tw}/iw,{th}/ih)))'"
             f":flags=bilinear")
    cmd = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-vf",
           f"format=rgb24,{scale},crop={tw}:{th}:'floor((iw-{tw})/2)':'floor((ih-{th})/2)':exact=1",
           "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    frame = tw * th * 3
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        while True:
            buf = bytearray(frame)
            if cast(io.BufferedReader, proc.stdout).readinto(buf) != frame:
                break
            yield buf
    finally:
        proc.kill()
        proc.wait()


def _size(path: Path) -> tuple[int, int]:
    import re

    res = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    m = re.search(r"Video:.*?(\d{2,5})x(\d{2,5})", res.stderr)
    if not m:
        raise AuteurError(f"{path.name} is not a video ffmpeg can read", "render the clip again")
    return int(m.group(1)), int(m.group(2))


def _as_array(frame):
    import numpy as np

    if hasattr(frame, "convert") and frame.mode != "RGB":  # an RGB image is read as it is, without a copy
        frame = frame.convert("RGB")
    arr = np.asarray(frame)
    if arr.dtype != np.uint8:
        arr = np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    return np.ascontiguousarray(arr[..., :3])
