"""The CPU backends (sketch boards, animatic clips) and `Backends`, the renderers by name."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Mapping

from studio.errors import AuteurError
from studio.models import Shot, ShotSize
from studio.render import ANIMATIC, SKETCH, Cancelled, JobCancelled, Progress, RenderKind, RenderOutput, RenderRequest


class SketchBackend:
    """A storyboard panel drawn from the shot spec (tools.render.sketch)."""

    name = SKETCH

    def render(self, request: RenderRequest, progress: Progress, cancelled: Cancelled) -> RenderOutput:
        from studio.render import frame_height
        from tools.render.sketch import render_sketch

        if request.kind is RenderKind.CLIP:
            raise AuteurError("the sketch renderer draws boards, not clips", "render clips with the animatic")
        request.check()
        if cancelled():
            raise JobCancelled()
        started = time.perf_counter()
        shot = request.shot or Shot(scene=1, number=1, size=ShotSize.MS, action=request.prompt[:1000],
                                    characters=[c for c in [request.heading] if c])
        aspect = request.width / request.height
        png = render_sketch(shot, width=request.width, aspect=aspect, heading=request.heading)
        progress(1.0, "drawn")
        frame_h = frame_height(request.width, aspect)
        return RenderOutput(data=png, suffix=".png", model=SKETCH,
                            parameters={"renderer": SKETCH, "width": request.width, "aspect": round(aspect, 4),
                                        "frame_box": [0, 0, request.width, frame_h]},
                            timings={"render_s": round(time.perf_counter() - started, 3)})


class AnimaticBackend:
    """The keyframe moved by the shot's camera and encoded H.264 (tools.render.animatic)."""

    name = ANIMATIC

    def render(self, request: RenderRequest, progress: Progress, cancelled: Cancelled) -> RenderOutput:
        from PIL import Image

        from tools.render.animatic import frame_count, render_animatic

        if request.kind is not RenderKind.CLIP:
            raise AuteurError("the animatic renderer makes clips, not images", "draw boards with the sketch renderer")
        if request.shot is None:
            raise AuteurError("an animatic clip needs its shot", "render clips for shots of the shot list")
        if not request.init_image:
            raise AuteurError(f"{request.shot.code} has no board to move over",
                              "draw its board first (`auteur render boards`)")
        request.check()
        started = time.perf_counter()
        with Image.open(request.init_image) as img:
            key = img.convert("RGB")
            if request.init_box:
                left, top, right, bottom = request.init_box
                key = key.crop((left, top, right, bottom))
        duration = request.duration_s
        mp4 = render_animatic(key, request.shot, fps=request.fps, size=(request.width, request.height),
                              duration_s=duration, seed=request.seed, progress=progress, cancelled=cancelled)
        return RenderOutput(data=mp4, suffix=".mp4", model=ANIMATIC,
                            parameters={"renderer": ANIMATIC, "width": request.width, "height": request.height,
                                        "fps": request.fps, "frames": frame_count(duration, request.fps),
                                        "duration_s": duration, "movement": request.shot.movement.value,
                                        "keyframe": request.init_image.rsplit("/", 1)[-1]},
                            timings={"render_s": round(time.perf_counter() - started, 3)})


class Backends:
    """The renderers by name, each made on first use and kept loaded between jobs (a pipeline loads once).

    The composition root (config.container) makes one for its process and hands it to the job executor.
    """

    def __init__(self, makers: Mapping[str, Callable[[], Any]]) -> None:
        self._makers = dict(makers)
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def standard(cls, settings) -> Backends:
        """Sketch and animatic on the CPU, and diffusers (imported when a job first asks for it)."""

        def diffusers():
            from tools.render.diffusers import DiffusersBackend

            return DiffusersBackend(settings)

        return cls({SKETCH: SketchBackend, ANIMATIC: AnimaticBackend, "diffusers": diffusers})

    def __getitem__(self, name: str):
        """The backend called ``name``, or an error that lists the ones there are."""
        with self._lock:
            if name not in self._loaded:
                make = self._makers.get(name)
                if make is None:
                    *first, last = self._makers
                    raise AuteurError(f"there is no renderer {name!r}", f"use {', '.join(first)} or {last}")
                self._loaded[name] = make()
            return self._loaded[name]
