"""Sound attacked as an outside auditor would (issue 16): voice models outside the models folder or with a giant
config, takes swapped for links or for what no take is, sound.json and sidecars edited to point away, espeak-ng fed
options and markup, a screenplay of hostile names through `auteur`. Real espeak-ng, Git store and mix; synthetic
takes (tests/integration/test_mix.py). Each docstring says FIXED (where) or HELD: nothing outside the project or
the models folder is read or written, nothing is half-written, no message shows an absolute server path."""

from __future__ import annotations

import json
import struct
import subprocess
from os import truncate as os_truncate
from pathlib import Path

import numpy as np
import pytest

from studio.errors import AuteurError, StageError
from studio.sound import CueKind, SoundCue, SoundTake, Track, VoiceProfile
from studio.stages import Stage
from tests.integration.test_mix import RATE, SOUND, add_take, make_project, save_cues, tone


def git_clean(store) -> bool:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=store.path,
                          capture_output=True, text=True, check=True).stdout == ""


def no_absolute_path(text: str, *roots: Path) -> bool:
    return not any(str(r) in text for r in roots)


def vits_like(folder: Path) -> Path:
    """A folder that passes for a VITS model at a glance (config, vocab, weights file): whether it is read at all
    is what the tests watch."""
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"model_type": "vits"}))
    (folder / "vocab.json").write_text(json.dumps({"a": 0}))
    (folder / "model.safetensors").write_bytes(b"not really weights")
    return folder


@pytest.fixture
def model_settings(tmp_path, workspace_dir):
    from config.settings import Settings

    (tmp_path / "models").mkdir()
    return Settings(workspace=workspace_dir, models_dir=tmp_path / "models")


@pytest.fixture
def checked(monkeypatch) -> list[Path]:
    """Every folder tools.sound.voices looks into as a VITS model."""
    import tools.sound.voices as voices

    seen: list[Path] = []
    real = voices.check_vits_folder

    def spy(folder: Path) -> Path:
        seen.append(Path(folder))
        return real(folder)

    monkeypatch.setattr(voices, "check_vits_folder", spy)
    return seen


# ---------------------------------------------------------------- a look's voice model: only the models folder

@pytest.mark.parametrize("how", ["absolute", "dot-dot", "link in the models folder"])
def test_a_voice_model_outside_the_models_folder_is_never_read(tmp_path, model_settings, checked, how):
    """`/voice MARTA engine vits model /some/folder` writes the folder into look.json, which a person or the
    crew edits: as for a look's LoRA (tools.render.execute._lora_path), the server reads voice models only from
    AUTEUR_MODELS_DIR and the Hugging Face cache. FIXED (tools/sound/voices.py, resolve_tts_model): before, any
    folder of the server was opened and its config.json read; now it is refused before it is looked at, and the
    voice falls back to espeak-ng with a notice that names no absolute path."""
    from tools.sound.voices import EspeakEngine, engine_for

    outside = vits_like(tmp_path / "elsewhere" / "secret-model")
    if how == "absolute":
        name = str(outside)
    elif how == "dot-dot":
        name = "../elsewhere/secret-model"  # relative to the models folder, it climbs out of it
    else:
        (tmp_path / "models" / "planted").symlink_to(outside, target_is_directory=True)
        name = "planted"
    engine, notice = engine_for(VoiceProfile(engine="vits", model=name), model_settings)
    assert isinstance(engine, EspeakEngine), "the voice is spoken by the embedded engine"
    assert checked == [], f"a folder outside the models folder was opened: {checked}"
    assert "outside the models folder" in notice or "does not exist" in notice, notice
    assert "AUTEUR_MODELS_DIR" in notice
    assert no_absolute_path(notice, tmp_path), notice


def test_a_voice_model_inside_the_models_folder_still_loads_its_config(tmp_path, model_settings, checked):
    """The rule above keeps the models folder working: a folder there is looked into (and this one, whose weights
    are not weights, is said to be no VITS model, a fallback)."""
    from tools.sound.voices import engine_for

    vits_like(tmp_path / "models" / "mms-tts-eng")
    _, notice = engine_for(VoiceProfile(engine="vits", model="mms-tts-eng"), model_settings)
    assert [p.name for p in checked] == ["mms-tts-eng"]
    assert "is not a VITS text-to-speech model" in notice and no_absolute_path(notice, tmp_path), notice


def test_a_voice_model_with_a_giant_config_is_refused_without_reading_it(tmp_path, model_settings, monkeypatch):
    """A model folder whose config.json is 64 MB (sparse: no disk used) would be read whole into memory and
    parsed. FIXED (tools/sound/voices.py, check_vits_folder): over 1 MB it is refused by its size, unread."""
    from tools.sound import voices

    folder = vits_like(tmp_path / "models" / "huge")
    os_truncate(folder / "config.json", 64 * 1024 * 1024)
    reads: list[Path] = []
    real_read = Path.read_text

    def read_text(self, *args, **kwargs):
        reads.append(self)
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    _, notice = voices.engine_for(VoiceProfile(engine="vits", model="huge"), model_settings)
    assert not [p for p in reads if p.name == "config.json"], "the giant config was read"
    assert "over 1 MB" in notice and no_absolute_path(notice, tmp_path), notice


# ---------------------------------------------------------------- takes: links and files that are not takes

@pytest.fixture
def scored(workspace_dir):
    """Mix Test's six shots, a room tone (S01_AMB) and a line (S01_SH002) with their takes."""
    store = make_project(workspace_dir)
    save_cues(store, [SoundCue(id="S01_AMB", kind=CueKind.AMBIENCE, prompt="room tone of a diner", scene=1)])
    add_take(store, "S01_AMB", Track.EFFECTS, tone([110.0], 1.0, 0.05))
    add_take(store, "S01_SH002", Track.DIALOGUE, tone([220.0], 1.0),
             lines=[{"speaker": "MARTA", "text": "Hello there.", "start_s": 0.0, "seconds": 1.0}])
    return store


def take_wav(store, key: str) -> Path:
    return store.path / f"03_Renders/Sound/{key}/{key}_take01.wav"


def mixed(store):
    from tools.sound.mix import build_mix

    return build_mix(store, store.read(Stage.SHOTS), 24.0)


def test_a_take_swapped_for_a_link_out_of_the_project_is_not_mixed(scored, tmp_path):
    """The room tone's WAV is replaced by a link to a WAV elsewhere on the server (a planted link, or one restored
    from an archive). FIXED (memory/sound_takes.py, SoundTakes.list): a link is not a take, so the file it points
    at never reaches the mix, the stems or the cut; the key is missing (and `render sound` makes it again)."""
    from memory.sound_takes import SoundTakes
    from tools.sound.wav import wav_bytes

    secret = tmp_path / "elsewhere.wav"
    secret.write_bytes(wav_bytes(tone([1000.0], 1.0, 0.9)))
    wav = take_wav(scored, "S01_AMB")
    wav.unlink()
    wav.symlink_to(secret)
    assert SoundTakes(scored).list("S01_AMB") == []
    mix = mixed(scored)
    assert "S01_AMB" in mix.missing and "S01_AMB" not in mix.takes
    assert float(np.abs(mix.effects).max()) == 0.0, "nothing of the linked file is in the effects"


def test_a_sound_folder_that_is_a_link_is_not_read_or_written(scored, tmp_path):
    """03_Renders/Sound itself becomes a link to a folder outside holding a well-formed take. FIXED (memory/
    sound_takes.py, SoundTakes.list): only the key's own folder was checked for a link, so the takes outside
    were listed and mixed; now a take's real path must be inside the project. HELD: a new take is refused
    rather than written through the link (memory.atomic.contained)."""
    import shutil

    from memory.sound_takes import SoundTakes
    from tools.sound.wav import wav_bytes

    sound = scored.path / "03_Renders/Sound"
    outside = tmp_path / "outside_sound"
    shutil.copytree(sound, outside)
    shutil.rmtree(sound)
    sound.symlink_to(outside, target_is_directory=True)
    assert SoundTakes(scored).list("S01_AMB") == []
    take = SoundTake(key="S01_AMB", track=Track.EFFECTS, number=1, path="pending.wav", seconds=1.0)
    before = sorted(p.name for p in (outside / "S01_AMB").iterdir())
    with pytest.raises(AuteurError) as refused:
        SoundTakes(scored).add(take, wav_bytes(tone([110.0], 1.0)), author=SOUND)
    assert sorted(p.name for p in (outside / "S01_AMB").iterdir()) == before, "nothing written through the link"
    assert no_absolute_path(refused.value.problem + refused.value.fix, tmp_path)


def wav_header(rate: int, channels: int = 1, bits: int = 16, frames: int = 100) -> bytes:
    """A PCM WAV written by hand (RIFF, fmt, data), so its header can say what no real recording says."""
    width = bits // 8
    data = b"\x10\x00" * frames * channels if width == 2 else b"\x10" * frames * channels * width
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


GARBAGE = {
    "not a WAV": b"ID3\x03\x00 an mp3 is not a take",
    "empty": b"",
    "only the RIFF header": b"RIFF\x00\x00\x00\x00WAVE",
    "a rate of 0 Hz": wav_header(0),
    "a rate of 1 Hz": wav_header(1, frames=10),  # 10 samples at 1 Hz are 480,000 at 48 kHz; 10 s of them, 4.8e8
    "64 channels": wav_header(48_000, channels=64),
    "a 4 GB data chunk": wav_header(48_000)[:40] + struct.pack("<I", 0xFFFFFFF0) + b"\x00\x01" * 50,
}


IMPOSSIBLE = ("a rate of 0 Hz", "a rate of 1 Hz", "64 channels")


@pytest.mark.parametrize("what", list(GARBAGE))
def test_a_take_replaced_by_something_else_is_named_or_no_take_and_never_crashes(scored, what):
    """The room tone's WAV is overwritten by hand with something that is not a take. FIXED (memory/sound_takes.py,
    SoundTakes.list): before, a header saying 0 Hz crashed the mix with numpy's own ValueError, and one saying
    1 Hz was resampled to 48,000 times its length (a 10-second file at 1 Hz is half a billion samples); now a
    header no take has is not a take: the key is missing and the mix is built without it. A file that is no WAV
    at all is still a take, and the mix names it and says what to do (HELD: tests/integration/test_mix.py); a
    huge data size in a header reads only what is there (HELD)."""
    from memory.sound_takes import SoundTakes

    take_wav(scored, "S01_AMB").write_bytes(GARBAGE[what])
    if what in IMPOSSIBLE:
        assert SoundTakes(scored).list("S01_AMB") == []
        mix = mixed(scored)
        assert "S01_AMB" in mix.missing and mix.length == 720_000
        assert float(np.abs(mix.dialogue).max()) > 0.1, "the line still plays"
    elif what == "a 4 GB data chunk":
        assert SoundTakes(scored).damaged(SoundTakes(scored).active("S01_AMB")) == ""
        assert mixed(scored).length == 720_000
    else:
        assert SoundTakes(scored).damaged(SoundTakes(scored).active("S01_AMB")), "known to be damaged"
        with pytest.raises(AuteurError) as refused:
            mixed(scored)
        said = refused.value.problem + refused.value.fix
        assert "S01_AMB_take01.wav" in said and "auteur render sound" in said
        assert no_absolute_path(said, scored.path)


@pytest.mark.parametrize("what", ["not a WAV", "a rate of 0 Hz", "a rate of 1 Hz", "64 channels"])
def test_a_take_that_is_no_wav_is_refused_and_nothing_is_written(scored, what):
    """A render (or a person's code) hands SoundTakes.add bytes that are no take. FIXED for the headers (memory/
    sound_takes.py, SoundTakes.add): before, only 'RIFF…WAVE' was checked, so a 0 Hz take was committed and
    broke every later mix; now the same check as the mix's is made, and nothing is written or committed."""
    from memory.sound_takes import SoundTakes

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=scored.path, capture_output=True, text=True).stdout
    take = SoundTake(key="S02_AMB", track=Track.EFFECTS, number=1, path="pending.wav", seconds=1.0)
    with pytest.raises(AuteurError) as refused:
        SoundTakes(scored).add(take, GARBAGE[what], author=SOUND)
    assert "S02_AMB" in refused.value.problem and "render the sound again" in refused.value.fix
    assert not (scored.path / "03_Renders/Sound/S02_AMB").exists() or \
        not any((scored.path / "03_Renders/Sound/S02_AMB").iterdir())
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=scored.path, capture_output=True,
                          text=True).stdout == head
    assert git_clean(scored)


# ---------------------------------------------------------------- sound.json and sidecars edited to point away

def test_a_sidecar_pointing_at_another_file_is_not_a_take(scored, tmp_path):
    """A take's sidecar is edited: its path names another key's WAV, then a path out of the project. HELD: the
    first is not this key's take (the WAV must sit in the key's own folder), the second does not even parse
    (SoundTake refuses '..' and absolute paths)."""
    from memory.sound_takes import SoundTakes

    sidecar = take_wav(scored, "S01_AMB").with_suffix(".json")
    data = json.loads(sidecar.read_text())
    data["path"] = "03_Renders/Sound/S01_SH002/S01_SH002_take01.wav"
    sidecar.write_text(json.dumps(data))
    assert SoundTakes(scored).list("S01_AMB") == []
    for away in ("../../../etc/passwd", str(tmp_path / "x.wav")):
        data["path"] = away
        sidecar.write_text(json.dumps(data))
        assert SoundTakes(scored).list("S01_AMB") == []


@pytest.mark.parametrize("edit", ["a cue id that is a path", "a 1,000-character id", "a look-alike slash",
                                  "not JSON"])
def test_a_hand_edited_sound_plan_is_a_clear_error(scored, edit, tmp_path):
    """sound.json is edited by hand: a cue id '../../etc', an id of 1,000 letters, one with a unicode
    division slash (U+2215) that looks like '/', or a file that is not JSON. HELD: the plan is refused as a
    whole with a message naming sound.json (relative) and how to get it back, never used as a folder name."""
    from memory.sound_takes import read_plan
    from tools.sound.mix import build_mix

    path = scored.path / "02_Source_Creative/Sound/sound.json"
    plan = json.loads(path.read_text())
    ids = {"a cue id that is a path": "../../etc", "a 1,000-character id": "A" * 1000,
           "a look-alike slash": "S01\u2215AMB"}
    if edit == "not JSON":
        path.write_text("{ not json")
    else:
        plan["cues"][0]["id"] = ids[edit]
        path.write_text(json.dumps(plan))
    for attempt in (lambda: read_plan(scored), lambda: build_mix(scored, scored.read(Stage.SHOTS), 24.0)):
        with pytest.raises(StageError) as refused:
            attempt()
        text = refused.value.problem + refused.value.fix
        assert "02_Source_Creative/Sound/sound.json" in text and "auteur history" in text
        assert no_absolute_path(text, tmp_path, scored.path)


@pytest.mark.parametrize("key", ["../../etc", "S01_AMB/../../x", "S01_AMB\x00", "A" * 1000, "s01_amb"])
def test_a_key_that_would_be_a_path_names_no_sound(scored, key):
    """A key typed in `/take KEY 2` or `/takes KEY` (or written into sound.json's 'active'): HELD, it must be a
    shot code or cue id (capitals, digits, '_'), so it never becomes a folder."""
    from memory.sound_takes import SoundTakes, sound_folder

    with pytest.raises(AuteurError) as refused:
        sound_folder(key)
    assert "names no sound cue or shot" in refused.value.problem
    with pytest.raises(AuteurError):
        SoundTakes(scored).choose(key, 1, author=SOUND)
    assert git_clean(scored)


# ---------------------------------------------------------------- espeak-ng fed what looks like its options

@pytest.mark.parametrize("line", ["-w /tmp/PLANT --help", "--path=/etc -v /etc/passwd hello",
                                  "<speak><audio src='file:///etc/passwd'/>hello</speak>", "[[h@l'oU]] hello"])
def test_a_line_that_looks_like_espeak_options_or_markup_is_only_spoken(line, tmp_path, monkeypatch):
    """A line of dialogue (the screenplay's, or a model's) starting with '-', or carrying SSML or espeak's
    phoneme brackets. HELD: the text goes to espeak-ng on stdin, never on its command line, and without -m
    (no SSML): it is spoken, no file is written, and the command line is the one the voice decides."""
    import tools.sound.voices as voices

    plant = Path(line.split()[1]) if line.startswith("-w") else None
    if plant is not None:
        plant.unlink(missing_ok=True)
    commands: list[list[str]] = []
    real_run = subprocess.run

    def run(cmd, *args, **kwargs):
        commands.append(list(cmd))
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(voices.subprocess, "run", run)
    samples, rate = voices.EspeakEngine().speak(line, VoiceProfile(voice="en-us+f3", pitch=60, rate=170))
    assert rate > 0 and len(samples) > rate // 4 and float(np.abs(samples).max()) > 0.05
    assert commands and all(line not in " ".join(c) for c in commands)
    assert "-m" not in commands[0] and commands[0][-6:-1] == ["-v", "en-us+f3", "-p", "60", "-s"]
    assert commands[0][-1] == str(voices.espeak_speed(170)[0])  # the text never reaches the arguments
    assert plant is None or not plant.exists()


@pytest.mark.parametrize("voice", ["--help", "-w/tmp/x", "en-us\n-w", "../../etc/passwd", "en us"])
def test_a_voice_name_that_would_be_an_option_or_a_path_is_refused(voice):
    """`/voice NAME voice --help` (or a look.json edited so): HELD, a voice is letters, digits and + - _ . and
    begins with a letter or digit, so it is never an option or a file of espeak-ng's."""
    with pytest.raises(ValueError):
        VoiceProfile(voice=voice)


@pytest.mark.parametrize("text", ["مرحبا بالعالم، كيف حالك", "שלום עולם", "😀 hello 😀", "Ｈｅｌｌｏ ｔｈｅｒｅ"])
def test_rtl_emoji_and_wide_letters_are_spoken_or_refused_clearly(text):
    """Arabic and Hebrew (right to left), emoji around words, full-width letters: HELD, espeak-ng speaks each
    (its letters at least) into one non-silent take."""
    from studio.sound import SpokenLine
    from tools.sound.speak import speak_shot

    line = SpokenLine(shot="S01_SH001", scene=1, number=1, speaker="MARTA", text=text)
    samples, said, _ = speak_shot([line], {"MARTA": VoiceProfile()}, None)
    assert len(samples) > RATE // 4 and float(np.abs(samples).max()) > 0.05
    assert said[0]["text"] == text and said[0]["seconds"] > 0.2


def test_a_line_of_only_punctuation_is_never_a_silent_take():
    """'... !?' has no letters: espeak-ng answers with silence. HELD: speak_shot refuses it with a clear error
    (studio.dialogue leaves such a line out before; this is the engine's own guard) rather than store silence."""
    from studio.sound import SpokenLine
    from tools.sound.speak import speak_shot

    line = SpokenLine(shot="S01_SH001", scene=1, number=1, speaker="MARTA", text="... !? —")
    with pytest.raises(AuteurError) as refused:
        speak_shot([line], {"MARTA": VoiceProfile()}, None)
    assert refused.value.fix and "/tmp" not in refused.value.problem


# ---------------------------------------------------------------- a screenplay with hostile names and lines, through `auteur`

HOSTILE = """Title: Hostile Lines
Author: A. Tester

INT. KITCHEN - NIGHT

Rain hammers the window. See https://evil.example/x.png <img src=x onerror=alert(1)> [[phonemes]] and a door slams.

JOSÉ
Hola, amigo.

ZOË (V.O.)
I remember the rain.

MAN #2
-w /tmp/PLANT --help

../../ETC
A name that looks like a path.

ZOË
<speak><audio src="file:///etc/passwd"/>Hello</speak>
"""
# As a person reads it: who says what (the name is never said; the extension and markup are not names).
SAID = {"JOSÉ": "Hola, amigo.", "ZOË": "I remember the rain.", "MAN #2": "-w /tmp/PLANT --help",
        "../../ETC": "A name that looks like a path."}


def test_a_screenplay_with_hostile_names_and_lines_is_spoken_as_written(workspace_dir, monkeypatch, tmp_path):
    """Imported and rendered through `auteur` (import, run to shots on fake/schema, render sound): names in any
    alphabet, with '#' and '/', a line that looks like espeak-ng's options, SSML, a URL and HTML in an action
    line. FIXED (studio/dialogue.py, _split_speakers/_is_cue): a speaker's name outside A–Z (JOSÉ, ZOË, MAN #2,
    ../../ETC) was not taken for a name, so espeak-ng said it aloud as the line's first words ("José: Hola");
    now each line is said without its cue. HELD: the cue prompts are the lexicon's words, not the script's URL
    or markup; no file is planted; every take is a real WAV in the project; no voice is keyed by a path."""
    import wave

    from tests.cli_helpers import invoke, js

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    script = tmp_path / "hostile.fountain"
    script.write_text(HOSTILE, encoding="utf-8")
    Path("/tmp/PLANT").unlink(missing_ok=True)
    slug = js("import", str(script))["slug"]
    invoke("run", "-p", slug, "--until", "shots", "--yes")
    out = js("render", "sound", "-p", slug)
    project = workspace_dir / slug
    spoken = [t for t in out["takes"] if t["track"] == "dialogue"]
    said = [(ln["speaker"], ln["text"]) for t in spoken for ln in t["lines"]]
    for name, words in SAID.items():
        assert (name, words) in said, f"{name} should say {words!r}; said: {said}"
    assert all(not text.upper().startswith(name.upper()) for name, text in said), said
    assert {v["name"] for v in out["voices"]} >= set(SAID)
    cues = [t for t in out["takes"] if t["track"] != "dialogue"]
    assert any("rain" in t["prompt"] for t in cues) and any("door" in t["prompt"] for t in cues)
    assert not any(bad in t["prompt"] for t in cues for bad in ("http", "<", "[[", "evil"))
    assert not Path("/tmp/PLANT").exists()
    for take in out["takes"]:
        path = (project / take["path"]).resolve()
        assert path.is_relative_to(project.resolve()) and not (project / take["path"]).is_symlink()
        with wave.open(str(path), "rb") as w:
            assert w.getframerate() == RATE and w.getnframes() > 0
    assert no_absolute_path(json.dumps(out["notices"]), workspace_dir)


def test_a_damaged_take_is_made_again_by_render_sound_as_the_mix_advises(workspace_dir, monkeypatch, tmp_path):
    """A line's WAV is overwritten by hand; the mix names it and says `auteur render sound`. FIXED (tools/sound/
    plan.py, wanted; memory/sound_takes.py, SoundTakes.damaged and add): before, the plan saw an active take
    made from the same lines and rendered nothing, so the advice led nowhere; now that key (only it) is rendered
    again and its new take is the active one, and the mix builds."""
    from config.settings import Settings
    from memory.sound_takes import SoundTakes
    from memory.workspace import Workspace
    from tests.cli_helpers import invoke, js
    from tools.sound.mix import build_mix

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    script = tmp_path / "short.fountain"
    script.write_text(HOSTILE.split("MAN #2")[0], encoding="utf-8")
    slug = js("import", str(script))["slug"]
    invoke("run", "-p", slug, "--until", "shots", "--yes")
    first = js("render", "sound", "-p", slug)
    line = next(t for t in first["takes"] if t["track"] == "dialogue")
    (workspace_dir / slug / line["path"]).write_bytes(b"not a wav any more")
    again = js("render", "sound", "-p", slug)
    assert [(t["key"], t["number"]) for t in again["takes"]] == [(line["key"], line["number"] + 1)]
    store = Workspace(Settings.from_env()).open(slug)
    assert SoundTakes(store).active(line["key"]).number == line["number"] + 1
    mix = build_mix(store, store.read(Stage.SHOTS), store.manifest().settings.fps)
    assert line["key"] in mix.takes and not mix.missing


# ---------------------------------------------------------------- stems: links planted where they are written

@pytest.mark.parametrize("where", ["the stems folder", "the exports folder"])
def test_stems_are_never_written_through_a_planted_link(scored, tmp_path, where):
    """06_Exports/<slug>_stems (or 06_Exports itself) is a link to a folder elsewhere, holding a file. HELD
    (tools/exports/stems.py): the export is refused with a message naming the folder (relative) and the fix,
    nothing outside changes, and no half-written stem or hidden folder is left in the exports."""
    from tools.exports.stems import write_stems

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "dialogue.wav").write_bytes(b"someone else's file")
    exports = scored.path / "06_Exports"
    exports.mkdir(exist_ok=True)
    if where == "the stems folder":
        (exports / f"{scored.slug}_stems").symlink_to(outside, target_is_directory=True)
    else:
        exports.rmdir()
        exports.symlink_to(outside, target_is_directory=True)
    with pytest.raises(AuteurError) as refused:
        write_stems(scored)
    text = refused.value.problem + refused.value.fix
    assert ("no stems were written" in text or "was not written" in text) and "06_Exports" in text
    assert no_absolute_path(text, tmp_path, scored.path)
    assert [(p.name, p.read_bytes()) for p in outside.iterdir()] == [("dialogue.wav", b"someone else's file")]
    if where == "the stems folder":
        assert sorted(p.name for p in exports.iterdir()) == [f"{scored.slug}_stems"], "no hidden folder left"
