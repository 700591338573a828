"""FileSystemWriter: atomic, no silent overwrite, safe names, clear failures (spec §2, §9.2)."""
from __future__ import annotations

import errno
import os

import pytest

from inspector_app.core.common import fileio
from inspector_app.core.export import writers as writers_mod
from inspector_app.core.export.adapter import WriterAdapter
from inspector_app.core.export.artifacts import Artifact, build_artifacts
from inspector_app.core.export.naming import safe_filename_component
from inspector_app.core.export.writers import FileSystemWriter, MemoryWriter, WriterError

ART = Artifact("json", "summary.json", "application/json", '{"ok":true}')


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_utf8_without_bom_with_exactly_one_newline(tmp_path):
    writer = FileSystemWriter(tmp_path / "ci" / "artifacts")           # nested folder is created
    path = writer.write(ART, {})
    assert path == str((tmp_path / "ci" / "artifacts" / "summary.json").resolve())
    assert (tmp_path / "ci" / "artifacts" / "summary.json").read_bytes() == b'{"ok":true}\n'
    writer.write(Artifact("csv", "many.csv", "text/csv", "a,b\n\n\n"), {})
    writer.write(Artifact("csv", "none.csv", "text/csv", ""), {})
    writer.write(Artifact("md", "é.md", "text/markdown", "Mnemosynē\n"), {})
    assert (tmp_path / "ci/artifacts/many.csv").read_bytes() == b"a,b\n"
    assert (tmp_path / "ci/artifacts/none.csv").read_bytes() == b"\n"
    assert (tmp_path / "ci/artifacts/é.md").read_bytes() == "Mnemosynē\n".encode()   # no BOM
    assert _leftovers(tmp_path / "ci" / "artifacts") == []


def test_context_artifact_dir_overrides_the_root(tmp_path):
    FileSystemWriter(tmp_path / "root").write(Artifact("csv", "row.csv", "text/csv", "row"),
                                              {"artifactDir": str(tmp_path / "other")})
    assert (tmp_path / "other" / "row.csv").read_text() == "row\n"


def test_never_overwrites_silently(tmp_path):
    (tmp_path / "summary.json").write_text("old\n")
    with pytest.raises(WriterError) as info:
        FileSystemWriter(tmp_path).write(ART, {})
    assert info.value.code == "EEXIST" and "already exists" in info.value.reason
    assert (tmp_path / "summary.json").read_text() == "old\n"
    assert _leftovers(tmp_path) == []
    FileSystemWriter(tmp_path, overwrite=True).write(ART, {})
    assert (tmp_path / "summary.json").read_text() == '{"ok":true}\n'


@pytest.mark.parametrize("prefix", ["../../x", "..", "/etc/passwd", "a/../../b", "..\\..\\win", "CON", "nul.txt",
                                    "COM1", "  ", "", ".hidden", "x:y*z?", "tab\tname\n"])
def test_traversal_and_device_prefixes_stay_inside_the_directory(tmp_path, prefix):
    out = tmp_path / "out"
    aset = build_artifacts({"generatedAt": 1762106784700}, formats="json", prefix=prefix)
    name = aset.artifacts[0].filename
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name.split(".", 1)[0].upper() not in {"CON", "NUL", "COM1"}
    path = FileSystemWriter(out).write(aset.artifacts[0], {})
    assert os.path.dirname(path) == str(out.resolve())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]     # nothing escaped


def test_writer_sanitises_hostile_filenames_itself(tmp_path):
    out = tmp_path / "out"
    path = FileSystemWriter(out).write({"filename": "../../escape.json", "content": "x"}, {})
    assert os.path.dirname(path) == str(out.resolve())
    assert safe_filename_component("../../x") == "_.._.._x"
    assert safe_filename_component(safe_filename_component("../CON")) == safe_filename_component("../CON")
    with pytest.raises(WriterError):
        FileSystemWriter(out).write({"filename": "  ", "content": "x"}, {})


def test_crash_mid_write_leaves_nothing_new(tmp_path, monkeypatch):
    real_write = os.write

    def half_then_crash(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise KeyboardInterrupt  # the process is being killed mid-write

    monkeypatch.setattr(writers_mod.os, "write", half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        FileSystemWriter(tmp_path).write(Artifact("json", "big.json", "application/json", "x" * 100_000), {})
    assert list(tmp_path.iterdir()) == []                           # no target, no temp file


def test_crash_mid_overwrite_leaves_the_old_file(tmp_path, monkeypatch):
    (tmp_path / "summary.json").write_text("old\n")

    def crash(fd, data):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writers_mod.os, "write", crash)
    with pytest.raises(WriterError) as info:
        FileSystemWriter(tmp_path, overwrite=True).write(ART, {})
    assert "input/output error" in info.value.reason
    assert (tmp_path / "summary.json").read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_disk_full_becomes_a_writer_failure_and_others_go_on(tmp_path, monkeypatch):
    real_write = os.write
    calls = {"n": 0}

    def enospc_on_first(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(writers_mod.os, "write", enospc_on_first)
    memory = MemoryWriter()
    arts = [ART, Artifact("csv", "b.csv", "text/csv", "h\n")]
    metrics = WriterAdapter([FileSystemWriter(tmp_path), memory]).write_artifacts(arts)
    failure = metrics.to_json()["failures"]
    assert len(failure) == 1 and failure[0]["errorCode"] == "ENOSPC"
    assert "no space left on device (disk full)" in failure[0]["error"]
    assert str(tmp_path / "summary.json") in failure[0]["error"]
    assert not (tmp_path / "summary.json").exists() and (tmp_path / "b.csv").read_text() == "h\n"
    assert set(memory.files) == {"summary.json", "b.csv"}
    assert _leftovers(tmp_path) == []


def test_permission_denied_is_a_clear_failure(tmp_path, monkeypatch):
    # Tests may run as root (chmod would not stop root), so the refusal is simulated at os.open.
    real_open = os.open

    def deny(path, flags, mode=0o777, *a, **k):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, *a, **k)

    monkeypatch.setattr(writers_mod.os, "open", deny)
    metrics = WriterAdapter([FileSystemWriter(tmp_path)]).write_artifacts([ART])
    failure = metrics.to_json()["failures"][0]
    assert failure["errorCode"] == "EACCES" and "permission denied" in failure["error"]
    assert list(tmp_path.iterdir()) == []


def test_read_only_file_system_and_unusable_directory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("i am a file")
    with pytest.raises(WriterError) as info:
        FileSystemWriter(blocker / "sub").write(ART, {})
    assert "cannot create" in info.value.reason or "not a directory" in info.value.reason

    real_open = os.open

    def erofs(path, flags, mode=0o777, *a, **k):
        if str(path).endswith(".tmp"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode, *a, **k)

    monkeypatch.setattr(writers_mod.os, "open", erofs)
    with pytest.raises(WriterError) as info:
        FileSystemWriter(tmp_path / "ro").write(ART, {})
    assert info.value.code == "EROFS" and "read-only file system" in info.value.reason


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions")
def test_real_read_only_directory(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(WriterError) as info:
            FileSystemWriter(ro).write(ART, {})
        assert info.value.code == "EACCES"
    finally:
        ro.chmod(0o700)


def test_memory_writer_keeps_contents_and_contexts():
    memory = MemoryWriter()
    assert memory.write(ART, {"writerId": "memory"}) == "memory:summary.json"
    assert memory.files == {"summary.json": '{"ok":true}\n'} and memory.contexts == [{"writerId": "memory"}]
    strict = MemoryWriter(overwrite=False)
    strict.write(ART, {})
    with pytest.raises(WriterError):
        strict.write(ART, {})


@pytest.mark.parametrize("mode", ["link", "no-hardlinks"])
def test_no_clobber_fallbacks_without_renameat2(tmp_path, monkeypatch, mode):
    monkeypatch.setattr(fileio, "_renameat2", None)
    if mode == "no-hardlinks":
        def no_link(src, dst):
            raise OSError(errno.EPERM, "Operation not permitted")
        monkeypatch.setattr(writers_mod.os, "link", no_link)
    writer = FileSystemWriter(tmp_path)
    writer.write(ART, {})
    assert (tmp_path / "summary.json").read_text() == '{"ok":true}\n'
    with pytest.raises(WriterError) as info:
        writer.write(Artifact("json", "summary.json", "application/json", "new"), {})
    assert info.value.code == "EEXIST"
    assert (tmp_path / "summary.json").read_text() == '{"ok":true}\n'
    assert _leftovers(tmp_path) == []


def test_directory_removed_between_exports_is_recreated(tmp_path):
    import shutil
    writer = FileSystemWriter(tmp_path / "out")
    writer.write(ART, {})
    shutil.rmtree(tmp_path / "out")
    writer.write(Artifact("csv", "b.csv", "text/csv", "x"), {})
    assert (tmp_path / "out" / "b.csv").read_text() == "x\n"
