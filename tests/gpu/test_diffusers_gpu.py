"""The diffusers backend on a CUDA GPU: bf16/fp16, SDPA attention, channels-last, the out-of-memory path.

Tiny random pipelines (tests.integration.tiny_pipelines); these run wherever torch sees a CUDA GPU.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools.render.diffusers.model_store import cuda_available

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not cuda_available(), reason="needs a CUDA GPU")]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> SimpleNamespace:
    from tests.integration.tiny_pipelines import save_image_to_video, save_text_to_image

    root = tmp_path_factory.mktemp("gpu-models")
    return SimpleNamespace(t2i=save_text_to_image(root / "tiny-sd"), i2v=save_image_to_video(root / "tiny-svd"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    from tools.render.diffusers import clear_cache

    clear_cache()
    yield
    clear_cache()


def board(model: Path, **kw):
    from studio.render import RenderKind, RenderRequest

    base = dict(kind=RenderKind.BOARD, prompt="a waitress at the counter", model=str(model), width=64, height=48,
                num_inference_steps=3, seed=7)
    return RenderRequest(**{**base, **kw})


def backend():
    from tools.render.diffusers import DiffusersBackend

    return DiffusersBackend(SimpleNamespace(models_dir=None, allow_downloads=False))


def ignore(*_a) -> None:
    pass


def never() -> bool:
    return False


def pixels(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_board_on_cuda_runs_bf16_with_sdpa_and_a_channels_last_unet(models):
    import torch

    from tools.render.diffusers import attention_report, cache

    b = backend()
    out = b.render(board(models.t2i), ignore, never)
    p = out.parameters
    assert (p["device"], p["dtype"], p["attention"], p["channels_last"]) == ("cuda", "bfloat16", "sdpa", True)
    assert pixels(out.data).shape == (48, 64, 3)
    entry = cache.entries()[0]
    unet = entry.pipe.unet
    assert unet.dtype == torch.bfloat16 and unet.device.type == "cuda"
    assert unet.conv_in.weight.is_contiguous(memory_format=torch.channels_last)
    names = {n for procs in attention_report(entry.pipe).values() for n in procs}
    assert names and all(n.endswith("2_0") for n in names), names
    again = b.render(board(models.t2i), ignore, never)
    assert b.loads == 1
    assert abs(pixels(again.data) - pixels(out.data)).mean() < 1.0  # same seed, same picture


def test_clip_on_cuda_runs_in_fp16_for_stable_video_diffusion(models, tmp_path):
    from PIL import Image

    from studio.render import RenderKind, RenderRequest
    from tools.render.video import probe

    key = tmp_path / "key.png"
    Image.new("RGB", (64, 48), (30, 60, 90)).save(key)
    request = RenderRequest(kind=RenderKind.CLIP, model=str(models.i2v), width=64, height=48, num_inference_steps=2,
                            num_frames=5, fps=8, init_image=str(key))
    out = backend().render(request, ignore, never)
    assert out.parameters["dtype"] == "float16" and out.parameters["device"] == "cuda"
    (tmp_path / "c.mp4").write_bytes(out.data)
    info = probe(tmp_path / "c.mp4")
    assert (info["frames"], info["fps"]) == (5, 8.0)


def test_out_of_memory_on_cuda_retries_with_cpu_offload_then_smaller_then_fails(models, monkeypatch):
    from diffusers import StableDiffusionPipeline

    from studio.errors import AuteurError

    real = StableDiffusionPipeline.__call__
    calls: list[tuple[int, int]] = []

    def failing(times):
        from tests.integration.tiny_pipelines import out_of_memory_for

        return out_of_memory_for(real, times, calls)

    monkeypatch.setattr(StableDiffusionPipeline, "__call__", failing(1))
    out = backend().render(board(models.t2i), ignore, never)
    assert calls == [(64, 48), (64, 48)]  # the second try at the same size, offloaded
    assert out.parameters["offload"] is True and out.parameters["oom_retries"] == ["as asked"]
    assert pixels(out.data).shape == (48, 64, 3)

    from tools.render.diffusers import clear_cache

    clear_cache()
    calls.clear()
    monkeypatch.setattr(StableDiffusionPipeline, "__call__", failing(99))
    with pytest.raises(AuteurError) as failed:
        backend().render(board(models.t2i), ignore, never)
    assert calls == [(64, 48), (64, 48), (48, 32)]
    assert "out of memory" in failed.value.problem and "free the GPU" in failed.value.fix


def test_render_benchmark_runs_on_the_gpu(capsys):
    spec = importlib.util.spec_from_file_location("render_gpu", REPO / "bench" / "render_gpu.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--tiny", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "| SDXL | Auteur backend | bfloat16 | sdpa |" in out
    assert "| FLUX.1-schnell | diffusers defaults | float32 |" in out


def test_a_pipeline_too_big_for_the_gpu_is_kept_offloaded(models, monkeypatch):
    import torch

    from tools.render.diffusers import cache, loading

    def too_big(*_a, **_k):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(loading, "optimize", too_big)
    out = backend().render(board(models.t2i), ignore, never)
    assert out.parameters["offload"] is True and out.parameters["device"] == "cuda"
    assert cache.entries()[0].offloaded
    assert pixels(out.data).shape == (48, 64, 3)


def test_audio_pipelines_render_on_cuda_in_fp16(tmp_path):
    """Stable Audio and AudioLDM2 (tiny, random) through DiffusersAudio on the GPU: fp16, the exact length asked,
    finite and not silent."""
    import numpy as np

    from config.settings import Settings
    from tests.integration.tiny_audio import save_audioldm2, save_stable_audio
    from tools.sound.audio_diffusers import DiffusersAudio

    audio = DiffusersAudio(Settings.from_env(), device="cuda")
    for folder in (save_stable_audio(tmp_path / "sa"), save_audioldm2(tmp_path / "ldm2")):
        samples, rate, info = audio.render("rain on a tin roof", 0.8, 1, str(folder), steps=3)
        assert info["dtype"] == "float16" and rate == 48_000
        assert len(samples) == round(0.8 * 48_000)
        assert np.isfinite(samples).all() and float(np.abs(samples).max()) > 1e-4


def test_a_neural_voice_speaks_on_cuda(tmp_path, monkeypatch):
    """A tiny random VITS model loads onto the GPU and speaks a line, not silent (from the models folder, the only
    place besides the Hugging Face cache a look's voice is read from)."""
    import numpy as np

    monkeypatch.setenv("AUTEUR_MODELS_DIR", str(tmp_path))

    from config.settings import Settings
    from studio.sound import VoiceProfile
    from tests.integration.tiny_tts import save_tiny_vits
    from tools.sound.voices import VitsEngine

    profile = VoiceProfile(engine="vits", model=str(save_tiny_vits(tmp_path / "vits")), pitch=60, rate=150)
    engine = VitsEngine(Settings.from_env())
    model, _ = engine.load(profile.model)
    assert model.device.type == "cuda"
    samples, rate = engine.speak("the ferry turns back", profile)
    assert samples.dtype == np.float32 and rate > 0 and len(samples) > rate // 10
    assert np.isfinite(samples).all() and float(np.abs(samples).max()) > 1e-3
