"""Law-text pages: one page, its law body extracted by the registry's hint."""
from __future__ import annotations

from crawlers.spiders.base import SourceSpider


class LawTextSpider(SourceSpider):
    name = "law_text"
    kinds = ("law_page",)
    start_role = "page"
