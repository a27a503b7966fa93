"""Atom and RSS feeds: the feed is snapshotted as one line per entry (date, title, link).

Registry ``options``: ``max_items`` (entries kept, default 50), ``follow`` (also fetch each
entry's page as a notice, default false).
"""
from __future__ import annotations

from crawlers.urlnorm import normalise_url
from crawlers.spiders.listing import ListingSpider

ENTRY_XPATHS = {
    "entries": "//*[local-name()='entry'] | //*[local-name()='item']",
    "title": "string(*[local-name()='title'])",
    "date": "string((*[local-name()='updated'] | *[local-name()='published']"
            " | *[local-name()='pubDate'] | *[local-name()='date'])[1])",
    "link": "string((*[local-name()='link']/@href | *[local-name()='link'][not(@href)])[1])",
}


class FeedSpider(ListingSpider):
    name = "feed"
    kind = "feed"
    start_role = "feed"

    def entries(self, selector) -> list[tuple[str, str, str]]:
        out = []
        for entry in selector.xpath(ENTRY_XPATHS["entries"]):
            out.append(tuple(entry.xpath(ENTRY_XPATHS[k]).get("").strip()
                             for k in ("date", "title", "link")))
        return out

    def parse_feed(self, response, source):
        selector, facts = self.selector(response, source)
        options = source.options or {}
        entries = self.entries(selector)[: int(options.get("max_items", 50))]
        yield from self.entries_item(response, source, "feed", entries, facts)

    def entries_item(self, response, source, role: str, entries: list[tuple[str, str, str]],
                     facts):
        """A listing-like page (feed, API answer) as one item of ``date title <link>`` lines,
        then, when the source says ``follow``, a request for each entry on the source's hosts."""
        entries = [(date, title, normalise_url(link) if link else link)
                   for date, title, link in entries]
        text = "\n".join(f"{date} {title} <{link}>" for date, title, link in entries)
        yield self.checked_item(response, source, role, text, facts, min_chars=1)
        if (source.options or {}).get("follow"):
            hosts = {h.lower() for h in source.hosts}
            for _date, _title, link in entries:
                if self._own(link, hosts):
                    yield self.request_for(source, link, "notice")

    @staticmethod
    def _own(url: str, hosts: set[str]) -> bool:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in hosts
