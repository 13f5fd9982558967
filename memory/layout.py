"""Where each stage's artifact lives in a project folder."""

from __future__ import annotations

from studio.stages import Stage

FOLDERS = (
    "01_Assets/Characters",
    "01_Assets/Locations",
    "01_Assets/Props",
    "01_Assets/Styles",
    "01_Assets/Music",
    "02_Source_Creative/Treatments",
    "02_Source_Creative/Scripts",
    "02_Source_Creative/ShotLists",
    "02_Source_Creative/Prompts",
    "03_Renders",
    "04_Project_Files",
    "05_Cache",
    "06_Exports",
)
IGNORED = ("05_Cache/", "06_Exports/")
MANIFEST = "project.json"

# The file that holds each stage's artifact. The script's Fountain text is the
# artifact itself; its summary sits beside it and is derived.
STAGE_FILES: dict[Stage, str] = {
    Stage.BRIEF: "02_Source_Creative/brief.json",
    Stage.TREATMENT: "02_Source_Creative/Treatments/treatment.json",
    Stage.BEATS: "02_Source_Creative/Treatments/beats.json",
    Stage.SCRIPT: "02_Source_Creative/Scripts/script.fountain",
    Stage.BREAKDOWN: "02_Source_Creative/Scripts/breakdown.json",
    Stage.LOOK: "01_Assets/look.json",
    Stage.SHOTS: "02_Source_Creative/ShotLists/shots.json",
    Stage.PROMPTS: "02_Source_Creative/Prompts/prompts.json",
    Stage.BOARDS: "03_Renders/boards.json",
    Stage.CLIPS: "03_Renders/clips.json",
    Stage.CUT: "04_Project_Files/cut.json",
    Stage.EXPORT: "04_Project_Files/exports.json",
}
SCRIPT_SUMMARY = "02_Source_Creative/Scripts/script.json"
SOURCE_TEXT = "02_Source_Creative/Source/source.txt"  # a story brought in as prose, as read (studio.source)
SOURCE_JSON = "02_Source_Creative/Source/source.json"  # its passages and skeleton
DECISIONS = "04_Project_Files/decisions.jsonl"  # what the person decided, for memory
REVIEW_NOTES = "02_Source_Creative/Review/notes.json"  # review notes on every version of the cut
RENDERS = "03_Renders"
SOUND_PLAN = "02_Source_Creative/Sound/sound.json"  # sound cues and the active sound takes (studio.sound)
SOUND_RENDERS = "03_Renders/Sound"  # every sound take: Sound/<KEY>/<KEY>_take01.wav and its sidecar

# Media kept in git-lfs where it is installed.
LFS_PATTERNS = (
    "*.png", "*.jpg", "*.jpeg", "*.webp", "*.tif", "*.tiff", "*.exr",
    "*.mp4", "*.mov", "*.webm", "*.wav", "*.mp3", "*.flac", "*.safetensors",
)


def stage_paths(stage: Stage) -> list[str]:
    """Every tracked file that belongs to a stage (for history, diff and restore)."""
    paths = [STAGE_FILES[stage]]
    if stage is Stage.SCRIPT:
        paths.append(SCRIPT_SUMMARY)
    if stage is Stage.BRIEF:
        paths += [SOURCE_TEXT, SOURCE_JSON]
    return paths


def stage_of_path(path: str) -> Stage | None:
    for stage in Stage:
        if path in stage_paths(stage):
            return stage
    if path == SOUND_PLAN or path.startswith(SOUND_RENDERS + "/"):
        return Stage.CUT  # sound is cut into the film: a sound take is the cut's, as a clip is the clips'
    if path.startswith(RENDERS + "/"):
        suffix = path.rsplit(".", 1)[-1].lower()
        if suffix in ("mp4", "mov", "webm"):
            return Stage.CLIPS
        return Stage.BOARDS
    return None
