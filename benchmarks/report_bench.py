"""Benchmark: the full risk report (all industries, charts, XLSX, DOCX) on 10k / 100k / 1M rows.

Each size runs in fresh processes on a fresh data folder: one process loads the 示例数据
(timed apart, it is set-up), another builds the report of ``--period`` for all industries and
prints its wall time and peak resident memory (``ru_maxrss``). Baseline: the goal of issue 11,
1M rows in ≤ 15 s and ≤ 1 GB on the project's 2-core machine, the build including the year
lattices' linear-programming suppression and audit.

    PYTHONPATH=.:site python benchmarks/report_bench.py [--sizes 10000 100000 1000000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = {"name": "issue 11 goal (1M rows, with the LP disclosure audit)", "seconds": 15.0, "peak_mb": 1024.0}
ROOT = Path(__file__).resolve().parents[1]


def child_load(rows: int) -> dict:
    from alerts.sample import load_sample
    from kb.core.settings import load_settings
    from kb.core.store import open_store

    start = time.perf_counter()
    load_sample(open_store(load_settings()), rows)
    return {"seconds": time.perf_counter() - start}


def child_build(period: str) -> dict:
    start = time.perf_counter()
    from alerts.report import build_report
    from kb.core.settings import load_settings
    from kb.core.store import open_store

    settings = load_settings()
    report = build_report(settings, open_store(settings), period, sample=True)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "published": report.published,
            "suppressed": report.suppressed, "files": len(list(report.folder.rglob("*")))}


def run_child(mode: str, arg: str, data: Path) -> dict:
    env = {**os.environ, "IPWATCH_DATA": str(data),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")])}
    out = subprocess.run([sys.executable, __file__, "--child", mode, arg], env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--period", default="2026Q3")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, arg = args.child
        print(json.dumps(child_load(int(arg)) if mode == "load" else child_build(arg)))
        return
    print(f"report {args.period}, all industries, charts + XLSX + DOCX; baseline: {BASELINE['name']}"
          f" ≤ {BASELINE['seconds']:.0f} s, ≤ {BASELINE['peak_mb']:.0f} MB; load average {os.getloadavg()[0]:.1f}")
    print(f"{'rows':>10} {'load s':>8} {'report s':>9} {'peak MB':>8} {'cells pub/supp':>15}  vs baseline")
    for rows in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ipwatch-bench-") as tmp:
            load = run_child("load", str(rows), Path(tmp))
            build = run_child("build", args.period, Path(tmp))
        verdict = ("ok" if build["seconds"] <= BASELINE["seconds"] and build["peak_mb"] <= BASELINE["peak_mb"]
                   else "OVER")
        print(f"{rows:>10,} {load['seconds']:>8.1f} {build['seconds']:>9.1f} {build['peak_mb']:>8.0f} "
              f"{build['published']:>7}/{build['suppressed']:<7}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
