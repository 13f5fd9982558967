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


SPEECH_AMP = 0.2  # a line's RMS (-14 dBFS): over the beds by more than CLEAR_DB, so the ducking is the set depth
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
    speech = noise(1.0, SPEECH_AMP, 1)
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
    assert left[jonas] == pytest.approx(0.8 + float(noise(1.0, SPEECH_AMP, 1)[jonas - START["S01_SH002"]]), abs=1e-3)
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
    assert ducked == pytest.approx(-10.0, abs=0.7)


def test_room_tone_fills_its_scene_and_stops_at_its_cut(scored):
    mix = build(scored)
    fx = mix.effects[:, 0]
    scene_end = START["S02_SH001"]
    # from the film's 20 ms fade-in to the scene's 80 ms fade-out, every 20 ms has room tone
    windows = fx[960:scene_end - round(0.08 * RATE)][: (scene_end - 960 - 3840) // 960 * 960].reshape(-1, 960)
    assert np.sqrt((windows.astype(np.float64) ** 2).mean(axis=1)).min() > 0.002, "looped, never a gap (ducked: -46)"
    # the take is noise at -26 dBFS RMS: room tone is kept at -36 at most (away from the ducked lines)
    assert db(rms(fx[10_000:START["S01_SH002"] - 10_000])) == pytest.approx(-36.0, abs=0.5)
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
    from tests.unit.test_loudness import ebur128
    from tools.sound.preview import preview
    from tools.sound.wav import read_wav

    rel = preview(scored, scene=2)
    assert rel == "05_Cache/sound/preview_s02.wav", "scene 2 has no temp take (M02 is scene 3's): no TEMP label"
    x, rate = read_wav(scored.path / rel)
    assert rate == RATE and x.shape == (START["S03_SH001"] - START["S02_SH001"], 2)  # scene 2: 120 frames
    # M01 spans scenes 1–2, so it plays under scene 2: its 220 Hz is there from the scene's first 100 ms
    t = np.arange(4800) / RATE
    assert abs(np.dot(x[1000:5800, 0], np.exp(-2j * np.pi * 220 * t))) / 4800 > 0.01
    assert ebur128(scored.path / rel)["lufs"] == pytest.approx(-16.0, abs=1.0)
    assert preview(scored, scene=3).endswith("preview_s03_TEMP.wav")


def test_the_cut_the_stems_and_the_preview_share_one_master(scored):
    import tools.sound.master as master_module
    from tools.sound.master import AAC_HEADROOM_DB, mastered_mix

    assert not hasattr(master_module, "preview"), "one preview: tools.sound.preview"
    settings = scored.manifest().settings
    done = mastered_mix(scored, scored.read(Stage.SHOTS), 24.0, settings)
    assert done is not None and done.stereo.shape == (LENGTH, 2)
    assert done.audio.target_true_peak == settings.true_peak_db, "the person's ceiling is what is recorded"
    assert done.audio.true_peak_dbtp <= settings.true_peak_db - AAC_HEADROOM_DB + 0.05, "limited under it"
    assert set(done.audio.takes) == set(done.mix.takes) and done.gain > 0


def test_a_damaged_take_is_named_with_what_to_do(scored):
    from studio.errors import AuteurError

    (scored.path / "03_Renders/Sound/M01/M01_take01.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    with pytest.raises(AuteurError) as err:
        build(scored)
    said = str(err.value) + " " + str(err.value.fix)
    assert "M01_take01.wav" in said and "auteur render sound" in said and str(scored.path) not in said


def spoken(text: str, voice: str, level: float) -> np.ndarray:
    """``text`` said by espeak-ng itself (not our voice code), at 48 kHz, brought to ``level`` RMS: the level
    tools/sound/speak.py gives every line (0.1, about -20 dBFS; an off-screen line 6 dB under it)."""
    import shutil
    import subprocess

    from tools.sound.wav import read_wav, resample

    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed (scripts/setup.sh installs it)")
    out = subprocess.run(["espeak-ng", "--stdout", "-v", voice], input=text.encode(), capture_output=True, check=True)
    x, rate = read_wav(out.stdout)
    x = resample(x, rate, RATE).astype(np.float32)
    return (x * (level / rms(x))).astype(np.float32)


def test_every_line_stands_clear_of_a_hum_bed_at_the_temp_synths_own_level(workspace_dir):
    """The director's complaint: a streetlight's "buzzes" became a scene-long hum louder than the voices. Here the
    hum, the room tone and the score are the CPU temp synthesiser's own output at its own levels (hum peaks at
    -6 dBFS, about -15 dBFS RMS), the lines espeak-ng's at the level speak.py gives them, one of them off screen
    (6 dB quieter). During every line the dialogue must stand at least 10 dB over effects + music (RMS over the
    line); between the lines the hum comes back up."""
    from studio.sound import CueKind, SoundCue
    from tools.sound.synth import temp_sound

    lines = {"S01_SH002": ("MARTA", "The bus is late again tonight.", "en-us+f3", 0.1),
             "S01_SH003": ("JONAS", "I know. I always know.", "en-us+m3", 0.05),  # (O.S.): -6 dB
             "S01_SH004": ("MARTA", "Then we walk home in the rain.", "en-us+f3", 0.1)}
    shots = [(1, n, 3.0, f"{lines[f'S01_SH00{n}'][0]}: {lines[f'S01_SH00{n}'][1]}" if f"S01_SH00{n}" in lines else "")
             for n in range(1, 5)]
    store = make_project(workspace_dir, shots, title="Hum Test")
    cues = [SoundCue(id="S01_AMB", kind=CueKind.AMBIENCE, prompt="room tone of a bus shelter at night", scene=1),
            SoundCue(id="S01_FX01", kind=CueKind.EFFECT, prompt="an electrical hum", scene=1,
                     source="A streetlight buzzes."),
            SoundCue(id="M01", kind=CueKind.MUSIC, prompt="a tense bed", scene=1, mood="tense")]
    save_cues(store, cues)
    for cue in cues:  # each as long as the scene, as the plan asks the synthesiser for it
        x = temp_sound(cue, 12.0, 7, heading="EXT. BUS SHELTER - NIGHT")
        add_take(store, cue.id, cue.kind.track, x, temp=True)
    hum = temp_sound(cues[1], 12.0, 7)
    assert db(rms(hum)) > -17.0 and db(float(np.abs(hum).max())) == pytest.approx(-6.0, abs=0.1), "a loud hum"
    for code, (who, words, voice, level) in lines.items():
        x = spoken(words, voice, level)
        add_take(store, code, Track.DIALOGUE, x,
                 lines=[{"speaker": who, "text": words, "start_s": 0.0, "seconds": len(x) / RATE}])
    mix = build(store)
    rest = mix.effects + mix.music
    for code in lines:
        a = (int(code[-1]) - 1) * 3 * RATE
        b = a + round(add_len(store, code) * RATE)
        margin = db(rms(mix.dialogue[a:b]) / rms(rest[a:b]))
        assert margin >= 10.0, f"{code}: the line is only {margin:.1f} dB over the effects and music"
    alone = db(rms(mix.effects[RATE // 2:int(2.5 * RATE)]))  # shot 1: nobody speaks
    under = db(rms(mix.effects[3 * RATE + RATE // 4:3 * RATE + RATE]))  # under MARTA's first words
    assert alone - under >= 9.5, "the hum goes down under the line and comes back between lines"
    assert alone == pytest.approx(db(rms(hum)) - 12.0, abs=1.0), "a hum that lasts the scene is a bed: -12 dB"


def add_len(store, key: str) -> float:
    from memory.sound_takes import SoundTakes

    take = SoundTakes(store).active(key)
    assert take is not None
    return take.seconds


def test_a_take_whose_shot_no_longer_says_its_words_is_left_out(scored):
    """The reviewer's case: S01_SH002's take says "Hello there."; the line is taken out of the shot (dialogue
    emptied), so nothing may be heard there; and a reworded line is not voiced with the old words either."""
    from tools.sound.placement import layout

    shots = scored.read(Stage.SHOTS)
    heard = build(scored).dialogue[START["S01_SH002"]:START["S01_SH003"]]
    assert np.abs(heard).max() > 0.5, "the line is there while the shot says it"
    emptied = shots.model_copy(update={"shots": [s.model_copy(update={"dialogue": "", "characters": []})
                                                 if s.code == "S01_SH002" else s for s in shots.shots]})
    scored.save(Stage.SHOTS, emptied, author=Author.agent("Cinematographer"), summary="line cut")
    mix = build(scored)
    # S01_SH003's dual take starts at S01_SH002's first sample too: only its click may be there
    there = mix.dialogue[START["S01_SH002"]:START["S01_SH003"], 0].copy()
    there[round(0.25 * RATE)] = 0.0
    assert not there.any(), "the dialogue is silent where the line was taken out"
    assert "S01_SH002" not in mix.takes and mix.lines == 1
    assert any("S01_SH002" in n and "no line" in n for n in mix.notes)
    reworded = emptied.model_copy(update={"shots": [s.model_copy(update={"dialogue": "JONAS: Hi, Marta."})
                                                    if s.code == "S01_SH003" else s for s in emptied.shots]})
    scored.save(Stage.SHOTS, reworded, author=Author.agent("Cinematographer"), summary="line reworded")
    found = layout(scored, scored.read(Stage.SHOTS), 24.0)
    assert not [sp for sp in found.spans if sp.kind is CueKind.DIALOGUE], "the old words are not spoken"
    assert "S01_SH003" in found.missing and any("S01_SH003" in n and "changed" in n for n in found.notes)
    # the same words with other punctuation and case still match: only the words count
    same = reworded.model_copy(update={"shots": [s.model_copy(update={"dialogue": "JONAS: hi!"})
                                                 if s.code == "S01_SH003" else s for s in reworded.shots]})
    scored.save(Stage.SHOTS, same, author=Author.agent("Cinematographer"), summary="line as it was")
    assert [sp.key for sp in layout(scored, scored.read(Stage.SHOTS), 24.0).spans
            if sp.kind is CueKind.DIALOGUE] == ["S01_SH003"]


def test_the_film_fades_in_and_out_over_20_ms(scored):
    """The score and the room tone play from the film's first sample to its last: without a fade the sound starts
    and stops with a click. Every track fades in over the first 20 ms and out over the last 20 ms."""
    mix = build(scored)
    for name, track in (("all", mix.sum()), ("music", mix.music)):  # (scene 3 has no room tone at the end)
        x = track[:, 0]
        full_head, full_tail = rms(x[960:2880]), rms(x[-2880:-960])  # 20–60 ms from each end
        assert full_head > 0.005 and full_tail > 0.005, name
        assert abs(x[0]) < 1e-4 and abs(x[-1]) < 1e-4, f"{name}: from nothing, to nothing"
        assert rms(x[:240]) < 0.1 * full_head and rms(x[-240:]) < 0.1 * full_tail, f"{name}: 5 ms in, still faint"
        assert rms(x[720:960]) > 0.5 * full_head, f"{name}: up to level by 20 ms"
    room = mix.effects[:, 0]
    assert abs(room[0]) < 1e-4 and rms(room[:240]) < 0.1 * rms(room[960:2880]), "the room tone fades in too"
