"""Issue 13 through the real site build: each change says its amending act and dates, its
digest, and its 解读 (published) or 待解读; feeds and the home page follow."""
from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from ipwatch import sitebuild
from kb.core.errors import IpwatchError
from kb.laws.notes import advance_note, write_note
from tests.lawdata_articles import populate

ATOM = "{http://www.w3.org/2005/Atom}"


def content(page) -> str:
    text = page.read_text("utf-8")
    return re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', text, re.S).group(1)


def section(html: str, change_id: int) -> str:
    start = html.index(f'id="change-{change_id}"')
    end = html.find('<h2 id="change-', start + 10)
    return html[start: end if end > 0 else len(html)]


def test_note_workflow_rules(store):
    ids = populate(store)
    write_note(store, ids["patg"], "草稿", "张三", date(2026, 12, 1))
    with pytest.raises(IpwatchError, match="须先审核"):
        advance_note(store, ids["patg"], "published", "李四", date(2026, 12, 1))
    with pytest.raises(IpwatchError, match="不能是撰写人"):
        advance_note(store, ids["patg"], "reviewed", "张三", date(2026, 12, 1))
    advance_note(store, ids["patg"], "reviewed", "李四", date(2026, 12, 1))
    note = write_note(store, ids["patg"], "改过的草稿", "张三", date(2026, 12, 2))
    assert (note["state"], note["reviewer"]) == ("draft", "")  # edited text needs a new review
    with pytest.raises(IpwatchError, match="找不到编号"):
        write_note(store, 999, "x", "张三", date(2026, 12, 1))


def test_change_pages_feeds_and_home_say_what_happened(settings, store, tmp_path):
    ids = populate(store)
    text = "《专利法》第139条新增比例原则抗辩：停止侵害请求权在特殊情况下可被排除。"
    write_note(store, ids["patg"], text, "张三", date(2026, 12, 1))
    advance_note(store, ids["patg"], "reviewed", "李四", date(2026, 12, 1))
    write_note(store, ids["tokkyo"], "未审核的草稿不上网站", "张三", date(2026, 12, 1))
    advance_note(store, ids["patg"], "published", "李四", date(2026, 12, 2))
    out = sitebuild.build_site(settings, store, tmp_path / "site")

    de = content(out / "changes" / "de.html")
    patg = section(de, ids["patg"])
    assert "修改依据：Art. 1 G v. 30.8.2021 I 4074 (Nr. 62)" in patg
    assert "公布日期：2021-08-30" in patg and "施行日期：未载明" in patg
    assert "发现日期：2026-11-20" in patg
    assert patg.index("比例原则抗辩") < patg.index("自动摘要")  # the 解读 leads
    assert "新增第31a条（数据保护）" in patg and "期限 3个月→9个月" in patg
    assert "依据本次修改条文的指南段落" in patg and "../guides/de/" in patg
    assert de.index(f'id="change-{ids["patg"]}"') < de.index(f'id="change-{ids["markeng"]}"')

    jp = section(content(out / "changes" / "jp.html"), ids["tokkyo"])
    assert "待解读" in jp and "未审核的草稿" not in jp

    feed = ET.parse(out / "feeds" / "changes-de.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text == "2021-08-30T00:00:00+00:00"
    assert entry.find(f"{ATOM}updated").text == "2026-12-02T00:00:00+00:00"
    assert entry.find(f"{ATOM}content").text.index("比例原则") < entry.find(f"{ATOM}content").text.index("自动摘要")

    home = content(out / "index.html")
    assert "比例原则抗辩" in home and "2021-08-30（公布）" in home
    assert "自动摘要" in home and "待解读" in home  # the Japanese change has no published note
    assert "文字修正" not in home  # the editorial MarkenG repair is not a latest substantive change
