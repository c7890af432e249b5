"""The `lycli` entry point and `python -m liaoyuan_cli`: Ctrl-C and SIGTERM handled from the start."""

import signal
import sys


def run() -> None:
    """Import the launcher and run it; an interrupt while importing is still exit 130, and a
    SIGTERM at any point exit 143, without a traceback."""
    try:
        from liaoyuan_cli import launch

        signal.signal(signal.SIGTERM, launch.terminate)
        launch.main()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except Exception as exc:  # launch.Terminated, raised before main's own guard was in place
        if type(exc).__name__ != "Terminated":
            raise
        sys.exit(143)


if __name__ == "__main__":
    run()
