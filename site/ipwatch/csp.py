"""The site's Content-Security-Policy: scripts only from the site's files and the inline
scripts the theme itself writes, each allowed by its SHA-256 hash — never ``'unsafe-inline'``,
so an injected script or event handler would not run even if the sanitiser missed one.

The theme override (``site/overrides/main.html``) writes the policy without hashes;
``apply_csp`` adds to each built page the hashes of that page's own inline scripts (Material
writes a few: palette, scope, the JSON config is data, not a script). ``csp_check`` fails
the build when a page lacks the policy, allows inline scripts, or has an inline script or an
inline event handler that its policy does not allow.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_META = re.compile(r'(<meta http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")')
_INLINE = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
_DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def _is_data(attrs: str) -> bool:
    """A ``<script type="application/json">`` holds data: it never runs, CSP does not apply."""
    found = re.search(r'type="([^"]+)"', attrs)
    return bool(found) and found.group(1).lower() in _DATA_TYPES


def script_hashes(html: str) -> list[str]:
    """CSP source expressions of the page's inline scripts, in order, without repeats."""
    hashes = []
    for attrs, body in _INLINE.findall(html):
        if _is_data(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        expression = f"'sha256-{digest}'"
        if expression not in hashes:
            hashes.append(expression)
    return hashes


def _with_hashes(policy: str, hashes: list[str]) -> str:
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    out = []
    for directive in directives:
        name, *values = directive.split()
        if name == "script-src":
            values = [v for v in values if not v.startswith("'sha256-")] + hashes
        out.append(" ".join([name, *values]))
    return "; ".join(out)


def apply_csp(site: Path) -> None:
    """Write the hashes of each page's inline scripts into that page's policy."""
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        hashes = script_hashes(html)
        updated = _META.sub(lambda m: m.group(1) + _with_hashes(m.group(2), hashes) + m.group(3),
                            html, count=1)
        if updated != html:
            page.write_text(updated, encoding="utf-8")


def page_problem(html: str) -> str | None:
    meta = _META.search(html)
    if not meta:
        return "缺少 Content-Security-Policy"
    script_src = next((d.split()[1:] for d in meta.group(2).split(";")
                       if d.split() and d.split()[0] == "script-src"), None)
    if script_src is None or "'unsafe-inline'" in script_src:
        return "script-src 缺失或允许 'unsafe-inline'"
    missing = [h for h in script_hashes(html) if h not in script_src]
    if missing:
        return f"内联脚本未获策略允许（{len(missing)} 段）"
    if _HANDLER.search(html):
        return "含内联事件处理属性（on…=）"
    return None


def csp_check(site: Path) -> str | None:
    """The first page whose policy is wrong, as a Chinese message; None when all are right."""
    for page in sorted(site.rglob("*.html")):
        problem = page_problem(page.read_text("utf-8"))
        if problem:
            return f"网站页面 {page.relative_to(site)} 的内容安全策略不合格：{problem}"
    return None
