"""Runs one named task of a crew and returns its typed draft (the studio's CrewPort).

On a model profile marked tiny the draft is filled slot by slot (crews/slots.py): choices from lists through
the grammar, free text asked as plain text one short piece at a time (`ask`). Otherwise a one-task crewAI crew
writes it. Each run is for one person: what crewAI stores during it goes to their folder (`storage`), and
crewAI's task-output log stays in memory (crews.storage)."""

from __future__ import annotations

import functools
import hashlib
import string
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, TypeVar

from pydantic import BaseModel

from agents.llm.structured import StructuredLLM
from config.runtime import ensure_process_environment
from crews.slots import fill, first_line, question, readable, whole_sentences
from crews.storage import crew_class, run_storage
from studio.errors import AuteurError
from studio.fields import question_echo
from studio.ports import Lexicon
from studio.project import Usage

D = TypeVar("D", bound=BaseModel)
CONFIG = Path(__file__).resolve().parents[1] / "config"

# Which crew each task belongs to (the crews in this folder).
CREW_OF_TASK = {
    "brief": "development", "treatment": "development", "beats": "development", "script": "development",
    "character": "look", "location": "look", "prop": "look", "style": "look",
    "continuity": "look", "shots": "shot_design", "intent": "development",
}
# The most tokens one plain-text answer may take, by field (a sentence: DEFAULT_TOKENS); enough for what the
# question asks, too few for a model to run on.
FIELD_TOKENS = {"title": 24, "genre": 12, "tone": 16, "age": 12, "location": 16, "line": 48, "text": 100,
                "medium": 20, "palette": 20, "lighting": 20, "camera": 20, "notes": 32, "change": 32}
DEFAULT_TOKENS = 72
SENTENCE_FIELDS = {"logline", "text", "description", "action"}  # prose: an unfinished last sentence is dropped

def _placeholders(*templates: str) -> set[str]:
    return {f for t in templates for _, f, _, _ in string.Formatter().parse(t) if f}


def _yaml(name: str) -> dict:
    """The agents' or tasks' configuration: read once per process, a fresh copy for each crew."""
    import copy

    return copy.deepcopy(_read_yaml(name))


@functools.lru_cache(maxsize=None)
def _read_yaml(name: str) -> dict:
    import yaml

    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


class CrewRunner:
    """Builds the agents once; each run is a one-task crew kicked off with its inputs."""

    def __init__(self, llm: StructuredLLM, tools: Callable[[str], list] | None = None, *,
                 storage: Path | None = None) -> None:
        self.llm = llm
        self.tools = tools  # agent key → the render tools it owns, bound to the open project
        self.storage = storage  # the person's own folder for whatever crewAI stores during a run (crews.storage)
        self.agents_config = _yaml("agents.yaml")
        self.tasks_config = _yaml("tasks.yaml")
        self._lexicons: dict[str, Lexicon] = {}

    @cached_property
    def crews(self) -> dict[str, Any]:
        from crews.development import DevelopmentCrew
        from crews.look import LookCrew
        from crews.shot_design import ShotDesignCrew

        return {"development": DevelopmentCrew(self), "look": LookCrew(self), "shot_design": ShotDesignCrew(self)}

    def agent(self, key: str, schema: dict | None = None):
        ensure_process_environment()  # the telemetry switches, before crewAI loads
        from crewai import Agent

        from agents.crewai_llm import AuteurLLM

        cfg = self.agents_config[key]
        llm = AuteurLLM(model=self.llm.name, structured=self.llm, schema_override=schema)
        return Agent(role=cfg["role"], goal=cfg["goal"], backstory=cfg["backstory"], llm=llm,
                     allow_delegation=False, verbose=False, max_iter=2, tools=[])

    @property
    def can_use_tools(self) -> bool:
        """Render tools are bound and the model is not one of the tiny profiles."""
        return self.tools is not None and not getattr(self.llm, "tiny", False)

    def direct(self, agent_key: str, request: str) -> str:
        """A free request to one agent with its tools (for models that call tools): its answer in words."""
        with run_storage(self.storage):
            return self._direct(agent_key, request)

    def _direct(self, agent_key: str, request: str) -> str:
        ensure_process_environment()  # the telemetry switches, before crewAI loads
        from crewai import Agent, CrewOutput, Process, Task

        from agents.crewai_llm import AuteurLLM

        cfg = self.agents_config[agent_key]
        tools = self.tools(agent_key) if self.tools else []
        agent = Agent(role=cfg["role"], goal=cfg["goal"], backstory=cfg["backstory"],
                      llm=AuteurLLM(model=self.llm.name, structured=self.llm), allow_delegation=False,
                      verbose=False, max_iter=3, tools=tools)
        task = Task(description="The director asks: {request}\nUse your tools to make what they ask for, then "
                                "say in one sentence what you made.", expected_output="one sentence",
                    agent=agent, name="direct")
        crew = crew_class()(agents=[agent], tasks=[task], process=Process.sequential, verbose=False, memory=False,
                            cache=False, tracing=False)
        result = crew.kickoff(inputs={"request": request})
        assert isinstance(result, CrewOutput)  # the crew does not stream: kickoff returns the finished output
        return str(result.raw)

    def task(self, key: str, output: type[BaseModel], schema: dict | None = None):
        from crewai import Task

        cfg = self.tasks_config[key]
        return Task(description=cfg["description"], expected_output=cfg["expected_output"],
                    agent=self.agent(cfg["agent"], schema), output_pydantic=output, name=key)

    def run(self, task: str, inputs: dict[str, Any], output: type[D], schema: dict | None = None) -> D:
        if getattr(self.llm, "tiny", False):
            return fill(self, task, inputs, output, schema)
        with run_storage(self.storage):
            return self._run(task, inputs, output, schema)

    def persona(self, task: str) -> str:
        """The short system message for a task's agent: its role, and to answer briefly."""
        agent = self.agents_config[self.tasks_config[task]["agent"]]
        return f"You are the {agent['role']} of a short film. Answer briefly, in plain words."

    def ask(self, task: str, field: str, inputs: dict[str, Any]) -> str:
        """One short plain-text answer for one field of a task (its question: `fields.<field>` in
        config/tasks.yaml, formatted with `inputs`): the first line of what the model says. Not vetted here."""
        template, asked = self.questions(task, field, inputs)
        messages = [{"role": "system", "content": self.persona(task)}, {"role": "user", "content": asked}]
        with run_storage(self.storage):  # like every call of a person's run: anything stored goes to their folder
            answer = first_line(self._plain(messages, FIELD_TOKENS.get(field, DEFAULT_TOKENS)))
        answer = whole_sentences(answer) if field in SENTENCE_FIELDS else answer
        # A small model hands the question back ('In one or two sentences, we see…'): no answer, then.
        return "" if question_echo(answer, template, asked) else answer

    def questions(self, task: str, field: str, inputs: dict[str, Any]) -> tuple[str, str]:
        """A field's question: its template (`fields.<field>` in config/tasks.yaml) and as asked with `inputs`."""
        fields = (self.tasks_config.get(task) or {}).get("fields") or {}
        if field not in fields:
            raise AuteurError(f"the task {task!r} has no question for its field {field!r}",
                              f"add `{field}` under `fields:` of `{task}` in config/tasks.yaml")
        return fields[field], question(fields[field], inputs)

    def _plain(self, messages: list[dict], max_tokens: int) -> str:
        return str(self.llm.text(messages, max_tokens=max_tokens))

    def lexicon(self, sample: str) -> Lexicon:
        """The words of the languages `sample` is written in (agents.lexicon), found once per sample."""
        key = hashlib.sha256(sample.encode("utf-8", "replace")).hexdigest()
        if key not in self._lexicons:
            from agents.lexicon import lexicon_for

            if len(self._lexicons) >= 8:
                self._lexicons.pop(next(iter(self._lexicons)))
            self._lexicons[key] = lexicon_for(sample)
        return self._lexicons[key]

    def _run(self, task: str, inputs: dict[str, Any], output: type[D], schema: dict | None) -> D:
        from crewai import CrewOutput, Process

        crew_name = CREW_OF_TASK[task]
        built = getattr(self.crews[crew_name], task)(output, schema)
        crew = crew_class()(agents=[built.agent], tasks=[built], process=Process.sequential, verbose=False,
                            memory=False, cache=False, tracing=False)
        llm = built.agent.llm
        cfg = self.tasks_config[task]
        words = {k: "none" for k in _placeholders(cfg["description"], cfg["expected_output"])}
        words.update({k: readable(v) for k, v in inputs.items()})  # lists and facts as text, nothing missing
        try:
            result = crew.kickoff(inputs=words)
        except Exception:
            if getattr(llm, "failure", None) is not None:
                raise llm.failure from None
            raise
        if getattr(llm, "failure", None) is not None:
            raise llm.failure
        assert isinstance(result, CrewOutput)  # the crew does not stream: kickoff returns the finished output
        value = result.pydantic if result.pydantic is not None else output.model_validate_json(result.raw)
        return value if isinstance(value, output) else output.model_validate(value.model_dump())

    def take_usage(self) -> Usage:
        return self.llm.accountant.take()
