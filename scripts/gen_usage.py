"""Write docs/usage.md from real runs of every command's examples in the command table, so the
examples cannot drift.

Run `python scripts/gen_usage.py` after changing output or an example; tests/test_docs.py fails
when the file differs from what this script produces.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "LYCLI_DATA": "", "LYCLI_NO_FAST_PATH": ""}
# What an example of these would do is write files or print a schema: docs/export.md,
# docs/data-model.md (adding an article) and docs/json.md show them instead.
NOT_RUN = ("export", "draft", "schema")


def _run(args: list[str]) -> str:
    from liaoyuan_cli.launch import main

    out = io.StringIO()
    with (
        mock.patch.dict(os.environ, ENV),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.suppress(SystemExit),
    ):
        main(args)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def render() -> str:
    from liaoyuan_cli.commands import TABLE

    parts = [
        "# Usage\n\n",
        "Every example below is a real run (`scripts/gen_usage.py` writes this file from the examples\n",
        "of the command table, liaoyuan_cli/commands.py; a test checks it). Tables are shown at 100\n",
        "columns; `--json` gives the same answers for scripts (see json.md).\n",
    ]
    for command in TABLE:
        if command.name in NOT_RUN:
            continue
        for args, what in command.examples:
            lines = _run(shlex.split(args))
            parts.append(f"\n## lycli {args}\n\n{what}\n\n```text\n$ lycli {args}\n{lines}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    (ROOT / "docs" / "usage.md").write_text(render(), encoding="utf-8")
