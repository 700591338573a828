"""The one home for writing files: atomic, no silent overwrite, our own stale temporaries cleaned.

Every output of the application (export artifacts, CI manifests, transcript ranges, chart and
table exports, the demo resources) goes through :func:`write_atomic` or :func:`atomic_path`:

* the bytes go to a hidden temporary ``.<name>.<pid>.<n>.tmp`` in the target's directory, then
  are moved into place atomically — readers see the old file or the complete new one, never a
  half-written one;
* without ``overwrite=True`` the move is **no-clobber** (``renameat2(RENAME_NOREPLACE)``, else
  ``link`` + ``unlink``): a file that appears in between is never replaced (no check-then-rename
  race, except on file systems without hard links, where it is the last resort);
* ``unchanged_ok=True`` turns "exists with exactly these bytes" into a success (``"unchanged"``);
* every ``OSError`` becomes :class:`FileOutputError` (an ``OSError``) whose ``reason`` names the
  path and says what went wrong in words (``"disk full"``, ``"permission denied"`` ...); an
  existing target raises :class:`OutputExistsError` (also a ``FileExistsError``);
* a process killed mid-write (SIGKILL, power loss) can leave its temporary behind;
  :func:`cleanup_stale_temps` removes **only temporaries of this naming** whose process is gone
  (or that are older than a bound), on the next run.

No Qt here; callers that render through Qt render to bytes (or into :func:`atomic_path`).
"""
from __future__ import annotations

import ctypes
import errno
import itertools
import os
import re
import stat
import sys
import time
from contextlib import contextmanager
from typing import Iterator

__all__ = [
    "FileOutputError", "OutputExistsError", "STALE_TEMP_MAX_AGE_S", "atomic_path", "cleanup_stale_temps",
    "describe_os_error", "is_own_temp", "same_file", "temp_path_for", "write_atomic",
]

#: a temporary older than this is stale even if a process with its pid is alive (pid reuse)
STALE_TEMP_MAX_AGE_S = 24 * 3600.0

_tmp_counter = itertools.count()
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d{1,10})\.(?P<n>\d{1,20})\.tmp$", re.DOTALL)
_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOSPC: "no space left on device (disk full)",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EEXIST: "file already exists",
    errno.ENOENT: "directory does not exist",
    errno.ENOTDIR: "a path component is not a directory",
    errno.EISDIR: "is a directory",
    errno.ENAMETOOLONG: "file name too long",
    errno.EIO: "input/output error",
}


class FileOutputError(OSError):
    """A file could not be written; ``reason`` is meant for people and names the path.

    ``code`` is the errno name (``"EEXIST"``, ``"ENOSPC"`` ...) or None."""

    def __init__(self, reason: str, *, path: str | None = None, code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.code = code
        self.errno = getattr(errno, code, None) if code else None
        self.filename = path

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self):
        return (_rebuild_error, (type(self), self.reason, self.path, self.code))


class OutputExistsError(FileOutputError, FileExistsError):
    """The target exists and ``overwrite`` was not given (``code == "EEXIST"``)."""


def _rebuild_error(cls, reason, path, code):
    return cls(reason, path=path, code=code)


def _display(path: str | os.PathLike[str]) -> str:
    """A path as text that can always be printed (undecodable bytes shown as ``\\udcXX`` escapes)."""
    text = os.fsdecode(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def describe_os_error(exc: OSError, path: str | os.PathLike[str]) -> FileOutputError:
    """``OSError`` → ``FileOutputError("cannot write /x/y.json: permission denied [EACCES]")``."""
    if isinstance(exc, FileOutputError):
        return exc
    code = errno.errorcode.get(exc.errno or 0)
    reason = _REASONS.get(exc.errno or -1) or exc.strerror or str(exc) or type(exc).__name__
    cls = OutputExistsError if exc.errno == errno.EEXIST else FileOutputError
    return cls(f"cannot write {_display(path)}: {reason}" + (f" [{code}]" if code else ""),
               path=os.fsdecode(path), code=code)


def temp_path_for(path: str | os.PathLike[str]) -> str:
    """A fresh temporary name beside ``path``: ``<dir>/.<name>.<pid>.<n>.tmp``.

    A long ``<name>`` is cut so the temporary stays within the usual 255-byte limit (its name is
    never shown to anyone)."""
    directory, name = os.path.split(os.fsdecode(path))
    tail = f".{os.getpid()}.{next(_tmp_counter)}.tmp"
    raw = os.fsencode(name)
    room = 255 - 1 - len(tail)
    if len(raw) > room:
        name = os.fsdecode(raw[:room])
    return os.path.join(directory, f".{name}{tail}")


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True if ``a`` and ``b`` are the same file (``samefile`` when both exist, else realpath)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def write_atomic(path: str | os.PathLike[str], data: bytes | bytearray | memoryview | str, *,
                 overwrite: bool = False, durable: bool = False, unchanged_ok: bool = False) -> str:
    """Write ``data`` (``str`` is encoded as UTF-8) to ``path`` atomically.

    Returns ``"written"`` (new file), ``"replaced"`` (``overwrite=True`` and a file was there) or
    ``"unchanged"`` (``unchanged_ok=True`` and the file already holds exactly these bytes; it is
    left untouched). Raises :class:`OutputExistsError` if ``path`` exists and neither applies,
    :class:`FileOutputError` for every other failure; the temporary is removed on every failure
    (also ``KeyboardInterrupt``). ``durable=True`` fsyncs the file and the directory."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = os.fsdecode(path)
    if unchanged_ok and _holds(path, data):
        return "unchanged"
    tmp = temp_path_for(path)
    try:
        try:
            fd = os.open(tmp, _TMP_FLAGS, 0o666)
        except OSError as exc:
            raise describe_os_error(exc, path) from exc
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
        except OSError as exc:
            raise describe_os_error(exc, path) from exc
        finally:
            os.close(fd)
        return _commit(tmp, path, overwrite=overwrite, durable=durable, unchanged=data if unchanged_ok else None)
    finally:
        _discard(tmp)


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, overwrite: bool = False, durable: bool = False) -> Iterator[str]:
    """Yield a temporary path beside ``path``; when the block ends normally, move what was
    written there into place (no-clobber unless ``overwrite``). The temporary is removed if the
    block raises or the move fails. For encoders that insist on a file name — tell them the
    format explicitly: the temporary ends in ``.tmp``. Prefer :func:`write_atomic` with bytes."""
    path = os.fsdecode(path)
    tmp = temp_path_for(path)
    try:
        yield tmp
        if not os.path.lexists(tmp):
            raise FileOutputError(f"cannot write {_display(path)}: nothing was produced", path=path)
        _commit(tmp, path, overwrite=overwrite, durable=durable, unchanged=None)
    finally:
        _discard(tmp)


def _commit(tmp: str, path: str, *, overwrite: bool, durable: bool, unchanged: bytes | bytearray | memoryview | None) -> str:
    try:
        if overwrite:
            existed = os.path.lexists(path)
            os.replace(tmp, path)
        else:
            existed = False
            _link_no_clobber(tmp, path)
        if durable:
            _fsync_directory(os.path.dirname(path) or ".")
    except FileExistsError as exc:
        if unchanged is not None and _holds(path, unchanged):
            return "unchanged"
        raise OutputExistsError(
            f"{_display(path)} already exists; not overwriting it (choose another name or folder)",
            path=path, code="EEXIST") from exc
    except OSError as exc:
        raise describe_os_error(exc, path) from exc
    return "replaced" if existed else "written"


def _holds(path: str, data: bytes | bytearray | memoryview) -> bool:
    """True if ``path`` is a regular file whose bytes are exactly ``data`` (compared in chunks)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        view = memoryview(data)
        with open(path, "rb") as fh:
            offset = 0
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    return offset == len(data)
                if view[offset:offset + len(chunk)] != chunk:
                    return False
                offset += len(chunk)
    except OSError:
        return False


def is_own_temp(name: str | bytes) -> bool:
    """True for names of this module's temporaries (``.<name>.<pid>.<n>.tmp``)."""
    return _TEMP_RE.match(os.fsdecode(name)) is not None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True          # no cheap, safe check here (os.kill would terminate): rely on age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True          # exists, belongs to someone else
    except OSError:
        return True
    return True


def cleanup_stale_temps(directory: str | os.PathLike[str], *, max_age_s: float = STALE_TEMP_MAX_AGE_S,
                        now: float | None = None) -> list[str]:
    """Remove this module's stale temporaries from ``directory`` (not recursive); return their paths.

    A temporary is stale when the process whose pid is in its name is no longer alive, or when
    it is older than ``max_age_s`` (a pid can be reused). Only regular files named exactly
    ``.<name>.<pid>.<n>.tmp`` are candidates; this process's own are never touched. A missing or
    unreadable directory is not an error (nothing is removed)."""
    removed: list[str] = []
    now = time.time() if now is None else now
    own = os.getpid()
    try:
        entries = os.scandir(directory)
    except OSError:
        return removed
    with entries:
        for entry in entries:
            match = _TEMP_RE.match(os.fsdecode(entry.name))
            if match is None:
                continue
            pid = int(match["pid"])
            if pid == own:
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if _pid_alive(pid) and now - st.st_mtime < max_age_s:
                continue
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(os.fsdecode(entry.path))
    return removed


def _load_renameat2():
    """glibc's ``renameat2`` (Linux ≥ 3.15): one atomic no-clobber rename syscall."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_renameat2 = _load_renameat2()
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def _link_no_clobber(tmp: str, path: str) -> None:
    """Move ``tmp`` to ``path`` atomically, failing with ``FileExistsError`` if it exists.

    ``renameat2(RENAME_NOREPLACE)`` where the kernel and file system support it, else
    ``link`` + ``unlink`` (also atomic and no-clobber), else — on file systems without hard
    links — check-then-rename (a small race window)."""
    global _renameat2
    if _renameat2 is not None:
        if _renameat2(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(path), _RENAME_NOREPLACE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err), path)
        if err == errno.ENOSYS:
            _renameat2 = None  # the kernel does not have it: stop trying
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from exc
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
