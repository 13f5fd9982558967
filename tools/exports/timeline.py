"""The cut as an editorial timeline: OpenTimelineIO, CMX 3600 EDL and Final Cut Pro 7 XML.

One clip per shot, in order, with its duration at the project's frame rate and a
reference to its media: the active clip, else the active board, else a missing
reference the editor can relink.

Under the picture, the sound as the cut's mix places it (tools.sound.placement): audio tracks "Dialogue"
(one clip per dialogue take, at its shot, gaps between), "Effects" (room tone and effects) and "Music", each
clip referring to its WAV take. Clips on one track cannot overlap, so a sound that overlaps another of its
kind (dual dialogue, an effect over the room tone) goes on a second track of that kind ("Effects 2"). A take
the mix loops (room tone or music shorter than its scene) is as many clips of the take, back to back; the mix's
crossfades are not written (the editor's own). Audio clips sit on whole frames (the mix is sample-accurate).

The CMX 3600 EDL keeps the picture only: its adapter writes one event list for one track, so the audio
tracks are dropped there (use the OTIO or FCP XML timeline, or the stems, for the sound).

The review notes of the latest cut (studio.review) are markers on the clip of their shot, at the note's time
within that shot (a note said of a shot: its first frame): an OTIO clip marker, an FCP XML `<marker>` inside the
`<clipitem>`, an EDL `* LOC:` line under the event. Open notes are red, done ones green; the marker's name is
"n3 look: her coat should be red" (the EDL writes comments in capitals).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.media import shot_frames
from studio.models import ShotList

ADAPTERS = {"otio": "otio_json", "edl": "cmx_3600", "fcpxml": "fcp_xml"}


@dataclass(frozen=True)
class AudioClip:
    """One sound on the timeline, in frames at the project's rate."""

    track: str  # Dialogue, Effects, Music
    name: str  # the key: S01_SH003, S01_AMB, M01
    path: Path  # the WAV take
    start: int  # first frame on the timeline
    frames: int
    source_start: int  # first frame within the take
    take_frames: int  # the take's length
    temp: bool = False
    loop: int = 1  # which pass of a looped take (FCP XML folds clips that are alike into one: they must differ)


TRACK_NAMES = {"dialogue": "Dialogue", "effects": "Effects", "music": "Music"}
NOTE_COLORS = {"open": "RED", "done": "GREEN", "declined": "BLACK"}


@dataclass(frozen=True)
class NoteMarker:
    """One review note as a marker on its shot's clip."""

    code: str  # the shot: S02_SH003
    offset: float  # seconds into the shot
    name: str  # "n3 look: her coat should be red"
    color: str  # an OTIO MarkerColor name
    meta: dict


def note_markers(store) -> list[NoteMarker]:
    """The notes of the project's latest cut as markers (none without a cut or notes). A note's time is kept
    as its distance into its shot, so it stays on the same moment of the shot when other shots change length."""
    from studio.media import Cut
    from studio.review import spans
    from studio.stages import Stage

    cut = store.read(Stage.CUT)
    if not isinstance(cut, Cut):
        return []
    starts = {code: start for code, start, _, _ in spans(cut)}
    out = []
    for note in store.review_notes().of_cut(cut.version):
        offset = max(0.0, note.at - starts.get(note.code, 0.0)) if note.at is not None else 0.0
        out.append(NoteMarker(note.code, offset, marker_name(f"{note.id} {note.category.value}: {note.text}"),
                              NOTE_COLORS.get(note.status, "RED"),
                              {"note": note.id, "category": note.category.value, "agent": note.agent,
                               "status": note.status, "cut": note.cut, "at": note.at, "result": note.result}))
    return out


def marker_name(text: str) -> str:
    """A marker's name on one line of plain characters: the notes are checked when read, and this guards the
    files again, since a newline would forge an EDL line and an ESC or a NUL is no character XML 1.0 can hold."""
    from studio.review import plain

    spaced = "".join(" " if c.isspace() else c for c in text)
    return " ".join("".join(c for c in spaced if plain(c)).split())[:200]


def _marker(otio, note: NoteMarker, frames: int, fps: float):
    """The note on its clip: a point marker inside the clip's frames."""
    at = min(max(0, round(note.offset * fps)), frames - 1)
    return otio.schema.Marker(name=note.name, color=note.color, metadata={"auteur": note.meta},
                              marked_range=otio.opentime.TimeRange(otio.opentime.RationalTime(at, fps),
                                                                   otio.opentime.RationalTime(0, fps)))


def audio_clips(store, shots: ShotList, fps: float) -> list[AudioClip]:
    """The project's active sound takes as timeline clips (none when it has no sound plan)."""
    from memory import layout as project_layout

    if not (store.path / project_layout.SOUND_PLAN).is_file():
        return []
    from studio.sound import SAMPLE_RATE
    from tools.sound.placement import layout

    def frame(sample: int) -> int:
        return round(sample * fps / SAMPLE_RATE)

    clips = []
    for sp in layout(store, shots, fps).spans:
        take = max(1, frame(sp.samples))
        first, last = frame(sp.start), max(frame(sp.start) + 1, frame(sp.end))
        pos, loop = first, 1
        while pos < last:  # a looped take: one clip per pass
            n = min(take, last - pos)
            clips.append(AudioClip(TRACK_NAMES[sp.track.value], sp.key, store.path / sp.path, pos, n, 0, take,
                                   sp.temp, loop))
            pos, loop = pos + n, loop + 1
    return clips


def _lanes(clips: list[AudioClip]) -> list[tuple[str, list[AudioClip]]]:
    """Tracks of clips that do not overlap: a clip goes on the first track of its kind that is free."""
    out: list[tuple[str, list[AudioClip]]] = []
    for kind in TRACK_NAMES.values():
        lanes: list[list[AudioClip]] = []
        # room tone first, so it keeps the first effects track and spot effects go over it
        for clip in sorted((c for c in clips if c.track == kind), key=lambda c: (not c.name.endswith("_AMB"),
                                                                                   c.start)):
            lane = next((lane for lane in lanes if all(c.start >= clip.start + clip.frames
                                                       or c.start + c.frames <= clip.start for c in lane)), None)
            if lane is None:
                lane = []
                lanes.append(lane)
            lane.append(clip)
        for i, lane in enumerate(lanes):
            out.append((kind if i == 0 else f"{kind} {i + 1}", sorted(lane, key=lambda c: c.start)))
    return out


def _audio_track(otio, name: str, clips: list[AudioClip], fps: float):
    track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Audio)
    pos = 0
    for c in clips:
        if c.start > pos:
            track.append(otio.schema.Gap(duration=otio.opentime.RationalTime(c.start - pos, fps)))
        available = otio.opentime.TimeRange(otio.opentime.RationalTime(0, fps),
                                            otio.opentime.RationalTime(max(c.take_frames, c.source_start + c.frames),
                                                                       fps))
        ref = otio.schema.ExternalReference(target_url=c.path.resolve().as_uri(), available_range=available)
        used = otio.opentime.TimeRange(otio.opentime.RationalTime(c.source_start, fps),
                                       otio.opentime.RationalTime(c.frames, fps))
        track.append(otio.schema.Clip(name=c.name, media_reference=ref, source_range=used,
                                      metadata={"auteur": {"sound": c.name, "temp": c.temp, "pass": c.loop}}))
        pos = c.start + c.frames
    return track


def build_timeline(shots: ShotList, media: dict[str, Path], *, fps: float, name: str,
                   audio: list[AudioClip] | None = None, notes: list[NoteMarker] | None = None):
    import opentimelineio as otio

    timeline = otio.schema.Timeline(name=name)
    timeline.global_start_time = otio.opentime.RationalTime(0, fps)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    for s in shots.shots:
        frames = shot_frames(s.duration_s, fps)  # as the cut lays it out, so a note lands on its frame
        available = otio.opentime.TimeRange(otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(frames, fps))
        path = media.get(s.code)
        if path is not None:
            ref = otio.schema.ExternalReference(target_url=path.resolve().as_uri(), available_range=available)
        else:
            ref = otio.schema.MissingReference(available_range=available)
        clip = otio.schema.Clip(name=s.code, media_reference=ref, source_range=available,
                                metadata={"auteur": {"scene": s.scene, "shot": s.number, "size": s.size.value,
                                                     "action": s.action[:200]}})
        clip.markers.extend(_marker(otio, n, frames, fps) for n in notes or [] if n.code == s.code)
        track.append(clip)
    for lane_name, lane in _lanes(audio or []):
        timeline.tracks.append(_audio_track(otio, lane_name, lane, fps))
    return timeline


def write_timeline(timeline, path: Path, kind: str) -> None:
    import opentimelineio as otio

    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "edl":  # one event list of the picture: the adapter writes no sound (see the module's words)
        timeline = timeline.deepcopy()
        for track in [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]:
            timeline.tracks.remove(track)
    otio.adapters.write_to_file(timeline, str(path), adapter_name=ADAPTERS[kind])


def read_timeline(path: Path, kind: str, fps: float):
    import opentimelineio as otio

    kwargs = {"rate": fps} if kind == "edl" else {}
    return otio.adapters.read_from_file(str(path), adapter_name=ADAPTERS[kind], **kwargs)
