"""CiArtifactPublisher: manifest, dry run, argv commands, timeout, command not found (spec §3.1)."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import orjson
import pytest

from inspector_app.core.export import events as ev
from inspector_app.core.export.events import EventBus, EventRecorder
from inspector_app.core.export.publisher import (
    CiArtifactPublisher,
    CommandSpecError,
    is_ci,
    parse_command,
)

PY = sys.executable


@pytest.fixture
def artifact(tmp_path):
    path = tmp_path / "summary.json"
    path.write_bytes(b'{"ok":true}\n')
    return path


def _manifest(result):
    return orjson.loads(Path(result.metadata_path).read_bytes())


def test_dry_run_by_default_outside_ci_writes_the_manifest_only(tmp_path, artifact):
    bus = EventBus()
    rec = EventRecorder(bus)
    pub = CiArtifactPublisher([[PY, "-c", "raise SystemExit(9)"]], metadata_path=tmp_path / "ci-artifacts.json",
                              env={}, bus=bus)
    result = pub.publish([artifact, str(artifact), ""], {"runId": "r-1"})
    assert result.dry_run and result.command_results == [] and not result.failed
    manifest = _manifest(result)
    assert list(manifest)[:4] == ["generatedAt", "generatedIso", "dryRun", "artifacts"]
    assert manifest["dryRun"] is True and manifest["context"] == {"runId": "r-1"}
    assert manifest["artifacts"] == [{"filepath": str(artifact.resolve()), "filename": "summary.json", "size": 12,
                                      "sha256": hashlib.sha256(b'{"ok":true}\n').hexdigest()}]
    assert manifest["fallbackSummary"] == {"attempted": False, "attempts": 0, "succeeded": 0, "failed": 0,
                                           "partial": 0, "skipped": 0, "lastAttemptedAt": None, "providers": {}}
    assert not Path(result.metadata_path).read_bytes().endswith(b"\n")      # like the game: no newline
    assert rec.names == [ev.CI_PUBLISH_STARTED, ev.CI_PUBLISH_COMPLETED]
    assert rec.events[0][1]["commands"] == [PY] and rec.events[0][1]["artifactCount"] == 1


@pytest.mark.parametrize("value, expected", [("", False), ("0", False), ("false", False), ("No", False),
                                             ("true", True), ("1", True), ("yes", True)])
def test_ci_detection(value, expected):
    assert is_ci({"CI": value}) is expected
    assert is_ci({}) is False


def test_commands_run_as_argv_without_shell_and_results_are_recorded(tmp_path, artifact):
    marker = tmp_path / "args.json"
    script = f"import sys,json,os; open({str(marker)!r},'w').write(json.dumps([sys.argv[1:], os.environ['CI_ARTIFACT_METADATA']]))"
    commands = [[PY, "-c", script, "a b", "$HOME", "; rm -rf /"],
                {"command": PY, "args": ["-c", "import sys; print('out'); sys.exit(3)"], "env": {"X": "1"}}]
    pub = CiArtifactPublisher(commands, metadata_path=tmp_path / "m.json", env={"CI": "true", "PATH": "/usr/bin:/bin"})
    result = pub.publish([artifact])
    args, meta_env = orjson.loads(marker.read_bytes())
    assert args == ["a b", "$HOME", "; rm -rf /"]                          # one argv, no shell expansion
    assert meta_env == str((tmp_path / "m.json").resolve())
    first, second = result.command_results
    assert first["status"] == "succeeded" and first["exitCode"] == 0
    assert second["status"] == "failed" and second["exitCode"] == 3 and second["stdout"].strip() == "out"
    assert result.failed
    assert [r["status"] for r in _manifest(result)["commandResults"]] == ["succeeded", "failed"]


def test_timeout_is_recorded_and_the_next_command_still_runs(tmp_path, artifact):
    commands = [{"command": PY, "args": ["-c", "import time; time.sleep(30)"], "timeout": 0.5},
                [PY, "-c", "pass"]]
    result = CiArtifactPublisher(commands, metadata_path=tmp_path / "m.json", dry_run=False, env={}).publish([artifact])
    timed_out, ok = result.command_results
    assert timed_out["status"] == "timeout" and timed_out["exitCode"] == 124 and timed_out["errorCode"] == "ETIMEDOUT"
    assert "timed out" in timed_out["errorMessage"]
    assert ok["status"] == "succeeded"
    assert [r["status"] for r in _manifest(result)["commandResults"]] == ["timeout", "succeeded"]


def test_command_not_found_is_recorded_not_raised(tmp_path, artifact):
    bus = EventBus()
    rec = EventRecorder(bus)
    result = CiArtifactPublisher([["definitely-not-a-command-7f3a", "upload"]], metadata_path=tmp_path / "m.json",
                                 dry_run=False, env={"PATH": str(tmp_path)}, bus=bus).publish([artifact])
    (record,) = result.command_results
    assert record["status"] == "skipped" and record["skippedReason"] == "command_not_found"
    assert record["exitCode"] == 127 and record["args"] == ["upload"]
    assert result.failed
    assert _manifest(result)["commandResults"][0]["skippedReason"] == "command_not_found"
    assert rec.names == [ev.CI_PUBLISH_STARTED, ev.CI_PUBLISH_COMPLETED]


def test_json_argv_is_one_command_and_strings_are_refused():
    cmd = parse_command(["gh", "artifact", "upload"])
    assert cmd.command == "gh" and cmd.args == ["artifact", "upload"]    # not three commands (game quirk)
    for bad in ("gh artifact upload", [], [1, 2], {"command": ""}, {"command": "x", "args": "a b"},
                {"command": "x", "timeout": -1}, None):
        with pytest.raises(CommandSpecError):
            parse_command(bad)


def test_manifest_write_failure_emits_publish_failed(tmp_path, artifact):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bus = EventBus()
    rec = EventRecorder(bus)
    result = CiArtifactPublisher([], metadata_path=blocker / "m.json", env={}, bus=bus).publish([artifact])
    assert result.failed and result.error
    assert rec.names == [ev.CI_PUBLISH_STARTED, ev.CI_PUBLISH_FAILED]
    assert rec.events[1][1]["errorMessage"] == result.error
