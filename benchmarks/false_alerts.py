"""False alerts and missed edits of the fetch checks, on page pairs, against main's rule.

Each case is a pair of extracted texts (the page's last good state → what the server now
sends) and what must follow: ``alert`` (a real edit) or ``no_alert`` (an error, gone or
maintenance page). Data: ``benchmarks/data/false_alerts.yaml``, split before tuning into
``dev`` (the hostile tests' cases, tuned on) and ``heldout`` (scored once).

- **ipwatch**: the spider's checks (``crawlers.fetchcheck.find_problem``) and what the page
  lost against its last state (``lost_page_problem``); the pipeline's article guard is not
  included (it is the same on both sides).
- **baseline, main@31009ff**: the soft-404 / maintenance rule before issue 9 — a page under
  2,000 characters that says "not found", "404" … in its first 500 characters or names a
  maintenance / captcha anywhere is a problem; nothing else.

Run: ``PYTHONPATH=.:site python benchmarks/false_alerts.py``.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.fetchcheck import FetchFacts, _BLOCKED, find_problem, lost_page_problem  # noqa: E402

NOTICE = ("Bekanntmachung über die Gebühren des Patentamts\n" + "Die Gebühren für Anmeldungen "
          "werden zum 1. Juli angepasst; die Tabelle nennt jede Gebühr, ihre Fälligkeit und die "
          "Zahlungswege der Anmelder.\n" * 12)
FILLER = "Startseite Service Presse Kontakt Impressum Datenschutz Barrierefreiheit\n" * 25
LAW = "Patentgesetz\n" + "".join(f"§ {i}\nDer Inhaber des Patents hat das Recht {i}.\n" * 3
                                 for i in range(1, 30))
EXPAND = {"{notice}": NOTICE, "{filler}": FILLER, "{law}": LAW,
          "{law_amended}": LAW.replace("Recht 7.", "ausschließliche Recht 7.")}

_MAIN_NOT_FOUND = re.compile(
    r"page not found|not found|\b404\b|nicht gefunden|existiert nicht|page introuvable|"
    r"n'existe pas|página não encontrada|не найдена|sayfa bulunamadı|ページが見つかりません|"
    r"お探しのページ|页面不存在|找不到|페이지를 찾을 수 없", re.I)


def expand(text: str) -> str:
    for key, value in EXPAND.items():
        text = text.replace(key, value)
    return text.strip()


def baseline_alerts(old: str, new: str) -> bool:
    short = len(new) < 2000
    problem = short and (_BLOCKED.search(new) or _MAIN_NOT_FOUND.search(new[:500]))
    return not problem and old != new


def ipwatch_alerts(old: str, new: str) -> bool:
    facts = FetchFacts(status=200, text=new, kind="notice", min_chars=50)
    return not (find_problem(facts) or lost_page_problem(old, new)) and old != new


def score(cases: list[dict], decide) -> tuple[int, int, list[str]]:
    false_alerts, missed, wrong = 0, 0, []
    for case in cases:
        alerted = decide(expand(case["old"]), expand(case["new"]))
        if alerted and case["expect"] == "no_alert":
            false_alerts += 1
            wrong.append(case["id"])
        elif not alerted and case["expect"] == "alert":
            missed += 1
            wrong.append(case["id"])
    return false_alerts, missed, wrong


def main() -> None:
    data = yaml.safe_load((ROOT / "benchmarks/data/false_alerts.yaml").read_text("utf-8"))
    print(f"{'set':8} {'method':22} {'cases':>5} {'false alerts':>12} {'missed edits':>12}  wrong")
    for part in ("dev", "heldout"):
        cases = data[part]
        for name, decide in (("baseline main@31009ff", baseline_alerts),
                             ("ipwatch", ipwatch_alerts)):
            fa, missed, wrong = score(cases, decide)
            print(f"{part:8} {name:22} {len(cases):5} {fa:12} {missed:12}  {', '.join(wrong)}")


if __name__ == "__main__":
    main()
