"""``inspector-export``: exit codes, the JSON summary on stdout, stderr progress."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from inspector_app.cli.export import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_PUBLISH_FAILED,
    EXIT_WRITER_FAILED,
    main,
)


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


@pytest.fixture
def midgame_summary(game_fixtures):
    return game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json"


def test_summary_input_prints_one_json_document(capsys, tmp_path, midgame_summary, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    code, doc, err = _run(capsys, midgame_summary, "--out", tmp_path, "--prefix", "save-inspector-midgame",
                          "--formats", "json,csv", "--formats", "md", "--dry-run")
    assert code == EXIT_OK and doc["exitCode"] == 0
    assert doc["input"]["kind"] == "inspector-summary"
    assert [a["filename"] for a in doc["artifacts"]] == [
        "save-inspector-midgame-summary-20251102T180624Z.json",
        "save-inspector-midgame-cascade-targets-20251102T180624Z.csv",
        "save-inspector-midgame-tutorial-snapshots-20251102T180624Z.csv",
        "save-inspector-midgame-tutorial-transcript-20251102T180624Z.md"]
    for a in doc["artifacts"]:
        assert a["status"] == "written" and (tmp_path / a["filename"]).stat().st_size == a["size"]
    assert doc["metrics"]["artifactsWritten"] == 4 and doc["failures"] == []
    assert doc["budgetStatus"]["status"] == "within_budget"
    assert doc["publish"]["dryRun"] is True and (tmp_path / "ci-artifacts.json").exists()
    assert "[inspector-export] wrote" in err                               # progress on stderr


def test_profile_needs_a_slot_and_exports_the_chosen_one(capsys, tmp_path, game_fixtures):
    profile = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    code, doc, err = _run(capsys, profile, "--out", tmp_path)
    assert code == EXIT_BAD_INPUT and doc is None
    assert "choose one with --slot" in err and "slot2" in err
    code, doc, err = _run(capsys, profile, "--out", tmp_path, "--slot", "nope")
    assert code == EXIT_BAD_INPUT and "no slot 'nope'" in err
    code, doc, _ = _run(capsys, profile, "--out", tmp_path, "--slot", "slot2", "--formats", "csv")
    assert code == EXIT_OK and doc["input"]["slot"] == "slot2" and doc["input"]["kind"] == "profile"
    cascade = (tmp_path / doc["artifacts"][0]["filename"]).read_text()
    assert cascade.startswith("row_type,faction_id,") and "\ntarget,luminari_syndicate," in cascade


def test_single_save_payload_input(capsys, tmp_path, game_fixtures):
    code, doc, _ = _run(capsys, game_fixtures / "saves" / "save_slot2.midgame.json", "--out", tmp_path)
    assert code == EXIT_OK and doc["input"]["kind"] == "payload" and doc["metrics"]["artifactsWritten"] == 3


@pytest.mark.parametrize("content", [b"", b"{\"truncated\": ", b"\x00\xff\xfe binary", b"[1, 2, 3]"])
def test_bad_input_exits_2_with_a_message_naming_the_file(capsys, tmp_path, content):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, doc, err = _run(capsys, bad, "--out", tmp_path / "out")
    assert code == EXIT_BAD_INPUT and doc is None
    assert str(bad) in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_arguments_exit_2(capsys, tmp_path, midgame_summary):
    for argv in (["--publish-command", "gh artifact upload"], ["--publish-command", "[]"],
                 ["--context", "[1]"], ["--no-such-flag"]):
        code, doc, err = _run(capsys, midgame_summary, "--out", tmp_path, *argv)
        assert code == EXIT_BAD_INPUT and doc is None and "error" in err
    assert not any(tmp_path.iterdir())


def test_writer_failure_exit_code_only_when_asked(capsys, tmp_path, midgame_summary):
    code, doc, _ = _run(capsys, midgame_summary, "--out", tmp_path)
    assert code == EXIT_OK and doc["status"] == "ok" and doc["counts"]["written"] == 3
    code, doc, err = _run(capsys, midgame_summary, "--out", tmp_path)      # a re-run: identical files are fine
    assert code == EXIT_OK and doc["status"] == "unchanged" and doc["failures"] == []
    assert doc["counts"] == {"written": 0, "unchanged": 3, "failed": 0, "skipped": 0}
    assert "Already exported, unchanged" in doc["statusText"] and "unchanged" in err
    for f in tmp_path.iterdir():                                            # now different files are there
        f.write_text("someone else's file\n")
    code, doc, err = _run(capsys, midgame_summary, "--out", tmp_path)      # never overwritten
    assert code == EXIT_OK and doc["status"] == "nothing-written" and len(doc["failures"]) == 3 and "FAILED" in err
    assert all(f["errorCode"] == "EEXIST" for f in doc["failures"])
    assert all(a["status"] == "failed" for a in doc["artifacts"])
    (tmp_path / doc["artifacts"][0]["filename"]).unlink()
    code, doc, _ = _run(capsys, midgame_summary, "--out", tmp_path, "--fail-on-writer-error")
    assert code == EXIT_WRITER_FAILED and doc["exitCode"] == EXIT_WRITER_FAILED and doc["status"] == "partial"
    code, doc, _ = _run(capsys, midgame_summary, "--out", tmp_path, "--fail-on-writer-error", "--overwrite")
    assert code == EXIT_OK and doc["failures"] == [] and doc["status"] == "ok"
    assert all("someone else" not in f.read_text() for f in tmp_path.iterdir())


def test_publish_failure_exit_code(capsys, tmp_path, midgame_summary):
    fail = json.dumps([sys.executable, "-c", "import sys; sys.exit(5)"])
    code, doc, _ = _run(capsys, midgame_summary, "--out", tmp_path, "--publish", "--no-dry-run",
                        "--publish-command", fail, "--publish-command", '["no-such-uploader-91c2"]')
    assert code == EXIT_PUBLISH_FAILED
    results = doc["publish"]["commandResults"]
    assert [(r["status"], r["exitCode"]) for r in results] == [("failed", 5), ("skipped", 127)]
    manifest = json.loads((tmp_path / "ci-artifacts.json").read_text())
    assert [r["status"] for r in manifest["commandResults"]] == ["failed", "skipped"]


def test_path_traversal_prefix_stays_in_out_dir(capsys, tmp_path, midgame_summary):
    out = tmp_path / "out"
    code, doc, _ = _run(capsys, midgame_summary, "--out", out, "--prefix", "../../escape")
    assert code == EXIT_OK
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert all(a["path"].startswith(str(out.resolve())) for a in doc["artifacts"])


def test_module_entry_point_runs_headless(tmp_path, midgame_summary):
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "export", str(midgame_summary), "--out",
                           str(tmp_path), "-q"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["metrics"]["artifactsWritten"] == 3
