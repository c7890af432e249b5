"""The `lycli` entry point and `python -m liaoyuan_cli`, with Ctrl-C handled from the start."""

import sys


def run() -> None:
    """Import the launcher and run it; an interrupt while importing is still exit 130."""
    try:
        from liaoyuan_cli.launch import main
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
