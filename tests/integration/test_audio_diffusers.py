"""Sound cues from diffusers' audio pipelines, on a tiny random Stable Audio pipeline built in the test: the real
loading and calling code, on the CPU, in seconds, offline."""

from __future__ import annotations

import importlib.util
import json
from types import SimpleNamespace

import numpy as np
import pytest

from studio.errors import AuteurError
from studio.sound import SAMPLE_RATE

# The diffusers tests' own: a cache emptied around each test (autouse), and settings with a models folder.
from tests.integration.test_diffusers_backend import _fresh_cache, settings  # noqa: F401
from tests.integration.tiny_audio import MAX_SECONDS, RATE, save_audioldm, save_audioldm2, save_stable_audio
from tests.integration.tiny_pipelines import save_text_to_image
from tools.sound.audio_diffusers import DiffusersAudio, audio_model_available


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("audio_models")
    return SimpleNamespace(root=root, stable_audio=save_stable_audio(root / "tiny-stable-audio"),
                           sde=save_stable_audio(root / "tiny-stable-audio-sde",
                                                 scheduler="CosineDPMSolverMultistepScheduler"),
                           audioldm=save_audioldm(root / "tiny-audioldm"),
                           audioldm2=save_audioldm2(root / "tiny-audioldm2"), image=save_text_to_image(root / "tiny-sd"))




def test_renders_a_cue_at_48k_exactly_as_long_as_asked(models):
    audio = DiffusersAudio(settings(), device="cpu")
    x, rate, info = audio.render("steady rain on a tin roof", 0.8, 7, str(models.stable_audio), steps=3)
    assert rate == SAMPLE_RATE
    assert x.dtype == np.float32 and x.shape == (round(0.8 * SAMPLE_RATE),)
    assert np.isfinite(x).all() and 0 < np.abs(x).max() <= 0.9
    assert np.sqrt(np.mean(x ** 2)) > 1e-4  # not silence
    assert info["pipeline"] == "StableAudioPipeline" and info["native_rate"] == RATE
    assert info["renders"] == 1 and info["steps"] == 3 and info["device"] == "cpu" and info["dtype"] == "float32"
    assert info["model"] == "tiny-stable-audio"  # the folder's name, not the server's path
    assert abs(x[0]) < 1e-6 and abs(x[-1]) < 1e-3  # faded at both ends: cues crossfade without a click


@pytest.mark.parametrize(("family", "cls"), [("audioldm", "AudioLDMPipeline"), ("audioldm2", "AudioLDM2Pipeline")])
def test_audioldm_families_are_asked_for_their_length_their_own_way(models, family, cls):
    audio = DiffusersAudio(settings(), device="cpu")
    x, rate, info = audio.render("a dog barking", 0.7, 2, str(getattr(models, family)), steps=2)
    assert rate == SAMPLE_RATE and x.shape == (round(0.7 * SAMPLE_RATE),)
    assert info["pipeline"] == cls and info["native_rate"] == RATE and info["renders"] == 1
    assert np.isfinite(x).all() and 0 < np.abs(x).max() <= 0.9
    assert audio_model_available(str(getattr(models, family)), settings()) == ""


def test_a_cue_longer_than_one_render_is_several_crossfaded(models):
    audio = DiffusersAudio(settings(), device="cpu")
    seconds = 2.5  # the tiny pipeline renders at most MAX_SECONDS (1.024 s) at once
    x, _, info = audio.render("a crowd murmuring", seconds, 3, str(models.stable_audio), steps=2)
    # Renders of at most 1.024 s overlapping by 0.256 s (a quarter of one): 3 of them cover 2.5 s.
    assert info["renders"] == 3 and MAX_SECONDS == 1.024
    assert x.shape == (round(seconds * SAMPLE_RATE),)
    window = int(0.05 * SAMPLE_RATE)
    rms = np.sqrt(np.convolve(x ** 2, np.ones(window) / window, mode="valid"))[::window][2:-2]
    assert rms.min() > 0  # no hole where one render hands over to the next


def test_seeded_and_kept_loaded(models):
    audio = DiffusersAudio(settings(), device="cpu")
    a, _, _ = audio.render("thunder", 0.5, 1, str(models.stable_audio), steps=2)
    b, _, _ = audio.render("thunder", 0.5, 1, str(models.stable_audio), steps=2)
    c, _, _ = audio.render("thunder", 0.5, 2, str(models.stable_audio), steps=2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert audio.loads == 1  # the second and third renders found the pipeline loaded


def test_a_negative_prompt_is_passed(models):
    audio = DiffusersAudio(settings(), device="cpu")
    plain, _, _ = audio.render("wind", 0.5, 4, str(models.stable_audio), steps=2)
    other, _, info = audio.render("wind", 0.5, 4, str(models.stable_audio), negative="music", steps=2)
    assert info["negative_prompt"] == "music"
    assert not np.array_equal(plain, other)


def test_found_by_name_under_the_models_folder(models):
    audio = DiffusersAudio(settings(models_dir=str(models.root)), device="cpu")
    x, _, info = audio.render("birds", 0.3, 1, "tiny-stable-audio", steps=2)
    assert x.shape == (round(0.3 * SAMPLE_RATE),) and info["model_name"] == "tiny-stable-audio"


def test_stable_audio_open_scheduler_without_torchsde(models):
    """Stable Audio Open names CosineDPMSolverMultistepScheduler, which needs torchsde; without it the EDM
    DPM-Solver stands in, and the take says so."""
    index = json.loads((models.sde / "model_index.json").read_text(encoding="utf-8"))
    assert index["scheduler"][1] == "CosineDPMSolverMultistepScheduler"
    x, _, info = DiffusersAudio(settings(), device="cpu").render("rain", 0.4, 1, str(models.sde), steps=2)
    assert x.shape == (round(0.4 * SAMPLE_RATE),)
    if importlib.util.find_spec("torchsde") is None:
        assert info["scheduler_stand_in"] == "EDMDPMSolverMultistepScheduler"
        assert info["scheduler"] == "EDMDPMSolverMultistepScheduler"
    else:
        assert info["scheduler"] == "CosineDPMSolverMultistepScheduler"


def test_available_says_why_not(models, tmp_path):
    assert audio_model_available(str(models.stable_audio), settings()) == ""
    why = audio_model_available(str(models.image), settings())
    assert "StableDiffusionPipeline" in why and "not an audio pipeline" in why
    assert str(models.root) not in why
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "model_index.json" in audio_model_available(str(empty), settings())
    assert "does not exist" in audio_model_available(str(tmp_path / "nowhere"), settings())
    missing = audio_model_available("someone/no-such-audio-model", settings())
    assert "not in the Hugging Face cache" in missing and "AUTEUR_IMAGE_MODEL" not in missing
    assert "no audio model is configured" in audio_model_available("", settings())


def test_a_folder_that_is_not_an_audio_pipeline_is_refused(models, tmp_path):
    audio = DiffusersAudio(settings(), device="cpu")
    with pytest.raises(AuteurError) as caught:
        audio.render("rain", 1.0, 1, str(models.image))
    assert "tiny-sd" in caught.value.problem and "Stable Audio" in caught.value.fix
    assert str(models.root) not in str(caught.value)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model_index.json").write_text(json.dumps({"_class_name": "StableAudioPipeline",
                                                         "vae": ["diffusers", "AutoencoderOobleck"]}))
    with pytest.raises(AuteurError, match="could not be loaded") as caught:
        audio.render("rain", 1.0, 1, str(broken))
    assert str(tmp_path) not in str(caught.value)
    assert audio.loads == 0


def test_bad_requests(models):
    audio = DiffusersAudio(settings(), device="cpu")
    with pytest.raises(AuteurError, match="no prompt"):
        audio.render("  ", 1.0, 1, str(models.stable_audio))
    with pytest.raises(AuteurError, match="over 0 s"):
        audio.render("rain", 0.0, 1, str(models.stable_audio))
