"""Auteur in Slack: real signed requests to the app's HTTP endpoint, Slack's Web API on a loopback fake.

Over 400 lines on purpose: every test shares one costly rig (a bolt app on a real port, the fake Web API,
a workspace), and the trust checks (signatures, replays, retries, sizes) read best beside the happy paths."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from studio.fountain import parse
from studio.fountain.elements import ElementType
from typer.testing import CliRunner

from tests.integration.slack_fake import BAD_APP_TOKEN, BAD_TOKEN, FakeSlack

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "fountain"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
CHANNEL = "C0FILM"


def signature(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlackRig:
    """The app's real HTTP server on one loopback port, the fake Slack on another."""

    def __init__(self, settings, fake: FakeSlack) -> None:
        from ui.slack.server import build_app, http_server

        self.fake = fake
        self.studio = build_app(settings)
        self.port = free_port()
        self.server = http_server(self.studio, host="127.0.0.1", port=self.port, log_level="warning")
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the Slack endpoint did not start"
            time.sleep(0.02)
        self.triggers = 0

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.studio.close()

    def post(self, body: bytes, content_type: str, *, timestamp: str | None = None, sign: str | None = None,
             headers: dict | None = None) -> tuple[int, bytes]:
        timestamp = timestamp or str(int(time.time()))
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events", data=body, method="POST",
            headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                     "X-Slack-Signature": sign or signature(body, timestamp), **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def command(self, text: str, *, channel: str = CHANNEL, trigger: str | None = None, **kw) -> tuple[int, bytes]:
        self.triggers += 1
        trigger = trigger or f"trig.{self.triggers}"
        form = {"token": "legacy", "team_id": "T0FILM", "channel_id": channel, "channel_name": "film",
                "user_id": "U0DANA", "user_name": "dana", "command": "/auteur", "text": text,
                "response_url": self.fake.response_url(trigger), "trigger_id": trigger}
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded", **kw)

    def mention(self, text: str, *, ts: str, thread_ts: str | None = None, event_id: str, channel: str = CHANNEL,
                files: list | None = None, **kw) -> tuple[int, bytes]:
        event = {"type": "app_mention", "user": "U0DANA", "text": f"<@U0BOT> {text}", "ts": ts, "channel": channel,
                 "event_ts": ts}
        if thread_ts:
            event["thread_ts"] = thread_ts
        if files:
            event["files"] = files
        body = {"token": "legacy", "team_id": "T0FILM", "api_app_id": "A0AUTEUR", "event": event,
                "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
                "authorizations": [{"team_id": "T0FILM", "user_id": "U0BOT", "is_bot": True}]}
        return self.post(json.dumps(body).encode(), "application/json", **kw)

    def press(self, question: dict, option: str, *, message_ts: str, action_ts: str,
              thread_ts: str | None = None) -> tuple[int, bytes]:
        """Press the button ``option`` of a posted question message (its blocks as the app sent them)."""
        button = next(e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"]
                      if e["text"]["text"] == option)
        message = {"type": "message", "ts": message_ts, "text": question["text"], "blocks": question["blocks"]}
        if thread_ts:
            message["thread_ts"] = thread_ts
        payload = {"type": "block_actions", "team": {"id": "T0FILM"}, "user": {"id": "U0DANA"},
                   "api_app_id": "A0AUTEUR", "token": "legacy", "trigger_id": f"press.{action_ts}",
                   "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL},
                   "channel": {"id": CHANNEL, "name": "film"}, "message": message,
                   "response_url": self.fake.response_url(f"press-{action_ts}"),
                   "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "b",
                                "value": button["value"], "text": button["text"], "action_ts": action_ts}]}
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def idle(self) -> None:
        assert self.studio.wait_idle(30), "the Slack turns did not finish"


@pytest.fixture
def fake():
    server = FakeSlack()
    yield server
    server.close()


@pytest.fixture
def slack_env(workspace_dir, monkeypatch, fake):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    from config.settings import Settings
    from memory.workspace import Workspace

    settings = Settings.from_env()
    store = Workspace(settings).create("Last Call")
    store.import_script("01_last_call.fountain", (GOLDEN / "01_last_call.fountain").read_bytes())
    return settings


@pytest.fixture
def rig(slack_env, fake):
    rig = SlackRig(slack_env, fake)
    yield rig
    rig.close()


def responses(fake: FakeSlack, trigger: str) -> list[dict]:
    return [c for c in fake.of("response") if c["url"].endswith("/" + trigger)]


# ---------------------------------------------------------------- slash commands


def test_status_is_acked_then_followed_up_with_the_project(rig, fake):
    assert [c["token"] for c in fake.of("auth.test")] == [TOKEN], "bolt checked the token on the fake API"
    code, body = rig.command("status", trigger="trig.status")
    assert code == 200 and b"error" not in body
    assert fake.wait_for(lambda: responses(fake, "trig.status"))
    rig.idle()
    [answer] = responses(fake, "trig.status")
    assert answer["response_type"] == "in_channel" and answer["replace_original"] is False
    assert " 4. script     draft" in answer["text"] and " 6. look       empty" in answer["text"]
    sections = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    assert sections[0] == "*Producer:*" and sections[1].startswith("```")
    buttons = [e["text"]["text"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Approve", "Revise"], "the question about the drafted script has its buttons"


def test_the_engine_runs_after_the_ack_not_before(rig, fake, monkeypatch):
    from studio.engine.session import Session

    gate = threading.Event()
    real = Session.handle

    def held(self, turn):
        assert gate.wait(20)
        yield from real(self, turn)

    monkeypatch.setattr(Session, "handle", held)
    code, _ = rig.command("status", trigger="trig.held")
    assert code == 200, "acked while the engine was still held"
    assert not responses(fake, "trig.held")
    gate.set()
    assert fake.wait_for(lambda: responses(fake, "trig.held"))


def test_bare_help_and_unknown_commands(rig, fake):
    rig.command("", trigger="trig.bare")
    rig.command("bogus stuff", trigger="trig.bogus")
    rig.idle()
    [bare] = responses(fake, "trig.bare")
    assert "/status — where every stage stands" in bare["text"] and "/export KIND" in bare["text"]
    [bogus] = responses(fake, "trig.bogus")
    assert bogus["text"].startswith("there is no command /bogus. type /help for the list.")
    assert bogus["blocks"][0]["text"]["text"].startswith(":warning: there is no command /bogus")


def test_bad_signature_and_stale_timestamp_are_refused(rig, fake):
    before = len(fake.calls)
    code, _ = rig.command("status", trigger="trig.forged", sign="v0=" + "0" * 64)
    assert code == 401
    old = str(int(time.time()) - 6 * 60)
    body = urlencode({"command": "/auteur", "text": "status", "channel_id": CHANNEL, "trigger_id": "trig.old",
                      "response_url": fake.response_url("trig.old")}).encode()
    code, _ = rig.post(body, "application/x-www-form-urlencoded", timestamp=old, sign=signature(body, old))
    assert code == 401, "a correctly signed but stale request is refused"
    code, _ = rig.command("status", trigger="trig.wrongkey", sign=None, timestamp=None,
                          headers={"X-Slack-Signature": "v0=" + hmac.new(b"other", b"x", hashlib.sha256).hexdigest()})
    assert code == 401
    rig.idle()  # listeners and turns are tracked: anything wrongly started has finished by now
    assert len(fake.calls) == before and not rig.studio._sessions, "nothing ran"


def test_a_command_trigger_seen_twice_runs_once(rig, fake):
    assert rig.command("status", trigger="trig.twice")[0] == 200
    assert rig.command("status", trigger="trig.twice")[0] == 200
    rig.idle()
    assert len(responses(fake, "trig.twice")) == 1


# ---------------------------------------------------------------- mentions and threads


def test_a_retried_event_is_acked_and_runs_once(rig, fake):
    code, _ = rig.mention("/status", ts="1700000100.000100", event_id="Ev0RETRY")
    assert code == 200
    code, _ = rig.mention("/status", ts="1700000100.000100", event_id="Ev0RETRY",
                          headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert code == 200
    plain = {"type": "event_callback", "event_id": "Ev0PLAIN", "team_id": "T0FILM",
             "event": {"type": "message", "channel": CHANNEL, "user": "U0DANA", "text": "lunch?",
                       "ts": "1700000101.000100", "channel_type": "channel"}}
    assert rig.post(json.dumps(plain).encode(), "application/json")[0] == 200, "other messages are acked, not run"
    rig.idle()
    posts = [c for c in fake.of("chat.postMessage") if c.get("thread_ts") == "1700000100.000100"]
    assert len(posts) == 1 and "script     draft" in posts[0]["text"]
    assert posts[0]["channel"] == CHANNEL and len(fake.of("chat.postMessage")) == 1


def test_a_thread_keeps_its_conversation_and_project_across_a_restart(rig, fake, slack_env):
    thread = "1700000200.000100"
    rig.mention("/new Thread Film", ts=thread, event_id="Ev1")
    rig.idle()
    rig.mention("/status", ts="1700000201.000100", thread_ts=thread, event_id="Ev2")
    rig.idle()
    posts = [c for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread]
    assert "New project Thread Film (thread-film)" in posts[0]["text"]
    assert " 4. script     empty" in posts[-1]["text"], "the thread's second mention speaks of its new project"
    assert rig.studio.session(f"{CHANNEL}:{thread}").store.slug == "thread-film"
    saved = json.loads((slack_env.workspace / ".auteur" / "slack.json").read_text())
    assert saved["threads"][f"{CHANNEL}:{thread}"] == "thread-film"
    # Another thread in a new channel: the workspace's last-used project, not this thread's memory.
    rig.mention("/open last-call", ts="1700000300.000100", event_id="Ev3", channel="C0OTHER")
    rig.idle()

    rig.close()  # a restart: a new app on the same workspace
    again = SlackRig(slack_env, fake)
    try:
        again.mention("/status", ts="1700000202.000100", thread_ts=thread, event_id="Ev4")
        again.idle()
        last = [c for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread][-1]
        assert " 4. script     empty" in last["text"], "the thread remembered thread-film after the restart"
        again.mention("/status", ts="1700000203.000100", thread_ts=thread, event_id="Ev2")
        again.idle()
        assert [c for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread][-1] is last, \
            "an event seen before the restart is still not run twice"
    finally:
        again.close()


def test_a_channel_remembers_the_project_it_opened(rig, fake, slack_env):
    from memory.workspace import Workspace

    Workspace(slack_env).create("Second Reel")  # now two projects, and the last used is second-reel
    rig.command("open last-call", channel="C0TWO", trigger="trig.open")
    rig.idle()
    rig.command("open second-reel", channel="C0THREE", trigger="trig.open3")
    rig.idle()
    rig.command("status", channel="C0TWO", trigger="trig.status2")
    rig.idle()
    assert "Opened Last Call" in responses(fake, "trig.open")[0]["text"]
    assert "script     draft" in responses(fake, "trig.status2")[0]["text"]
    rig.close()
    again = SlackRig(slack_env, fake)
    try:
        again.command("status", channel="C0TWO", trigger="trig.after")
        again.command("status", channel="C0THREE", trigger="trig.after3")
        again.idle()
        assert "script     draft" in responses(fake, "trig.after")[0]["text"], "C0TWO still works on last-call"
        assert "script     empty" in responses(fake, "trig.after3")[0]["text"], "C0THREE on second-reel"
    finally:
        again.close()


# ---------------------------------------------------------------- buttons


def test_a_button_pressed_twice_runs_once(rig, fake):
    thread = "1700000400.000100"
    rig.mention("/status", ts=thread, event_id="Ev10")
    rig.idle()
    [question] = [c for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread]
    assert question["blocks"][-1]["type"] == "actions"
    rig.press(question, "Approve", message_ts="1700000401.000001", action_ts="1700000402.1", thread_ts=thread)
    rig.press(question, "Approve", message_ts="1700000401.000001", action_ts="1700000403.2", thread_ts=thread)
    rig.idle()
    answers = [c for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread][1:]
    assert len(answers) == 1 and "Brief approved and saved" in answers[0]["text"]
    marks = [c for c in fake.of("response") if "/press-" in c["url"]]
    assert len(marks) == 1, "one press answered, the other ignored"
    marked = marks[0]
    assert marked["replace_original"] is True
    assert all(b["type"] != "actions" for b in marked["blocks"]) and "chose *Approve*" in json.dumps(marked["blocks"])
    import subprocess

    log = subprocess.run(["git", "log", "--format=%s"], cwd=rig.studio.settings.workspace / "last-call",
                         capture_output=True, text=True).stdout
    assert log.count("approve") == 1, log


# ---------------------------------------------------------------- files


def test_exports_are_uploaded_with_files_upload_v2(rig, fake, slack_env):
    rig.command("export fountain", trigger="trig.export")
    rig.idle()
    thread = "1700000500.000100"
    rig.mention("/export pdf", ts=thread, event_id="Ev20")
    rig.idle()
    assert "Exported fountain: last-call_script.fountain" in responses(fake, "trig.export")[0]["text"]
    complete = fake.of("files.completeUploadExternal")
    assert len(complete) == 2 and all(c["channel_id"] == CHANNEL for c in complete)
    by_title = {json.loads(c["files"])[0]["title"]: c for c in complete}
    assert set(by_title) == {"last-call_script.fountain", "last-call_script.pdf"}
    assert "thread_ts" not in by_title["last-call_script.fountain"]
    assert by_title["last-call_script.pdf"]["thread_ts"] == thread
    uploads = {u["file_id"]: u["data"] for u in fake.of("upload")}
    exports = slack_env.workspace / "last-call" / "06_Exports"
    fountain_id = json.loads(by_title["last-call_script.fountain"]["files"])[0]["id"]
    assert uploads[fountain_id] == (exports / "last-call_script.fountain").read_bytes()
    pdf_id = json.loads(by_title["last-call_script.pdf"]["files"])[0]["id"]
    assert uploads[pdf_id].startswith(b"%PDF") and uploads[pdf_id] == (exports / "last-call_script.pdf").read_bytes()


def test_a_screenplay_shared_with_a_mention_is_imported(rig, fake, slack_env):
    thread = "1700000600.000100"
    rig.mention("/new Deep Relay", ts=thread, event_id="Ev30")
    rig.idle()  # one mention after the other, as a person would
    script = (GOLDEN / "02_deep_relay.fountain").read_bytes()
    rig.mention("here it is", ts="1700000601.000100", thread_ts=thread, event_id="Ev31",
                files=[fake.share("02_deep_relay.fountain", script)])
    rig.idle()
    elsewhere = {"name": "stolen.fountain", "size": 10, "url_private_download": "https://attacker.example/x"}
    rig.mention("and this", ts="1700000602.000100", thread_ts=thread, event_id="Ev32", files=[elsewhere])
    rig.idle()
    rig.mention("and notes", ts="1700000603.000100", thread_ts=thread, event_id="Ev33",
                files=[fake.share("notes.xlsx", b"PK\x03\x04")])
    rig.idle()
    posts = [c["text"] for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread]
    assert "Producer: Breakdown:" in posts[1], posts
    assert "stolen.fountain was shared from attacker.example, not from Slack" in posts[2]
    assert "notes.xlsx is not a screenplay or a story (.xlsx)" in posts[3]
    assert [(d["name"], d["authorized"]) for d in fake.of("download")] == [("02_deep_relay.fountain", True)]
    saved = (slack_env.workspace / "deep-relay" / "02_Source_Creative" / "Scripts").glob("*.fountain")
    assert [p.read_bytes() for p in saved] == [script]


def test_a_story_shared_with_a_mention_is_adapted_and_the_script_worked_on(rig, fake, slack_env):
    """The same file as in the chat: a story shared in Slack becomes the project's source; the writer's
    commands work on the script through `/auteur`."""
    thread = "1700000700.000100"
    story = (GOLDEN.parents[1] / "corpus" / "stories" / "gift_of_the_magi" / "story.txt").read_bytes()
    rig.mention("/new Magi", ts=thread, event_id="Ev40")
    rig.idle()
    rig.mention("adapt this", ts="1700000701.000100", thread_ts=thread, event_id="Ev41",
                files=[fake.share("gift_of_the_magi.txt", story)])
    rig.idle()
    posts = [c["text"] for c in fake.of("chat.postMessage") if c.get("thread_ts") == thread]
    assert any("Della" in p and "Jim" in p for p in posts), posts
    source = slack_env.workspace / "magi" / "02_Source_Creative" / "Source" / "source.txt"
    assert source.read_text(encoding="utf-8").count("Della") > 10
    script = slack_env.workspace / "last-call" / "02_Source_Creative" / "Scripts" / "script.fountain"
    before = script.read_text(encoding="utf-8")
    rig.command("open last-call", trigger="trig.open")
    rig.idle()
    rig.command("scene cut 1", trigger="trig.cut")
    rig.idle()
    headings = [h.plain for h in parse(before).of_type(ElementType.SCENE_HEADING)]
    after = [h.plain for h in parse(script.read_text(encoding="utf-8")).of_type(ElementType.SCENE_HEADING)]
    assert after == headings[1:], responses(fake, "trig.cut")


def test_files_outside_the_workspace_are_never_uploaded(tmp_path):
    from studio.engine.events import Event
    from ui.slack.files import artifact_files

    root = tmp_path / "ws"
    (root / "p").mkdir(parents=True)
    inside, outside = root / "p" / "board.png", tmp_path / "secret.png"
    inside.write_bytes(b"png")
    outside.write_bytes(b"png")
    events = [Event("artifact", data={"path": str(inside)}), Event("artifact", data={"path": str(outside)}),
              Event("artifact", data={"path": str(root / "p" / ".." / ".." / "secret.png")}),
              Event("message", data={"path": str(inside)})]
    assert artifact_files(events, root) == [inside]


# ---------------------------------------------------------------- starting


def test_http_mode_refuses_to_start_without_its_secrets(workspace_dir, monkeypatch, fake):
    from config.settings import Settings
    from studio.errors import AuteurError
    from ui.cli import app
    from ui.slack.server import build_app

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    with pytest.raises(AuteurError) as caught:
        build_app(Settings.from_env())
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set" in caught.value.problem
    assert "Signing Secret" in caught.value.fix and "xoxb-" in caught.value.fix
    result = CliRunner().invoke(app, ["slack", "--port", str(free_port())])
    assert result.exit_code == 1 and "SLACK_SIGNING_SECRET" in result.output
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["slack", "--socket"])
    assert result.exit_code == 1 and "SLACK_APP_TOKEN is not set" in result.output
    monkeypatch.setenv("SLACK_BOT_TOKEN", BAD_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    with pytest.raises(AuteurError) as caught:
        build_app(Settings.from_env())
    assert "Slack did not accept SLACK_BOT_TOKEN" in caught.value.problem and "invalid_auth" in caught.value.problem
    assert fake.of("auth.test")[-1]["token"] == BAD_TOKEN


def test_socket_mode_answers_a_slash_command(slack_env, fake, monkeypatch):
    from dataclasses import replace

    from studio.errors import AuteurError
    from ui.slack.server import build_app, connect_socket_mode

    settings = replace(slack_env, slack_signing_secret=None, slack_app_token="xapp-1-test")
    command = {"command": "/auteur", "text": "status", "channel_id": CHANNEL, "user_id": "U0DANA",
               "trigger_id": "trig.socket", "response_url": fake.response_url("trig.socket")}
    fake.socket_mode([{"envelope_id": "env-1", "type": "slash_commands", "payload": command,
                       "accepts_response_payload": True}])
    studio = build_app(settings, socket_mode=True)
    handler = connect_socket_mode(studio)
    try:
        assert fake.wait_for(lambda: responses(fake, "trig.socket"))
        assert fake.wait_for(lambda: fake.of("socket_ack"))
        assert fake.of("socket_ack")[0]["envelope_id"] == "env-1"
        assert "script     draft" in responses(fake, "trig.socket")[0]["text"]
        assert fake.of("apps.connections.open")[0]["token"] == "xapp-1-test"
    finally:
        handler.close()
        studio.close()
    refused = build_app(replace(settings, slack_app_token=BAD_APP_TOKEN), socket_mode=True)
    with pytest.raises(AuteurError) as caught:
        connect_socket_mode(refused)
    refused.close()
    assert "Socket Mode" in caught.value.problem and "invalid_auth" in caught.value.problem


def test_events_read_as_slack_messages():
    from studio.engine.events import Event
    from ui.slack.messages import command_line, mention_text, message

    long = "\n".join(f"line {n} " + "x" * 90 for n in range(80))
    msg = message([Event("progress", "The Screenwriter is working…", data={"state": "running"}),
                   Event("progress", "done", data={"state": "done"}),
                   Event("message", "Nell <always> wears the red scarf & hat", author="Art Director"),
                   Event("message", long, author="Screenwriter"),
                   Event("question", "Approve it?", options=["Approve", "Revise"])], "C1:17.1")
    blocks = msg["blocks"]
    assert blocks[0] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "_The Screenwriter is working…_"}]}
    assert blocks[1]["text"]["text"] == "*Art Director:* Nell &lt;always&gt; wears the red scarf &amp; hat"
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in sections) and len(sections) >= 5
    assert "line 79" in "".join(sections), "long text is split, not cut"
    buttons = blocks[-1]["elements"]
    assert [json.loads(b["value"]) for b in buttons] == [{"k": "C1:17.1", "c": "Approve"},
                                                         {"k": "C1:17.1", "c": "Revise"}]
    assert "done" not in msg["text"] and len(msg["text"]) <= 3000
    assert message([Event("progress", "done", data={"state": "done"})], "C1") is None
    assert command_line("") == command_line(" help ") == "/help"
    assert command_line("revise look: warmer &amp; darker") == "/revise look: warmer & darker"
    assert mention_text("<@U0BOT> redo shot 3 as <https://x.test|a low angle>") == "redo shot 3 as a low angle"


def test_auteur_slack_serves_in_a_real_process(slack_env, fake):
    import os
    import signal
    import subprocess
    import sys

    port = free_port()
    env = {**os.environ, "AUTEUR_WORKSPACE": str(slack_env.workspace)}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "auteur"), "slack", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, "auteur slack did not start"
                time.sleep(0.2)
        body = urlencode({"command": "/auteur", "text": "status", "channel_id": CHANNEL, "trigger_id": "trig.proc",
                          "response_url": fake.response_url("trig.proc")}).encode()
        stamp = str(int(time.time()))
        request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(body, stamp)})
        with urllib.request.urlopen(request, timeout=10) as resp:
            assert resp.status == 200
        assert fake.wait_for(lambda: responses(fake, "trig.proc"), timeout=30)
        assert "script     draft" in responses(fake, "trig.proc")[0]["text"]
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert "Auteur answers Slack at http://127.0.0.1:" in out
