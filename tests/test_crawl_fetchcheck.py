"""Decoding and fetch-problem checks, on bytes (no crawl)."""
from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from crawlers.fetchcheck import FetchFacts, decode_body, find_problem, looks_mojibake
from crawlers.middlewares import parse_retry_after

ZH = "第六十五条 侵犯专利权的赔偿数额按照权利人因被侵权所受到的实际损失确定。" * 4
JA = "第百九十六条の二 特許権又は専用実施権を侵害した者は、十年以下の懲役に処する。" * 4
KO = "제128조의2(감액 청구) 특허권자 또는 전용실시권자는 손해배상을 청구할 수 있다." * 4
RU = "Статья 1229. Исключительное право гражданина или юридического лица." * 4
DE = "§ 139 Wer entgegen den §§ 9 bis 13 eine patentierte Erfindung benutzt, für die Zukunft." * 4


@pytest.mark.parametrize("text, encoding, content_type, language", [
    (ZH, "gbk", None, "zh"),
    (ZH, "gb2312", "text/html; charset=gb2312", "zh"),
    (ZH, "gb18030", "text/html; charset=GBK", "zh"),
    (JA, "shift_jis", None, "ja"),
    (JA, "cp932", "text/html; charset=Shift_JIS", "ja"),
    (JA, "euc_jp", "text/html; charset=EUC-JP", "ja"),
    (KO, "cp949", None, "ko"),
    (RU, "cp1251", None, "ru"),
    (DE, "cp1252", None, "de"),
    (ZH, "utf-8", None, ""),  # undeclared UTF-8
    (ZH, "utf-8", "text/html; charset=iso-8859-1", "zh"),  # declared wrong
])
def test_decoding_gets_the_text_back(text, encoding, content_type, language):
    decoded = decode_body(text.encode(encoding), content_type, language)
    assert decoded.text == text and decoded.replaced == 0
    assert not looks_mojibake(decoded.text, language)


def test_meta_charset_is_read_when_the_header_is_silent():
    body = '<html><head><meta charset="Shift_JIS"></head><body>'.encode() + JA.encode("cp932")
    decoded = decode_body(body, "text/html", "")
    assert decoded.how == "meta" and JA in decoded.text


@pytest.mark.parametrize("garbled, language", [
    (ZH.encode("utf-8").decode("latin-1"), "zh"),
    (DE.replace("für", "für").encode("utf-8").decode("cp1252"), "de"),
    ("锟斤拷" + ZH, "zh"),
    ("\ufffd" * 40 + ZH, "zh"),
    (RU.encode("cp1251").decode("gb18030", "ignore"), "ru"),
])
def test_mojibake_is_recognised(garbled, language):
    assert looks_mojibake(garbled, language)


def facts(text: str, status: int = 200, **extra) -> FetchFacts:
    html = f"<html><body>{text}</body></html>".encode()
    return FetchFacts(status=status, text=text, body=html, **extra)


def test_problem_checks():
    assert find_problem(facts(DE * 3)) is None
    assert find_problem(facts(DE * 3, status=503)) == "http_503"
    assert find_problem(facts("Seite nicht gefunden")) == "soft_404"
    assert find_problem(facts("Wegen Wartungsarbeiten nicht erreichbar")) == "maintenance_or_captcha"
    assert find_problem(facts("Please complete the CAPTCHA to continue")) == "maintenance_or_captcha"
    assert find_problem(facts("short")) == "empty_extraction"
    moved = facts(DE * 3, requested_url="https://x.example/law/1", final_url="https://x.example/")
    assert find_problem(moved) == "soft_404"
    # a long law text that mentions maintenance fees is not a maintenance page
    assert find_problem(facts(DE * 10 + " maintenance fees")) is None


def test_retry_after_forms():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(b"0") == 0
    now = time.time()
    assert 58 <= parse_retry_after(formatdate(now + 60, usegmt=True), now=now) <= 60
    assert parse_retry_after(formatdate(now - 60, usegmt=True), now=now) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_normalise_folds_every_space_and_drops_invisibles():
    from kb.core import textnorm

    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in " \n\r"}
    assert set(textnorm._OTHER_SPACES) == spaces
    assert set(textnorm._INVISIBLE_CHARS) == {chr(c) for c in range(0x10000)
                                              if textnorm._INVISIBLE.match(chr(c))}
    text = " §\u00a016a\u3000 Titel\u200b \r\n\n\n\n\tAbs.  1\u2009gilt. \ufeff"
    assert textnorm.normalise(text) == "§ 16a Titel\n\nAbs. 1 gilt."
