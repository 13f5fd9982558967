"""Property-based fuzzing of every crewAI tool the crews hand to their agents, against a real project on Git.

The tools are found as the crew finds them (the Container's CrewRunner asks `tools(agent_key)` for every
agent of agents.yaml), so a new tool is fuzzed too. A model may call a tool with anything: each call must end
in the tool's answer (text) or a clean AuteurError (a value of the wrong type is refused by the tool's schema,
before our code runs), show no absolute server path, create nothing outside the workspace, and render
nothing: without a conversation's yes the render gate refuses, so no take is drawn.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from studio.errors import AuteurError
from tools.render.crew_tools import OWNERS
from tests.adversarial.test_fuzz_commands import PROJECT, Bench, fuzz_bench, leaks, word  # noqa: F401

EXAMPLES = 15
TOOLS = sorted({name for owned in OWNERS.values() for name in owned})  # what the crew's agents are given
text = st.lists(word, max_size=4).map(" ".join)
odd = st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.lists(st.integers(), max_size=3),
                st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def crew_tools(container, session) -> dict[str, object]:
    """Every tool an agent of the crew is given, by name."""
    runner = container.crew(store_of=session.require_project)
    assert runner.tools is not None, "the container binds render tools to the crew"
    found: dict[str, object] = {}
    for key in runner.agents_config:
        for tool in runner.tools(key):
            found[tool.name] = tool
    return found


def tool_args(schema: type[BaseModel], values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """Keyword arguments for a tool: each field of its schema, an optional one sometimes left out."""
    fields = {name: values if field.is_required() else st.one_of(st.just(...), values)
              for name, field in schema.model_fields.items()}
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not ...})


def takes_on_disk(bench: Bench) -> list[str]:
    renders = bench.workspace / PROJECT / "03_Renders"
    return sorted(str(p.relative_to(renders)) for p in renders.rglob("*") if p.is_file()) if renders.is_dir() else []


@pytest.fixture(scope="module")
def tools_bench(fuzz_bench):  # noqa: F811  (the fixture imported above)
    bench, container = fuzz_bench
    with pytest.MonkeyPatch.context() as mp:
        for key, value in bench.env().items():
            mp.setenv(key, value)
        mp.chdir(bench.cwd)
        bench.fresh()
        session = container.session(project=PROJECT)
        names = sorted(crew_tools(container, session))
    return bench, container, names


def call(bench: Bench, container, name: str, kwargs: dict, *, typed: bool) -> None:
    bench.fresh()
    before = bench.outside()
    takes = takes_on_disk(bench)
    session = container.session(project=PROJECT)
    tool = crew_tools(container, session)[name]
    said = " ".join(str(v) for v in kwargs.values())
    try:
        answer = tool.run(**kwargs)
    except AuteurError as exc:
        for shown in (exc.problem, exc.fix):
            assert not leaks(shown, said, bench), f"{name}({kwargs!r}): the error shows a server path: {shown!r}"
    except (ValidationError, ValueError) as exc:  # crewAI's schema check, before our code: told to the model
        assert not typed and "arguments validation failed" in str(exc), \
            f"{name}({kwargs!r}): {type(exc).__name__}: {exc}"
    else:
        assert isinstance(answer, str), f"{name}({kwargs!r}) answered {type(answer).__name__}"
        assert not leaks(answer, said, bench), f"{name}({kwargs!r}): the answer shows a server path: {answer!r}"
    assert bench.outside() == before, f"{name}({kwargs!r}) made or changed something outside the workspace"
    assert takes_on_disk(bench) == takes, f"{name}({kwargs!r}) rendered without a yes"


def fuzz_tool(tools_bench, name: str, values: st.SearchStrategy, *, typed: bool) -> None:
    bench, container, _ = tools_bench
    session = container.session(project=PROJECT)
    schema = crew_tools(container, session)[name].args_schema

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(kwargs=tool_args(schema, values))
    def fuzz(kwargs: dict) -> None:
        call(bench, container, name, kwargs, typed=typed)

    with pytest.MonkeyPatch.context() as mp:
        for key, value in bench.env().items():
            mp.setenv(key, value)
        mp.chdir(bench.cwd)
        fuzz()


@pytest.mark.parametrize("name", TOOLS)
def test_every_tool_takes_any_text_cleanly(tools_bench, name):
    fuzz_tool(tools_bench, name, text, typed=True)


def test_the_tools_fuzzed_are_the_tools_the_crew_hands_out(tools_bench):
    assert tools_bench[2] == TOOLS


@pytest.mark.parametrize("name", TOOLS)
def test_tools_refuse_values_of_the_wrong_type_cleanly(tools_bench, name):
    fuzz_tool(tools_bench, name, odd, typed=False)
