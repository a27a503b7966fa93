"""The shipped site search, in headless Chromium: Chinese queries typed into the search box."""
from __future__ import annotations

import pytest

from ipwatch.sitebuild import build_site
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


def test_chinese_queries_in_the_browser(site):
    with SiteServer(site) as server, Browser() as browser:
        # every page has a search button in its header, leading to the search page
        browser.goto(server.url + "about.html")
        browser.evaluate("setTimeout(() => document.querySelector('.md-header .ipw-search-button').click())")
        browser.wait_for("location.pathname === '/search.html'")
        browser.wait_for("document.readyState === 'complete'"
                         " && !!document.querySelector('.pagefind-ui__search-input')", timeout=20)
        changes, home = server.url + "changes/index.html", server.url + "index.html"
        de, us = server.url + "changes/de.html", server.url + "changes/us.html"
        # a sub-word of a compound (文艺 in 民间文艺)
        results = browser.pagefind_search("文艺")
        assert results, browser.last_message
        # the jurisdiction's changes page; the changes index and home list the latest changes
        assert {r["href"] for r in results} == {de, changes, home}
        assert results[0]["title"] in ("德国法律动态", "法律动态", "曲江区海外知识产权维权援助")
        assert all("<mark>文艺</mark>" in r["excerpt"] for r in results)
        # an unspaced two-word query: both words are found, neither is dropped
        results = browser.pagefind_search("遗传资源")
        assert {r["href"] for r in results} == {us, changes, home}
        for result in results:
            assert "<mark>遗传</mark>" in result["excerpt"] and "<mark>资源</mark>" in result["excerpt"]
        assert browser.pagefind_search("商标侵权诉讼程序期限不存在的词语组合") == []
        assert browser.console_errors() == []  # no CSP violation, no failed load
        # a query in the address (?q=) is searched at once
        browser.goto(server.url + "search.html?q=" + "异议程序")
        browser.wait_for("document.querySelectorAll('.pagefind-ui__result').length > 0", timeout=20)
        assert browser.evaluate("document.querySelector('.pagefind-ui__search-input').value") == "异议程序"


def test_index_copy_splits_only_chinese_text_of_the_content():
    from ipwatch.sitesearch import ZWSP, split_page

    page = ('<html><head><title>专利审查</title></head><body><nav>专利审查</nav>'
            '<div data-pagefind-body><article><h1 id="x">专利审查指南'
            '<a class="headerlink" href="#x">¶</a></h1><p>A &amp; B：专利审查</p></article></div>'
            '<script>var s = "专利审查";</script></body></html>')
    words: set[str] = set()
    out = split_page(page, words)
    assert f"<h1 id=\"x\">专利{ZWSP}审查{ZWSP}指南</h1>" in out  # no ¶ in titles
    assert f"A &amp; B：专利{ZWSP}审查" in out  # entities untouched
    assert "<nav>专利审查</nav>" in out and 'var s = "专利审查"' in out  # outside the content
    assert {"专利", "审查", "指南"} <= words
