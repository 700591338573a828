"""A big single save read as a skeleton (core/loading/sections.py, issue 13 row 3): its big
containers stay text until asked, and every consumer still sees what an eager load gives."""
from __future__ import annotations

import random

import orjson
import pytest

from inspector_app.core.demo.synthetic import build_large_save
from inspector_app.core.loading.chunked import NotChunkable
from inspector_app.core.loading.jsonparse import JsonParseError, parse_json
from inspector_app.core.loading.sections import (
    LazyContainer, SectionError, compress_sections, has_lazy, lazy_containers, loads_sectioned, materialize,
)

SMALL = dict(chunk=4096, lazy_min=16384)   # small pieces, so a small save has lazy parts


@pytest.fixture(scope="module")
def small_save() -> bytes:
    return build_large_save(300)


@pytest.fixture(scope="module")
def big_save_path(tmp_path_factory) -> "tuple":
    data = build_large_save(9000)       # ~4.2 MB: the loader reads it as a skeleton
    assert len(data) >= 4 * 1024 * 1024
    path = tmp_path_factory.mktemp("sections") / "save_big.json"
    path.write_bytes(data)
    return path, data


@pytest.mark.parametrize("pretty", [False, True])
def test_the_skeleton_materialises_to_what_orjson_reads(small_save, pretty):
    data = orjson.dumps(orjson.loads(small_save), option=orjson.OPT_INDENT_2) if pretty else small_save
    skeleton, duplicates = loads_sectioned(bytearray(data), **SMALL)
    lazy = list(lazy_containers(skeleton))
    assert not duplicates
    assert {c.path for c in lazy} >= {("gameData", "inventory", "items")}
    assert materialize(skeleton) == orjson.loads(data)
    for c in lazy:
        plain = materialize(c)
        assert len(c) == len(plain)
        assert c.json_size() == len(orjson.dumps(plain))
        members = list(plain.items()) if c.is_dict else list(enumerate(plain))
        for start, stop in ((0, 5), (7, 1200), (len(c) - 3, len(c) + 10)):
            assert c.members(start, stop) == members[start:stop]
        key, _ = members[len(members) // 2]
        assert c.row_of_key(key) == len(members) // 2


@pytest.mark.parametrize("pretty", [False, True])
def test_compressed_runs_read_the_same_and_free_the_buffer(small_save, pretty):
    import weakref

    data = orjson.dumps(orjson.loads(small_save), option=orjson.OPT_INDENT_2) if pretty else small_save
    buffer = bytearray(data)
    skeleton, _ = loads_sectioned(buffer, **SMALL)
    items = skeleton["gameData"]["inventory"]["items"]
    before = items.members(3, 900)
    kept = compress_sections(skeleton)
    assert 0 < kept < len(data) / 3
    assert all(c.source is None for c in lazy_containers(skeleton))
    assert items.members(3, 900) == before
    assert materialize(skeleton) == orjson.loads(data)
    assert compress_sections(skeleton) == kept          # once is enough
    del buffer
    probe = bytearray(b"x")
    ref = weakref.ref(skeleton["gameData"]["inventory"]["items"])
    assert ref() is items and probe    # the skeleton lives on without the file's buffer


def test_materialize_shares_what_has_no_lazy_part(small_save):
    skeleton, _ = loads_sectioned(bytearray(small_save), **SMALL)
    plain = materialize(skeleton)
    assert plain["gameData"]["factions"] is skeleton["gameData"]["factions"]
    assert not has_lazy(plain) and has_lazy(skeleton)
    kept = materialize(skeleton, keep=lambda c: c.path == ("gameData", "inventory", "items"))
    assert type(kept["gameData"]["inventory"]["items"]) is LazyContainer
    assert not has_lazy(kept["gameData"]["storyFlags"])


def test_mutated_texts_are_rejected_or_read_exactly(small_save):
    """The skeleton never accepts what orjson rejects, and when it accepts, it is orjson's value."""
    rng = random.Random(7)
    text = bytearray(small_save)
    for _ in range(30):
        mutated = bytearray(text)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(mutated))
            mutated[at:at + 1] = rng.choice([b"", b",", b"}", b"]", b"\"", b"x", b"{", b" "])
        try:
            expected = orjson.loads(bytes(mutated))
        except orjson.JSONDecodeError:
            expected = NotChunkable
        try:
            skeleton, _ = loads_sectioned(bytearray(mutated), **SMALL)
        except NotChunkable:
            continue      # the loader parses it whole: the located error or the value
        assert expected is not NotChunkable
        assert materialize(skeleton) == expected


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("pretty", [False, True])
def test_a_section_that_fails_to_parse_is_located_like_the_whole_parse(small_save, pretty, compressed):
    """If a kept run cannot be parsed again, the error names the JSON path and the line and
    column the whole-text parse reports for the same text (kept as is, or compressed)."""
    value = orjson.loads(small_save)
    buffer = bytearray(orjson.dumps(value, option=orjson.OPT_INDENT_2) if pretty else small_save)
    skeleton, _ = loads_sectioned(buffer, **SMALL)
    items = skeleton["gameData"]["inventory"]["items"]
    start, end, _ = items.runs[3]
    at = buffer.index(b'"name"', start)
    buffer[at + 6] = ord("=")          # "name"= instead of "name":
    if compressed:
        assert compress_sections(skeleton) > 0 and items.source is None
    with pytest.raises(SectionError) as caught:
        items.members(0, len(items))
    with pytest.raises(JsonParseError) as whole:
        parse_json(bytes(buffer))
    assert caught.value.path == "$.gameData.inventory.items"
    assert (caught.value.line, caught.value.column) == (whole.value.line, whole.value.column)
    assert items.members(0, 3)       # the runs before it still read


def test_a_big_single_save_loads_as_a_skeleton_with_every_consumer_seeing_the_eager_value(big_save_path,
                                                                                           monkeypatch):
    import inspector_app.core.loading.loader as loader
    from inspector_app.core.diff.structural import diff_json
    from inspector_app.core.export.inputs import summary_for_slot
    from inspector_app.core.pins import natural_pins, save_refs, series
    from inspector_app.core.search import search_json
    from inspector_app.core.worldstate.views import build_domain_views, sectioned_views_input

    path, data = big_save_path
    doc = loader.load_path(path)
    with monkeypatch.context() as m:
        m.setattr(loader, "SECTIONED_MIN_BYTES", 1 << 40)   # the same file, read the eager way
        eager = loader.load_path(path)
    slot, plain_slot = doc.slots[0], eager.slots[0]
    assert slot.sections is not None and has_lazy(slot.sections) and plain_slot.sections is None
    assert not slot.is_materialised
    expected = orjson.loads(data)
    # the slot's checks ran on the skeleton as on the value
    assert [p.describe() for p in doc.all_problems] == [p.describe() for p in eager.all_problems]
    assert (slot.status, slot.timestamp, slot.playtime, slot.label) == \
        (plain_slot.status, plain_slot.timestamp, plain_slot.playtime, plain_slot.label)
    assert slot.game_section("tutorial") == expected["gameData"]["tutorial"]
    assert slot.payload == expected and slot.game_data == expected["gameData"]
    assert not slot.is_materialised      # the whole value is not kept once read
    # search, Save Summary views, export, pins and compare read what an eager load gives
    assert search_json(slot.payload, "courier", limit=50).hits == search_json(expected, "courier", limit=50).hits
    views = build_domain_views(sectioned_views_input(slot.sections["gameData"]), payload=slot.sections)
    plain = build_domain_views(expected["gameData"], payload=expected)
    assert {k: v.to_dict() for k, v in views.items()} == {k: v.to_dict() for k, v in plain.items()}
    assert views["inventory"].fact("Items") == str(len(expected["gameData"]["inventory"]["items"]))
    assert summary_for_slot(slot) == summary_for_slot(plain_slot)
    pins = [p for tab, fact in (("inventory", "Items"), ("overview", "Playtime"), ("story", "Flags set"))
            for p in natural_pins(tab, fact=fact)]
    assert pins
    values = [[point.value for point in s.points] for s in series(save_refs([doc]), pins)]
    assert values == [[point.value for point in s.points] for s in series(save_refs([eager]), pins)]
    assert [expected["playtime"]] in values
    assert diff_json(slot.payload, plain_slot.payload).is_empty
    slot.cool()
    assert not slot.is_materialised
    # follow-live compares a digest of the text, the same before and after it is compressed
    digest = slot.parked_text
    assert isinstance(digest, bytes) and len(digest) == 32
    assert slot.compress_sections() > 0 and slot.parked_text == digest
    assert slot.payload == expected


def test_the_loader_keeps_plain_values_where_notes_need_the_whole_text(tmp_path, big_save_path):
    """Duplicate keys and integers beyond 64 bits are found by the whole-text checks: such a
    save is read the eager way, with the same notes."""
    from inspector_app.core.loading.loader import load_path

    value = orjson.loads(big_save_path[1])
    text = orjson.dumps(value).replace(b'"version":1', b'"version":1,"big":123456789012345678901234', 1)
    path = tmp_path / "save_bigint.json"
    path.write_bytes(text)
    doc = load_path(path)
    assert doc.slots[0].sections is None
    assert any(p.code == "big_integer" for p in doc.all_problems)


def test_a_big_legacy_save_is_read_the_eager_way(tmp_path, big_save_path):
    """A legacy save's display copy is normalised from the whole value: it is not kept as text."""
    from inspector_app.core.loading.document import SlotStatus
    from inspector_app.core.loading.loader import load_path

    value = orjson.loads(big_save_path[1])
    value["version"] = 0
    path = tmp_path / "save_legacy.json"
    path.write_bytes(orjson.dumps(value))
    slot = load_path(path).slots[0]
    assert slot.status is SlotStatus.LEGACY and slot.sections is None
    assert slot.payload == value and slot.display_payload is not None
