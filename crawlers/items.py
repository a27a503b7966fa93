"""The one item type of the crawlers: a fetched page of a tracked source."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    source_id: str
    url: str
    http_status: int
    text: str                       # normalised extracted text
    headers: dict = field(default_factory=dict)  # etag, last-modified, content-type
    extraction: str = ""            # css / xpath / fallback
    problem: str | None = None      # a fetch problem: never a change
