"""TAB completion: what each kind of value completes to. Runs on every key, so it is quiet and
quick, and any failure completes nothing (the shell then offers nothing, not file names)."""

from __future__ import annotations

from liaoyuan_cli import vocab
from liaoyuan_cli.text import UNSAFE

# Values that complete from a vocabulary of vocab.py, without opening the knowledge base.
VOCABULARIES: dict[str, type[vocab.Term]] = {
    "kind": vocab.RecordKind,
    "category": vocab.Category,
    "entity-kind": vocab.EntityKind,
    "verdict": vocab.Verdict,
    "format": vocab.Format,
    "lang": vocab.Lang,
    "style": vocab.Style,
    "export": vocab.ExportFormat,
    "of": vocab.Counted,
    "facet": vocab.FacetField,
    "voice": vocab.Voice,
    "shell": vocab.Shell,
    "project-order": vocab.ProjectOrder,
}


def values(kind: str, incomplete: str, data: str | None = None) -> list[str]:
    """The completions of a value of `kind` that begin with what was typed (any case), from the
    knowledge base the command line names with --data (else $LYCLI_DATA, else the bundled one)."""
    try:
        return [v for v in _values(kind, incomplete, data) if not UNSAFE.search(v)]
    except Exception:
        return []


def _values(kind: str, incomplete: str, data: str | None) -> list[str]:
    """The candidates; a name with a control character is never offered (the shell prints them)."""
    typed = incomplete.casefold()
    if kind == "facet" and "," in incomplete:
        done, _, last = incomplete.rpartition(",")
        return [f"{done},{v}" for v in vocab.names(vocab.FacetField) if v.startswith(last.casefold())]
    if kind == "project-kind":
        return [v for v in ("project", "park", "programme") if v.startswith(typed)]
    if kind in VOCABULARIES:
        extra = [vocab.PLEDGE] if kind == "kind" else []
        return [v for v in [*vocab.names(VOCABULARIES[kind]), *extra] if v.startswith(typed)]
    if kind == "command":
        from liaoyuan_cli.commands import TABLE

        return [c.name for c in TABLE if c.query and c.name.startswith(typed)]
    return _from_knowledge_base(kind, incomplete, typed, data)


def _from_knowledge_base(kind: str, incomplete: str, typed: str, data: str | None) -> list[str]:
    from liaoyuan_cli import files, queries, store

    s = store.open_cached(files.resolve_data_dir(data))
    if s is None:
        return []  # not cached yet: a TAB press never waits for a knowledge base to be built
    if kind == "area":
        # Slugs first; other names only when the typed text begins none of the slugs.
        slugs = [a["slug"] for a in s.areas()] + ["all"]
        found = [slug for slug in slugs if slug.startswith(typed)]
        if found:
            return found
        names = [n for a in s.areas() for n in (a["zh"], a["short_zh"], a["en"], *a["aliases"])]
        return list(dict.fromkeys(n for n in names if n.casefold().startswith(typed) and typed))
    if kind == "topic":
        return [t for t in queries.topics(s) if t.startswith(typed)]
    if kind == "theme":
        return [t["id"] for t in s.themes() if t["id"].startswith(typed)]
    if kind == "metric":
        return [m for m in s.metrics() if m.startswith(typed)]
    if kind == "article":
        return [a for a in [*(x["id"] for x in s.articles()), "all", "latest"] if a.startswith(typed)]
    if kind == "entity":
        ids = [e["id"] for e in s.entities()]
        found = [i for i in ids if i.startswith(typed)]
        if found:
            return found
        names = [n for e in s.entities() for n in (e["zh"], *e["aliases"])]
        return list(dict.fromkeys(n for n in names if n.casefold().startswith(typed) and typed))
    if kind == "record":
        return s.record_ids(incomplete)[:200]
    if kind == "speaker":
        return [p for p in s.people() if p.startswith(typed)]
    return []
