"""Write docs/usage.md from real runs of every command, so the examples cannot drift.

Run `python scripts/gen_usage.py` after changing output; tests/test_docs.py fails when the
file differs from what this script produces.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    ("areas", "The areas, their officials, the articles that speak of them and how much each said."),
    ("targets gaoxin", "The main job: an area's targets and plans, each with its figures."),
    ("targets gaoxin --lang en", "The same for an English reader: no Chinese but the misprints explained."),
    ("records --theme new-energy --lang en", "Any question across the city: records filtered any way."),
    (
        "facet --by area,category --area gaoxin --area xian",
        "Counts by any fields: records, and the pledges (targets and plans) among them, per category"
        " per area.",
    ),
    ("metrics gaoxin --year 2023", "Every typed figure of an area (here the 2023 results)."),
    (
        "figures --metric gdp-growth --format csv --fields area,record,value,unit,year,role",
        "Figures in long format, as pandas and R take them.",
    ),
    ("compare growth", "One topic across the areas, in series that can be compared."),
    ("compare", "The topics `compare` knows."),
    ("search ethanol", "Search in Chinese, English or pinyin, inside compound words."),
    ("themes", "Themes across areas, with the rule that decides each."),
    ("projects --lang en", "Projects: who is behind them, where, how much; where amounts must not be added."),
    ("entities china-tianying", "One entity and every record that names it."),
    ("show gaoxin-2023-gdp", "One record in full: quote, whose words, citation."),
    ("cite gaoxin-2023-gdp --style apa", "A citation in a style a reference manager or editor takes."),
    (
        "track gaoxin --kind target --lang en",
        "What became of each pledge (the bundled page has no later article yet).",
    ),
    ("summarize xian", "An area at a glance."),
    ("summarize", "The city at a glance."),
    ("validate", "Check the knowledge base."),
]


def render() -> str:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "LYCLI_DATA": ""}
    env.pop("LYCLI_NO_FAST_PATH", None)
    parts = [
        "# Usage\n\n",
        "Every example below is a real run (`scripts/gen_usage.py` writes this file; a test checks it).\n",
        "Tables are shown at 100 columns; `--json` gives the same answers for scripts (see json.md).\n",
    ]
    for command, what in EXAMPLES:
        out = subprocess.run(
            [sys.executable, "-m", "liaoyuan_cli", *command.split()],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=ROOT,
        ).stdout
        lines = "\n".join(line.rstrip() for line in out.splitlines())
        parts.append(f"\n## lycli {command}\n\n{what}\n\n```text\n$ lycli {command}\n{lines}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    (ROOT / "docs" / "usage.md").write_text(render(), encoding="utf-8")
