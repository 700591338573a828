"""Artifact writers: atomic filesystem writer and an in-memory writer (spec §2, §9.2).

A writer is anything with ``write(artifact, context) -> str | None`` (or a plain callable);
the returned string is where the artifact went, shown in results and CI manifests.

:class:`FileSystemWriter` fixes what the game's ``FileSystemTelemetryWriter`` does not do:

* atomic: content goes to a temporary file in the target directory which is then linked
  (no-clobber) or renamed into place — a crash mid-write leaves the old file or nothing;
* never overwrites silently: an existing file is a writer failure unless ``overwrite=True``;
* file names are reduced to one safe component, and the final path is checked to be inside
  the directory, so ``../../x`` or ``CON`` can never escape it;
* ``OSError`` s (permission denied, disk full, read-only file system...) become
  :class:`WriterError` with a readable reason naming the path.
"""
from __future__ import annotations

import ctypes
import errno
import itertools
import os
import sys
from pathlib import Path
from typing import Any

from .artifacts import Artifact
from .naming import safe_filename_component

_tmp_counter = itertools.count()
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


class WriterError(Exception):
    """A writer could not store an artifact; ``reason`` is meant for people."""

    def __init__(self, reason: str, *, path: str | None = None, code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.code = code


def describe_os_error(exc: OSError, path: Path | str) -> WriterError:
    """``OSError`` → ``WriterError("cannot write /x/y.json: permission denied [EACCES]")``."""
    code = errno.errorcode.get(exc.errno or 0)
    reason = _REASONS.get(exc.errno or -1) or exc.strerror or str(exc) or type(exc).__name__
    return WriterError(f"cannot write {path}: {reason}" + (f" [{code}]" if code else ""),
                       path=str(path), code=code)


def with_one_trailing_newline(content: Any) -> str:
    """Text content with exactly one final ``\\n`` (None → ``"\\n"``)."""
    text = "" if content is None else content if isinstance(content, str) else str(content)
    return text.rstrip("\n") + "\n"


class FileSystemWriter:
    """Writes each artifact to ``<directory>/<safe filename>`` atomically, UTF-8, no BOM.

    ``directory`` may be overridden per export with ``context["artifactDir"]`` (as the game
    does). ``durable=True`` also fsyncs file and directory (slower; for power-loss safety).
    The hot path works on plain strings: pathlib and ``realpath`` cost more than the write.
    """

    def __init__(self, directory: str | os.PathLike[str], *, overwrite: bool = False,
                 durable: bool = False, id: str | None = "filesystem") -> None:
        self.directory = Path(directory)
        self.overwrite = overwrite
        self.durable = durable
        self.id = id
        self._resolved: dict[str, str] = {}   # requested dir -> absolute real path
        self._created: set[str] = set()       # directories this writer has made sure exist

    def _directory_for(self, context: dict | None) -> str:
        requested = os.fspath((context or {}).get("artifactDir") or self.directory)
        resolved = self._resolved.get(requested)
        if resolved is None:
            resolved = self._resolved[requested] = os.path.realpath(requested)
        return resolved

    def target_path(self, filename: str, context: dict | None = None) -> Path:
        """Where ``filename`` would be written (sanitised, guaranteed inside the directory)."""
        return Path(self._target(filename, context))

    def _target(self, filename: Any, context: dict | None) -> str:
        if not isinstance(filename, str) or not filename.strip():
            raise WriterError("artifact has no file name")
        directory = self._directory_for(context)
        name = safe_filename_component(filename)
        if name in (".", "..") or os.sep in name or (os.altsep and os.altsep in name):
            raise WriterError(f"refusing to write outside {directory}: {filename!r}")  # belt and braces
        return os.path.join(directory, name)

    def write(self, artifact: Artifact | dict, context: dict | None = None) -> str:
        if isinstance(artifact, Artifact):
            path = self._target(artifact.filename, context)
            data = artifact.data
        else:
            path = self._target(artifact.get("filename"), context)
            data = with_one_trailing_newline(artifact.get("content")).encode("utf-8")
        directory = os.path.dirname(path)
        if directory not in self._created:
            self._ensure_directory(directory)
        try:
            write_atomic(path, data, overwrite=self.overwrite, durable=self.durable)
        except WriterError as exc:
            if exc.code != "ENOENT":
                raise
            # the folder vanished since we created it: make it again, once
            self._created.discard(directory)
            self._ensure_directory(directory)
            write_atomic(path, data, overwrite=self.overwrite, durable=self.durable)
        return path

    def _ensure_directory(self, directory: str) -> None:
        try:
            os.makedirs(directory, exist_ok=True)
        except FileExistsError as exc:
            raise WriterError(f"cannot create {directory}: a file with that name exists",
                              path=directory, code="EEXIST") from exc
        except OSError as exc:
            raise describe_os_error(exc, directory) from exc
        self._created.add(directory)


def write_atomic(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False,
                 durable: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the complete new one.

    The bytes go to ``.<name>.<pid>.<n>.tmp`` in the same directory; then ``os.link`` puts
    it in place only if ``path`` does not exist (``overwrite=False``), or ``os.replace``
    swaps it in (``overwrite=True``). The temporary file is removed on every failure.
    Raises :class:`WriterError`.
    """
    path = os.fspath(path)
    directory, name = os.path.split(path)
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{next(_tmp_counter)}.tmp")
    try:
        fd = os.open(tmp, _TMP_FLAGS, 0o666)
    except OSError as exc:
        raise describe_os_error(exc, path) from exc
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_no_clobber(tmp, path)
        if durable:
            _fsync_directory(directory)
    except FileExistsError as exc:
        _discard(tmp)
        raise WriterError(f"{path} already exists; not overwriting it (choose another prefix or folder)",
                          path=path, code="EEXIST") from exc
    except OSError as exc:
        _discard(tmp)
        raise describe_os_error(exc, path) from exc
    except BaseException:
        _discard(tmp)
        raise


_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


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
    except FileNotFoundError:
        pass
    except OSError:
        pass


class MemoryWriter:
    """Keeps artifacts in memory (``files``: filename → text) — for tests and previews."""

    def __init__(self, *, id: str | None = "memory", overwrite: bool = True) -> None:
        self.id = id
        self.overwrite = overwrite
        self.files: dict[str, str] = {}
        self.contexts: list[dict] = []

    def write(self, artifact: Artifact | dict, context: dict | None = None) -> str:
        filename = artifact.filename if isinstance(artifact, Artifact) else artifact.get("filename")
        content = artifact.content if isinstance(artifact, Artifact) else artifact.get("content")
        if not isinstance(filename, str) or not filename.strip():
            raise WriterError("artifact has no file name")
        name = safe_filename_component(filename)
        if not self.overwrite and name in self.files:
            raise WriterError(f"{name} already exists in memory; not overwriting it", code="EEXIST")
        self.files[name] = with_one_trailing_newline(content)
        self.contexts.append(dict(context or {}))
        return f"memory:{name}"
