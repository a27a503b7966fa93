"""The bundled demo mirror: real German law texts in two states, served on loopback.

The texts are consecutive published versions of German federal laws from the public
repository bundestag/gesetze (The Unlicense), kept in ``demo_data/law-history``. Each is
rendered into a page laid out like gesetze-im-internet.de — with a navigation bar and a
"Stand" line that change on every rendering, which must never count as a change of the law.

State 1 (the first crawl) and state 2 (the later crawl):
- PatG and GebrMG: a multi-year update (articles added and amended);
- MarkenG: an editorial repair only (a heading and trailing text);
- DesignG: unchanged.
"""
from __future__ import annotations

import html
import re
from datetime import date
from importlib import resources
from pathlib import Path

import markdown

from crawlers.registry import Source, load_registry

HISTORY = "demo_data/law-history/de"
# source id → (history folder, text in state 1, text in state 2)
DEMO_LAWS = {
    "de-patg": ("patg__5710c0a6", "old.md", "new.md"),
    "de-gebrmg": ("gebrmg__5710c0a6", "old.md", "new.md"),
    "de-markeng": ("markeng__e3c6d7fe", "old.md", "new.md"),
    "de-designg": ("designg__5710c0a6", "old.md", "old.md"),
}
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)

PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<nav id="header">Startseite | Aktuelles | Gesetze / Verordnungen | Titelsuche | Volltextsuche</nav>
<div id="container">
<p class="stand">Stand: {stand} &middot; Seitenaufruf Nr. {counter}</p>
<div id="paddingLR12">
{body}
</div>
</div>
<footer>Ein Service des Bundesministeriums der Justiz – www.gesetze-im-internet.de</footer>
</body></html>
"""


def history_root() -> Path:
    return Path(str(resources.files("crawlers").joinpath(HISTORY)))


def render_law_page(markdown_text: str, stand: str, counter: int) -> str:
    text = _FRONT_MATTER.sub("", markdown_text)
    body = markdown.markdown(text, extensions=["def_list", "tables"])
    title_match = re.search(r"^# (.+)$", text, re.M)
    title = html.escape(title_match.group(1) if title_match else "Gesetz")
    return PAGE.format(title=title, stand=stand, counter=counter, body=body)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_demo_mirror(dest: Path, sources: list[Source] | None = None) -> tuple[Path, Path]:
    """Write the two states of the demo mirror under ``dest``; return (state1, state2)."""
    from crawlers.mirror import mirror_path

    by_id = {s.id: s for s in (sources or load_registry())}
    states = (dest / "state1", dest / "state2")
    for number, state in enumerate(states, start=1):
        hosts = set()
        for source_id, (folder, *texts) in DEMO_LAWS.items():
            source = by_id[source_id]
            text = (history_root() / folder / texts[number - 1]).read_text("utf-8")
            page = render_law_page(text, stand=f"{date.today().isoformat()} (Zustand {number})",
                                   counter=1000 * number + len(source_id))
            _write(state / mirror_path(source.url), page)
            hosts.add(source.hosts[0])
        for host in hosts:
            _write(state / host / "robots.txt", "User-agent: *\nDisallow: /cgi-bin/\n")
    return states
