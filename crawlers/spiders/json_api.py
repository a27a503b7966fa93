"""JSON APIs (e.g. the Federal Register API): the answer is snapshotted as one line per item.

Registry ``options``: ``items`` (dotted path to the list, e.g. ``results``), ``link`` (field
holding the item's page URL), ``date`` (field holding its date), ``text`` (fields joined into
the line), ``max_items`` (default 50), ``follow`` (also fetch each item's page as a notice).
"""
from __future__ import annotations

import json

from crawlers.spiders.feed import FeedSpider


def dig(data, path: str):
    for key in filter(None, (path or "").split(".")):
        data = data.get(key, []) if isinstance(data, dict) else []
    return data


class JsonApiSpider(FeedSpider):
    name = "json_api"
    kind = "json_api"
    start_role = "api"

    def parse_api(self, response, source):
        _selector, facts = self.selector(response, source)
        options = source.options or {}
        try:
            items = dig(json.loads(response.body), options.get("items", ""))
        except ValueError:
            items = None
        if not isinstance(items, list):
            yield self.checked_item(response, source, "api", "", facts, min_chars=1)
            return
        entries = []
        for item in items[: int(options.get("max_items", 50))]:
            if not isinstance(item, dict):
                continue
            fields = [str(item.get(f) or "") for f in options.get("text", ["title"])]
            entries.append((str(item.get(options.get("date", ""), "") or ""),
                            " | ".join(f for f in fields if f),
                            str(item.get(options.get("link", ""), "") or "")))
        yield from self.entries_item(response, source, "api", entries, facts)
