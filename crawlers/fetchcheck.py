"""Decode a fetched body right, and tell a fetch problem from a page.

A fetch problem (non-2xx, maintenance or captcha page, soft-404, mojibake, truncated body,
empty or drastically shrunk extraction) is recorded in ``fetch_log``; it is never a change
and never replaces the last good snapshot. Each check is a small function returning a short
problem code (``None`` when fine), tried in order by ``find_problem``.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Declared names that browsers (WHATWG Encoding) read as a superset: decode as the superset.
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252",
}
# Tried in order when nothing is declared and the body is not UTF-8, by source language.
_GUESSES = {
    "zh": ("gb18030", "big5"), "ja": ("cp932", "euc_jp"), "ko": ("cp949",),
    "ru": ("cp1251", "koi8_r"), "tr": ("cp1254",),
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.I,
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.I)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    how: str  # bom / header / meta / utf-8 / guess / fallback
    replaced: int  # U+FFFD introduced by decoding


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        return None


def declared_encoding(body: bytes, content_type: str | None) -> tuple[str | None, str]:
    """The encoding a page declares (BOM, then HTTP header, then meta/XML declaration)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return name, "bom"
    match = _HEADER_CHARSET.search(content_type or "")
    if match and _codec(match.group(1)):
        return _codec(match.group(1)), "header"
    match = _META_CHARSET.search(body[:4096])
    if match and _codec(match.group(1) or match.group(2)):
        return _codec(match.group(1) or match.group(2)), "meta"
    return None, ""


def decode_body(body: bytes, content_type: str | None = None, language: str = "") -> Decoded:
    """Decode as declared when that decodes cleanly; else UTF-8; else the language's legacy
    encodings; last, the declared (or UTF-8) encoding with replacement characters."""
    declared, how = declared_encoding(body, content_type)
    if declared:
        text = _strict(body, declared)
        if text is not None:
            return Decoded(text.lstrip("\ufeff"), declared, how, 0)
    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text.lstrip("\ufeff"), "utf-8", "utf-8", 0)
    for guess in _GUESSES.get(language[:2].lower(), ("cp1252",)) + ("gb18030", "cp932", "cp1252"):
        if guess == declared:
            continue
        text = _strict(body, guess)
        if text is not None and not looks_mojibake(text, language):
            return Decoded(text, codecs.lookup(guess).name, "guess", 0)
    encoding = declared or "utf-8"
    text = body.decode(encoding, errors="replace")
    return Decoded(text, encoding, "fallback", text.count("\ufffd"))


# UTF-8 read as cp1252/latin-1 ("Ã©", "â€™"), the GBK replacement-character echo "锟斤拷",
# and UTF-8 read as GBK ("鍏" "鐨" "浜" runs are its fingerprint: see _GBK_ECHO).
_LATIN_ECHO = re.compile("[ÃÂÅÄÆ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|â€")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LATIN1_LETTERS = re.compile("[\u00c0-\u00ff]")


MOJIBAKE_SAMPLE = 30_000  # characters looked at


def looks_mojibake(text: str, language: str = "") -> bool:
    """True when the text shows the fingerprints of a wrong decoding."""
    if not text:
        return False
    text = text[:MOJIBAKE_SAMPLE]  # a wrong decoding shows from the start; long laws are long
    size = len(text)
    if text.count("\ufffd") > max(3, size // 500) or "锟斤拷" in text:
        return True
    if len(_LATIN_ECHO.findall(text)) > max(3, size // 1000):
        return True
    cjk = len(_CJK.findall(text))
    if language[:2].lower() in ("zh", "ja", "ko"):
        latin1 = len(_LATIN1_LETTERS.findall(text))
        return latin1 > 20 and latin1 > cjk
    # a Latin/Cyrillic-script page decoded as a CJK encoding turns into Han characters
    return bool(language) and cjk > 20 and cjk > size // 10


# --- problem checks -----------------------------------------------------------------------

_BLOCKED = re.compile(
    r"maintenance|temporarily unavailable|service unavailable|captcha|are you a robot|"
    r"access denied|verify you are human|unusual traffic|Wartungsarbeiten|vorübergehend nicht|"
    r"maintenance en cours|momentanément indisponible|manutenção|технические работы|"
    r"bakım çalışması|メンテナンス|システム停止|系统维护|维护中|访问过于频繁|验证码|점검 중|서비스 점검",
    re.I,
)
# Said by an error page of any length ("page not found", "no longer available" …), in the
# languages of the tracked sources. Matched alone only on a page's title line (a real notice
# may say "not found" or cite "Verordnung 404/2014"); anywhere once the page lost its text.
_NOT_FOUND = re.compile(
    r"page not found|not found|nicht gefunden|existiert nicht|page introuvable|"
    r"n'existe pas|página não encontrada|не найдена|sayfa bulunamadı|ページが見つかりません|"
    r"お探しのページ|页面不存在|找不到|페이지를 찾을 수 없|"
    r"no longer available|is not available|has been removed|nicht mehr verfügbar|"
    r"n'est plus disponible|não está mais disponível|больше не доступна|"
    r"已被删除|已删除|不再提供|掲載を終了|삭제되었습니다",
    re.I,
)
# "404" as an error: the title line starts with it ("404", "404 – Not Found", "Error 404"),
# not "404/2014", "§ 404." or "Nr. 404".
_ERROR_404 = re.compile(r"^\s*(?:(?:http\s+)?error\s*:?\s*)?404(?:\s|$|:|-|–)(?!\s*/)", re.I)
TITLE_CHARS = 160  # the first line of a page, as far as it can be a title
VERY_SHORT_PAGE = 600  # characters: a page this short that says "maintenance" is about that
SHORT_PAGE = 2000  # characters: a law text is longer; a notice of trouble is shorter


@dataclass
class FetchFacts:
    """What the checks look at, gathered by the spider from one response."""

    status: int
    text: str  # extracted, normalised
    language: str = ""
    kind: str = "law_page"
    requested_url: str = ""
    final_url: str = ""
    body: bytes = b""
    content_type: str = ""
    decoded_how: str = ""
    encoding: str = ""
    replaced: int = 0
    previous_size: int | None = None  # length of the last good snapshot's text
    min_chars: int = 200
    shrink_ratio: float = 0.5


def check_status(f: FetchFacts) -> str | None:
    return None if 200 <= f.status < 300 else f"http_{f.status}"


def check_truncated(f: FetchFacts) -> str | None:
    head = f.body[:2048].lower()
    if b"<html" in head and b"</html" not in f.body[-4096:].lower():
        return "truncated"
    return None


def check_mojibake(f: FetchFacts) -> str | None:
    return "mojibake" if f.replaced or looks_mojibake(f.text, f.language) else None


def title_line(text: str) -> str:
    return text.split("\n", 1)[0][:TITLE_CHARS]


def check_blocked(f: FetchFacts) -> str | None:
    if len(f.text) >= SHORT_PAGE:
        return None
    if _BLOCKED.search(title_line(f.text)) or (len(f.text) < VERY_SHORT_PAGE
                                               and _BLOCKED.search(f.text)):
        return "maintenance_or_captcha"
    return None


def check_soft_404(f: FetchFacts) -> str | None:
    moved_home = (
        f.final_url
        and f.requested_url
        and _path(f.final_url) in ("", "/")
        and _path(f.requested_url) not in ("", "/")
    )
    if moved_home:
        return "soft_404"
    title = title_line(f.text)
    if len(f.text) < SHORT_PAGE and (_NOT_FOUND.search(title) or _ERROR_404.search(title)):
        return "soft_404"
    return None


def check_empty(f: FetchFacts) -> str | None:
    return "empty_extraction" if len(f.text) < f.min_chars else None


def check_shrunk(f: FetchFacts) -> str | None:
    if f.kind != "law_page" or not f.previous_size:
        return None
    if len(f.text) < f.previous_size * f.shrink_ratio:
        return f"shrunk_{len(f.text)}_of_{f.previous_size}"
    return None


# --- what a page lost against its last good state (any kind, any length) -----------------

_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\d_]+", re.U)
LOST_KEPT_SHARE = 0.35  # less than this share of the old page's words left: it lost its text


def kept_share(old: str, new: str) -> float:
    """Share of the old text's distinct words still in the new text."""
    before = set(_WORDS.findall(old.lower()))
    return len(before & set(_WORDS.findall(new.lower()))) / len(before) if before else 1.0


def lost_page_problem(old: str, new: str) -> str | None:
    """A page that lost most of its words and now says it is gone, down or blocked — or lost
    its own title too — is an error page, not a new version of the document (``soft_404``,
    ``maintenance_or_captcha``, ``page_lost``); a real rewrite keeps its title."""
    if not old or kept_share(old, new) >= LOST_KEPT_SHARE:
        return None
    if _NOT_FOUND.search(new) or _ERROR_404.search(title_line(new)):
        return "soft_404"
    if _BLOCKED.search(new):
        return "maintenance_or_captcha"
    old_title = title_line(old).strip()
    return "page_lost" if old_title and old_title not in new else None


CHECKS = (check_status, check_truncated, check_mojibake, check_blocked, check_soft_404,
          check_empty, check_shrunk)


def find_problem(facts: FetchFacts) -> str | None:
    """The first problem the checks find, or None for a good page."""
    for check in CHECKS:
        problem = check(facts)
        if problem:
            return problem
    return None


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


# --- certificate failures (a request that got no response) ---------------------------------

def _causes(exc, depth: int = 0) -> list:
    """The exception and those it wraps: Scrapy's wrapper keeps Twisted's in ``__cause__``,
    Twisted's ResponseNeverReceived keeps Failures in ``reasons`` (or ``args``)."""
    if depth > 5 or exc is None:
        return []
    exc = getattr(exc, "value", exc)  # a Failure
    found = [exc]
    inner = list(getattr(exc, "reasons", None) or [])
    inner += [a for arg in getattr(exc, "args", ()) for a in (arg if isinstance(arg, list)
                                                               else [arg])]
    inner.append(getattr(exc, "__cause__", None))
    for item in inner:
        if isinstance(item, BaseException) or hasattr(item, "value"):
            found += _causes(item, depth + 1)
    return found


def tls_problem(exc: BaseException, netloc: str) -> str | None:
    """``tls_<why>@<host:port>`` when ``exc`` is a failed certificate check, else None."""
    from OpenSSL.SSL import Error as OpenSslError
    from service_identity.exceptions import VerificationError

    for cause in _causes(exc):
        if isinstance(cause, VerificationError):
            return f"tls_name_mismatch@{netloc}"
        if isinstance(cause, OpenSslError):
            text = str(cause).lower()
            why = "expired" if "expired" in text else (
                "untrusted" if "verify failed" in text else "handshake_failed")
            return f"tls_{why}@{netloc}"
    return None


_CODED = re.compile(r"^\[([a-z0-9_@.:\[\]-]+)\] ")


def coded_problem(exc: BaseException) -> str | None:
    """The problem code an ipwatch middleware put in its message: ``"[code] …"``."""
    match = _CODED.match(str(exc))
    return match.group(1) if match else None
