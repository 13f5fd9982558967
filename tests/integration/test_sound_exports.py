"""The cut's sound, the stems and the timelines' audio tracks, read back by other tools: ffmpeg for the MP4
(its streams and its own EBU R128 meter), Python's ``wave`` for the stems, OpenTimelineIO for the timelines.

The project is tests/integration/test_mix.py's: six shots (360 frames at 24 fps, 15 s) with a red board each,
and synthetic sound takes. The expected timeline clips are worked out by hand from its table: a take of
1 s is 24 frames, and S01_SH002 starts at frame 48 (96,000 samples ÷ 2,000 a frame).
"""

from __future__ import annotations

import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from studio.errors import StageError
from studio.sound import CueKind, SoundCue, Track
from studio.stages import Stage
from tests.integration.test_mix import LENGTH, M01, add_score, add_take, make_project, save_cues
from tests.unit.test_loudness import ebur128

RATE = 48_000


@pytest.fixture
def film(workspace_dir):
    return add_score(make_project(workspace_dir, boards=True))


def streams(path: Path) -> str:
    from tools.render.video import ffmpeg

    res = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    return "\n".join(line for line in res.stderr.splitlines() if "Stream #" in line)


def decoded_audio_samples(path: Path) -> int:
    """The MP4's sound decoded by ffmpeg to 48 kHz PCM: how many samples it holds."""
    from tools.render.video import ffmpeg

    res = subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:a:0",
                          "-f", "s16le", "-ac", "2", "-ar", "48000", "-"], capture_output=True, check=True)
    return len(res.stdout) // 4


def test_a_silent_project_keeps_a_silent_cut_and_sound_makes_a_mixed_one(workspace_dir):
    from tools.render.cut import assemble_cut
    from tools.render.video import probe

    store = make_project(workspace_dir, boards=True)
    silent = assemble_cut(store)
    assert silent.audio is None and "Audio:" not in streams(store.path / silent.path)
    add_score(store)
    cut = assemble_cut(store)
    mp4 = store.path / cut.path
    found = streams(mp4)
    assert re.search(r"Audio: aac.*48000 Hz, stereo", found), found
    assert probe(mp4)["frames"] == 360, "the picture is as it was"
    measured = ebur128(mp4)
    assert measured["lufs"] == pytest.approx(-16.0, abs=1.0), "the project's default target"
    assert measured["peak"] <= -1.0 + 0.1, f"the delivered file is under the -1 dBTP ceiling: {measured}"
    assert abs(decoded_audio_samples(mp4) - LENGTH) <= 1024, "the sound lasts the film (within one AAC frame)"
    recorded = store.read(Stage.CUT)
    assert recorded.audio is not None and recorded.audio.integrated_lufs == pytest.approx(measured["lufs"], abs=0.5)
    assert recorded.audio.target_lufs == -16.0 and recorded.audio.temp == ["music"]
    assert recorded.audio.seconds == 360 / 24, "the frames of the film, not the sum of the shot durations"
    summary = store.history(Stage.CUT)[0].message
    assert "LUFS" in summary and "dBTP" in summary and "temp score" in summary, summary


def test_the_delivered_mp4_stays_under_the_ceiling_after_the_aac_encode(workspace_dir):
    """A limited master's true peak rises in the lossy AAC encode: this voice (espeak-ng's en-gb+f4, at the level
    speak.py gives lines) with a door and a temp score, limited to -1.15 dBTP, reads -0.9 dBTP in the MP4 (-0.7 with
    the score undimmed). ffmpeg's own meter reads the
    delivered file (it prints tenths of a dB): its true peak is at most the project's -1 dBTP ceiling."""
    from studio.sound import CueKind, SoundCue
    from tests.integration.test_mix import spoken
    from tools.render.cut import assemble_cut
    from tools.sound.synth import temp_sound

    words = "The bus is late again tonight. Then we walk home in the rain, you and I."
    shots = [(1, 1, 1.0, ""), (1, 2, 11.0, f"MARTA: {words}")]
    store = make_project(workspace_dir, shots, boards=True, title="Peak Test")
    cues = [SoundCue(id="S01_FX01", kind=CueKind.EFFECT, prompt="a door slams", scene=1, shot=1),
            SoundCue(id="M01", kind=CueKind.MUSIC, prompt="a driving score", scene=1, mood="action")]
    save_cues(store, cues)
    for cue in cues:
        add_take(store, cue.id, cue.kind.track, temp_sound(cue, 12.0, 4), temp=True)
    x = spoken(words, "en-gb+f4", 0.1)
    add_take(store, "S01_SH002", Track.DIALOGUE, x,
             lines=[{"speaker": "MARTA", "text": words, "start_s": 0.0, "seconds": len(x) / RATE}])
    cut = assemble_cut(store)
    measured = ebur128(store.path / cut.path)
    assert measured["peak"] <= -1.0, f"the delivered file's true peak: {measured}"  # at no margin: -0.9
    assert measured["lufs"] == pytest.approx(-16.0, abs=1.0)
    assert cut.audio is not None and cut.audio.target_true_peak == -1.0


def read_stem(path: Path) -> tuple[np.ndarray, tuple[int, int, int]]:
    with wave.open(str(path), "rb") as w:
        shape = (w.getnchannels(), w.getsampwidth(), w.getframerate())
        raw = np.frombuffer(w.readframes(w.getnframes()), np.uint8).reshape(-1, 3).astype(np.int32)
    ints = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
    ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
    return (ints / float(1 << 23)).reshape(-1, shape[0]), shape


def test_stems_are_the_cut_long_and_sum_to_the_mix(film, tmp_path):
    from tools.exports import export
    from tools.exports.stems import write_stems
    from tools.render.cut import assemble_cut
    from tools.render.video import probe
    from tools.sound.wav import wav_bytes

    cut = assemble_cut(film)
    video_samples = round(probe(film.path / cut.path)["duration"] * RATE)
    stems = write_stems(film)
    assert [p.name for p in stems.paths] == ["dialogue.wav", "effects.wav", "music.wav"]
    assert stems.paths[0].parent == film.path / "06_Exports" / f"{film.slug}_stems"
    summed = 0
    for path in stems.paths:
        x, shape = read_stem(path)
        assert shape == (2, 3, RATE), "24-bit stereo at 48 kHz"
        assert len(x) == LENGTH and abs(len(x) - video_samples) <= 1, "the cut's length, to the sample"
        assert np.abs(x).max() > 0.001, f"{path.name} has sound"
        summed = summed + x
    # the three with the master's gain are the mix at its target (less any trim taken off all three alike)
    together = tmp_path / "sum.wav"
    together.write_bytes(wav_bytes(summed, RATE, bits=24))
    assert ebur128(together)["lufs"] == pytest.approx(-16.0 + stems.trim_db, abs=1.0)
    assert any("music stem is a CPU temp track" in n for n in stems.notices)
    assert any("S03_SH001" in n for n in stems.notices), "the line with no take is named"
    folder = export(film, "stems")
    assert folder == stems.paths[0].parent
    assert [e.kind for e in film.read(Stage.EXPORT).exports] == ["stems"]


def test_stems_are_written_all_three_or_none(film, monkeypatch):
    import tools.sound.wav as wav_module
    from tools.exports.stems import export_stems

    first = export_stems(film)
    before = [p.read_bytes() for p in first]
    real = wav_module.wav_bytes
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("no space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(wav_module, "wav_bytes", failing)
    with pytest.raises(OSError):
        export_stems(film)
    assert [p.read_bytes() for p in first] == before, "the stems already there are untouched"
    exports = film.path / "06_Exports"
    assert sorted(p.name for p in exports.iterdir()) == [f"{film.slug}_stems"], "no half-written folder left"


def test_stems_without_dialogue_or_without_any_sound(workspace_dir):
    from tools.exports.stems import write_stems

    store = make_project(workspace_dir)
    with pytest.raises(StageError) as err:
        write_stems(store)
    assert "auteur render sound" in str(err.value.fix) + str(err.value)
    assert not (store.path / "06_Exports" / f"{store.slug}_stems").exists()
    save_cues(store, [SoundCue(id="M01", kind=CueKind.MUSIC, prompt="a bed", scene=1, last_scene=3)])
    add_take(store, "M01", Track.MUSIC, M01)
    stems = write_stems(store)
    dialogue, _ = read_stem(stems.paths[0])
    assert len(dialogue) == LENGTH and not dialogue.any(), "a silent dialogue stem, the cut's length"
    assert any("no dialogue" in n for n in stems.notices)


def audio_lanes(timeline) -> list[list[tuple[str, int, int]]]:
    import opentimelineio as otio

    lanes = []
    for track in timeline.tracks:
        if track.kind == otio.schema.TrackKind.Audio:
            lanes.append([(c.name, round(c.range_in_parent().start_time.to_frames()),
                           round(c.duration().to_frames())) for c in track.find_clips()])
    return lanes


# By hand: Dialogue: S01_SH002's 1 s take at frame 48; the dual speech (0.5 s) at frame 48 too, so on a second
# dialogue track. Effects: the 1 s room tone looped over scene 1 (frames 0–144) is six clips of 24; the door at
# frame 216 + 12 (half a second into S02_SH002), 12 frames long. Music: M01 over scenes 1–2 (frames 0–264) in
# one clip (its 12 s take is longer); M02's 2.5 s take (60 frames) twice over scene 3's 96 frames: 60 + 36.
EXPECTED = [
    [("S01_SH002", 48, 24)],
    [("S01_SH003", 48, 12)],
    [("S01_AMB", 24 * k, 24) for k in range(6)] + [("S02_FX01", 228, 12)],
    [("M01", 0, 264), ("M02", 264, 60), ("M02", 324, 36)],
]


@pytest.mark.parametrize("kind", ["otio", "fcpxml"])
def test_timelines_carry_the_sound_and_read_back_through_otio(film, kind):
    import opentimelineio as otio

    from tools.exports import export
    from tools.exports.timeline import read_timeline

    timeline = read_timeline(export(film, kind), kind, 24.0)
    video = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video]
    assert len(video) == 1
    shots = film.read(Stage.SHOTS).shots
    start = 0
    for clip, shot in zip(video[0].find_clips(), shots, strict=True):
        frames = round(shot.duration_s * 24)
        assert clip.name == shot.code and round(clip.duration().to_frames()) == frames
        assert round(clip.range_in_parent().start_time.to_frames()) == start
        start += frames
    assert audio_lanes(timeline) == EXPECTED
    names = [t.name for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]
    if kind == "otio":
        assert names == ["Dialogue", "Dialogue 2", "Effects", "Music"]
    door = next(c for c in timeline.find_clips() if c.name == "S02_FX01")
    assert door.media_reference.target_url.endswith("03_Renders/Sound/S02_FX01/S02_FX01_take01.wav")


def test_the_edl_keeps_the_picture_when_there_is_sound(film):
    from tools.exports import export
    from tools.exports.timeline import read_timeline

    timeline = read_timeline(export(film, "edl"), "edl", 24.0)
    clips = list(timeline.find_clips())
    assert [c.name.replace("_", "") for c in clips] == [s.code.replace("_", "") for s in film.read(Stage.SHOTS).shots]


def test_a_failed_mux_names_no_server_path(tmp_path):
    """ffmpeg names its temporary inputs (/tmp/auteur-mux-…/video.mp4) when it fails: the message a person gets
    keeps what went wrong and the file's name, never the folder."""
    from studio.errors import AuteurError
    from tools.render.video import mux_audio
    from tools.sound.wav import wav_bytes

    with pytest.raises(AuteurError) as err:
        mux_audio(b"this is not a video", wav_bytes(np.zeros(4800, np.float32), RATE))
    said = f"{err.value} {err.value.fix}"
    assert "Invalid data" in said and "video.mp4" in said, said
    assert "/tmp" not in said and "auteur-mux" not in said and str(tmp_path.anchor) + "tmp" not in said
