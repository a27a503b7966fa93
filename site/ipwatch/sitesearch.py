"""Site search: Pagefind (extended build) over the built site, with our Chinese word splitting.

Measured in headless Chromium (benchmarks/site_search_bench.py): MkDocs-Material's built-in
search drops the last word of an unspaced Chinese query; stock Pagefind segments the page
text with its own dictionary but splits the *query* with the browser's ``Intl.Segmenter``,
which here cuts domain words into single characters (展会 → 展 会, 侵权 → 侵 权) so that
they no longer match. So both sides use one segmentation:

- index: Pagefind reads a copy of the built pages whose Chinese text is pre-split at the
  finest dictionary words (``kb.guides.search_text.fine_words``; 专利审查 → 专利 审查) with
  zero-width spaces (removed again from titles and excerpts in the browser); URLs stay
  those of the real site (``--keep-index-url``: pages open from disk too);
- query: ``assets/ipw-search.js`` splits the query by longest match over the same word list
  (``pagefind/ipw-words.json``) before Pagefind sees it.

It runs after MkDocs on the ``.building`` folder, before the post-build checks. Only page
content (``data-pagefind-body``, set in site/overrides/main.html) is indexed. Everything is
served from the site itself; the WebAssembly needs ``'wasm-unsafe-eval'`` in the CSP.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from kb.core.errors import IpwatchError
from kb.guides.search_text import fine_words

BUNDLE = "pagefind"
WORDS_FILE = "ipw-words.json"
ZWSP = "\u200b"
_BODY = "data-pagefind-body"
_TEXT = re.compile(r">([^<]+)<")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')  # the ¶ after each heading


def split_page(html: str, words: set[str]) -> str:
    """The page with the Chinese text of its indexed part split by zero-width spaces."""
    start = html.find(_BODY)
    end = html.rfind("</article>")
    if start < 0 or end < start:
        return html

    def run(match: re.Match) -> str:
        parts = fine_words(match.group(0))
        words.update(p for p in parts if len(p) > 1)
        return ZWSP.join(parts)

    def text(match: re.Match) -> str:
        return ">" + _CJK.sub(run, match.group(1)) + "<"

    body = _HEADERLINK.sub("", html[start:end])
    return html[:start] + _TEXT.sub(text, body) + html[end:]


def index_site(folder: Path) -> dict:
    """Index the built site in ``folder`` into ``folder/pagefind``; return the bundle's entry."""
    folder = folder.resolve()
    words: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="ipwatch-pagefind-") as tmp:
        for page in folder.rglob("*.html"):
            target = Path(tmp) / page.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(split_page(page.read_text("utf-8"), words), "utf-8")
        command = [
            sys.executable, "-m", "pagefind", "--site", tmp,
            "--output-path", str(folder / BUNDLE), "--keep-index-url", "--silent",
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise IpwatchError(f"站内搜索索引（Pagefind）生成失败：{result.stderr.strip()[-500:]}")
    (folder / BUNDLE / WORDS_FILE).write_text(
        json.dumps(sorted(words), ensure_ascii=False, separators=(",", ":")), "utf-8"
    )
    return bundle_entry(folder)


def bundle_entry(folder: Path) -> dict:
    entry = folder / BUNDLE / "pagefind-entry.json"
    if not entry.exists():
        raise IpwatchError(f"站内搜索索引缺失：{entry}")
    return json.loads(entry.read_text("utf-8"))


def search_index_check(folder: Path) -> None:
    """Post-build check: a Chinese index covering the pages, and the word list beside it."""
    from ipwatch.sitebuild import BuildError

    languages = bundle_entry(folder).get("languages", {})
    pages = sum(1 for _ in folder.rglob("*.html")) - sum(1 for _ in (folder / BUNDLE).rglob("*.html"))
    indexed = languages.get("zh", {}).get("page_count", 0)
    if not indexed or indexed < pages // 2:
        raise BuildError(f"站内搜索索引不完整：中文索引 {indexed} 页，网站共 {pages} 页")
    if not (folder / BUNDLE / WORDS_FILE).exists():
        raise BuildError(f"站内搜索缺少分词词表：{BUNDLE}/{WORDS_FILE}")
