"""Text analysis for the search index: Chinese words (rjieba, search mode) and English stems.

rjieba's search mode emits a compound and its dictionary sub-words (专利审查 → 专利, 审查,
专利审查), so that a query for 审查 finds 专利审查. English words are lower-cased and reduced
with the Porter stemmer (infringements → infring). The classes are module-level and hold no
state, because whoosh pickles the analyzer into the index's table of contents.
"""
from __future__ import annotations

import re

import rjieba
from whoosh.analysis import LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer
from whoosh.lang.porter import stem as _porter_stem

# Tokens that carry no meaning: punctuation and spaces, and common function words.
_SKIP = re.compile(r"^[\W_]+$", re.UNICODE)
ENGLISH_STOP = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with".split()
)
CHINESE_STOP = frozenset("的 了 和 与 及 或 在 是 对 为 等 之 其 由 被 将 可 把".split())
STOP_WORDS = ENGLISH_STOP | CHINESE_STOP


def stem_ascii(word: str) -> str:
    """Porter stem for English words; Chinese and digits unchanged."""
    return _porter_stem(word) if word.isascii() and word.isalpha() else word


def segment(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every meaningful token in search mode, sorted by position.

    A compound comes before its sub-words at the same start, so a highlighter marks the
    longest match.
    """
    tokens = [t for t in rjieba.tokenize(text, mode="search") if not _SKIP.match(t[0])]
    tokens.sort(key=lambda t: (t[1], -(t[2] - t[1])))
    return tokens


def query_words(text: str) -> list[str]:
    """The words a query must match: the finest segmentation of each part of the query.

    A compound whose span is covered by its sub-words is dropped (专利审查 → 专利, 审查), so a
    query matches a text that jieba segmented differently in its own context.
    """
    tokens = segment(text)
    kept = []
    for word, start, end in tokens:
        inner = {
            i
            for w, s, e in tokens
            if start <= s and e <= end and (e - s) < (end - start)
            for i in range(s, e)
        }
        if inner != set(range(start, end)):
            kept.append(word)
    return kept


class ChineseTokenizer(Tokenizer):
    """whoosh tokenizer over rjieba's search-mode segmentation."""

    def __eq__(self, other):
        return isinstance(other, ChineseTokenizer)

    def __call__(
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, (word, start, end) in enumerate(segment(value)):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def make_analyzer():
    return (
        ChineseTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(stemfn=stem_ascii)
    )


def analyze(text: str) -> list[str]:
    """Index-time terms of ``text`` (for tests and query building)."""
    return [t.text for t in make_analyzer()(text)]


def normalise_query_word(word: str) -> str | None:
    """A query word as the index stores it, or None for a stop word."""
    word = word.lower()
    if word in STOP_WORDS:
        return None
    return stem_ascii(word)


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def fine_words(text: str) -> list[str]:
    """A linear segmentation of ``text`` into the finest dictionary words.

    rjieba's default cut, with each word replaced by the longest chain of its dictionary
    sub-words that covers it exactly (专利审查 → 专利 审查; 商标局 stays whole, as 局 alone is
    not a sub-word). A search engine that indexes whole words then also finds sub-words.
    """
    out: list[str] = []
    for word in rjieba.cut(text):
        out += _finest_cover(word) if len(word) > 2 and _CJK_RUN.fullmatch(word) else [word]
    return out


def _finest_cover(word: str) -> list[str]:
    spans = {(s, e) for _, s, e in rjieba.tokenize(word, mode="search") if e - s < len(word)}
    best: dict[int, list[str]] = {0: []}
    for start in range(len(word)):
        if start not in best:
            continue
        for s, e in spans:
            if s == start and len(best[start]) + 1 > len(best.get(e, [])):
                best[e] = best[start] + [word[s:e]]
    return best.get(len(word)) or [word]


def cjk_words(words: list[str]) -> set[str]:
    return {w for w in words if _CJK_RUN.fullmatch(w)}
