"""The one item type of the crawlers: a fetched page of a tracked source."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    source_id: str
    url: str
    http_status: int | None         # None: no response (timeout, refused, …)
    text: str                       # normalised extracted text
    headers: dict = field(default_factory=dict)  # etag, last-modified, content-type
    extraction: str = ""            # css / xpath / fallback
    problem: str | None = None      # a fetch problem: never a change
    page_kind: str = "page"         # page / listing / notice / feed / api (the spider's role)
    not_modified: bool = False      # a 304 to a conditional request: nothing more to do
    encoding: str = ""              # how the body was decoded
    confirm: bool = False           # the second fetch that confirms (or not) a difference
