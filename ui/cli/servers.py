"""Long-running services: the studio in the browser, the Slack app, and GPU render workers."""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import ModelOpt, app


@app.command("ui")
def ui_cmd(port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port to serve on."),
           host: str = typer.Option("127.0.0.1", "--host", help="The address to bind; 0.0.0.0 to share on a network."),
           model: Optional[str] = ModelOpt,
           open_browser: bool = typer.Option(False, "--open", help="Open the studio in your browser.")) -> None:
    """Serve the studio in the browser (Chainlit): the Producer greets you at http://HOST:PORT."""
    from config.settings import Settings
    from ui.web.server import serve

    serve(Settings.from_env(), port=port, host=host, model=model, open_browser=open_browser)


@app.command("password-hash")
def password_hash_cmd() -> None:
    """Print a salted hash of a password, for AUTEUR_USERS (NAME:HASH) or AUTEUR_PASSWORD. The password is
    read from a hidden prompt, or from the first line of stdin when it is piped: never from the command line."""
    import getpass
    import sys

    from ui.cli.output import fail
    from ui.web.passwords import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            fail("the two passwords differ", "run `auteur password-hash` again and type the same password twice")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("no password given", "type one at the prompt, or pipe it in: `auteur password-hash < file`")
    print(hash_password(password))


@app.command("slack")
def slack_cmd(port: int = typer.Option(3000, "--port", min=1, max=65535, help="HTTP port for Slack's events."),
              host: str = typer.Option("127.0.0.1", "--host", help="The address to bind."),
              socket_mode: bool = typer.Option(False, "--socket", help="Use Socket Mode (SLACK_APP_TOKEN) instead of HTTP."),
              model: Optional[str] = ModelOpt) -> None:
    """Answer in Slack: `/auteur COMMAND` and @mentions, through the same engine as the studio."""
    from config.settings import Settings
    from ui.slack.server import serve

    serve(Settings.from_env(), port=port, host=host, socket_mode=socket_mode, model=model)


@app.command("worker")
def worker_cmd(gpu: Optional[str] = typer.Option(None, "--gpu", help="The CUDA device this worker owns, e.g. 0. "
                                                                    "Start one worker per GPU."),
               queues: str = typer.Option("renders", "--queues", "-Q", help="Comma-separated queues to take jobs from."),
               loglevel: str = typer.Option("info", "--loglevel")) -> None:
    """Start a render worker on Celery (Redis at AUTEUR_REDIS_URL): one process, one job at a time."""
    from config.container import Container

    Container().run_worker(gpu=gpu, queues=[q.strip() for q in queues.split(",") if q.strip()], loglevel=loglevel)


@app.command("redis")
def redis_cmd(port: int = typer.Option(6379, "--port", min=1, max=65535, help="The port to listen on (127.0.0.1).")
              ) -> None:
    """Start Redis for Celery jobs as Auteur wants it: on 127.0.0.1, with an append-only file synced every second,
    its data in the workspace's .auteur/redis (so a Redis killed or restarted loses no queued job)."""
    from tools.jobs.redis_server import main

    main(["--port", str(port)])
