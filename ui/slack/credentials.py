"""What the Slack face needs from the settings: the bot token, the signing secret (HTTP) or the
app-level token (Socket Mode), and the Web API base; it refuses to start without them.

Every read of a Slack secret goes through here, as plain text only where it is handed to a client.
"""

from __future__ import annotations

from config.settings import Settings, secret
from studio.errors import AuteurError

SLACK_API = "https://slack.com/api/"


def check_settings(settings: Settings, *, socket_mode: bool = False) -> None:
    """Refuse to start without what Slack needs, naming each missing setting and where it comes from."""
    missing = []
    if not bot_token(settings):
        missing.append(("SLACK_BOT_TOKEN", "the Bot User OAuth Token (xoxb-…) from your Slack app's "
                                           "OAuth & Permissions page"))
    if socket_mode and not app_token(settings):
        missing.append(("SLACK_APP_TOKEN", "an app-level token (xapp-…) with connections:write, from your Slack "
                                           "app's Basic Information page (or run without --socket)"))
    if not socket_mode and not signing_secret(settings):
        missing.append(("SLACK_SIGNING_SECRET", "the Signing Secret from your Slack app's Basic Information page; "
                                                "without it Slack's requests cannot be verified"))
    if missing:
        names = " and ".join(name for name, _ in missing)
        raise AuteurError(f"{names} {'is' if len(missing) == 1 else 'are'} not set, so Auteur cannot answer in Slack",
                          "set " + "; ".join(f"{name} to {where}" for name, where in missing))


def api_url(settings: Settings) -> str:
    url = (settings.slack_api_url or SLACK_API).strip()
    return url if url.endswith("/") else url + "/"


def bot_token(settings: Settings) -> str | None:
    return secret(settings.slack_bot_token)


def signing_secret(settings: Settings) -> str | None:
    return secret(settings.slack_signing_secret)


def app_token(settings: Settings) -> str | None:
    return secret(settings.slack_app_token)
