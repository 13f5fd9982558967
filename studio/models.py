"""The film model: typed artifacts that every stage reads and writes.

Over 400 lines on purpose: it is one vocabulary (brief to shot list, shot sizes to prompts) that is read
together, and nearly every line is a field declaration; split, a reader would chase it across files."""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from pydantic import Field, model_validator

from studio.base import Model as Model
# Takes, the cut and the exports live in studio.media (a take may be an image or a clip; sound takes are
# studio.sound's); their names stay importable from here.
from studio.media import TAKE_EXTENSIONS as TAKE_EXTENSIONS
from studio.media import ActiveTakes as ActiveTakes
from studio.media import Cut as Cut
from studio.media import CutAudio as CutAudio
from studio.media import CutEntry as CutEntry
from studio.media import ExportRecord as ExportRecord
from studio.media import Exports as Exports
from studio.media import Take as Take
from studio.media import TakeKind as TakeKind
from studio.media import shot_code as shot_code
from studio.media import take_name as take_name
from studio.sound import VoiceProfile

ShortText = Field(default="", max_length=500)




# ---------------------------------------------------------------- brief


class AspectRatio(str, Enum):
    SCOPE = "2.39:1"
    FLAT = "1.85:1"
    HD = "16:9"
    ACADEMY = "4:3"
    SQUARE = "1:1"
    VERTICAL = "9:16"

    @property
    def value_float(self) -> float:
        w, h = self.value.split(":")
        return float(w) / float(h)


MAX_RUNTIME_MINUTES = 300


class Brief(Model):
    """Stage 1: what the film is, before anyone writes it."""

    title: str = Field(default="", max_length=200)
    logline: str = Field(default="", max_length=600)
    genre: str = Field(default="", max_length=100)
    tone: str = Field(default="", max_length=200)
    runtime_minutes: float = Field(default=5.0, gt=0, le=MAX_RUNTIME_MINUTES)
    aspect_ratio: AspectRatio = AspectRatio.FLAT
    references: list[str] = Field(default_factory=list, max_length=20)
    credit: str = Field(default="", max_length=100)
    authors: list[str] = Field(default_factory=list, max_length=10)
    source: str = Field(default="", max_length=300)
    draft_date: str = Field(default="", max_length=100)
    contact: str = Field(default="", max_length=500)
    imported_from: str | None = Field(default=None, description="file name of an imported script")

    def is_empty(self) -> bool:
        return not (self.logline or self.genre or self.tone or self.references or self.imported_from)


# ---------------------------------------------------------------- treatment


class TreatmentVariant(Model):
    title: str = Field(default="", max_length=200)
    logline: str = Field(default="", max_length=600)
    text: str = Field(default="", max_length=20000)
    sources: list[str] = Field(default_factory=list, max_length=200)  # passages of an adapted story it tells


class Treatment(Model):
    """Stage 2: a prose treatment, offered as variants; one is chosen."""

    variants: list[TreatmentVariant] = Field(default_factory=list, max_length=5)
    chosen: int | None = Field(default=None, ge=0, description="index into variants")

    @model_validator(mode="after")
    def _chosen_in_range(self) -> Treatment:
        if self.chosen is not None and self.chosen >= len(self.variants):
            raise ValueError(f"chosen variant {self.chosen + 1} does not exist; there are {len(self.variants)}")
        return self

    @property
    def active(self) -> TreatmentVariant | None:
        if self.chosen is None:
            return self.variants[0] if len(self.variants) == 1 else None
        return self.variants[self.chosen]


# ---------------------------------------------------------------- beats


class Structure(str, Enum):
    THREE_ACT = "three-act"
    SAVE_THE_CAT = "save-the-cat"
    HEROS_JOURNEY = "heros-journey"
    STORY_CIRCLE = "story-circle"


STRUCTURE_BEATS: dict[Structure, tuple[str, ...]] = {
    Structure.THREE_ACT: (
        "Setup", "Inciting Incident", "Plot Point One", "Rising Action", "Midpoint",
        "Plot Point Two", "Climax", "Resolution",
    ),
    Structure.SAVE_THE_CAT: (
        "Opening Image", "Theme Stated", "Set-Up", "Catalyst", "Debate", "Break into Two",
        "B Story", "Fun and Games", "Midpoint", "Bad Guys Close In", "All Is Lost",
        "Dark Night of the Soul", "Break into Three", "Finale", "Final Image",
    ),
    Structure.HEROS_JOURNEY: (
        "Ordinary World", "Call to Adventure", "Refusal of the Call", "Meeting the Mentor",
        "Crossing the Threshold", "Tests, Allies, Enemies", "Approach to the Inmost Cave",
        "The Ordeal", "Reward", "The Road Back", "Resurrection", "Return with the Elixir",
    ),
    Structure.STORY_CIRCLE: (
        "You", "Need", "Go", "Search", "Find", "Take", "Return", "Change",
    ),
}


class Beat(Model):
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=2000)
    act: int = Field(default=1, ge=1, le=5)
    sources: list[str] = Field(default_factory=list, max_length=40)  # passages of an adapted story it tells


class BeatSheet(Model):
    """Stage 3: the story's beats on a named structure."""

    structure: Structure = Structure.THREE_ACT
    beats: list[Beat] = Field(default_factory=list, max_length=40)

    def missing_beats(self) -> list[str]:
        names = {b.name.lower() for b in self.beats}
        return [n for n in STRUCTURE_BEATS[self.structure] if n.lower() not in names]


# ---------------------------------------------------------------- script and scenes


IntExt = Literal["INT", "EXT", "INT/EXT", "EST"]


class Scene(Model):
    """One scene of the breakdown, as parsed from the script."""

    number: int = Field(ge=1, description="position in the script, 1-based")
    scene_number: str = Field(description="the number as printed: '#12A#' gives '12A'")
    heading: str
    int_ext: IntExt | None = None
    location: str = ""
    time_of_day: str | None = None
    characters: list[str] = Field(default_factory=list, description="speaking characters, normalised")
    introduced: list[str] = Field(default_factory=list, description="characters introduced in action")
    props: list[str] = Field(default_factory=list)
    dialogue_count: int = 0
    lines: int = Field(default=0, description="printed lines in screenplay layout")
    eighths: int = Field(default=1, ge=1, description="length in eighths of a page")
    seconds: float = Field(default=0.0, ge=0, description="estimated screen time")
    synopsis: str = ""

    @property
    def page_length(self) -> str:
        return format_eighths(self.eighths)


def format_eighths(eighths: int) -> str:
    """12 → '1 4/8': the way a breakdown sheet writes a scene's length."""
    pages, rest = divmod(eighths, 8)
    if pages and rest:
        return f"{pages} {rest}/8"
    if pages:
        return str(pages)
    return f"{rest}/8"


class Script(Model):
    """Stage 4: the screenplay. The Fountain text is the artifact; the rest is derived."""

    fountain: str
    title: str = ""
    pages: float = 0.0
    runtime_seconds: float = 0.0
    scene_count: int = 0


class Breakdown(Model):
    """Stage 5: scenes parsed from the script."""

    scenes: list[Scene] = Field(default_factory=list)
    characters: list[str] = Field(default_factory=list, description="every speaking character, in order")
    locations: list[str] = Field(default_factory=list)
    total_eighths: int = 0
    total_seconds: float = 0.0


# ---------------------------------------------------------------- look


class Character(Model):
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=2000)
    visual: str = Field(default="", max_length=600, description="descriptors fit for an image prompt")
    age: str = Field(default="", max_length=50)
    wardrobe: str = Field(default="", max_length=400)
    hair: str = Field(default="", max_length=200)
    reference_takes: list[str] = Field(default_factory=list)
    lora: str | None = None
    trigger_word: str | None = None
    voice: VoiceProfile | None = Field(default=None, description="the voice cast for the character (studio.sound)")
    person: list[str] = Field(default_factory=list, max_length=20, description="the fields a person set")


class Location(Model):
    name: str = Field(max_length=200)
    int_ext: IntExt | None = None
    description: str = Field(default="", max_length=2000)
    visual: str = Field(default="", max_length=600)
    reference_takes: list[str] = Field(default_factory=list)
    person: list[str] = Field(default_factory=list, max_length=20, description="the fields a person set")


class Prop(Model):
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=1000)
    visual: str = Field(default="", max_length=400)
    scenes: list[int] = Field(default_factory=list)
    person: list[str] = Field(default_factory=list, max_length=20, description="the fields a person set")


class StyleCapsule(Model):
    name: str = Field(default="house style", max_length=100)
    medium: str = Field(default="", max_length=200, description="e.g. 35mm film, pencil storyboard")
    palette: str = Field(default="", max_length=300)
    lighting: str = Field(default="", max_length=300)
    camera: str = Field(default="", max_length=300)
    references: list[str] = Field(default_factory=list, max_length=20)
    positive: str = Field(default="", max_length=600, description="words added to every prompt")
    negative: str = Field(default="", max_length=600, description="words kept out of every image")
    person: list[str] = Field(default_factory=list, max_length=20, description="the fields a person set")


class CharacterState(Model):
    """How a character looks in one scene: carried forward until the script changes it."""

    wardrobe: str = Field(default="", max_length=200)
    injuries: str = Field(default="", max_length=200)
    dirt: str = Field(default="", max_length=200)
    holding: str = Field(default="", max_length=200)


class PropState(Model):
    condition: str = Field(default="", max_length=200)
    held_by: str = Field(default="", max_length=100)


class SceneState(Model):
    """The state of every character and prop present in a scene."""

    scene: int = Field(ge=1)
    characters: dict[str, CharacterState] = Field(default_factory=dict)
    props: dict[str, PropState] = Field(default_factory=dict)


class Look(Model):
    """Stage 6: characters, locations, props, the style capsule and per-scene continuity."""

    characters: list[Character] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    props: list[Prop] = Field(default_factory=list)
    style: StyleCapsule = Field(default_factory=StyleCapsule)
    states: list[SceneState] = Field(default_factory=list)

    def character(self, name: str) -> Character | None:
        return next((c for c in self.characters if c.name.upper() == name.upper()), None)

    def location(self, name: str) -> Location | None:
        return next((loc for loc in self.locations if loc.name.upper() == name.upper()), None)

    def state(self, scene: int) -> SceneState | None:
        return next((s for s in self.states if s.scene == scene), None)


# ---------------------------------------------------------------- shots


class ShotSize(str, Enum):
    ECU = "ECU"
    CU = "CU"
    MCU = "MCU"
    MS = "MS"
    MLS = "MLS"
    WS = "WS"
    EWS = "EWS"


SHOT_SIZE_NAMES: dict[ShotSize, str] = {
    ShotSize.ECU: "extreme close-up",
    ShotSize.CU: "close-up",
    ShotSize.MCU: "medium close-up",
    ShotSize.MS: "medium shot",
    ShotSize.MLS: "medium long shot",
    ShotSize.WS: "wide shot",
    ShotSize.EWS: "extreme wide shot",
}


class Angle(str, Enum):
    EYE_LEVEL = "eye-level"
    HIGH = "high"
    LOW = "low"
    OVERHEAD = "overhead"
    DUTCH = "dutch"
    OVER_THE_SHOULDER = "over-the-shoulder"
    POV = "pov"


class Movement(str, Enum):
    STATIC = "static"
    PAN = "pan"
    TILT = "tilt"
    DOLLY_IN = "dolly-in"
    DOLLY_OUT = "dolly-out"
    PUSH_IN = "push-in"
    PULL_OUT = "pull-out"
    TRACK = "track"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    HANDHELD = "handheld"
    CRANE = "crane"


ShotRole = Literal["", "establishing", "master", "dialogue", "action", "insert", "cutaway"]
_ROLE_PREFIXES: tuple[tuple[str, ShotRole], ...] = (
    ("establishing", "establishing"), ("master", "master"), ("insert", "insert"), ("cutaway", "cutaway"),
    ("action beat", "action"), ("single", "dialogue"), ("over ", "dialogue"))


class Shot(Model):
    """One shot of the shot list."""

    scene: int = Field(ge=1)
    number: int = Field(ge=1, description="shot number within the scene")
    size: ShotSize = ShotSize.MS
    angle: Angle = Angle.EYE_LEVEL
    movement: Movement = Movement.STATIC
    lens_mm: int = Field(default=35, ge=8, le=600)
    duration_s: float = Field(default=3.0, gt=0, le=600)
    fitted_from: float | None = Field(default=None, gt=0, le=600,
                                      description="its duration before it was fitted to its spoken lines")
    action: str = Field(default="", max_length=1000)
    dialogue: str = Field(default="", max_length=2000)
    characters: list[str] = Field(default_factory=list)
    notes: str = Field(default="", max_length=1000)
    role: ShotRole = Field(default="", description="what the shot is for in the coverage (set by coverage)")
    time_of_day: str = Field(default="", max_length=40,
                             description="the shot's own time of day ('DUSK'), over its scene's heading")
    mood: str = Field(default="", max_length=120, description="the mood a person asked of this shot")
    person: list[str] = Field(default_factory=list, max_length=20, description="the fields a person set")

    @model_validator(mode="after")
    def _role_from_notes(self) -> Shot:
        """A shot list saved before shots had a role: read the role from the notes coverage wrote."""
        if not self.role:
            self.role = role_from_notes(self.notes, self.dialogue)
        return self

    @property
    def code(self) -> str:
        """S01_SH003: the name of the shot in file names and slates."""
        return shot_code(self.scene, self.number)


def role_from_notes(notes: str, dialogue: str = "") -> ShotRole:
    """The role that coverage's notes name: 'establishing shot', 'master', 'insert: X', 'cutaway', 'action beat',
    'single' / "over X's shoulder" / 'X is heard (V.O.)' (dialogue); a shot with lines is a dialogue shot."""
    head = notes.strip().lower()
    for prefix, role in _ROLE_PREFIXES:
        if head.startswith(prefix):
            return role
    if re.match(r"[^;]* is heard \(", head) or dialogue.strip():
        return "dialogue"
    return ""




class ShotList(Model):
    """Stage 7: every shot of every scene."""

    shots: list[Shot] = Field(default_factory=list)


class ShotPrompt(Model):
    scene: int = Field(ge=1)
    number: int = Field(ge=1)
    frame_prompt: str = Field(default="", max_length=2000)
    video_prompt: str = Field(default="", max_length=2000)
    negative_prompt: str = Field(default="", max_length=1000)
    frame_override: str | None = Field(default=None, max_length=2000)
    video_override: str | None = Field(default=None, max_length=2000)


class Prompts(Model):
    """Stage 8: per-shot prompts, assembled deterministically and editable."""

    prompts: list[ShotPrompt] = Field(default_factory=list)
