"""The diffusers backend on tiny random pipelines built in the test: the real code path, on the CPU, in seconds."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from studio.errors import AuteurError
from studio.render import JobCancelled, LoraWeights, RenderKind, RenderRequest

from tests.integration.tiny_pipelines import (save_image_to_video, save_ip_adapter, save_lora, save_text_to_image,
                                              save_text_to_video)
from tools.render.diffusers import DiffusersBackend, clear_cache, pipeline_task, resolve_model, task_of_class
from tools.render.video import probe


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("models")
    t2i = save_text_to_image(root / "tiny-sd")
    return SimpleNamespace(root=root, t2i=t2i, i2v=save_image_to_video(root / "tiny-svd"),
                           t2v=save_text_to_video(root / "tiny-animatediff"),
                           lora=save_lora(t2i, root / "lora"), ip_adapter=save_ip_adapter(t2i, root / "ip-adapter"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def settings(**kw):
    return SimpleNamespace(models_dir=kw.get("models_dir"), allow_downloads=False, image_model=None, video_model=None)


def board(model: Path, **kw) -> RenderRequest:
    base = dict(kind=RenderKind.BOARD, prompt="a waitress at the counter", model=str(model), width=64, height=48,
                num_inference_steps=3, seed=7)
    return RenderRequest(**{**base, **kw})


def never() -> bool:
    return False


def ignore(_f: float, _m: str) -> None:
    pass


def pixels(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


# ---------------------------------------------------------------- finding models


def test_resolve_model_from_a_folder_the_models_dir_and_the_hub_cache(models, tmp_path):
    assert resolve_model(str(models.t2i)) == models.t2i
    assert resolve_model("tiny-sd", settings(models_dir=models.root)) == models.t2i
    # A Hugging Face cache laid out as huggingface_hub writes it: refs/main → snapshots/<commit>.
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--studio--tiny-sd"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(models.t2i, repo / "snapshots" / commit)
    found = resolve_model("studio/tiny-sd", settings(), cache_dir=tmp_path / "hub")
    assert found == repo / "snapshots" / commit
    assert pipeline_task(found) == "text-to-image"
    assert pipeline_task(models.i2v) == "image-to-video"
    assert task_of_class("LTXPipeline") == "text-to-video"
    assert task_of_class("WanImageToVideoPipeline") == "image-to-video"
    assert task_of_class("FluxPipeline") == "text-to-image"


def test_resolve_model_says_what_is_wrong_and_how_to_fix_it(models, tmp_path):
    with pytest.raises(AuteurError) as missing:
        resolve_model(str(tmp_path / "nowhere"), settings())
    assert "does not exist" in missing.value.problem and "AUTEUR_IMAGE_MODEL" in missing.value.fix
    (tmp_path / "unet").mkdir()
    (tmp_path / "unet" / "config.json").write_text("{}")
    with pytest.raises(AuteurError) as single:
        resolve_model(str(tmp_path / "unet"), settings())
    assert "not a whole pipeline" in single.value.problem and "model_index.json" in single.value.fix
    with pytest.raises(AuteurError) as uncached:
        resolve_model("studio/not-here", settings(), cache_dir=tmp_path / "empty-hub")
    assert "not in the Hugging Face cache" in uncached.value.problem
    assert "huggingface-cli download studio/not-here" in uncached.value.fix
    assert "AUTEUR_ALLOW_DOWNLOADS=1" in uncached.value.fix
    with pytest.raises(AuteurError) as nothing:
        resolve_model("", settings())
    assert "AUTEUR_IMAGE_MODEL" in nothing.value.fix


# ---------------------------------------------------------------- boards


def test_board_is_a_png_of_the_size_asked_reproducible_by_seed_with_progress(models):
    backend = DiffusersBackend(settings())
    seen: list[tuple[float, str]] = []
    first = backend.render(board(models.t2i), lambda f, m: seen.append((f, m)), never)
    assert first.suffix == ".png" and first.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert pixels(first.data).shape == (48, 64, 3)
    p = first.parameters
    assert (p["seed"], p["steps"], p["width"], p["height"]) == (7, 3, 64, 48)
    assert (p["device"], p["dtype"], p["pipeline"], p["scheduler"]) == ("cpu", "float32", "StableDiffusionPipeline",
                                                                         "EulerDiscreteScheduler")
    assert p["attention"] == "sdpa" and p["model"] == str(models.t2i)
    assert {"load_s", "render_s"} <= set(first.timings)
    steps = [(f, m) for f, m in seen if m.startswith("step")]
    assert [m for _f, m in steps] == ["step 1/3", "step 2/3", "step 3/3"]
    fractions = [f for f, _m in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(set(fractions)) == len(fractions)

    again = backend.render(board(models.t2i), ignore, never)
    assert again.data == first.data  # same request, same pixels
    assert backend.loads == 1  # the pipeline stayed loaded between the two jobs
    other = backend.render(board(models.t2i, seed=8), ignore, never)
    assert other.data != first.data
    assert DiffusersBackend(settings()).render(board(models.t2i), ignore, never).data == first.data


def test_cancel_half_way_stops_the_pipeline(models):
    backend = DiffusersBackend(settings())
    seen: list[str] = []
    with pytest.raises(JobCancelled):
        backend.render(board(models.t2i, num_inference_steps=6), lambda f, m: seen.append(m),
                       lambda: "step 3/6" in seen)
    assert "step 3/6" in seen and "step 4/6" not in seen and "done" not in seen
    with pytest.raises(JobCancelled):  # cancelled before it starts: nothing loaded, nothing run
        backend.render(board(models.t2i), ignore, lambda: True)


def test_lora_changes_the_pixels_and_its_trigger_word_leads_the_prompt(models):
    backend = DiffusersBackend(settings())
    plain = backend.render(board(models.t2i), ignore, never)
    styled = backend.render(board(models.t2i, loras=[LoraWeights(path=str(models.lora), trigger="nellx", scale=1.0)]),
                            ignore, never)
    assert abs(pixels(styled.data) - pixels(plain.data)).mean() > 1.0
    assert styled.parameters["loras"] == [{"path": str(models.lora), "trigger": "nellx", "scale": 1.0}]
    assert styled.parameters["prompt_used"] == "nellx, a waitress at the counter"
    assert backend.render(board(models.t2i), ignore, never).data == plain.data  # unloaded after its job
    with pytest.raises(AuteurError) as missing:
        backend.render(board(models.t2i, loras=[LoraWeights(path=str(models.root / "gone.safetensors"))]),
                       ignore, never)
    assert "do not exist" in missing.value.problem and "LoRA" in missing.value.fix


def test_reference_images_go_through_ip_adapter_when_weights_are_there(models, tmp_path):
    from PIL import Image

    ref = tmp_path / "nell.png"
    Image.new("RGB", (40, 40), (200, 30, 30)).save(ref)
    plain = DiffusersBackend(settings()).render(board(models.t2i), ignore, never)
    without = DiffusersBackend(settings()).render(board(models.t2i, references=[str(ref)]), ignore, never)
    assert without.parameters["ip_adapter_used"] is False
    assert "AUTEUR_IP_ADAPTER" in without.parameters["ip_adapter_note"] and without.data == plain.data
    backend = DiffusersBackend(settings(), ip_adapter=str(models.ip_adapter), ip_adapter_scale=1.0)
    withref = backend.render(board(models.t2i, references=[str(ref)]), ignore, never)
    assert withref.parameters["ip_adapter_used"] is True and withref.parameters["references"] == ["nell.png"]
    assert abs(pixels(withref.data) - pixels(plain.data)).mean() > 1.0
    assert backend.render(board(models.t2i), ignore, never).data == plain.data  # adapter unloaded after its job


def test_out_of_memory_retries_smaller_then_fails_with_a_fix(models, monkeypatch):
    from diffusers import StableDiffusionPipeline

    real = StableDiffusionPipeline.__call__
    calls: list[tuple[int, int]] = []

    def failing(times):
        from tests.integration.tiny_pipelines import out_of_memory_for

        return out_of_memory_for(real, times, calls)

    monkeypatch.setattr(StableDiffusionPipeline, "__call__", failing(1))
    out = DiffusersBackend(settings()).render(board(models.t2i, width=64, height=48), ignore, never)
    assert calls == [(64, 48), (48, 32)]
    assert pixels(out.data).shape == (32, 48, 3)
    assert out.parameters["oom_retries"] == ["as asked"] and out.parameters["size_asked"] == [64, 48]
    calls.clear()
    monkeypatch.setattr(StableDiffusionPipeline, "__call__", failing(99))
    with pytest.raises(AuteurError) as failed:
        DiffusersBackend(settings()).render(board(models.t2i), ignore, never)
    assert "out of memory" in failed.value.problem and "lower quality tier" in failed.value.fix


# ---------------------------------------------------------------- clips


def test_clip_from_the_keyframe_is_an_mp4_with_the_frames_and_rate_asked(models, tmp_path):
    from PIL import Image

    key = tmp_path / "S01_SH001_take01.png"
    Image.new("RGB", (96, 72), (40, 90, 160)).save(key)
    req = RenderRequest(kind=RenderKind.CLIP, prompt="she turns", model=str(models.i2v), width=64, height=48,
                        num_inference_steps=2, num_frames=6, fps=12, seed=3, init_image=str(key))
    seen: list[float] = []
    out = DiffusersBackend(settings()).render(req, lambda f, m: seen.append(f), never)
    assert out.suffix == ".mp4"
    path = tmp_path / "clip.mp4"
    path.write_bytes(out.data)
    info = probe(path)
    assert (info["codec"], info["frames"], info["fps"], info["width"], info["height"]) == ("h264", 6, 12.0, 64, 48)
    p = out.parameters
    assert (p["pipeline"], p["task"], p["frames"], p["keyframe"]) == ("StableVideoDiffusionPipeline",
                                                                       "image-to-video", 6, key.name)
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_clip_from_a_text_to_video_pipeline_says_the_keyframe_was_not_used(models, tmp_path):
    from PIL import Image

    key = tmp_path / "key.png"
    Image.new("RGB", (64, 48)).save(key)
    req = RenderRequest(kind=RenderKind.CLIP, prompt="rain on the window", model=str(models.t2v), width=64,
                        height=48, num_inference_steps=2, num_frames=6, fps=24, seed=1, init_image=str(key))
    out = DiffusersBackend(settings()).render(req, ignore, never)
    (tmp_path / "clip.mp4").write_bytes(out.data)
    info = probe(tmp_path / "clip.mp4")
    assert (info["frames"], info["fps"], info["width"]) == (6, 24.0, 64)
    assert out.parameters["task"] == "text-to-video" and out.parameters["pipeline"] == "AnimateDiffPipeline"
    assert out.parameters["keyframe"].startswith("not used")


def test_bad_input_is_refused_with_a_fix(models, tmp_path):
    backend = DiffusersBackend(settings())
    with pytest.raises(AuteurError) as size:
        backend.render(board(models.t2i, width=66), ignore, never)
    assert "not divisible by 8" in size.value.problem and "64" in size.value.fix
    with pytest.raises(AuteurError) as image_on_video:
        backend.render(board(models.i2v), ignore, never)
    assert "video pipeline" in image_on_video.value.problem and "AUTEUR_IMAGE_MODEL" in image_on_video.value.fix
    clip = RenderRequest(kind=RenderKind.CLIP, model=str(models.t2i), width=64, height=48, init_image=None)
    with pytest.raises(AuteurError) as video_on_image:
        backend.render(clip, ignore, never)
    assert "image pipeline" in video_on_image.value.problem and "AUTEUR_VIDEO_MODEL" in video_on_image.value.fix
    with pytest.raises(AuteurError) as no_key:
        backend.render(clip.model_copy(update={"model": str(models.i2v)}), ignore, never)
    assert "keyframe" in no_key.value.problem and "render boards" in no_key.value.fix
    with pytest.raises(AuteurError) as not_pipeline:
        backend.render(board(tmp_path), ignore, never)
    assert "model_index.json" in not_pipeline.value.problem
    assert backend.loads == 0  # nothing was loaded for a bad request


@pytest.mark.slow
def test_render_benchmark_runs_its_gpu_code_path_on_tiny_configs(capsys):
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "render_gpu.py"
    spec = importlib.util.spec_from_file_location("render_gpu", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--tiny", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    for line in ("| SDXL | diffusers defaults | float32 | default | 64² | 3 |",
                 "| SDXL | Auteur backend | float32 | sdpa | 64² | 3 |",
                 "| FLUX.1-schnell | diffusers defaults | float32 | default | 64² | 3 |",
                 "| FLUX.1-schnell | Auteur backend | float32 | sdpa | 64² | 3 |"):
        assert line in out
