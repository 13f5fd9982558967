"""One person's work stays theirs: crew storage per user, the terminal's "last project", memory that fails.

- Two signed-in users of one studio process draft at the same time on the real crew (crewAI, the `fake/schema`
  model): neither's idea lands in the other's folder, in the shared workspace, the temp folder or the home folder,
  and whatever crewAI stores during a run is under the folder of the user it runs for.
- Only the terminal's own choices (`auteur new`, `auteur open`, `-p`, `auteur import`) change the project that
  commands without `-p` act on; a worker, Slack or Chainlit opening or making a project does not.
- A memory whose Qdrant fails mid-search (a server error, any library error) turns recall off with one note,
  and the draft goes on.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from studio.engine.events import Turn

ANN_IDEA = "Ann's marmalade lighthouse keeper adopts a zeppelin called Wobblequist"
BOB_IDEA = "Bob's submarine tango teacher falls for a glacier called Brindlewhisk"
ANN_MARK, BOB_MARK = b"Wobblequist", b"Brindlewhisk"


# ---------------------------------------------------------------- crew storage, per user


def files_under(root: Path, skip: Path | None = None) -> list[Path]:
    out = []
    for folder, dirs, names in os.walk(root):
        if skip is not None and Path(folder) == skip.parent:
            dirs[:] = [d for d in dirs if Path(folder, d) != skip]
        out += [Path(folder, n) for n in names if Path(folder, n).is_file()]
    return out


def holding(root: Path, mark: bytes, skip: Path | None = None) -> list[str]:
    """The files under ``root`` (but ``skip``) whose bytes contain ``mark`` (SQLite pages and WAL included)."""
    return [str(p.relative_to(root)) for p in files_under(root, skip) if mark in p.read_bytes()]


@pytest.fixture
def studio_of_two(tmp_path, workspace_dir, monkeypatch):
    """Ann and Bob signed in to one studio (AUTEUR_USERS: a folder each), with the process's temp folder, home
    and working folder moved where the test can read every byte written there."""
    from config.settings import Settings
    from ui.web.sign_in import SignIn

    for name in ("systmp", "home", "cwd"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "systmp"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "systmp"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("CREWAI_STORAGE_DIR", raising=False)  # as in a fresh studio process
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("AUTEUR_USERS", "ann:ann-secret,bob:bob-secret")
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    sign_in = SignIn(Settings.from_env())
    users = {name: sign_in.settings_for(SimpleNamespace(identifier=name, metadata={"provider": "password",
                                                                                     "own_folder": True}))
             for name in ("ann", "bob")}
    assert users["ann"].workspace.parent == users["bob"].workspace.parent == workspace_dir / "users"
    return SimpleNamespace(root=workspace_dir, users=users, tmp=tmp_path)


def test_two_users_crew_work_stays_in_their_own_folders(studio_of_two, monkeypatch):
    from crewai_core.paths import db_storage_path

    from agents.llm.fake import SchemaFakeChatModel
    from config.container import Container

    seen: list[tuple[str, str]] = []  # (whose idea the model was asked about, where crewAI stores just then)
    real_generate = SchemaFakeChatModel._generate

    def generate(self, messages, *args, **kwargs):
        text = " ".join(str(m.content) for m in messages)
        who = "ann" if ANN_MARK.decode() in text else "bob" if BOB_MARK.decode() in text else ""
        if who:
            seen.append((who, db_storage_path()))
        return real_generate(self, messages, *args, **kwargs)

    monkeypatch.setattr(SchemaFakeChatModel, "_generate", generate)
    ws = studio_of_two.users
    sessions = {name: Container(ws[name]).session(model="fake/schema") for name in ("ann", "bob")}  # Ann's first
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def chat(name: str, idea: str) -> None:
        try:
            start.wait()
            for text in (idea, "/revise brief: more " + idea.split()[-1]):
                events = list(sessions[name].handle(Turn(text=text)))
                assert not [e for e in events if e.kind == "error"], [e.text for e in events]
        except BaseException as exc:  # handed to the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=chat, args=("ann", ANN_IDEA)), threading.Thread(target=chat,
                                                                                        args=("bob", BOB_IDEA))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not failures, failures
    for name, mark in (("ann", ANN_MARK), ("bob", BOB_MARK)):
        assert holding(ws[name].workspace, mark), f"{name}'s own project holds {name}'s idea"

    # Neither's idea in the other's folder, in the shared workspace around the users' folders, or in the
    # process's temp folder, home and working folder.
    users_dir = studio_of_two.root / "users"
    assert holding(ws["ann"].workspace, BOB_MARK) == [], "Bob's idea in Ann's folder"
    assert holding(ws["bob"].workspace, ANN_MARK) == [], "Ann's idea in Bob's folder"
    for mark in (ANN_MARK, BOB_MARK):
        assert holding(studio_of_two.root, mark, skip=users_dir) == [], "an idea in the shared workspace"
        for place in ("systmp", "home", "cwd"):
            assert holding(studio_of_two.tmp / place, mark) == [], f"an idea in {place}"
    # No lock file of crewAI's in the temp folder, no task-output log anywhere.
    assert [p.name for p in files_under(studio_of_two.tmp / "systmp")] == []
    assert not list(studio_of_two.tmp.rglob("latest_kickoff_task_outputs.db*"))

    # Whatever crewAI stores during a run goes to the folder of the user it runs for.
    assert {who for who, _ in seen} == {"ann", "bob"}
    for who, where in seen:
        assert Path(where) == ws[who].workspace / ".auteur" / "crewai", (who, where)


# ---------------------------------------------------------------- the terminal's last project


@pytest.fixture
def cli(workspace_dir):
    from ui.cli import app

    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, f"auteur {' '.join(args)}\n{result.output}\n{result.exception!r}"
        return result

    return run


def last(cli) -> str:
    return json.loads(cli("status", "--json").stdout)["slug"]


def test_only_the_terminal_chooses_the_last_project(cli, workspace_dir):
    from config.container import Container

    for title in ("Alpha", "Beta"):
        cli("new", title)
    assert last(cli) == "beta", "`auteur new` chooses the project it makes"
    cli("status", "-p", "alpha")
    assert last(cli) == "alpha", "-p chooses"

    # What a worker does for a job, what Slack and Chainlit do for a chat: none of it is the terminal's choice.
    container = Container()
    container.workspace.open("beta")  # a render job's executor opening the job's project
    container.session(project="beta")  # a Slack thread, a Chainlit chat on a chosen project
    chat = container.session()
    list(chat.handle(Turn(text="/open beta")))
    list(chat.handle(Turn(text="/new Gamma")))
    assert chat.store is not None and chat.store.slug == "gamma"
    assert last(cli) == "alpha", "a worker, Slack or Chainlit moved the terminal's project"

    cli("open", "beta")
    assert last(cli) == "beta", "`auteur open` chooses"
    bad = cli("open", "ghost", ok=False)
    assert bad.exit_code == 1 and last(cli) == "beta"


# ---------------------------------------------------------------- memory that fails


class BrokenQdrant:
    """A Qdrant client whose searches fail the way a server in trouble does (the index itself works)."""

    def __init__(self, error: BaseException) -> None:
        from qdrant_client import QdrantClient

        self.real = QdrantClient(location=":memory:")
        self.error = error

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def query_points(self, *args, **kwargs):
        raise self.error

    def count(self, *args, **kwargs):
        return self.real.count(*args, **kwargs)


class Embedder:
    """Four numbers a text: enough for an index, no model to load."""

    dimension, tag = 4, "test0001"

    def encode(self, texts: list[str]) -> list[list[float]]:
        return [[float(len(t) % 7 + 1), 1.0, float(t.count(" ") % 5), 0.5] for t in texts]


def server_error() -> BaseException:
    import httpx
    from qdrant_client.http.exceptions import UnexpectedResponse

    return UnexpectedResponse(500, "Internal Server Error", b'{"status":{"error":"Service internal error"}}',
                              httpx.Headers())


@pytest.mark.parametrize("error", [server_error, lambda: RuntimeError("segment is locked")],
                         ids=["qdrant-500", "runtime-error"])
def test_memory_that_fails_mid_draft_turns_recall_off_and_the_draft_goes_on(workspace, error):
    from agents.llm.fake import SchemaFakeChatModel
    from agents.llm.structured import StructuredLLM
    from crews.runner import CrewRunner
    from memory.recall import ProjectMemory
    from memory.semantic import SemanticMemory
    from studio.engine.session import Session

    client = BrokenQdrant(error())
    session = Session(workspace, CrewRunner(StructuredLLM(SchemaFakeChatModel(), name="fake")),
                      memory=lambda store: ProjectMemory(store, SemanticMemory(client, Embedder())))
    events = list(session.handle(Turn(text=ANN_IDEA)))  # a new project: nothing to search yet
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events), "the brief was drafted"
    events = list(session.handle(Turn(text="/revise brief: warmer")))  # the brief is indexed: a search fails
    assert not [e for e in events if e.kind == "error"], [e.text for e in events if e.kind == "error"]
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events), "the revision was drafted"
    notes = [e.text for e in events if "Memory is off" in e.text]
    assert len(notes) == 1 and "without recall" in notes[0], notes
    assert str(workspace.root) not in notes[0]
    events = list(session.handle(Turn(text="/revise brief: colder")))  # recall stays off: no second note
    assert any(e.kind == "artifact" for e in events) and not [e for e in events if "Memory is off" in e.text]
    events = list(session.handle(Turn(text="/recall the zeppelin")))
    assert events[0].kind == "error" and "memory is off" in events[0].text


def test_a_memory_port_error_in_recall_is_a_clear_message(workspace):
    """The port itself never hands a library's error to the engine."""
    from memory.recall import ProjectMemory
    from memory.semantic import MemoryUnavailable, SemanticMemory
    from studio.models import Brief
    from studio.project import Author
    from studio.stages import Stage

    store = workspace.create("Zeppelin")
    store.save(Stage.BRIEF, Brief(title="Zeppelin", logline=ANN_IDEA), author=Author.agent("Producer"),
               summary="brief")
    memory = ProjectMemory(store, SemanticMemory(BrokenQdrant(server_error()), Embedder()))
    with pytest.raises(MemoryUnavailable) as raised:
        memory.context(Stage.BRIEF, query="the zeppelin")
    assert "UnexpectedResponse" in raised.value.problem and str(workspace.root) not in str(raised.value)
    with pytest.raises(MemoryUnavailable):
        memory.recall("the zeppelin")
