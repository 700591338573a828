"""The chunked parse of big documents gives exactly orjson's value, or steps aside."""
from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.demo.synthetic import build_large_save
from inspector_app.core.loading.chunked import NotChunkable, loads_chunked

scalars = st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(alphabet=st.sampled_from(list('ab",:{}[]\\ \u00e9\u65e5\U0001f600\n')), max_size=10)
docs = st.recursive(scalars, lambda c: st.lists(c, max_size=6) | st.dictionaries(
    st.text(alphabet=st.sampled_from(list('ab",:{}\\\u00e9')), max_size=4), c, max_size=6), max_leaves=60)
containers = st.one_of(st.lists(docs, min_size=1, max_size=8), st.dictionaries(st.text(max_size=5), docs, min_size=1,
                                                                                max_size=8))


def _chunked_or_none(data: bytes, chunk: int):
    try:
        return loads_chunked(data, chunk=chunk)
    except NotChunkable:
        return None


@settings(max_examples=80, deadline=None)
@given(containers, st.booleans(), st.sampled_from([8, 16, 64, 256]))
def test_same_value_as_orjson(doc, pretty, chunk):
    data = orjson.dumps(doc, option=orjson.OPT_INDENT_2 if pretty else 0)
    got = _chunked_or_none(data, chunk)
    if got is not None:
        assert got[0] == orjson.loads(data)
        assert got[1] is False  # orjson.dumps never writes a key twice


@settings(max_examples=100, deadline=None)
@given(containers, st.booleans(), st.sampled_from([8, 16, 64]), st.data())
def test_never_accepts_what_orjson_rejects(doc, pretty, chunk, data):
    text = bytearray(orjson.dumps(doc, option=orjson.OPT_INDENT_2 if pretty else 0))
    for _ in range(data.draw(st.integers(1, 3))):
        how = data.draw(st.sampled_from(["drop", "insert", "flip"]))
        i = data.draw(st.integers(0, max(0, len(text) - 1)))
        if how == "drop" and text:
            del text[i]
        elif how == "insert":
            text[i:i] = data.draw(st.sampled_from([b",", b"}", b"]", b"{", b"[", b'"', b":", b"\\", b" 1", b"\x0b"]))
        elif text:
            text[i] = data.draw(st.integers(0, 255))
    try:
        expected = orjson.loads(bytes(text))
    except orjson.JSONDecodeError:
        expected = NotChunkable
    got = _chunked_or_none(bytes(text), chunk)
    if expected is NotChunkable:
        assert got is None
    elif got is not None:
        assert got[0] == expected


def test_duplicate_keys_are_noticed_across_and_within_pieces():
    members = ",".join(f'"k{i}":{{"v":[{i},{i}]}}' for i in range(300))
    for dup in ('"k5":1,', '"k299":2,'):
        data = ("{" + members.replace('"k200":', dup + '"k200":') + "}").encode()
        value, maybe = loads_chunked(data, chunk=64)
        assert value == orjson.loads(data) and maybe is True


def test_a_big_save_is_parsed_in_many_short_pieces():
    data = build_large_save(3000)
    parse_value, maybe = loads_chunked(data, chunk=64 * 1024)
    assert parse_value == orjson.loads(data) and maybe is False


@pytest.mark.parametrize("text", [b'{"a": 1}\xef\xbb\xbf', b"\xef\xbb\xbf{}", b'[1, 2] x', b"5", b'"s"', b"",
                                  b"[" * 1025 + b"]" * 1025])
def test_steps_aside_for_what_the_whole_parse_must_explain(text):
    with pytest.raises(NotChunkable):
        loads_chunked(text, chunk=8)


@pytest.mark.parametrize("inner", [1018, 1019, 1020, 1021, 1022, 1023])
def test_the_depth_limit_is_the_whole_documents(inner):
    """Pieces are parsed as if nested where they sit: a document nested one level too deep
    is refused although each piece alone would pass."""
    deep = "[" * inner + "]" * inner
    pad = ",".join(f'{{"n":{i},"s":"{"x" * 20}"}}' for i in range(200))
    data = f'{{"gameData":{{"big":[{pad},{{"deep":{deep}}},{pad}]}}}}'.encode()
    try:
        expected = orjson.loads(data)
    except orjson.JSONDecodeError:
        expected = None
    got = _chunked_or_none(data, 256)
    assert (got is None) if expected is None else (got is None or _same(got[0], expected))


def _same(a, b) -> bool:
    """== without recursion (the values nest 1,000 deep)."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if list(x) != list(y):
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y))
        elif x != y:
            return False
    return True


def test_the_loader_parses_a_big_single_save_in_pieces(tmp_path, monkeypatch):
    """A 4 MB+ save goes through the chunked parse (short GIL holds), and loads the same."""
    from inspector_app.core.loading.chunked import ChunkedParse
    from inspector_app.core.loading.loader import load_path

    calls = []
    real = ChunkedParse.run    # a big single save is read as a skeleton by the chunked parse (sections.py)
    monkeypatch.setattr(ChunkedParse, "run", lambda self: calls.append(1) or real(self))
    data = build_large_save(9000)
    assert len(data) >= 4 * 1024 * 1024
    path = tmp_path / "big.json"
    path.write_bytes(orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2))
    doc = load_path(path)
    assert calls and doc.slots[0].payload == orjson.loads(data)
    assert not [p for p in doc.all_problems if p.code == "duplicate_key"]


def test_a_duplicate_key_in_a_big_save_is_still_reported(tmp_path):
    from inspector_app.core.loading.loader import load_path

    data = build_large_save(9000).replace(b'"gameData":{', b'"gameData":{"quests":{},', 1)
    path = tmp_path / "dup.json"
    path.write_bytes(data)
    doc = load_path(path)
    assert [p.location for p in doc.all_problems if p.code == "duplicate_key"] == ["$.gameData.quests"]


def test_cancel_stops_the_chunked_parse():
    from inspector_app.core.loading.document import LoadCancelled

    with pytest.raises(LoadCancelled):
        loads_chunked(build_large_save(3000), cancelled=lambda: True, chunk=64 * 1024)


@pytest.mark.parametrize("pretty", [False, True])
def test_the_games_text_is_proven_piece_by_piece(pretty):
    """Text the game wrote (orjson's / JSON.stringify's layout) equals each piece's own
    serialisation, indented as deep as it sits: those ranges skip the duplicate-key and digit
    scans, and together they are nearly the whole text."""
    from inspector_app.core.loading.chunked import ChunkedParse

    value = orjson.loads(build_large_save(3000))
    data = orjson.dumps(value, option=orjson.OPT_INDENT_2 if pretty else 0)
    parse = ChunkedParse(data, chunk=64 * 1024)
    assert parse.run() == value and parse.maybe_duplicates is False
    proven = sum(end - start for start, end in parse.proven)
    assert proven > 0.95 * len(data)
    assert all(orjson.loads(data[start:end] if data[start:start + 1] in (b"{", b"[") else b"{" + data[start:end] + b"}")
               for start, end in parse.proven[:3])
    assert parse.may_have_long_integers() is False


@pytest.mark.parametrize("pretty", [False, True])
def test_an_integer_beyond_64_bits_is_never_in_a_proven_piece(pretty):
    """orjson reads it as a float, which it writes differently: the piece is not proven, and
    the digit scan over what is not proven finds the run (the loader then parses it whole)."""
    from inspector_app.core.loading.chunked import ChunkedParse

    value = orjson.loads(build_large_save(3000))
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2 if pretty else 0)
    needle = b'"quantity": 1' if pretty else b'"quantity":1'
    at = text.index(needle, len(text) // 2)
    data = text[:at] + needle[:-1] + b"123456789012345678901234" + text[at + len(needle):]
    parse = ChunkedParse(data, chunk=64 * 1024)
    assert parse.run() == orjson.loads(data)
    assert parse.may_have_long_integers() is True
    assert not any(start <= at < end for start, end in parse.proven)


def test_a_containers_last_members_are_one_piece():
    """Where no separator lies a chunk on, the container may end sooner: its remaining
    members are parsed as one run (orjson tells where the container ends), not one by one."""
    from inspector_app.core.loading.chunked import ChunkedParse

    flags = {f"flag_{i:05d}": {"value": i % 2 == 0, "metadata": {"source": "x"}, "updatedAt": i} for i in range(3000)}
    items = [{"id": f"it_{i}", "tags": ["a", "b"], "metadata": {"n": i}} for i in range(3000)]
    # after the items, brackets that balance: a separator found there by counting does not parse
    after = {"x": [{"a": 1}, {"b": [2, {"c": 3}]}], "equipped": {"slot": "s" * 5000}}
    doc = {"gameData": {"storyFlags": {"flags": flags}, "after": [1, 2, 3],
                        "inventory": {"items": items, **after}}, "tail": "t" * 10}
    for option in (0, orjson.OPT_INDENT_2):
        data = orjson.dumps(doc, option=option)
        calls = []
        parse = ChunkedParse(data, chunk=16 * 1024)
        real = parse._value
        parse._value = lambda i, depth: calls.append(depth) or real(i, depth)
        assert parse.run() == doc and parse.maybe_duplicates is False
        assert len(calls) < 30        # the keys' values above the flags and items, not 3,000 of them


def test_an_array_cut_inside_an_element_is_cut_again():
    """Arrays are cut at the first separator that looks like one, without counting brackets;
    when that lands inside an element (elements holding arrays of objects), orjson refuses the
    piece and the counted search finds the real separator."""
    items = [{"subs": [{"a": i}, {"b": [i, {"c": i}]}], "pad": "x" * (i % 40)} for i in range(3000)]
    data = orjson.dumps({"gameData": {"inventory": {"items": items}}})
    value, maybe = loads_chunked(data, chunk=4096)
    assert value == orjson.loads(data) and maybe is False


def test_pretty_text_is_cut_at_its_members_lines_without_counting(monkeypatch):
    """Text indented by two spaces (``JSON.stringify(v, null, 2)``): ``,\\n`` and the container's
    indentation start its next member (a raw newline is never inside a string), so the cuts
    need neither bracket counting nor guessing (session 7: ~16 ms of a 50 MB pretty save)."""
    from inspector_app.core.loading.chunked import ChunkedParse

    value = orjson.loads(build_large_save(3000))
    data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    counted, closings = [], []
    real = ChunkedParse._find_cut
    monkeypatch.setattr(ChunkedParse, "_find_cut", lambda self, *a, **k: counted.append(a) or real(self, *a, **k))
    real_tail = ChunkedParse._indented_tail
    monkeypatch.setattr(ChunkedParse, "_indented_tail",
                        lambda self, *a, **k: closings.append(a) or real_tail(self, *a, **k))
    parse = ChunkedParse(data, chunk=16 * 1024)
    assert parse.run() == value and parse.maybe_duplicates is False
    assert parse.pieces > 20 and counted == []
    # the closing line is looked for where a container ends, not on every piece (that scan of
    # the whole piece cost more than the bracket counting it replaced)
    assert len(closings) < parse.pieces // 4
    assert sum(end - start for start, end in parse.proven) > 0.95 * len(data)


def test_pretty_text_indented_another_way_falls_back_to_counting():
    """The layout is guessed from the first line: where the members' lines are not where two
    spaces a level put them (a big container written on one line, or hand-indented), the
    indented cut finds nothing that parses and the counted search cuts; same value."""
    items = [{"id": f"it_{i}", "tags": ["a", "b"], "n": {"v": i}} for i in range(3000)]
    flags = {f"flag_{i:05d}": {"value": i % 2 == 0} for i in range(3000)}
    one_line = b'{\n  "items": ' + orjson.dumps(items) + b',\n  "flags": ' + orjson.dumps(flags) + b"\n}"
    shifted = orjson.dumps({"items": items}, option=orjson.OPT_INDENT_2).replace(b'\n    {', b'\n      {')
    for data in (one_line, shifted):
        value, maybe = loads_chunked(data, chunk=4096)
        assert value == orjson.loads(data) and maybe is False
