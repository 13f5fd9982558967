"""The settings panel of a chat: the open project, the model profile the crew uses, the quality
tier of boards and clips, and auto-approve. Sent again whenever what it shows changes."""

from __future__ import annotations

from chainlit import ChatSettings
from chainlit.input_widget import Select, Switch

from config.settings import Settings
from studio.errors import AuteurError

TIERS = ("draft", "standard", "cinematic", "sketch")
NO_PROJECT = "(none)"


def model_profiles() -> tuple[str, list[str]]:
    """The default profile and every profile of config/models.yaml."""
    from agents.llm.profiles import load_profiles

    default, profiles = load_profiles()
    return default, list(profiles)


def profile_name(model: str | None, settings: Settings) -> str:
    """The profile a chat's model choice comes to (None: AUTEUR_MODEL, else the default)."""
    from agents.llm.profiles import get_profile

    try:
        return get_profile(model, settings).name
    except AuteurError:
        return model_profiles()[0]


def check_profile(model: str, settings: Settings) -> None:
    """AuteurError when there is no such profile."""
    from agents.llm.profiles import get_profile

    get_profile(model, settings)


def tiny_notice(model: str | None, settings: Settings) -> str | None:
    """What to say when the crew runs on a tiny model; None otherwise."""
    from agents.llm.profiles import get_profile

    try:
        profile = get_profile(model, settings)
    except AuteurError:
        return None
    if not profile.tiny:
        return None
    return (f"Note: the crew runs on `{profile.name}`, a tiny model: no keys and nothing leaves this "
            "machine, but its prose is placeholder-weak (every stage stays valid). To connect a real model, "
            "start the studio with `AUTEUR_MODEL` set, e.g. `AUTEUR_MODEL=ollama/llama3.1 auteur ui`, or choose "
            "a profile in the chat settings; the profiles and what each needs are in `config/models.yaml`.")


async def send_panel(*, slugs: list[str], project: str, model: str | None, tier: str, auto_approve: bool,
                     settings: Settings) -> None:
    """The panel, showing what the chat uses now."""
    await ChatSettings([
        Select(id="project", label="Project", values=[NO_PROJECT, *slugs], initial_value=project,
               description="Open one of your projects in this chat."),
        Select(id="model", label="Model profile", values=model_profiles()[1], initial_value=profile_name(model, settings),
               description="Which language model the crew uses (config/models.yaml)."),
        Select(id="tier", label="Quality tier", values=list(TIERS), initial_value=tier,
               description="Image and video quality for boards and clips."),
        Switch(id="auto_approve", label="Auto-approve", initial=auto_approve,
               description="Approve each stage as soon as it is drafted."),
    ]).send()
