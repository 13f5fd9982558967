"""`auteur ui`: starts the Chainlit studio on this machine.

Chainlit runs the hooks in ``ui/web/hooks.py``. It reads its settings from, and
writes uploads into, an app folder: here ``<workspace>/.auteur/chainlit/``, made
from the template in ``ui/chainlit/``, never the current folder. The page loads
nothing from outside the machine: Chainlit 2.12 has no telemetry, no Literal AI
key is passed on, and the links to web fonts and a CDN stylesheet are taken out
of the page.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from config.settings import Settings
from ui.web.media import mount as mount_media
from ui.web.origins import OriginGuard, Origins, is_loopback
from ui.web.sign_in import SignIn
from ui.web.uploads import refuse_empty_uploads

TEMPLATE = Path(__file__).resolve().parents[1] / "chainlit"
APP = Path(__file__).resolve().parent / "hooks.py"
SECRET_FILE = "auth_secret"
# <link> tags of the packaged page that would reach the internet (Google Fonts, jsDelivr).
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*https?://(?!127\.0\.0\.1|localhost)[^>]*>", re.DOTALL)


CHAINLIT_CLOUD = ("DATABASE_URL", "BUCKET_NAME")
CHAINLIT_CLOUD_PREFIXES = ("APP_AWS_", "APP_GCS_", "APP_AZURE_", "DEV_AWS_ENDPOINT")


def app_root(settings: Settings) -> Path:
    return settings.workspace / ".auteur" / "chainlit"


def prepare(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> Path:
    """The app folder: config, public files and readme from the template (refreshed at each start)."""
    root = app_root(settings)
    (root / ".chainlit").mkdir(parents=True, exist_ok=True)
    (root / ".files").mkdir(exist_ok=True)
    config = (TEMPLATE / "config.toml").read_text(encoding="utf-8")
    origins = json.dumps(Origins(host, port, settings.allowed_origins).for_browsers())
    (root / ".chainlit" / "config.toml").write_text(config.replace("@ORIGINS@", origins), encoding="utf-8")
    shutil.copytree(TEMPLATE / "public", root / "public", dirs_exist_ok=True)
    shutil.copy2(TEMPLATE / "chainlit.md", root / "chainlit.md")
    return root


def auth_secret(settings: Settings) -> str:
    """The key that signs login tokens: made once, kept in the workspace, readable by its owner only."""
    path = app_root(settings) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or len(path.read_text(encoding="utf-8").strip()) < 32:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_urlsafe(48))
    os.chmod(path, 0o600)
    return path.read_text(encoding="utf-8").strip()


def environment(settings: Settings, root: Path, *, host: str, port: int, model: str | None) -> dict[str, str]:
    """What Chainlit and the app read from the environment."""
    env = {"CHAINLIT_APP_ROOT": str(root), "CHAINLIT_ENV_FILE": str(root / ".env"),
           "CHAINLIT_HOST": host, "CHAINLIT_PORT": str(port), "AUTEUR_WORKSPACE": str(settings.workspace)}
    if model:
        env["AUTEUR_MODEL"] = model
    if SignIn(settings).required and not os.environ.get("CHAINLIT_AUTH_SECRET"):
        env["CHAINLIT_AUTH_SECRET"] = auth_secret(settings)
    return env


def guard(server: Any, origins: Origins) -> None:
    """Only the studio's own pages (and those in AUTEUR_ALLOWED_ORIGINS) reach Chainlit: its Socket.IO
    server (created with the origin check off) checks the origin, and every request passes OriginGuard."""
    server.sio.eio.cors_allowed_origins = origins.socketio_check()
    server.app.add_middleware(OriginGuard, origins=origins)


def local_page(html: str) -> str:
    """The packaged page without its links to web fonts and CDN stylesheets."""
    return _EXTERNAL_LINK.sub("", html)


def serve(settings: Settings, *, port: int = 8000, host: str = "127.0.0.1", model: str | None = None,
          open_browser: bool = False) -> None:
    """Serve the studio on host:port until interrupted."""
    origins = Origins(host, port, settings.allowed_origins)  # an AuteurError for a wrong AUTEUR_ALLOWED_ORIGINS
    if not is_loopback(host):
        import sys

        sign_in = SignIn(settings)
        if not sign_in.required:
            print(f"warning: the studio on {host} has no sign-in: anyone who reaches it works in your workspace. "
                  "Set AUTEUR_USERS (a password each) or AUTEUR_PASSWORD.", file=sys.stderr, flush=True)
        elif sign_in.by_header and not sign_in.by_password:
            print(f"warning: header sign-in trusts {settings.auth_header} as sent: serve the studio only behind a "
                  "proxy that sets it and strips it from clients.", file=sys.stderr, flush=True)
    root = prepare(settings, host=host, port=port)
    os.environ.update(environment(settings, root, host=host, port=port, model=model))
    os.environ.pop("LITERAL_API_KEY", None)  # Chainlit would send the chats to Literal AI's cloud
    # Chainlit's own data layers and storage clients, which it would pick from these when ours is off (a missing
    # package, --host 0.0.0.0 without sign-in), and which could send chats or files to a cloud.
    for name in [k for k in os.environ if k in CHAINLIT_CLOUD or k.startswith(CHAINLIT_CLOUD_PREFIXES)]:
        os.environ.pop(name, None)
    # Chainlit reads the app folder when it is first imported: only now.
    import chainlit.server as server
    from chainlit.cli import run_chainlit
    from chainlit.config import config

    guard(server, origins)
    refuse_empty_uploads(server)
    mount_media(server.app)  # the views' boards, clips and cut, by token
    template = server.get_html_template
    server.get_html_template = lambda root_path: local_page(template(root_path))
    config.run.headless = not open_browser
    print(f"Auteur studio on http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port} "
          f"(workspace {settings.workspace})", flush=True)
    run_chainlit(str(APP))
