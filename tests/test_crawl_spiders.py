"""Every spider imports; every registry source has exactly the spider it needs; the
registry covers the 13 jurisdictions with the fields the issue asks for."""
from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from pathlib import Path

import pytest
import scrapy

import crawlers.spiders
from crawlers.registry import KIND_OPTIONS, RegistryError, load_registry
from crawlers.spiders.catalog import ALL_SPIDERS, spider_for
from kb.core.choices import COUNTRIES, EXTRA_JURISDICTIONS, codes

JURISDICTIONS = [c for c in codes(COUNTRIES) if c != "other"] + codes(EXTRA_JURISDICTIONS)


def test_every_spider_module_imports_and_is_in_the_catalog():
    found = set()
    for module in pkgutil.iter_modules(crawlers.spiders.__path__):
        imported = importlib.import_module(f"crawlers.spiders.{module.name}")
        for value in vars(imported).values():
            if isinstance(value, type) and issubclass(value, scrapy.Spider) and getattr(value, "name", None):
                found.add(value)
    assert found == set(ALL_SPIDERS)
    assert len({s.name for s in ALL_SPIDERS}) == len(ALL_SPIDERS)


def test_every_source_maps_to_a_spider_of_its_kind():
    for source in load_registry():
        spider = spider_for(source)
        assert spider.kind == source.kind, source.id
    assert spider_for(next(s for s in load_registry() if s.id == "kr-patent-act")).name == "law_go_kr"


def test_registry_covers_thirteen_jurisdictions_and_the_guidance_sites():
    sources = load_registry()
    per = Counter(s.jurisdiction for s in sources)
    for code in JURISDICTIONS:
        assert per[code] >= 3, code
    for source in sources:
        assert source.title_zh and source.rights and source.language, source.id
        assert source.verified is False  # no internet here: nothing checked against live
    guidance = {s.id: s.url for s in sources if s.kind == "guidance"}
    assert guidance == {"cn-worldip": "http://www.worldip.cn/", "cn-ipwq": "http://www.ipwq.cn/"}
    kinds = Counter(s.kind for s in sources)
    assert set(kinds) == set(KIND_OPTIONS)


def test_the_lead_german_sources_keep_their_ids_and_urls():
    de = {s.id: s.url for s in load_registry() if s.jurisdiction == "DE"}
    assert de["de-patg"] == "https://www.gesetze-im-internet.de/patg/BJNR201170936.html"
    assert {"de-patg", "de-markeng", "de-gebrmg", "de-designg"} <= set(de)


@pytest.mark.parametrize("line, field, message", [
    ("options: {items: results, colour: red}", "options", "不支持选项「colour」"),
    ("options: {max_items: many}", "options", "选项「max_items」类型应为 int"),
    ("options: {min_delay: true}", "options", "选项「min_delay」类型应为 float"),
    ("numbering: roman", "numbering", "未知条文编号方式"),
])
def test_bad_kind_options_and_numbering_name_file_line_and_field(tmp_path: Path, line, field,
                                                                  message):
    path = tmp_path / "us.yaml"
    path.write_text(
        "jurisdiction: US\nsources:\n  - id: us-x\n    kind: json_api\n    title: X\n"
        "    url: https://www.federalregister.gov/api/v1/documents.json\n    rights: [patent]\n"
        f"    language: en\n    {line}\n", encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    text = str(caught.value)
    assert "us.yaml" in text and "第9行" in text and f"「{field}」" in text and message in text
