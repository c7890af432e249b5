"""benchmarks/make_kb.py writes a valid knowledge base N times the bundled one: copy 1 the
bundled knowledge base as it is, copy k another article (session-2024-xk) about the same areas.

Correctness only: no timing here (benchmarks/run.py measures the budgets).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import DATA, ROOT, run_cli

MAKE_KB = ROOT / "benchmarks" / "make_kb.py"
SCALE = 3
ARTICLE = "session-2024"
# What a copy's one file holds: the article and everything only it defines.
COPIED = {"articles", "sections", "errata", "entities", "frameworks", "records"}
# Shared definitions: written once, whatever the scale.
SHARED = ("areas", "people", "topics", "metrics", "themes")


def _make_kb_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_kb", MAKE_KB)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_kb"] = module  # dataclasses and annotations look their module up
    spec.loader.exec_module(module)
    return module


def _items(root: Path, under: str = "") -> dict[str, list[dict[str, Any]]]:
    """Every item of the TOML files under root (or under root/under), by list."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((root / under).rglob("*.toml")):
        for key, values in tomllib.loads(path.read_text(encoding="utf-8")).items():
            found.setdefault(key, []).extend(values)
    return found


def _counts(items: dict[str, list[Any]]) -> dict[str, int]:
    return {key: len(values) for key, values in items.items()}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kb") / f"x{SCALE}"
    done = subprocess.run(
        [sys.executable, str(MAKE_KB), "--scale", str(SCALE), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def bundled_article() -> dict[str, list[dict[str, Any]]]:
    return _items(DATA, f"articles/{ARTICLE}")


def test_layout(big: Path) -> None:
    written = {p.relative_to(big).as_posix() for p in big.rglob("*") if p.is_file()}
    originals = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.is_file()}
    copies = {
        f"articles/{ARTICLE}-x{k}/{name}"
        for k in range(2, SCALE + 1)
        for name in ("article.toml", "source.txt")
    }
    assert written == originals | copies
    # Copy 1 is the bundled knowledge base, byte for byte; every copy has its own source text.
    for name in originals:
        assert (big / name).read_bytes() == (DATA / name).read_bytes(), name
    source = (DATA / "articles" / ARTICLE / "source.txt").read_bytes()
    for k in range(2, SCALE + 1):
        assert (big / "articles" / f"{ARTICLE}-x{k}" / "source.txt").read_bytes() == source


def test_counts(big: Path, bundled_article: dict[str, list[Any]]) -> None:
    everything, written = _counts(_items(DATA)), _counts(_items(big))
    article = _counts(bundled_article)
    assert set(article) == COPIED
    assert written["records"] == SCALE * everything["records"]
    for key in COPIED:
        assert written[key] == everything[key] + (SCALE - 1) * article[key], key
    for key in SHARED:
        assert written[key] == everything[key], key
    assert written["articles"] == SCALE


@pytest.mark.parametrize("k", range(2, SCALE + 1))
def test_a_copy_is_another_article(big: Path, bundled_article: dict[str, list[Any]], k: int) -> None:
    copy = tomllib.loads((big / "articles" / f"{ARTICLE}-x{k}" / "article.toml").read_text(encoding="utf-8"))
    assert set(copy) == COPIED
    assert _counts(copy) == _counts(bundled_article)
    (article,) = copy["articles"]
    assert article["id"] == f"{ARTICLE}-x{k}"
    assert article["source_file"] == f"articles/{ARTICLE}-x{k}/source.txt"
    # A month after copy k-1: 2024-01 is copy 1.
    assert article["date"]["iso"] == f"2024-{k:02d}"
    assert all(s["date"]["iso"].startswith(f"2024-{k:02d}") for s in copy["sections"])  # a day stays

    # Every id of the copy is suffixed and a slug's length at most; ids stay unique.
    for key in COPIED:
        ids = [item["id"] for item in copy[key]]
        assert len(set(ids)) == len(ids), key
        assert all(i.endswith(f"-x{k}") and len(i) <= 40 for i in ids), key
    # Every reference points into this copy, or at a shared definition.
    shared = _items(DATA)
    people = {p["id"] for p in shared["people"]}
    areas = {a["slug"] for a in shared["areas"]}
    top_entities = {e["id"] for e in tomllib.loads((DATA / "entities.toml").read_text("utf-8"))["entities"]}
    own = {key: {item["id"] for item in copy[key]} for key in COPIED}
    for item in (*copy["sections"], *copy["errata"], *copy["entities"]):
        assert item["article"] == article["id"]
    for section in copy["sections"]:
        assert section["area"] in areas
        named = [section["interviewee"]] if section.get("interviewee") else []
        assert {*named, *section["reporters"]} <= people
    for framework in copy["frameworks"]:
        assert framework["section"] in own["sections"]
    for record in copy["records"]:
        assert record["section"] in own["sections"]
        assert record["area"] in areas
        assert record.get("speaker") is None or record["speaker"] in people
        assert set(record.get("entities", [])) <= own["entities"] | top_entities
        assert set(record.get("frameworks", [])) <= own["frameworks"]
    # Names that must be unique across the knowledge base carry the copy's number.
    for entity in copy["entities"]:
        assert all(
            name.endswith(f" x{k}") for name in (entity["zh"], entity["en"], *entity.get("aliases", []))
        )


def test_ids_are_shortened_to_fit_and_stay_unique() -> None:
    make_kb = _make_kb_module()
    long = ["a" * 30 + "-bbbbbbbbbb-c", "a" * 30 + "-bbbbbbbbbb-d", "short"]
    stems = make_kb._short_ids(long, len("-x1000"))
    assert stems["short"] == "short"
    assert len(set(stems.values())) == 3
    assert all(len(s) + len("-x1000") <= 40 and not s.endswith("-") for s in stems.values())
    assert make_kb.shift_iso("2024-01", 0) == ("2024-01", None)
    assert make_kb.shift_iso("2024-01", 11) == ("2024-12", None)
    assert make_kb.shift_iso("2024-01", 999) == ("2107-04", None)
    assert make_kb.shift_iso("2024-01-31", 1) == ("2024-02-28", None)
    assert make_kb.shift_iso("2024", 1) == ("2024-02", "month")


def test_scale_one_is_the_bundled_knowledge_base(tmp_path: Path) -> None:
    make_kb = _make_kb_module()
    make_kb.make_kb(DATA, tmp_path / "x1", 1)
    written = sorted(p.relative_to(tmp_path / "x1") for p in (tmp_path / "x1").rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(DATA) for p in DATA.rglob("*") if p.is_file())


@pytest.mark.slow
def test_validates(big: Path) -> None:
    from liaoyuan_cli import kb

    loaded = kb.load(big)  # raises InvalidKnowledgeBase, with every problem, if it does not
    bundled = kb.load(DATA)
    assert len(loaded.records) == SCALE * len(bundled.records)
    assert len(loaded.articles) == SCALE
    assert loaded.areas == bundled.areas
    assert loaded.people == bundled.people


@pytest.mark.slow
def test_original_area_resolves(big: Path) -> None:
    done = run_cli("targets", "gaoxin", "--json", "--data", str(big), "--article", ARTICLE)
    assert done.code == 0, done.stderr
    result = done.json()
    assert [a["slug"] for a in result["areas"]] == ["gaoxin"]
    assert result["records"]
    assert all(
        r["area"] == "gaoxin" and r["article"] == ARTICLE and "-x" not in r["id"] for r in result["records"]
    )
    # Unless told otherwise, an area answers from the newest article that speaks of it: the last copy.
    latest = run_cli("targets", "gaoxin", "--json", "--data", str(big))
    assert latest.code == 0, latest.stderr
    assert [a["id"] for a in latest.json()["articles"]] == [f"{ARTICLE}-x{SCALE}"]


@pytest.mark.slow
def test_replicated_article_answers(big: Path) -> None:
    original = run_cli("targets", "gaoxin", "--json", "--data", str(big), "--article", ARTICLE).json()
    done = run_cli("targets", "gaoxin", "--json", "--data", str(big), "--article", f"{ARTICLE}-x{SCALE}")
    assert done.code == 0, done.stderr
    copy = done.json()
    assert [a["slug"] for a in copy["areas"]] == ["gaoxin"]  # the same area, another article
    assert [a["id"] for a in copy["articles"]] == [f"{ARTICLE}-x{SCALE}"]
    assert len(copy["records"]) == len(original["records"]) > 0
    suffix = f"-x{SCALE}"
    for a, b in zip(original["records"], copy["records"], strict=True):
        # Same words and figures; ids and references moved into the copy, people and areas shared.
        assert (a["zh"], a["en"], a["quote"], a["kind"]) == (b["zh"], b["en"], b["quote"], b["kind"])
        assert len(a["figures"]) == len(b["figures"])
        assert b["id"].endswith(suffix) and a["id"].startswith(b["id"].removesuffix(suffix))
        assert b["article"] == f"{ARTICLE}-x{SCALE}" and b["section"].endswith(suffix)
        assert (b["area"], b["speaker"]) == (a["area"], a["speaker"])
        assert all(f.endswith(suffix) for f in b["frameworks"])


@pytest.mark.slow
def test_search_finds_every_copy(big: Path) -> None:
    done = run_cli("search", "天楹", "--limit", "1000", "--json", "--data", str(big))
    assert done.code == 0, done.stderr
    hits = done.json()["hits"]
    articles = {h["article"] for h in hits if h["type"] == "record"}
    assert articles == {ARTICLE, *(f"{ARTICLE}-x{k}" for k in range(2, SCALE + 1))}
    per_article = {a: sum(1 for h in hits if h["article"] == a) for a in articles}
    assert len(set(per_article.values())) == 1, per_article  # every copy answers alike
    # A shared entity is one entity, found once.
    assert [h["id"] for h in hits].count("china-tianying") == 1
