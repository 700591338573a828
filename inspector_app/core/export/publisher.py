"""CI artifact publisher: ``ci-artifacts.json`` manifest + upload commands (spec §3.1, §4.3).

Fixes to the game's ``CiArtifactPublisher`` (docs/export-deviations.md):

* commands are argv lists (``["gh", "artifact", "upload", ...]``) or
  ``{"command", "args", "env", "cwd", "timeout"}`` objects, run without a shell; a JSON argv
  list is never flattened into one command per element and a string is never looked up as
  one executable name;
* every command has a (finite) timeout; a command runs in its own process group, and on timeout
  the whole group is killed and the result recorded; only a bounded tail of its output is kept;
* ``{dir}`` / ``{manifest}`` in a command's arguments become the artifact folder / manifest path;
* the manifest is never written over an input of the export, and over an existing file only
  when that file is a CI manifest or ``overwrite`` was given;
* every command result — success, non-zero exit, command not found, timeout — is recorded
  in the manifest (``commandResults``), not only fallback results;
* the manifest lists each artifact's size and sha256;
* dry run by default outside CI, where ``CI`` counts as set unless empty/``0``/``false``/``no``.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from inspector_app.core.common.jsfmt import iso_from_ms

import orjson

from . import events as ev
from .csvfmt import json_pretty
from .events import EventBus
from ..common.fileio import describe_os_error, same_file, write_atomic
from .writers import WriterError

log = logging.getLogger(__name__)

MANIFEST_NAME = "ci-artifacts.json"
DEFAULT_TIMEOUT_S = 300.0
OUTPUT_LIMIT = 2000  # characters of stdout/stderr kept per command (the last ones), like the game's 2000
TAIL_BYTES = 4 * OUTPUT_LIMIT + 4  # bytes kept while reading (UTF-8: at most 4 bytes per character)
# After a command ended (or its timeout killed it) with its output still open, its group is killed and
# both readers get this long, together, to reach end of file; then the record says what it has.
HELD_OPEN_GRACE_S = 5.0


class CommandSpecError(ValueError):
    """A publish command that is not an argv list or a command object."""


@dataclass(frozen=True)
class PublishCommand:
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    timeout_s: float | None = None

    @property
    def command(self) -> str:
        return self.argv[0]

    @property
    def args(self) -> list[str]:
        return list(self.argv[1:])


def parse_command(spec: Any, index: int = 0) -> PublishCommand:
    """An argv list (``["gh", "artifact", "upload"]``) or an object
    ``{"command": "gh", "args": [...], "env": {...}, "cwd": "...", "timeout": 60}`` → command.
    Strings are refused: splitting them would need a shell's quoting rules."""
    where = f"publish command #{index + 1}"
    if isinstance(spec, (list, tuple)):
        if not spec or not all(isinstance(a, str) for a in spec) or not spec[0]:
            raise CommandSpecError(f"{where}: an argv list must be a non-empty list of strings")
        return PublishCommand(tuple(spec))
    if isinstance(spec, dict):
        command, args = spec.get("command"), spec.get("args", [])
        if not isinstance(command, str) or not command:
            raise CommandSpecError(f"{where}: 'command' must be a non-empty string")
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise CommandSpecError(f"{where}: 'args' must be a list of strings")
        env = spec.get("env") or {}
        if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            raise CommandSpecError(f"{where}: 'env' must map strings to strings")
        cwd = spec.get("cwd")
        if cwd is not None and not isinstance(cwd, str):
            raise CommandSpecError(f"{where}: 'cwd' must be a string")
        timeout = spec.get("timeout")
        if timeout is not None and not valid_timeout(timeout):
            raise CommandSpecError(f"{where}: 'timeout' must be a finite positive number of seconds")
        return PublishCommand((command, *args), dict(env), cwd, float(timeout) if timeout else None)
    raise CommandSpecError(f"{where}: expected a JSON argv list or a command object, got {type(spec).__name__}")


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The content of ``path`` if it is a small JSON file in the shape of ``ci-artifacts.json``."""
    try:
        if os.path.getsize(path) > 64 * 1024 * 1024:
            return None
        with open(path, "rb") as fh:
            doc = orjson.loads(fh.read())
    except (OSError, orjson.JSONDecodeError):
        return None
    return doc if isinstance(doc, dict) and {"artifacts", "context", "commandResults"} <= doc.keys() else None


def looks_like_manifest(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a small JSON file in the shape of ``ci-artifacts.json``."""
    return read_manifest(path) is not None


def manifest_refusal(path: str | os.PathLike[str], *, overwrite: bool = False,
                     protected: Iterable[str | os.PathLike[str]] = ()) -> str | None:
    """Why the CI manifest must not be written at ``path`` (None when it may be).

    Never over an input of the export (even with ``overwrite``); over an existing file only
    with ``overwrite`` or when that file is itself a CI manifest (the fixed name CI reads)."""
    for p in protected:
        if same_file(path, p):
            return f"refusing to write the CI manifest over {os.fsdecode(path)}: it is an input of this export"
    if os.path.lexists(path):
        if os.path.isdir(path):
            return f"{os.fsdecode(path)} is a directory; give --metadata a file path"
        if not overwrite and not looks_like_manifest(path):
            return (f"{os.fsdecode(path)} already exists and is not a CI manifest; not overwriting it "
                    f"(choose another --metadata path, or pass --overwrite)")
    return None


def is_ci(env: Mapping[str, str]) -> bool:
    """True when ``CI`` is set to something other than empty / 0 / false / no."""
    return str(env.get("CI", "")).strip().lower() not in ("", "0", "false", "no", "off")


def file_fingerprint(path: Path) -> tuple[int | None, str | None]:
    """(size, sha256 hex) of a file, or (None, None) if it cannot be read."""
    try:
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()
    except OSError:
        return None, None


def _tail_text(data: bytes, truncated: bool) -> str:
    text = data.decode("utf-8", errors="replace")
    if len(text) > OUTPUT_LIMIT:
        text, truncated = text[-OUTPUT_LIMIT:], True
    return ("…" + text) if truncated else text


class _TailReader(threading.Thread):
    """Drains one pipe, keeping only the last ``TAIL_BYTES`` (a chatty command cannot fill memory)."""

    def __init__(self, pipe) -> None:
        super().__init__(daemon=True, name="publish-output")
        self.pipe = pipe
        self.tail = bytearray()
        self.truncated = False

    def run(self) -> None:
        try:
            while True:
                chunk = self.pipe.read1(65536) if hasattr(self.pipe, "read1") else self.pipe.read(65536)
                if not chunk:
                    break
                self.tail += chunk
                if len(self.tail) > TAIL_BYTES:
                    del self.tail[:len(self.tail) - TAIL_BYTES]
                    self.truncated = True
        except (OSError, ValueError):
            pass
        finally:
            try:
                self.pipe.close()       # the reader owns its pipe: closed at EOF, never while blocked
            except OSError:
                pass

    def text(self) -> str:
        return _tail_text(bytes(self.tail), self.truncated)


def valid_timeout(value: Any) -> bool:
    """A finite, positive number of seconds (not a bool, NaN or infinity)."""
    return (not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
            and value > 0)


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the command and everything it started (its own session / process group)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


Runner = Callable[[PublishCommand, Mapping[str, str], float], dict]


def run_command(cmd: PublishCommand, env: Mapping[str, str], timeout_s: float) -> dict:
    """Run one command without a shell; always returns a result record, never raises.

    The command starts in its own session (process group): on timeout the whole group is
    killed, so helpers it started cannot finish an upload after the manifest says "timeout".
    Its output is drained while it runs and only the last ``OUTPUT_LIMIT`` characters of each
    stream are kept."""
    started = time.perf_counter()
    base = {"command": cmd.command, "args": cmd.args}

    def elapsed() -> float:
        return round((time.perf_counter() - started) * 1000, 3)

    try:
        proc = subprocess.Popen(list(cmd.argv), env=dict(env), cwd=cmd.cwd or None, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, shell=False,
                                start_new_session=(os.name == "posix"))
    except FileNotFoundError as exc:
        missing = exc.filename or cmd.command
        reason = f"command not found: {cmd.command}" if missing == cmd.command \
            else f"working directory not found: {missing}"
        return {**base, "exitCode": 127, "stdout": "", "stderr": "", "status": "skipped",
                "skippedReason": "command_not_found" if missing == cmd.command else "cwd_not_found",
                "errorMessage": reason, "errorCode": "ENOENT", "durationMs": 0}
    except PermissionError as exc:
        return {**base, "exitCode": 126, "stdout": "", "stderr": "", "status": "failed", "skippedReason": None,
                "errorMessage": f"permission denied running {cmd.command}: {exc.strerror or exc}",
                "errorCode": "EACCES", "durationMs": elapsed()}
    except OSError as exc:
        return {**base, "exitCode": 126, "stdout": "", "stderr": "", "status": "failed", "skippedReason": None,
                "errorMessage": f"cannot run {cmd.command}: {exc.strerror or exc}",
                "errorCode": None, "durationMs": elapsed()}
    readers = [_TailReader(proc.stdout), _TailReader(proc.stderr)]
    for r in readers:
        r.start()
    deadline = started + timeout_s
    timed_out = False
    try:
        proc.wait(timeout=max(0.0, deadline - time.perf_counter()))
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        proc.wait()
    except BaseException:
        _kill_group(proc)
        proc.wait()
        raise
    for r in readers:
        r.join(max(0.0, deadline - time.perf_counter()))
    if any(r.is_alive() for r in readers):
        # the command exited but something it started still holds its output open: stop it too
        _kill_group(proc)
        grace_end = time.perf_counter() + HELD_OPEN_GRACE_S
        for r in readers:
            r.join(max(0.0, grace_end - time.perf_counter()))
    # a process outside the group (it left with setsid) may still hold the output open: never
    # block on it — its daemon reader keeps draining (and closes the pipe at EOF); report what we have
    held_open = any(r.is_alive() for r in readers)
    out, err = readers[0].text(), readers[1].text()
    if held_open:
        err += "\n[inspector-export] output may be incomplete: a process the command started left its process group and still holds the output open"
    if timed_out:
        return {**base, "exitCode": 124, "stdout": out, "stderr": err, "status": "timeout", "skippedReason": None,
                "errorMessage": f"timed out after {timeout_s:g} s; the command and its process group were killed",
                "errorCode": "ETIMEDOUT", "durationMs": elapsed()}
    code = proc.returncode
    result = {**base, "exitCode": code, "stdout": out, "stderr": err,
              "status": "succeeded" if code == 0 else "failed", "skippedReason": None,
              "errorMessage": None, "errorCode": None, "durationMs": elapsed()}
    if code < 0:
        result["errorMessage"] = f"killed by signal {-code}"
    elif code:
        result["errorMessage"] = f"exited with code {code}"
    return result


def substitute_placeholders(cmd: PublishCommand, artifact_dir: str | None, manifest: str | None) -> PublishCommand:
    """``{dir}`` → the artifact folder and ``{manifest}`` → the manifest path in every argument."""
    if not any("{dir}" in a or "{manifest}" in a for a in cmd.argv):
        return cmd
    def sub(arg: str) -> str:
        if artifact_dir is not None:
            arg = arg.replace("{dir}", artifact_dir)
        if manifest is not None:
            arg = arg.replace("{manifest}", manifest)
        return arg
    return PublishCommand(tuple(sub(a) for a in cmd.argv), cmd.env, cmd.cwd, cmd.timeout_s)


@dataclass
class PublishResult:
    metadata_path: str
    dry_run: bool
    manifest: dict
    command_results: list[dict]
    replaced_existing_manifest: bool = False
    error: str | None = None

    @property
    def failed(self) -> bool:
        """True when the manifest could not be written or any command did not succeed."""
        return self.error is not None or any(r.get("status") != "succeeded" for r in self.command_results)

    def to_json(self) -> dict:
        return {"metadataPath": self.metadata_path, "dryRun": self.dry_run,
                "commandResults": self.command_results, "replacedExistingManifest": self.replaced_existing_manifest,
                "error": self.error, "failed": self.failed}


class CiArtifactPublisher:
    """Writes ``ci-artifacts.json`` then runs the upload commands (unless dry run)."""

    def __init__(self, commands: Iterable[Any] = (), *, metadata_path: str | os.PathLike[str],
                 dry_run: bool | None = None, env: Mapping[str, str] | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, bus: EventBus | None = None,
                 runner: Runner | None = None, logger: logging.Logger | None = None,
                 clock_ms: Callable[[], int] | None = None, overwrite: bool = False,
                 protected: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.overwrite = overwrite
        self.protected = [os.fspath(p) for p in protected]
        self.commands = [c if isinstance(c, PublishCommand) else parse_command(c, i) for i, c in enumerate(commands)]
        self.metadata_path = Path(metadata_path)
        self.env = dict(os.environ if env is None else env)
        self.dry_run = (not is_ci(self.env)) if dry_run is None else bool(dry_run)
        self.timeout_s = timeout_s
        self.bus = bus
        self.runner = runner or run_command
        self.log = logger or log
        self.clock_ms = clock_ms or (lambda: int(time.time() * 1000))

    def _emit(self, name: str, payload: Any) -> None:
        if self.bus is not None:
            self.bus.emit(name, payload)

    def publish(self, artifact_paths: Iterable[str | os.PathLike[str]], context: dict | None = None,
                *, cancelled: Callable[[], bool] | None = None) -> PublishResult:
        paths: list[Path] = []
        for p in artifact_paths or []:
            if not p:
                continue
            resolved = Path(p).resolve()
            if resolved not in paths:
                paths.append(resolved)
        ctx = dict(context or {})
        metadata_path = self.metadata_path.resolve()
        base = {"artifactCount": len(paths), "metadataPath": str(metadata_path),
                "commands": [c.command for c in self.commands], "dryRun": self.dry_run, "context": ctx}
        self._emit(ev.CI_PUBLISH_STARTED, base)
        now = self.clock_ms()
        artifacts = []
        for p in paths:
            size, sha = file_fingerprint(p)
            artifacts.append({"filepath": str(p), "filename": p.name, "size": size, "sha256": sha})
        manifest: dict[str, Any] = {
            "generatedAt": now, "generatedIso": iso_from_ms(now), "dryRun": self.dry_run,
            "artifacts": artifacts, "context": ctx, "commandResults": [], "providerResults": [],
            "fallbackSummary": {"attempted": False, "attempts": 0, "succeeded": 0, "failed": 0, "partial": 0,
                                "skipped": 0, "lastAttemptedAt": None, "providers": {}},
        }
        replaced = os.path.lexists(metadata_path)
        try:
            refusal = self._refusal(metadata_path)
            if refusal:
                raise WriterError(refusal, path=str(metadata_path), code="EEXIST")
            if replaced:
                self.log.warning("[CiArtifactPublisher] replacing the existing manifest %s", metadata_path)
            self._write_manifest(metadata_path, manifest, overwrite=replaced)
        except WriterError as exc:
            self.log.error("[CiArtifactPublisher] Publish failed: %s", exc.reason)
            self._emit(ev.CI_PUBLISH_FAILED, {**base, "errorMessage": exc.reason})
            return PublishResult(str(metadata_path), self.dry_run, manifest, [], replaced, exc.reason)
        results: list[dict] = []
        if self.dry_run or not self.commands:
            self.log.info("[CiArtifactPublisher] Dry run or no commands configured (%s, %d artifacts)",
                          metadata_path, len(paths))
        else:
            env = {**self.env, "CI_ARTIFACT_METADATA": str(metadata_path)}
            for cmd in self.commands:
                if cancelled is not None and cancelled():
                    results.append({"command": cmd.command, "args": cmd.args, "exitCode": None, "stdout": "",
                                    "stderr": "", "status": "skipped", "skippedReason": "cancelled",
                                    "errorMessage": "export cancelled before this command ran",
                                    "errorCode": None, "durationMs": 0})
                    continue
                cmd = substitute_placeholders(cmd, ctx.get("artifactDir"), str(metadata_path))
                record = self.runner(cmd, {**env, **cmd.env}, cmd.timeout_s or self.timeout_s)
                record["attemptedAt"] = iso_from_ms(self.clock_ms())
                if record.get("status") != "succeeded":
                    self.log.warning("[CiArtifactPublisher] %s: %s", cmd.command,
                                     record.get("errorMessage") or record.get("status"))
                results.append(record)
            manifest["commandResults"] = results
            try:
                self._write_manifest(metadata_path, manifest)
            except WriterError as exc:
                self._emit(ev.CI_PUBLISH_FAILED, {**base, "errorMessage": exc.reason})
                return PublishResult(str(metadata_path), self.dry_run, manifest, results, replaced, exc.reason)
        self._emit(ev.CI_PUBLISH_COMPLETED, {**base, "commandResults": results})
        return PublishResult(str(metadata_path), self.dry_run, manifest, results, replaced)

    def _refusal(self, path: Path) -> str | None:
        return manifest_refusal(path, overwrite=self.overwrite, protected=self.protected)

    @staticmethod
    def _write_manifest(path: Path, manifest: dict, *, overwrite: bool = True) -> None:
        """JSON, 2-space indent, no trailing newline (like the game), atomically written."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise describe_os_error(exc, path.parent) from exc
        write_atomic(path, json_pretty(manifest).encode("utf-8"), overwrite=overwrite)
