"""``python -m inspector_app validate``: exit codes, text lines, --json, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from inspector_app.cli import validate as validate_mod
from inspector_app.cli.validate import main

REPO = Path(__file__).resolve().parents[1]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_good_files_exit_0_with_one_line_per_slot(capsys, game_fixtures):
    code, out, _ = _run(capsys, str(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"),
                        str(game_fixtures / "saves" / "save_slot1.fresh.json"))
    assert code == 0
    lines = out.splitlines()
    header = next(l for l in lines if "profile1-main-session" in l)
    assert header.startswith("OK") and "profile, 4 slots" in header
    slot_lines = [l.strip() for l in lines if l.strip().startswith("slot ")]
    assert len(slot_lines) == 5
    parlor = next(l for l in slot_lines if "before-memory-parlor" in l)
    for part in ('"Before Memory Parlor!"', "manual", "v1", "worldStateStore", "53m 06s", "158.4 KB", "OK"):
        assert part in parlor
    assert lines[-1].startswith("2 inputs: 2 loaded")


def test_legacy_and_future_are_not_errors(capsys, game_fixtures):
    code, out, _ = _run(capsys, str(game_fixtures / "saves" / "invalid.legacy-v0.json"),
                        str(game_fixtures / "saves" / "invalid.future-version-6.json"))
    assert code == 0
    assert "LEGACY" in out and "FUTURE" in out and "Assignment to constant variable." in out


def test_bad_slots_exit_2_and_are_described(capsys, game_fixtures):
    code, out, _ = _run(capsys, str(game_fixtures / "localstorage" / "invalid-cases.localStorage.json"))
    assert code == 2
    assert out.splitlines()[0].startswith("ERRORS")
    assert "error: line 1, column 128 (character 127) in the stored string: Unexpected end of data" in out
    assert "migration_failed_0_to_1" in out and "invalid_save_data" in out


def test_missing_and_unreadable_inputs_exit_2(capsys, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_bytes(b'{"version": 1, "gameData": {"quests": ')
    code, out, _ = _run(capsys, str(bad), str(tmp_path / "absent.json"))
    assert code == 2
    assert "UNREADABLE" in out and "line 1, column 39 (byte 38)" in out and "truncated file?" in out
    assert "MISSING" in out and "No such file or folder." in out


def test_folder_is_walked_recursively(capsys, tmp_path, game_fixtures):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.json").write_bytes((game_fixtures / "saves" / "save_slot2.midgame.json").read_bytes())
    (tmp_path / "a" / "notes.txt").write_text("not json")
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 0
    assert f"{tmp_path}: 1 JSON file" in out and str(Path("a") / "b" / "one.json") in out


def test_empty_folder_is_an_error(capsys, tmp_path):
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 2 and "No *.json files in this folder." in out


def test_json_output_is_one_document(capsys, game_fixtures, tmp_path):
    bad = tmp_path / "garbage.json"
    bad.write_bytes(bytes(range(256)))
    code, out, _ = _run(capsys, "--json", str(game_fixtures / "saves" / "save_before-memory-parlor.large.json"),
                        str(bad))
    assert code == 2
    results = json.loads(out)
    assert [r["ok"] for r in results] == [True, False]
    good, broken = results
    assert good["kind"] == "payload" and good["error"] is None
    (slot,) = good["slots"]
    assert slot["slot_id"] == "before-memory-parlor" and slot["label"] == "Before Memory Parlor!"
    assert slot["status"] == "ok" and slot["version"] == 1 and slot["size_bytes"] == 158361
    assert broken["error"]["code"] == "binary" and "Not a text/JSON file" in broken["error"]["message"]


def test_internal_errors_become_a_line_not_a_traceback(capsys, game_fixtures, monkeypatch):
    def boom(path, **_options):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(validate_mod, "load_path", boom)
    code, out, err = _run(capsys, str(game_fixtures / "saves" / "save_slot1.fresh.json"))
    assert code == 2
    assert "INTERNAL" in out and "Internal error while loading this file (RuntimeError: kaboom)" in out
    assert "Traceback" not in out + err


def test_usage_errors_and_help(capsys):
    assert main([]) == 2
    assert main(["--help"]) == 0
    assert "Exit status" in capsys.readouterr().out


def test_dispatch_through_python_m(game_fixtures):
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "validate", "--json",
                           str(game_fixtures / "saves" / "save_slot1.fresh.json")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["slots"][0]["slot_id"] == "slot1"


def test_closed_pipe_gives_no_traceback(game_fixtures):
    proc = subprocess.Popen([sys.executable, "-m", "inspector_app", "validate", str(game_fixtures)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 2
    assert first.strip() and "Traceback" not in err
