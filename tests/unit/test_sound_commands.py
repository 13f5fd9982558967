"""Sound in the chat on fakes: /render sound through the gate (estimate, then the takes, the refit and a preview
to play), /voice (the cast; a voice changed in words, and the Producer naming the takes it made stale), sound takes
in /takes and /take, and the picture digest that keeps boards fresh when only a shot's duration changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from studio.coverage import plan
from studio.engine.describe import shot_staleness
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.errors import StageError
from studio.fountain import parse
from studio.models import Look, ShotList, TakeKind
from studio.project import Author
from studio.render import Estimate, JobEvent, JobSpec, JobState, JobStatus, RenderKind, shot_digest
from studio.sound import SoundTake, Track
from studio.sound_timing import picture_digest
from studio.stages import Stage
from studio.voices import cast
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakePlan, FakeRenderer, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()


@dataclass
class SoundBatch:
    states: list[JobState]
    boards_first: list[JobState] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[JobState]:
        return [s for s in self.states if s.status is not JobStatus.DONE]


class FakeSoundRenderer(FakeRenderer):
    """The sound half of the RenderPort, in memory: a job per dialogue shot whose speaker's voice differs from the
    one its take was made with (or that has no take), a take per job."""

    def __init__(self) -> None:
        super().__init__()
        self.sound: dict[str, list[SoundTake]] = {}
        self.previews: list[int | None] = []

    def sound_plan(self, store: Any, *, scene: int | None = None, keys: list[str] | None = None,
                   tier: str | None = None, activate: bool = False, write: bool = True) -> FakePlan:
        look = store.read(Stage.LOOK)
        specs = []
        for shot in store.read(Stage.SHOTS).shots:
            if not shot.dialogue or (scene is not None and shot.scene != scene):
                continue
            speaker = shot.dialogue.split(":", 1)[0]
            character = look.character(speaker) if isinstance(look, Look) else None
            voice = character.voice.text if character is not None and character.voice is not None else ""
            active = next((t for t in self.sound.get(shot.code, []) if t.active), None)
            if (keys is not None and shot.code not in keys) or (keys is None and active and active.voice == voice):
                continue
            specs.append(JobSpec(project=store.slug, kind=RenderKind.SOUND, scene=shot.scene, subject=shot.code,
                                 parameters={"track": "dialogue", "voices": {speaker: voice}}, activate=activate))
        estimate = Estimate(shots=len(specs), kind=RenderKind.SOUND, tier="draft", device="cpu",
                            seconds=len(specs) * 0.5, renderer="espeak-ng + CPU temp score")
        return FakePlan(specs, estimate, ["The effects and the score are a CPU temp track."])

    def plan(self, store: Any, kind: RenderKind, **kw: Any) -> FakePlan:
        if kind is RenderKind.SOUND:
            return self.sound_plan(store, scene=kw.get("scene"), activate=kw.get("activate", False))
        return super().plan(store, kind, **kw)

    def run(self, store: Any, kind: RenderKind, *, on_event: Callable[[JobEvent], None] | None = None,
            prepared: Any = None, **kw: Any) -> Any:
        if kind is not RenderKind.SOUND:
            return super().run(store, kind, on_event=on_event, prepared=prepared, **kw)
        self.runs += 1
        states = []
        for spec in (prepared or self.sound_plan(store, scene=kw.get("scene"))).specs:
            takes = self.sound.setdefault(spec.subject, [])
            for t in takes:
                t.active = False
            number = len(takes) + 1
            take = SoundTake(key=spec.subject, track=Track.DIALOGUE, number=number, seconds=2.0, active=True,
                             path=f"03_Renders/Sound/{spec.subject}/{spec.subject}_take{number:02d}.wav",
                             engine="espeak-ng", voice=next(iter(spec.parameters["voices"].values())))
            takes.append(take)
            state = JobState(id=spec.id, spec=spec, status=JobStatus.DONE, progress=1.0, take=take.path)
            if on_event is not None:
                on_event(JobEvent.of(state))
            states.append(state)
        return SoundBatch(states, notes=["S01_SH002 2 → 3.5 s"])

    def refit(self, store: Any) -> list[str]:
        return []

    def sound_preview(self, store: Any, *, scene: int | None = None) -> str:
        self.previews.append(scene)
        return f"05_Cache/sound/preview_s{scene:02d}_TEMP.wav" if scene else "05_Cache/sound/preview_film_TEMP.wav"

    def sound_takes(self, store: Any, key: str) -> list[SoundTake]:
        return [t.model_copy() for t in self.sound.get(key, [])]

    def choose_sound(self, store: Any, key: str, number: int) -> SoundTake:
        takes = self.sound.get(key, [])
        if not any(t.number == number for t in takes):
            raise StageError(f"{key} has no sound take {number}", f"see /takes {key}")
        for t in takes:
            t.active = t.number == number
        return next(t for t in takes if t.active).model_copy()


def talk(session: Session, *said: str) -> list:
    events = []
    for text in said:
        events.extend(session.handle(Turn(text=text)))
    return events


@pytest.fixture
def renderer() -> FakeSoundRenderer:
    return FakeSoundRenderer()


@pytest.fixture
def session(renderer) -> Session:
    s = Session(FakeWorkspace(), FakeCrew({"intent": {"intent": "other"}}), user="Dana Director", renderer=renderer)
    list(s.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    store = s.require_project()
    shots = plan(parse(store.read_script().fountain), store.breakdown())
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="coverage")
    look, _ = cast(Look(), store.breakdown(), store.read_script().fountain)
    store.save(Stage.LOOK, look, author=Author.agent("Art Director"), summary="look with voices")
    return s


def dialogue_codes(session: Session, speaker: str, scene: int | None = None) -> list[str]:
    shots = session.require_project().read(Stage.SHOTS).shots
    return [s.code for s in shots if s.dialogue.startswith(f"{speaker}:") and scene in (None, s.scene)]


def test_render_sound_waits_for_a_yes_then_refits_and_plays_a_preview(session, renderer):
    asked = talk(session, "/render sound scene 1")
    question = asked[-1]
    assert question.kind == "question" and question.text.startswith("Estimate: ") and question.stage == "sound"
    assert question.data["estimate"]["kind"] == "sound" and "sound take" in question.text
    assert any(e.data.get("notice") and "temp track" in e.text for e in asked), "the temp score is said before"
    assert renderer.runs == 0 and not renderer.sound
    done = talk(session, "Render")
    assert renderer.runs == 1
    codes = [s.code for s in session.require_project().read(Stage.SHOTS).shots if s.scene == 1 and s.dialogue]
    assert sorted(renderer.sound) == sorted(codes)
    refit = [e for e in done if "refit" in e.data and e.kind == "message"]
    assert refit and "S01_SH002 2 → 3.5 s" in refit[0].text
    played = [e for e in done if e.kind == "artifact"]
    assert [e.data["media"] for e in played] == ["audio"] and played[0].data["path"].endswith("preview_s01_TEMP.wav")
    assert "TEMP" in played[0].text, "a temp score is said to be one"
    assert renderer.previews == [1]
    last = done[-1]
    assert last.kind == "question" and last.data["rendered"] == len(codes)
    assert sorted(t["key"] for t in last.data["takes"]) == sorted(codes)


def test_saying_no_to_sound_renders_nothing_and_says_how_to_ask_again(session, renderer):
    talk(session, "/render sound")
    said = talk(session, "not now")
    assert renderer.runs == 0 and "/render sound" in said[0].text
    stale = talk(session, "/render stale sound scene 2")  # sound is always planned by what is out of date
    assert stale[-1].stage == "sound" and stale[-1].text.startswith("Estimate: ") and renderer.runs == 0


def test_voice_lists_the_cast(session):
    events = talk(session, "/voice")
    listed = events[0]
    names = [v["name"] for v in listed.data["voices"]]
    assert {"NELL", "ROY"} <= set(names)
    assert all(v["voice"]["engine"] == "espeak-ng" for v in listed.data["voices"])
    assert "NELL — espeak-ng" in listed.text


def test_a_voice_changed_in_words_stales_only_that_characters_lines(session, renderer):
    talk(session, "/render sound yes")
    store = session.require_project()
    before = store.read(Stage.LOOK).character("NELL").voice
    events = talk(session, "/voice nell lower, slower")
    after = store.read(Stage.LOOK).character("NELL").voice
    assert after.pitch < before.pitch and after.rate < before.rate
    assert {"pitch", "rate"} <= set(after.person)
    assert store.history()[0].author == "Dana Director", "the person's change, one commit"
    stale = next(e for e in events if "stale" in e.data)
    assert stale.author == "Producer"
    assert sorted(stale.data["stale"]) == sorted(dialogue_codes(session, "NELL"))
    assert "/render sound" in stale.text and "sound take" in stale.text, "the cost of redoing them is said"
    roy = {c: [t.number for t in renderer.sound[c]] for c in dialogue_codes(session, "ROY")}
    talk(session, "/render sound yes")
    assert {c: [t.number for t in renderer.sound[c]] for c in dialogue_codes(session, "ROY")} == roy, \
        "ROY's lines were not spoken again"
    assert all(len(renderer.sound[c]) == 2 for c in dialogue_codes(session, "NELL"))


def test_voice_words_not_understood_or_a_stranger_are_clear_errors(session):
    store = session.require_project()
    before = store.read(Stage.LOOK)
    wrong = talk(session, "/voice NELL purple")
    assert wrong[0].kind == "error" and "pitch 30" in wrong[0].data["fix"]
    stranger = talk(session, "/voice BORIS lower")
    assert stranger[0].kind == "error" and "NELL" in stranger[0].data["fix"]
    assert store.read(Stage.LOOK) == before, "nothing half-changed"


def test_sound_takes_show_in_takes_and_are_chosen_with_take(session, renderer):
    code = dialogue_codes(session, "NELL")[0]
    talk(session, "/render sound yes", "/voice NELL higher", "/render sound yes")
    assert [t.active for t in renderer.sound[code]] == [False, True]
    renderer.sound["S01_AMB"] = [SoundTake(key="S01_AMB", track=Track.EFFECTS, number=n, seconds=30.0,
                                           path=f"03_Renders/Sound/S01_AMB/S01_AMB_take{n:02d}.wav", temp=True,
                                           engine="cpu-temp", prompt="TEMP: room tone", active=n == 1)
                                 for n in (1, 2)]
    listed = talk(session, "/takes S01_AMB")
    assert listed[0].kind == "question" and "take 2 audio TEMP" in listed[0].text
    assert [e.data["media"] for e in listed[1:]] == ["audio", "audio"]
    chosen = talk(session, "/take S01_AMB 2")
    assert chosen[0].data["take"] == 2 and [t.active for t in renderer.sound["S01_AMB"]] == [False, True]
    shot = talk(session, f"/takes {code}")
    assert [t["number"] for t in shot[0].data["sound_takes"]] == [1, 2] and f"/take {code} sound 1" in shot[0].options
    assert any(e.data.get("media") == "audio" for e in shot)
    talk(session, f"/take {code} sound 1")
    assert next(t for t in renderer.sound[code] if t.active).number == 1
    missing = talk(session, "/take S01_AMB 7")
    assert missing[0].kind == "error" and "/takes S01_AMB" in missing[0].data["fix"]


def test_a_duration_only_change_stales_the_cut_but_no_board(session):
    store = session.require_project()
    shots: ShotList = store.read(Stage.SHOTS)
    first = shots.shots[0]
    take = store.add_take(first.scene, first.number, TakeKind.IMAGE)
    take_list = store.take_list[(first.scene, first.number)]
    take_list[-1] = take.model_copy(update={"parameters": {"made_from": {
        "shot": shot_digest(first), "picture": picture_digest(first), "prompt": ""}}})
    assert shot_staleness(store).boards == []
    longer = shots.model_copy(deep=True)
    longer.shots[0].duration_s += 2.5
    store.amend({Stage.SHOTS: longer}, author=Author.agent("Producer"), summary="refit")
    assert shot_staleness(store).boards == [], "a longer shot is the same picture"
    reworded = longer.model_copy(deep=True)
    reworded.shots[0].action = "Somebody else entirely walks in."
    store.amend({Stage.SHOTS: reworded}, author=Author.agent("Producer"), summary="reworded")
    assert shot_staleness(store).boards == [first.code]


def test_loudness_shows_and_sets_the_mix_target_in_one_commit(session):
    store = session.require_project()
    shown = talk(session, "/loudness")[-1]
    assert shown.data["loudness_lufs"] == -16.0 and "-23" in shown.text
    commits = len(store.history())
    said = talk(session, "/loudness broadcast")[-1]
    assert said.data == {"loudness_lufs": -23.0, "true_peak_db": -1.0}
    assert store.manifest().settings.loudness_lufs == -23.0 and len(store.history()) == commits + 1
    talk(session, "/loudness 18")  # the sign is implied
    assert store.manifest().settings.loudness_lufs == -18.0
    for bad in ("/loudness loud", "/loudness -60", "/loudness 3"):
        with pytest.raises(StageError):
            list(session.command(bad))
    assert store.manifest().settings.loudness_lufs == -18.0, "a refused target changes nothing"


def test_a_voice_changed_before_any_sound_starts_from_the_voice_the_script_casts(session):
    store = session.require_project()
    uncast = Look()
    store.save(Stage.LOOK, uncast, author=Author.agent("Art Director"), summary="no voices yet")
    would, _ = cast(uncast, store.breakdown(), store.read_script().fountain)
    expected = would.character("NELL").voice
    said = talk(session, "/voice NELL slower")[0]
    after = store.read(Stage.LOOK).character("NELL").voice
    assert said.data["name"] == "NELL"
    assert (after.voice, after.pitch, after.direction) == (expected.voice, expected.pitch, expected.direction)
    assert after.rate < expected.rate
