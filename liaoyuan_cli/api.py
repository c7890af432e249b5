"""lycli as a library: the same queries and typed results as `--json`, without a subprocess.

    from liaoyuan_cli import api
    kb = api.open()                      # the bundled knowledge base, or api.open("path/to/kb")
    kb.targets("gaoxin")["records"]      # a RecordsResult, exactly what `lycli targets gaoxin --json` prints
    api.rows(kb.figures())               # the flat rows of `--format csv`, ready for pandas

Errors are lycli's own (errors.UsageError, NotFound, InvalidKnowledgeBase), each with a message
and a hint; nothing here prints or exits. docs/python.md shows it in a notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from liaoyuan_cli import queries

if TYPE_CHECKING:
    from liaoyuan_cli.models import KnowledgeBase as Model
    from liaoyuan_cli.results import (
        AreasResult,
        AreaSummary,
        CiteResult,
        CitySummary,
        CompareResult,
        EntitiesResult,
        EntityResult,
        FacetResult,
        FiguresResult,
        ProjectsResult,
        RecordsResult,
        SearchResult,
        ShowResult,
        ThemesResult,
        TopicsResult,
        TrackResult,
        ValidateResult,
    )
    from liaoyuan_cli.store import Store


class Knowledge:
    """An opened knowledge base; every method is a command, its keyword arguments its options."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def areas(self) -> AreasResult:
        return queries.areas(self._store)

    def targets(
        self,
        area: str | None = None,
        *,
        kind: str | None = None,
        category: str | None = None,
        year: int | None = None,
        article: str | None = None,
        theme: str | None = None,
    ) -> RecordsResult:
        return queries.targets(self._store, area, kind, category, year, article, theme)

    def records(
        self,
        areas: list[str] | None = None,
        *,
        article: str | None = None,
        kind: str | None = None,
        category: str | None = None,
        theme: str | None = None,
        year: int | None = None,
        entity: str | None = None,
        metric: str | None = None,
        has_figures: bool | None = None,
    ) -> RecordsResult:
        return queries.records(
            self._store, areas, article, kind, category, theme, year, entity, metric, has_figures
        )

    def metrics(
        self,
        area: str | None = None,
        *,
        kind: str | None = None,
        category: str | None = None,
        year: int | None = None,
        article: str | None = None,
    ) -> FiguresResult:
        return queries.metrics(self._store, area, kind, category, year, article)

    def figures(
        self,
        areas: list[str] | None = None,
        *,
        article: str | None = None,
        kind: str | None = None,
        category: str | None = None,
        theme: str | None = None,
        year: int | None = None,
        entity: str | None = None,
        metric: str | None = None,
    ) -> FiguresResult:
        return queries.figures(self._store, areas, article, kind, category, theme, year, entity, metric)

    def compare(
        self, topic: str | None = None, *, article: str | None = None
    ) -> CompareResult | TopicsResult:
        return queries.compare(self._store, topic, article)

    def search(
        self,
        query: str,
        *,
        area: str | None = None,
        kind: str | None = None,
        category: str | None = None,
        limit: int = 20,
        article: str | None = None,
        theme: str | None = None,
    ) -> SearchResult:
        return queries.search(self._store, query, area, kind, category, limit, article, theme)

    def entities(self, name: str | None = None, *, kind: str | None = None) -> EntitiesResult | EntityResult:
        return queries.entities(self._store, name, kind)

    def show(self, record_id: str) -> ShowResult:
        return queries.show(self._store, record_id)

    def cite(self, record_id: str, style: str = "text", lang: str = "both") -> CiteResult:
        return queries.cite_record(self._store, record_id, style, lang)

    def summarize(self, area: str | None = None, *, article: str | None = None) -> AreaSummary | CitySummary:
        return queries.summarize(self._store, area, article)

    def themes(self) -> ThemesResult:
        return queries.themes(self._store)

    def facet(self, by: list[str], *, of: str = "records", **filters: Any) -> FacetResult:
        return queries.facet(self._store, by, of, **filters)

    def projects(
        self, areas: list[str] | None = None, *, article: str | None = None, entity: str | None = None
    ) -> ProjectsResult:
        return queries.projects(self._store, areas, article, entity)

    def track(
        self,
        area: str | None = None,
        *,
        article: str | None = None,
        category: str | None = None,
        theme: str | None = None,
        verdict: str | None = None,
        kind: str | None = None,
    ) -> TrackResult:
        return queries.track(self._store, area, article, category, theme, verdict, kind)


def open(data: str | Path | None = None) -> Knowledge:
    """The knowledge base at `data` (a directory laid out like data/), else $LYCLI_DATA, else the
    bundled one; cached like the command line's."""
    from liaoyuan_cli import files, store

    return Knowledge(store.open_store(files.resolve_data_dir(None if data is None else str(data))))


def validate(data: str | Path | None = None) -> ValidateResult:
    """Every problem of a knowledge base, as `lycli validate --json` lists them."""
    from liaoyuan_cli import files

    return queries.validate(files.resolve_data_dir(None if data is None else str(data)))


def load(data: str | Path | None = None) -> Model:
    """The knowledge base as its pydantic models (raises InvalidKnowledgeBase)."""
    from liaoyuan_cli import files, kb

    return kb.load(files.resolve_data_dir(None if data is None else str(data)))


def rows(result: Any) -> list[dict[str, Any]]:
    """A result's main rows, flat, as `--format csv` writes them (lists stay lists)."""
    from liaoyuan_cli.render.data import rows as flat

    return flat(result)[1]
