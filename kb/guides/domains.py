"""The official-domain allow-list of the guides (``official_domains.yaml``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from kb.core.errors import IpwatchError

DOMAINS_FILE = Path(__file__).resolve().parent / "official_domains.yaml"


@lru_cache(maxsize=4)
def load_domains(path: Path = DOMAINS_FILE) -> dict[str, frozenset[str]]:
    """``{jurisdiction: allowed domains}``, each including the global ones and its includes."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    common = {entry["domain"] for entry in data["global"]}
    table = data["jurisdictions"]
    out: dict[str, frozenset[str]] = {}
    for code, spec in table.items():
        domains = set(common) | {entry["domain"] for entry in spec["domains"]}
        for other in spec.get("includes", []):
            if other not in table:
                raise IpwatchError(f"{path}：{code} 的 includes 引用了未知法域「{other}」")
            domains |= {entry["domain"] for entry in table[other]["domains"]}
        out[code] = frozenset(domains)
    return out


def host_allowed(host: str, domains: frozenset[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def is_official(url: str, jurisdiction: str) -> bool:
    """True when ``url`` is https/http on an allow-listed domain for ``jurisdiction``."""
    parts = urlsplit(url)
    domains = load_domains().get(jurisdiction)
    return bool(domains) and parts.scheme in ("https", "http") and host_allowed(parts.hostname or "", domains)
