"""What the CLI, the change pages, the feeds and the home page show about one change, in one
place: the amending act and its dates (``kb.laws.meta``), the Chinese digest
(``kb.laws.digest``), the staff interpretation (``kb.laws.notes``) and the article detail."""
from __future__ import annotations

from dataclasses import dataclass, field

from crawlers.articles import zh_label
from kb.core.store import Store
from kb.laws.changes import change_articles
from kb.laws.digest import ArticleDigest, change_digest
from kb.laws.meta import effective_date, get_meta, meta_lines
from kb.laws.notes import PENDING, get_note

# A fact shared by more than this many articles of one change (an office renamed throughout
# the law) is said once for the change, not once per article.
SHARED_FACT_MIN = 3


@dataclass
class ChangeView:
    change: dict
    meta: dict
    details: list[dict]
    digest: list[ArticleDigest]
    note: dict | None             # any state (staff views); see ``published``
    shared: list[tuple[str, int]] = field(default_factory=list)  # (fact, articles)

    @property
    def published(self) -> dict | None:
        return self.note if self.note and self.note["state"] == "published" else None

    @property
    def sort_date(self) -> str:
        return effective_date(self.change, self.meta)

    def meta_lines(self) -> list[tuple[str, str]]:
        return meta_lines(self.change, self.meta)

    def note_text(self) -> str:
        return self.published["text"] if self.published else PENDING

    def digest_lines(self) -> list[str]:
        """One line per article, with the shared facts said once at the end."""
        shared = {fact for fact, _ in self.shared}
        lines = []
        for item in self.digest:
            own = [f for f in item.facts if f not in shared]
            lines.append(ArticleDigest(item.article, item.label, item.change, item.heading,
                                       item.title, own).line())
        lines += [f"{fact}（{count}条）" for fact, count in self.shared]
        return lines


def change_view(store: Store, change: dict) -> ChangeView:
    details = change_articles(store, change["id"])
    digest = change_digest(details, change["jurisdiction"], zh_label)
    counts: dict[str, int] = {}
    for item in digest:
        for fact in item.facts:
            counts[fact] = counts.get(fact, 0) + 1
    shared = [(f, n) for f, n in counts.items() if n > SHARED_FACT_MIN]
    return ChangeView(change, get_meta(store, change["id"]), details, digest,
                      get_note(store, change["id"]), shared)
