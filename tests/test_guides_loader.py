"""The guide format and its loader (kb.guides): front matter, sections, slugs, relies markers."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import markdown
import pytest
from pymdownx.slugs import slugify

from kb.core.errors import ValidationError
from kb.guides import article_key, load_guides, parse_guide, slug_of

GOOD = """---
jurisdiction: DE
part: laws
title: 德国知识产权法律法规
reviewed: 2026-11-28
rights: [patent, utility_model]
---

导言一段（[DPMA](https://www.dpma.de/)）。

## 专利法（Patentgesetz, PatG）

<!-- relies: de-patg:§ 139, de-patg:§145a -->
停止侵害与损害赔偿（[PatG § 139](https://www.gesetze-im-internet.de/patg/__139.html)）。
第二行仍属同一段。

无依据标记的段落 <https://www.dpma.de/>。

## Schedule A 诉讼与 § 337

```
## not a heading inside a fence
```
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_front_matter_sections_relies_and_links(tmp_path):
    guide = parse_guide(write(tmp_path, "de/laws.md", GOOD))
    assert (guide.jurisdiction, guide.part, guide.reviewed) == ("DE", "laws", date(2026, 11, 28))
    assert guide.rights == ["patent", "utility_model"]
    assert guide.page == "guides/de/laws.md"
    intro, patg, sched = guide.sections
    assert intro.slug == "" and intro.links == ["https://www.dpma.de/"]
    assert patg.heading == "专利法（Patentgesetz, PatG）"
    assert patg.slug == "专利法patentgesetz-patg"
    assert patg.line == 11
    assert patg.relies == [("de-patg", "§ 139"), ("de-patg", "§145a")]
    first, second = patg.paragraphs
    assert first.line == 14 and "第二行" in first.text and first.relies == patg.relies
    assert second.relies == []
    assert patg.links == ["https://www.gesetze-im-internet.de/patg/__139.html", "https://www.dpma.de/"]
    assert sched.anchor == "guides/de/laws.md#schedule-a-诉讼与--337"
    assert "not a heading" in sched.text


def test_slugs_are_the_anchors_mkdocs_toc_makes(tmp_path):
    guide = parse_guide(write(tmp_path, "de/laws.md", GOOD))
    md = markdown.Markdown(
        extensions=["toc", "pymdownx.superfences"], extension_configs={"toc": {"slugify": slugify(case="lower")}}
    )
    html = md.convert(guide.body)
    assert re.findall(r'<h2 id="([^"]+)"', html) == [s.slug for s in guide.sections if s.slug]


def test_article_key_ignores_whitespace():
    assert article_key("§ 145a") == article_key("§145a") == "§145a"
    assert slug_of("美国 Section 337 调查") == "美国-section-337-调查"


@pytest.mark.parametrize(
    ("change", "field", "line"),
    [
        (("rights: [patent, utility_model]", "rights: [patent, ufo]"), "rights", 6),
        (("reviewed: 2026-11-28", "reviewed: soon"), "reviewed", 5),
        (("part: laws", "part: practice"), "part", 3),
        (("jurisdiction: DE", "jurisdiction: FR"), "jurisdiction", 2),
        (("title: 德国知识产权法律法规\n", ""), "title", 1),
        (("<!-- relies: de-patg:§ 139, de-patg:§145a -->", "<!-- relies: de-patg -->"), "relies", 13),
        (("## Schedule A 诉讼与 § 337", "## [链接](https://x)"), "heading", 19),
        (("## Schedule A 诉讼与 § 337", "## 专利法（Patentgesetz, PatG）"), "heading", 19),
    ],
)
def test_validation_errors_name_file_field_and_line(tmp_path, change, field, line):
    path = write(tmp_path, "de/laws.md", GOOD.replace(*change))
    with pytest.raises(ValidationError) as info:
        parse_guide(path)
    error = info.value.errors[0]
    assert (error.field, error.line) == (field, line)
    assert str(path) in str(info.value)


def test_bad_yaml_and_missing_front_matter(tmp_path):
    with pytest.raises(ValidationError) as info:
        parse_guide(write(tmp_path, "de/laws.md", GOOD.replace("utility_model]", "utility_model")))
    assert info.value.errors[0].field == "front matter"
    with pytest.raises(ValidationError):
        parse_guide(write(tmp_path, "de/practice.md", "## 无头信息\n"))


def test_load_guides_orders_folders_and_reports_every_bad_file(tmp_path):
    write(tmp_path, "de/laws.md", GOOD)
    write(tmp_path, "us/laws.md", GOOD.replace("jurisdiction: DE", "jurisdiction: US"))
    assert [g.jurisdiction for g in load_guides(tmp_path)] == ["US", "DE"]
    write(tmp_path, "fr/laws.md", GOOD)
    write(tmp_path, "gb/laws.md", GOOD.replace("jurisdiction: DE", "jurisdiction: GB").replace("part: laws", "part: x"))
    with pytest.raises(ValidationError) as info:
        load_guides(tmp_path)
    fields = [e.field for e in info.value.errors]
    assert fields == ["fr/laws.md jurisdiction", "gb/laws.md part"]


def test_bundled_guides_load():
    guides = load_guides()
    assert guides and all(g.sections for g in guides)


def test_a_byte_order_mark_is_not_content(tmp_path):
    path = tmp_path / "de" / "laws.md"
    path.parent.mkdir()
    path.write_bytes("\ufeff".encode("utf-8") + GOOD.encode("utf-8"))
    assert parse_guide(path).title == "德国知识产权法律法规"
