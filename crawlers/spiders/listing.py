"""Listings of notices → each notice page.

Registry ``options``: ``item_css`` (links to the notices, default ``a``), ``max_items``
(notices followed per listing page, default 20), ``next_css`` (link to the next listing
page) and ``max_pages`` (listing pages followed, default 1: no pagination).
The listing page itself is snapshotted as the list of its notices' titles and links, so a new
notice is a change of the listing; each notice is a page of its own.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from crawlers.spiders.base import SourceSpider
from crawlers.urlnorm import normalise_url


class ListingSpider(SourceSpider):
    name = "listing"
    kind = "listing"
    start_role = "listing"

    def item_links(self, selector, source, base_url: str) -> list[tuple[str, str]]:
        """(url, title) of the notices on a listing page, own hosts only, first ones first."""
        options = source.options or {}
        hosts = {h.lower() for h in source.hosts}
        seen, links = set(), []
        for anchor in selector.css(options.get("item_css", "a")):
            href = anchor.attrib.get("href", "")
            url = normalise_url(urljoin(base_url, href))
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in hosts:
                continue
            if url in seen or url == normalise_url(base_url):
                continue
            seen.add(url)
            links.append((url, " ".join(anchor.css("::text").getall()).strip()))
        return links[: int(options.get("max_items", 20))]

    def parse_listing(self, response, source):
        selector, facts = self.selector(response, source)
        links = self.item_links(selector, source, response.url)
        text = "\n".join(f"{title} <{url}>" for url, title in links)
        yield self.checked_item(response, source, "listing", text, facts, min_chars=1)
        for url, _title in links:
            yield self.request_for(source, url, "notice")
        yield from self.next_listing(selector, source, response)

    def next_listing(self, selector, source, response):
        options = source.options or {}
        page = response.meta.get("ipwatch_listing_page", 1)
        next_css = options.get("next_css")
        if not next_css or page >= int(options.get("max_pages", 1)):
            return
        href = selector.css(next_css).attrib.get("href")
        if href:
            yield self.request_for(source, urljoin(response.url, href), "listing",
                                   ipwatch_listing_page=page + 1)

    def parse_notice(self, response, source):
        text, is_xml, facts = self.decoded(response, source)
        body, _missed = self.extract_text(text, is_xml, _NoHint(source))
        yield self.checked_item(response, source, "notice", body, facts, min_chars=50)


class GuidanceSpider(ListingSpider):
    """Guidance sites (智南针网, 中国知识产权维权援助网): a listing of guidance pages."""

    name = "guidance"
    kind = "guidance"


class _NoHint:
    """A source seen without its law-body hint: notices are laid out unlike the law pages."""

    def __init__(self, source):
        self.extract = {}
