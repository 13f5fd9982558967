"""Reference images of the script's characters and locations, kept under 01_Assets as ref_NN files."""

from __future__ import annotations

from memory.change import ChangingStore
from studio.errors import AuteurError
from studio.names import folder_name
from studio.project import slugify
from studio.stages import Stage
from studio.uploads import looks_like_image


def character_folder(name: str) -> str:
    """A character's folder under 01_Assets, whatever its cue says ('../../X' stays inside: 'X')."""
    return f"01_Assets/Characters/{folder_name(name.upper(), what='character')}"


def location_folder(name: str) -> str:
    """A location's folder under 01_Assets: its slug ('hall'), or its name where it has no ASCII letters."""
    return f"01_Assets/Locations/{folder_name(slugify(name) or name.upper(), what='location')}"


def reference_folder(store: ChangingStore, subject: str) -> str:
    """Where a subject's reference images live: its character or location folder (one folder, always
    inside the project: studio.names.folder_name)."""
    bd = store.read(Stage.BREAKDOWN)
    wanted = subject.strip().upper()
    if bd is not None:
        for c in bd.characters:
            if c.upper() == wanted:
                return character_folder(c)
        for loc in bd.locations:
            if loc.upper() == wanted:
                return location_folder(loc)
        names = ", ".join(bd.characters[:8]) or "none yet"
        raise AuteurError(f"{subject!r} is not a character or location of the script",
                          f"name the image after one (e.g. {bd.characters[0] if bd.characters else 'MARA'}.png); "
                          f"characters: {names}")
    raise AuteurError("there is no script to match the reference image with",
                      "upload or write the screenplay first, then the characters' images")


def add_reference(store: ChangingStore, subject: str, name: str, data: bytes) -> str:
    """An image of a character or location, kept under 01_Assets as the next ref_NN file; its path."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not looks_like_image(suffix, data):
        raise AuteurError(f"{name} is not a PNG, JPEG or WebP image",
                          "upload a reference image as .png, .jpg or .webp")
    folder = reference_folder(store, subject)
    with store.change(stage=Stage.LOOK, action="reference", summary=f"reference image for {subject.upper()}",
                      author=store.user()) as change:
        existing = sorted((store.path / folder).glob("ref_*")) if (store.path / folder).is_dir() else []
        rel = f"{folder}/ref_{len({p.stem for p in existing}) + 1:02d}{suffix}"
        change.write_new(rel, data)
    return rel
