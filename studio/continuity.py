"""Continuity: how each character and prop looks in each scene.

A state carries forward from scene to scene until the script changes it, so the
coat stays torn after the fight. Changes come from the Art Director (or a
person); this module only applies them in story order.
"""

from __future__ import annotations

from typing import TypeVar

from studio.models import Breakdown, CharacterState, Look, PropState, SceneState

_State = TypeVar("_State", CharacterState, PropState)


def _merge(old: _State, change: _State) -> _State:
    """Fields the change sets replace the old ones; empty fields keep what was there."""
    data = old.model_dump()
    data.update({k: v for k, v in change.model_dump().items() if v})
    return type(old)(**data)


def carry_forward(breakdown: Breakdown, look: Look, changes: list[SceneState]) -> list[SceneState]:
    by_scene = {c.scene: c for c in changes}
    chars: dict[str, CharacterState] = {
        c.name.upper(): CharacterState(wardrobe=c.wardrobe) for c in look.characters
    }
    props: dict[str, PropState] = {p.name.upper(): PropState() for p in look.props}
    names = {c.name.upper(): c.name for c in look.characters}
    prop_names = {p.name.upper(): p.name for p in look.props}
    states: list[SceneState] = []
    for scene in breakdown.scenes:
        change = by_scene.get(scene.number)
        if change:
            for name, st in change.characters.items():
                key = name.upper()
                chars[key] = _merge(chars.get(key, CharacterState()), st)
                names.setdefault(key, name)
            for name, prop_change in change.props.items():
                key = name.upper()
                props[key] = _merge(props.get(key, PropState()), prop_change)
                prop_names.setdefault(key, name)
        present = dict.fromkeys(n.upper() for n in [*scene.characters, *scene.introduced])
        state = SceneState(scene=scene.number)
        for key in present:
            state.characters[names.get(key, key)] = chars.get(key, CharacterState()).model_copy()
        for prop in scene.props:
            key = prop.upper()
            state.props[prop_names.get(key, prop)] = props.get(key, PropState()).model_copy()
        states.append(state)
    return states
