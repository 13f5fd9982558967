"""The voice engines, really speaking: espeak-ng (installed by scripts/setup.sh) and a tiny random VITS model built
in the test (tests/integration/tiny_tts.py).

What is measured is measured here, by standard methods and not by our code: the fundamental frequency of voiced
speech by autocorrelation (the lag of the strongest self-similarity between 60 and 400 Hz, median over loud
frames), the spectral centroid (the power-weighted mean frequency), levels as RMS. A voice cast lower must measure
lower; an off-screen line must be duller and quieter than the same line on screen.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from studio.breakdown import break_down
from studio.errors import AuteurError
from studio.fountain import parse
from studio.models import Look
from studio.sound import SAMPLE_RATE, Delivery, SpokenLine, VoiceProfile
from studio.voices import cast
from tests.integration.tiny_tts import save_tiny_vits
from tools.sound.speak import speak_shot, speech_parts
from tools.sound.voices import EspeakEngine, VitsEngine, engine_for, pitch_factor


REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"
LINE = "Please. Black. Two sugars. And a slice of whichever pie has been here the longest."


def fundamental_hz(x: np.ndarray, rate: int) -> float:
    """Median F0 of the loud 40 ms frames, each by autocorrelation (lag of the highest peak for 60–400 Hz)."""
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    frames = [x[i:i + frame] for i in range(0, len(x) - frame, hop)]
    loud = max(float(np.sqrt(np.mean(f ** 2))) for f in frames)
    low, high = int(rate / 400), int(rate / 60)
    found = []
    for f in frames:
        if np.sqrt(np.mean(f ** 2)) < 0.3 * loud:
            continue
        f = f - f.mean()
        ac = np.correlate(f, f, mode="full")[frame - 1:]
        if ac[0] <= 0:
            continue
        lag = low + int(np.argmax(ac[low:high]))
        if ac[lag] / ac[0] > 0.3:  # voiced
            found.append(rate / lag)
    assert found, "no voiced frame"
    return float(np.median(found))


def centroid_hz(x: np.ndarray, rate: int) -> float:
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1.0 / rate)
    return float((freqs * power).sum() / power.sum())


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def _line(text: str = LINE, speaker: str = "NELL", **kw) -> SpokenLine:
    return SpokenLine(shot="S01_SH003", scene=1, number=3, speaker=speaker, text=text, **kw)


# ---------------------------------------------------------------- espeak-ng

def test_pitch_30_measures_lower_than_pitch_70():
    engine = EspeakEngine()
    low, rate = engine.speak(LINE, VoiceProfile(voice="en-us+m3", pitch=30))
    high, _ = engine.speak(LINE, VoiceProfile(voice="en-us+m3", pitch=70))
    assert rate == 22050
    assert fundamental_hz(high, rate) > 1.2 * fundamental_hz(low, rate)


CORPUS = REPO / "tests" / "corpus"


@pytest.mark.parametrize("script,min_pairs", [(SAMPLE, 5), (CORPUS / "the_library_freak_out.fountain", 30)])
def test_the_people_of_every_scene_are_cast_apart_as_heard(script, min_pairs):
    text = script.read_text(encoding="utf-8")
    breakdown = break_down(parse(text))
    look, _ = cast(Look(), breakdown, text)
    voices = {c.name: c.voice for c in look.characters}
    heard = {name: fundamental_hz(speak_shot([_line(speaker=name)], voices)[0], SAMPLE_RATE) for name in voices}
    pairs = 0
    for scene in breakdown.scenes:
        for k, one in enumerate(scene.characters):
            for other in scene.characters[k + 1:]:
                low, high = sorted((heard[one], heard[other]))
                assert high / low > 1.05, f"{one} and {other} (scene {scene.number}) sound alike: {low:.0f} Hz"
                pairs += 1
    assert pairs >= min_pairs  # the sample's scenes have 2 and 3 speakers; the library's up to 7


def test_duration_grows_with_words_and_falls_with_rate():
    engine = EspeakEngine()
    voice = VoiceProfile(voice="en-us+f2", pitch=55, rate=165)
    short, rate = engine.speak("Coffee, black.", voice)
    long, _ = engine.speak("Coffee, black, two sugars, and a slice of the rhubarb pie if there is any left.", voice)
    slow, _ = engine.speak(LINE, voice.model_copy(update={"rate": 120}))
    fast, _ = engine.speak(LINE, voice.model_copy(update={"rate": 240}))
    assert len(long) > 2 * len(short)
    assert len(slow) > 1.5 * len(fast)


# Lines of dialogue of the kinds a take holds (not the sentences the engine's speed was measured on): plain
# sentences, which espeak-ng says fastest (user F4: "She had missed the last bus…" at 252 wpm for 170), and
# punctuated ones, whose pauses slow it down.
TIMED = {"plain": ["She waited at the corner until the lights of the bus were gone.",
                   "I have driven this road every night for eleven years.",
                   "Is this the stop for the harbour or the one after it?"],
         "punctuated": ["Coffee, black, two sugars, and a slice of whatever pie is left.",
                        "Don't. Just sit down, eat something, before it gets cold.",
                        "Well... maybe. Ask me again tomorrow, when the rain stops."]}


@pytest.mark.parametrize("kind", sorted(TIMED))
@pytest.mark.parametrize("rate", [90, 130, 180])
@pytest.mark.parametrize("voice", ["en-us+m1", "en-us+f3"])
def test_a_voice_speaks_at_the_words_per_minute_its_profile_says(voice, rate, kind):
    """User F4: the profile's rate is what is heard. Timed as a director times a take: its words (split on spaces)
    over the whole take's seconds, each line a take of its own."""
    profile = VoiceProfile(voice=voice, pitch=50, rate=rate)
    words = seconds = 0.0
    for text in TIMED[kind]:
        take, _, _ = speak_shot([_line(text)], {"NELL": profile})
        words += len(text.split())
        seconds += len(take) / SAMPLE_RATE
    assert words / seconds * 60 == pytest.approx(rate, rel=0.15)


@pytest.mark.parametrize("parenthetical,db", [("(quietly)", -6.0), ("(whispering)", -6.0),
                                               ("(under her breath)", -6.0), ("(softly, not looking up)", -6.0),
                                               ("(shouting)", 3.0), ("(yelling over the rain)", 3.0),
                                               ("(beat)", 0.0), ("(to Walt)", 0.0)])
def test_a_parenthetical_that_says_how_loud_moves_the_lines_level(parenthetical, db):
    """User F6: the same line, measured by RMS, is quieter under (quietly) and louder under (shouting), and the
    take's record of the line says so; a parenthetical about something else leaves the level alone."""
    voices = {"NELL": VoiceProfile(voice="en-us+f3", pitch=60)}
    plain, _, _ = speak_shot([_line()], voices)
    said, lines, _ = speak_shot([_line(parenthetical=parenthetical)], voices)
    assert 20 * np.log10(rms(said) / rms(plain)) == pytest.approx(db, abs=0.5)
    assert float(np.max(np.abs(said))) <= 0.9 + 1e-6
    assert lines[0].get("gain_db", 0.0) == db and lines[0]["parenthetical"] == parenthetical
    assert lines[0].get("level", "") == {-6.0: "quiet", 3.0: "loud", 0.0: ""}[db]


def test_off_screen_is_duller_and_quieter_and_voice_over_is_dry():
    voices = {"NELL": VoiceProfile(voice="en-us+f3", pitch=60)}
    on, _, _ = speak_shot([_line()], voices)
    off, _, _ = speak_shot([_line(delivery=Delivery.OS)], voices)
    over, _, _ = speak_shot([_line(delivery=Delivery.VO)], voices)
    assert centroid_hz(off, SAMPLE_RATE) < 0.8 * centroid_hz(on, SAMPLE_RATE)
    assert 20 * np.log10(rms(off) / rms(on)) < -3.0
    assert len(over) < len(on)  # no room tail after the last word


def test_a_shot_take_places_its_lines_in_order_and_overlaps_dual_dialogue():
    voices = {"BRAD": VoiceProfile(voice="en-us+m1", pitch=38), "CAROL": VoiceProfile(voice="en-us+f1", pitch=60)}
    take, lines, notices = speak_shot([_line("Left at the light.", "BRAD"), _line("Right at the light!", "CAROL"),
                                       _line("Straight on.", "BRAD")], voices)
    assert notices == [] and take.dtype == np.float32 and take.ndim == 1
    assert [line["speaker"] for line in lines] == ["BRAD", "CAROL", "BRAD"]
    assert lines[0]["start_s"] == 0.0 and lines[1]["start_s"] > lines[0]["seconds"]
    assert lines[1]["engine"] == "espeak-ng" and "en-us+f1" in lines[1]["voice"]
    assert abs(len(take) / SAMPLE_RATE - (lines[2]["start_s"] + lines[2]["seconds"])) < 0.01
    assert float(np.max(np.abs(take))) <= 0.9
    dual, said, _ = speak_shot([_line("Left!", "BRAD"), _line("Right!", "CAROL", dual=True)], voices)
    assert said[1]["start_s"] == said[0]["start_s"] == 0.0  # said over the line before
    assert len(dual) / SAMPLE_RATE < said[0]["seconds"] + said[1]["seconds"]


def test_a_speaker_with_no_voice_is_cast_on_the_fly_and_told():
    take, lines, notices = speak_shot([_line(speaker="STRANGER")], {"NELL": VoiceProfile(voice="en-us+f3")})
    assert rms(take) > 0.01 and notices and "STRANGER had no voice" in notices[0]


def test_bad_lines_are_clear_errors_and_a_monologue_of_two_thousand_words_is_spoken():
    voices = {"NELL": VoiceProfile()}
    with pytest.raises(AuteurError, match="no words to say"):
        speak_shot([_line("... — ?!")], voices)
    with pytest.raises(AuteurError, match="no line"):
        speak_shot([], voices)
    words = ("The rain came down on the roof all night, and I lay awake and listened to it. " * 120).split()[:2000]
    parts = speech_parts(" ".join(words))
    assert max(len(p.split()) for p in parts) <= 400 and " ".join(parts).split() == words  # no word lost
    started = time.perf_counter()
    take, lines, _ = speak_shot([_line(" ".join(words))], voices)
    assert time.perf_counter() - started < 60
    seconds = len(take) / SAMPLE_RATE
    assert 2000 / 400 * 60 < seconds < 2000 / 80 * 60  # every word said, at a human pace
    assert lines[0]["seconds"] == pytest.approx(seconds, abs=0.01)
    assert min(rms(take[i:i + SAMPLE_RATE * 30]) for i in range(0, len(take) - SAMPLE_RATE * 30, SAMPLE_RATE * 30)) \
        > 0.01  # no silent stretch of half a minute: every part was spoken


def test_a_missing_binary_or_voice_names_the_fix():
    with pytest.raises(AuteurError) as missing:
        EspeakEngine(binary="/nowhere/espeak-ng").speak("Hello.", VoiceProfile())
    assert "apt-get install espeak-ng" in missing.value.fix
    with pytest.raises(AuteurError) as unknown:
        EspeakEngine().speak("Hello.", VoiceProfile(voice="xx-nowhere"))
    assert "xx-nowhere" in unknown.value.problem and "espeak-ng --voices" in unknown.value.fix


# ---------------------------------------------------------------- VITS through transformers

@pytest.fixture(scope="module")
def tiny_vits(tmp_path_factory):
    return save_tiny_vits(tmp_path_factory.mktemp("voices") / "tiny-vits")


def test_a_tiny_vits_model_loads_from_its_folder_and_speaks(tiny_vits):
    profile = VoiceProfile(engine="vits", model=str(tiny_vits), voice="0", pitch=50, rate=165)
    engine, notice = engine_for(profile, None)
    assert notice == "" and engine.name == "vits"
    samples, rate = engine.speak("hello there, friend.", profile)
    assert rate == 16000 and samples.dtype == np.float32 and rms(samples) > 1e-3
    again, _ = engine.speak("hello there, friend.", profile)
    assert np.array_equal(samples, again)  # the same line is said the same way
    take, lines, notices = speak_shot([_line("hello there, friend.")], {"NELL": profile})
    assert notices == [] and lines[0]["engine"] == "vits" and rms(take) > 1e-3


def test_vits_rate_and_pitch(tiny_vits):
    profile = VoiceProfile(engine="vits", model=str(tiny_vits), pitch=50, rate=165)
    engine = VitsEngine()
    normal, _ = engine.speak("a long enough line to time it well.", profile)
    quick, _ = engine.speak("a long enough line to time it well.", profile.model_copy(update={"rate": 330}))
    assert len(quick) < 0.75 * len(normal)
    high, high_rate = engine.speak("pitch", profile.model_copy(update={"pitch": 90}))
    low, low_rate = engine.speak("pitch", profile.model_copy(update={"pitch": 10}))
    # played at a higher rate is heard higher: the rate it is played at is 16 kHz shifted by 2^(±0.4 octave)
    assert high_rate == pytest.approx(16000 * 2 ** 0.4, abs=100) and low_rate == pytest.approx(16000 * 2 ** -0.4,
                                                                                                  abs=100)
    assert pitch_factor(50) == 1.0


def test_a_folder_that_is_not_a_vits_model_falls_back_to_espeak_with_a_notice(tmp_path):
    bert = tmp_path / "my-models" / "not-a-voice"
    bert.mkdir(parents=True)
    (bert / "config.json").write_text('{"model_type": "bert"}', encoding="utf-8")
    for model in (str(bert), str(tmp_path / "nowhere"), "nobody-here/no-such-tts", ""):
        profile = VoiceProfile(engine="vits", model=model, voice="2")
        engine, notice = engine_for(profile, None)
        assert engine.name == "espeak-ng" and "espeak-ng" in notice
        assert str(tmp_path) not in notice  # never the server's whole path
        take, lines, notices = speak_shot([_line()], {"NELL": profile})
        assert rms(take) > 0.01 and lines[0]["engine"] == "espeak-ng" and notices
    _, notice = engine_for(VoiceProfile(engine="vits", model=str(bert)), None)
    assert "my-models/not-a-voice is not a VITS" in notice and "'bert'" in notice
    with pytest.raises(AuteurError, match="not a VITS"):
        VitsEngine().load(str(bert))


def test_damaged_weights_fall_back_and_a_models_dir_name_resolves(tmp_path):
    from config.settings import Settings

    broken = save_tiny_vits(tmp_path / "models" / "broken-vits")
    (broken / "model.safetensors").write_bytes(b"not really weights")
    engine, notice = engine_for(VoiceProfile(engine="vits", model=str(broken)), None)
    assert engine.name == "espeak-ng" and "models/broken-vits is not a VITS" in notice and str(tmp_path) not in notice
    save_tiny_vits(tmp_path / "models" / "speaker--voices", num_speakers=2)
    settings = Settings(workspace=tmp_path / "ws", models_dir=tmp_path / "models")
    first = VoiceProfile(engine="vits", model="speaker/voices", voice="0")  # a repo id, found as models_dir/speaker--voices
    engine, notice = engine_for(first, settings)
    assert (engine.name, notice) == ("vits", "")
    zero, _ = engine.speak("the same words.", first)
    one, _ = engine.speak("the same words.", first.model_copy(update={"voice": "1"}))
    assert not (len(zero) == len(one) and np.allclose(zero, one))  # another speaker of the model
