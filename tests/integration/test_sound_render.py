"""Sound through the studio's own runner, with real espeak-ng and the CPU temp track: `auteur render sound`, the
voices cast into look.json, the shots refitted to their lines in one commit (boards left up to date), a second
run that makes nothing, /voice staling only one character's lines, the chat's gate and its preview, and the cut
that renders missing sound first and carries the mix, with stems the length of the cut.

Scene 2 of the bundled sample (Night Shift) is used: scene 1 is outside the diner and nobody speaks in it.
Expected lines come from reading the screenplay (tests say where); WAVs are read back with the standard
library's ``wave``, not with our reader.
"""

from __future__ import annotations

import json
import subprocess
import wave
from pathlib import Path

import pytest

from memory.layout import STAGE_FILES
from studio.sound import BREATH_S
from studio.stages import Stage
from tests.cli_helpers import at_prompts, invoke, js
from tests.conftest import GOLDEN, SAMPLES

SAMPLE = SAMPLES / "night_shift.fountain"
# Scene 2 of Night Shift, as a person reads it: DEE, NELL and WALT speak (ROY is seen, not heard).
SCENE_2_SPEAKERS = {"DEE", "NELL", "WALT"}


@pytest.fixture
def project(workspace_dir, monkeypatch) -> Path:
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    return workspace_dir / at_prompts(SAMPLE, boards=(2,))


def store_of(project: Path):
    from config.settings import Settings
    from memory.workspace import Workspace

    return Workspace(Settings.from_env()).open(project.name)


def wav_info(path: Path) -> tuple[int, int, int, int]:
    with wave.open(str(path), "rb") as w:
        return w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()


def dialogue_shots(project: Path, scene: int) -> dict[str, dict]:
    return {f"S{s['scene']:02d}_SH{s['number']:03d}": s for s in js("shots", "-p", project.name)
            if s["scene"] == scene and any(ch.isalpha() for ch in s["dialogue"])}


def history(project: Path) -> list[dict]:
    return js("history", "-p", project.name)


def test_render_sound_speaks_scene_two_casts_voices_refits_and_is_idempotent(project):
    from studio.engine.describe import shot_staleness

    slug = project.name
    out = js("render", "sound", "-p", slug, "--scene", "2")
    assert set(out) >= {"takes", "voices", "notices"}
    lines = dialogue_shots(project, 2)
    said = {t["key"]: t for t in out["takes"] if t["track"] == "dialogue"}
    assert set(said) == set(lines), "one dialogue take per dialogue shot of scene 2"
    for key, take in said.items():
        rate, channels, width, frames = wav_info(project / take["path"])
        assert (rate, channels, width) == (48000, 1, 2)
        assert frames / 48000 == pytest.approx(take["seconds"], abs=0.01)
        assert take["engine"] == "espeak-ng" and take["text"] and take["voice"]
        speaker = lines[key]["dialogue"].split(":", 1)[0]
        assert [ln["speaker"] for ln in take["lines"]][0] == speaker
        sidecar = json.loads((project / take["path"]).with_suffix(".json").read_text())
        assert sidecar["job_id"] == take["job_id"] and sidecar["parameters"]["made_from"]
    cues = [t for t in out["takes"] if t["track"] != "dialogue"]
    assert {t["key"] for t in cues} >= {"S02_AMB"} and all(t["temp"] and t["prompt"].startswith("TEMP") for t in cues)
    assert any("temp track" in n for n in out["notices"]), "the temp score is said to be one"
    # The voices are in look.json, distinct for everyone who speaks in the scene.
    look = json.loads((project / STAGE_FILES[Stage.LOOK]).read_text())
    voiced = {v["name"]: v["voice"] for v in out["voices"]}
    assert SCENE_2_SPEAKERS <= set(voiced)
    pairs = {(voiced[n]["voice"], voiced[n]["pitch"]) for n in SCENE_2_SPEAKERS}
    assert len(pairs) == len(SCENE_2_SPEAKERS)
    assert SCENE_2_SPEAKERS <= {c["name"] for c in look["characters"] if c.get("voice")}, "saved in look.json"
    plan = json.loads((project / "02_Source_Creative/Sound/sound.json").read_text())
    assert set(plan["active"]) >= {t["key"] for t in out["takes"]}
    # Every dialogue shot holds its lines and a breath.
    now = dialogue_shots(project, 2)
    for key, take in said.items():
        assert now[key]["duration_s"] + 1e-6 >= take["seconds"] + BREATH_S
    # A second run makes nothing and commits nothing.
    commits = len(history(project))
    again = js("render", "sound", "-p", slug, "--scene", "2")
    assert again["takes"] == [] and len(history(project)) == commits
    # A dialogue shot shortened by hand is fitted again, in one commit by the Producer; its board stays current.
    store = store_of(project)
    shots = store.read(Stage.SHOTS)
    short = shots.model_copy(deep=True)
    key = max(said, key=lambda k: said[k]["seconds"])
    target = next(s for s in short.shots if s.code == key)
    target.duration_s = 0.5
    store.amend({Stage.SHOTS: short}, author=store.user(), summary="tighter")
    refitted = js("render", "sound", "-p", slug, "--scene", "2")
    assert refitted["takes"] == [], "a duration is not the sound: nothing is spoken again"
    assert [r.split(" ")[0] for r in refitted["refit"]] == [key]
    top = history(project)[0]
    assert top["author"].startswith("Producer") and "fitted to their voices" in top["message"]
    assert dialogue_shots(project, 2)[key]["duration_s"] + 1e-6 >= said[key]["seconds"] + BREATH_S
    assert shot_staleness(store_of(project)).boards == [], "a refit makes no board stale"


def test_a_voice_changed_in_chat_stales_and_rerenders_only_that_characters_lines(project):
    from ui.cli.engine import session_on

    slug = project.name
    first = js("render", "sound", "-p", slug, "--scene", "2")
    nell = sorted(t["key"] for t in first["takes"] if t["track"] == "dialogue" and t["lines"][0]["speaker"] == "NELL"
                  and all(ln["speaker"] == "NELL" for ln in t["lines"]))
    assert nell, "NELL speaks in scene 2"
    session = session_on(slug)
    events = list(session.command("/voice NELL lower"))
    changed = next(e for e in events if "voice" in e.data and e.data.get("name") == "NELL")
    stale = next(e for e in events if "stale" in e.data)
    assert sorted(stale.data["stale"]) == nell
    assert "/render sound" in stale.text
    before = next(v for v in first["voices"] if v["name"] == "NELL")["voice"]
    assert changed.data["voice"]["pitch"] < before["pitch"]
    again = js("render", "sound", "-p", slug, "--scene", "2")
    assert sorted(t["key"] for t in again["takes"]) == nell, "only NELL's lines are spoken again"
    assert all(t["number"] == 2 and t["active"] for t in again["takes"])


def test_the_chat_gate_estimates_first_then_plays_a_preview_outside_the_history(project):
    from studio.engine.events import Turn
    from ui.cli.engine import session_on

    session = session_on(project.name)
    asked = list(session.handle(Turn(text="/render sound scene 2")))
    question = asked[-1]
    assert question.kind == "question" and question.text.startswith("Estimate: ")
    assert question.data["estimate"]["renderer"] == "espeak-ng and the CPU temp score"
    assert "at tier" not in question.text and "with espeak-ng and the CPU temp score" in question.text
    assert question.data["estimate"]["seconds"] > 0 and question.data["jobs"] >= len(dialogue_shots(project, 2))
    assert not (project / "03_Renders/Sound").exists(), "nothing rendered before the yes"
    look = project / STAGE_FILES[Stage.LOOK]
    saved = json.loads(look.read_text())["characters"] if look.is_file() else []
    assert not any(c.get("voice") for c in saved), "no voice saved before the yes"
    done = list(session.handle(Turn(text="Render")))
    played = [e for e in done if e.kind == "artifact" and e.data.get("media") == "audio"]
    assert len(played) == 1
    preview = Path(played[0].data["path"])
    assert preview.is_file() and "05_Cache" in preview.parts
    rate, channels, _, frames = wav_info(preview)
    scene_s = sum(s["duration_s"] for s in js("shots", "-p", project.name) if s["scene"] == 2)
    assert (rate, channels) == (48000, 2) and frames / 48000 == pytest.approx(scene_s, abs=0.1)
    tracked = subprocess.run(["git", "-C", str(project), "ls-files"], capture_output=True, text=True, check=True)
    assert "05_Cache" not in tracked.stdout and "preview" not in tracked.stdout, "the preview is never committed"
    assert "TEMP" in played[0].text and "_TEMP" in preview.name, "the temp score is labelled"
    assert done[-1].kind == "question" and done[-1].data["rendered"] >= len(dialogue_shots(project, 2))


def test_the_cut_renders_missing_sound_first_and_stems_match_it(workspace_dir, monkeypatch):
    from tools.render.video import ffmpeg

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    slug = at_prompts(GOLDEN / "01_last_call.fountain")
    invoke("render", "boards", "-p", slug, "--tier", "sketch", "--yes", "--json")
    cut = js("render", "cut", "-p", slug, "--yes")
    audio = cut["audio"]
    assert audio is not None and audio["lines"] > 0
    assert abs(audio["integrated_lufs"] - (-16.0)) <= 1.0 and audio["true_peak_dbtp"] <= -1.0 + 0.1
    assert audio["temp"], "the temp score is labelled in the cut"
    project = workspace_dir / slug
    shots = js("shots", "-p", slug)
    spoken = [f"S{s['scene']:02d}_SH{s['number']:03d}" for s in shots if any(c.isalpha() for c in s["dialogue"])]
    assert all((project / "03_Renders/Sound" / code).is_dir() for code in spoken), "sound was rendered first"
    probe = subprocess.run([ffmpeg(), "-hide_banner", "-i", cut["path"]], capture_output=True, text=True)
    assert "Audio: aac" in probe.stderr and "stereo" in probe.stderr
    stems = js("export", "stems", "-p", slug)
    assert [Path(p).name for p in stems["paths"]] == ["dialogue.wav", "effects.wav", "music.wav"]
    lengths = {wav_info(Path(p))[3] for p in stems["paths"]}
    frames = sum(max(1, round(s["duration_s"] * 24)) for s in js("shots", "-p", slug))  # as the MP4 holds them
    assert lengths == {frames * 48000 // 24}, "every stem lasts exactly the cut's frames at 48 kHz"
    # Review 6: what the stems are is said, in the JSON, in the words and in a README beside them.
    for track in ("effects", "music"):
        assert any(f"the {track} stem is a CPU temp track (TEMP)" in n for n in stems["notices"]), stems["notices"]
    told = invoke("export", "stems", "-p", slug).output
    assert "effects stem is a CPU temp track (TEMP)" in " ".join(told.split()), told
    readme = (Path(stems["paths"][0]).parent / "README.txt").read_text()
    assert "music stem is a CPU temp track (TEMP)" in readme and "dialogue.wav" in readme


def test_render_sound_without_a_shot_list_says_what_to_do_and_writes_nothing(workspace_dir, monkeypatch):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    slug = js("import", str(GOLDEN / "01_last_call.fountain"))["slug"]
    commits = len(js("history", "-p", slug))
    result = invoke("render", "sound", "-p", slug, "--json", ok=False)
    assert result.exit_code == 1 and "no shot list" in result.output and "--until shots" in result.output
    assert str(workspace_dir) not in result.output, "no server path in the message"
    assert not (workspace_dir / slug / "03_Renders/Sound").exists() and len(js("history", "-p", slug)) == commits


def test_a_tts_folder_that_is_not_a_model_falls_back_to_espeak_and_says_so(project, tmp_path):
    from ui.cli.engine import session_on

    slug = project.name
    folder = tmp_path / "not-a-tts-model"
    folder.mkdir()
    (folder / "readme.txt").write_text("no weights here")
    events = list(session_on(slug).command(f"/voice NELL engine vits model {folder}"))
    assert next(e for e in events if e.data.get("name") == "NELL").data["voice"]["engine"] == "vits"
    out = js("render", "sound", "-p", slug, "--scene", "2")
    nell = [t for t in out["takes"] if t["track"] == "dialogue" and t["lines"][0]["speaker"] == "NELL"]
    assert nell, "NELL's lines are spoken all the same"
    said = [n for n in out["notices"] if "espeak-ng" in n]
    assert said, f"the person is told the voice fell back: {out['notices']}"
    assert all(str(tmp_path) not in n for n in said), "no absolute server path in what is said"
    for take in nell:
        assert take["engine"] == "espeak-ng" and "espeak-ng" in take["parameters"]["fallback"]
        assert str(tmp_path) not in take["parameters"]["fallback"], "no absolute server path in the notice"
        rate, _, _, frames = wav_info(project / take["path"])
        assert rate == 48000 and frames > 0


def test_a_cue_job_uses_the_audio_pipeline_where_it_can_else_the_labelled_temp_track(workspace, tmp_path,
                                                                                     monkeypatch):
    """execute_sound on its own: a tiny random Stable Audio pipeline built in the test (helper C's), called for
    real on the CPU once this machine is said to have a GPU; without one the same job falls back to the temp track
    and says why. A job done is never done twice."""
    from types import SimpleNamespace

    from studio.render import JobSpec, RenderKind
    from studio.sound import CueKind, SoundCue
    from tests.integration.tiny_audio import save_stable_audio
    from tools.render.diffusers import clear_cache
    from tools.sound.execute import execute_sound

    tiny = save_stable_audio(tmp_path / "tiny-stable-audio")
    store = workspace.create("Rain Test")
    cue = SoundCue(id="S01_FX01", kind=CueKind.EFFECT, prompt="steady rain on a tin roof", scene=1)
    settings = SimpleNamespace(models_dir=None, allow_downloads=False, audio_steps=2, audio_model=str(tiny))

    def spec(seed: int) -> JobSpec:
        return JobSpec(project=store.slug, kind=RenderKind.SOUND, scene=1, subject=cue.id, seed=seed,
                       prompt=cue.prompt, model=str(tiny), branch=store.branch,
                       parameters={"track": "effects", "renderer": "diffusers", "cue": cue.model_dump(mode="json"),
                                   "seconds": 0.8, "span_s": 2.5, "heading": "INT. SHED - NIGHT",
                                   "made_from": {"sound": "test"}})

    def run(job: JobSpec) -> dict:
        path = execute_sound(store, job, settings, lambda f, m: None, lambda: False, job_id=job.id)
        return json.loads((store.path / path).with_suffix(".json").read_text())

    import tools.render.diffusers.model_store as model_store

    from tools.sound.audio_diffusers import DiffusersAudio

    monkeypatch.setattr(model_store, "cuda_available", lambda: True)  # this machine "has" a GPU: the job may use it
    monkeypatch.setattr(DiffusersAudio, "device", property(lambda self: "cpu"))  # … and the tiny model runs here
    try:
        made = run(spec(7))
    finally:
        clear_cache()
    assert made["engine"] == str(tiny) and not made["temp"] and not made["prompt"].startswith("TEMP")
    assert "fallback" not in made["parameters"]
    assert wav_info(store.path / made["path"])[::3] == (48000, round(0.8 * 48000))
    assert run(spec(7))["number"] == made["number"], "the same job again is the take it made"
    monkeypatch.setattr(model_store, "cuda_available", lambda: False)
    temp = run(spec(8))
    assert temp["temp"] and temp["engine"] == "cpu-temp" and temp["prompt"].startswith("TEMP")
    assert "CUDA GPU" in temp["parameters"]["fallback"]
    assert wav_info(store.path / temp["path"])[::3] == (48000, round(2.5 * 48000)), "the temp track spans its cue"
    assert temp["number"] == made["number"] + 1


def test_a_cut_whose_lines_cannot_be_spoken_says_so_and_makes_no_cut(project, monkeypatch):
    """Without espeak-ng the lines cannot be said: the cut is refused with the reason, not made without them."""
    from tools.sound.voices import EspeakEngine

    monkeypatch.setattr(EspeakEngine, "available", lambda self: False)
    slug = project.name
    invoke("render", "boards", "-p", slug, "--tier", "sketch", "--yes")
    result = invoke("render", "cut", "-p", slug, "--yes", ok=False)
    assert result.exit_code != 0
    assert "did not render" in result.output and "espeak-ng" in result.output, result.output
    assert not (project / "03_Renders/cut").exists() or not list((project / "03_Renders/cut").glob("*.mp4"))


def test_a_cue_changed_in_words_is_kept_and_only_it_is_rendered_again(project):
    from ui.cli.engine import session_on

    slug = project.name
    first = js("render", "sound", "-p", slug, "--scene", "2")
    listed = list(session_on(slug).command("/sound 2"))[-1]
    cues = {c["id"]: c for c in listed.data["cues"]}
    room = next(k for k, c in cues.items() if c["kind"] == "ambience" and c["scene"] == 2)
    assert f"{room} ambience" in listed.text and "(take 1)" in listed.text
    said = list(session_on(slug).command(f"/cue {room} a humming neon sign and distant traffic"))[-1]
    assert said.data["cue"]["prompt"] == "a humming neon sign and distant traffic"
    from studio.errors import StageError

    with pytest.raises(StageError):
        list(session_on(slug).command(f"/cue {room} see https://example.com/sound <b>now</b>"))
    again = js("render", "sound", "-p", slug, "--scene", "2")
    assert [t["key"] for t in again["takes"]] == [room], "only the cue that changed is rendered again"
    take = again["takes"][0]
    assert take["active"] and "a humming neon sign" in take["prompt"] and take["number"] == 2
    plan = json.loads((project / "02_Source_Creative/Sound/sound.json").read_text())
    kept = next(c for c in plan["cues"] if c["id"] == room)
    assert kept["person"] == ["prompt"] and plan["active"][room] == 2
    assert len(first["takes"]) > 1


def test_a_cut_that_cannot_be_made_renders_no_sound_for_it(project):
    """Scene 2 alone is drawn: the cut is refused for the shots without a board, before any voice is spoken."""
    result = invoke("render", "cut", "-p", project.name, "--yes", ok=False)
    assert result.exit_code != 0 and "no board or clip yet" in result.output
    assert not (project / "03_Renders/Sound").exists(), "no sound take was made for a cut that was refused"


def _lengthen_last_shot(project: Path, scene: int, seconds: float) -> None:
    """The last shot of ``scene`` held ``seconds`` longer, by hand: the scene's room tone and score must follow."""
    store = store_of(project)
    shots = store.read(Stage.SHOTS).model_copy(deep=True)
    last = [s for s in shots.shots if s.scene == scene][-1]
    last.duration_s += seconds
    store.amend({Stage.SHOTS: shots}, author=store.user(), summary="hold the end of the scene")


def test_cues_redone_for_longer_shots_become_active_once_and_a_chosen_take_is_kept(project):
    """Review finding 1 / user F13: after the shots grow, one `render sound` makes new cue takes that are the
    active ones (long enough for the scene now); a second run makes nothing and commits nothing; a take the
    person chose is not rendered again unasked, and the plan says it is out of date."""
    from ui.cli.engine import session_on

    slug = project.name
    js("render", "sound", "-p", slug, "--scene", "2")
    _lengthen_last_shot(project, 2, 5.0)
    scene_s = sum(s["duration_s"] for s in js("shots", "-p", slug) if s["scene"] == 2)
    grown = js("render", "sound", "-p", slug, "--scene", "2")
    cues = {t["key"]: t for t in grown["takes"] if t["track"] != "dialogue"}
    assert "S02_AMB" in cues and any(t["track"] == "music" for t in cues.values()), grown["takes"]
    plan = json.loads((project / "02_Source_Creative/Sound/sound.json").read_text())
    for key, take in cues.items():
        assert take["active"] and plan["active"][key] == take["number"] == 2, f"{key}'s new take is the one used"
    assert wav_info(project / cues["S02_AMB"]["path"])[3] / 48000 >= scene_s - 0.01, "the room tone spans the scene"
    commits = len(history(project))
    again = js("render", "sound", "-p", slug, "--scene", "2")
    assert again["takes"] == [] and len(history(project)) == commits, "a second run makes nothing"
    music = next(k for k, t in cues.items() if t["track"] == "music")
    list(session_on(slug).command(f"/take {music} sound 1"))
    _lengthen_last_shot(project, 2, 5.0)
    third = js("render", "sound", "-p", slug, "--scene", "2")
    assert music not in {t["key"] for t in third["takes"]}, "the chosen take is not rendered again unasked"
    assert "S02_AMB" in {t["key"] for t in third["takes"]}, "what was not chosen follows the shots"
    assert any(music in n and "you chose" in n for n in third["notices"]), third["notices"]
    plan = json.loads((project / "02_Source_Creative/Sound/sound.json").read_text())
    assert plan["active"][music] == 1 and music in plan["chosen"]


def test_a_scene_the_film_does_not_have_is_named_back_with_the_scenes_it_has(project):
    """Review 16: `/render sound scene 9` on the 8-scene sample (its headings counted by a person: 8) is a clear
    error, not an estimate of nothing; nothing is written."""
    from studio.engine.events import Turn
    from ui.cli.engine import session_on

    commits = len(history(project))
    result = invoke("render", "sound", "-p", project.name, "--scene", "9", ok=False)
    assert result.exit_code == 1 and "no scene 9" in result.output and "1 to 8" in result.output, result.output
    said = " ".join(e.text for e in session_on(project.name).handle(Turn(text="/render sound scene 9")))
    assert "no scene 9" in said and "Estimate" not in said, said
    assert len(history(project)) == commits and not (project / "03_Renders/Sound").exists()
