"""`python -m liaoyuan_cli` runs the same app as the `lycli` entry point."""

from liaoyuan_cli.cli import main

main()
