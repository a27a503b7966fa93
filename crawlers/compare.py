"""Compare two normalised texts of one tracked page, article by article.

The pipeline calls ``compare_texts`` when a page's text differs from every recent state. The
texts are split into the law's articles (``crawlers.articles``) and compared unit by unit:

1. **Which articles**: ids present only in the new text are *added*, only in the old one
   *removed*, in both with a different text *modified* (``Comparison.articles``, the
   ``[{"id", "change"}]`` list of the ``ipwatch changes`` JSON contract).
2. **Redline** of each modified article: diff operations ``[["=", text], ["-", text],
   ["+", text]]`` over characters for Chinese / Japanese / Korean, over words otherwise
   (``crawlers.redline``: paragraphs, then sentences, then words, bounded on large units;
   rendering is left to the outputs).
3. **Editorial or substantive**, per article and overall. Editorial: a change of whitespace
   or punctuation only; a changed heading over an unchanged body (unless the heading now says
   the article is repealed); text moved across the boundary of neighbouring articles (the
   MarkenG repair where "Gemeinschaftsmarkengerichte," moved from the end of § 125d into the
   heading of § 125e; at most ``BOUNDARY_MAX_CHARS`` letters); a change of the ``__header__``
   only (dates, sources). Everything else,
   and every added or removed article, is substantive.
4. **Guard**: when most articles of the old text vanish and few new ones appear, or the
   articles keep their headings but lose most of their text, the new text is taken for a
   broken extraction, not a repeal: ``Comparison.problem`` says so and the pipeline logs a
   fetch problem instead of a change (the last good snapshot stays).
5. A one-line Chinese **summary**: 「德国《专利法》第139条修改，新增第145a条」.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from crawlers.articles import (HEADER_ID, STYLES, Article, article_body, detect_style,
                               split_articles, zh_label)
from crawlers.redline import redline

CJK_LANGUAGES = ("zh", "ja", "ko")
REPEAL_MARKERS = re.compile(
    r"weggefallen|aufgehoben|repealed|abrogé|revogado|derogado|削除|삭제|утратил|mülga", re.I)
# The guard: at least this many articles before, and more than this share of them gone.
GUARD_MIN_ARTICLES = 5
GUARD_LOST_SHARE = 0.5
GUARD_KEPT_TEXT = 0.3  # and less than this share of the articles' text left: broken, not amended
SUMMARY_MAX_IDS = 6
# Text moved between neighbouring articles is a repair only when it is short (a heading's
# worth); a paragraph moved from one article to another is a substantive reorganisation.
BOUNDARY_MAX_CHARS = 80


@dataclass
class ArticleChange:
    id: str
    change: str              # added / removed / modified
    old_text: str
    new_text: str
    ops: list[list[str]]     # redline: [["=" | "-" | "+", text], ...]
    editorial: bool = False
    reason: str = ""         # why editorial: whitespace / notes / heading / boundary / header /
    #                          structure
    kind: str = "article"    # article / header / structure (see crawlers.articles.Article)

    def as_dict(self) -> dict:
        return {"id": self.id, "change": self.change, "old_text": self.old_text,
                "new_text": self.new_text, "ops": self.ops, "editorial": self.editorial,
                "reason": self.reason}


@dataclass
class Comparison:
    articles: list[dict] = field(default_factory=list)  # [{"id": ..., "change": ...}]
    summary: str = ""
    substantive: bool = True
    problem: str | None = None  # set when the new text looks broken, not changed
    details: list[ArticleChange] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    style: str = ""


def compare_texts(old_text: str, new_text: str, source: dict) -> Comparison:
    """Article-level comparison of two texts of ``source`` (a registry entry as a dict)."""
    style = source.get("numbering") or ""
    if style not in STYLES:  # not named (or unknown to this version): detect it
        style = detect_style(old_text + "\n" + new_text)
    old = split_articles(old_text, style)
    new = split_articles(new_text, style)
    rights = list(source.get("rights") or [])
    problem = extraction_problem(old, new)
    if problem:
        return Comparison(summary=problem, substantive=False, problem=problem, rights=rights)
    details = article_changes(old, new, cjk=is_cjk(source, new_text))
    classify(details, has_articles=any(a.kind == "article" for a in old + new))
    return Comparison(
        articles=[{"id": d.id, "change": d.change} for d in details if d.kind != "structure"],
        summary=summarise(details, source),
        substantive=any(not d.editorial for d in details),
        details=details,
        rights=rights,
        style=style,
    )


def is_cjk(source: dict, text: str) -> bool:
    language = (source.get("language") or "").lower()[:2]
    if language:
        return language in CJK_LANGUAGES
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))
    return cjk > len(text) / 4


def extraction_problem(old: list[Article], new: list[Article]) -> str | None:
    old_ids = {a.key for a in old if a.kind == "article"}
    new_ids = {a.key for a in new if a.kind == "article"}
    if len(old_ids) < GUARD_MIN_ARTICLES:
        return None
    lost = old_ids - new_ids
    gained = new_ids - old_ids
    if len(lost) > GUARD_LOST_SHARE * len(old_ids) and len(gained) < len(lost) / 2:
        return (f"条文大量消失：旧版 {len(old_ids)} 条，新版仅余 {len(old_ids) - len(lost)} 条，"
                "疑为页面抽取失败，未记为法律修改")
    old_size = sum(len(a.text) for a in old if a.kind == "article")
    new_size = sum(len(a.text) for a in new if a.kind == "article")
    if new_size < GUARD_KEPT_TEXT * old_size:
        return (f"条文内容大量缩减：条文正文由 {old_size} 字符减至 {new_size} 字符，"
                "疑为页面抽取失败，未记为法律修改")
    return None


# The US Code prints each section's citation with the date of the release it was last updated
# in ("35 USC Sec. 271   01/03/2012 (112-90)"): a new release restamps every section. The stamp
# is noise, like a page's "Stand:" line; the section's text and notes are what count.
_RELEASE_STAMP = re.compile(r"^(\d+ U\.?S\.?C\.? .*?)\s+\d{2}/\d{2}/\d{4}(?:\s*\([^)]*\))?\s*$",
                            re.M)


def without_stamps(text: str) -> str:
    return _RELEASE_STAMP.sub(r"\1", text) if "USC" in text or "U.S.C" in text else text


def article_changes(old: list[Article], new: list[Article], cjk: bool) -> list[ArticleChange]:
    """Added, removed and modified articles, in the new text's order (removed ones last)."""
    old_by_key = {a.key: a for a in old}
    new_keys = {a.key for a in new}
    changes = []
    for article in new:
        before = old_by_key.get(article.key)
        if before is None:
            changes.append(ArticleChange(article.id, "added", "", article.text,
                                         [["+", article.text]], kind=article.kind))
        elif without_stamps(before.text) != without_stamps(article.text):
            changes.append(ArticleChange(article.id, "modified", before.text, article.text,
                                         redline(before.text, article.text, cjk),
                                         kind=article.kind))
    changes += [
        ArticleChange(a.id, "removed", a.text, "", [["-", a.text]], kind=a.kind)
        for a in old if a.key not in new_keys
    ]
    return changes


@functools.lru_cache(maxsize=16)  # each text is checked several ways (whitespace, notes)
def skeleton(text: str) -> str:
    """The text without whitespace, punctuation and case: what an editorial change keeps."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # str.translate over the characters present: a 5 MB text in 0.25 s (a loop per char: 15 s)
    return text.translate({ord(c): None for c in set(text) if not c.isalnum()})


_SENTENCE_END = (":", "：", ";", "；", ",", "，", "。", "、")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _heading(text: str) -> tuple[str, str] | None:
    """(heading line, body) when the unit opens with a heading line of its own, else None.

    A law printed "Art. 44. Ao titular …" or "第百九十六条の二　…" has no heading of its own:
    its first line is the article, and a change there is never a "heading repair".
    """
    head, _, body = text.partition("\n")
    head = head.strip()
    if not body.strip() or len(head) > 100 or head.endswith(_SENTENCE_END):
        return None
    if head.endswith(".") and _CJK.search(head):
        return None
    return head, body


def _editorial_reason(change: ArticleChange, has_articles: bool) -> str:
    if change.kind == "structure":
        return "structure"
    if change.id == HEADER_ID and has_articles:
        return "header"
    if skeleton(change.old_text) == skeleton(change.new_text):
        return "whitespace"
    if skeleton(without_stamps(article_body(change.old_text))) == skeleton(
            without_stamps(article_body(change.new_text))):
        return "notes"  # only the notes under the section changed (US Code)
    old, new = _heading(change.old_text), _heading(change.new_text)
    if old and new and skeleton(old[1]) == skeleton(new[1]) and not REPEAL_MARKERS.search(new[0]):
        return "heading"
    return ""


def _without_id(change: ArticleChange, text: str) -> str:
    flat, mark = skeleton(text), skeleton(change.id)
    return flat[len(mark):] if mark and flat.startswith(mark) else flat


def classify(details: list[ArticleChange], has_articles: bool = True) -> None:
    """Mark editorial changes (see the module docstring); added/removed stay substantive.

    A page with no articles at all (a notice listing) is one unit, ``__header__``: its
    change is substantive unless only whitespace or punctuation changed.
    """
    for change in details:
        if change.change == "modified" or change.kind == "structure":
            change.reason = _editorial_reason(change, has_articles)
            change.editorial = bool(change.reason)
    for run in _modified_runs(details):
        old = "".join(_without_id(c, c.old_text) for c in run)
        new = "".join(_without_id(c, c.new_text) for c in run)
        if old == new and all(_moved(c) <= BOUNDARY_MAX_CHARS for c in run):
            for change in run:
                change.editorial, change.reason = True, change.reason or "boundary"


def _moved(change: ArticleChange) -> int:
    """Letters and digits deleted or inserted in an article (what moved across a boundary)."""
    return sum(len(skeleton(text)) for op, text in change.ops if op != "=")


def _modified_runs(details: list[ArticleChange]) -> list[list[ArticleChange]]:
    """Runs of neighbouring modified, not yet editorial, articles (text may move between them)."""
    runs: list[list[ArticleChange]] = []
    previous = None
    for change in details:
        if change.change != "modified":
            previous = None
            continue
        if previous is not None and runs:
            runs[-1].append(change)
        else:
            runs.append([change])
        previous = change
    return [run for run in runs if len(run) > 1 and not all(c.editorial for c in run)]


def _ids(changes: list[ArticleChange]) -> str:
    labels = [zh_label(c.id) for c in changes]
    if len(labels) > SUMMARY_MAX_IDS:
        return "、".join(labels[:SUMMARY_MAX_IDS]) + f"等{len(labels)}处"
    return "、".join(labels)


def law_name(source: dict) -> str:
    if source.get("title_zh"):
        return source["title_zh"]
    return f"{source.get('jurisdiction', '')}《{source.get('title') or source.get('id', '')}》"


_SUPPLEMENTARY = re.compile(r"^(?:附則|부칙|附则)")


def _change_parts(changes: list[ArticleChange]) -> list[str]:
    parts = []
    for kind, verb in (("modified", "修改"), ("added", "新增"), ("removed", "删除")):
        chosen = [d for d in changes if d.change == kind and d.id != HEADER_ID]
        if chosen:
            parts.append(f"{_ids(chosen)}{verb}" if kind == "modified" else f"{verb}{_ids(chosen)}")
    return parts


def summarise(details: list[ArticleChange], source: dict) -> str:
    """One line in Chinese: 「德国《专利法》第139条修改，新增第145a条」.

    Supplementary provisions (Japanese 附則, Korean 부칙: transitional rules of each amending
    act) are named after the main provisions, apart: 「…第2条修改；附则：新增附则（令和…）」."""
    listed = [d for d in details if d.kind != "structure"]
    substantive = [d for d in listed if not d.editorial]
    editorial = [d for d in listed if d.editorial]
    main = _change_parts([d for d in substantive if not _SUPPLEMENTARY.match(d.id)])
    supplementary = _change_parts([d for d in substantive if _SUPPLEMENTARY.match(d.id)])
    parts = "，".join(main) + (("；" if main else "") + "附则：" + "，".join(supplementary)
                              if supplementary else "")
    if editorial and not parts:
        return f"{law_name(source)}{_ids(editorial)}文字修正（编辑性修改，无实质变化）"
    if not parts and any(d.id == HEADER_ID for d in substantive):
        return f"{law_name(source)}页面内容更新（未分条文）"
    if not parts:
        return f"{law_name(source)}页面文字变化（未识别到条文变化）"
    return law_name(source) + parts + (f"；另有{len(editorial)}处编辑性修改" if editorial else "")
