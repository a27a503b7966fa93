"""The shipped site search, in headless Chromium: typed into the search box over http (at the
root and under a sub-path) and with the built folder opened from disk (file://)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from ipwatch.sitebuild import build_site
from ipwatch.sitesearch import page_sections, read_index
from search_browser import Browser, SiteServer
from search_helpers import add_change, store  # noqa: F401 (fixtures)


@pytest.fixture
def site(settings, store, tmp_path):
    # words that no bundled guide uses, so that the expected pages are known
    add_change(store, "de-patg", ["§ 139"], when="2026-09-01T00:00:00+00:00",
               summary="民间文艺作品保护规定修改")
    add_change(store, "us-lanham", ["§ 1052"], when="2026-09-02T00:00:00+00:00",
               summary="遗传资源来源披露规则修改")
    return build_site(settings, store, out=tmp_path / "site")


EVAL = Path(__file__).resolve().parents[1] / "benchmarks" / "search_eval.yaml"


def paths(results, base):
    return [unquote(r["href"][len(base):]) for r in results]


def check_queries(browser, base):
    """What the reader sees, the same from every origin."""
    # a question in the reader's words: 律师函 is the guides' 警告函, 美国 boosts US
    results = browser.site_search("美国律师函怎么回复")
    assert paths(results, base)[0].startswith("guides/us/practice.html#收到警告函")
    assert "<mark>警告函</mark>" in results[0]["excerpt"]
    assert browser.last_message.startswith("找到")
    # an office's abbreviation in another language finds its section
    assert paths(browser.site_search("Gebrauchsmuster"), base)[0].startswith("guides/de/laws.html#实用新型法")
    # a sub-word of a compound (文艺 in 民间文艺), in a law change
    assert any(p.startswith("changes/de.html#change-") for p in paths(browser.site_search("文艺"), base))
    # a word the guides lack: the rest still answers, with a visible notice naming the word
    results = browser.site_search("乌托邦 海关扣留")
    assert results and "海关扣留" in results[0]["title"]
    assert "未匹配" in browser.last_message and "乌托邦" in browser.last_message
    assert browser.site_search("乌托邦") == [] and "没有找到" in browser.last_message


def test_site_search_over_http_from_disk_and_under_a_sub_path(site):
    with Browser() as browser:
        with SiteServer(site) as server:
            # every page has a search button in its header, leading to the search page
            browser.goto(server.url + "about.html")
            browser.evaluate("setTimeout(() => document.querySelector('.md-header .ipw-search-button').click())")
            browser.wait_for("location.pathname === '/search.html'")
            check_queries(browser, server.url)
            assert browser.console_errors() == []  # no CSP violation, no failed load
        with SiteServer(site, prefix="amt/ipwatch") as server:
            browser.goto(server.url + "search.html?q=" + "统一专利法院")  # ?q= searches at once
            browser.wait_for("document.getElementById('ipw-search').dataset.searched", timeout=20)
            first = browser.evaluate("document.querySelector('.ipw-search__result a').href")
            assert unquote(first).startswith(server.url + "guides/eu/institutions.html#统一专利法院")
            check_queries(browser, server.url)
            assert browser.console_errors() == []
        base = site.as_uri() + "/"
        browser.goto(base + "search.html")
        check_queries(browser, base)
        assert browser.console_errors() == []


def test_python_and_javascript_parse_queries_alike(site):
    """The page's parser against kb.guides.search_text.parse_query, over the evaluation set."""
    from kb.guides.search_text import parse_query

    questions = [q["q"] for q in yaml.safe_load(EVAL.read_text("utf-8"))["queries"]] + [
        "ＵＳＩＴＣ　３３７调查", "TÜRKPATENT", "Einheitliches Patentgericht", "실용신안법", "怎么办",
        "专利法院期限", "counter-notices filed", "的，。", "a b c", "美国美国 USA",
    ]
    index = read_index(site)
    known = lambda w: w in index["body"] or w in index["title"]  # noqa: E731
    with Browser() as browser:
        browser.goto(site.as_uri() + "/search.html")
        browser.wait_for("window.IPW_SEARCH !== undefined", timeout=20)
        for question in questions:
            expected = [[c.label, [list(a) for a in c.alts], c.jurisdiction]
                        for c in parse_query(question, known)]
            got = browser.evaluate(
                f"IPW_SEARCH.parse({json.dumps(question)}).map(c => [c.label, c.alts, c.jurisdiction])"
            )
            assert got == expected, question


def test_sections_are_cut_at_headings_without_the_heading_links():
    page = ('<html><body><nav>专利审查</nav><div data-search-body><article>'
            '<h1 id="t">美国知识产权纠纷实务指引</h1><p>引言</p>'
            '<h2 id="a">收到警告函<a class="headerlink" href="#a">¶</a></h2><p>A &amp; B：不要置之不理</p>'
            '<table><tr><td>答辩</td><td>21天</td></tr></table></article></div>'
            '<script>var s = "专利审查";</script></body></html>')
    sections = page_sections("guides/us/practice.html", page)
    assert [(s.url, s.title) for s in sections] == [
        ("guides/us/practice.html", "美国知识产权纠纷实务指引"),
        ("guides/us/practice.html#a", "美国知识产权纠纷实务指引 · 收到警告函"),
    ]
    assert sections[1].text == "A & B：不要置之不理 答辩21天"
    assert {s.jurisdiction for s in sections} == {"US"} and all(s.guide for s in sections)
    assert all("专利审查" not in s.text for s in sections)  # navigation and scripts left out
