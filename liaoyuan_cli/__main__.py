"""The `lycli` entry point and `python -m liaoyuan_cli`: Ctrl-C and SIGTERM handled from the start.

Only sys (built in, always loaded) is imported at module level: from the first line of run() on,
an interrupt is exit 130 and a SIGTERM exit 143, without a traceback (tests/test_trust.py stops
a run at each of its lines). Before it, while Python itself starts and the installer's `lycli`
script imports this module, a Ctrl-C is Python's own (docs/errors.md). Once the exit code is
decided, signals are ignored: one then, while Python shuts down, changes nothing.
"""

import sys


def run() -> None:
    """Import the launcher and run it; an interrupt while importing is still exit 130, and a
    SIGTERM at any point exit 143, without a traceback."""
    try:
        try:
            import signal

            from liaoyuan_cli import launch

            signal.signal(signal.SIGTERM, launch.terminate)
            launch.main()
        finally:
            # However the run ends (its exit code, or a signal just now): no signal after this
            # one, so that the handlers below are never themselves interrupted.
            _ignore_signals()
    except KeyboardInterrupt:
        _newline()
        sys.exit(130)
    except Exception as exc:  # launch.Terminated, raised before main's own guard was in place
        if type(exc).__name__ != "Terminated":
            raise
        sys.exit(143)


def _ignore_signals() -> None:
    """Ignore Ctrl-C and SIGTERM from now on (a pending one is dropped)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _newline() -> None:
    """End the line that ^C was echoed on; stderr may be closed."""
    try:
        sys.stderr.write("\n")
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):
        pass


if __name__ == "__main__":
    run()
