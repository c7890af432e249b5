"""The files of a knowledge base: which are read, how safely, and how a change is seen.

Stdlib only and light: the cache's warm check stats these files on every run.
"""

from __future__ import annotations

import os
import stat

from liaoyuan_cli.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

# Bump when what is read, how it is checked, or what the cache derives from it changes: the
# cache's key includes it, so an old cache is never read by a new lycli.
FORMAT = 31
# A knowledge-base file or source text larger than this is refused, not read into memory.
MAX_FILE = 32 * 1024 * 1024
# How deep TOML files are looked for (articles/<id>/records/<area>.toml is three levels down):
# a --data that points at a home directory must not make lycli walk the disk.
MAX_DEPTH = 6


# A directory as listed: its stamp (`stamp_line`), its TOML files and its subdirectories.
Listing = tuple[str, list[str], list[str]]


def walk(data_dir: str | Path) -> tuple[list[str], dict[str, Listing]]:
    """Every TOML file of a knowledge base, relative and '/'-separated: a directory's own files
    first, then its subdirectories, each sorted (definitions before the articles that use
    them); and each directory's listing by its relative name (the top one is ".").

    Symlinked directories are not followed, so a link loop or a link elsewhere cannot make a
    run walk the disk; a directory that cannot be listed is reported by `Reading`. Each stamp
    is taken before its listing, so an entry added during it (or during the read that
    follows) shows as a new stamp next time."""
    found: list[str] = []
    listings: dict[str, Listing] = {}

    def visit(directory: str, prefix: str) -> None:
        if prefix.count("/") > MAX_DEPTH:
            return
        try:
            name = prefix[:-1] or "."
            stamp = stamp_line(name, os.stat(directory))
            files, subdirs = listing(directory)
        except OSError:
            found.append(prefix + "\0unlistable")
            return
        listings[name] = (stamp, files, subdirs)
        found.extend(prefix + file for file in files)
        for sub in subdirs:
            visit(os.path.join(directory, sub), prefix + sub + "/")

    visit(str(data_dir), "")
    return found, listings


def listing(directory: str) -> tuple[list[str], list[str]]:
    """A directory's TOML files and subdirectories, each sorted; OSError if it cannot be listed.
    A changed directory whose listing is still this (an editor's swap file came and went) does
    not make the cache's warm check read the knowledge base again."""
    with os.scandir(directory) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    files: list[str] = []
    subdirs: list[str] = []
    for entry in ordered:
        try:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.name)
            elif entry.name.endswith(".toml") and not entry.name.startswith("."):
                files.append(entry.name)
        except OSError:
            files.append(entry.name)
    return files, subdirs


class NotReadable(Exception):
    """A file that lycli will not read: its reason is a short phrase for a problem report."""


def read_regular(path: str | Path, within: str | Path | None = None) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes, at most MAX_FILE of them, and its status as read.

    Opened without blocking and checked on the open descriptor, so a FIFO, a device such as
    /dev/zero behind a symlink, or a file swapped in between cannot hang or exhaust lycli.
    With `within`, a symlink may not lead out of that directory: a knowledge base someone
    sends cannot make lycli read (and an export carry) a file of the reader's, such as
    /etc/shadow. The resolved path is opened without following a final symlink, so a link
    swapped in after the check is refused.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        if within is not None:
            real = os.path.realpath(path)
            root = os.path.realpath(within)
            if os.path.commonpath([real, root]) != root:
                raise NotReadable("a symlink that leads outside the knowledge base")
            path, flags = real, flags | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotReadable("not a regular file")
        if st.st_size > MAX_FILE:
            raise NotReadable(f"larger than {MAX_FILE // (1024 * 1024)} MiB")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE:
            raise NotReadable(f"larger than {MAX_FILE // (1024 * 1024)} MiB")
        return b"".join(chunks), st
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def stamp_line(name: str, st: os.stat_result) -> str:
    """A file's stamp as the cache's pointer writes it: its name, size, mtime, ctime, inode."""
    return f"{name}\0{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


ENV_DATA = "LYCLI_DATA"


def bundled_data_dir() -> str:
    """The knowledge base shipped with lycli: inside the wheel, or the checkout's `data/`.

    A wheel carries `data/` as `liaoyuan_cli/data` (hatch force-include); an editable install
    does not, so there the top-level `data/` beside the package is the one source of truth.
    """
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "data")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(here), "data")


def resolve_data_dir(option: str | None) -> str:
    """`--data DIR`, else $LYCLI_DATA, else the bundled knowledge base: a path as given (its
    bytes kept), checked to be a directory of TOML files lycli may read."""
    if option == "":
        raise UsageError("--data is empty", hint="give a directory laid out like data/")
    chosen = option if option is not None else os.environ.get(ENV_DATA) or None
    if chosen is None:
        return bundled_data_dir()
    named = os.fsencode(chosen).decode("utf-8", "replace")
    shown = named if len(named) <= 80 else named[:77] + "..."
    try:
        path = os.path.expanduser(chosen)
        if not os.path.exists(path):
            raise UsageError(
                f"knowledge base not found: {shown}", hint="--data and LYCLI_DATA take a directory"
            )
        if not os.path.isdir(path):
            raise UsageError(
                f"not a directory: {shown}", hint="--data and LYCLI_DATA take a directory laid out like data/"
            )
        # Listed as the reading lists it: a directory that cannot be listed (mode 000) says
        # so (OSError, below), never that it holds no .toml files.
        toml, _ = listing(path)
        if not toml:
            raise UsageError(
                f"not a knowledge base: {shown}", hint="it has no .toml files; see docs/data-model.md"
            )
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot use knowledge base {shown}: {reason}") from None
    return path
