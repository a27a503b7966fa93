"""Small helpers shared by the page generators."""
from __future__ import annotations

import posixpath

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


def tel_link(phone: str) -> str:
    """``0751-6696612`` → a Markdown link that dials it from a phone (tel:+867516696612)."""
    digits = "".join(c for c in phone if c.isdigit())
    number = f"+86{digits[1:]}" if digits.startswith("0") else f"+86{digits}"
    return f"[{phone}](tel:{number})"


def intake_cta(settings, page: str, *, lead: str = "") -> list[str]:
    """The call to action of the 申请指导 page, as Markdown lines for ``page`` (its path in the
    site, for the relative link): a button and the lead department's phone."""
    from kb.cases.service import lead_department

    dept = lead_department(settings)
    link = posixpath.relpath("intake/index.md", posixpath.dirname(page) or ".")
    return [
        '<div class="ipw-cta" markdown>', "",
        f"**遇到海外知识产权纠纷？**{lead}可以申请{settings['office']['name']}会同"
        f"{'、'.join(settings['office']['partners'])}给予应对指导。", "",
        f"[申请指导]({link}){{ .md-button .md-button--primary }} 咨询电话 "
        f"{tel_link(dept['phone'])}（{dept['name']}）", "",
        "</div>", "",
    ]
