"""The generic spider for a law-text page: fetch, decode right, extract the body, check it.

All the work is the base's ``parse`` and ``parse_page``: 304 → not modified, non-2xx →
fetch problem, decoding (declared, UTF-8, or the language's legacy encodings), extraction by
the registry's hint, problem checks (soft-404, maintenance, mojibake, truncation, empty).
"""
from __future__ import annotations

from crawlers.spiders.base import RegistrySpider


class LawPageSpider(RegistrySpider):
    name = "law_page"
    kind = "law_page"
    start_role = "page"
