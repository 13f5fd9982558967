"""The animatic speaks, end to end on the embedded defaults: a screenplay imported through the CLI, taken to its
prompts, drawn, and cut with `auteur render cut --yes` (which renders the missing sound first) gives an MP4 with a
mixed track at the loudness target, stems the length of the cut, and timelines with audio tracks.

The oracles are outside our code: ffmpeg's own EBU R128 meter (``ebur128``) and its decoder, the ``wave`` module,
OpenTimelineIO reading the exports back, a pitch estimate written here (autocorrelation), and a person's reading of
the screenplay (``tests/corpus/sound/the_crossing.fountain``: Marta is a woman, Tomas a young man; the radio is
heard in voice-over, the captain off screen; Tomas's "I can't see the bow!" is said over Marta's line).
"""

from __future__ import annotations

import json
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.cli_helpers import at_prompts, invoke, js

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/corpus/sound/the_crossing.fountain"
RATE = 48_000


@pytest.fixture(scope="module")
def cut_project(tmp_path_factory):
    """The crossing imported, to its prompts, boards drawn and the cut made: (project folder, cut JSON, shots)."""
    root = tmp_path_factory.mktemp("sound-ws")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUTEUR_WORKSPACE", str(root))
        mp.setenv("AUTEUR_MODEL", "fake/schema")
        mp.setenv("AUTEUR_USER_NAME", "Dana Director")
        mp.setenv("AUTEUR_USER_EMAIL", "dana@example.test")
        mp.setenv("AUTEUR_MEMORY", "off")
        mp.delenv("QDRANT_URL", raising=False)
        slug = at_prompts(SCRIPT, boards=(1, 2, 3))
        cut = js("render", "cut", "-p", slug, "--yes")
        shots = js("shots", "-p", slug)
        stems = js("export", "stems", "-p", slug)
        otio = js("export", "otio", "-p", slug)
        fcp = js("export", "fcpxml", "-p", slug)
        yield {"project": root / slug, "slug": slug, "cut": cut, "shots": shots, "stems": stems, "otio": otio,
               "fcp": fcp, "root": root}


def ffmpeg() -> str:
    from tools.render.video import ffmpeg as find

    return find()


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) as ffmpeg's own EBU R128 meter reads the file."""
    out = subprocess.run([ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0", "-filter:a",
                          "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    summary = out[out.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return integrated, peak


def decoded_audio(path: Path) -> np.ndarray:
    """The file's first audio stream as ffmpeg decodes it: stereo float32 at 48 kHz."""
    raw = subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:a:0", "-f",
                          "f32le", "-ac", "2", "-ar", str(RATE), "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<f4").reshape(-1, 2)


def read_stem(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 2
        width = w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        return (ints.astype(np.float32) / float(1 << 23)).reshape(-1, 2)
    assert width == 2
    return (np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0).reshape(-1, 2)


def spans(shots: list[dict], fps: float = 24.0) -> dict[str, tuple[int, int]]:
    """Each shot's samples in the cut: frames of round(duration * fps), as an editor's timeline counts them."""
    out, frame = {}, 0
    for s in shots:
        n = max(1, round(s["duration_s"] * fps))
        out[f"S{s['scene']:02d}_SH{s['number']:03d}"] = (round(frame / fps * RATE), round((frame + n) / fps * RATE))
        frame += n
    return out


def rms_db(x: np.ndarray) -> float:
    return 10 * np.log10(float(np.mean(np.square(x, dtype=np.float64))) + 1e-12)


def pitch_hz(x: np.ndarray) -> float:
    """The median fundamental of voiced 40 ms frames, by autocorrelation (60–400 Hz)."""
    x = x.mean(axis=1) if x.ndim == 2 else x
    size, found = int(0.04 * RATE), []
    lo, hi = RATE // 400, RATE // 60
    for start in range(0, len(x) - size, size):
        frame = x[start:start + size] - x[start:start + size].mean()
        if rms_db(frame) < -45:
            continue
        ac = np.correlate(frame, frame, mode="full")[size - 1:]
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            found.append(RATE / lag)
    assert found, "no voiced frames"
    return float(np.median(found))


def test_the_cut_carries_a_mixed_track_at_the_loudness_target(cut_project):
    mp4 = Path(cut_project["cut"]["path"])
    probe = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(mp4)], capture_output=True, text=True).stderr
    assert re.search(r"Audio: aac.*48000 Hz, stereo", probe), probe
    integrated, peak = ebur128(mp4)
    assert abs(integrated - -16.0) <= 1.0, f"the mix measures {integrated} LUFS, the target is -16"
    assert peak <= -0.5, f"the mix peaks at {peak} dBFS, over the -1 dBTP ceiling"
    cut = json.loads((cut_project["project"] / "04_Project_Files/cut.json").read_text())
    assert abs(cut["audio"]["integrated_lufs"] - integrated) <= 0.5, "the recorded loudness is what ffmpeg measures"
    assert "music" in cut["audio"]["temp"], "the CPU score is labelled temp"
    # The audio lasts as long as the picture: the shot list's durations, frame for frame.
    audio = decoded_audio(mp4)
    frames = sum(max(1, round(s["duration_s"] * 24)) for s in cut_project["shots"])
    assert abs(len(audio) / RATE - frames / 24) < 0.05


def test_each_line_is_heard_at_its_shot_in_its_characters_voice(cut_project):
    shots = cut_project["shots"]
    paths = {Path(p).stem: Path(p) for p in cut_project["stems"]["paths"]}
    assert set(paths) == {"dialogue", "effects", "music"}
    dialogue = read_stem(paths["dialogue"])
    at = spans(shots)
    speaking = {f"S{s['scene']:02d}_SH{s['number']:03d}": s for s in shots if s["dialogue"]}
    assert speaking, "the crossing has dialogue shots"
    for code, s in speaking.items():
        start, end = at[code]
        if "I can't see the bow" in s["dialogue"]:  # said over Marta's line: its shot has it heard before
            start, end = at[next(c for c, o in speaking.items() if "Keep the bow" in o["dialogue"])]
        assert s["duration_s"] * 2.5 >= len(s["dialogue"].split(":", 1)[-1].split()) * 0.5, "durations hold speech"
        assert rms_db(dialogue[start:end]) > -45, f"{code} ({s['dialogue'][:40]}) is silent in the dialogue stem"
    quiet = [c for c, s in at.items() if c not in speaking and not any(
        at[d][0] < s[1] and s[0] < at[d][1] for d in speaking)]
    for code in quiet:
        start, end = at[code]
        assert rms_db(dialogue[start:end]) < -60, f"{code} has no lines, yet the dialogue stem speaks over it"
    # Marta is a woman of forty, Tomas her young nephew: a person expects her voice higher than his.
    by = {name: np.concatenate([dialogue[at[c][0]:at[c][1]] for c, s in speaking.items()
                                if s["dialogue"].startswith(name + ":") and not s["notes"].endswith("continued")])
          for name in ("MARTA", "TOMAS")}
    assert pitch_hz(by["MARTA"]) > pitch_hz(by["TOMAS"]) * 1.15


def test_voice_over_off_screen_and_dual_dialogue_are_placed(cut_project):
    project = cut_project["project"]
    sidecars = [json.loads(p.read_text()) for p in sorted((project / "03_Renders/Sound").glob("S*_SH*/*.json"))]
    lines = [line for side in sidecars for line in side["lines"]]
    delivery = {line["speaker"]: line["delivery"] for line in lines}
    assert delivery["RADIO"] == "vo" and delivery["CAPTAIN"] == "os" and delivery["MARTA"] == "on"
    assert all("without looking up" not in line["text"] for line in lines), "a parenthetical is never said"
    # Tomas's dual line starts with Marta's, on the dialogue track of the timeline.
    import opentimelineio as otio

    timeline = otio.adapters.read_from_file(cut_project["otio"]["path"])
    video = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video][0]
    starts = {c.name: c.range_in_parent().start_time.to_seconds() for c in video.find_clips()}
    audio = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]
    names = [t.name for t in audio]
    assert {n.split(" ")[0] for n in names} == {"Dialogue", "Effects", "Music"}, names
    said = {c.name.split(" ")[0]: c.range_in_parent().start_time.to_seconds()
            for t in audio if t.name.startswith("Dialogue") for c in t.find_clips()}
    shots = cut_project["shots"]
    bow = next(s for s in shots if "Keep the bow" in s["dialogue"])
    cant = next(s for s in shots if "I can't see the bow" in s["dialogue"])
    bow_code, cant_code = (f"S{s['scene']:02d}_SH{s['number']:03d}" for s in (bow, cant))
    assert said[cant_code] == pytest.approx(starts[bow_code], abs=1 / 24)
    assert said[bow_code] == pytest.approx(starts[bow_code], abs=1 / 24)


def test_stems_are_the_length_of_the_cut_and_timelines_read_back(cut_project):
    import opentimelineio as otio

    cut_seconds = sum(max(1, round(s["duration_s"] * 24)) for s in cut_project["shots"]) / 24
    for path in cut_project["stems"]["paths"]:
        with wave.open(path, "rb") as w:
            assert w.getnframes() / w.getframerate() == pytest.approx(cut_seconds, abs=1 / RATE)
    for made in (cut_project["otio"], cut_project["fcp"]):
        kind = "fcp_xml" if made["path"].endswith(".xml") else "otio_json"
        timeline = otio.adapters.read_from_file(made["path"], adapter_name=kind)
        video = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video][0]
        assert [c.name for c in video.find_clips()] == [f"S{s['scene']:02d}_SH{s['number']:03d}"
                                                        for s in cut_project["shots"]]
        assert video.duration().to_seconds() == pytest.approx(cut_seconds, abs=1 / 24)
        audio = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]
        assert len(audio) >= 3, f"{kind}: audio tracks {[t.name for t in audio]}"
        # A dialogue take is named for its shot (FCP XML keeps no track names); a speech said over another (dual
        # dialogue) is on a second dialogue track, as a track holds no overlaps.
        dialogue_clips = [c for t in audio for c in t.find_clips() if re.fullmatch(r"S\d\d_SH\d{3}", c.name)]
        assert len(dialogue_clips) == sum(1 for s in cut_project["shots"] if s["dialogue"])
        for clip in dialogue_clips:
            assert clip.media_reference.target_url.endswith(".wav")
        assert all(t.duration().to_seconds() <= cut_seconds + 1 / 24 for t in audio)


def test_a_second_cut_renders_no_sound_again(cut_project):
    project = cut_project["project"]
    before = sorted(p.name for p in (project / "03_Renders/Sound").rglob("*.wav"))
    again = js("render", "cut", "-p", cut_project["slug"], "--yes")
    assert again["path"] != cut_project["cut"]["path"]
    assert sorted(p.name for p in (project / "03_Renders/Sound").rglob("*.wav")) == before
    invoke("history", "-p", cut_project["slug"])


def test_sound_takes_are_listed_and_chosen_in_a_terminal(cut_project):
    slug = cut_project["slug"]
    room = js("takes", "S01_AMB", "-p", slug)
    assert room and room[0]["track"] == "effects" and room[0]["temp"] and room[-1]["active"]
    line = next(s for s in cut_project["shots"] if s["dialogue"])
    code = f"S{line['scene']:02d}_SH{line['number']:03d}"
    spoken = js("takes", code, "-p", slug, "--kind", "audio")
    assert spoken[0]["text"] and spoken[0]["path"].endswith(".wav")
    assert js("takes", "S01_AMB", "-p", slug, "--choose", "1")[0]["active"]
    assert invoke("takes", "S01_AMB", "-p", slug, "--choose", "9", ok=False).exit_code != 0


def test_a_broadcast_target_masters_the_next_cut_to_minus_23(cut_project):
    cut = js("render", "cut", "-p", cut_project["slug"], "--yes", "--loudness", "broadcast")
    integrated, _ = ebur128(Path(cut["path"]))
    assert abs(integrated - -23.0) <= 1.0, f"the broadcast mix measures {integrated} LUFS"


def test_a_voice_changed_after_the_cut_holds_its_exports_until_the_cut_is_made_again(cut_project):
    from ui.cli.engine import command

    slug = cut_project["slug"]
    command(slug, "/voice MARTA lower, slower")
    js("render", "sound", "-p", slug)
    refused = invoke("export", "otio", "-p", slug, "--json", ok=False)
    assert refused.exit_code != 0
    stale = json.loads(refused.stdout)["stale_inputs"]
    assert any(s["stage"] == "cut" and "look" in s["reason"] for s in stale), stale
    js("render", "cut", "-p", slug, "--yes")
    assert js("export", "otio", "-p", slug)["stale_inputs"] == []
