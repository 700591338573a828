"""CI artifact publisher: ``ci-artifacts.json`` manifest + upload commands (spec §3.1, §4.3).

Fixes to the game's ``CiArtifactPublisher`` (docs/export-deviations.md):

* commands are argv lists (``["gh", "artifact", "upload", ...]``) or
  ``{"command", "args", "env", "cwd", "timeout"}`` objects, run without a shell; a JSON argv
  list is never flattened into one command per element and a string is never looked up as
  one executable name;
* every command has a timeout; a command that times out is killed and recorded;
* every command result — success, non-zero exit, command not found, timeout — is recorded
  in the manifest (``commandResults``), not only fallback results;
* the manifest lists each artifact's size and sha256;
* dry run by default outside CI, where ``CI`` counts as set unless empty/``0``/``false``/``no``.
"""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from inspector_app.core.common.jsfmt import iso_from_ms

from . import events as ev
from .csvfmt import json_pretty
from .events import EventBus
from ..common.fileio import describe_os_error, write_atomic
from .writers import WriterError

log = logging.getLogger(__name__)

MANIFEST_NAME = "ci-artifacts.json"
DEFAULT_TIMEOUT_S = 300.0
OUTPUT_LIMIT = 2000  # stdout/stderr kept per command, like the game's provider script


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
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
            raise CommandSpecError(f"{where}: 'timeout' must be a positive number of seconds")
        return PublishCommand((command, *args), dict(env), cwd, float(timeout) if timeout else None)
    raise CommandSpecError(f"{where}: expected a JSON argv list or a command object, got {type(spec).__name__}")


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


def _clip(text: str) -> str:
    return text if len(text) <= OUTPUT_LIMIT else text[:OUTPUT_LIMIT] + "…"


def _decode(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", errors="replace")


Runner = Callable[[PublishCommand, Mapping[str, str], float], dict]


def run_command(cmd: PublishCommand, env: Mapping[str, str], timeout_s: float) -> dict:
    """Run one command without a shell; always returns a result record, never raises."""
    started = time.perf_counter()
    base = {"command": cmd.command, "args": cmd.args}
    try:
        proc = subprocess.run(list(cmd.argv), env=dict(env), cwd=cmd.cwd or None, timeout=timeout_s,
                              stdin=subprocess.DEVNULL, capture_output=True, shell=False, check=False)
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
                "errorCode": "EACCES", "durationMs": round((time.perf_counter() - started) * 1000, 3)}
    except subprocess.TimeoutExpired as exc:
        return {**base, "exitCode": 124, "stdout": _clip(_decode(exc.stdout)), "stderr": _clip(_decode(exc.stderr)),
                "status": "timeout", "skippedReason": None,
                "errorMessage": f"timed out after {timeout_s:g} s and was killed", "errorCode": "ETIMEDOUT",
                "durationMs": round((time.perf_counter() - started) * 1000, 3)}
    except OSError as exc:
        return {**base, "exitCode": 126, "stdout": "", "stderr": "", "status": "failed", "skippedReason": None,
                "errorMessage": f"cannot run {cmd.command}: {exc.strerror or exc}",
                "errorCode": None, "durationMs": round((time.perf_counter() - started) * 1000, 3)}
    code = proc.returncode
    result = {**base, "exitCode": code, "stdout": _clip(_decode(proc.stdout)), "stderr": _clip(_decode(proc.stderr)),
              "status": "succeeded" if code == 0 else "failed", "skippedReason": None,
              "errorMessage": None, "errorCode": None,
              "durationMs": round((time.perf_counter() - started) * 1000, 3)}
    if code < 0:
        result["errorMessage"] = f"killed by signal {-code}"
    elif code:
        result["errorMessage"] = f"exited with code {code}"
    return result


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
                 clock_ms: Callable[[], int] | None = None) -> None:
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
        replaced = metadata_path.exists()
        if replaced:
            self.log.warning("[CiArtifactPublisher] replacing the existing manifest %s", metadata_path)
        try:
            self._write_manifest(metadata_path, manifest)
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

    @staticmethod
    def _write_manifest(path: Path, manifest: dict) -> None:
        """JSON, 2-space indent, no trailing newline (like the game), atomically replaced."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise describe_os_error(exc, path.parent) from exc
        write_atomic(path, json_pretty(manifest).encode("utf-8"), overwrite=True)
