"""The cut as an editorial timeline: OpenTimelineIO, CMX 3600 EDL and Final Cut Pro 7 XML.

One clip per shot, in order, with its duration at the project's frame rate and a
reference to its media: the active clip, else the active board, else a missing
reference the editor can relink.
"""

from __future__ import annotations

from pathlib import Path

from studio.models import ShotList

ADAPTERS = {"otio": "otio_json", "edl": "cmx_3600", "fcpxml": "fcp_xml"}


def build_timeline(shots: ShotList, media: dict[str, Path], *, fps: float, name: str):
    import opentimelineio as otio

    timeline = otio.schema.Timeline(name=name)
    timeline.global_start_time = otio.opentime.RationalTime(0, fps)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    for s in shots.shots:
        frames = max(1, round(s.duration_s * fps))
        available = otio.opentime.TimeRange(otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(frames, fps))
        path = media.get(s.code)
        if path is not None:
            ref = otio.schema.ExternalReference(target_url=path.resolve().as_uri(), available_range=available)
        else:
            ref = otio.schema.MissingReference(available_range=available)
        clip = otio.schema.Clip(name=s.code, media_reference=ref, source_range=available,
                                metadata={"auteur": {"scene": s.scene, "shot": s.number, "size": s.size.value,
                                                     "action": s.action[:200]}})
        track.append(clip)
    return timeline


def write_timeline(timeline, path: Path, kind: str) -> None:
    import opentimelineio as otio

    path.parent.mkdir(parents=True, exist_ok=True)
    otio.adapters.write_to_file(timeline, str(path), adapter_name=ADAPTERS[kind])


def read_timeline(path: Path, kind: str, fps: float):
    import opentimelineio as otio

    kwargs = {"rate": fps} if kind == "edl" else {}
    return otio.adapters.read_from_file(str(path), adapter_name=ADAPTERS[kind], **kwargs)
