"""lycli as a library: the same queries and typed results as `--json`, without a subprocess.

    from liaoyuan_cli import api
    kb = api.open()                      # the bundled knowledge base, or api.open("path/to/kb")
    kb.targets("gaoxin")["records"]      # a RecordsResult, exactly what `lycli targets gaoxin --json` prints
    api.rows(kb.figures())               # the flat rows of `--format csv`, ready for pandas

Every command of the table (commands.py) that answers a question is a method: its positional
arguments are the command's parameters in the order `--help` lists them, its keyword arguments
any of them by name, and its values are read as the command line reads them. Errors are lycli's
own (errors.UsageError, NotFound, InvalidKnowledgeBase), each with a message and a hint;
nothing here prints or exits. docs/python.md shows it in a notebook.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liaoyuan_cli import commands, queries
from liaoyuan_cli.errors import UsageError
from liaoyuan_cli.run import arguments

if TYPE_CHECKING:
    from collections.abc import Callable

    from liaoyuan_cli.models import KnowledgeBase as Model
    from liaoyuan_cli.results import ValidateResult
    from liaoyuan_cli.store import Store


def _names(command: commands.Command) -> list[str]:
    """A method's parameters, in order: the command's own, then the output options its query
    reads, then the corpus options (as_of, drafts): added later, last, so that the positional
    order of a documented signature never changes (kb.show(ID, "Liaoyuan Daily"))."""
    corpus = {p.name for p in commands.CORPUS}
    own = [p.name for p in command.params]
    return [*(n for n in own if n not in corpus), *command.takes, *(n for n in own if n in corpus)]


class Knowledge:
    """An opened knowledge base; every command is a method, its options keyword arguments."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *(c.name for c in commands.TABLE if c.query)})

    def __getattr__(self, name: str) -> Callable[..., Any]:
        command = commands.BY_NAME.get(name)
        if command is None or command.query is None:
            raise AttributeError(name)

        def ask(*args: object, **kwargs: object) -> Any:
            return self.ask(command, *args, **kwargs)

        every = {p.name: p for p in command.every()}
        ask.__name__ = name
        ask.__doc__ = command.help
        ask.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=every[n].default)
                for n in _names(command)
            ]
        )
        return ask

    def ask(self, command: commands.Command, *args: object, **kwargs: object) -> Any:
        """A command's answer, its arguments read as the command line reads them."""
        names = _names(command)
        if len(args) > len(names):
            raise UsageError(f"{command.name} takes at most {len(names)} positional arguments")
        given = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in names:
                from liaoyuan_cli.errors import suggest

                raise suggest(name, names, f"argument of {command.name}()")
            if name in given:
                raise UsageError(f"{command.name}() got {name} twice")
            given[name] = value
        from liaoyuan_cli.store import answer, held

        assert command.query is not None
        values = commands.values(command, given)
        query = getattr(queries, command.query)
        return held(answer(self._store, lambda s: query(s, **arguments(command, values))))


def open(data: str | Path | None = None) -> Knowledge:
    """The knowledge base at `data` (a directory laid out like data/), else $LYCLI_DATA, else the
    bundled one; cached like the command line's."""
    from liaoyuan_cli import store

    return Knowledge(store.open_store(_data_dir(data)))


def validate(data: str | Path | None = None) -> ValidateResult:
    """Every problem of a knowledge base, as `lycli validate --json` lists them."""
    return queries.validate(_data_dir(data))


def load(data: str | Path | None = None) -> Model:
    """The knowledge base as its pydantic models (raises InvalidKnowledgeBase)."""
    from liaoyuan_cli import kb

    return kb.load(_data_dir(data))


def _data_dir(data: object) -> str:
    """A knowledge base's directory from a str, bytes or path-like (as --data reads it); a
    UsageError for anything else, or for text that no path's bytes could give ("\ud800")."""
    import os

    from liaoyuan_cli import files

    if data is None:
        return files.resolve_data_dir(None)
    if not isinstance(data, str | bytes | os.PathLike):
        raise UsageError(f"data: {data!r} is not a path", hint="a directory laid out like data/")
    path = os.fsdecode(os.fspath(data))
    try:
        os.fsencode(path)
    except UnicodeEncodeError:
        raise UsageError(f"data: {path!a} is not a path", hint="a directory laid out like data/") from None
    return files.resolve_data_dir(path)


def rows(result: Any) -> list[dict[str, Any]]:
    """A result's main rows, flat, as `--format csv` writes them (lists stay lists)."""
    from liaoyuan_cli.render.data import rows as flat
    from liaoyuan_cli.results import ROWS

    wrong = UsageError("not a lycli result", hint="pass what a method of api.open() returned")
    if not isinstance(result, dict) or result.get("command") not in ROWS:
        raise wrong
    declared = ROWS[result["command"]]
    main = result.get(declared.key)
    if declared.rows is None and isinstance(main, list):  # each row a dict with its row type's keys
        needed: frozenset[str] = getattr(declared.row, "__required_keys__", frozenset())
        if not all(isinstance(row, dict) and needed <= row.keys() for row in main):
            raise wrong
    try:
        return list(flat(result)[1])
    except (KeyError, TypeError, AttributeError, ValueError):  # a dict that only looks like one
        raise wrong from None
