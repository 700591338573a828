"""Reading a file into memory (``loader._read_file``): chunks appended to one growing buffer, so
no single call zero-fills the whole file's size with the GIL held (issue 13 row 2)."""
from __future__ import annotations

import orjson
import pytest

import inspector_app.core.loading.loader as loader_mod
from inspector_app.core.demo.synthetic import build_large_save
from inspector_app.core.loading.loader import load_path


@pytest.mark.parametrize("extra", [0, 1, -1, 4097])
def test_every_byte_is_read_whatever_the_chunk_boundaries(tmp_path, monkeypatch, extra):
    data = build_large_save(40)
    chunk = 4096
    monkeypatch.setattr(loader_mod, "READ_CHUNK", chunk)
    # a file exactly on a chunk boundary, one byte over or under, and a chunk and a byte over
    body = orjson.loads(data)
    compact = orjson.dumps(body)
    size = (len(compact) // chunk + 1) * chunk + extra
    padded = compact + b" " * (size - len(compact))
    path = tmp_path / "save_slot1.json"
    path.write_bytes(padded)
    seen: list[tuple[int, int]] = []
    doc = load_path(path, progress=lambda done, total, text="": text.startswith("Reading") and seen.append((done, total)))
    assert doc.slots[0].payload == body
    assert seen[-1] == (size, size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen), "progress only moves forward"


def test_the_buffer_is_never_allocated_at_the_files_full_size(tmp_path, monkeypatch):
    """``bytearray(size)`` would zero-fill every page in one call; the reader only appends."""
    path = tmp_path / "save_slot1.json"
    path.write_bytes(build_large_save(200))
    monkeypatch.setattr(loader_mod, "READ_CHUNK", 8192)
    sizes: list[int] = []

    def recording(*args):
        if args and isinstance(args[0], int):
            sizes.append(args[0])
        return bytearray(*args)

    monkeypatch.setattr(loader_mod, "bytearray", recording, raising=False)
    doc = load_path(path)
    assert doc.slots[0].payload == orjson.loads(path.read_bytes())
    assert not [n for n in sizes if n > 8192], "no buffer the size of the file is allocated up front"


def test_a_file_smaller_than_a_chunk_is_read_in_one_call(tmp_path):
    data = build_large_save(10)
    assert len(data) < loader_mod.READ_CHUNK
    path = tmp_path / "save_slot1.json"
    path.write_bytes(data)
    seen: list[tuple[int, int]] = []
    doc = load_path(path, progress=lambda done, total, text="": text.startswith("Reading") and seen.append((done, total)))
    assert doc.slots[0].payload == orjson.loads(data)
    assert seen == [(0, len(data)), (len(data), len(data))]


def test_a_big_file_is_read_in_one_call_and_whole(tmp_path, monkeypatch):
    """From ``WHOLE_READ_MIN`` on, one read fills a buffer of the file's size (the GIL free
    throughout, each byte copied once); every byte arrives, and progress goes 0 → all."""
    data = build_large_save(200)
    path = tmp_path / "save_slot1.json"
    path.write_bytes(data)
    monkeypatch.setattr(loader_mod, "WHOLE_READ_MIN", len(data) // 2)
    monkeypatch.setattr(loader_mod, "READ_CHUNK", 8192)
    seen: list[tuple[int, int]] = []
    doc = load_path(path, progress=lambda done, total, text="": text.startswith("Reading") and seen.append((done, total)))
    assert doc.slots[0].payload == orjson.loads(data)
    assert seen == [(0, len(data)), (len(data), len(data))]
