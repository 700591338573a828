"""The one atomic writer (core/common/fileio.py): no-clobber, unchanged detection, stale temps."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from inspector_app.core.common import fileio
from inspector_app.core.common.fileio import (
    FileOutputError, OutputExistsError, atomic_path, cleanup_stale_temps, is_own_temp, same_file, temp_path_for,
    write_atomic,
)


def _names(directory):
    return sorted(p.name for p in directory.iterdir())


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_write_new_existing_overwrite_and_unchanged(tmp_path):
    target = tmp_path / "a.json"
    assert write_atomic(target, b"one") == "written"
    with pytest.raises(OutputExistsError) as info:
        write_atomic(target, b"two")
    assert isinstance(info.value, FileExistsError) and isinstance(info.value, FileOutputError)
    assert info.value.code == "EEXIST" and str(target) in info.value.reason and "already exists" in str(info.value)
    assert target.read_bytes() == b"one"
    assert write_atomic(target, "one", unchanged_ok=True) == "unchanged"        # same bytes: a success
    with pytest.raises(OutputExistsError):
        write_atomic(target, b"ONE", unchanged_ok=True)                        # different bytes: refused
    assert write_atomic(target, "twø", overwrite=True) == "replaced"
    assert target.read_bytes() == "twø".encode()
    assert _names(tmp_path) == ["a.json"]                                       # no temporaries left


def test_failure_messages_name_the_path_and_the_cause(tmp_path):
    with pytest.raises(FileOutputError) as info:
        write_atomic(tmp_path / "missing" / "a.json", b"x")
    assert info.value.code == "ENOENT" and "directory does not exist" in info.value.reason
    assert str(tmp_path / "missing" / "a.json") in info.value.reason


def test_atomic_path_commits_on_success_and_discards_on_error(tmp_path):
    target = tmp_path / "chart.png"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            assert is_own_temp(os.path.basename(tmp))
            with open(tmp, "wb") as fh:
                fh.write(b"half")
            raise RuntimeError("renderer crashed")
    assert _names(tmp_path) == []
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(b"png")
    assert target.read_bytes() == b"png"
    with pytest.raises(FileExistsError):
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(b"other")
    with pytest.raises(FileOutputError, match="nothing was produced"):
        with atomic_path(tmp_path / "empty.svg"):
            pass
    assert _names(tmp_path) == ["chart.png"]


def test_a_file_appearing_meanwhile_is_never_replaced(tmp_path):
    target = tmp_path / "race.csv"
    with pytest.raises(OutputExistsError):
        with atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(b"mine")
            target.write_bytes(b"theirs")          # someone else wrote it after any check we could make
    assert target.read_bytes() == b"theirs"


def test_undecodable_and_long_names(tmp_path):
    odd = os.path.join(os.fsdecode(tmp_path), os.fsdecode(b"r\xe9sum\xe9.json"))   # surrogate-escaped
    assert write_atomic(odd, b"{}") == "written"
    with pytest.raises(OutputExistsError) as info:
        write_atomic(odd, b"[]")
    info.value.reason.encode("utf-8")               # printable, never a UnicodeEncodeError
    long_name = "x" * 250 + ".json"
    tmp = temp_path_for(tmp_path / long_name)
    assert len(os.fsencode(os.path.basename(tmp))) <= 255 and is_own_temp(os.path.basename(tmp))
    assert write_atomic(tmp_path / long_name, b"1") == "written"


def test_same_file(tmp_path):
    a = tmp_path / "a"
    a.write_text("x")
    (tmp_path / "link").symlink_to(a)
    assert same_file(a, tmp_path / "link") and same_file(a, tmp_path / "sub" / ".." / "a")
    assert not same_file(a, tmp_path / "b")


def test_cleanup_removes_only_our_stale_temporaries(tmp_path):
    dead = _dead_pid()
    stale = tmp_path / f".report.json.{dead}.0.tmp"
    stale.write_bytes(b"partial")
    mine = tmp_path / f".report.json.{os.getpid()}.99.tmp"          # this process: maybe in flight
    mine.write_bytes(b"mine")
    alive = tmp_path / f".report.json.{os.getppid()}.1.tmp"         # a live process, recent: in flight
    alive.write_bytes(b"live")
    old = tmp_path / f".old.csv.{os.getppid()}.2.tmp"               # live pid but ancient: pid reused
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 3 * 86400,) * 2)
    others = [".report.json.tmp", "report.json.123.0.tmp", ".x.abc.0.tmp", "keep.json"]
    for name in others:
        (tmp_path / name).write_bytes(b"not ours")
    (tmp_path / f".dir.{dead}.0.tmp").mkdir()                          # not a regular file
    (tmp_path / f".link.{dead}.0.tmp").symlink_to(tmp_path / "keep.json")

    removed = cleanup_stale_temps(tmp_path)
    assert sorted(removed) == sorted([str(stale), str(old)])
    assert not stale.exists() and not old.exists()
    assert mine.exists() and alive.exists() and (tmp_path / f".dir.{dead}.0.tmp").is_dir()
    assert all((tmp_path / name).exists() for name in others)
    assert cleanup_stale_temps(tmp_path / "does-not-exist") == []


def test_killed_writer_leaves_a_temporary_that_the_next_run_removes(tmp_path):
    """A process killed between the write and the move leaves its temporary; the next run's
    cleanup removes it (deterministic: the child stops itself with SIGKILL at that point)."""
    code = (
        "import os, signal, sys\n"
        "from inspector_app.core.common import fileio\n"
        "def die(tmp, path, **kw):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "fileio._commit = die\n"
        "fileio.write_atomic(sys.argv[1], b'x' * 100000)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "big.json")], env=env,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), timeout=60)
    assert proc.returncode == -9
    leftovers = _names(tmp_path)
    assert len(leftovers) == 1 and is_own_temp(leftovers[0]) and leftovers[0].startswith(".big.json.")
    assert cleanup_stale_temps(tmp_path) == [str(tmp_path / leftovers[0])]
    assert _names(tmp_path) == []


def test_no_other_atomic_writer_in_the_code_base():
    """One home: nothing else in the package builds temp-then-rename writes by hand."""
    root = os.path.dirname(os.path.dirname(fileio.__file__))
    offenders = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py") or os.path.join(dirpath, name) == fileio.__file__:
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                text = fh.read()
            if "os.replace(" in text or "mkstemp(" in text or "os.link(" in text:
                offenders.append(os.path.relpath(os.path.join(dirpath, name), root))
    assert offenders == []
