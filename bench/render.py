"""Seconds per board, clip, sound take and cut for the CPU renderers, and (on a GPU) per generated image.

Imports the bundled sample screenplay into a temporary workspace, drafts its
shots with the scripted fake model, then times the sketch boards, the animatic
clips, the sound (espeak-ng voices, the CPU temp effects and score, the mix) and the cut through the same job
runner the studio uses, and prints the real-time factor of the whole previz (seconds of film per second of
rendering; --scenes 8 renders the clips of every scene). On a machine
with CUDA it then runs bench/render_gpu.py (SDXL and FLUX-schnell architectures,
our settings beside plain diffusers defaults). Prints a table; not a test.
Run: .venv/bin/python bench/render.py [--scenes 2] [--no-gpu]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=2, help="how many scenes of the sample to render")
    ap.add_argument("--no-gpu", action="store_true", help="skip the GPU part even where CUDA is present")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="auteur-render-bench-") as tmp:
        os.environ.update(AUTEUR_WORKSPACE=str(Path(tmp) / "ws"), AUTEUR_MODEL="fake/schema", AUTEUR_MEMORY="off",
                          AUTEUR_USER_NAME="Bench")
        cpu(args.scenes)
    if not args.no_gpu:
        import torch

        if torch.cuda.is_available():
            from bench.render_gpu import main as gpu_main

            sys.argv = [sys.argv[0]]
            gpu_main()
        else:
            print("\nGPU: no CUDA device here; run this on a GPU machine for the diffusers figures.")


def cpu(scenes: int) -> None:
    from config.container import Container
    from studio.render import RenderKind
    from studio.stages import Stage

    container = Container()
    session = container.session(auto_approve=True)
    sample = (REPO / "studio/samples/night_shift.fountain").read_bytes()
    list(session.handle(__import__("studio.engine.events").engine.events.Turn(upload=("night_shift.fountain", sample))))
    list(session.run_until(Stage.SHOTS))
    store = session.store
    service = container.render_service()
    rows = []
    walls: dict[str, float] = {}
    for kind, label in ((RenderKind.BOARD, "board (sketch)"), (RenderKind.CLIP, "clip (animatic)")):
        times, seconds_of_film, wall = [], 0.0, 0.0
        for scene in range(1, scenes + 1):
            plan = service.plan(store, kind, scene=scene, tier="sketch")
            started = time.perf_counter()
            batch = service.run(store, kind, scene=scene, tier="sketch", prepared=plan)
            wall += time.perf_counter() - started
            for state in batch.states:
                took = store.takes(state.spec.scene, state.spec.shot)
                take = next(t for t in took if t.path == state.take)
                times.append(float(take.timings.get("render_s", 0.0)))
                seconds_of_film += float(state.spec.parameters.get("duration_s", 0.0))
        walls[kind.value] = wall
        note = f"{wall / len(times):.2f} s a shot with its commit"
        if kind is RenderKind.CLIP:
            note += f"; {seconds_of_film / sum(times):.1f} s of film per render second"
        rows.append((label, len(times), statistics.median(times), max(times), note))
    # The cut holds boards where a scene has no clips: draw the rest first.
    started = time.perf_counter()
    for scene in range(scenes + 1, len(store.breakdown().scenes) + 1):
        service.run(store, RenderKind.BOARD, scene=scene, tier="sketch")
    walls["board"] += time.perf_counter() - started
    rows += sound(service, store, walls)
    started = time.perf_counter()
    cut = service.cut(store)
    took = time.perf_counter() - started
    walls["cut"] = took
    rows.append(("cut (all shots)", 1, took, took, f"{cut.duration_s:.0f} s of film, {len(cut.entries)} shots, "
                                                   f"{cut.duration_s / took:.1f} s of film per second"
                                                   + (f", mixed to {cut.audio.integrated_lufs:.1f} LUFS"
                                                      if cut.audio else ", silent")))
    print(f"CPU renderers ({os.cpu_count()} cores), sample screenplay 'Night Shift', {scenes} scenes rendered")
    print(f"{'what':<18} {'n':>4} {'p50 s':>8} {'max s':>8}  note (p50/max: the renderer alone)")
    for label, n, p50, worst, note in rows:
        print(f"{label:<18} {n:>4} {p50:>8.3f} {worst:>8.3f}  {note}")
    total = sum(walls.values())
    whole = "the whole previz" if scenes >= len(store.breakdown().scenes) else \
        f"clips of {scenes} of {len(store.breakdown().scenes)} scenes (--scenes 8 for the whole previz)"
    print(f"real-time factor: {cut.duration_s:.0f} s of film in {total:.0f} s of rendering "
          f"(boards {walls['board']:.0f} s, clips {walls['clip']:.0f} s, sound {walls['sound']:.0f} s, "
          f"cut {walls['cut']:.0f} s) = {cut.duration_s / total:.2f}x real time, {whole}")


def sound(service, store, walls: dict[str, float]) -> list[tuple]:
    """Voices (seconds per line), the temp effects and score (per second of sound), the mix (per minute of cut)."""
    from memory.sound_takes import SoundTakes
    from studio.render import RenderKind
    from studio.stages import Stage
    from tools.sound.master import master
    from tools.sound.mix import build_mix

    plan = service.sound_plan(store)
    started = time.perf_counter()
    batch = service.run(store, RenderKind.SOUND, prepared=plan)
    walls["sound"] = time.perf_counter() - started
    takes = SoundTakes(store)
    per_line, cue_rate, lines, words, sound_s = [], [], 0, 0, 0.0
    for state in batch.states:
        take = next((t for t in takes.list(state.spec.subject) if t.path == state.take), None)
        if take is None:
            continue
        render_s = float(take.timings.get("render_s", 0.0))
        if take.track.value == "dialogue":
            per_line.append(render_s / max(1, len(take.lines)))
            lines += len(take.lines)
            words += sum(len(str(ln.get("text", "")).split()) for ln in take.lines)
        else:
            cue_rate.append(render_s / max(0.001, take.seconds))
            sound_s += take.seconds
    rows = [("voice (espeak-ng)", lines, statistics.median(per_line or [0.0]), max(per_line or [0.0]),
             f"s per line; {words} words; {walls['sound']:.1f} s for all {len(batch.states)} sound takes with commits"),
            ("temp sound (CPU)", len(cue_rate), statistics.median(cue_rate or [0.0]), max(cue_rate or [0.0]),
             f"s per second of sound; {sound_s:.0f} s of room tone, effects and score")]
    shots = store.read(Stage.SHOTS)
    settings = store.manifest().settings
    started = time.perf_counter()
    mix = build_mix(store, shots, settings.fps)
    master(mix, settings.loudness_lufs, settings.true_peak_db)
    took = time.perf_counter() - started
    minutes = sum(s.duration_s for s in shots.shots) / 60
    rows.append(("mix + master", 1, took, took, f"{took / minutes:.1f} s per minute of cut ({minutes:.1f} min)"))
    return rows

if __name__ == "__main__":
    main()
