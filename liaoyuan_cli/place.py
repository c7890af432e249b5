"""Putting what lycli writes in place: never over what must not be replaced, never half written.

An export (a database or a directory of CSV files) and a saved table (--svg, --html) are made
under a new private name beside their target and moved into place in one step once complete;
without --force nothing is replaced, and even --force replaces only a regular file or a
previous export, never a symlink, device, FIFO or socket. An interruption (Ctrl-C, SIGTERM)
removes the temporary name and leaves what was at the target as it was.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from liaoyuan_cli.errors import CannotWrite, UsageError

PACKAGE = "datapackage.json"
# A temporary name this old, beside the target and owned by us, was left by a killed run.
STALE_SECONDS = 3600


def export_files(directory: Path) -> set[str] | None:
    """The names a lycli datapackage.json in directory lists, itself included; None if there is none."""
    try:
        described = json.loads((directory / PACKAGE).read_text(encoding="utf-8"))
        if not isinstance(described, dict) or "x-lycli" not in described:
            return None
        return {PACKAGE} | {str(r.get("path")) for r in described.get("resources", []) if isinstance(r, dict)}
    except (OSError, ValueError, AttributeError):
        return None


def is_previous_csv_export(directory: Path) -> bool:
    """A directory holding a lycli datapackage.json and nothing but the files it lists."""
    listed = export_files(directory)
    if listed is None:
        return False
    try:
        return all(
            entry.is_file() and not entry.is_symlink() and entry.name in listed
            for entry in directory.iterdir()
        )
    except OSError:
        return False


def destination(path: str, fmt: str, force: bool) -> tuple[Path, bool]:
    """Where to write, and whether it is an empty directory now; refuses a path that exists unless
    --force, and what even --force must not replace. `place` checks all this again at the end."""
    if path in ("", "-"):
        raise UsageError("export writes files: give a path", hint="e.g. lycli export kb.db")
    target = Path(path)
    try:
        there = lstat(target)
        parent = target.parent if str(target.parent) else Path(".")
        parent_ok = parent.is_dir()
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot use {path!r} as the export path: {exc}") from None
    if there is None:
        if not parent_ok:
            raise CannotWrite(f"cannot write {path}: no such directory {parent}", hint="create it first")
        if fmt == "sqlite" and _names_a_directory(path):  # as an existing directory is: exit 2
            raise UsageError(
                f"{path} names a directory (a SQLite export is a file)", hint="drop the trailing /"
            )
        return target, False
    refuse_special(target, there)
    is_dir = stat.S_ISDIR(there.st_mode)
    if fmt == "sqlite" and is_dir:
        raise a_directory(target)
    if fmt == "csv" and not is_dir:
        raise a_file(target)
    if fmt == "csv" and is_dir:
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from None
        if empty:
            return target, True
        if not is_previous_csv_export(target):
            raise not_an_export(target)
    if not force:
        raise exists(target)
    return target, False


def a_file(target: Path) -> UsageError:
    """--force replaces an export by one of its kind: never a file (a SQLite export, say) by a
    directory of CSV files."""
    return UsageError(
        f"{target} is a file (--format csv writes a directory)", hint="give a new or empty directory"
    )


def lstat(target: Path) -> os.stat_result | None:
    """What is at target itself, a symlink not followed; None for nothing (or a path that cannot
    name anything, such as one under a file: the write then fails as it would)."""
    try:
        return os.lstat(target)
    except (OSError, ValueError):
        return None


# What --force never replaces, by what lstat says is at the path: only a regular file (or, for
# --format csv, a previous export's directory) is lycli's to replace. Replacing /dev/null as root
# would break the system; a symlink may be someone's way to a file elsewhere.
_SPECIAL = (
    (stat.S_ISLNK, "a symlink"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def refuse_special(target: Path, there: os.stat_result) -> None:
    """A UsageError unless what is at target is a regular file or a directory; with or without
    --force, which would not help: it is not suggested."""
    if stat.S_ISREG(there.st_mode) or stat.S_ISDIR(there.st_mode):
        return
    what = next((name for test, name in _SPECIAL if test(there.st_mode)), "a special file")
    raise UsageError(f"{target} is {what}, not a file lycli can replace")


def exists(target: Path) -> UsageError:
    return UsageError(f"{target} already exists", hint="add --force to replace it")


def a_directory(target: Path) -> UsageError:
    return UsageError(f"{target} is a directory", hint="--format sqlite writes one file: give a file name")


def not_an_export(target: Path) -> UsageError:
    return UsageError(
        f"{target} is a directory that holds files other than a lycli CSV export",
        hint="choose a new or empty directory; --force replaces only a previous export",
    )


# A file lycli creates: a new name only, never through a symlink. A directory it writes in: no symlink.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = (
    os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)


def umask() -> int:
    """The umask, which a finished export's files get, as files created the ordinary way would; read
    by setting a stricter one for an instant (lycli runs one thread)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def user() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def open_private(directory: Path) -> int:
    """A descriptor of our temporary directory, refused if it is not ours and private any more (another
    user who could write in it could plant symlinks for us to write through)."""
    fd = os.open(directory, _DIRECTORY)
    try:
        st = os.fstat(fd)
        owner = user()
        if not stat.S_ISDIR(st.st_mode) or (owner is not None and st.st_uid != owner) or st.st_mode & 0o077:
            raise PermissionError(errno.EPERM, "the temporary directory is not private", str(directory))
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_all(fd: int, content: bytes) -> None:
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]


@contextlib.contextmanager
def new_file(directory: Path, name: str) -> Iterator[BinaryIO]:
    """Create name in our private temporary directory, to write: never an existing file, never
    through a symlink, private until written, then with the permissions the umask gives."""
    dir_fd = open_private(directory)
    try:
        fd = os.open(name, _NEW_FILE, 0o600, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)
    with open(fd, "wb") as out:
        yield out
        os.fchmod(fd, 0o666 & ~umask())


def temporary(target: Path, directory: bool) -> tuple[Path, int]:
    """A new hidden name beside the target and a descriptor of it, private (0600 or 0700, whatever
    the umask) until the export is complete: under umask 000 another local user could otherwise
    write into it, or plant symlinks in it that a root export would write through."""
    for _ in range(100):
        candidate = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            if directory:
                os.mkdir(candidate, 0o700)
            else:
                fd = os.open(candidate, _NEW_FILE, 0o600)
        except FileExistsError:
            continue
        if directory:
            try:
                fd = open_private(candidate)
                os.fchmod(fd, 0o700)  # a umask such as 0o277 must not lock us out of our own directory
            except OSError:
                with contextlib.suppress(OSError):
                    os.rmdir(candidate)
                raise
        return candidate, fd
    raise FileExistsError(errno.EEXIST, f"no free temporary name beside {target}")


def sweep(target: Path) -> None:
    """Remove what a killed export to the same path left (`.NAME.1a2b3c4d.tmp`, and the journal of an
    older lycli): only ours, and only when older than a running export's could be."""
    owner = user()
    if owner is None:
        return
    leftover = re.compile(re.escape(f".{target.name}.") + r"[0-9a-f]{8}\.tmp(-journal)?")
    cutoff = time.time() - STALE_SECONDS
    try:
        with os.scandir(target.parent if str(target.parent) else ".") as listing:
            found = [Path(e.path) for e in listing if leftover.fullmatch(e.name)]
    except OSError:
        return
    for path in found:
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if st.st_uid == owner and st.st_mtime < cutoff:
            remove(path)


def remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    except OSError:
        pass


# -- placing it without replacing what must not be replaced ----------------------------------

# What a placement that lost a race sees: the path changed under it, so it looks again.
_RACED = {errno.EEXIST, errno.ENOTEMPTY, errno.ENOENT, errno.ENOTDIR, errno.EISDIR}


def rename_noreplace(src: Path, dst: Path) -> None:
    """Move src to dst only if nothing at all is at dst, not even an empty directory or a dangling
    symlink (which plain rename() would replace, or follow); FileExistsError if something is."""
    if stat.S_ISDIR(os.lstat(src).st_mode):
        # Claim the name with a directory of our own: rename() replaces an empty directory, and
        # fails on one that something was put into since.
        os.mkdir(dst, 0o700)
        try:
            os.rename(src, dst)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.rmdir(dst)  # ours, if still empty
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst)) from None
            raise
        return
    try:
        os.link(src, dst)  # fails if anything is at dst
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network and FAT file systems): look, then rename. Only this
        # last fallback leaves a window, of microseconds, for a file to appear and be replaced.
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst)) from None
        os.rename(src, dst)
        return
    os.unlink(src)


def has_entries(directory: Path) -> bool:
    try:
        with os.scandir(directory) as listing:
            return any(True for _ in listing)
    except OSError:
        return True


def aside(target: Path) -> Path:
    """Move what is at target to a new hidden name beside it, to be deleted once the new export stands.
    One rename: what is moved is what was there, not something swapped in meanwhile."""
    for _ in range(100):
        old = target.parent / f".{target.name}.{secrets.token_hex(4)}.old"
        if not os.path.lexists(old):
            os.rename(target, old)
            return old
    raise FileExistsError(errno.EEXIST, f"no free name beside {target}")


def discard(old: Path) -> None:
    """Delete what was moved aside: a file, or a previous export's listed files and then its directory.
    Anything else found in it stays, and with it the directory: only a previous export is deleted."""
    try:
        if not stat.S_ISDIR(os.lstat(old).st_mode):
            old.unlink()
            return
        listed = export_files(old) or set()
        with os.scandir(old) as listing:
            doomed = [Path(e.path) for e in listing if e.name in listed and e.is_file(follow_symlinks=False)]
        for path in doomed:
            path.unlink()
        os.rmdir(old)
    except OSError:
        pass


def place(tmp: Path, target: Path, force: bool, empty: bool) -> None:
    """Move a finished export into place, judging the path afresh: a long export gives others time
    to put something there. Without --force nothing is replaced but the empty directory given as
    the path; with it, a regular file, an empty directory or what is still a previous CSV export,
    which goes only once the new one stands. A symlink, device, FIFO or socket is never replaced.
    (Only a process that may already rename or delete at the path could swap one in between the
    look and the rename of a file, which gains it nothing.)"""
    directory = stat.S_ISDIR(os.lstat(tmp).st_mode)
    moved: list[Path] = []
    raced: OSError | None = None
    try:
        for _ in range(10):
            try:
                there: os.stat_result | None = os.lstat(target)
            except FileNotFoundError:
                there = None
            if there is not None:
                refuse_special(target, there)  # what appeared since the start is judged too
            is_dir = there is not None and stat.S_ISDIR(there.st_mode)
            try:
                if there is None:
                    rename_noreplace(tmp, target)
                elif directory and is_dir and (force or empty) and not has_entries(target):
                    os.rename(tmp, target)  # replaces an empty directory only, in one step
                elif not force:
                    raise exists(target)
                elif not directory:
                    if is_dir:
                        raise a_directory(target)
                    os.replace(tmp, target)  # one step; never over a directory
                else:
                    if not is_dir:
                        raise a_file(target)
                    if not is_previous_csv_export(target):
                        raise not_an_export(target)
                    old = aside(target)
                    moved.append(old)
                    # Judge what was moved, which is what is deleted: something may have been
                    # swapped in, or put into the directory, since the check.
                    moved_aside = os.lstat(old)
                    refuse_special(target, moved_aside)
                    if stat.S_ISDIR(moved_aside.st_mode) and not is_previous_csv_export(old):
                        raise not_an_export(target)
                    continue
            except OSError as exc:
                if exc.errno in _RACED:
                    raced = exc
                    continue  # the path changed under us: look again
                raise
            break
        else:
            if os.path.lexists(target) or raced is None:
                raise exists(target)
            raise raced
    except BaseException:
        # Put back what was there last; if the path is taken now, it stays aside, whole.
        for old in reversed(moved):
            try:
                rename_noreplace(old, target)
                break
            except OSError:
                continue
        raise
    for old in moved:
        discard(old)


# -- interruption ----------------------------------------------------------------------------


def terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def terminable() -> Iterator[None]:
    """SIGTERM ends an export as Ctrl-C does, through the cleanup that removes its temporary files.
    As in the cache build (store._build): only where SIGTERM has its default action, so an embedding
    program's own handler stays, and the previous handler comes back after."""
    previous: Any = None
    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            previous = signal.signal(signal.SIGTERM, terminate)
    except (AttributeError, ValueError):  # no SIGTERM here, or not the main thread
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the export is moved into place: an interruption takes effect once
    the new export stands, never between moving a previous export aside and placing the new one.
    Held by Python-level handlers, not a signal mask, which other threads would not share."""
    held: list[int] = []

    def hold(signum: int, frame: object) -> None:
        held.append(signum)

    saved: dict[int, Any] = {}
    try:
        for number in (signal.SIGINT, signal.SIGTERM):
            if _ours(signal.getsignal(number)):
                saved[number] = signal.signal(number, hold)
    except (AttributeError, ValueError):  # no SIGTERM here, or not the main thread
        pass
    try:
        yield
    finally:
        for restored, handler in saved.items():
            signal.signal(restored, handler)
        if held:
            saved[held[0]](held[0], None)  # what the handler would have done: raise


def _ours(handler: object) -> bool:
    """Python's Ctrl-C handler, or lycli's SIGTERM handler (this module's, or the command line's,
    launch.terminate): each only raises, so it may be held and called later."""
    return (
        handler is signal.default_int_handler
        or handler is terminate
        or getattr(handler, "__module__", None) == "liaoyuan_cli.launch"
    )


def _names_a_directory(path: str) -> bool:
    """A path that ends in a separator (out/, out/.): a directory, which pathlib's Path forgets."""
    return path.endswith(("/", os.sep, "/.")) or (os.altsep is not None and path.endswith(os.altsep))


def ready(path: str, force: bool) -> bool:
    """Whether a table may be saved at path (False: it is the null device, written directly);
    what save would refuse is refused here, so that a run can refuse it before it writes anything."""
    target = Path(path)
    there = lstat(target)
    if there is not None and stat.S_ISCHR(there.st_mode) and there.st_rdev == os.stat(os.devnull).st_rdev:
        return False
    if there is None and _names_a_directory(path):  # pathlib would drop the '/' and write a file
        raise CannotWrite(
            f"cannot write {path}: it names a directory", hint="a file's name does not end in /"
        )
    if there is not None:
        refuse_special(target, there)
        if stat.S_ISDIR(there.st_mode):
            raise CannotWrite(f"cannot write {path}: is a directory")
        if not force:
            raise exists(target)
    return True


def save(path: str, data: bytes, force: bool) -> None:
    """A saved table (--svg, --html) written whole or not at all: into a private temporary file
    beside the target, then put in place in one step. Without --force nothing at the path is
    replaced; with it, only a regular file (never a symlink or what it points at); the null device
    is written directly. A full disk leaves what was there as it was (CannotWrite, exit 4)."""
    target = Path(path)
    if not ready(path, force):
        with open(os.devnull, "wb") as out:
            out.write(data)
        return
    sweep(target)
    try:
        made, fd = temporary(target, directory=False)
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from None
    tmp: Path | None = made
    try:
        try:
            write_all(fd, data)
            os.fchmod(fd, 0o666 & ~umask())
        finally:
            os.close(fd)
        with held():
            place(made, target, force, False)
        tmp = None
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            remove(tmp)
