"""Search, in one room: what a record, entity or framework is searchable by (folded text, word
starts, pinyin, n-grams), how a match is scored, and where it is highlighted.

The index is built with the cache (pypinyin is imported only then); a query looks up n-grams
in SQLite's FTS5, per field, then confirms and scores each candidate here, unless it is one
gram: then the index alone says which fields hold it, and the store scores it in SQL.

A query in traditional characters is read as simplified (龍山 as 龙山, the article's script):
queries.search asks for that only when the query as typed finds nothing, and OpenCC's tables
are loaded only for a query that holds a character outside the simplified set, so a search
that finds something pays nothing for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from liaoyuan_cli.text import fold, respell

TYPE_CHECKING = False  # typing is not imported at run time (3 ms of every search)
if TYPE_CHECKING:
    from typing import Any

    from liaoyuan_cli.results import Highlight

Doc = dict[str, "Any"]
Hay = dict[str, dict[str, str]]

# One character class, split on: a class this wide takes sre half a millisecond to compile, and
# every search pays that at start-up.
_CJK_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")
_WORD = re.compile(r"\w+")


def _runs(text: str) -> Iterator[tuple[str, bool]]:
    """Runs of CJK and of other characters: their n-grams differ."""
    for i, run in enumerate(_CJK_RUN.split(text)):
        if run:
            yield run, i % 2 == 1  # split puts the captured (CJK) runs at the odd places


# -- building the index ------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def pinyin_tokens(text: str) -> tuple[str, ...]:
    """Pinyin of each character of text (folded non-Chinese characters as themselves).

    Kept per character, so a pinyin match can be highlighted on the Chinese it came from;
    computed on the whole text so that phrases pick the right reading of polyphones.
    """
    from pypinyin import Style, lazy_pinyin

    tokens: list[str] = []
    for run, cjk in _runs(text):
        if cjk:
            tokens.extend(fold(p) for p in lazy_pinyin(run, style=Style.NORMAL))
        else:
            tokens.extend(fold(ch) for ch in run)
    return tuple(tokens)


def document(
    type_: str,
    id_: str,
    article: str | None,
    area: str | None,
    kind: str | None,
    category: str | None,
    zh: str,
    en: str,
    quote: str,
) -> Doc:
    """One searchable thing: what a hit shows, and the pinyin its highlight needs."""
    return {
        "type": type_,
        "id": id_,
        "article": article,
        "area": area,
        "kind": kind,
        "category": category,
        "zh": zh,
        "en": en,
        "quote": quote,
        "pinyin": list(pinyin_tokens(zh)),
    }


def entity_names(entity: Mapping[str, Any]) -> str:
    """What an entity is found by: its names, and the Chinese words of its quote that its English
    or pinyin names spell. An English name often keeps a proper name that the Chinese one leaves
    out: Dongfeng's 风光储氢氨醇一体化项目 is "Tianying Group's integrated … project", as its
    quote (天楹集团总投资64亿元的…项目) says, so 天楹 finds it as "Tianying" does."""
    names = " ".join([entity["zh"], entity["en"], entity["pinyin"], *entity["aliases"]])
    spelled = spelled_in(entity.get("quote") or "", names)
    return " ".join([names, *(w for w in spelled if w not in names)])


def spelled_in(chinese: str, names: str) -> list[str]:
    """The runs of two to six Chinese characters of `chinese` whose pinyin is a word of `names`
    (of four letters or more), or two or three of its words written apart ("Tian Ying")."""
    words = [fold(w) for w in _WORD.findall(names) if w.isascii()]
    spellings = {w for w in words if len(w) >= 4}
    for size in (2, 3):
        spellings |= {"".join(words[i : i + size]) for i in range(len(words) - size + 1)}
    if not spellings:
        return []
    found: list[str] = []
    for run, cjk in _runs(chinese):
        if not cjk:
            continue
        tokens = pinyin_tokens(run)
        for size in range(2, 7):
            for i in range(len(run) - size + 1):
                if "".join(tokens[i : i + size]) in spellings:
                    found.append(run[i : i + size])
    return list(dict.fromkeys(found))


@lru_cache(maxsize=4096)
def fold_words(text: str) -> tuple[str, str]:
    """Folded text without separators, and beside it '^' where each word starts.

    The marks let search tell a whole-word match ('xian' in 'Xi'an District') from one inside
    a word ('xian' in 'xiangmu'), which folding away the spaces would otherwise hide.
    """
    folded = [fold(word) for word in _WORD.findall(text)]
    return "".join(folded), "".join(_starts(word) for word in folded)


@lru_cache(maxsize=4096)  # mostly pinyin syllables, a few hundred of them, at every document
def _starts(token: str) -> str:
    """'^' where a word may begin in a folded token: at every Chinese character, and where each
    run of other characters begins. So every Chinese character of a field begins a word, as
    the store's index and its SQL scoring take it."""
    return "".join("^" * len(run) if cjk else "^" + "." * (len(run) - 1) for run, cjk in _runs(token))


def haystack(doc: Doc) -> Hay:
    """The folded texts a query is matched against, by field, with word or syllable starts."""
    fields: dict[str, str] = {}
    starts: dict[str, str] = {}
    for name in ("id", "zh", "quote", "en"):
        fields[name], starts[name] = fold_words(doc[name])
    syllables = [t for t in doc["pinyin"] if t]
    fields["pinyin"] = "".join(syllables)
    # A syllable, or what pypinyin left as it was: a character without a reading (䷀), one
    # that folds to several (㍻ to 平成, ㏠ to 1日).
    starts["pinyin"] = "".join(_starts(t) for t in syllables)
    return {"fields": fields, "starts": starts}


def field_grams(hay: Hay) -> list[str]:
    """Each folded field's n-grams (CJK unigrams and bigrams, other text's trigrams) as one
    indexed text, in the order of FIELDS; then the fields that are one gram whole. The index
    keeps them per field, so a query that is a single gram finds which fields hold it, and
    whether one is it, without reading the documents."""
    fields = hay["fields"]
    return [
        *(_gram_text(fields[name]) for name in FIELDS),
        " ".join({t for t in fields.values() if single(t)}),
    ]


@lru_cache(maxsize=1 << 11)
def _gram_text(text: str) -> str:
    return " ".join(_grams(text))


def single(text: str) -> bool:
    """A text that is one gram whole (one or two Chinese characters, three other ones): a query
    that is such a text is ranked from the index, not from the documents' text."""
    return text in _grams(text)


@lru_cache(maxsize=1 << 11)  # a gram set is large: enough to span one article's texts
def _grams(text: str) -> frozenset[str]:
    out: set[str] = set()
    for run, cjk in _runs(text):
        if cjk:
            out.update(run)
            out.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.update(run[i : i + 3] for i in range(len(run) - 2))
    return frozenset(g for g in out if g.isalnum())


def query_grams(folded: str) -> list[str]:
    """The n-grams every match of a folded query must contain; [] means scan (too short)."""
    out: set[str] = set()
    for run, cjk in _runs(folded):
        if cjk:
            if len(run) > 1:
                out.update(run[i : i + 2] for i in range(len(run) - 1))
            else:
                out.add(run)
        elif len(run) >= 3:
            out.update(run[i : i + 3] for i in range(len(run) - 2))
    return sorted(g for g in out if g.isalnum())


# -- scoring -----------------------------------------------------------------------------------

FIELDS = ("id", "zh", "quote", "en", "pinyin")
FIELD_WEIGHT = {"id": 50, "zh": 100, "quote": 60, "en": 80, "pinyin": 70}
TYPE_WEIGHT = {"entity": 30, "framework": 20, "record": 0}
EXACT_BONUS = 200  # a field that is the query, whole
# A match inside an English word ('ethanol' in 'bioethanol') counts, weakly, from this length:
# shorter pieces are fragments ('ian' in 'Tianying'), not parts of compounds.
INNER_MIN = 5
WHOLE, PREFIX, INNER = 1.0, 0.6, 0.3


def alignment(text: str, starts: str, query: str, inner: bool = False) -> float:
    """How well the query's best occurrence in text sits on word (or syllable) boundaries.

    1 for whole words, 0.6 for the beginning of a word (a prefix, as typed so far), 0.3 inside
    an English word where `inner` allows it and at least three letters precede (a compound,
    'bio|ethanol', not 'm|ethanol'), else no match: 'xian' is not in 'xiangmu' (项目) and 'ian'
    is not in 'Tianying'. Every Chinese character begins a word.
    """
    best = 0.0
    pos = text.find(query)
    while pos >= 0:
        end = pos + len(query)
        if starts[pos] == "^":
            best = max(best, WHOLE if end == len(text) or starts[end] == "^" else PREFIX)
        elif inner and pos - starts.rfind("^", 0, pos) >= 3:
            best = max(best, INNER)
        pos = text.find(query, pos + 1)
    return best


def score(type_: str, hay: Hay, folded: str) -> tuple[int, list[str]]:
    """A candidate's score and the fields it matched in; 0 and [] if it does not match."""
    fields, starts = hay["fields"], hay["starts"]
    inner = len(folded) >= INNER_MIN and folded.isascii()
    fit = {
        name: alignment(text, starts[name], folded, inner and name == "en") for name, text in fields.items()
    }
    matched = [name for name, weight in fit.items() if weight]
    if not matched:
        return 0, []
    return points(type_, fit, any(fields[name] == folded for name in matched)), matched


def points(type_: str, fit: dict[str, float], exact: bool) -> int:
    """The score: fields by weight and how well the match sits, the kind of thing, a whole field."""
    return (
        round(sum(FIELD_WEIGHT[name] * weight for name, weight in fit.items()))
        + TYPE_WEIGHT[type_]
        + (EXACT_BONUS if exact else 0)
    )


# What no simplified text holds: a character outside GB2312 (the simplified set), or one of the
# few traditional characters that GB2312 holds too and OpenCC's t2s tables convert.
_TRADITIONAL_IN_GB2312 = frozenset("乾吒夥彷後徵捱摺於榘甯菸薹藉覆醣阪麴麽")


def simplified(query: str) -> str:
    """A folded query as the article's script writes it: traditional characters as simplified
    (龍山 as 龙山, 項目 as 项目), by OpenCC's t2s tables, loaded only for a query that holds a
    character no simplified text holds; any other query as it is. Without OpenCC (or with
    another package's `opencc` module in its place), the query as it is."""
    if query.isascii() or not _maybe_traditional(query):
        return query
    try:
        return fold(_t2s(query))
    except Exception:  # OpenCC missing, or another package's `opencc` module: search as typed
        return query


def _maybe_traditional(text: str) -> bool:
    for ch in text:
        if ch.isascii():
            continue
        if ch in _TRADITIONAL_IN_GB2312:
            return True
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
                return True
    return False


@lru_cache(maxsize=1)
def _converter() -> Any:
    from opencc import OpenCC  # type: ignore[import-untyped]  # opencc-python-reimplemented

    return OpenCC("t2s")


def _t2s(text: str) -> str:
    converted = _converter().convert(text)
    if not isinstance(converted, str) or len(converted) != len(text):
        raise ValueError("not a character-for-character conversion")
    return converted


def chinese(folded: str) -> bool:
    """A query of Chinese characters only: wherever a field holds it, it matches whole (every
    Chinese character begins a word), so the store can find and score it in SQL."""
    return bool(folded) and all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in folded)


# -- highlighting ------------------------------------------------------------------------------


def highlight(doc: Mapping[str, Any], folded: str) -> Highlight:
    """Character spans of the match in the zh and en texts, for a table to emphasise."""
    zh = _span(doc["zh"], folded)
    if zh is None:
        zh = _pinyin_span(doc["pinyin"], folded)
    return {"zh": zh, "en": _span(doc["en"], folded)}


def _span(text: str, folded: str) -> list[int] | None:
    """Find the folded query in text and map it back to text's own character offsets."""
    kept: list[int] = []
    flat = ""
    for i, ch in enumerate(respell(text)):  # letter for letter, so i is text's own offset
        f = fold(ch) if ch.isalnum() or ch == "_" else ""
        flat += f
        kept.extend([i] * len(f))
    pos = flat.find(folded)
    if pos < 0:
        return None
    return [kept[pos], kept[pos + len(folded) - 1] + 1]


def _pinyin_span(tokens: list[str], folded: str) -> list[int] | None:
    owner: list[int] = []
    for i, token in enumerate(tokens):
        owner.extend([i] * len(token))
    pos = "".join(tokens).find(folded)
    if pos < 0:
        return None
    return [owner[pos], owner[pos + len(folded) - 1] + 1]
