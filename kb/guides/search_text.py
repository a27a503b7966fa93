"""One analyzer for the guides' search, in Python (whoosh) and in the site's JavaScript.

Text and queries are first normalised the same way (``norm``: compatibility forms, accents
dropped, lower case). Then:

- **index** (``index_tokens``): Chinese runs are cut by rjieba in search mode with the legal
  dictionary of ``thesaurus.yaml`` loaded (a compound and its sub-words: 专利审查 → 专利, 审查,
  专利审查), and every dictionary or thesaurus term inside a run is added too (国际贸易委员会 in
  美国国际贸易委员会); other words (Latin, Cyrillic, Hangul) are split at non-letters and
  reduced by a light stemmer (``stem``). No single Chinese character is indexed unless the
  thesaurus lists it as a word (``single``).
- **query** (``parse_query``): multi-word phrases of the thesaurus are found first (utility
  model); a Chinese run is split by ``segment`` — the cheapest cover by known words, where a
  thesaurus term or a jurisdiction name is kept whole, any other compound falls into its
  finest known parts (so each part may be expanded), and a character no known word covers is
  dropped (it would match anywhere). Each word becomes a *concept*: the word as typed plus its
  thesaurus group (``Concept.alts``); a jurisdiction's name becomes a jurisdiction concept.

``site/docs/assets/ipw-search.js`` implements ``norm``, ``stem``, ``segment`` and
``parse_query`` line for line over the same data (``analyzer_data``); tests/test_search_parity.py
runs both over the evaluation questions and compares.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import yaml
from whoosh.analysis import Token, Tokenizer

from kb.core.errors import IpwatchError

THESAURUS = Path(__file__).with_name("thesaurus.yaml")

ENGLISH_STOP = frozenset(
    "a an and are as at be by for from has have how i in is it its my of on or our that the "
    "this to was we were what when will with do does can der die das und von für".split()
)
CHINESE_STOP = frozenset("的 了 和 与 及 或 在 是 对 为 等 之 其 由 被 将 可 把".split())

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PIECES = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_MARKS = re.compile(r"[\u0300-\u036f]")
MAX_WORD = 16


def norm(text: str) -> str:
    """Compatibility forms folded, accents dropped (ü → u), lower case; Hangul and kana kept."""
    decomposed = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", decomposed).lower()


def stem(word: str) -> str:
    """A light English stemmer (plurals, -ing, -ed), the same in ipw-search.js."""
    if not (word.isascii() and word.isalpha()) or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 7:
        word = word[:-3]
    elif word.endswith("ed") and len(word) >= 6:
        word = word[:-2]
    return word


def is_cjk(word: str) -> bool:
    return bool(_CJK_RUN.fullmatch(word))


# --- the reviewed vocabulary ------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    jurisdictions: dict[str, str]  # normalised name → code
    words: frozenset[str]  # Chinese dictionary words and thesaurus terms
    single: frozenset[str]
    stop: frozenset[str]
    groups: tuple[tuple[str, ...], ...]  # normalised members, the guides' term first
    member_groups: dict[str, tuple[int, ...]]  # member → indexes of its groups
    see_also: dict[str, tuple[str, ...]]
    phrases: dict[tuple[str, ...], str]  # multi-word non-Chinese member or name → itself
    hangul: frozenset[str]  # Korean terms, also found inside longer words (실용신안 in 실용신안법)
    first_chars: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _PIECES.finditer(text))


_SHAPE = {"jurisdictions": dict, "words": list, "single": list, "stop": list, "synonyms": list,
          "see_also": dict}


def load_thesaurus(path: Path = THESAURUS) -> dict:
    """The YAML file, its shape checked: a mistake is an error naming the file, key and line."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark else "未知行"
        raise IpwatchError(f"检索词表 {path.name}（{line}）不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise IpwatchError(f"检索词表 {path.name}：应为键值表（jurisdictions、words、synonyms …）")
    for key, kind in _SHAPE.items():
        value = data.get(key, kind())
        if not isinstance(value, kind):
            raise IpwatchError(f"检索词表 {path.name}：「{key}」{_line(path, key)}应为{'列表' if kind is list else '键值表'}")
    for number, group in enumerate(data["synonyms"], start=1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(m, str) for m in group):
            raise IpwatchError(f"检索词表 {path.name}：「synonyms」第 {number} 组应为至少两个词的列表：{group!r}")
    unknown = set(data) - set(_SHAPE)
    if unknown:
        raise IpwatchError(f"检索词表 {path.name}：未知的键「{'、'.join(sorted(unknown))}」")
    return data


def _line(path: Path, key: str) -> str:
    for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if text.startswith(f"{key}:"):
            return f"（第 {number} 行）"
    return ""


@lru_cache(maxsize=1)
def vocabulary(path: Path = THESAURUS) -> Vocabulary:
    data = load_thesaurus(path)
    jurisdictions = {norm(name): code for code, names in data["jurisdictions"].items() for name in names}
    groups = tuple(tuple(dict.fromkeys(norm(m) for m in group)) for group in data["synonyms"])
    member_groups: dict[str, tuple[int, ...]] = {}
    for number, group in enumerate(groups):
        for member in group:
            member_groups[member] = member_groups.get(member, ()) + (number,)
    see_also = {norm(k): tuple(norm(v) for v in vs) for k, vs in (data.get("see_also") or {}).items()}
    terms = [*jurisdictions, *member_groups, *see_also, *(norm(w) for w in data["words"])]
    words = frozenset(t for t in terms if is_cjk(t) and len(t) > 1)
    phrases = {_words_of(t): t for t in terms if not is_cjk(t) and len(_words_of(t)) > 1}
    firsts: dict[str, list[str]] = {}
    for word in words:
        firsts.setdefault(word[0], []).append(word)
    return Vocabulary(
        jurisdictions=jurisdictions, words=words,
        single=frozenset(norm(s) for s in data.get("single") or []),
        stop=frozenset(norm(s) for s in data.get("stop") or []) | ENGLISH_STOP | CHINESE_STOP,
        hangul=frozenset(t for t in terms if _HANGUL.search(t) and len(_words_of(t)) == 1),
        groups=groups, member_groups=member_groups, see_also=see_also, phrases=phrases,
        first_chars={k: tuple(v) for k, v in firsts.items()},
    )


# --- index side ---------------------------------------------------------------------------------


def index_tokens(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) of every indexed term of ``text`` (offsets in the normalised text)."""
    vocab = vocabulary()
    text = norm(text)
    out: list[tuple[str, int, int]] = []
    for match in _PIECES.finditer(text):
        start = match.start()
        if match.group(1):
            out += _cjk_tokens(match.group(1), start, vocab)
        else:
            word = stem(match.group(2))
            if word not in vocab.stop:
                out.append((word, start, match.end()))
            out += [(w, start, match.end()) for w in vocab.hangul if w in word and w != word]
    return out


@lru_cache(maxsize=1)
def segmenter():
    """rjieba with the legal dictionary loaded; imported only to index (its import takes
    ~0.6 s: a query against an up-to-date index never needs it)."""
    import rjieba

    for word in vocabulary().words:
        rjieba.add_word(word, None, None)
    return rjieba


def _cjk_tokens(run: str, offset: int, vocab: Vocabulary) -> list[tuple[str, int, int]]:
    found = {
        (w, s, e) for w, s, e in segmenter().tokenize(run, mode="search")
        if (e - s > 1 or w in vocab.single) and w not in vocab.stop
    }
    for i, char in enumerate(run):  # dictionary terms inside longer compounds
        for word in vocab.first_chars.get(char, ()):
            if run.startswith(word, i):
                found.add((word, i, i + len(word)))
    return sorted(((w, s + offset, e + offset) for w, s, e in found), key=lambda t: (t[1], -t[2]))


def analyze(text: str) -> list[str]:
    """Index-time terms of ``text``."""
    return [t for t, _, _ in index_tokens(text)]


class ChineseTokenizer(Tokenizer):
    """whoosh tokenizer over ``index_tokens`` (module-level: whoosh pickles the analyzer)."""

    def __eq__(self, other):
        return isinstance(other, ChineseTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pieces = index_tokens(value) if tokenize else [(value, 0, len(value))]
        for pos, (word, start, end) in enumerate(pieces):
            token.text = token.original = word
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def make_analyzer():
    return ChineseTokenizer()


# --- query side ---------------------------------------------------------------------------------


def segment(run: str, known: Callable[[str], bool], vocab: Vocabulary) -> list[str]:
    """The cheapest cover of a Chinese run: a thesaurus term or jurisdiction name costs −its
    length (kept whole), another known word −1 (finest parts win), a character no known word
    covers +1. Ties go to the earlier, longer word. Uncovered characters next to each other
    stay together as one (unknown) word; one alone is dropped. Same in ipw-search.js."""
    n = len(run)
    best: list[tuple[float, list[str]]] = [(0.0, [])] + [(math.inf, [])] * n
    for i in range(n):
        cost, words = best[i]
        for j in range(min(n, i + MAX_WORD), i, -1):
            word = run[i:j]
            if len(word) == 1:
                step = -1.0 if word in vocab.single else 1.0
            elif word in vocab.words or word in vocab.jurisdictions:
                step = -float(len(word))
            elif known(word):
                step = -1.0
            else:
                continue
            if cost + step < best[j][0]:
                best[j] = (cost + step, words + [word])
    return _join_unknown(best[n][1], vocab)


def _join_unknown(words: list[str], vocab: Vocabulary) -> list[str]:
    out: list[str] = []
    loose = ""
    for word in words + [""]:
        if len(word) == 1 and word not in vocab.single:
            loose += word
            continue
        if len(loose) > 1:
            out.append(loose)
        loose = ""
        if word:
            out.append(word)
    return out


@dataclass
class Concept:
    """One word of the query: ``alts[0]`` is the word as typed (its index terms), the others
    its thesaurus expansions; a jurisdiction concept matches that jurisdiction's documents."""

    label: str
    alts: list[tuple[str, ...]]
    jurisdiction: str = ""


def parse_query(text: str, known: Callable[[str], bool]) -> list[Concept]:
    """The query's concepts, in order, without duplicates (see the module's docstring)."""
    vocab = vocabulary()
    concepts: dict[str, Concept] = {}
    for word in query_pieces(norm(text), known, vocab):
        if word in vocab.stop or word in concepts:
            continue
        concept = _concept(word, vocab)
        if concept is not None:
            concepts[word] = concept
    return list(concepts.values())


def query_pieces(text: str, known, vocab: Vocabulary) -> list[str]:
    """Chinese runs segmented; other words grouped into the thesaurus' phrases (longest first)."""
    out: list[str] = []
    latin: list[str] = []
    for match in _PIECES.finditer(text):
        if match.group(1):
            out += _phrases(latin, vocab)
            latin = []
            out += segment(match.group(1), known, vocab)
        else:
            latin.append(match.group(2))
    return out + _phrases(latin, vocab)


def _phrases(words: list[str], vocab: Vocabulary) -> list[str]:
    out, i = [], 0
    longest = max((len(p) for p in vocab.phrases), default=1)
    while i < len(words):
        for size in range(min(longest, len(words) - i), 1, -1):
            phrase = vocab.phrases.get(tuple(words[i:i + size]))
            if phrase:
                out.append(phrase)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _concept(word: str, vocab: Vocabulary) -> Concept | None:
    if word in vocab.jurisdictions:
        return Concept(word, [], jurisdiction=vocab.jurisdictions[word])
    typed = term_list(word, vocab)
    if not typed:
        return None
    members = [m for g in vocab.member_groups.get(word, ()) for m in vocab.groups[g]]
    members += vocab.see_also.get(word, ())
    alts = [typed]
    for member in dict.fromkeys(members):
        terms = term_list(member, vocab)
        if terms and terms not in alts:
            alts.append(terms)
    return Concept(word, alts)


def term_list(word: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The index terms a query word or thesaurus member must all match."""
    if is_cjk(word):
        return (word,) if len(word) > 1 or word in vocab.single else ()
    return tuple(stem(w) for w in _words_of(word) if w not in vocab.stop and stem(w) not in vocab.stop)


def query_words(text: str) -> list[str]:
    """The index terms of a short phrase (guide words used by ``kb.guides.related``)."""
    return list(dict.fromkeys(t for concept in parse_query(text, lambda w: True) for t in concept.alts[0]))


def normalise_query_word(word: str) -> str | None:
    """A word as the index stores it, or None for a stop word (kept for ``related``)."""
    vocab = vocabulary()
    word = stem(norm(word))
    return None if word in vocab.stop else word


def analyzer_data() -> dict:
    """What ipw-search.js needs to parse queries exactly as ``parse_query`` does."""
    vocab = vocabulary()
    return {
        "jurisdictions": vocab.jurisdictions,
        "words": sorted(vocab.words),
        "single": sorted(vocab.single),
        "stop": sorted(vocab.stop),
        "groups": [list(g) for g in vocab.groups],
        "seeAlso": {k: list(v) for k, v in vocab.see_also.items()},
        "phrases": sorted(vocab.phrases.values()),
        "maxWord": MAX_WORD,
    }


def words_in(texts: Iterable[str]) -> set[str]:
    return {t for text in texts for t in analyze(text)}
