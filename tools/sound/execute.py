"""Run one sound job: speak a dialogue shot's lines, or make a cue's room tone, effect or score; store the take.

Called by tools.render.execute.execute_job for a RenderKind.SOUND job, in the studio's process or on a Celery
worker. Idempotent by job id: a take whose sidecar carries the job's id is the job done. Nothing half-made is
kept: the WAV and its sidecar are written in one commit, after the sound is whole.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from config.settings import Settings
from studio.errors import AuteurError
from studio.project import Author
from studio.render import Cancelled, JobCancelled, JobSpec, Progress
from studio.sound import SAMPLE_RATE, TEMP_LABEL, TEMP_SOUND, SoundCue, SoundTake, SpokenLine, Track, VoiceProfile

log = logging.getLogger("auteur.sound")
QUEUED = "this job was queued for"


def execute_sound(store, spec: JobSpec, settings: Settings, progress: Progress, cancelled: Cancelled, *,
                  job_id: str | None = None) -> str:
    """Render ``spec`` and store it as the key's next sound take; returns the take's path in the project."""
    from memory.sound_takes import SoundTakes
    from memory.takes import on_branch

    on_branch(store, spec.branch, QUEUED)  # early, to spare a render; checked again with the write
    takes = SoundTakes(store)
    key = spec.subject
    done = takes.find_job(key, job_id or spec.id)
    if done is not None:
        log.info("sound job %s was done before: %s", spec.id, done.path)
        return done.path
    track = Track(spec.parameters.get("track", Track.EFFECTS.value))
    progress(0.0, f"rendering sound {key}")
    started = time.perf_counter()
    if track is Track.DIALOGUE:
        samples, take = _speak(spec, settings)
    else:
        samples, take = _cue(spec, settings)
    take.timings = {"render_s": round(time.perf_counter() - started, 3)}
    take.job_id = job_id or spec.id
    if cancelled():
        raise JobCancelled(spec.id)
    from tools.sound.wav import wav_bytes

    data = wav_bytes(samples, SAMPLE_RATE, bits=16)
    with store._lock():  # one check-and-add, so two workers never both add the job's take
        done = takes.find_job(key, job_id or spec.id)
        if done is not None:
            return done.path
        activate = spec.activate or replaces_stale(takes, key, spec.parameters.get("made_from"),
                                                        spec.parameters.get("seconds"))
        made = takes.add(take, data, author=Author.agent("Producer"), activate=activate, branch=spec.branch)
    progress(1.0, f"{made.path} saved")
    return made.path


def replaces_stale(takes, key: str, made: object, seconds: object = None) -> bool:
    """Whether the new take becomes active when nobody asked: the active one is not the sound the project asks
    for now (tools.sound.plan.current, the rule the plan rendered it by: other lines, voices or prompt, or too
    short for its cue's span), so redoing stale sound brings the film up to date; never over the person's choice."""
    from memory.sound_takes import read_plan
    from tools.sound.plan import current

    if key in read_plan(takes.store).chosen:
        return False
    asked = float(seconds) if isinstance(seconds, (int, float)) else None
    return current(takes, key, made, asked) != ""


def _speak(spec: JobSpec, settings: Settings) -> tuple[np.ndarray, SoundTake]:
    """A dialogue shot's lines in its characters' voices (tools.sound.speak.speak_shot)."""
    from tools.sound.speak import speak_shot

    lines = [SpokenLine.model_validate(ln) for ln in spec.parameters.get("lines", [])]
    voices = {name: VoiceProfile.model_validate(v) for name, v in (spec.parameters.get("voices") or {}).items()}
    if not lines:
        raise AuteurError(f"{spec.subject} has no line to say", "write the shot's dialogue, then render the sound")
    samples, said, notices = speak_shot(lines, voices, settings)
    samples = _checked(samples, spec.subject)
    engines = sorted({str(s.get("engine", "")) for s in said if s.get("engine")}) or [spec.model]
    params = {k: v for k, v in spec.parameters.items() if k not in ("lines", "voices")}
    if notices:
        params["fallback"] = "; ".join(notices)[:1000]
    voice_text = "; ".join(f"{name}: {profile.text}" for name, profile in voices.items())
    text = "\n".join(f"{ln.speaker}: {ln.text}" for ln in lines)
    take = SoundTake(key=spec.subject, track=Track.DIALOGUE, number=1, path="pending.wav",
                     seconds=round(len(samples) / SAMPLE_RATE, 3), engine="+".join(engines), voice=voice_text[:2000],
                     text=text[:40000], lines=said, seed=spec.seed, parameters=params)
    return samples, take


def _cue(spec: JobSpec, settings: Settings) -> tuple[np.ndarray, SoundTake]:
    """A room tone, an effect or a stretch of score: a diffusers audio pipeline where the job names one and it
    works here, else the CPU temp track (labelled, and the reason kept in the take)."""
    cue = SoundCue.model_validate(spec.parameters["cue"])
    seconds = float(spec.parameters.get("seconds") or 1.0)
    params = {k: v for k, v in spec.parameters.items() if k != "cue"}
    samples: np.ndarray | None = None
    engine = TEMP_SOUND
    if spec.parameters.get("renderer") == "diffusers":
        from tools.sound.plan import audio_unusable

        why = audio_unusable(spec.model, settings)  # a worker checks its own GPU and model (Celery)
        if why:
            params["fallback"] = f"{why}: a CPU temp track instead"[:1000]
        else:
            try:
                samples, engine = _generated(spec, seconds, settings), spec.model
            except AuteurError as exc:
                params["fallback"] = f"{exc.problem}: a CPU temp track instead ({exc.fix})"[:1000]
                log.warning("sound %s falls back to the temp track: %s", spec.subject, exc.problem)
    temp = samples is None
    if samples is None:
        from tools.sound.synth import temp_sound

        span = float(spec.parameters.get("span_s") or seconds)  # a generated cue is asked for less; a temp one is whole
        samples = temp_sound(cue, span, spec.seed, heading=str(spec.parameters.get("heading", "")))
    samples = _checked(samples, spec.subject)
    prompt = f"{TEMP_LABEL}: {cue.prompt}" if temp else cue.prompt
    take = SoundTake(key=spec.subject, track=cue.kind.track, number=1, path="pending.wav",
                     seconds=round(len(samples) / SAMPLE_RATE, 3), engine=engine, prompt=prompt[:2000], temp=temp,
                     seed=spec.seed, parameters=params)
    return samples, take


def _generated(spec: JobSpec, seconds: float, settings: Settings) -> np.ndarray:
    from tools.sound.audio_diffusers import DiffusersAudio
    from tools.sound.wav import mono, resample

    samples, rate, _ = DiffusersAudio(settings).render(spec.prompt, seconds, spec.seed, spec.model)
    return resample(mono(np.asarray(samples, dtype=np.float32)), rate, SAMPLE_RATE)


def _checked(samples: np.ndarray, key: str) -> np.ndarray:
    """Mono float32 with sound in it: silence is never stored as a take."""
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1).astype(np.float32)
    if x.size == 0 or not np.isfinite(x).all() or float(np.max(np.abs(x))) < 1e-4:
        raise AuteurError(f"the sound of {key} came out silent", "render it again; if it stays silent, check the "
                                                                 "voice or the cue's prompt (/voice, /takes)")
    return x
