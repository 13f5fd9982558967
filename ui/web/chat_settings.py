"""The settings panel of a chat: the open project, the model profile the crew uses, the quality
tier of boards and clips, and auto-approve. Sent again whenever what it shows changes."""

from __future__ import annotations

from chainlit import ChatSettings
from chainlit.input_widget import Select, Switch

from config.settings import Settings
from studio.errors import AuteurError

TIERS = ("draft", "standard", "cinematic", "sketch")
NO_PROJECT = "(none)"


def model_profiles(settings: Settings | None = None) -> tuple[str, list[str]]:
    """The default profile and every profile: config/models.yaml's, then the models found on this machine."""
    from agents.llm.discover import discover
    from agents.llm.profiles import load_profiles

    default, profiles = load_profiles()
    found = discover(settings).profile_names() if settings is not None else []
    return default, list(dict.fromkeys([*profiles, *found]))


def profile_name(model: str | None, settings: Settings) -> str:
    """The profile a chat's model choice comes to (None: AUTEUR_MODEL, else the default)."""
    from agents.llm.profiles import get_profile

    try:
        return get_profile(model, settings).name
    except AuteurError:
        return model_profiles()[0]


def tiny_notice(model: str | None, settings: Settings) -> str | None:
    """What to say when the crew runs on a tiny model (None otherwise): what was found on this machine and how
    to switch to it, or how to connect a real model when nothing was."""
    from agents.llm.discover import discover, offer
    from agents.llm.profiles import get_profile

    try:
        profile = get_profile(model, settings)
    except AuteurError:
        return None
    if not profile.tiny:
        return None
    return (f"Note: the crew runs on `{profile.name}`, a tiny model: no keys and nothing leaves this machine, but "
            f"its prose stays plain. {offer(discover(settings))} `/model` lists every profile and its state "
            "(`AUTEUR_MODEL` chooses one when the studio starts).")


async def send_panel(*, slugs: list[str], project: str, model: str | None, tier: str, auto_approve: bool,
                     settings: Settings) -> None:
    """The panel, showing what the chat uses now."""
    in_use = profile_name(model, settings)
    # Where switching is off (AUTEUR_MODEL_SWITCH), the panel offers only the model in use.
    offered = _with(model_profiles(settings)[1], in_use) if settings.model_switch_on else [in_use]
    await ChatSettings([
        Select(id="project", label="Project", values=[NO_PROJECT, *slugs], initial_value=project,
               description="Open one of your projects in this chat."),
        Select(id="model", label="Model profile", initial_value=in_use, values=offered,
               description="Which language model the crew uses (config/models.yaml, and the model servers found "
                           "on this machine; /model shows which are ready)."),
        Select(id="tier", label="Quality tier", values=list(TIERS), initial_value=tier,
               description="Image and video quality for boards and clips."),
        Switch(id="auto_approve", label="Auto-approve", initial=auto_approve,
               description="Approve each stage as soon as it is drafted."),
    ]).send()


def _with(names: list[str], current: str) -> list[str]:
    """The profiles offered, the one in use among them (a server found earlier may have gone since)."""
    return names if current in names else [*names, current]
