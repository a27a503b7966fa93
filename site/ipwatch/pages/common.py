"""Small helpers shared by the page generators."""
from __future__ import annotations

from kb.core.choices import jurisdiction_label


def md_escape(text: str) -> str:
    """Escape text for a Markdown table cell or inline run (no HTML, no markup)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def when(iso: str) -> str:
    """``2026-11-28T12:00:00+00:00`` → ``2026-11-28``."""
    return iso[:10]


def place(code: str) -> str:
    return f"{jurisdiction_label(code)}（{code}）"
