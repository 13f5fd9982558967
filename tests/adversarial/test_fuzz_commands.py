"""Property-based fuzzing of every chat command's arguments, against a real project on Git.

Every command of the registry (enumerated, so a new one is fuzzed too) is given arguments made of names,
numbers, paths (`../..`, absolute, `~`, NUL), unicode (RTL, combining, emoji, full-width), huge values,
nothing, and option-looking words. Each run must end in events or a clean AuteurError (no other exception),
show no absolute server path in any message, create nothing outside the workspace, and a command that only
reads must leave every project's Git HEAD and files as they were.

The project (Night Shift imported and drafted up to its shot list on `fake/schema`) is made once per test
run and copied in before each example. Renders: `/render` is fuzzed with its budget gate refusing (no
"yes" in its words), so the estimate is shown and nothing is drawn.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.engine.commands import REGISTRY
from studio.errors import AuteurError

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"
PROJECT = "night-shift"
DEPTH = 8  # the workspace sits this deep under the fuzz root, so that '../' escapes land where we look
ESCAPE = f"/tmp/auteur-fuzz-escape-{os.getpid()}"  # an absolute target no command may create

# ------------------------------------------------------------------ what the arguments are made of

NASTY = [
    "", " ", "..", "../..", "../../../../TMP/PWN", "../" * 7 + "PWN", "./x", "a/b", "a\\b", "/", "/etc/passwd",
    ESCAPE, ESCAPE + "/x", "~", "~/x", "~root", "a\x00b", "\x00", "nul\x00/../x", "\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd",
    "e\u0301\u0301\u0301", "\U0001f3ac\U0001f3a5", "\uff26\uff55\uff4c\uff4c", "\ufeff", "\u200b", "\t", "\n\n",
    "9" * 400, "x" * 5000, "-1", "0", "00", "1e309", "nan", "inf", "-0", str(2 ** 64), "1.3", "100.1", "1.100",
    "S01_SH003", "S100_SH001", "S1_SH", "--x", "-p", "--slug", "--slug ../x", "--yes", "--help", "-rf",
    "'", '"', "`", "$(id)", "%s", "{}", "{0}", "<script>", "CON", "AUX.txt", ".git", ".auteur", "HEAD",
    "refs/heads/main", "main", "@{-1}", "--pathspec-from-file=/etc/passwd", "night-shift", "DEE", "NELL",
]
VOCAB = ["brief", "treatment", "beats", "script", "breakdown", "look", "shots", "prompts", "boards", "clips",
         "cut", "export", "scene", "new", "switch", "list", "video:", "reset", "anyway", "pdf", "fdx",
         "fountain", "edl", "mp4", "zip", "sketch", "draft", "standard", "cinematic", "tier", "1", "2", "3"]
YES = {"yes", "y", "now"}  # the words that get past the render gate

word = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(VOCAB),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Lu", "Ll", "Mn", "Nd", "Pd", "Po", "So", "Cf"]),
            max_size=20),
    st.builds(lambda k, name: "../" * k + name, st.integers(0, DEPTH - 1), st.sampled_from(["PWN", "x", ".git"])),
)
arguments = st.lists(word, max_size=5).map(" ".join)

# How many examples each command gets: commands that start a crew run take seconds each on `fake/schema`.
CREW = {"next": 3, "revise": 3, "structure": 3, "approve": 6, "pick": 6, "restore": 10}
EXAMPLES = 12


# ------------------------------------------------------------------ the project, made once


def snapshot(root: Path, *, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every file and folder under ``root`` (but ``skip``): its path → a digest of what it holds."""
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for d in dirnames:
            seen[str((here / d).relative_to(root)) + "/"] = "dir"
        for f in filenames:
            path = here / f
            rel = str(path.relative_to(root))
            if path.is_symlink():
                seen[rel] = "link:" + os.readlink(path)
            else:
                try:
                    seen[rel] = hashlib.sha1(path.read_bytes()).hexdigest()
                except OSError:
                    seen[rel] = "unreadable"
    return seen


def project_state(workspace: Path) -> dict[str, str]:
    """What a read-only command must not change: every project's files, its HEAD and its branches."""
    state: dict[str, str] = {}
    for project in sorted(p for p in workspace.iterdir() if (p / ".git").exists()):
        git = project / ".git"
        for name, digest in snapshot(project, skip=(git, project / ".auteur")).items():
            state[f"{project.name}/{name}"] = digest
        for name, digest in snapshot(git, skip=(git / "objects", git / "logs", git / "index")).items():
            if not name.endswith(".lock"):
                state[f"{project.name}/.git/{name}"] = digest
    state["projects"] = ",".join(sorted(p.name for p in workspace.iterdir()))
    return state


class Bench:
    """A fuzz root with a home, a working folder and a workspace deep inside, and the prepared project."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.cwd = root / "cwd"
        self.workspace = root.joinpath(*[f"d{k}" for k in range(DEPTH)], "ws")
        self.template = root / "template"
        for folder in (self.home, self.cwd, self.workspace.parent):
            folder.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        return {"AUTEUR_WORKSPACE": str(self.workspace), "AUTEUR_MEMORY": "off", "AUTEUR_MODEL": "fake/schema",
                "AUTEUR_USER_NAME": "Dana Director", "AUTEUR_USER_EMAIL": "dana@example.test",
                "AUTEUR_LOCK_TIMEOUT": "5", "AUTEUR_JOBS": "local", "HOME": str(self.home)}

    def fresh(self) -> None:
        """The workspace as prepared, before an example."""
        shutil.rmtree(self.workspace, ignore_errors=True)
        shutil.copytree(self.template, self.workspace, symlinks=True)

    def outside(self) -> dict[str, str]:
        """Everything under the fuzz root but the workspace and the template, and the absolute escape."""
        seen = snapshot(self.root, skip=(self.workspace, self.template))
        if os.path.lexists(ESCAPE):
            seen[ESCAPE] = "escaped"
        return seen


@pytest.fixture(scope="session")
def fuzz_bench(tmp_path_factory) -> Iterator[tuple[Bench, object]]:
    """The fuzz root, the prepared project (drafted once, copied per example) and a Container on it."""
    bench = Bench(tmp_path_factory.mktemp("fuzz"))
    with pytest.MonkeyPatch.context() as mp:
        for key, value in bench.env().items():
            mp.setenv(key, value)
        mp.delenv("QDRANT_URL", raising=False)
        mp.chdir(bench.cwd)
        from config.container import Container
        from config.settings import Settings
        from studio.stages import Stage

        container = Container(Settings.from_env())
        session = container.session(auto_approve=True)
        list(session.command("/new Night Shift"))
        list(session.bring(SAMPLE.name, SAMPLE.read_bytes()))
        list(session.run_until(Stage.SHOTS))
        assert session.store is not None and session.store.manifest().status(Stage.SHOTS).value == "approved"
        shutil.copytree(bench.workspace, bench.template, symlinks=True)
    yield bench, container


# ------------------------------------------------------------------ the properties

ABSOLUTE = re.compile(r"(?<![\w.~-])/(?:tmp|home|work|root|usr|var|etc|proc|opt|srv|mnt)/")


def leaks(text: str, said: str, bench: Bench) -> list[str]:
    """The server paths a message shows that the person did not type themselves."""
    rest = text
    for typed in sorted({said, said.strip(), said.upper(), said.strip().upper(), *said.split()}, key=len,
                        reverse=True):
        if typed:
            rest = rest.replace(typed, "")
    found = [p for p in (str(bench.root), str(REPO), str(bench.home), os.path.expanduser("~")) if p in rest]
    if ABSOLUTE.search(rest):
        found.append(ABSOLUTE.search(rest).group(0))
    return found


def words_of(event) -> list[str]:
    """What a person reads of an event: its text, and an error's problem and fix."""
    shown = [event.text]
    if event.kind == "error":
        shown += [str(v) for v in event.data.values() if isinstance(v, str)]
    return shown


def check_command(bench: Bench, container, name: str, args: str) -> None:
    from studio.stages import Stage  # noqa: F401  (the engine is loaded by the fixture)

    bench.fresh()
    before_outside = bench.outside()
    before_project = project_state(bench.workspace)
    session = container.session(project=PROJECT)
    line = f"/{name} {args}"
    events = []
    try:
        for event in session.command(line):
            events.append(event)
            assert len(events) < 2000, f"{line!r}: no end to its events"
    except AuteurError as exc:
        for shown in (exc.problem, exc.fix):
            assert not leaks(shown, args, bench), f"{line!r}: the error shows a server path: {shown!r}"
    for event in events:
        for shown in words_of(event):
            assert not leaks(shown, args, bench), f"{line!r}: {event.kind} shows a server path: {shown!r}"
        path = event.data.get("path") if isinstance(event.data, dict) else None
        if isinstance(path, str) and path:
            assert Path(path).resolve().is_relative_to(bench.workspace.resolve()), \
                f"{line!r}: an event points outside the workspace: {path!r}"
    assert bench.outside() == before_outside, f"{line!r} made or changed something outside the workspace"
    if REGISTRY.commands[name].reads_only:
        assert project_state(bench.workspace) == before_project, f"{line!r} only reads, yet changed the project"


def budget_examples(name: str) -> int:
    return CREW.get(name, EXAMPLES)


@pytest.mark.parametrize("name", sorted(REGISTRY.commands))
def test_every_command_takes_any_arguments_cleanly(name, fuzz_bench):
    bench, container = fuzz_bench
    words = arguments
    if name == "render":  # fuzzed with the budget gate refusing: nothing is drawn without a yes
        words = arguments.filter(lambda a: not YES & set(a.lower().replace("--", "").split()))

    @settings(max_examples=budget_examples(name), deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(args=words)
    def fuzz(args: str) -> None:
        check_command(bench, container, name, args)

    with pytest.MonkeyPatch.context() as mp:
        for key, value in bench.env().items():
            mp.setenv(key, value)
        mp.chdir(bench.cwd)
        fuzz()


def test_every_command_is_fuzzed():
    """A command added to the registry is fuzzed by the test above without a change here; the budget table
    only names commands that exist."""
    assert set(CREW) <= set(REGISTRY.commands)
    assert len(REGISTRY.commands) >= 20


# ------------------------------------------------------------------ reproducers found by the fuzzing
