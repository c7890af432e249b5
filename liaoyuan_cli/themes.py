"""Theme membership, decided once: the cache, the export and the tests all ask ThemeRule."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class ThemeRule:
    """A theme's membership rule: keywords in the Chinese or English, inclusions, exclusions."""

    def __init__(self, theme: Mapping[str, Any]) -> None:
        self.id: str = theme["id"]
        self.zh: list[str] = theme["keywords_zh"]
        self.en = (
            re.compile(r"\b(" + "|".join(re.escape(k) for k in theme["keywords_en"]) + r")\b", re.I)
            if theme["keywords_en"]
            else None
        )
        self.include = set(theme["include"])
        self.exclude = set(theme["exclude"])

    def holds(self, record: Mapping[str, Any]) -> bool:
        if record["id"] in self.exclude:
            return False
        if record["id"] in self.include:
            return True
        if any(k in record["zh"] or k in record["quote"] for k in self.zh):
            return True
        return self.en is not None and self.en.search(record["en"]) is not None
