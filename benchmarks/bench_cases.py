"""Benchmark of intake and case handling: validation, XLSX import, the site leak scan.

Run: PYTHONPATH=.:site python benchmarks/bench_cases.py [N]
Prints figures against the baseline below (measured on the 2-core build machine,
2026-11-28, N=500). Not a test: nothing here asserts a time.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Baseline "i6-cases-2026-11-28": seconds, N=500, the 2-core build machine. The leak scan
# took 5.2 s with a plain alternation of the ~9,000 search strings; the trie-factored
# pattern of ipwatch.leakscan brought it to 0.87 s (the site build itself takes ~4 s).
BASELINE = {
    "validate N applications": 0.16,
    "import XLSX of N applications": 1.7,
    "leak scan of a built site, N cases": 0.87,
}


def _applications(n: int) -> list[dict]:
    from kb.cases import formcheck

    base = json.loads((ROOT / "tests" / "data" / "form_vectors.json").read_text("utf-8"))
    data = base["applications"][0]["data"]
    out = []
    for i in range(n):
        first16 = f"914402{i:06d}MA4W"
        first17 = first16 + formcheck.org_code_check_char(first16[8:])
        out.append(dict(data, applicant_name=f"示例企业{i:04d}有限公司",
                        uscc=first17 + formcheck.uscc_check_char(first17),
                        contact_email=f"user{i}@example.com"))
    return out


def _timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    print(f"{label:<38} {took:7.3f} s   (baseline {BASELINE[label]:.3f} s)")
    return result


def main(n: int) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "tests")]
    from intake_helpers import write_xlsx

    from ipwatch import leakscan
    from ipwatch.sitebuild import build_site
    from kb.cases import importer as caseimport, formcheck
    from kb.core.settings import load_settings
    from kb.core.store import open_store

    apps = _applications(n)
    _timed("validate N applications", lambda: [formcheck.check_application(a) for a in apps])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["IPWATCH_DATA"] = str(Path(tmp) / "data")
        settings = load_settings()
        with open_store(settings) as store:
            path = write_xlsx(apps, Path(tmp) / "many.xlsx")
            _timed("import XLSX of N applications",
                   lambda: caseimport.import_file(store, settings, path, actor="bench"))
            site = build_site(settings, store, Path(tmp) / "out")
            _timed("leak scan of a built site, N cases",
                   lambda: leakscan.scan_folder(site, leakscan.needles(store, settings)))
    print(f"N = {n}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
