"""The shipped site search, in headless Chromium: Chinese queries typed into the search box."""
from __future__ import annotations

import pytest

from ipwatch.sitebuild import build_site
from search_browser import Browser, SiteServer
from search_helpers import add_change, settings, store  # noqa: F401 (fixtures)


@pytest.fixture
def site(settings, store, tmp_path):
    add_change(store, "de-patg", ["§ 139"], when="2026-09-01T00:00:00+00:00",
               summary="专利侵权诉讼的停止侵害请求权条款修改")
    add_change(store, "us-lanham", ["§ 1052"], when="2026-09-02T00:00:00+00:00",
               summary="商标异议程序修改")
    add_change(store, "us-35usc", ["§ 131"], when="2026-09-03T00:00:00+00:00",
               summary="专利审查程序的期限修改")
    return build_site(settings, store, out=tmp_path / "site")


def test_chinese_queries_in_the_browser(site):
    with SiteServer(site) as server, Browser() as browser:
        # every page has a search button in its header, leading to the search page
        browser.goto(server.url + "about.html")
        browser.evaluate("document.querySelector('.md-header .ipw-search-button').click()")
        browser.wait_for("location.pathname === '/search.html'")
        browser.wait_for("document.readyState === 'complete'"
                         " && !!document.querySelector('.pagefind-ui__search-input')", timeout=20)
        # a sub-word of a compound (审查 in 专利审查)
        results = browser.pagefind_search("审查")
        assert results, browser.last_message
        assert results[0]["href"] == server.url + "changes/index.html"
        assert results[0]["title"] == "法律动态"  # no zero-width space, no ¶
        assert "<mark>审查</mark>" in results[0]["excerpt"]
        # an unspaced two-word query: both words are required, neither is dropped
        results = browser.pagefind_search("专利侵权")
        # the changes page and the home page (which lists the latest changes)
        assert {r["href"] for r in results} == {server.url + "changes/index.html", server.url + "index.html"}
        for result in results:
            assert "<mark>专利</mark>" in result["excerpt"] and "<mark>侵权</mark>" in result["excerpt"]
        assert browser.pagefind_search("商标侵权诉讼程序期限不存在的词语组合") == []
        assert browser.console_errors() == []  # no CSP violation, no failed load
        # a query in the address (?q=) is searched at once
        browser.goto(server.url + "search.html?q=" + "异议程序")
        browser.wait_for("document.querySelectorAll('.pagefind-ui__result').length > 0", timeout=20)
        assert browser.evaluate("document.querySelector('.pagefind-ui__search-input').value") == "异议程序"
