"""Boards, clips and the cut on the CPU, through the job runner and the project store.

Over 400 lines on purpose: one story of a project's renders (plan, boards, clips, takes, the cut, the
chat's render gate), sharing one rendered project fixture that is costly to build."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from config.settings import Settings
from studio.errors import AuteurError
from studio.render import JobSpec, JobStatus, RenderKind
from tests.cli_helpers import at_prompts, invoke, js

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"




@pytest.fixture
def project(workspace_dir, monkeypatch):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    return workspace_dir / at_prompts(SCRIPT)


def sidecar(project: Path, take: dict) -> dict:
    return json.loads((project / take["path"]).with_suffix(".json").read_text())


def test_boards_clips_and_cut_on_a_cpu_only_machine(project):
    from tools.render.video import decode_frames, probe

    slug = project.name
    shots = [s for s in js("shots", "-p", slug) if s["scene"] == 1]
    result = invoke("render", "boards", "-p", slug, "--scene", "1", "--json", "--yes")
    boards = json.loads(result.stdout)
    assert [b["shot"] for b in boards] == [s["number"] for s in shots]
    assert "no CUDA GPU" in result.stderr, "the draft tier falls back to sketches and says so"
    assert all(b["model"] == "sketch" and b["job_id"] and b["seed"] is not None for b in boards)
    clips = js("render", "clips", "-p", slug, "--scene", "1", "--yes")
    assert [c["shot"] for c in clips] == [s["number"] for s in shots]
    for c, s in zip(clips, shots):
        info = probe(project / c["path"])
        assert info["codec"] == "h264"
        assert info["frames"] == round(s["duration_s"] * 24), c["path"]
        side = sidecar(project, c)
        assert side["parameters"]["movement"] == s["movement"] and side["job_id"] == c["job_id"]
    # The other scenes have no clips: the cut holds their boards, so draw those.
    invoke("render", "boards", "-p", slug, "--json", "--yes")
    cut = js("render", "cut", "-p", slug)
    all_shots = js("shots", "-p", slug)
    assert cut["path"].endswith("03_Renders/cut/cut_v01.mp4") and Path(cut["path"]).is_file()
    info = probe(Path(cut["path"]))
    expected = sum(round(s["duration_s"] * 24) for s in all_shots)
    assert info["frames"] == expected and info["fps"] == pytest.approx(24)
    assert cut["shots"] == len(all_shots)
    # The shot code is burnt into the top-left corner of every shot.
    frames = decode_frames(Path(cut["path"]))
    start = 0
    for s in all_shots[:5]:
        corner = frames[start + 1][2:12, 2:60]
        assert corner.mean() < 110, f"no burnt-in label at {s['scene']}.{s['number']}"
        start += round(s["duration_s"] * 24)
    # A second cut is a new file; the first stays.
    again = js("render", "cut", "-p", slug)
    assert again["path"].endswith("cut_v02.mp4") and Path(cut["path"]).is_file()
    exported = js("export", "mp4", "-p", slug)
    assert Path(exported["path"]).read_bytes() == Path(again["path"]).read_bytes()
    log = invoke("history", "-p", slug, "--json").stdout
    assert "cut_v02" in log


def test_clips_draw_missing_boards_first_and_submitting_twice_is_one_job(project):
    from tools.jobs.local import LocalRunner
    from tools.render.plan import plan
    from memory.workspace import Workspace

    slug = project.name
    clips = js("render", "clips", "-p", slug, "--scene", "2", "--yes")
    assert clips and all(c["path"].endswith(".mp4") for c in clips)
    settings = Settings.from_env()
    store = Workspace(settings).open(slug)
    first = store.takes(2, 1)
    assert [t.kind.value for t in first] == ["image", "video"], "a board was drawn, then the clip"
    spec = plan(store, RenderKind.BOARD, settings, scene=2, tier="sketch").specs[0]
    runner = LocalRunner(settings)
    a = runner.submit(spec)
    b = runner.submit(spec)
    assert a.id == b.id == spec.id
    [done] = runner.wait([a.id], timeout=60)
    assert done.status is JobStatus.DONE
    again = runner.submit(spec)
    assert again.status is JobStatus.DONE and again.take == done.take, "a done job is not redone"
    assert sum(1 for t in store.takes(2, 1) if t.job_id == spec.id) == 1


def slow_execute(settings, spec, progress, cancelled, **kw):
    for i in range(200):
        if cancelled():
            from studio.render import JobCancelled

            raise JobCancelled(spec.id)
        progress(i / 200, f"step {i}")
        time.sleep(0.02)
    return "never"


def test_cancel_half_way_keeps_nothing(workspace_dir):
    from tools.jobs.local import LocalRunner

    runner = LocalRunner(Settings.from_env(), execute=slow_execute)
    state = runner.submit(JobSpec(project="p", kind=RenderKind.BOARD, scene=1, shot=1))
    while (runner.get(state.id).progress or 0) < 0.1:
        time.sleep(0.02)
    runner.cancel(state.id)
    [final] = runner.wait([state.id], timeout=10)
    assert final.status is JobStatus.CANCELLED and final.take is None


def test_passing_failures_retry_and_bad_input_does_not(workspace_dir, monkeypatch):
    import tools.jobs.local as local

    monkeypatch.setattr(local, "BACKOFF_S", 0.01)
    calls = []

    def flaky(settings, spec, progress, cancelled, **kw):
        calls.append(spec.id)
        if len(calls) < 3:
            raise OSError("disk busy")
        return "03_Renders/x.png"

    runner = local.LocalRunner(Settings.from_env(), execute=flaky)
    s = runner.submit(JobSpec(project="p", kind=RenderKind.BOARD, scene=1, shot=1))
    [final] = runner.wait([s.id], timeout=10)
    assert final.status is JobStatus.DONE and final.attempts == 3

    def bad(settings, spec, progress, cancelled, **kw):
        calls.append("bad")
        raise AuteurError("the width 100 is not divisible by 8", "use 96 or 104")

    runner = local.LocalRunner(Settings.from_env(), execute=bad)
    s = runner.submit(JobSpec(project="p", kind=RenderKind.BOARD, scene=1, shot=2))
    [final] = runner.wait([s.id], timeout=10)
    assert final.status is JobStatus.FAILED and final.attempts == 1 and "divisible by 8" in final.error


def test_job_state_survives_a_restart_of_the_studio(workspace_dir):
    from tools.jobs.local import JobStore, LocalRunner
    from studio.render import JobState

    settings = Settings.from_env()
    spec = JobSpec(project="p", kind=RenderKind.BOARD, scene=1, shot=3)
    # The studio stopped while this job ran: its state file says running.
    JobStore(settings.workspace / ".auteur" / "jobs").save(JobState(id=spec.id, spec=spec, status=JobStatus.RUNNING))
    ran = threading.Event()

    def execute(settings, spec, progress, cancelled, **kw):
        ran.set()
        return "03_Renders/done.png"

    runner = LocalRunner(settings, execute=execute)
    [final] = runner.wait([spec.id], timeout=10)
    assert ran.is_set() and final.status is JobStatus.DONE and final.take == "03_Renders/done.png"
    assert LocalRunner(settings, execute=execute).get(spec.id).status is JobStatus.DONE


def test_quality_tiers_are_checked(tmp_path, workspace_dir, monkeypatch):
    from config.quality import load_tiers

    bad = tmp_path / "quality.yaml"
    bad.write_text("tiers:\n  odd:\n    image: {model: x, width: 1000, height: 570}\n")
    monkeypatch.setenv("AUTEUR_QUALITY_FILE", str(bad))
    with pytest.raises(AuteurError) as err:
        load_tiers(Settings.from_env())
    assert "not divisible by 8" in str(err.value) and "height" in str(err.value)
    assert set(load_tiers(None)) >= {"draft", "standard", "cinematic"}


def test_a_tier_whose_model_is_missing_falls_back_and_says_so(workspace_dir, monkeypatch, tmp_path):
    from studio.render import QualityTier
    from tools.render.plan import choose

    settings = Settings.from_env()
    cpu_tier = QualityTier(name="local", gpu=False, image={"model": str(tmp_path / "nowhere")})
    choice = choose(RenderKind.BOARD, cpu_tier, settings)
    assert choice.renderer == "sketch" and "nowhere" in choice.notice and "not on this machine" in choice.notice
    gpu_tier = QualityTier(name="big", gpu=True, image={"model": "stabilityai/sdxl-turbo"})
    import torch

    if not torch.cuda.is_available():
        choice = choose(RenderKind.BOARD, gpu_tier, settings)
        assert choice.renderer == "sketch" and "no CUDA GPU" in choice.notice
    assert choose(RenderKind.BOARD, gpu_tier, settings, local=False).renderer == "diffusers"


def test_the_budget_gate_asks_before_a_batch(project, monkeypatch):
    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    events = list(session.handle(Turn(text="/render boards scene 1 sketch")))
    question = events[-1]
    assert question.kind == "question" and question.options == ["Render", "Not now"]
    assert "Estimate: " in question.text and "CPU time" in question.text
    events = list(session.handle(Turn(choice="Not now")))
    assert "nothing rendered" in events[0].text.lower()
    assert session.store.takes(1, 1) == []
    list(session.handle(Turn(text="/render boards scene 1 sketch")))
    events = list(session.handle(Turn(choice="Render")))
    progress = [e for e in events if e.kind == "progress" and "job" in e.data]
    artifacts = [e for e in events if e.kind == "artifact"]
    assert progress and all(0 <= e.data["progress"] <= 1 for e in progress)
    assert artifacts and all(Path(e.data["path"]).is_file() for e in artifacts)
    assert len(session.store.takes(1, 1)) == 1


def test_asking_for_a_shot_from_lower_at_dusk_makes_a_new_take(project):
    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    list(session.handle(Turn(text="/render boards scene 1 yes")))
    asked = list(session.handle(Turn(text="show me shot 1.2 from lower, at dusk")))
    assert asked[-1].kind == "question" and "Estimate: 1 board at" in asked[-1].text, "the budget gate first"
    assert len(session.store.takes(1, 2)) == 1
    events = list(session.handle(Turn(text="yes")))
    takes = session.store.takes(1, 2)
    assert len(takes) == 2 and "dusk" in takes[-1].prompt
    shot = next(s for s in session.store.read(__import__("studio.stages").stages.Stage.SHOTS).shots
                if (s.scene, s.number) == (1, 2))
    assert shot.angle.value == "low"
    assert any(e.kind == "artifact" and e.data.get("path", "").endswith("take02.png") for e in events)


def test_reference_images_by_upload_and_by_the_art_director(project):
    from io import BytesIO

    from PIL import Image

    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    buf = BytesIO()
    Image.new("RGB", (32, 32), (200, 0, 0)).save(buf, "PNG")
    events = list(session.handle(Turn(upload=("vera_ref.png", buf.getvalue()))))
    assert events[0].author == "Art Director" and Path(events[0].data["path"]).is_file()
    events = list(session.handle(Turn(upload=("vera.png", b"not an image"))))
    assert events[0].kind == "error" and "not a PNG" in events[0].text
    events = list(session.handle(Turn(text="/reference DEKKER")))
    art = [e for e in events if e.kind == "artifact"]
    assert art and "Characters/DEKKER/ref_01.png" in art[0].data["path"]
    # The boards of shots with VERA carry her reference image.
    from tools.render.execute import build_request
    from tools.render.plan import plan

    store = session.store
    specs = plan(store, RenderKind.BOARD, Settings.from_env(), tier="sketch").specs
    for spec in specs:
        request, _, _ = build_request(store, spec, Settings.from_env())
        if "VERA" in [c.upper() for c in request.shot.characters]:
            assert any(r.endswith("VERA/ref_01.png") for r in request.references)
            break
    else:
        pytest.fail("no shot with VERA")


def test_the_render_tools_sit_on_the_agents_that_own_them_and_make_takes(project):
    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    list(session.handle(Turn(text="/render boards scene 1 sketch yes")))
    crew = session.crew
    tools = {k: [t.name for t in crew.tools(k)] for k in ("cinematographer", "art_director", "screenwriter")}
    assert tools == {"cinematographer": ["render_board", "render_clip"], "art_director": ["render_reference"],
                     "screenwriter": []}
    board = crew.tools("cinematographer")[0]
    answer = board.run(shot="S01_SH003", notes="from lower, at dusk")
    assert answer.startswith("Not rendered yet: 1 board at"), "a tool renders only past the budget gate"
    assert len(session.store.takes(1, 3)) == 1
    from studio.engine.render_gate import tool_gate
    from tools.render.crew_tools import tools_for

    board = tools_for("cinematographer", session.require_project, session.renderer, gate=tool_gate(session))[0]
    board.run(shot="S01_SH003", notes="from lower, at dusk")
    list(session.confirm_render())  # the person's yes
    takes = session.store.takes(1, 3)
    assert len(takes) == 2
    assert takes[-1].prompt.endswith("from lower, at dusk")
    shot = next(s for s in session.store.read(__import__("studio.stages").stages.Stage.SHOTS).shots
                if (s.scene, s.number) == (1, 3))
    assert shot.angle.value == "low"


def test_a_render_waiting_for_a_yes_is_dropped_when_the_person_moves_on(project):
    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    list(session.handle(Turn(text="/render boards scene 1 sketch")))
    list(session.handle(Turn(text="/status")))
    events = list(session.handle(Turn(choice="Render")))
    assert "closed" in events[0].text and session.store.takes(1, 1) == []


def test_cancel_reaches_a_job_another_process_runs(workspace_dir):
    from tools.jobs.local import JobStore, LocalRunner
    from studio.render import JobState

    settings = Settings.from_env()
    spec = JobSpec(project="p", kind=RenderKind.BOARD, scene=1, shot=4)
    store = JobStore(settings.workspace / ".auteur" / "jobs")
    import os

    parent = f"{__import__('socket').gethostname()}:{os.getppid()}"  # a live process that is not us
    store.save(JobState(id=spec.id, spec=spec, status=JobStatus.RUNNING, owner=parent))
    runner = LocalRunner(settings, execute=slow_execute)
    assert runner.submit(spec).status is JobStatus.RUNNING, "a job another live process runs is left to it"
    runner.cancel(spec.id)
    assert store.cancel_marker(spec.id).exists() and runner.jobs()[0].status is JobStatus.RUNNING
    # The owner is gone (a stopped studio): the next runner takes the job over.
    store.save(JobState(id=spec.id, spec=spec, status=JobStatus.RUNNING, owner="nohost-x:1"))
    store.save(JobState(id=spec.id, spec=spec, status=JobStatus.RUNNING,
                        owner=f"{__import__('socket').gethostname()}:999999"))
    store.cancel_marker(spec.id).unlink()
    fresh = LocalRunner(settings, execute=lambda *a, **k: "03_Renders/taken_over.png")
    [final] = fresh.wait([spec.id], timeout=10)
    assert final.status is JobStatus.DONE and final.take == "03_Renders/taken_over.png"


def test_the_revise_button_asks_for_notes_and_the_next_words_are_them(workspace_dir, monkeypatch):
    from config.container import Container
    from studio.engine.events import Turn

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    session = Container().session()
    list(session.handle(Turn(text="A lighthouse keeper finds a message in a bottle")))
    events = list(session.handle(Turn(choice="Revise")))
    assert events[0].text.startswith("What should the Producer change in the brief?"), events[0].text
    events = list(session.handle(Turn(text="set it in winter")))
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events)
    log = session.store.history(__import__("studio.stages").stages.Stage.BRIEF)
    assert "decision: set it in winter" in log[1].message, "the notes are kept as a decision"
    assert log[0].trailers["Auteur-Action"] == "draft", "and the brief is redrafted with them"
    # In Slack every word comes as `/auteur …`: after Revise, words that are no command are the notes.
    list(session.handle(Turn(choice="Revise")))
    list(session.handle(Turn(text="/make the keeper a woman")))
    log = session.store.history(__import__("studio.stages").stages.Stage.BRIEF)
    assert "decision: make the keeper a woman" in log[1].message


def test_a_tier_with_diffusers_models_renders_generated_boards_and_clips_end_to_end(project, tmp_path,
                                                                                     monkeypatch):
    """The commands of a GPU machine, on tiny random pipelines that run on the CPU: takes, sidecars, the cut."""
    from PIL import Image

    from tests.integration.tiny_pipelines import save_image_to_video, save_text_to_image
    from tools.render import diffusers as diffusers_backend
    from tools.render.video import probe

    save_text_to_image(tmp_path / "models" / "tiny-sd")  # found by name under AUTEUR_MODELS_DIR
    save_image_to_video(tmp_path / "models" / "tiny-svd")
    quality = tmp_path / "quality.yaml"
    quality.write_text(
        "tiers:\n"
        "  tiny:\n"
        "    gpu: false\n"
        "    gpu_seconds_per_image: 2\n"
        "    gpu_seconds_per_clip: 9\n"
        "    image: {model: tiny-sd, steps: 2, width: 64, height: 64, guidance: 0}\n"
        "    video: {model: tiny-svd, steps: 2, width: 64, height: 64, guidance: 1, frames: 4, fps: 8}\n")
    monkeypatch.setenv("AUTEUR_QUALITY_FILE", str(quality))
    monkeypatch.setenv("AUTEUR_MODELS_DIR", str(tmp_path / "models"))
    diffusers_backend.clear_cache()
    slug = project.name
    result = invoke("render", "boards", "-p", slug, "--scene", "1", "--tier", "tiny", "--json", "--yes")
    boards = json.loads(result.stdout)
    assert boards and "no CUDA GPU" not in result.stderr
    side = sidecar(project, boards[0])
    assert side["model"].endswith("tiny-sd") and side["parameters"]["steps"] == 2
    assert side["seed"] == boards[0]["seed"] and side["parameters"]["pipeline"]
    with Image.open(project / boards[0]["path"]) as im:
        assert im.size == (64, 64)
    clips = js("render", "clips", "-p", slug, "--scene", "1", "--tier", "tiny", "--yes")
    info = probe(project / clips[0]["path"])
    assert info["codec"] == "h264" and info["frames"] == 4 and info["fps"] == 8
    assert sidecar(project, clips[0])["model"].endswith("tiny-svd")
    # Rendering the same shot again makes a new take with a new seed; the first stays as it was.
    again = js("render", "boards", "-p", slug, "--scene", "1", "--tier", "tiny", "--yes")
    assert again[0]["number"] == 3 and again[0]["seed"] != boards[0]["seed"]
    assert (project / boards[0]["path"]).is_file()
    diffusers_backend.clear_cache()


def test_a_capable_model_takes_a_render_request_in_words_with_its_tools(project, monkeypatch):
    """A scripted model that calls tools the way crewAI asks (ReAct): the Cinematographer's tool makes the take."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from agents.llm.structured import StructuredLLM
    from config.container import Container
    from crews.runner import CrewRunner
    from studio.engine.events import Turn
    from studio.engine.render_gate import tool_gate
    from tools.render.crew_tools import tools_for

    container = Container()
    session = container.session(project=project.name)
    list(session.handle(Turn(text="/render boards scene 1 sketch yes")))
    script = FakeListChatModel(responses=[
        'Thought: a new board of the opening shot, darker.\nAction: render_board\n'
        'Action Input: {"shot": "S01_SH001", "notes": "darker, rain on the glass"}',
        "Thought: I know the final answer.\nFinal Answer: A darker board of S01_SH001 is ready.",
    ])
    llm = StructuredLLM(script, name="scripted/tools", mode="json")
    session._crew = CrewRunner(llm, tools=lambda key: tools_for(key, session.require_project,
                                                                  container.render_service(), gate=tool_gate(session)))
    events = list(session.handle(Turn(text="can I see that frame again with fog rolling in?")))
    said = [e.text for e in events if e.kind == "message"]
    # The agent's reply is vetted before it is shown: its shot code reads as a person says it.
    assert any("darker board of shot 1.1" in t for t in said), said
    assert events[-1].kind == "question" and events[-1].text.startswith("Estimate: "), "the budget gate first"
    events += list(session.handle(Turn(choice="Render")))
    takes = session.store.takes(1, 1)
    assert len(takes) == 2 and takes[-1].prompt.endswith("darker, rain on the glass")
    assert any(e.kind == "artifact" and e.data["path"].endswith("S01_SH001_take02.png") for e in events)
    # The tiny embedded profile never gets tools: words no rule reads are asked about instead.
    tiny = StructuredLLM(script, name="llamacpp/smollm2-135m")
    tiny.tiny = True
    assert not CrewRunner(tiny, tools=lambda key: []).can_use_tools


def test_one_turn_at_a_time_changes_a_project_across_conversations(project):
    """Two conversations on one project (a Slack thread and a channel, two browser chats): the second waits."""
    from config.container import Container
    from studio.engine.events import Turn

    container = Container()
    first = container.session(project=project.name)
    second = container.session(project=project.name)
    running = first.handle(Turn(text="/render boards scene 1 sketch yes"))
    next(running)  # the first turn is under way
    events = list(second.handle(Turn(text="/render boards scene 2 sketch yes")))
    assert events[0].kind == "error" and events[0].data.get("busy") and "already working" in events[0].text
    assert any("1." in e.text and "brief" in e.text for e in second.handle(Turn(text="/status"))), \
        "reading goes through"
    list(running)  # the first finishes
    assert any(e.kind == "artifact" for e in second.handle(Turn(text="/render boards scene 2 sketch yes")))


def test_a_screenplay_uploaded_into_a_project_says_it_replaced_the_script(project):
    from config.container import Container
    from studio.engine.events import Turn

    session = Container().session(project=project.name)
    other = (REPO / "tests/golden/fountain").glob("0[2-9]*.fountain")
    path = sorted(other)[0]
    events = list(session.handle(Turn(upload=(path.name, path.read_bytes()))))
    said = " ".join(e.text for e in events)
    assert "is now the script of" in said and "/history script" in said
    assert "stale" in said, "what the new script made stale is said"
