"""What the crew writes on a model: junk, web addresses and markup, craft-rule corrections, fallbacks.

For three ideas and the bundled sample screenplay (imported), drives the whole crew from the brief (or the
import) to the prompts stage on the model profile (AUTEUR_MODEL, else the embedded default), approving each
stage, in a temporary workspace. Prints, per run and per stage: the junk rate (share of words in the
crew's fields that are not words of the script's languages), URL/markup count over every artifact,
craft-rule corrections, fields that fell back to text derived from the script, stage failures, and the
model's calls, tokens and seconds. Not a test.
With --long: one screenplay of 41 scenes assembled from every screenplay in the repository (the golden
files, the public-domain corpus, the sample; the three-scene heist twice), imported and
taken to the look: calls, tokens, seconds and failures of a look over many characters, places and props.
Run: .venv/bin/python bench/quality.py [--only sample|ideas] [--minutes 1] [--long]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

IDEAS = (
    "A night-shift waitress recognises the stranger at the counter",
    "A lighthouse keeper finds a message in a bottle from her missing brother",
    "Two rival food-truck owners are snowed in together on the night before a city festival",
)
STAGES = ("brief", "treatment", "beats", "script", "breakdown", "look", "shots", "prompts")


def run_case(label: str, *, idea: str | None, sample: bool, minutes: float) -> dict:
    from config.container import Container
    from studio.engine.stage_flow import run_until
    from studio.stages import Stage

    container = Container()
    session = container.session(auto_approve=True)
    events = []
    started = time.perf_counter()
    if sample:
        from ui.cli.demo import sample_bytes

        events += list(session.bring("night_shift.fountain", sample_bytes()))
        events += list(run_until(session, Stage.PROMPTS))
    else:
        events += list(run_until(session, Stage.PROMPTS, idea=idea, minutes=minutes))
    wall = time.perf_counter() - started
    return measure(label, session, events, wall, imported=sample)


def long_screenplay() -> bytes:
    """The repository's screenplays (41 scenes), title pages left out, one after another."""
    import re

    files = sorted((REPO / "tests" / "golden" / "fountain").glob("*.fountain"))
    files += sorted((REPO / "tests" / "corpus").glob("*.fountain"))
    files += [REPO / "studio" / "samples" / "night_shift.fountain", files[3]]  # 38 scenes, and the heist's 3 again
    bodies = []
    for f in files:
        text = f.read_text(encoding="utf-8").replace("\r\n", "\n")
        head, _, body = text.partition("\n\n")
        bodies.append(body if re.match(r"^[A-Za-z ]+:", head) else text)
    return ("Title: Forty Scenes\nCredit: assembled from the repository's screenplays\n\n"
            + "\n\n".join(bodies)).encode("utf-8")


def run_long() -> dict:
    from config.container import Container
    from studio.engine.stage_flow import run_until
    from studio.stages import Stage

    session = Container().session(auto_approve=True)
    events = list(session.bring("forty_scenes.fountain", long_screenplay()))
    started = time.perf_counter()
    events += list(run_until(session, Stage.LOOK))
    wall = time.perf_counter() - started
    store = session.require_project()
    bd, look = store.breakdown(), store.read(Stage.LOOK)
    llm = store.manifest().llm.get("look")
    return {"scenes": len(bd.scenes), "characters": len(bd.characters), "locations": len(bd.locations),
            "props": len({p for s in bd.scenes for p in s.props}), "look": store.manifest().status(Stage.LOOK).value,
            "described": sum(1 for c in (look.characters if look else []) if c.description and c.visual),
            "failures": [e.data.get("error", e.text) for e in events if e.kind == "error"],
            "fallbacks": sum(len((e.data or {}).get("fallbacks") or []) for e in events),
            "wall_s": round(wall, 1), "llm": llm.model_dump() if llm else {}}


def measure(label: str, session, events, wall: float, *, imported: bool) -> dict:
    from agents.lexicon import lexicon_for
    from studio.craft import violations
    from studio.stages import Stage
    from studio.vetting import junk_rate, markup_count
    from studio.written import crew_text, script_text

    store = session.store
    failures = [e.data.get("error", e.text) for e in events if e.kind == "error"]
    fallbacks: dict[str, int] = {}
    corrections: dict[str, int] = {}
    for e in events:
        stage = (e.data or {}).get("stage") or getattr(e, "stage", None) or "?"
        fallbacks[stage] = fallbacks.get(stage, 0) + len((e.data or {}).get("fallbacks") or [])
        corrections[stage] = corrections.get(stage, 0) + len((e.data or {}).get("corrections") or [])
    row = {"case": label, "wall_s": round(wall, 1), "failures": failures, "fallbacks": fallbacks,
           "corrections": corrections}
    if store is None:
        return row
    read = {s: store.read(Stage(s)) for s in ("brief", "treatment", "beats", "look", "shots", "prompts")}
    script = store.read_script()
    written = crew_text(read["brief"], read["treatment"], read["beats"], script, read["look"], read["shots"],
                        imported=imported)
    breakdown = store.breakdown()
    known = [*breakdown.characters, *breakdown.locations, *(p for s in breakdown.scenes for p in s.props)]
    lexicon = lexicon_for(" ".join(t for texts in written.values() for t in texts)[:20000])
    every = [t for texts in written.values() for t in texts]
    row["junk_rate"] = round(junk_rate(every, lexicon, known), 4)
    row["junk_by_stage"] = {s: round(junk_rate(t, lexicon, known), 4) for s, t in written.items() if t}
    # Every string of every artifact, and the script as a reader reads it (its Fountain syntax, such as
    # '> FADE OUT.', is not markup); an imported title page's contact line and the file's name
    # ('night_shift.fountain', which reads like a web address) are the writer's, not the crew's.
    mine = {"contact", "imported_from"}
    artifacts = [s for name, m in read.items() if m is not None
                 for s in leaves(m.model_dump(mode="json", exclude=mine if name == "brief" else None))]
    row["markup"] = markup_count([*artifacts, *script_text(script)])
    row["markup_found"] = [t[:160] for t in [*artifacts, *script_text(script)] if markup_count([t])][:10]
    row["violations_saved"] = len(violations(read["shots"], breakdown)) if read["shots"] else None
    manifest = store.manifest()
    row["stages"] = manifest.statuses()
    row["llm_by_stage"] = {k: v.model_dump() for k, v in manifest.llm.items()}
    row["llm_total"] = manifest.llm_total().model_dump()
    row["languages"] = list(lexicon.languages)
    return row


def leaves(value) -> list[str]:
    """Every string value in a JSON value (not the field names): what markup is counted in, not the JSON around
    it."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in leaves(v)]
    return []


def print_row(row: dict) -> None:
    print(f"\n## {row['case']}  (wall {row['wall_s']} s)")
    if "junk_rate" not in row:
        print("  no project:", row["failures"])
        return
    approved = sum(1 for s in STAGES if row["stages"].get(s) == "approved")
    drafted = sum(1 for s in STAGES if row["stages"].get(s) != "empty")  # an import skips treatment and beats
    print(f"  junk rate {100 * row['junk_rate']:.2f} %   URL/markup {row['markup']}   craft violations in the "
          f"saved shot list {row['violations_saved']}   stages approved {approved}/{drafted}   "
          f"failures {len(row['failures'])}   languages {','.join(row['languages'])}")
    print(f"  {'stage':<10} {'junk %':>7} {'fallbacks':>9} {'corrected':>9} {'calls':>6} {'tokens':>7} {'seconds':>8}")
    for stage in STAGES:
        llm = row["llm_by_stage"].get(stage, {})
        junk = row["junk_by_stage"].get(stage)
        print(f"  {stage:<10} {'' if junk is None else f'{100 * junk:.2f}':>7} {row['fallbacks'].get(stage, 0):>9} "
              f"{row['corrections'].get(stage, 0):>9} {llm.get('calls', 0):>6} {llm.get('tokens', 0):>7} "
              f"{llm.get('seconds', 0):>8.1f}")
    for found in row.get("markup_found", []):
        print("  markup in:", found)
    for failure in row["failures"]:
        print("  failure:", failure)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("ideas", "sample"), help="only the three ideas, or only the sample")
    ap.add_argument("--minutes", type=float, default=1.0, help="running time asked of each idea's film")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--long", action="store_true", help="only the 41-scene screenplay, to the look")
    args = ap.parse_args()
    if args.long:
        with tempfile.TemporaryDirectory(prefix="auteur-quality-") as tmp:
            os.environ.update(AUTEUR_WORKSPACE=str(Path(tmp) / "ws"), AUTEUR_MEMORY="off", AUTEUR_USER_NAME="Bench")
            row = run_long()
        print(json.dumps(row, indent=1))
        return
    model = os.environ.get("AUTEUR_MODEL", "llamacpp/smollm2-135m (default)")
    print(f"# bench/quality.py on {model}")
    rows = []
    cases = [] if args.only == "sample" else [(f"idea {k}: {idea}", idea, False) for k, idea in enumerate(IDEAS, 1)]
    if args.only != "ideas":
        cases.append(("sample: Night Shift (imported)", None, True))
    for label, idea, sample in cases:
        with tempfile.TemporaryDirectory(prefix="auteur-quality-") as tmp:
            os.environ.update(AUTEUR_WORKSPACE=str(Path(tmp) / "ws"), AUTEUR_MEMORY="off", AUTEUR_USER_NAME="Bench")
            row = run_case(label, idea=idea, sample=sample, minutes=args.minutes)
        print_row(row)
        rows.append(row)
    every = [r for r in rows if "junk_rate" in r]
    if every:
        print(f"\nall: worst junk rate {100 * max(r['junk_rate'] for r in every):.2f} %, URL/markup "
              f"{sum(r['markup'] for r in every)}, craft violations saved "
              f"{sum(r['violations_saved'] or 0 for r in every)}, failures {sum(len(r['failures']) for r in rows)}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
