"""Voice engines: espeak-ng, embedded and always there, and a neural VITS / MMS-TTS model through transformers.

Both speak behind one port (``VoiceEngine``): text and a studio.sound.VoiceProfile in, float32 mono samples and
their rate out. A neural voice needs its weights on this machine (a folder, AUTEUR_MODELS_DIR, or the Hugging Face
cache; nothing is downloaded); when they are missing or the folder is not a VITS model, ``engine_for`` speaks with
espeak-ng instead and says so: a fallback, not a failure.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from studio.errors import AuteurError
from studio.sound import ESPEAK, VoiceProfile
from studio.voices import VITS

ESPEAK_BINARY = "espeak-ng"
NEUTRAL_PITCH = 50  # the middle of espeak-ng's 0–99 scale: a neural voice is shifted from here
NEUTRAL_RATE = 165  # words per minute a neural model speaks at speaking_rate 1.0 (about)
PITCH_RANGE_OCTAVES = 0.5  # pitch 0 is half an octave down, 99 about half an octave up
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
MAX_CONFIG_BYTES = 1_000_000  # a VITS config.json is a few kB: a bigger one is not read into memory


class VoiceEngine(Protocol):
    """Speaks a text in a voice: (float32 mono samples in [-1, 1], their rate)."""

    name: str

    def speak(self, text: str, profile: VoiceProfile) -> tuple[np.ndarray, int]: ...


# ---------------------------------------------------------------- espeak-ng

def espeak_voice(profile: VoiceProfile) -> str:
    """The profile's voice as espeak-ng names it; a neural speaker number ('3') means nothing to it: en-us."""
    return profile.voice if re.search(r"[A-Za-z]", profile.voice) else "en-us"


def _pcm_from_wav_stream(data: bytes) -> tuple[np.ndarray, int]:
    """espeak-ng's --stdout WAV: its header gives the rate, but its sizes are placeholders (it streams), so the
    samples are everything after the 'data' chunk's header."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AuteurError("espeak-ng did not answer with a WAV", "check `espeak-ng --version` works on the server")
    fmt = data.find(b"fmt ")
    chunk = data.find(b"data", 12)
    if fmt < 0 or chunk < 0:
        raise AuteurError("espeak-ng's WAV has no sound data", "check `espeak-ng --version` works on the server")
    channels = int.from_bytes(data[fmt + 10:fmt + 12], "little")
    rate = int.from_bytes(data[fmt + 12:fmt + 16], "little")
    bits = int.from_bytes(data[fmt + 22:fmt + 24], "little")
    if bits != 16 or channels != 1:
        raise AuteurError(f"espeak-ng answered {bits}-bit, {channels}-channel sound", "use espeak-ng 1.49 or later")
    raw = data[chunk + 8:]
    samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    return samples, rate


# espeak-ng's -s is nominal, and how fast it sounds depends on the text: spoken through tools.sound.speak (trimmed,
# as a take holds it), plain sentences (46 words, en-us+m1 and en-us+f3, -s 100 to 190) came out at 1.32–1.37 times
# the words a minute asked (-s 170: 227–232 wpm, user F4), while the bundled sample's punctuated dialogue (37 lines,
# 316 words) came out at 1.04–1.09 times (the pauses at commas and full stops do not speed up as much). So the first
# try asks for the rate over a middle factor, and a speech that is then heard more than RATE_TOLERANCE off is
# spoken once more at a corrected speed (one correction lands within a few per cent).
ESPEAK_SPEED_FACTOR = 1.2
RATE_TOLERANCE = 0.08
MIN_TIMED_WORDS = 3  # a shorter line is too short to time: its first try stands
ESPEAK_MIN_SPEED = 80  # espeak-ng's slowest -s (lower is taken as 80)
# Slower than that, a pause between words (-g, in units of 10 ms at the default speed) makes up the rest: at -s 80,
# -g 5/10/20 added 0.17/0.30/0.56 s a word (measured the same way), about this much a unit.
ESPEAK_GAP_SECONDS_PER_UNIT = 0.027
SOUND_FLOOR = 1e-3  # what counts as speech when a take is timed (tools.sound.speak trims at the same level)


def espeak_speed(rate: float) -> tuple[int, int]:
    """espeak-ng's -s and -g for ``rate`` words per minute as heard (at the middle factor)."""
    speed = round(rate / ESPEAK_SPEED_FACTOR)
    if speed >= ESPEAK_MIN_SPEED:
        return speed, 0
    slowest = ESPEAK_MIN_SPEED * ESPEAK_SPEED_FACTOR
    extra = 60.0 / max(rate, 1.0) - 60.0 / slowest  # seconds a word beyond what -s 80 gives
    return ESPEAK_MIN_SPEED, max(0, round(extra / ESPEAK_GAP_SECONDS_PER_UNIT))


def heard_rate(text: str, samples: np.ndarray, rate: int) -> float | None:
    """Words a minute of ``samples`` (from its first sound to its last), or None for a line too short to time."""
    words = len(text.split())
    loud = np.flatnonzero(np.abs(samples) > SOUND_FLOOR)
    if words < MIN_TIMED_WORDS or len(loud) < 2:
        return None
    return words * 60.0 * rate / float(loud[-1] - loud[0])


class EspeakEngine:
    """espeak-ng in a subprocess: the text on stdin (never on the command line), the WAV on stdout."""

    name = ESPEAK

    def __init__(self, binary: str | None = None, timeout_s: float = 60.0) -> None:
        self.binary = binary or shutil.which(ESPEAK_BINARY) or ""
        self.timeout_s = timeout_s

    def available(self) -> bool:
        return bool(self.binary) and Path(self.binary).is_file()

    def speak(self, text: str, profile: VoiceProfile) -> tuple[np.ndarray, int]:
        if not self.available():
            raise AuteurError("espeak-ng is not installed on this server, so no voice can speak",
                              "install it: `apt-get install espeak-ng` (scripts/setup.sh does)")
        samples, rate = self._run(text, profile, profile.rate)
        heard = heard_rate(text, samples, rate)
        if heard is not None and abs(heard / profile.rate - 1.0) > RATE_TOLERANCE:
            samples, rate = self._run(text, profile, profile.rate * profile.rate / heard)  # one correction
        return samples, rate

    def _run(self, text: str, profile: VoiceProfile, asked: float) -> tuple[np.ndarray, int]:
        """One espeak-ng run at the speed that should be heard as ``asked`` words a minute."""
        voice = espeak_voice(profile)
        speed, gap = espeak_speed(asked)
        command = [self.binary, "--stdout", "-b", "1", "-v", voice, "-p", str(profile.pitch), "-s", str(speed)]
        if gap:
            command += ["-g", str(gap)]
        timeout = self.timeout_s + len(text) / 200.0  # a long speech takes longer: about 1 s per 200 characters
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            raise AuteurError(f"espeak-ng took over {timeout:.0f} s to say {len(text.split())} words",
                              "split the speech into shorter lines, or try again when the server is less busy") \
                from exc
        except OSError as exc:
            raise AuteurError(f"espeak-ng could not be started ({exc.strerror})",
                              "reinstall it: `apt-get install --reinstall espeak-ng`") from exc
        if done.returncode != 0 or not done.stdout:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise AuteurError(f"espeak-ng could not speak in the voice {voice!r} ({said[0] if said else 'no sound'})",
                              "pick a voice espeak-ng has (`espeak-ng --voices=en`), e.g. `/voice NAME voice en-us+f3`")
        return _pcm_from_wav_stream(done.stdout)


# ---------------------------------------------------------------- VITS / MMS-TTS through transformers

_MODELS: dict[str, tuple[Any, Any]] = {}  # resolved folder → (model, tokenizer)
_LOCK = threading.Lock()


def _short(folder: Path | str) -> str:
    """A folder as a person may see it: its last two names, never the server's whole path."""
    parts = Path(folder).parts
    return "/".join(parts[-2:]) if len(parts) > 1 else str(folder)


def _not_vits(folder: Path, why: str) -> AuteurError:
    return AuteurError(f"the voice model folder {_short(folder)} is not a VITS text-to-speech model ({why})",
                       "point the voice at a folder saved with transformers' VitsModel.save_pretrained (config.json "
                       "with model_type 'vits' and its tokenizer's vocab.json), such as facebook/mms-tts-eng in "
                       "the Hugging Face cache, or go back to the embedded voice: `/voice NAME engine espeak-ng`")


def check_vits_folder(folder: Path) -> Path:
    """``folder`` if it holds a VITS model and its tokenizer, else an AuteurError naming what is missing."""
    if not folder.is_dir():
        raise _not_vits(folder, "not a folder")
    config = folder / "config.json"
    try:
        if config.stat().st_size > MAX_CONFIG_BYTES:
            raise _not_vits(folder, f"its config.json is over {MAX_CONFIG_BYTES // 1_000_000} MB")
        data = json.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _not_vits(folder, "no config.json") from None
    except (OSError, ValueError):
        raise _not_vits(folder, "config.json cannot be read as JSON") from None
    kind = data.get("model_type") if isinstance(data, dict) else None
    if kind != "vits":
        raise _not_vits(folder, f"its config.json says model_type {kind!r}")
    if not (folder / "vocab.json").is_file():
        raise _not_vits(folder, "no vocab.json for its tokenizer")
    if not any(folder.glob("*.safetensors")) and not any(folder.glob("*.bin")):
        raise _not_vits(folder, "no weights (.safetensors or .bin)")
    return folder


def resolve_tts_model(name: str, settings: Any = None) -> Path:
    """The folder of the VITS model ``name``: a folder path; ``<models_dir>/<name>``; a Hugging Face repo id already
    in the local cache. Nothing is downloaded."""
    name = (name or "").strip()
    if not name:
        raise AuteurError("the voice names the vits engine but no model",
                          "give it one: `/voice NAME engine vits model facebook/mms-tts-eng` (a folder or a "
                          "Hugging Face repo id in the local cache)")
    models_dir = getattr(settings, "models_dir", None)
    given = Path(name).expanduser()
    candidates = [given]
    if models_dir and not given.is_absolute():
        candidates += [Path(models_dir) / name, Path(models_dir) / name.replace("/", "--")]
    if settings is not None:
        if given.is_absolute() or name.startswith((".", "~")):
            _allowed(given, settings)  # refused before it is looked at: a look learns nothing of other folders
        candidates = [c for c in candidates if _inside_roots(c, settings)]
    for folder in candidates:
        if folder.exists():
            return check_vits_folder(_allowed(folder, settings))
    if given.is_absolute() or name.startswith((".", "~")) or not _REPO_ID.match(name):
        raise AuteurError(f"the voice model folder {_short(given)} does not exist",
                          "point the voice at a VITS model folder on this server, or put the folder under "
                          "AUTEUR_MODELS_DIR")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return check_vits_folder(Path(snapshot_download(name, local_files_only=True)))
    except (LocalEntryNotFoundError, FileNotFoundError, OSError, ValueError):
        raise AuteurError(f"the voice model {name} is not in the Hugging Face cache of this server",
                          f"download it yourself (`hf download {name}`), or put its folder under "
                          "AUTEUR_MODELS_DIR; until then the voice is spoken by espeak-ng") from None


def _model_roots(settings: Any) -> list[Path]:
    """Where a voice's model may be read from: the models folder (AUTEUR_MODELS_DIR), the Hugging Face cache, and
    the folder the operator named for every voice (AUTEUR_VOICE_MODEL, set on the server, not in a look)."""
    from huggingface_hub import constants

    roots = [Path(constants.HF_HUB_CACHE)]
    models_dir = getattr(settings, "models_dir", None)
    if models_dir:
        roots.append(Path(models_dir))
    operator = getattr(settings, "voice_model", None)
    if operator and Path(operator).is_absolute() and Path(operator).is_dir():
        roots.append(Path(operator))
    return [r.resolve() for r in roots]


def _inside_roots(folder: Path, settings: Any) -> bool:
    real = folder.resolve()
    return any(real.is_relative_to(root) for root in _model_roots(settings))


def _allowed(folder: Path, settings: Any) -> Path:
    """``folder`` when a voice may load from it. A voice's model comes from look.json, which a person (in chat:
    `/voice NAME engine vits model …`) or the crew writes, so, as for a look's LoRA, only the models folder and the
    Hugging Face cache are read: a look never points the server at another of its folders. Without settings
    (the caller's own code, not a look) the folder is taken as given."""
    if settings is None:
        return folder.absolute()
    if _inside_roots(folder, settings):
        return folder.resolve()
    raise AuteurError(f"the voice model folder {_short(folder)} is outside the models folder, so it is not read",
                      "put the model's folder under AUTEUR_MODELS_DIR (or in the Hugging Face cache) and name it "
                      "by its name there: `/voice NAME engine vits model mms-tts-eng`")


def pitch_factor(pitch: int) -> float:
    """How much higher (above 1) or lower a voice is played for espeak-ng's pitch scale (50: as the model speaks)."""
    return float(2.0 ** ((pitch - NEUTRAL_PITCH) / NEUTRAL_PITCH * PITCH_RANGE_OCTAVES))


class VitsEngine:
    """A VITS model (MMS-TTS and the like) through transformers' VitsModel, on the GPU when there is one.

    The profile's rate sets the model's speaking_rate; its pitch is a resampling shift (played faster is higher),
    with the speaking rate slowed by the same factor so the words keep their pace. A multi-speaker model takes the
    profile's voice as its speaker number."""

    name = VITS

    def __init__(self, settings: Any = None) -> None:
        self.settings = settings

    def load(self, model: str) -> tuple[Any, Any]:
        """(model, tokenizer), loaded once per folder."""
        folder = str(resolve_tts_model(model, self.settings))
        with _LOCK:
            if folder not in _MODELS:
                _MODELS[folder] = self._load(Path(folder))
            return _MODELS[folder]

    @staticmethod
    def _load(folder: Path) -> tuple[Any, Any]:
        import torch
        from transformers import AutoTokenizer, VitsModel

        try:
            model = VitsModel.from_pretrained(str(folder), local_files_only=True)
            tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        except Exception as exc:  # damaged weights raise the loaders' own kinds (SafetensorError, size mismatches)
            raise _not_vits(folder, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}") from exc
        try:
            tokenizer("hello")  # a tokenizer that phonemizes needs a package this server may not have
        except ImportError as exc:
            raise AuteurError(f"the voice model {_short(folder)} needs the {exc.name or 'phonemizer'} package to read "
                              "text", "install it in Auteur's environment, or use a character-level model such as "
                              "facebook/mms-tts-eng") from exc
        model.eval()
        if torch.cuda.is_available():
            model.to("cuda")
        return model, tokenizer

    def speak(self, text: str, profile: VoiceProfile) -> tuple[np.ndarray, int]:
        import torch

        model, tokenizer = self.load(profile.model)
        inputs = tokenizer(text, return_tensors="pt")
        if inputs["input_ids"].shape[-1] == 0 or not bool((inputs["input_ids"] != tokenizer.pad_token_id).any()):
            raise AuteurError(f"the voice model has no letters for {text[:40]!r}",
                              "write the line in the model's language, or speak it with espeak-ng")
        inputs = {k: v.to(model.device) for k, v in inputs.items()}
        factor = pitch_factor(profile.pitch)
        model.speaking_rate = profile.rate / NEUTRAL_RATE / factor
        extra: dict[str, Any] = {}
        speakers = int(getattr(model.config, "num_speakers", 1) or 1)
        if speakers > 1 and profile.voice.isdigit():
            extra["speaker_id"] = int(profile.voice) % speakers
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            torch.manual_seed(sum(text.encode("utf-8")) % 2**31)  # the same line says the same way
            waveform = model(**inputs, **extra).waveform[0].float().cpu().numpy()
        rate = int(model.config.sampling_rate)
        played_at = max(100, int(round(rate * factor / 100.0)) * 100)  # a round rate keeps the resampling short
        return np.clip(waveform.astype(np.float32), -1.0, 1.0), played_at


# ---------------------------------------------------------------- which engine speaks a profile

def engine_for(profile: VoiceProfile, settings: Any = None) -> tuple[VoiceEngine, str]:
    """The engine for ``profile``, and a notice when it fell back to espeak-ng (a neural engine whose model is
    missing, is not a VITS model, or cannot load; an engine this build does not know)."""
    if profile.engine == ESPEAK:
        return EspeakEngine(), ""
    if profile.engine != VITS:
        return EspeakEngine(), f"the voice engine {profile.engine!r} is not one Auteur has; spoken with espeak-ng"
    engine = VitsEngine(settings)
    try:
        engine.load(profile.model)
    except AuteurError as exc:
        return EspeakEngine(), f"{exc.problem}; spoken with espeak-ng instead ({exc.fix})"
    except ImportError as exc:
        return EspeakEngine(), f"transformers cannot be loaded here ({exc.name}); spoken with espeak-ng instead"
    return engine, ""
