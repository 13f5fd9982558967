"""Screenplays by other people through the look stage, on the real embedded model (SmolLM2-135M, llama.cpp).

`auteur import FILE`, then `auteur run -p SLUG --until look --yes`, with no model named: the look must be
approved, give every speaking character words a person can read, keep every age the script states, and hold no
web address, no markup and no non-word. The ages are read here by a reading of our own (not studio.facts), and
that reading is itself checked against a table made by eye from each file.

tests/corpus/ holds the screenplays and their licences (see its README: no free 40-scene screenplay could be
brought in; these are the longest public-domain ones found).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studio.breakdown import break_down
from studio.fountain import parse
from studio.stages import Stage

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"

# Ages as the scripts state them, read by eye (file line → name: age):
#   'CHALF, NAR, and YOR, each male and 15,'            'THRAIN, a brown Unicorn mare … 6 (26 in human years)'
#   'CHARYA, a stereotype nice Librarian lady, 30,'     'CYBER BOB, 40, a white man'   'MARGARET, 37, a white woman'
#   'CYBER BOSS, 40 (or any age), an ageless, …'        'NELL (40s)'  'WALT (60s)'  'ROY (50s)'  'DEE (30s)'
SCRIPTS = {
    "the_library_freak_out": (CORPUS / "the_library_freak_out.fountain",
                              {"CHALF": "15", "NAR": "15", "YOR": "15", "THRAIN": "6", "CHARYA": "30"}),
    "cyber_bob_ep00001": (CORPUS / "cyber_bob_ep00001.fountain",
                          {"CYBER BOB": "40", "MARGARET": "37", "CYBER BOSS": "40"}),
}
# The bundled sample (NELL 40s …) goes through the look and on to prompts in test_embedded_model.py.

_CAPS_RUN = re.compile(r"(?<![A-Za-z'’-])[A-Z][A-Z'’-]*(?: [A-Z][A-Z'’-]*)*(?![A-Za-z'’-])")
_AGE = re.compile(r"(?<![\w:'’.-])(\d{1,3}s?)(?![\w:'’-])")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_URL = re.compile(r"https?:|www\.|@|\b[a-z0-9-]+\.(?:com|org|net|io|co|uk|de|fr|info|biz|ru|xyz|app|dev|ly)\b",
                  re.IGNORECASE)
_MARKUP = re.compile(r"[<>{}\[\]`|\\]|\*\*?\w|\w\*|(?<!\w)_\w|\w_(?!\w)|^#|&\w+;|/\*|\*/")


def _action_paragraphs(text: str, names: set[str]) -> list[str]:
    """The script's action, a paragraph at a time: no title page, headings, transitions or dialogue."""
    body = text.split("\n\n", 1)[1] if re.match(r"^\s*Title\s*:", text, re.IGNORECASE) else text
    out = []
    for para in re.split(r"\n\s*\n", body):
        lines = [ln.strip() for ln in para.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        cue = re.sub(r"\s*\(.*?\)\s*$|\s*\^$", "", lines[0]).strip().lstrip("@")
        if cue in names or re.match(r"^(INT|EXT|EST|I/E)[. ]", lines[0]) or lines[0].startswith((">", "[[", "/*")):
            continue
        out.append(" ".join(lines))
    return out


def stated_ages(text: str, names: list[str]) -> dict[str, str]:
    """Our own reading: the first age after a character's name in capitals, in the same sentence of action."""
    ages: dict[str, str] = {}
    for para in _action_paragraphs(text, set(names)):
        for run in _CAPS_RUN.finditer(para):
            name = run.group(0)
            if name not in names or name in ages:
                continue
            rest = para[run.end():]
            end = _SENTENCE_END.search(rest)
            age = _AGE.search(rest[:end.start() if end else len(rest)])
            if age:
                ages[name] = age.group(1)
    return ages


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _js(result) -> dict:
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCRIPTS))
def test_a_screenplay_by_other_people_gets_a_look_on_the_embedded_model(name, workspace_dir, monkeypatch):
    import wordfreq

    monkeypatch.delenv("AUTEUR_MODEL", raising=False)
    from ui.cli import app

    path, by_eye = SCRIPTS[name]
    text = path.read_text(encoding="utf-8")
    cli = CliRunner()
    made = _js(cli.invoke(app, ["import", str(path), "--json"]))
    slug = made["slug"]
    out = _js(cli.invoke(app, ["run", "-p", slug, "--until", "look", "--yes", "--json"]))
    assert out["stages"]["look"] == "approved", out["stages"]
    print(f"{name}: look stage {out['llm_by_stage'].get('look')}")  # for the report; timings stay out of asserts

    from config.settings import Settings
    from memory.workspace import Workspace

    store = Workspace(Settings.from_env()).open(slug)
    bd = break_down(parse(store.read_script().fountain))
    look = store.read(Stage.LOOK)
    assert bd.characters, "the screenplay has speaking characters"
    missing = [c for c in bd.characters if look.character(c) is None]
    assert missing == [], f"speaking characters without a look: {missing}"
    empty = [c for c in bd.characters
             if not look.character(c).description.strip() or not look.character(c).visual.strip()]
    assert empty == [], f"characters whose description or visual is empty: {empty}"

    ages = stated_ages(text, bd.characters)
    assert ages == by_eye, "our reading of the script's ages agrees with the table made by eye"
    wrong = {n: look.character(n).age for n, age in ages.items()
             if re.findall(r"\d{1,3}s?", look.character(n).age)[:1] != [age]}
    assert wrong == {}, f"ages that contradict the script {ages}: {wrong}"

    strings = _strings(look.model_dump(mode="json"))
    assert [s for s in strings if _URL.search(s)] == [], "a web address in the look"
    assert [s for s in strings if _MARKUP.search(s)] == [], "markup or code in the look"

    allowed = {w.lower() for n in bd.characters + bd.locations for w in re.findall(r"[A-Za-z]+", n)}
    words = [w for s in strings for w in re.findall(r"[A-Za-z]+", s)]
    junk = [w for w in words if w.lower() not in allowed and wordfreq.zipf_frequency(w, "en") <= 0]
    assert words and len(junk) <= 0.02 * len(words), f"{len(junk)}/{len(words)} non-words in the look: {junk[:40]}"
