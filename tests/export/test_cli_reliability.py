"""Issue 9, export side: what a player, a CI job or a disk can hand ``inspector-export``."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.cli.export import EXIT_BAD_INPUT, EXIT_OK, EXIT_TERMINATED, main
from inspector_app.core.common.fileio import is_own_temp
from inspector_app.core.export import publisher
from inspector_app.core.export.publisher import PublishCommand, run_command

REPO = Path(__file__).resolve().parents[2]


def _run(capsys, *argv):
    code = main([a if isinstance(a, str) else os.fsdecode(a) for a in argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def _deep(levels: int):
    root: list = []
    node = root
    for _ in range(levels):
        child: list = []
        node.append(child)
        node = child
    return root


def _summary(path: Path, **extra) -> Path:
    doc = {"generatedAt": 1762106784700, "source": "worldStateStore", "factions": {},
           "tutorial": {"snapshots": [{"event": "step_completed", "timestamp": 1762106784700, "stepId": "a"}]}}
    doc.update(extra)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_huge_numbers_are_written_as_javascript_would(capsys, tmp_path):
    src = tmp_path / "huge.json"
    src.write_text('{"generatedAt": 1e20, "source": "worldStateStore", "engine": {"spatialHash": '
                   '{"payloadBytes": 36893488147419103232, "history": []}}, "tutorial": {"snapshots": '
                   '[{"event": "x", "timestamp": 18446744073709551616}]}}', encoding="utf-8")
    code, doc, err = _run(capsys, src, "--out", tmp_path / "out")
    assert code == EXIT_OK and doc["status"] == "ok", err
    summary = (tmp_path / "out" / doc["artifacts"][0]["filename"]).read_text()
    assert '"generatedAt": 100000000000000000000,' in summary
    assert '"payloadBytes": 36893488147419103000,' in summary             # JSON.stringify of the double
    assert ",18446744073709552000," in (tmp_path / "out" / doc["artifacts"][2]["filename"]).read_text()
    assert doc["generatedAt"] == 1e20 and doc["budgetStatus"]["payloadBytes"] == 36893488147419103000


def test_nesting_the_loader_accepts_is_exported(capsys, tmp_path):
    src = _summary(tmp_path / "deep.json")
    doc = json.loads(src.read_text())
    doc["tutorial"]["snapshots"][0]["metadata"] = {"deep": _deep(600)}
    src.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = _run(capsys, src, "--out", tmp_path / "out")
    assert code == EXIT_OK and out["status"] == "ok", err
    text = (tmp_path / "out" / out["artifacts"][0]["filename"]).read_text()
    assert text.count("[") >= 600


def test_undecodable_names_everywhere(capsys, tmp_path):
    out_dir = os.path.join(os.fsencode(tmp_path), b"out-\xff")
    src = os.path.join(os.fsencode(tmp_path), b"in-\xe9.json")
    _summary(Path(os.fsdecode(src)))
    code, doc, err = _run(capsys, src, "--out", out_dir, "--prefix", os.fsdecode(b"p\xfe"), "--publish", "--dry-run")
    assert code == EXIT_OK and doc["status"] == "ok", err
    assert doc["input"]["path"] == os.fsdecode(src)                    # \udce9 escape in the JSON, round-trips
    names = sorted(os.listdir(out_dir))
    assert b"ci-artifacts.json" in names and all(b"\xfe" not in n for n in names)
    manifest = json.loads(Path(os.fsdecode(os.path.join(out_dir, b"ci-artifacts.json"))).read_text())
    assert len(manifest["artifacts"]) == 3


def test_metadata_never_replaces_the_input_or_a_foreign_file(capsys, tmp_path):
    src = _summary(tmp_path / "save.json")
    before = src.read_bytes()
    for extra in ([], ["--overwrite"]):
        code, doc, err = _run(capsys, src, "--out", tmp_path / "out", "--publish", "--dry-run",
                              "--metadata", src, *extra)
        assert code == EXIT_BAD_INPUT and doc is None and "input of this export" in err
    assert src.read_bytes() == before and not (tmp_path / "out").exists()     # refused before writing anything
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    code, _, err = _run(capsys, src, "--out", tmp_path / "out", "--publish", "--dry-run", "--metadata", notes)
    assert code == EXIT_BAD_INPUT and "not a CI manifest" in err and notes.read_text() == "mine"
    code, doc, _ = _run(capsys, src, "--out", tmp_path / "out", "--publish", "--dry-run", "--metadata", notes,
                        "--overwrite")
    assert code == EXIT_OK and json.loads(notes.read_text())["artifacts"]
    code, doc, _ = _run(capsys, src, "--out", tmp_path / "out", "--publish", "--dry-run", "--metadata", notes)
    assert code == EXIT_OK and doc["status"] == "unchanged"                 # our own manifest may be refreshed


def test_artifacts_never_overwrite_the_input(capsys, tmp_path):
    src = _summary(tmp_path / "s.json")
    code, doc, _ = _run(capsys, src, "--out", tmp_path, "--formats", "json")
    exported = tmp_path / doc["artifacts"][0]["filename"]
    exported.write_text(exported.read_text().replace("worldStateStore", "edited"))
    code, doc, err = _run(capsys, exported, "--out", tmp_path, "--formats", "json", "--overwrite")
    assert doc["status"] == "nothing-written" and "input of this export" in doc["failures"][0]["error"]
    assert "edited" in exported.read_text()


def test_long_prefix_keeps_kind_time_and_extension(capsys, tmp_path):
    src = _summary(tmp_path / "s.json")
    code, doc, err = _run(capsys, src, "--out", tmp_path / "out", "--prefix", "p" * 400,
                          "--formats", "json,csv,transcript-csv,md")
    names = [a["filename"] for a in doc["artifacts"]]
    assert code == EXIT_OK and doc["status"] == "ok" and len(set(names)) == 5, err
    assert all(len(n.encode()) <= 255 for n in names)
    assert [n.rsplit("-", 1)[1] for n in names] == ["20251102T180624Z.json", "20251102T180624Z.csv",
                                                     "20251102T180624Z.csv", "20251102T180624Z.csv",
                                                     "20251102T180624Z.md"]
    assert names[3].endswith("-tutorial-transcript-20251102T180624Z.csv")


@pytest.mark.parametrize("argv, message", [
    (["--context", '{"artifactDir": "/tmp/elsewhere"}'], "artifactDir"),
    (["--publish-timeout", "nan"], "finite positive"),
    (["--publish-timeout", "inf"], "finite positive"),
    (["--publish-timeout", "0"], "finite positive"),
    (["--publish-command", '{"command": "true", "timeout": 1e300}', "--publish-timeout", "-1"], "finite positive"),
    (["--max-input-mb", "0.00001"], "larger than the"),
])
def test_bad_arguments_are_refused_with_a_message(capsys, tmp_path, argv, message):
    src = _summary(tmp_path / "s.json")
    code, doc, err = _run(capsys, src, "--out", tmp_path / "out", *argv)
    assert code == EXIT_BAD_INPUT and doc is None and message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_nothing_written_means_no_manifest(capsys, tmp_path):
    src = _summary(tmp_path / "s.json")
    out = tmp_path / "out"
    code, doc, _ = _run(capsys, src, "--out", out)
    for a in doc["artifacts"]:
        Path(a["path"]).write_text("different")
    code, doc, _ = _run(capsys, src, "--out", out, "--publish", "--dry-run")
    assert doc["status"] == "nothing-written" and doc["publish"] is None and doc["publishSkipped"]
    assert not (out / "ci-artifacts.json").exists()


def test_publish_dir_placeholder_is_substituted(capsys, tmp_path):
    src = _summary(tmp_path / "s.json")
    record = tmp_path / "args.txt"
    cmd = json.dumps([sys.executable, "-c", "import sys; open(sys.argv[1], 'w').write(sys.argv[2])",
                      str(record), "{dir}"])
    code, doc, err = _run(capsys, src, "--out", tmp_path / "out", "--publish", "--no-dry-run",
                          "--publish-command", cmd)
    assert code == EXIT_OK, err
    assert record.read_text() == str((tmp_path / "out").resolve())


def test_publisher_keeps_a_bounded_tail_of_output():
    cmd = PublishCommand((sys.executable, "-c", "import sys\nfor i in range(200000): print('line', i)\n"
                                                "print('LAST', file=sys.stderr)"))
    record = run_command(cmd, dict(os.environ), 60.0)
    assert record["status"] == "succeeded"
    assert len(record["stdout"]) <= 2001 and record["stdout"].startswith("…")
    assert record["stdout"].rstrip().endswith("line 199999") and record["stderr"].strip() == "LAST"


def _gone(pid: int) -> bool:
    """True once ``pid`` has exited (gone, or a zombie waiting to be reaped by init)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


def _wait_gone(pid: int, polls: int = 6000) -> bool:
    """Wait on the condition (a SIGKILLed process needs a moment to exit on a loaded machine)."""
    import time
    for _ in range(polls):
        if _gone(pid):
            return True
        time.sleep(0.01)
    return _gone(pid)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads process states from /proc")
def test_publisher_timeout_kills_the_whole_process_group(tmp_path):
    """The command starts a helper that would 'upload' later; the timeout must stop both.
    Deterministic on a slow machine too: the parent records the helper's pid (atomically) as soon
    as it has started it (the helper is in the group from its fork on; a helper that had to start
    Python before saying so could miss the 3 s), then sleeps forever."""
    marker = tmp_path / "uploaded"
    pid_file = tmp_path / "helper.pid"
    helper = f"import time\ntime.sleep(3600)\nopen({str(marker)!r}, 'w').write('done')\n"
    parent = (f"import subprocess, sys, time, os\nhelper = subprocess.Popen([sys.executable, '-c', {helper!r}])\n"
              f"open({str(pid_file)!r} + '.part', 'w').write(str(helper.pid))\n"
              f"os.replace({str(pid_file)!r} + '.part', {str(pid_file)!r})\ntime.sleep(3600)\n")
    record = run_command(PublishCommand((sys.executable, "-c", parent)), dict(os.environ), 3.0)
    assert record["status"] == "timeout" and record["exitCode"] == 124
    assert pid_file.exists(), f"the command did not start its helper within its 3 s: {record}"
    helper_pid = int(pid_file.read_text())
    assert _wait_gone(helper_pid), "the helper outlived the timeout: only the direct child was killed"
    assert not marker.exists()


# -- kill tests -----------------------------------------------------------------------------------

def _start(src: Path, out: Path, hook: str) -> subprocess.Popen:
    env = {**os.environ, "INSPECTOR_EXPORT_TEST_HOOK": hook}
    return subprocess.Popen([sys.executable, "-m", "inspector_app", "export", str(src), "--out", str(out),
                             "--formats", "json,csv,transcript-csv,md"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_paused(proc: subprocess.Popen) -> list[str]:
    lines = []
    for line in proc.stderr:                     # blocks until the child says it paused (no clock)
        lines.append(line)
        if "test-hook: paused" in line:
            return lines
    raise AssertionError("the export ended without pausing: " + "".join(lines))


def _kill(proc: subprocess.Popen, sig: int) -> tuple[str, str]:
    """Send ``sig``, read what is left of the output, reap the process."""
    proc.send_signal(sig)
    rest, stdout = proc.stderr.read(), proc.stdout.read()
    proc.wait(timeout=60)
    proc.stderr.close()
    proc.stdout.close()
    return rest, stdout


def _rerun(src: Path, out: Path) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "export", str(src), "--out", str(out),
                           "--formats", "json,csv,transcript-csv,md", "--fail-on-writer-error"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.slow
def test_sigkill_mid_write_leaves_a_temporary_the_next_run_removes(tmp_path):
    src = _summary(tmp_path / "s.json")
    out = tmp_path / "out"
    proc = _start(src, out, "pause-in-write:2")
    _wait_paused(proc)
    temps = [n for n in os.listdir(out) if is_own_temp(n)]
    assert len(temps) == 1                       # the second artifact's complete temporary
    _kill(proc, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert len([n for n in os.listdir(out) if not n.startswith(".")]) == 1       # a partial set
    code, doc = _rerun(src, out)
    assert code == EXIT_OK and doc["status"] == "ok"
    assert doc["counts"] == {"written": 4, "unchanged": 1, "failed": 0, "skipped": 0}
    assert [os.path.basename(p) for p in doc["staleTemporariesRemoved"]] == temps
    assert not [n for n in os.listdir(out) if n.startswith(".")]


@pytest.mark.slow
def test_sigterm_mid_write_removes_its_temporary_and_says_so(tmp_path):
    src = _summary(tmp_path / "s.json")
    out = tmp_path / "out"
    proc = _start(src, out, "pause-in-write:3")
    _wait_paused(proc)
    rest, stdout = _kill(proc, signal.SIGTERM)
    assert proc.returncode == EXIT_TERMINATED and "terminated" in rest and "Traceback" not in rest
    assert stdout == ""                          # no summary claiming success
    assert sorted(n for n in os.listdir(out) if n.startswith(".")) == []
    assert len(os.listdir(out)) == 2
    code, doc = _rerun(src, out)
    assert code == EXIT_OK and doc["counts"]["unchanged"] == 2 and doc["counts"]["written"] == 3


@pytest.mark.slow
def test_sigkill_after_an_artifact_then_a_clashing_rerun_is_not_a_success(tmp_path):
    src = _summary(tmp_path / "s.json")
    out = tmp_path / "out"
    proc = _start(src, out, "pause-after:1")
    _wait_paused(proc)
    _kill(proc, signal.SIGKILL)
    (written,) = [n for n in os.listdir(out)]
    (out / written).write_text("changed by hand")                # now the re-run clashes on that one
    code, doc = _rerun(src, out)
    assert doc["status"] == "partial" and code == 3 and doc["counts"]["failed"] == 1
    assert (out / written).read_text() == "changed by hand"


def test_a_helper_that_leaves_the_group_cannot_hang_the_publisher(tmp_path, monkeypatch):
    """A helper that calls setsid() escapes the group kill and keeps the output pipe open: the
    publisher must still return at its timeout (and say the output may be incomplete)."""
    # the readers' grace after the kill (5 s, shared by both) is a knob: the helper holds the
    # output for an hour, so any grace ends with the readers still open, as asserted below
    monkeypatch.setattr(publisher, "HELD_OPEN_GRACE_S", 0.2)
    # The helper leaves the group with setsid() in its fork, before Popen returns (start_new_session):
    # it has left before the parent says "started", however long the helper's Python takes to start
    # on a loaded machine (a helper calling os.setsid() itself could still be starting at the 3 s).
    pid_file = tmp_path / "escaped.pid"
    helper = "import time\ntime.sleep(3600)\n"
    parent = (f"import subprocess, sys, time, os\n"
              f"helper = subprocess.Popen([sys.executable, '-c', {helper!r}], start_new_session=True)\n"
              f"open({str(pid_file)!r} + '.part', 'w').write(str(helper.pid))\n"
              f"os.replace({str(pid_file)!r} + '.part', {str(pid_file)!r})\nprint('started', flush=True)\n"
              f"time.sleep(3600)\n")
    try:
        record = run_command(PublishCommand((sys.executable, "-c", parent)), dict(os.environ), 3.0)
        assert record["status"] == "timeout" and "may be incomplete" in record["stderr"]
        assert "started" in record["stdout"]
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
