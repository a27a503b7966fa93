"""URL normalisation for the links a crawl collects: the same notice has one address.

Session ids and tracking parameters change on every visit (``;jsessionid=…``, ``?sid=…``,
``utm_source=…``); left in, a listing's list of links "changes" on every crawl and each
notice is fetched as a new page. They are dropped; everything else (the order of the other
parameters included) is kept as the site wrote it.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameter names (lower case) that name a visit, not a document.
VOLATILE_PARAMS = {
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "session", "sessid",
    "aspsessionid", "cfid", "cftoken", "zenid", "oscsid", "s_id",
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl",
    "igshid", "ref_src", "spm",
}
VOLATILE_PREFIXES = ("utm_", "aspsessionid", "pk_", "hsa_")
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.I)


def volatile_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in VOLATILE_PARAMS or lowered.startswith(VOLATILE_PREFIXES)


def normalise_url(url: str) -> str:
    """``url`` without session ids, tracking parameters and fragment."""
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not volatile_param(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
