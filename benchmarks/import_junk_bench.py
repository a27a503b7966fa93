"""Benchmark: ``ipwatch case import`` of a junk spreadsheet (every cell of every row wrong).

Run: PYTHONPATH=.:site python benchmarks/import_junk_bench.py [ROWS] [--baseline-tree DIR]

Each run is a fresh process with a fresh data folder: wall time, lines printed, exit status.
With ``--baseline-tree`` the same file is also imported by the tree in DIR (e.g. main before
issue 11, unpacked with ``git archive``), which is the named baseline. Not a test: nothing here
asserts a time.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def junk_xlsx(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    from kb.cases import form

    rng = random.Random(11)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([f.label for f in form.FIELDS])
    for _ in range(rows):
        sheet.append(["".join(rng.choice("XYZ#@!") for _ in range(8)) for _ in form.FIELDS])
    book.save(path)
    return path


def run(tree: Path, path: Path) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, IPWATCH_DATA=data, PYTHONPATH=f"{tree}{os.pathsep}{tree / 'site'}")
        env.pop("IPWATCH_CONFIG", None)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "ipwatch", "case", "import", str(path), "--by", "bench"],
                              capture_output=True, text=True, env=env, cwd=tree)
        took = time.perf_counter() - start
    lines = len((done.stdout + done.stderr).splitlines())
    return took, lines, done.returncode


def main(argv: list[str]) -> None:
    rows = int(argv[0]) if argv and argv[0].isdigit() else 20_000
    baseline = Path(argv[argv.index("--baseline-tree") + 1]) if "--baseline-tree" in argv else None
    with tempfile.TemporaryDirectory() as folder:
        path = junk_xlsx(Path(folder) / "junk.xlsx", rows)
        for label, tree in (("baseline", baseline), ("this tree", ROOT)):
            if tree is None:
                continue
            took, lines, status = run(tree, path)
            print(f"{label:<10} {rows} junk rows: {took:6.1f} s, {lines:,} lines printed, exit {status}")


if __name__ == "__main__":
    main(sys.argv[1:])
