"""``validate`` on hostile inputs (issue 9): big integers, non-UTF-8 file names, FIFOs,
terminal escapes in labels, 200,000-slot profiles, deep nesting. Always a complete report,
exit 0/2, never a traceback, never a hang."""
from __future__ import annotations

import json
import os
import sys

import orjson
import pytest

from inspector_app.cli.validate import MAX_SAME_PROBLEM, main
from inspector_app.core.loading.document import LoadError
from inspector_app.core.loading.loader import load_path

SAVE = {"version": 1, "timestamp": 1762106410000, "playtime": 10000, "slot": "slot1",
        "meta": {"snapshotSource": "worldStateStore", "slotLabel": "x"},
        "gameData": {"storyFlags": {"flags": {}}, "quests": {"byId": {}}}}


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _write(path, text: str) -> str:
    path.write_bytes(text.encode())
    return str(path)


BIG = 2 ** 70 + 1


@pytest.mark.parametrize("where", ["version", "timestamp", "playtime", "engine", "summary", "index"])
def test_json_report_keeps_integers_beyond_64_bits_exact(where, capsys, tmp_path):
    if where in ("version", "timestamp", "playtime"):
        text = json.dumps({**SAVE, where: BIG})
    elif where == "engine":
        text = json.dumps({"version": "1.0", "timestamp": BIG, "slot": BIG, "player": {}, "worldState": {},
                           "meta": {"playtime": BIG}})
    elif where == "summary":
        text = json.dumps({"generatedAt": BIG, "source": "worldStateStore", "factions": {}, "tutorial": {}})
    else:  # the index entry of an unreadable slot is echoed
        text = json.dumps({"save_metadata": json.dumps({"a": {"timestamp": BIG, "playtime": BIG, "version": BIG}}),
                           "save_a": "{truncated"})
    good = _write(tmp_path / "good.json", json.dumps(SAVE))
    code, out, err = _run(capsys, "--json", _write(tmp_path / "big.json", text), good)
    assert code in (0, 2) and "Traceback" not in err
    results = json.loads(out)
    assert [r["path"] for r in results] == [str(tmp_path / "big.json"), good]  # one bad file hides nothing
    assert str(BIG) in out  # written as an exact JSON number ...
    assert f'"{BIG}"' not in out  # ... not as a string
    code, out, _ = _run(capsys, _write(tmp_path / "big.json", text))
    assert code in (0, 2) and out.strip()


def test_a_version_nested_1000_deep_is_described_not_echoed(capsys, tmp_path):
    deep = "[" * 1000 + "]" * 1000
    path = _write(tmp_path / "deep.json", json.dumps(SAVE).replace('"version": 1', f'"version": {deep}'))
    code, out, err = _run(capsys, "--json", path)
    assert code in (0, 2) and "Traceback" not in err
    (result,) = json.loads(out)
    assert result["slots"][0]["version"] == "a JSON array of 1 item"
    assert _run(capsys, path)[1]


def test_file_names_that_are_not_utf8(capsys, tmp_path):
    name = os.fsdecode(b"caf\xe9-\xff.json")
    path = tmp_path / name
    path.write_bytes(json.dumps(SAVE).encode())
    code, out, err = _run(capsys, str(tmp_path))
    assert code == 0 and "Traceback" not in err
    assert "caf\\xe9-\\xff.json" in out
    code, out, err = _run(capsys, "--json", str(path))
    assert code == 0
    (result,) = json.loads(out)
    assert os.fsencode(result["path"]) == os.fsencode(str(path))  # surrogateescape round trip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifos_are_refused_and_skipped_never_opened(capsys, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(LoadError) as err:
        load_path(fifo)  # would block forever if it opened the FIFO
    assert err.value.problem.code == "not_a_file" and "named pipe" in err.value.problem.message
    _write(tmp_path / "good.json", json.dumps(SAVE))
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 0
    assert "1 JSON file (skipped 1 that is not regular files: pipe.json)" in out
    code, out, _ = _run(capsys, "--json", str(fifo))
    assert code == 2 and json.loads(out)[0]["error"]["code"] == "not_a_file"


def test_labels_cannot_drive_the_terminal(capsys, tmp_path):
    hostile = "\x1b[2J\x1b[H\rOK         fake.json\u202e\u200b\x9b31m"
    save = {**SAVE, "meta": {**SAVE["meta"], "slotLabel": hostile}}
    profile = {"save_" + "k\x1bey": json.dumps(save), "save_metadata": json.dumps({"k\x1bey": {"label": hostile}})}
    path = _write(tmp_path / "hostile\x1b.json", json.dumps(profile))
    code, out, _ = _run(capsys, path, str(tmp_path / "missing\r.json"))
    for bad in ("\x1b", "\r", "\u202e", "\u200b", "\x9b"):
        assert bad not in out
    assert "\\x1b[2J" in out and "\\u202e" in out and "hostile\\x1b.json" in out and "missing\\r.json" in out
    code, out, _ = _run(capsys, "--json", path)
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
    (result,) = json.loads(out)
    assert result["slots"][0]["label"] == hostile  # the JSON value itself is exact


def test_many_slots_with_the_same_problem_are_counted_not_listed(capsys, tmp_path):
    n = 3000  # the profile has 200,000; the rule is the same
    path = tmp_path / "many.json"
    path.write_bytes(orjson.dumps({f"save_s{i}": "{}" for i in range(n)}, option=orjson.OPT_INDENT_2))
    code, out, _ = _run(capsys, str(path))
    assert code == 0
    assert out.count("notice: $.version: Legacy save") == MAX_SAME_PROBLEM
    assert f"\u2026 and {n - MAX_SAME_PROBLEM:,} more slots with the same problem (notice: legacy_version)" in out
    assert out.count("           slot s") == n
    code, out, _ = _run(capsys, "--json", str(path))
    (result,) = json.loads(out)
    assert len(result["slots"]) == n
    assert sum(len(s["problems"]) for s in result["slots"]) == MAX_SAME_PROBLEM
    assert result["more_problems"] == [{"code": "legacy_version", "severity": "notice", "count": n - MAX_SAME_PROBLEM,
                                        "slots": n - MAX_SAME_PROBLEM, "example": result["slots"][0]["problems"][0]
                                        ["message"]}]


def test_legacy_display_payload_is_made_on_demand_beyond_the_first_slots(tmp_path):
    from inspector_app.core.loading.profile import WARM_DISPLAY_SLOTS

    n = WARM_DISPLAY_SLOTS + 6
    path = tmp_path / "legacy.json"
    path.write_bytes(orjson.dumps({f"save_s{i:03d}": orjson.dumps({"version": 0, "gameData": {}}).decode()
                                   for i in range(n)}))
    doc = load_path(path)
    made = [s.__dict__.get("_display") is not None for s in doc.slots]
    assert made == [True] * WARM_DISPLAY_SLOTS + [False] * 6   # the first ones in the worker, the rest on demand
    assert doc.slots[-1].display_payload["version"] == 1 and doc.slots[-1].payload["version"] == 0
    assert doc.slots[-1].game_data is not None


def test_closed_pipe_midway_still_validates_everything(tmp_path):
    import subprocess

    for i in range(30):
        _write(tmp_path / f"f{i:02d}.json", json.dumps(SAVE))
    _write(tmp_path / "zz-broken.json", "{")
    proc = subprocess.Popen([sys.executable, "-m", "inspector_app", "validate", "--json", str(tmp_path)],
                            cwd=os.path.dirname(os.path.dirname(__file__)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 2 and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_export_refuses_a_fifo_instead_of_hanging(tmp_path, capsys):
    from inspector_app.cli.export import main as export_main

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert export_main([str(fifo), "--out", str(tmp_path / "out")]) == 2
    assert "named pipe (FIFO)" in capsys.readouterr().err


def test_a_part_that_cannot_be_written_leaves_the_json_report_valid(capsys, tmp_path, monkeypatch):
    import inspector_app.cli.validate as v

    real = v._jsonable
    monkeypatch.setattr(v, "_jsonable", lambda value: (_ for _ in ()).throw(RecursionError())
                        if isinstance(value, dict) and "slot_id" in value else real(value))
    path = _write(tmp_path / "one.json", json.dumps(SAVE))
    code, out, err = _run(capsys, "--json", path, path)
    results = json.loads(out)
    assert len(results) == 2 and "internal_error" in results[0]["slots"][0] and "Traceback" not in err
