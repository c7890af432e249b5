"""A draft written as the knowledge base's TOML: tables in the order a person reads them, each
record preceded by a comment that says why its kind and category were guessed."""

from __future__ import annotations

import json
from typing import Any

from liaoyuan_cli.draft.compose import Draft, Item

HEADER = (
    "# Drafted by `lycli draft`: every quote stands in source.txt, every figure is typed by the rules\n"
    "# of docs/data-model.md. What only a person can do is marked `review`: `lycli validate --review`\n"
    "# lists it. Remove each review entry once done; the article stays a draft until none is left.\n"
)


def value(v: Any) -> str:
    """A TOML value: strings as basic strings (JSON's escapes are TOML's, DEL aside), inline arrays
    and tables."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        # JSON leaves DEL (U+007F) raw, which a TOML string may not hold: escaped, as JSON may.
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        inner = ", ".join(f"{k} = {value(x)}" for k, x in v.items() if x is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"no TOML for {type(v).__name__}")


def table(name: str, item: Item, nested: tuple[str, ...] = (), comment: str | None = None) -> str:
    """`[[name]]` with the item's plain keys, then each nested key as its own table(s)."""
    lines = []
    if comment:
        lines.append(f"# {comment}")
    lines.append(f"[[{name}]]")
    for key, v in item.items():
        if key in nested or v is None or (isinstance(v, (list, tuple)) and not v and key != "reporters"):
            continue
        lines.append(f"{key} = {value(v)}")
    for key in nested:
        v = item.get(key)
        if isinstance(v, dict):
            lines.append("")
            lines.append(f"[{name}.{key}]")
            lines += [f"{k} = {value(x)}" for k, x in v.items() if x is not None]
        elif isinstance(v, list):
            for sub in v:
                lines.append("")
                lines.append(f"[[{name}.{key}]]")
                lines += [f"{k} = {value(x)}" for k, x in sub.items() if x is not None and x != []]
    return "\n".join(lines) + "\n"


def files(draft: Draft, article_id: str) -> dict[str, str]:
    """article.toml and records/<area>.toml of a draft."""
    parts = [HEADER, "\n", table("articles", draft.article, ("date",))]
    parts += ["\n" + table("sections", s, ("date",)) for s in draft.sections]
    if draft.people:
        parts.append("\n# -- people the page names who are not in the knowledge base yet --\n")
        parts += ["\n" + table("people", p) for p in draft.people]
    if draft.topics:
        parts += ["\n" + table("topics", t) for t in draft.topics]
    if draft.metrics:
        parts.append("\n# -- metrics the page measures that the knowledge base does not have yet --\n")
        parts += ["\n" + table("metrics", m) for m in draft.metrics]
    out = {"article.toml": "".join(parts)}
    for area in sorted(set(draft.records) | set(draft.entities)):
        body = [HEADER]
        if draft.entities.get(area):
            body.append("\n# -- entities the page names that the knowledge base does not have yet --\n")
            body += ["\n" + table("entities", e) for e in draft.entities[area]]
        for record in draft.records.get(area, []):
            body.append("\n" + table("records", record, ("figures",), draft.comments.get(record["id"])))
        out[f"records/{area}.toml"] = "".join(body)
    return out
