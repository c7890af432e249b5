"""Write liaoyuan_cli/grammar.py: the Typer app's command line as data, for the fast path.

Run `python scripts/gen_grammar.py` after changing a command's parameters in cli.py;
tests/test_launch.py fails while the file differs from what the app declares.
"""

from __future__ import annotations

import pprint
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "liaoyuan_cli" / "grammar.py"


def render() -> str:
    from liaoyuan_cli.cli import grammar

    body = pprint.pformat(grammar(), indent=1, width=100, sort_dicts=True)
    return (
        '"""The command line as data, generated from the Typer app by scripts/gen_grammar.py.\n\n'
        "launch.py parses well-formed calls with it, without importing typer; a test holds it\n"
        'equal to what cli.py declares."""\n\n'
        "from typing import Any\n\n"
        f"GRAMMAR: dict[str, Any] = {body}\n"
    )


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
