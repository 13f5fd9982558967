"""The intent router on a director's words: how often `studio.intents.parse` reads what was meant.

Runs the parser on the labelled set (bench/intents/director.jsonl: what a director types in the studio
on the bundled screenplay, each line with the stage in front of them and the intents meant, in order)
and prints: exact-match accuracy (the kinds in order equal), precision / recall / F1 per intent kind,
the confusion with approval (lines not labelled approve that came out with an approve: must be 0),
the target / aspect / value accuracy of change requests and the accuracy of the other kinds' details.
A script that prints figures, not a test; tests/unit/test_intent_set.py holds the floors.

Run: .venv/bin/python bench/intents.py [--verbose] [--json] [--set PATH] [--model PROFILE]
  --model PROFILE   the lines the rules leave 'unclear' go to the crew's intent classifier on that
                    model profile (e.g. llamacpp/smollm2-135m); its 'approve' is counted as asked,
                    never as an approval, as the conversation does.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SET = REPO / "bench" / "intents" / "director.jsonl"
SAMPLE = REPO / "studio" / "samples" / "night_shift.fountain"
KINDS = ("approve", "affirm", "revise", "change", "ask", "show", "navigate", "render", "undo", "pick",
         "status", "help", "unclear")
SHOW_TARGETS = ("script", "scene", "look", "shots", "board", "prompt", "cut", "takes", "stage")
NAVIGATE_TARGETS = ("next", "stage", "open", "branch", "switch")
RENDER_TARGETS = ("boards", "clips", "shot", "cut", "stale")
CHANGE_WORDS = ("scene", "shot", "style")
# change aspects whose value is a word of a closed list (compared exactly); other values are the
# person's words (matched when every word of the label is in what the parser kept).
CLOSED_VALUES = ("time_of_day", "size", "angle", "movement", "lens", "duration")
FIELDS = ("stage", "target", "aspect", "value", "scene", "shot", "from_scene", "number")


def load_set(path: Path = SET) -> list[dict[str, Any]]:
    lines = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip():
            line = json.loads(raw)
            line["line"] = n
            lines.append(line)
    return lines


def sample_names() -> dict[str, Any]:
    """The names the bundled screenplay's breakdown gives: what the parser may know of the project."""
    from studio.screenplay import read_fountain

    breakdown = read_fountain(SAMPLE.name, SAMPLE.read_bytes()).breakdown
    props: list[str] = []
    for scene in breakdown.scenes:
        props += [p for p in scene.props if p not in props]
    return {"characters": tuple(breakdown.characters), "locations": tuple(breakdown.locations),
            "props": tuple(props), "scenes": len(breakdown.scenes)}


def known_maker(names: dict[str, Any]) -> Callable[[str | None], Any]:
    """Known for a line's focus (studio.intents must be importable)."""
    from studio.intents import Known
    from studio.stages import Stage

    def known(focus: str | None) -> Any:
        return Known(characters=names["characters"], locations=names["locations"], props=names["props"],
                     scenes=names["scenes"], scene_focus=1, focus=Stage(focus) if focus else None,
                     has_variants=focus == "treatment")
    return known


# ------------------------------------------------------------------------- comparing one intent

def as_dict(intent: Any) -> dict[str, Any]:
    """An Intent (or a label) as plain values: stage as its name, shot as a list."""
    if isinstance(intent, dict):
        return intent
    out: dict[str, Any] = {"kind": intent.kind}
    for name in FIELDS:
        value = getattr(intent, name, None)
        if name == "stage" and value is not None:
            value = getattr(value, "value", value)
        if name == "shot" and value is not None:
            value = list(value)
        out[name] = value
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in ("a", "an", "the", "her", "his")}


def value_matches(label: dict[str, Any], got: dict[str, Any]) -> bool:
    want, have = str(label.get("value", "")), str(got.get("value") or "")
    if label["kind"] == "change" and label.get("aspect") not in CLOSED_VALUES:
        return _words(want) <= _words(have)
    if label.get("aspect") in ("lens", "duration") and re.search(r"[0-9]", want):
        want, have = re.sub(r"[^0-9.]", "", want), re.sub(r"[^0-9.]", "", have)
        return want != "" and want.rstrip("0").rstrip(".") == have.rstrip("0").rstrip(".")
    return want.casefold().strip() == have.casefold().strip()


def field_misses(label: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """The labelled fields the parser got wrong (empty: the intent is read as meant)."""
    misses = []
    for name in FIELDS:
        if name not in label:
            continue
        want, have = label[name], got.get(name)
        if name == "value":
            ok = value_matches(label, got)
        elif name == "target":
            ok = str(want).casefold() == str(have or "").casefold()
        elif name == "shot":
            ok = have is not None and list(want) == list(have)
        else:
            ok = want == have
        if not ok:
            misses.append(f"{name} {want!r}, got {have!r}")
    return misses


def aligned(labels: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[tuple[dict, dict | None]]:
    """Each label intent with the parser's intent of the same kind and the same rank among that kind."""
    ranks: Counter[str] = Counter()
    pairs = []
    for label in labels:
        same = [g for g in got if g["kind"] == label["kind"]]
        rank = ranks[label["kind"]]
        ranks[label["kind"]] += 1
        pairs.append((label, same[rank] if rank < len(same) else None))
    return pairs


# ------------------------------------------------------------------------- the whole set

def evaluate(lines: list[dict[str, Any]], parse: Callable[[str, Any], list[Any]],
             known: Callable[[str | None], Any], fallback: Callable[[dict, list], list] | None = None
             ) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = full = 0
    approvals, affirms, mistakes = [], [], []
    change = Counter()
    details: dict[str, Counter[str]] = {}
    for line in lines:
        got = [as_dict(i) for i in parse(line["text"], known(line.get("focus")))]
        if fallback is not None:
            got = fallback(line, got)
        want = line["intents"]
        want_kinds, got_kinds = [i["kind"] for i in want], [g["kind"] for g in got]
        for kind in KINDS:
            hit = min(want_kinds.count(kind), got_kinds.count(kind))
            tp[kind] += hit
            fp[kind] += got_kinds.count(kind) - hit
            fn[kind] += want_kinds.count(kind) - hit
        if "approve" in got_kinds and "approve" not in want_kinds:
            approvals.append(line)
        if "affirm" in got_kinds and "affirm" not in want_kinds:
            affirms.append(line)
        misses: list[str] = []
        for label, have in aligned(want, got):
            counts = details.setdefault(label["kind"], Counter())
            counts["intents"] += 1
            if have is None:
                counts["missing"] += 1
                continue
            wrong = field_misses(label, have)
            counts["read as meant"] += not wrong
            misses += [f"{label['kind']}: {w}" for w in wrong]
            if label["kind"] == "change":
                change["intents"] += 1
                change["target"] += not any(w.startswith("target") for w in wrong)
                change["aspect"] += not any(w.startswith("aspect") for w in wrong)
                change["target+aspect"] += not any(w.startswith(("target", "aspect")) for w in wrong)
                if "value" in label:
                    closed = label.get("aspect") in CLOSED_VALUES
                    change["closed values" if closed else "words kept"] += 1
                    change[("closed values" if closed else "words kept") + " ok"] += value_matches(label, have)
        exact += want_kinds == got_kinds
        full += want_kinds == got_kinds and not misses
        if want_kinds != got_kinds or misses:
            mistakes.append({"line": line["line"], "text": line["text"], "focus": line.get("focus"),
                             "want": want_kinds, "got": got_kinds, "got_intents": got, "misses": misses})
    per_kind = {}
    for kind in KINDS:
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 0.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 0.0
        per_kind[kind] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                          "support": tp[kind] + fn[kind], "predicted": tp[kind] + fp[kind]}
    n = len(lines)
    return {"lines": n, "exact": exact / n if n else 0.0, "full": full / n if n else 0.0,
            "per_kind": per_kind,
            "approval_confusion": [{"line": x["line"], "text": x["text"]} for x in approvals],
            "affirm_unasked": [{"line": x["line"], "text": x["text"]} for x in affirms],
            "traps": sum(1 for x in lines if x.get("trap")),
            "change": dict(change), "details": {k: dict(v) for k, v in details.items()},
            "mistakes": mistakes}


# ------------------------------------------------------------------------- the crew's classifier (--model)

CLASSIFIER_KINDS = {"next": "navigate", "revise": "revise", "pick": "pick", "status": "status", "help": "help",
                    "approve": "unclear", "other": "unclear"}  # a guessed approval is asked about, never taken


def crew_fallback(profile: str) -> tuple[Callable[[dict, list], list], Counter[str]]:
    """For lines the rules leave 'unclear': the crew's intent classifier on `profile`, as routing uses it."""
    import os
    import tempfile

    os.environ.setdefault("AUTEUR_WORKSPACE", tempfile.mkdtemp(prefix="auteur-bench-intents-"))
    from config.container import Container
    from studio.drafts import IntentDraft

    crew = Container().crew(profile)
    said: Counter[str] = Counter()

    def fallback(line: dict, got: list) -> list:
        if [g["kind"] for g in got] != ["unclear"]:
            return got
        draft = crew.run("intent", {"stage": line.get("focus") or "start", "text": line["text"][:500],
                                    "recent": "nothing yet"}, IntentDraft)
        said[draft.intent] += 1
        print(f"  classifier: line {line['line']} -> {draft.intent}", file=sys.stderr, flush=True)
        kind = CLASSIFIER_KINDS.get(draft.intent, "unclear")
        return [{"kind": kind, "target": "next" if kind == "navigate" else "",
                 "number": draft.number if kind == "pick" else None}]
    return fallback, said


# ------------------------------------------------------------------------- printing

def report(result: dict[str, Any], verbose: bool) -> None:
    n = result["lines"]
    print(f"intent router on {n} director lines ({result['traps']} approval traps)")
    print(f"exact (kinds in order): {result['exact']:.1%}    kinds and every labelled field: {result['full']:.1%}")
    print()
    print(f"{'intent':<10}{'support':>9}{'predicted':>11}{'precision':>11}{'recall':>9}{'F1':>7}")
    for kind, m in result["per_kind"].items():
        print(f"{kind:<10}{m['support']:>9}{m['predicted']:>11}{m['precision']:>11.2f}{m['recall']:>9.2f}"
              f"{m['f1']:>7.2f}")
    print()
    wrong = result["approval_confusion"]
    print(f"approval confusion (not labelled approve, parsed with an approve; must be 0): {len(wrong)}")
    for x in wrong:
        print(f"  line {x['line']}: {x['text']}")
    print(f"an 'affirm' nobody said (a yes the conversation could take as approval): {len(result['affirm_unasked'])}")
    for x in result["affirm_unasked"]:
        print(f"  line {x['line']}: {x['text']}")
    c = result["change"]
    if c.get("intents"):
        print()
        print(f"change requests found: {c['intents']}  target {c['target'] / c['intents']:.1%}  "
              f"aspect {c['aspect'] / c['intents']:.1%}  both {c['target+aspect'] / c['intents']:.1%}")
        for key in ("closed values", "words kept"):
            if c.get(key):
                print(f"  value, {key}: {c[key + ' ok'] / c[key]:.1%} of {c[key]}")
    print()
    print("details read as meant, per kind (of the intents found):")
    for kind, d in result["details"].items():
        found = d["intents"] - d.get("missing", 0)
        if found:
            print(f"  {kind:<10}{d.get('read as meant', 0)}/{found}")
    if verbose:
        print()
        print(f"mistakes ({len(result['mistakes'])}):")
        for m in result["mistakes"]:
            print(f"  line {m['line']} [{m['focus']}] {m['text']!r}")
            if m["want"] != m["got"]:
                print(f"      want {m['want']}  got {m['got']}")
            for miss in m["misses"]:
                print(f"      {miss}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=SET, help="the labelled set (JSON lines)")
    ap.add_argument("--verbose", action="store_true", help="every line the router got wrong")
    ap.add_argument("--json", action="store_true", help="the figures as JSON")
    ap.add_argument("--model", metavar="PROFILE", help="the crew's classifier on this profile for 'unclear' lines")
    args = ap.parse_args(argv)
    try:
        from studio.intents import parse
    except ImportError as exc:
        print(f"studio/intents.py cannot be imported yet ({exc}); the router this bench measures is "
              "studio.intents.parse. Add it, then run again.", file=sys.stderr)
        return 2
    lines = load_set(args.set)
    fallback, said = crew_fallback(args.model) if args.model else (None, Counter())
    result = evaluate(lines, parse, known_maker(sample_names()), fallback)
    if args.model:
        result["classifier"] = {"profile": args.model, "said": dict(said)}
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        report(result, args.verbose)
        if args.model:
            print(f"\nthe crew's classifier ({args.model}) on the lines left unclear: {dict(said)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
