"""The mix of a cut, on a project whose sound takes are synthetic WAVs: where each take lands (by sample),
the ducking under dialogue, one continuous score, room tone per scene, and the master's loudness.

Every expected position is worked out by hand from the shot durations below, at 24 fps and 48 kHz (2,000
samples a frame), the way tools/render/cut.py counts frames (round(duration × fps), at least one):

    S01_SH001 2.00 s  48 frames  samples      0 ..  96000
    S01_SH002 1.52 s  36 frames  (36.48)  96000 .. 168000
    S01_SH003 2.50 s  60 frames          168000 .. 288000   scene 1 ends
    S02_SH001 3.00 s  72 frames          288000 .. 432000
    S02_SH002 2.00 s  48 frames          432000 .. 528000   scene 2 ends
    S03_SH001 4.00 s  96 frames          528000 .. 720000   the end: 360 frames, 15 s
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.models import Shot, ShotList
from studio.project import Author
from studio.sound import CueKind, SoundCue, SoundPlan, SoundTake, Track
from studio.stages import Stage

RATE = 48_000
SHOTS = [(1, 1, 2.0, ""), (1, 2, 1.52, "MARTA: Hello there."), (1, 3, 2.5, "JONAS: Hi."), (2, 1, 3.0, ""),
         (2, 2, 2.0, ""), (3, 1, 4.0, "MARTA: Still here?")]
START = {"S01_SH001": 0, "S01_SH002": 96000, "S01_SH003": 168000, "S02_SH001": 288000, "S02_SH002": 432000,
         "S03_SH001": 528000}
LENGTH = 720000
SOUND = Author.agent("Sound Designer")


def make_project(workspace_dir: Path, shots=SHOTS, *, boards: bool = False, title: str = "Mix Test"):
    """A project with just a shot list (and a red board per shot when asked): the store."""
    from config.settings import Settings
    from memory.workspace import Workspace

    store = Workspace(Settings.from_env()).create(title)
    shot_list = ShotList(shots=[Shot(scene=sc, number=n, duration_s=d, dialogue=words,
                                     characters=[words.split(":")[0]] if words else [])
                                for sc, n, d, words in shots])
    store.save(Stage.SHOTS, shot_list, author=Author.agent("Cinematographer"), summary="shots for the mix")
    if boards:
        import io

        from PIL import Image

        from memory.takes import Takes

        buf = io.BytesIO()
        Image.new("RGB", (64, 36), (180, 40, 40)).save(buf, "PNG")
        for s in shot_list.shots:
            Takes(store).add(s.scene, s.number, buf.getvalue(), ".png", author=Author.agent("Cinematographer"))
    return store


def add_take(store, key: str, track: Track, samples: np.ndarray, *, lines=None, temp: bool = False,
             parameters=None, rate: int = RATE) -> SoundTake:
    """A sound take of synthetic samples (mono 16-bit WAV, as every take is)."""
    from memory.sound_takes import SoundTakes
    from tools.sound.wav import wav_bytes

    take = SoundTake(key=key, track=track, number=1, path="pending.wav", seconds=len(samples) / rate,
                     engine="test-tone", temp=temp, lines=lines or [], parameters=parameters or {})
    return SoundTakes(store).add(take, wav_bytes(samples, rate), author=SOUND)


def save_cues(store, cues: list[SoundCue]) -> None:
    from memory.sound_takes import SoundTakes

    SoundTakes(store).save_plan(SoundPlan(cues=cues), author=SOUND, summary="cues for the mix")


def tone(freqs, seconds: float, amp: float = 0.2) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (amp * sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)).astype(np.float32)


def click_at(seconds: float, at_s: float, value: float = 0.8) -> np.ndarray:
    x = np.zeros(round(seconds * RATE), np.float32)
    x[round(at_s * RATE)] = value
    return x


def noise(seconds: float, amp: float, seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).normal(0, amp, round(seconds * RATE))).astype(np.float32)


M01 = tone([220.0], 12.0)  # longer than scenes 1–2 (11 s): played once, never restarted
M02 = tone([330.0, 415.3, 493.9], 2.5)  # shorter than scene 3 (4 s): looped


@pytest.fixture
def scored(workspace_dir):
    return add_score(make_project(workspace_dir))


def add_score(store):
    """Dialogue in scene 1 (a dual line over it), room tone in scene 1, an effect in scene 2, and two music
    cues: M01 over scenes 1–2, M02 (a temp take) over scene 3. S03_SH001's line has no take yet."""
    save_cues(store, [
        SoundCue(id="S01_AMB", kind=CueKind.AMBIENCE, prompt="room tone of a diner", scene=1),
        SoundCue(id="S02_FX01", kind=CueKind.EFFECT, prompt="a door slams", scene=2, shot=2, offset_s=0.5),
        SoundCue(id="S02_FX02", kind=CueKind.EFFECT, prompt="thunder", scene=2, shot=1),
        SoundCue(id="M01", kind=CueKind.MUSIC, prompt="a warm bed", scene=1, last_scene=2, mood="warm"),
        SoundCue(id="M02", kind=CueKind.MUSIC, prompt="a tense bed", scene=3, mood="tense"),
    ])
    speech = noise(1.0, 0.1, 1)
    speech[0] = 0.9  # its first sample marks where it lands
    add_take(store, "S01_SH002", Track.DIALOGUE, speech,
             lines=[{"speaker": "MARTA", "text": "Hello there.", "start_s": 0.0, "seconds": 1.0}])
    # the second speech of a dual-dialogue pair starts where the first one's shot starts
    add_take(store, "S01_SH003", Track.DIALOGUE, click_at(0.5, 0.25),
             lines=[{"speaker": "JONAS", "text": "Hi.", "start_s": 0.0, "seconds": 0.5}],
             parameters={"dual_with": "S01_SH002"})
    add_take(store, "S01_AMB", Track.EFFECTS, noise(1.0, 0.05, 2))
    add_take(store, "S02_FX01", Track.EFFECTS, click_at(0.5, 0.0, 0.5))
    add_take(store, "M01", Track.MUSIC, M01)
    add_take(store, "M02", Track.MUSIC, M02, temp=True)
    return store


def build(store):
    from tools.sound.mix import build_mix

    return build_mix(store, store.read(Stage.SHOTS), 24.0)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def db(ratio: float) -> float:
    return 20 * np.log10(ratio)


def test_the_shots_are_placed_as_the_cut_counts_frames(scored):
    from tools.sound.mix import place

    starts = place(scored.read(Stage.SHOTS), 24.0)
    assert {k: v[0] for k, v in starts.items()} == START
    assert starts["S03_SH001"][1] == LENGTH


def test_each_take_lands_at_the_sample_of_its_shot(scored):
    mix = build(scored)
    assert mix.dialogue.shape == mix.effects.shape == mix.music.shape == (LENGTH, 2)
    left = mix.dialogue[:, 0]
    # the first sample of S01_SH002's take sits on its shot's first sample, in both channels
    assert left[START["S01_SH002"]] == pytest.approx(0.9, abs=1e-3)
    assert mix.dialogue[START["S01_SH002"], 1] == pytest.approx(0.9, abs=1e-3)
    assert not left[:START["S01_SH002"]].any(), "nothing before it"
    # the dual speech's click, 0.25 s into its take, counted from S01_SH002's start (not its own shot's)
    jonas = START["S01_SH002"] + round(0.25 * RATE)
    assert left[jonas] == pytest.approx(0.8 + float(noise(1.0, 0.1, 1)[jonas - START["S01_SH002"]]), abs=1e-3)
    # the door: scene 2, shot 2, half a second in
    door = START["S02_SH002"] + round(0.5 * RATE)
    after_scene_1 = mix.effects[START["S02_SH001"]:, 0]
    assert int(np.argmax(np.abs(after_scene_1))) + START["S02_SH001"] == door
    assert after_scene_1[door - START["S02_SH001"]] == pytest.approx(0.5, abs=1e-3)
    assert mix.takes == {k: f"03_Renders/Sound/{k}/{k}_take01.wav"
                         for k in ("S01_SH002", "S01_SH003", "S01_AMB", "S02_FX01", "M01", "M02")}
    assert mix.lines == 2 and mix.temp == ["music"]
    assert sorted(mix.missing) == ["S02_FX02", "S03_SH001"], "a line and a cue with no take are named"


def test_music_is_one_bed_across_shots_and_scenes(scored):
    mix = build(scored)
    music = mix.music[:, 0]
    # From after the ducking of scene 1's lines to just before M02's crossfade the bed is M01 sample for sample:
    # across the cut at S01_SH003 → S02_SH001 (a scene) and S02_SH001 → S02_SH002 (a shot) it never restarts.
    a, b = 160_000, 490_000
    assert np.allclose(music[a:b], M01[a:b], atol=1e-4)
    # No silence anywhere in the score: every 20 ms of it has sound (M02 loops 2.5 s over a 4 s scene).
    windows = music[: LENGTH // 960 * 960].reshape(-1, 960)
    quietest = np.sqrt((windows.astype(np.float64) ** 2).mean(axis=1)).min()
    assert quietest > 0.2 / np.sqrt(2) * 10 ** (-12 / 20) * 0.5, "not even half the ducked level"
    # M01 crossfades into M02 around the scene cut; a second after it, only M02 is heard.

    def level(x: np.ndarray, f: float) -> float:
        t = np.arange(len(x)) / RATE
        return abs(np.dot(x, np.exp(-2j * np.pi * f * t))) / len(x)

    cut = START["S03_SH001"]
    at_cut, later = music[cut - 4800:cut + 4800], music[cut + RATE:cut + 2 * RATE]
    assert level(at_cut, 220) > 0.02 and level(at_cut, 330) > 0.01, "both beds at the cut"
    assert level(later, 220) < 0.001 and level(later, 330) > 0.02


def test_dialogue_ducks_the_music_and_the_effects(scored):
    mix = build(scored)
    start, end = START["S01_SH002"], START["S01_SH002"] + RATE
    music, take = mix.music[:, 0], M01

    def gain(a: int, b: int) -> float:
        return db(rms(music[a:b]) / rms(take[a:b]))

    assert gain(start + 4800, end - 4800) == pytest.approx(-12.0, abs=0.2)
    assert gain(start, start + 480) == pytest.approx(-12.0, abs=0.3), "already down at the first word"
    assert gain(start - 20_000, start - 8_000) == pytest.approx(0.0, abs=0.1), "untouched 170 ms before"
    assert gain(end + 8_000, end + 20_000) == pytest.approx(0.0, abs=0.1), "back up after the ramp"
    ramp = gain(start - 4000, start - 3000)
    assert -11.0 < ramp < -1.0, "and in between, a ramp"
    fx = mix.effects[:, 0]
    ducked = db(rms(fx[start + 4800:end - 4800]) / rms(fx[10_000:start - 10_000]))
    assert ducked == pytest.approx(-6.0, abs=0.7)


def test_room_tone_fills_its_scene_and_stops_at_its_cut(scored):
    mix = build(scored)
    fx = mix.effects[:, 0]
    scene_end = START["S02_SH001"]
    windows = fx[:scene_end].reshape(-1, 960)
    assert np.sqrt((windows.astype(np.float64) ** 2).mean(axis=1)).min() > 0.005, "looped, never a gap"
    assert not fx[scene_end:START["S02_SH002"]].any(), "scene 2 has no room tone cue"
    fade = fx[scene_end - round(0.08 * RATE):scene_end]
    assert abs(fade[-10:]).max() < 0.01, "faded at the scene's cut"


def test_the_master_reaches_the_target_and_is_the_stems_times_one_gain(scored, tmp_path):
    from tests.unit.test_loudness import ebur128
    from tools.sound.master import loudness_text, master
    from tools.sound.wav import wav_bytes

    mix = build(scored)
    out, audio, gain = master(mix, -23.0, -1.0)
    assert out.shape == (LENGTH, 2)
    path = tmp_path / "master.wav"
    path.write_bytes(wav_bytes(out, RATE, bits=24))
    measured = ebur128(path)
    assert measured["lufs"] == pytest.approx(-23.0, abs=1.0)
    assert audio.integrated_lufs == pytest.approx(measured["lufs"], abs=0.5)
    assert measured["peak"] <= -1.0 + 0.1
    # At -23 nothing reaches the ceiling, so the limiter leaves it: the master is the stems' sum × the gain.
    assert np.allclose(out, (mix.dialogue + mix.effects + mix.music) * gain, atol=1e-5)
    assert audio.temp == ["music"] and audio.lines == 2 and audio.seconds == 15.0
    assert audio.takes["M02"].endswith("M02_take01.wav")
    assert "temp score" in loudness_text(audio) and "LUFS" in loudness_text(audio)


def test_a_take_at_another_rate_is_resampled_and_a_project_without_sound_has_none(workspace_dir):
    from tools.sound.placement import layout

    store = make_project(workspace_dir)
    assert layout(store, store.read(Stage.SHOTS), 24.0).spans == []
    slow = click_at(1.0, 0.5, 0.7)[::2]  # 24 kHz: the click half a second in
    add_take(store, "S01_SH002", Track.DIALOGUE, slow, rate=24_000)
    mix = build(store)
    at = int(np.argmax(np.abs(mix.dialogue[:, 0])))
    assert abs(at - (START["S01_SH002"] + RATE // 2)) <= 2


def test_a_scene_preview_is_that_scene_long_and_keeps_the_score_that_spans_it(scored):
    from tools.sound.master import preview
    from tools.sound.wav import read_wav

    data, audio = preview(scored, scene=2)
    x, rate = read_wav(data)
    assert rate == RATE and x.shape == (START["S03_SH001"] - START["S02_SH001"], 2)  # scene 2: 120 frames
    assert audio.takes.keys() == {"S02_FX01", "M01"}, "M01 spans scenes 1–2, so it plays under scene 2"
    assert audio.integrated_lufs == pytest.approx(-16.0, abs=1.0)


def test_a_damaged_take_is_named_with_what_to_do(scored):
    from studio.errors import AuteurError

    (scored.path / "03_Renders/Sound/M01/M01_take01.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    with pytest.raises(AuteurError) as err:
        build(scored)
    said = str(err.value) + " " + str(err.value.fix)
    assert "M01_take01.wav" in said and "auteur render sound" in said and str(scored.path) not in said
