"""Site search in a real browser: MkDocs-Material's built-in search against Pagefind (extended).

Builds the benchmark corpus (search_corpus.py) twice with the project's mkdocs.yml and theme:
once with Material's ``search`` plugin (``lang: [zh, en]``; jieba installed), once without it
and indexed by Pagefind's extended build. Serves each on 127.0.0.1, types every query of
search_queries.yaml into the search box in headless Chromium and reads the result links.
Prints recall@5 and MRR per engine and per query kind, and the queries each engine missed.

Run: PYTHONPATH=$PWD:$PWD/site /work/venv/bin/python benchmarks/site_search_bench.py [--json OUT]
Baseline: Material built-in search (the theme's default).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from search_corpus import ROOT, corpus_pages, load_queries, recall_and_mrr

from search_browser import Browser, SiteServer  # tests/search_browser.py

from ipwatch.sitesearch import WORDS_FILE  # noqa: E402

MKDOCS_YML = ROOT / "mkdocs.yml"
# material: the theme's built-in search (baseline); pagefind-stock: Pagefind as it comes;
# pagefind: what the site ships (Pagefind with our word splitting, ipwatch.sitesearch)
ENGINES = ("material", "pagefind-stock", "pagefind")
STATIC = ROOT / "site" / "docs"


def stage(folder: Path, with_search_page: bool) -> list:
    import shutil

    shutil.copytree(STATIC, folder, dirs_exist_ok=True)
    pages = corpus_pages()
    nav = [{"首页": "index.md"}]
    for page in pages:
        target = folder / f"{page.name}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {page.title}\n\n{page.markdown}\n", "utf-8")
        nav.append({page.title: f"{page.name}.md"})
    (folder / "index.md").write_text("# 基准测试语料\n\n检索基准测试用的页面。\n", "utf-8")
    if with_search_page:
        from ipwatch.pages.search import PAGE

        (folder / "search.md").write_text(PAGE, "utf-8")
        nav.append({"站内搜索": "search.md"})
    return nav


def build(out: Path, engine: str) -> Path:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    docs = out.with_name(out.name + "-docs")
    nav = stage(docs, with_search_page=engine != "material")
    plugins = [{"search": {"lang": ["zh", "en"]}}] if engine == "material" else []
    config = load_config(
        str(MKDOCS_YML), docs_dir=str(docs), site_dir=str(out), nav=nav, plugins=plugins,
        strict=False,
    )
    mkdocs_build(config)
    if engine == "pagefind":
        from ipwatch.sitesearch import index_site

        index_site(out)
    elif engine == "pagefind-stock":  # Pagefind as it comes: its own splitting on both sides
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--silent"], check=True)
    return out


def page_of(href: str, base: str) -> str:
    path = urlsplit(href).path
    prefix = urlsplit(base).path
    return path[len(prefix):].removesuffix(".html") if path.startswith(prefix) else path


def material_results(browser: Browser, base: str, query: str) -> list[str]:
    browser.evaluate("document.querySelector('#__search').checked = true")
    browser.wait_for("!/初始化/.test(document.querySelector('.md-search-result__meta').textContent)")
    browser.evaluate("document.querySelector('.md-search-result__meta').textContent = ''")
    browser.type_into("input.md-search__input", query)
    browser.evaluate(
        "(() => { const e = document.querySelector('input.md-search__input');"
        " e.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    # the meta line, emptied above, is rewritten when the worker answers this query
    browser.wait_for(
        "/符合条件/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=15,
    )
    time.sleep(0.3)  # the list is rendered right after the meta line
    hrefs = browser.evaluate(
        "[...document.querySelectorAll('.md-search-result__list > li > a')].map(a => a.href)"
    )
    return _dedupe(page_of(h, base) for h in hrefs)


def pagefind_results(browser: Browser, base: str, query: str) -> list[str]:
    return _dedupe(page_of(r["href"], base) for r in browser.pagefind_search(query))


def _dedupe(pages) -> list[str]:
    return list(dict.fromkeys(pages))


def run_engine(site: Path, engine: str, queries: list[dict]) -> dict[str, list[str]]:
    ranked = {}
    with SiteServer(site) as server, Browser() as browser:
        start = "index.html" if engine == "material" else "search.html"
        browser.goto(server.url + start)
        if engine != "material":
            browser.wait_for("!!document.querySelector('.pagefind-ui__search-input')", timeout=15)
        for q in queries:
            fetch = material_results if engine == "material" else pagefind_results
            ranked[q["query"]] = fetch(browser, server.url, q["query"])
        errors = browser.console_errors()
    if engine == "pagefind-stock":  # it has no word list by design; the page falls back
        errors = [e for e in errors if WORDS_FILE not in e]
    if errors:
        print(f"[{engine}] browser errors: {errors[:3]}", file=sys.stderr)
    return ranked


def report(engine: str, ranked: dict[str, list[str]], queries: list[dict]) -> dict:
    recall, mrr = recall_and_mrr(ranked, queries)
    by_kind = defaultdict(list)
    for q in queries:
        by_kind[q["kind"]].append(q)
    kinds = {k: round(recall_and_mrr(ranked, qs)[0], 3) for k, qs in sorted(by_kind.items())}
    missed = [q["query"] for q in queries if not set(ranked[q["query"]][:5]) & set(q["pages"])]
    print(f"{engine:14s} recall@5 = {recall:.3f}  MRR = {mrr:.3f}  by kind: {kinds}")
    print(f"{'':14s} missed ({len(missed)}): {' '.join(missed)}")
    return {"recall@5": recall, "mrr": mrr, "by_kind": kinds, "missed": missed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    queries = load_queries()
    figures = {"queries": len(queries)}
    with tempfile.TemporaryDirectory(prefix="ipw-site-bench-") as tmp:
        for engine in ENGINES:
            started = time.perf_counter()
            site = build(Path(tmp) / engine, engine)
            built = time.perf_counter() - started
            ranked = run_engine(site, engine, queries)
            figures[engine] = report(engine, ranked, queries) | {"build_s": round(built, 2)}
    print(f"{len(queries)} queries; baseline: material (built-in search)")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
