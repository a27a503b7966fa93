"""法律动态 pages and Atom feeds through the real site build; crawled text is sanitised."""
from __future__ import annotations

import re
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest

from ipwatch import sitebuild
from ipwatch.pages.changes import change_pages_are_clean
from ipwatch.redline import redline_html, sanitise
from tests.lawdata_articles import populate

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(settings, store, tmp_path):
    ids = populate(store)
    out = sitebuild.build_site(settings, store, tmp_path / "site")
    return out, ids


def content(page) -> str:
    """The page's main content (the theme's own scripts are outside it)."""
    text = page.read_text("utf-8")
    return re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', text, re.S).group(1)


def test_change_pages_show_articles_and_redlines(site):
    out, ids = site
    index = content(out / "changes" / "index.html")
    for place in ("德国（DE）", "日本（JP）", "美国（US）"):
        assert place in index
    assert f'de.html#change-{ids["patg"]}' in index
    de = content(out / "changes" / "de.html")
    assert f'id="change-{ids["patg"]}"' in de and f'id="change-{ids["markeng"]}"' in de
    assert "新增条文（5）：§ 26a、§ 29a、§ 31a、§ 35a、§ 145a" in de
    assert '<ins class="ipw-added">' in de and '<del class="ipw-removed">' in de
    assert "编辑性修改（无实质变化，不发出预警）" in de
    jp = content(out / "changes" / "jp.html")
    assert '<del class="ipw-removed">懲役</del><ins class="ipw-added">拘禁刑</ins>' in jp
    assert "第196条の2（修改，实质性）" in jp


def test_crawled_markup_never_reaches_the_page(site):
    out, _ = site
    us = content(out / "changes" / "us.html")
    assert "&lt;script&gt;alert" in us  # shown as text, escaped
    assert "<script" not in us and "<iframe" not in us and "<img" not in us
    assert not re.search(r"<[^>]*\son\w+\s*=", us)
    assert not re.search(r"<[^>]*href=\"javascript:", us)
    assert not re.search(r"<[^>]*\sstyle=", us)


def test_feeds_are_valid_atom_of_substantive_changes(site):
    out, ids = site
    de = ET.parse(out / "feeds" / "changes-de.xml").getroot()
    assert de.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert de.find(f"{ATOM}{required}") is not None
    entries = de.findall(f"{ATOM}entry")
    assert len(entries) == 1  # the editorial MarkenG repair is no alert
    entry = entries[0]
    assert entry.find(f"{ATOM}title").text.startswith("德国《专利法》")
    assert entry.find(f"{ATOM}id").text.endswith(f":{ids['patg']}")
    link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link == f"../changes/de.html#change-{ids['patg']}"
    assert (out / "feeds" / link.split("#")[0]).resolve().exists()
    body = entry.find(f"{ATOM}content").text
    assert "<ins" in body and "<script" not in body
    patent = ET.parse(out / "feeds" / "changes-right-patent.xml").getroot()
    assert {e.find(f"{ATOM}title").text[:6] for e in patent.findall(f"{ATOM}entry")} == {
        "德国《专利法", "日本《特许法"}
    trademark = ET.parse(out / "feeds" / "changes-right-trademark.xml").getroot()
    assert trademark.findall(f"{ATOM}entry") == []
    us = ET.parse(out / "feeds" / "changes-us.xml").getroot()
    assert "<script" not in us.find(f"{ATOM}entry/{ATOM}content").text


@pytest.mark.parametrize("dirty, forbidden", [
    ("<script>alert(1)</script>x", "<script"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="https://ok.example" onclick="x()">x</a>', "onclick"),
    ('<img src="http://evil.example/a.png">', "<img"),
    ('<p style="position:fixed">x</p>', "style"),
    ('<svg onload="x()"></svg>', "onload"),
])
def test_sanitise_allow_list(dirty, forbidden):
    assert forbidden not in sanitise(dirty)


def test_sanitise_keeps_safe_links_and_redline_marks():
    clean = sanitise('<a href="https://dpma.de/x">DPMA</a> <a href="mailto:a@b.cn">m</a>'
                     '<ins class="ipw-added">neu</ins>')
    assert 'href="https://dpma.de/x"' in clean and 'href="mailto:a@b.cn"' in clean
    assert '<ins class="ipw-added">neu</ins>' in clean


def test_redline_escapes_crawled_text():
    html = redline_html([["=", "a <b>"], ["+", "<script>x</script>"]])
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_post_build_check_refuses_unsafe_change_page(tmp_path):
    page = tmp_path / "changes" / "xx.html"
    page.parent.mkdir()
    page.write_text('<article class="md-content__inner md-typeset"><p onclick="x()">a</p></article>')
    with pytest.raises(sitebuild.BuildError, match="不安全"):
        change_pages_are_clean(SimpleNamespace(out=tmp_path))
    page.write_text('<article class="md-content__inner md-typeset"><p>on=1 javascript: ok</p></article>')
    change_pages_are_clean(SimpleNamespace(out=tmp_path))
