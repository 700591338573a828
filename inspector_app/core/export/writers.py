"""Artifact writers: atomic filesystem writer and an in-memory writer (spec §2, §9.2).

A writer is anything with ``write(artifact, context) -> str | None`` (or a plain callable);
the returned string is where the artifact went, shown in results and CI manifests.

:class:`FileSystemWriter` fixes what the game's ``FileSystemTelemetryWriter`` does not do:

* atomic, through the application's one writer :func:`inspector_app.core.common.fileio.write_atomic`
  (temporary file in the target directory, then a no-clobber move or a replace) — a crash
  mid-write leaves the old file or nothing;
* never overwrites silently: an existing file is a writer failure unless ``overwrite=True``;
* file names are reduced to one safe component, and the final path is checked to be inside
  the directory, so ``../../x`` or ``CON`` can never escape it;
* ``OSError`` s (permission denied, disk full, read-only file system...) become
  :class:`WriterError` with a readable reason naming the path.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from ..common.fileio import FileOutputError, describe_os_error, same_file, write_atomic
from .artifacts import Artifact
from .naming import safe_filename_component

#: the export's name for a failed write: the one file-output error of :mod:`core.common.fileio`
WriterError = FileOutputError

__all__ = ["FileSystemWriter", "MemoryWriter", "WriterError", "WrittenPath", "with_one_trailing_newline"]


class WrittenPath(str):
    """The path a writer returns, with what happened: ``outcome`` is ``"written"``,
    ``"replaced"`` or ``"unchanged"`` (the file already held exactly these bytes)."""

    outcome: str

    def __new__(cls, path: str, outcome: str = "written") -> "WrittenPath":
        obj = super().__new__(cls, path)
        obj.outcome = outcome
        return obj


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
                 durable: bool = False, id: str | None = "filesystem", unchanged_ok: bool = False,
                 protected: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.directory = Path(directory)
        self.overwrite = overwrite
        self.durable = durable
        self.unchanged_ok = unchanged_ok
        self.protected = [os.fspath(p) for p in protected]   # never written, even with overwrite (inputs)
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
        for protected in self.protected:
            if same_file(path, protected):
                raise WriterError(f"refusing to write {path}: it is an input of this export", path=path,
                                  code="EEXIST")
        directory = os.path.dirname(path)
        if directory not in self._created:
            self._ensure_directory(directory)
        options = {"overwrite": self.overwrite, "durable": self.durable, "unchanged_ok": self.unchanged_ok}
        try:
            outcome = write_atomic(path, data, **options)
        except WriterError as exc:
            if exc.code != "ENOENT":
                raise
            # the folder vanished since we created it: make it again, once
            self._created.discard(directory)
            self._ensure_directory(directory)
            outcome = write_atomic(path, data, **options)
        return WrittenPath(path, outcome)

    def _ensure_directory(self, directory: str) -> None:
        try:
            os.makedirs(directory, exist_ok=True)
        except FileExistsError as exc:
            raise WriterError(f"cannot create {directory}: a file with that name exists",
                              path=directory, code="EEXIST") from exc
        except OSError as exc:
            raise describe_os_error(exc, directory) from exc
        self._created.add(directory)


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
