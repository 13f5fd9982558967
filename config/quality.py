"""Quality tiers from config/quality.yaml (or AUTEUR_QUALITY_FILE)."""

from __future__ import annotations

from pathlib import Path

from config.settings import Settings
from studio.errors import AuteurError
from studio.render import QualityTier

DEFAULT_FILE = Path(__file__).with_name("quality.yaml")


def load_tiers(settings: Settings | None = None) -> dict[str, QualityTier]:
    import yaml
    from pydantic import ValidationError

    path = (settings.quality_file if settings else None) or DEFAULT_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise AuteurError(f"the quality file {path} does not exist",
                          "point AUTEUR_QUALITY_FILE at a copy of config/quality.yaml") from None
    except yaml.YAMLError as exc:
        raise AuteurError(f"{path.name} is not valid YAML: {exc}", "fix the file, or copy config/quality.yaml again") from None
    tiers: dict[str, QualityTier] = {}
    for name, body in (data.get("tiers") or {}).items():
        try:
            tiers[name] = QualityTier.model_validate({"name": name, **(body or {})})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise AuteurError(f"tier {name!r} in {path.name}: {where}: {first['msg']}",
                              f"fix {where} of tier {name} in {path}") from None
    if not tiers:
        raise AuteurError(f"{path.name} defines no quality tiers", "add tiers as in config/quality.yaml")
    return tiers


def tier(name: str, settings: Settings | None = None) -> QualityTier:
    tiers = load_tiers(settings)
    if name not in tiers:
        raise AuteurError(f"there is no quality tier {name!r}", f"use one of: {', '.join(tiers)}")
    return tiers[name]
