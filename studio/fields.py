"""Every field a model writes is vetted before it reaches an artifact: checked (studio.vetting), repaired once
(the crew is asked for that one field in plain words), then written by rule (studio.fallbacks) and noted.

A draft that is not JSON at all (the runner's own repair failed too) is not the end of a stage: it becomes an
empty draft whose every field goes the same way, repair then rule. A model that cannot be reached is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence, TypeVar

from pydantic import BaseModel

from studio.errors import AuteurError, ModelOutputError, ModelUnreachable
from studio.ports import CrewPort, Lexicon
from studio.vetting import Kind, vet

D = TypeVar("D", bound=BaseModel)

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A leading label of one to three words and a colon: 'The film:', 'The story:', 'Logline:', 'A Young Knight:'.
_LEAD_LABEL = re.compile(r"^\W{0,2}(?:[^\W\d_][\w'’-]*\s+){0,2}[^\W\d_][\w'’-]*\s*:\s+(?=\S)")
ECHO_RUN = 4  # words in a row of the question's own text: an answer that has them repeats the question
_STOP = frozenset("""about above after again against also among another around away back because been before
    being below between both could does doing down during each every from further have having here into itself just
    like more most much must never once only other ought over same should some such than that their theirs them
    then there these they this those through under until upon very were what when where which while whom whose
    will with within without would your yours film story""".split())
_PRONOUNS = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "you", "your", "yours",
                       "i'm", "i've", "i'll", "i'd", "we're", "we've", "we'll", "you're", "you've", "you'll",
                       "let's"})


def unusable(exc: BaseException) -> bool:
    """The model answered, but with no valid draft even after the runner's repair."""
    return isinstance(exc, ModelOutputError)


def unreachable(exc: BaseException) -> bool:
    """The model could not be reached (server down, key refused)."""
    return isinstance(exc, ModelUnreachable)


def bound(model: type[BaseModel], name: str) -> int:
    """The ``max_length`` the film model allows for a field (2000 when it sets none)."""
    for meta in model.model_fields[name].metadata:
        limit = getattr(meta, "max_length", None)
        if isinstance(limit, int):
            return limit
    return 2000


def echoes_of(*drafts: type[BaseModel]) -> tuple[str, ...]:
    """What a model must not hand back as an answer: the drafts' own field descriptions and labels."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("description", "title"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for draft in drafts:
        walk(draft.model_json_schema())
        found.extend(draft.model_fields)
    return tuple(dict.fromkeys(f for f in found if f.strip()))


def tokens(text: str) -> list[str]:
    """Lower-case words (and numbers) of ``text``, without punctuation."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def _said(text: str) -> list[str]:
    """Words compared for echoes: lower case, without a plural s ('The story beats:' repeats 'The story beat:')."""
    return [t[:-1] if len(t) > 3 and t.endswith("s") else t for t in tokens(text)]


def stems(text: str) -> set[str]:
    """The content words of ``text`` by stem: words of 4+ letters that are not stopwords, without a possessive or
    a final e, their first 5 letters ('granddaughter' → 'grand', "boxer's" → 'boxer', 'ride' → 'rid')."""
    found = set()
    for t in tokens(text):
        t = re.sub(r"'s?$", "", t)
        if len(t) >= 4 and t.isalpha() and t not in _STOP:
            found.add((t[:-1] if t.endswith("e") else t)[:5])
    return found


def shares_words(text: str, source: str) -> bool:
    """``text`` keeps to ``source``: a content word in common, one stem the start of the other ('ride', 'riding');
    or ``source`` has none to share."""
    wanted = stems(source)
    return not wanted or any(a.startswith(b) or b.startswith(a) for a in stems(text) for b in wanted)


_FRAME = re.compile(r"^\W*(?:in\s+)?(?:the|this|our|a)\s+(?:film|movie|story|scene|plot)(?:'s)?\s+(?:is|was|opens|"
                    r"starts|begins|unfolds|takes|follows|tells|revolves|centers|centres|focuses)\b|"
                    r"^\W*in\s+(?:the|this)\s+(?:film|movie|story)\b", re.I)


def framed(text: str) -> bool:
    """Talk about the film instead of the story ('The film is set in…', 'The scene is set in…')."""
    return bool(_FRAME.search(text))


def on_story(text: str, source: str) -> bool:
    """Prose that keeps to ``source`` (a content word of it) and tells the story rather than talks of the film."""
    return shares_words(text, source) and not framed(text)


def question_echo(answer: str, template: str, asked: str = "") -> str:
    """The words of the question that ``answer`` repeats, or "": ECHO_RUN words in a row of the template's own text
    ('In one or two sentences'), or ECHO_RUN words in a row of the question as asked of which three in a row are
    the template's own ('the story beat: Rising Action'). The inputs alone repeated (the idea's words) are no echo."""
    said = _said(answer)
    texts = _PLACEHOLDER.split(template.replace("[", " ").replace("]", " "))
    fixed = [p for p in (_said(t) for t in texts) if p]
    # A label of the question's ('The story beat:', 'The scene:') handed back as the answer's own label.
    labels = {" ".join(_said(m.group(1))) for t in texts for m in re.finditer(r"([A-Za-z][\w' ]*):", t)}
    flat = " ".join(_said(" ".join(re.findall(r"([A-Za-z][\w' ]*):", answer))))
    for label in labels:
        if len(label.split()) >= 2 and f" {label} " in f" {flat} ":
            return label

    def within(run: list[str], piece: list[str]) -> bool:
        n = len(run)
        return any(piece[k:k + n] == run for k in range(len(piece) - n + 1))

    for i in range(len(said) - ECHO_RUN + 1):
        run = said[i:i + ECHO_RUN]
        if any(within(run, p) for p in fixed):
            return " ".join(run)
    question = _said(asked)
    for i in range(len(said) - ECHO_RUN + 1):
        run = said[i:i + ECHO_RUN]
        if within(run, question) and any(within(run[k:k + 3], p) for k in range(ECHO_RUN - 2) for p in fixed):
            return " ".join(run)
    return ""


def without_label(text: str) -> str:
    """``text`` without a leading label of one to three words and a colon ('The film: …'); "" when it has none."""
    m = _LEAD_LABEL.match(text.strip())
    return text.strip()[m.end():].strip() if m else ""


def spoken(line: str, speaker: str, cast: Iterable[str]) -> str:
    """A line of dialogue as the speaker says it: a leading 'NAME:' (the speaker or one of the cast) and the quotes
    after it taken off; "" when the line is narration about its own speaker ('The night was a perfect setting for
    Aiko and Yuki…' as YUKI's line): it names them and says no I, me, my, we or you."""
    text = " ".join(line.split())
    names = {n.strip().lower() for n in (speaker, *cast) if n.strip()}
    own = speaker.strip().lower()
    m = re.match(r"^\W{0,2}([^\W\d_][\w'’ .-]{0,40}?)\s*:\s*", text)
    label = m.group(1).strip().lower() if m else ""
    quoted = m is not None and text[m.end():m.end() + 1] in ("\"", "“", "'", "‘")
    # 'ELENA: …', 'The voice: "…"', 'The line is: "…"', 'Sofia, "…"' (said by Sofia): the words are the line.
    if m and (label in names or (quoted and len(label.split()) <= 3)):
        text = text[m.end():].strip().strip("\"“”'‘’").strip()
    elif own and re.match(rf"^\W{{0,2}}{re.escape(own)}\s*,\s*[\"“]", text, re.I):
        text = text.split(",", 1)[1].strip().strip("\"“”'‘’").strip()
    if own and re.match(rf"^\W{{0,2}}{re.escape(own)}\b", text, re.I):
        return ""  # the speaker talking to themselves by name is the question's frame, not a line
    told = re.search(r"\b(?:said|says|asked|asks|replied|replies|whispers|whispered|shouts|shouted)\b[^\"“]{0,40}?"
                     r"[:,]\s*[\"“]", text, re.I)
    if told:  # 'The old man's eyes welled up, and he said to them all: "I don't know…"': the words said
        text = text[told.end():].strip().strip("\"“”'‘’").strip()
    words = tokens(text)
    if own and any(w == own or w == f"{own}'s" for w in words) and not _PRONOUNS.intersection(words):
        return ""
    return text


def fit(text: str, max_chars: int) -> str:
    """Text written by rule, cut at a word under ``max_chars``."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


@dataclass
class Vetter:
    """Vets the fields of one stage's drafts; remembers which fell back to text written by rule."""

    crew: CrewPort
    lexicon: Lexicon
    known: tuple[str, ...] = ()
    echoes: tuple[str, ...] = ()
    fallbacks: list[str] = field(default_factory=list)
    repairs: list[tuple[str, str]] = field(default_factory=list)

    def check(self, text: str, kind: Kind, max_chars: int, echoes: Sequence[str] = ()) -> str:
        """The cleaned text when it passes, else ''. A leading label ('The film:') is taken off, and what follows
        must pass by itself (not from a line of dialogue: `spoken` knows the speakers' names)."""
        every = (*self.echoes, *echoes)

        def judged(answer: str) -> str:
            verdict = vet(answer, kind, self.lexicon, max_chars=max_chars, known=self.known, echoes=every)
            return verdict.text if verdict.ok else ""

        rest = without_label(text or "") if kind != "line" else ""
        return judged(rest) if rest else judged(text or "")  # a label never carries what fails without it

    def questions(self, task: str, name: str, inputs: dict[str, Any]) -> tuple[str, str]:
        """The question the crew asks for a field (its template, and as asked with ``inputs``); ("", "") when the
        crew does not say (a crew without plain questions)."""
        asked = getattr(self.crew, "questions", None)
        if asked is None:
            return "", ""
        try:
            template, question = asked(task, name, inputs)
        except AuteurError:
            return "", ""
        return str(template), str(question)

    def accept(self, text: str, kind: Kind, max_chars: int, asked: tuple[str, str],
               prepare: Callable[[str], str] | None = None, keep: Callable[[str], bool] | None = None,
               echoes: Sequence[str] = ()) -> str:
        """``text`` vetted as an answer to the question ``asked``: never its echo, prepared, checked, kept."""
        template, question = asked
        if not text or (template and question_echo(text, template, question)):
            return ""
        text = prepare(text) if prepare else text
        # The question's own words are echoes to vet. The question as asked is judged by `question_echo` above, not
        # by vet's rule that an answer must not be part of an echo: the idea it carries is the person's, and an
        # answer may rightly repeat it.
        pieces = [p.strip(" .,;:?!\"") for p in _PLACEHOLDER.split(template.replace("[", " ").replace("]", " "))]
        every = [*echoes, *pieces]
        good = self.check(text, kind, max_chars, tuple(e for e in every if e)) if text else ""
        return good if good and (keep is None or keep(good)) else ""

    def ask(self, task: str, name: str, inputs: dict[str, Any]) -> str:
        self.repairs.append((task, name))
        try:
            return self.crew.ask(task, name, inputs)
        except AuteurError as exc:  # a repair that fails is a repair that did not help; an unreachable model is not
            if unreachable(exc):
                raise
            return ""

    def field(self, text: str, *, task: str, name: str, kind: Kind, max_chars: int, label: str,
              inputs: dict[str, Any], fallback: str | Callable[[], str],
              prepare: Callable[[str], str] | None = None, keep: Callable[[str], bool] | None = None,
              echoes: Sequence[str] = ()) -> str:
        """The model's text if it passes; else one repair, vetted again; else ``fallback`` (noted as ``label``).
        An empty fallback means the field is left blank (nothing is known to put there). Neither answer may echo
        the field's question; ``prepare`` cleans an answer before vetting ("" refuses it), ``keep`` judges what
        passed (False refuses it: a brief's title with nothing of the idea); ``echoes`` are more texts it must not be."""
        asked = self.questions(task, name, inputs)
        good = self.accept(text, kind, max_chars, asked, prepare, keep, echoes)
        if good:
            return good
        good = self.accept(self.ask(task, name, inputs), kind, max_chars, asked, prepare, keep, echoes)
        if good:
            return good
        self.fallbacks.append(label)
        return fit(fallback() if callable(fallback) else fallback, max_chars)

    def run(self, task: str, inputs: dict[str, Any], output: type[D], empty: Callable[[], D],
            schema: dict[str, Any] | None = None, label: str = "") -> D:
        """The crew's draft; an ``empty`` one when the model gave no valid draft at all (its fields then go
        through repair and rule like any failed field; ``label`` is noted when there are none to go)."""
        try:
            return self.crew.run(task, inputs, output, schema=schema)
        except AuteurError as exc:
            if not unusable(exc):
                raise
            if label:
                self.fallbacks.append(label)
            return empty()
