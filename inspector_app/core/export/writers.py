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

import errno
import itertools
import os
import threading
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
    """

    def __init__(self, directory: str | os.PathLike[str], *, overwrite: bool = False,
                 durable: bool = False, id: str | None = "filesystem") -> None:
        self.directory = Path(directory)
        self.overwrite = overwrite
        self.durable = durable
        self.id = id
        self._created: set[Path] = set()
        self._lock = threading.Lock()

    def target_path(self, filename: str, context: dict | None = None) -> Path:
        """Where ``filename`` would be written (sanitised, guaranteed inside the directory)."""
        if not isinstance(filename, str) or not filename.strip():
            raise WriterError("artifact has no file name")
        directory = Path((context or {}).get("artifactDir") or self.directory).resolve()
        path = directory / safe_filename_component(filename)
        if path.parent != directory:  # cannot happen after sanitising; belt and braces
            raise WriterError(f"refusing to write outside {directory}: {filename!r}")
        return path

    def write(self, artifact: Artifact | dict, context: dict | None = None) -> str:
        filename = artifact.filename if isinstance(artifact, Artifact) else artifact.get("filename")
        content = artifact.content if isinstance(artifact, Artifact) else artifact.get("content")
        path = self.target_path(filename, context)
        data = with_one_trailing_newline(content).encode("utf-8")
        self._ensure_directory(path.parent)
        write_atomic(path, data, overwrite=self.overwrite, durable=self.durable)
        return str(path)

    def _ensure_directory(self, directory: Path) -> None:
        if directory in self._created and directory.is_dir():
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:
            raise WriterError(f"cannot create {directory}: a file with that name exists",
                              path=str(directory), code="EEXIST") from exc
        except OSError as exc:
            raise describe_os_error(exc, directory) from exc
        with self._lock:
            self._created.add(directory)


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False, durable: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the complete new one.

    The bytes go to ``.<name>.<pid>.<n>.tmp`` in the same directory; then ``os.link`` puts
    it in place only if ``path`` does not exist (``overwrite=False``), or ``os.replace``
    swaps it in (``overwrite=True``). The temporary file is removed on every failure.
    Raises :class:`WriterError`.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_tmp_counter)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
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
            _fsync_directory(path.parent)
    except FileExistsError as exc:
        _discard(tmp)
        raise WriterError(f"{path} already exists; not overwriting it (choose another prefix or folder)",
                          path=str(path), code="EEXIST") from exc
    except OSError as exc:
        _discard(tmp)
        raise describe_os_error(exc, path) from exc
    except BaseException:
        _discard(tmp)
        raise


def _link_no_clobber(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` atomically, failing with ``FileExistsError`` if it exists."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # No hard links on this file system: check then rename (a small race window).
        if path.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from exc
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _fsync_directory(directory: Path) -> None:
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


def _discard(tmp: Path) -> None:
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
