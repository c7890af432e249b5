"""The search index: what a record, entity or framework is searchable by, and its n-grams.

Built once with the cache (pypinyin is imported only here); queries then look up n-grams
in SQLite's FTS5 instead of scanning every record, and confirm each candidate by substring.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from liaoyuan_cli.text import fold, is_cjk

Doc = dict[str, Any]


@lru_cache(maxsize=4096)
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


def names(dump: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(kind, folded name, id) for every name an area or entity answers to.

    Areas answer to their slug, Chinese and English names, pinyin, aliases and the article's
    misprints of them (errata); the first owner of a name keeps it (validation forbids clashes).
    """
    areas: dict[str, str] = {}
    for a in dump["areas"]:
        for name in (a["slug"], a["zh"], a["short_zh"], a["en"], a["pinyin"], *a["aliases"]):
            areas.setdefault(fold(name), a["slug"])
    for erratum in dump["errata"]:
        slug = areas.get(fold(erratum["reading"]))
        if slug is not None:
            areas.setdefault(fold(erratum["printed"]), slug)
    yield from (("area", name, slug) for name, slug in areas.items() if name)
    for e in dump["entities"]:
        for name in (e["id"], e["zh"], e["en"], e["pinyin"], *e["aliases"]):
            if fold(name):
                yield ("entity", fold(name), e["id"])


def documents(dump: dict[str, Any]) -> Iterator[Doc]:
    """One searchable document per record, entity and framework, in a stable order."""
    for r in dump["records"]:
        yield _doc("record", r["id"], r["area"], r["kind"], r["category"], r["zh"], r["en"], r["quote"])
    for e in dump["entities"]:
        names = " ".join((e["zh"], e["en"], e["pinyin"], *e["aliases"]))
        yield _doc("entity", e["id"], None, None, None, e["zh"], e["en"], names)
    for f in dump["frameworks"]:
        zh = f"{f['zh']}：{'、'.join(p['zh'] for p in f['parts'])}" if f["parts"] else f["zh"]
        en = f"{f['en']}: {'; '.join(p['en'] for p in f['parts'])}" if f["parts"] else f["en"]
        yield _doc("framework", f["id"], f["area"], None, None, zh, en, f["quote"])


def _doc(
    type_: str,
    id_: str,
    area: str | None,
    kind: str | None,
    category: str | None,
    zh: str,
    en: str,
    quote: str,
) -> Doc:
    return {
        "type": type_,
        "id": id_,
        "area": area,
        "kind": kind,
        "category": category,
        "zh": zh,
        "en": en,
        "quote": quote,
        "pinyin": list(pinyin_tokens(zh)),
    }


_WORD = re.compile(r"\w+")


def fold_words(text: str) -> tuple[str, str]:
    """Folded text without separators, and beside it '^' where each word starts.

    The marks let search tell a whole-word match ('xian' in 'Xi'an District') from one inside
    a word ('xian' in 'xiangmu'), which folding away the spaces would otherwise hide.
    """
    folded, starts = [], []
    for word in _WORD.findall(text):
        for run, cjk in _runs(fold(word)):
            folded.append(run)
            # Every Chinese character may begin a word; other text begins at its run's start.
            starts.append("^" * len(run) if cjk else "^" + "." * (len(run) - 1))
    return "".join(folded), "".join(starts)


def haystacks(doc: Doc) -> dict[str, dict[str, str]]:
    """The folded texts a query is matched against, by field, with word or syllable starts."""
    fields: dict[str, str] = {}
    starts: dict[str, str] = {}
    for name in ("id", "zh", "quote", "en"):
        fields[name], starts[name] = fold_words(doc[name])
    syllables = [t for t in doc["pinyin"] if t]
    fields["pinyin"] = "".join(syllables)
    starts["pinyin"] = "".join("^" + "." * (len(t) - 1) for t in syllables)
    return {"fields": fields, "starts": starts}


def query_grams(folded: str) -> list[str]:
    """The n-grams every match of a folded query must contain; [] means scan (too short)."""
    grams: set[str] = set()
    for run, cjk in _runs(folded):
        if cjk:
            grams.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else grams.add(run)
        elif len(run) >= 3:
            grams.update(run[i : i + 3] for i in range(len(run) - 2))
    return sorted(g for g in grams if indexable(g))


def grams_of(hay: dict[str, str]) -> set[str]:
    """CJK unigrams and bigrams, other text's trigrams, over every folded field of a document."""
    grams: set[str] = set()
    for text in hay.values():
        for run, cjk in _runs(text):
            if cjk:
                grams.update(run)
                grams.update(run[i : i + 2] for i in range(len(run) - 1))
            else:
                grams.update(run[i : i + 3] for i in range(len(run) - 2))
    return {g for g in grams if indexable(g)}


def indexable(gram: str) -> bool:
    """Letters, digits and CJK only: FTS5's tokenizer must see each gram as one token."""
    return gram.isalnum()


def _runs(text: str) -> Iterator[tuple[str, bool]]:
    """Split into runs of CJK and of other characters: their n-grams differ."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or is_cjk(text[i]) != is_cjk(text[start]):
            yield text[start:i], is_cjk(text[start])
            start = i
