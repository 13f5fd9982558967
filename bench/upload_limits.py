"""A 10,000-page PDF uploaded, before and after the upload limits (issue 12, point 6).

Each way runs in a fresh process standing in for the server: an asyncio loop ticking every 10 ms (as
`/health` is answered) while the upload is read in a worker thread, as Chainlit runs a turn. Printed:
wall time, the longest the loop went without a tick, the server process's peak RSS and its RSS after
the upload (the child that reads the PDF now is not the server: its peak is printed apart).

    python bench/upload_limits.py [--pages 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.adversarial.test_upload_limits import pages_pdf  # noqa: E402

BEFORE = "a55f2f2"  # the last commit before the limits: its tools/imports/pdf_script.py is "before"

SERVER = r"""
import asyncio, json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from pathlib import Path

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def upload(way, data):
    if way == "before":  # the PDF parsed in the server process with the code before the limits
        import importlib.util
        spec = importlib.util.spec_from_file_location("old_pdf_script", sys.argv[4])
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
        return old.pdf_to_fountain(data, "big.pdf")
    from tools.imports import to_fountain
    from studio.errors import AuteurError
    try:
        return to_fountain("big.pdf", data)
    except AuteurError as exc:
        return str(exc)

async def main(way, data):
    base = rss_mb()
    gap, last, done = 0.0, time.monotonic(), False
    async def tick():
        nonlocal gap, last
        while not done:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gap, last = max(gap, now - last), now
    ticker = asyncio.create_task(tick())
    t0 = time.monotonic()
    out = await asyncio.to_thread(upload, way, data)
    seconds = time.monotonic() - t0
    done = True
    await ticker
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"way": way, "seconds": round(seconds, 1), "loop_stall_s": round(gap, 2),
                      "rss_base_mb": round(base), "rss_peak_mb": round(peak), "rss_after_mb": round(rss_mb()),
                      "child_peak_mb": round(child), "result": out[:160]}))

asyncio.run(main(sys.argv[1], Path(sys.argv[2]).read_bytes()))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--ways", default="before,after")
    parser.add_argument("--before", default=BEFORE, help="the commit whose PDF reader is 'before'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old_pdf_script.py"
        old.write_text(subprocess.run(["git", "show", f"{args.before}:tools/imports/pdf_script.py"], cwd=REPO,
                                      capture_output=True, text=True, check=True).stdout)
        pdf = Path(tmp) / "big.pdf"
        pdf.write_bytes(pages_pdf(args.pages))
        print(f"{args.pages:,}-page PDF, {pdf.stat().st_size / 1e6:.1f} MB")
        for way in args.ways.split(","):
            done = subprocess.run([sys.executable, "-c", SERVER, way, str(pdf), str(REPO), str(old)], capture_output=True,
                                  text=True, check=False)
            if done.returncode:
                print(way, "failed:", done.stderr.strip().splitlines()[-1:])
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{way:>6}: {r['seconds']:6.1f} s, event loop stalled up to {r['loop_stall_s']:.2f} s, server RSS "
                  f"{r['rss_base_mb']} MB -> peak {r['rss_peak_mb']} MB, {r['rss_after_mb']} MB after; "
                  f"child peak {r['child_peak_mb']} MB; {r['result'][:100]!r}")


if __name__ == "__main__":
    main()
