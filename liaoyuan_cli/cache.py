"""Where the cache of a knowledge base lives and when it may be read: a private, content-keyed,
atomically placed and sealed SQLite file (docs/errors.md says what it promises).

- The file's name is the hash of exactly the bytes parsed (kb.Reading.digest, which includes
  lycli's version and the cache format). A pointer per data directory maps the stamps of its
  directories and files, taken before listing and reading, to that key, so an unchanged
  knowledge base is answered without reading its TOML.
- The directory is created 0700; a file or directory that another user owns or could write is
  never read (lycli then answers from memory).
- A build writes a temporary file and links it into place, never over another; its seal (the
  placed file's size, times and inode) is written beside it. A file is read only while it is
  exactly as sealed, so anything that wrote to it since (a crash of the disk aside) makes the
  next run build it again, and a read that SQLite finds damaged builds it again once (store.py).
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib

from liaoyuan_cli import __version__
from liaoyuan_cli.files import FORMAT, listing, stamp_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

    from liaoyuan_cli.kb import Reading

ENV_CACHE = "LYCLI_CACHE_DIR"
# Temporary files older than this are left by a killed build, not by one still running.
STALE_SECONDS = 3600
_RELATIVE_STAT = os.stat in os.supports_dir_fd


def cache_dir() -> str | None:
    """$LYCLI_CACHE_DIR, else the platform's user cache directory; None if there is none.

    Written out rather than taken from platformdirs, whose import costs 13 ms a run. With no
    usable home (HOME unset and a uid without a passwd entry, as in containers) there is no
    cache directory, and lycli answers from memory.
    """
    override = os.environ.get(ENV_CACHE)
    if override:
        try:
            return os.path.abspath(override)
        except OSError:  # relative, and the working directory was deleted: no cache, no error
            return None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return os.path.join(base, "lycli", "Cache") if base else None
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        home = ""
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "lycli") if home else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "lycli")
    return os.path.join(home, ".cache", "lycli") if home else None


def _mine(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: nobody else can have planted it."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or (st.st_uid == getuid() and not st.st_mode & 0o022)


def private_dir() -> str | None:
    """The cache directory, created 0700; None where it is missing, foreign or open to others."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        # lstat: a symlink swapped in by whoever can write the parent could lead lycli to write
        # (and sweep) in a directory of the user's choosing; only a real directory of ours serves.
        st = os.lstat(directory)
        return directory if stat.S_ISDIR(st.st_mode) and _mine(st) else None
    except (OSError, ValueError):
        return None


def _trusted(path: str) -> os.stat_result | None:
    """A regular file (no symlink) that is ours: only such a cache file, seal or pointer is read."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return None
    return st if stat.S_ISREG(st.st_mode) and _mine(st) else None


def cache_file(directory: str, key: str) -> str:
    return os.path.join(directory, f"kb-{key}.sqlite")


def _seal_of(path: str) -> str:
    return path.removesuffix(".sqlite") + ".seal"


# -- the pointer: from the files' stamps to the content key, without reading the files ------------

# A pointer is a line `crc` (CRC-32 of all that follows: a pointer cut short is no pointer), a few
# `name value` lines, a blank line, then the stamps (files.stamp_line), directories first. The
# path is hex-encoded and the stamps end in NUL+LF: a name may hold a newline, never a NUL.
_STAMP_END = "\0\n"


def _pointer(directory: str, data_dir: str) -> str:
    tag = zlib.crc32(data_dir.encode("utf-8", "surrogateescape"))
    return os.path.join(directory, f"dir-{tag:08x}.key")


def _hex(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").hex()


def _read_pointer(path: str) -> tuple[dict[str, str], list[str]] | None:
    """A pointer's fields and stamps, if it is ours, readable and whole."""
    if _trusted(path) is None:
        return None
    try:
        with open(path, "rb") as handle:
            first, _, rest = handle.read().partition(b"\n")
        if first != f"crc {zlib.crc32(rest):08x}".encode():
            return None
        head, _, body = rest.decode("utf-8", "surrogateescape").partition("\n\n")
        fields = dict(line.split(" ", 1) for line in head.splitlines())
        return fields, body.split(_STAMP_END)[:-1] if body else []
    except (OSError, ValueError):
        return None


def _write_pointer(path: str, fields: dict[str, str], stamps: list[str]) -> None:
    rest = "".join(f"{name} {value}\n" for name, value in fields.items()) + "\n"
    data = (rest + "".join(line + _STAMP_END for line in stamps)).encode("utf-8", "surrogateescape")
    write_atomically(path, f"crc {zlib.crc32(data):08x}\n".encode() + data)


def _unchanged(data_dir: str, stamps: list[str], listed: str) -> list[str] | None:
    """The stamps as they are now, if every directory and file the pointer stamps is as it
    was; None at the first change. One stat each, relative to the knowledge base's directory
    so no path is walked twice: at 1000x the article, 3,000 stats, the floor of a warm start.

    A directory whose stamp changed is listed again: the same TOML files and subdirectories in
    it (an editor's swap file came and went) are no change, and its new stamp, taken before
    the listing, is returned in place of the old one."""
    fd = os.open(data_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if _RELATIVE_STAT else None
    prefix = os.path.join(data_dir, "")
    directories: object = None
    now = stamps
    try:
        for index, line in enumerate(stamps):
            name = line.partition("\0")[0]
            renewed = stamp_line(name, os.stat(name, dir_fd=fd) if fd is not None else os.stat(prefix + name))
            if renewed == line:
                continue
            if directories is None:
                directories = json.loads(listed)
            if not isinstance(directories, dict) or list(listing(prefix + name)) != directories.get(name):
                return None
            if now is stamps:
                now = list(stamps)
            now[index] = renewed
        return now
    finally:
        if fd is not None:
            os.close(fd)


def known_key(directory: str, data_dir: str, fresh: bool = True) -> str | None:
    """The content key the pointer remembers, if every file it stamps is as it was (or, with
    fresh=False, whatever the files are now: the key of the cache an edit made stale)."""
    pointer = _pointer(directory, data_dir)
    read = _read_pointer(pointer)
    if read is None:
        return None
    fields, stamps = read
    try:
        if fields.get("path") != _hex(data_dir) or fields.get("format") != f"{FORMAT}:{__version__}":
            return None
        if fresh:
            now = _unchanged(data_dir, stamps, fields.get("dirs", "{}")) if stamps else None
            if now is None:
                return None
            if now is not stamps:  # a directory changed, its TOML files did not: list it once
                _write_pointer(pointer, fields, now)
        return fields["key"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(directory: str, data_dir: str, reading: Reading) -> None:
    """Write the pointer: each directory's stamp taken before it was listed, each file's taken
    before it was read, and the key of their bytes. A file added or written during the read
    changes a stamp after it was taken, so the next run sees the difference and reads again."""
    stamps = [*(stamp for stamp, _, _ in reading.directories.values()), *reading.stamps]
    # Each directory's listing, read only when its stamp changed: one line of ASCII JSON.
    listed = {name: [files, subdirs] for name, (_, files, subdirs) in reading.directories.items()}
    fields = {
        "path": _hex(data_dir),
        "format": f"{FORMAT}:{__version__}",
        "key": reading.digest,
        "dirs": json.dumps(listed, separators=(",", ":")),
    }
    _write_pointer(_pointer(directory, data_dir), fields, stamps)


def write_atomically(path: str, data: bytes) -> None:
    """Write a private temporary file and rename it over path; give up silently where unwritable."""
    import tempfile

    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(path))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:  # also when interrupted (Ctrl-C, SIGTERM): no temporary file is left behind
        if tmp is not None:
            _unlink(tmp)


def _unlink(path: str) -> None:
    try:  # noqa: SIM105 - contextlib is not imported on the warm path
        os.unlink(path)
    except OSError:
        pass


# -- the seal: a file is read only as it was placed ------------------------------------------------


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def seal(path: str) -> None:
    """Remember the placed file's stamp: any write to it since changes its ctime (which no
    program sets back) and voids the seal."""
    found = _trusted(path)
    if found is not None:
        write_atomically(_seal_of(path), _stamp(found).encode())


def sealed(path: str) -> bool:
    """Whether the file is exactly as it was when lycli placed and sealed it."""
    found = _trusted(path)
    if found is None or _trusted(_seal_of(path)) is None:
        return False
    try:
        with open(_seal_of(path), "rb") as handle:
            return handle.read().decode() == _stamp(found)
    except (OSError, ValueError):
        return False


def discard(path: str) -> None:
    """Remove a cache file and its seal."""
    _unlink(path)
    _unlink(_seal_of(path))


def uri(path: str) -> str:
    """A path as an SQLite URI, every byte that a URI could read as syntax escaped: '?', '#' and
    '%' in a cache directory are part of its name, not a query, fragment or escape. An absolute
    path gets an empty authority (file:///…), so that one starting '//' is no host name."""
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~"
    raw = os.fsencode(path)
    return ("file://" if raw.startswith(b"/") else "file:") + "".join(
        chr(b) if b in safe else f"%{b:02X}" for b in raw
    )


def connect(path: str) -> sqlite3.Connection | None:
    """A read-only connection to a sealed cache file, if the file it opened is the sealed one
    (a rename between the check and the open voids it)."""
    import sqlite3

    if not sealed(path):
        return None
    try:
        conn = sqlite3.connect(uri(path) + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    if not sealed(path):  # what was opened may be what a rename put in place meanwhile
        conn.close()
        return None
    return conn


def place(tmp: str, path: str) -> bool:
    """Put a finished build in place and seal it; False where another run placed the same key
    first and sealed it (this run then reads its own build and removes it). A file there that
    is not as sealed (written since, or left unsealed) is replaced."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        if sealed(path):
            return False
        os.replace(tmp, path)
    except OSError:  # a file system without hard links
        if sealed(path):
            return False
        os.replace(tmp, path)
    else:
        _unlink(tmp)
    seal(path)
    return True


def keys_in_use(directory: str) -> set[str]:
    """The content keys that pointers of existing knowledge bases name."""
    keys: set[str] = set()
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("dir-") and entry.name.endswith(".key"):
                    read = _read_pointer(entry.path)
                    if read and "key" in read[0]:
                        keys.add(read[0]["key"])
    except OSError:
        pass
    return keys


def sweep(directory: str) -> None:
    """Remove what a killed build left, pointers of knowledge bases that are gone, caches no
    pointer names (all old enough not to be a running build's), and seals of gone caches."""
    import time

    now = time.time()
    try:
        with os.scandir(directory) as entries:
            listing_ = [e for e in entries if e.is_file(follow_symlinks=False)]
    except OSError:
        return

    def old(entry: os.DirEntry[str]) -> bool:
        try:
            return now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
        except OSError:
            return False

    for entry in listing_:
        if entry.name.startswith((".kb-", ".tmp-")) and old(entry):
            _unlink(entry.path)
        elif entry.name.startswith("dir-") and entry.name.endswith(".key"):
            read = _read_pointer(entry.path)
            where = bytes.fromhex(read[0].get("path", "")).decode("utf-8", "surrogateescape") if read else ""
            if read is not None and not os.path.isdir(where):
                _unlink(entry.path)  # its knowledge base was moved or deleted
    used = keys_in_use(directory)
    for entry in listing_:
        if entry.name.startswith("kb-") and entry.name.endswith(".sqlite"):
            if entry.name[3:-7] not in used and old(entry):
                discard(entry.path)
        elif (
            entry.name.startswith("kb-")
            and entry.name.endswith(".seal")
            and not os.path.exists(entry.path.removesuffix(".seal") + ".sqlite")
        ):
            _unlink(entry.path)  # seals a cache file that is gone
