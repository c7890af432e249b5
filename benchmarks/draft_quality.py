"""How well `lycli draft` codes a page: a measure, not a claim.

Drafts a hand-coded article from its own source.txt, under a new id, into a scratch copy of the
knowledge base without that article (and without the articles, assessments and items that depend
on it), then matches the drafted figures to the hand-coded ones by the position of `stated` in
the source and by value and unit (in base units: 5万人 and 50000人 agree), and prints:

- recall and precision of the figures;
- on the matched figures, how often each field is right: year, role, comparator, intent and
  threshold (the issue's bar), and also stage, scope, approximate and metric (for information);
  value+unit: of the figures found at the right place, how many have the right value and unit;
- records: how well the drafted quotes cover the hand-coded ones (the best overlap of each,
  as intersection over union of their spans in the source).

    python benchmarks/draft_quality.py --data data --article session-2024
    python benchmarks/draft_quality.py --data tests/fixtures/kb --article fixture-2025 --json
    python benchmarks/draft_quality.py ... --keep /tmp/scratch --verbose   # keep the scratch, list misses
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from liaoyuan_cli import kb, tracking  # noqa: E402
from liaoyuan_cli.draft import toml as draft_toml  # noqa: E402
from liaoyuan_cli.draft import write_article  # noqa: E402
from liaoyuan_cli.files import walk  # noqa: E402
from liaoyuan_cli.text import compact  # noqa: E402
from liaoyuan_cli.vocab import to_base  # noqa: E402

Item = dict[str, Any]
FIELDS = ("year", "role", "comparator", "intent", "threshold")
MORE = ("stage", "scope", "approximate", "metric")


# -- the scratch knowledge base --------------------------------------------------------------


def _items(data: Path) -> list[tuple[str, str, Item]]:
    """(file, key, item) of every item of a knowledge base, in file order."""
    names, _ = walk(data)
    out = []
    for name in names:
        table = tomllib.loads((data / name).read_text(encoding="utf-8"))
        for key, items in table.items():
            for item in items:
                out.append((name, key, item))
    return out


def without(data: Path, article: str, scratch: Path) -> set[str]:
    """Write `data` without `article` and whatever depends on it into `scratch`; the articles left out."""
    items = _items(data)
    sections = {i["id"]: i["article"] for _, k, i in items if k == "sections"}
    gone: dict[str, set[str]] = {
        k: set()
        for k in (
            "articles",
            "people",
            "entities",
            "records",
            "sections",
            "frameworks",
            "errata",
            "assessments",
        )
    }
    gone["articles"].add(article)
    changed = True
    while changed:
        changed = False

        def drop(key: str, ident: str) -> None:
            nonlocal changed
            if ident not in gone[key]:
                gone[key].add(ident)
                changed = True

        for _, key, item in items:
            ident = item.get("id") or item.get("slug")
            art = item.get("article") or sections.get(str(item.get("section")))
            if key in gone and art in gone["articles"]:
                drop(key, ident)
            if key == "sections" and item.get("article") in gone["articles"]:
                drop("sections", ident)
            refs: list[tuple[str, str]] = []
            if key == "records":
                refs += [("records", f) for f in item.get("follows", ())]
                refs += [("entities", e) for e in item.get("entities", ())]
                refs += [("frameworks", f) for f in item.get("frameworks", ())]
                refs += [("people", item["speaker"])] if item.get("speaker") else []
            if key == "sections":
                refs += [("people", p) for p in item.get("reporters", ())]
                refs += [("people", item["interviewee"])] if item.get("interviewee") else []
            if key == "articles":
                refs += [("people", p) for p in item.get("photographers", ())]
            if key == "entities":
                refs += [("entities", link["to"]) for link in item.get("links", ())]
            if key == "assessments":
                refs += [("records", item["target"])] + [("records", e) for e in item.get("evidence", ())]
            if any(ident_ in gone.get(kind, ()) for kind, ident_ in refs):
                if key == "assessments":
                    drop("assessments", ident)
                elif art is not None:
                    drop("articles", art)  # an article that names what is left out depends on it
    scratch.mkdir(parents=True)
    by_file: dict[str, list[tuple[str, Item]]] = {}
    for name, key, item in items:
        ident = item.get("id") or item.get("slug")
        if key in gone and ident in gone[key]:
            continue
        if key == "themes":
            item = {
                **item,
                **{
                    f: [r for r in item.get(f, ()) if r not in gone["records"]]
                    for f in ("include", "exclude")
                },
            }
        by_file.setdefault(name, []).append((key, item))
    for name, kept in by_file.items():
        path = scratch / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join("\n" + _table(key, item) for key, item in kept), encoding="utf-8")
    for _, key, item in items:
        if key == "articles" and item["id"] not in gone["articles"]:
            target = scratch / item["source_file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(data / item["source_file"], target)
    return gone["articles"]


def _table(key: str, item: Item) -> str:
    lines = [f"[[{key}]]"] + [f"{k} = {draft_toml.value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


# -- positions --------------------------------------------------------------------------------


def spans(source: str, quote: str, stated: str | None = None) -> list[tuple[int, int]]:
    """Where the words stand in the source (whitespace aside): every place of the quote, and of
    `stated` within it."""
    out = []
    q = compact(quote)
    at = source.find(q)
    while at >= 0 and q:
        if stated is None:
            out.append((at, at + len(q)))
        else:
            s = compact(stated)
            inner = q.find(s)
            while inner >= 0 and s:
                out.append((at + inner, at + inner + len(s)))
                inner = q.find(s, inner + 1)
        at = source.find(q, at + 1)
    return out


def overlap(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> int:
    return max((min(x[1], y[1]) - max(x[0], y[0]) for x in a for y in b), default=0)


def iou(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    best = 0.0
    for x in a:
        for y in b:
            inter = min(x[1], y[1]) - max(x[0], y[0])
            if inter > 0:
                best = max(best, inter / (max(x[1], y[1]) - min(x[0], y[0])))
    return best


def figures_of(base: Any, article: str, source: str) -> tuple[list[Item], list[Item]]:
    """The figures and records of an article, each with its place in the source."""
    sections = {s.id for s in base.sections if s.article == article}
    figs, recs = [], []
    for r in base.records:
        if r.section not in sections:
            continue
        recs.append({"id": r.id, "spans": spans(source, r.quote), "quote": r.quote})
        for f in r.figures:
            fig = f.model_dump(mode="json")
            fig["record"] = r.id
            fig["spans"] = spans(source, r.quote, f.stated)
            figs.append(fig)
    return figs, recs


def _based(fig: Item, key: str = "value") -> tuple[Decimal, str] | None:
    if fig.get(key) is None or not fig.get("unit"):
        return None
    return to_base(fig[key], fig["unit"])


def same_amount(h: Item, d: Item) -> bool:
    if h.get("value") is None or d.get("value") is None:
        return h.get("value") is None and d.get("value") is None and h.get("claim") == d.get("claim")
    return _based(h) == _based(d) and _based(h, "value_max") == _based(d, "value_max")


def field_right(name: str, h: Item, d: Item) -> bool:
    if name == "threshold":
        return tracking.threshold(h) == tracking.threshold(d)
    if name == "approximate":
        return bool(h.get("approximate")) == bool(d.get("approximate"))
    default = {"comparator": "exact", "intent": "plain"}.get(name)
    return (h.get(name) or default) == (d.get(name) or default)


def match(hand: list[Item], drafted: list[Item]) -> tuple[list[tuple[Item, Item]], list[tuple[Item, Item]]]:
    """One-to-one pairs of figures at overlapping places: those whose value and unit agree
    (matches), then, of those left, those that do not (found at the right place, typed wrong)."""
    pairs = []
    for i, h in enumerate(hand):
        for j, d in enumerate(drafted):
            size = overlap(h["spans"], d["spans"])
            if size > 0:
                pairs.append((not same_amount(h, d), -size, i, j))
    pairs.sort()
    used_h: set[int] = set()
    used_d: set[int] = set()
    good, wrong = [], []
    for bad, _, i, j in pairs:
        if i in used_h or j in used_d:
            continue
        used_h.add(i)
        used_d.add(j)
        (wrong if bad else good).append((hand[i], drafted[j]))
    return good, wrong


# -- the measure ------------------------------------------------------------------------------


def measure(data: Path, article: str, new_id: str | None = None, keep: Path | None = None) -> dict[str, Any]:
    base = kb.load(data)
    found = [a for a in base.articles if a.id == article]
    if not found:
        raise SystemExit(f"draft_quality: no article {article!r} in {data}")
    art = found[0]
    source_path = data / art.source_file
    source = compact(source_path.read_text(encoding="utf-8"))
    new_id = new_id or (article[:32] + "-redraft")
    date = art.date.iso if len(art.date.iso) >= 7 else art.date.iso + "-01"
    work = Path(tempfile.mkdtemp(prefix="lycli-quality-"))
    try:
        scratch = work / "kb"
        left_out = without(data, article, scratch)
        started = time.perf_counter()
        summary = write_article(source_path, new_id, date, scratch)
        seconds = time.perf_counter() - started
        drafted_base = kb.load(scratch)
        hand, hand_records = figures_of(base, article, source)
        drafted, drafted_records = figures_of(drafted_base, new_id, source)
        if keep is not None:
            if keep.exists():
                shutil.rmtree(keep)
            shutil.copytree(scratch, keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    good, wrong = match(hand, drafted)
    fields = {}
    for name in FIELDS + MORE:
        right = sum(1 for h, d in good if field_right(name, h, d))
        fields[name] = round(right / len(good), 3) if good else None
    coverage = [
        max((iou(h["spans"], d["spans"]) for d in drafted_records), default=0.0) for h in hand_records
    ]
    precision_cov = [
        max((iou(d["spans"], h["spans"]) for h in hand_records), default=0.0) for d in drafted_records
    ]
    matched_h = {id(h) for h, _ in good}
    matched_d = {id(d) for _, d in good}
    result = {
        "data": str(data),
        "article": article,
        "drafted_as": new_id,
        "left_out": sorted(left_out),
        "seconds": round(seconds, 2),
        "review_items": summary["review_items"],
        "figures": {
            "hand": len(hand),
            "drafted": len(drafted),
            "matched": len(good),
            "recall": round(len(good) / len(hand), 3) if hand else None,
            "precision": round(len(good) / len(drafted), 3) if drafted else None,
            "value_unit": round(len(good) / (len(good) + len(wrong)), 3) if good or wrong else None,
            "fields": fields,
        },
        "records": {
            "hand": len(hand_records),
            "drafted": len(drafted_records),
            "mean_best_iou": round(sum(coverage) / len(coverage), 3) if coverage else None,
            "hand_covered_iou_0_5": round(sum(1 for c in coverage if c >= 0.5) / len(coverage), 3)
            if coverage
            else None,
            "drafted_matching_iou_0_5": round(
                sum(1 for c in precision_cov if c >= 0.5) / len(precision_cov), 3
            )
            if precision_cov
            else None,
        },
        "missed": [_show(h) for h in hand if id(h) not in matched_h],
        "extra": [_show(d) for d in drafted if id(d) not in matched_d],
        "wrong_fields": [
            {"field": name, "hand": _show(h), "drafted": _show(d)}
            for h, d in good
            for name in FIELDS
            if not field_right(name, h, d)
        ],
    }
    return result


def _show(fig: Item) -> str:
    upper = f"—{fig['value_max']}" if fig.get("value_max") is not None else ""
    amount = (
        f"{fig.get('value')}{upper}{fig.get('unit') or ''}"
        if fig.get("value") is not None
        else fig.get("claim")
    )
    th = fig.get("threshold") or {}
    return (
        f"{fig['stated']} | {amount} {fig['year']} {fig['role']} {fig.get('comparator', 'exact')} "
        f"{fig.get('intent', 'plain')} {th.get('stated', '')} [{fig['record']}]"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, required=True, help="a knowledge base with the hand-coded article"
    )
    parser.add_argument("--article", required=True, help="the hand-coded article to draft again")
    parser.add_argument("--as", dest="new_id", help="the id to draft it under (default: ARTICLE-redraft)")
    parser.add_argument("--json", action="store_true", help="the measure as JSON")
    parser.add_argument("--keep", type=Path, help="keep the scratch knowledge base with the draft here")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list missed and extra figures and wrong fields"
    )
    args = parser.parse_args(argv)
    result = measure(args.data, args.article, args.new_id, args.keep)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    f, r = result["figures"], result["records"]
    print(
        f"{result['article']} drafted as {result['drafted_as']} in {result['seconds']} s "
        f"({result['review_items']} review items)"
    )
    if result["left_out"] != [result["article"]]:
        print(f"left out of the scratch copy: {', '.join(result['left_out'])}")
    print(f"figures: {f['hand']} hand-coded, {f['drafted']} drafted, {f['matched']} matched")
    print(f"  recall {f['recall']}  precision {f['precision']}  value+unit {f['value_unit']}")
    print("  fields: " + "  ".join(f"{k} {v}" for k, v in f["fields"].items()))
    print(
        f"records: {r['hand']} hand-coded, {r['drafted']} drafted; mean best IoU {r['mean_best_iou']}, "
        f"hand covered (IoU>=0.5) {r['hand_covered_iou_0_5']}, "
        f"drafted matching {r['drafted_matching_iou_0_5']}"
    )
    if args.verbose:
        for key in ("missed", "extra"):
            for line in result[key]:
                print(f"  {key}: {line}")
        for wrong in result["wrong_fields"]:
            print(f"  wrong {wrong['field']}: hand {wrong['hand']}\n{'':>14}draft {wrong['drafted']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
