"""The `lycli` entry point and `python -m liaoyuan_cli`: the app, with Ctrl-C handled from the start."""

import sys


def run() -> None:
    """Import the app and run it; an interrupt while importing is still exit 130, not a traceback."""
    try:
        from liaoyuan_cli.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
