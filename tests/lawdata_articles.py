"""Shared helpers of the article tests: the German history and the written fixtures."""
from __future__ import annotations

import re
from pathlib import Path

from crawlers.articles import HEADER_ID, id_key, split_articles

ROOT = Path(__file__).resolve().parents[1]
LAW_HISTORY = ROOT / "crawlers" / "demo_data" / "law-history" / "de"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "laws"
GERMAN_CASES = sorted(p.name for p in LAW_HISTORY.iterdir() if p.is_dir())


def german_case(name: str) -> tuple[str, str]:
    folder = LAW_HISTORY / name
    return (folder / "old.md").read_text("utf-8"), (folder / "new.md").read_text("utf-8")


def ground_truth(name: str) -> dict[str, set[str]]:
    """ADDED / REMOVED / CHANGED of ground_truth_sections.txt, as id keys of our splitter."""
    truth: dict[str, set[str]] = {}
    text = (LAW_HISTORY / name / "ground_truth_sections.txt").read_text("utf-8")
    for line in text.splitlines():
        m = re.match(r"^(ADDED|REMOVED|CHANGED):(.*)$", line)
        if m:
            labels = [x.strip() for x in m.group(2).split(",") if x.strip()]
            truth[m.group(1)] = {_key(label) for label in labels}
    return truth


# A German division heading line, as the data set prints it ("## Teil 9 - …", "## Elfter
# Abschnitt - …"); written apart from the splitter's own pattern.
_DIVISION_LINE = re.compile(r"^#+ (?:(?:Buch|Teil|Kapitel|Abschnitt|Unterabschnitt|Titel) \d"
                            r"|[A-ZÄÖÜ][a-zäöü]+(?:er|es|e) (?:Buch|Teil|Kapitel|Abschnitt)\b)")


def division_heading_changes(name: str) -> set[str]:
    """Sections the ground truth lists as changed only because a division heading printed
    after them changed (the truth keys the text on "### § N" lines, so "## Teil 9 - …" counts
    as text of the section before it; ipwatch reads it as a structure unit of its own)."""
    old, new = german_case(name)

    def units(text: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        current = HEADER_ID
        for line in text.splitlines():
            if re.match(r"^#+ (?:\(X+\) )?§", line):
                current = _key(line.lstrip("#").strip())
            found.setdefault(current, []).append(line)
        return found

    before, after = units(old), units(new)
    only_headings = set()
    for key in before.keys() & after.keys():
        lines = [[line for line in unit[key] if line.strip()] for unit in (before, after)]
        text = [[line for line in unit if not _DIVISION_LINE.match(line)] for unit in lines]
        if lines[0] != lines[1] and text[0] == text[1]:
            only_headings.add(id_key(key))
    return only_headings


def _key(label: str) -> str:
    """The id our splitter gives the heading the ground truth names ("(XXXX) §§ 160 bis 163 …")."""
    if label == HEADER_ID:
        return HEADER_ID
    return split_articles(f"### {label}", "de_paragraph")[-1].key


def as_plain_text(markdown: str) -> str:
    """The Markdown law as the crawler sees a law page: heading marks gone."""
    return "\n".join(re.sub(r"^#+ ", "", line) for line in markdown.splitlines())


def fixture(style: str) -> tuple[str, str]:
    return ((FIXTURES / f"{style}_old.txt").read_text("utf-8"),
            (FIXTURES / f"{style}_new.txt").read_text("utf-8"))


def keys(ids) -> set[str]:
    return {id_key(i) for i in ids}


def law_source(source_id: str, jurisdiction: str, title_zh: str, rights: tuple[str, ...],
               language: str, numbering: str = ""):
    from crawlers.registry import Source

    return Source(id=source_id, jurisdiction=jurisdiction, kind="law_page", title=title_zh,
                  url=f"https://law.example.org/{source_id}", rights=rights, language=language,
                  title_zh=title_zh, numbering=numbering)


def record_comparison(store, source, old: str, new: str, detected_at: str) -> int:
    """Compare two texts of ``source`` and record the change as the crawl pipeline does."""
    from crawlers.compare import compare_texts
    from crawlers.lawmeta import change_meta
    from crawlers.pipelines import sync_sources
    from kb.laws.changes import record_change
    from kb.laws.meta import record_meta
    from kb.laws.snapshots import add_snapshot

    sync_sources(store, [source])
    result = compare_texts(old, new, source.as_dict())
    with store.write() as conn:
        ids = [add_snapshot(conn, source_id=source.id, url=source.url, text=text, http_status=200)
               for text in (old, new)]
        change_id = record_change(conn, source_id=source.id, url=source.url, kind="modified",
                                  old_snapshot=ids[0], new_snapshot=ids[1], articles=result.articles,
                                  summary=result.summary, detected_at=detected_at,
                                  details=[d.as_dict() for d in result.details],
                                  substantive=result.substantive, rights=result.rights)
        record_meta(conn, change_id, change_meta(old, new, source.as_dict()).as_dict())
        return change_id


HOSTILE_OLD = """Hostile Act

Sec. 1. Short title
This Act may be cited as the Test Act.

Sec. 2. Definitions
In this Act the term "office" means the Patent Office.
"""
HOSTILE_NEW = """Hostile Act

Sec. 1. Short title
This Act may be cited as the <script>alert('x')</script> Test Act.

Sec. 2. Definitions
In this Act the term <a href="javascript:alert(1)" onclick="steal()">office</a> means
<img src="http://evil.example/p.png" onerror="steal()"><span style="color:red">the</span> Office.

Sec. 3. <b onmouseover="x()">New</b> section
Text <iframe src="http://evil.example"></iframe>
"""


def populate(store) -> dict[str, int]:
    """A store with four recorded changes: PatG (substantive), MarkenG (editorial only),
    a Japanese law (character redline) and a hostile US page (markup in the crawled text)."""
    ids = {}
    ids["patg"] = record_comparison(
        store, law_source("de-patg", "DE", "德国《专利法》", ("patent",), "de", "de_paragraph"),
        *german_case("patg__5710c0a6"), "2026-11-20T09:00:00+00:00")
    ids["markeng"] = record_comparison(
        store, law_source("de-markeng", "DE", "德国《商标法》", ("trademark",), "de", "de_paragraph"),
        *german_case("markeng__e3c6d7fe"), "2026-11-21T09:00:00+00:00")
    ids["tokkyo"] = record_comparison(
        store, law_source("jp-tokkyo", "JP", "日本《特许法》", ("patent",), "ja"),
        *fixture("ja_jo"), "2026-11-22T09:00:00+00:00")
    ids["hostile"] = record_comparison(
        store, law_source("us-hostile", "US", "美国《测试法》", ("copyright",), "en", "us_section"),
        HOSTILE_OLD, HOSTILE_NEW, "2026-11-23T09:00:00+00:00")
    return ids


def history_cases(part: str = "tuning"):
    """The benchmark's JP/FR/US/DE cases of one part (see benchmarks/lawcases.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from lawcases import load_cases

    return [c for c in load_cases() if c.part == part]


def served_text(case, kind: str, state: str) -> str:
    """The case's old or new version as the crawler extracts it from the rendered page."""
    from crawlers.extract import extract_body
    from crawlers.lawpages import SOURCES, render
    from kb.core.textnorm import normalise

    page = render(case.jurisdiction, case.old if state == "old" else case.new, 7,
                  "xml" if kind.endswith("xml") else "html")
    text, problem = extract_body(page.body, page.suffix == ".xml", SOURCES[kind]["extract"])
    assert problem is None
    return normalise(text)
