"""search_json / format_path / format_preview: the core of the world-state search."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.search import (
    InvalidSearchPattern,
    SearchCancelled,
    SearchIndex,
    format_preview,
    json_type_name,
    scalar_text,
    search_json,
)

DOC = {
    "version": 1,
    "gameData": {
        "factions": {
            "byId": {
                "luminari_syndicate": {
                    "name": "The Luminari Syndicate",
                    "fame": 72.5,
                    "hostile": False,
                    "attitudeHistory": [
                        {"newAttitude": "friendly", "sourceFactionId": None},
                        {"newAttitude": "Hostile", "sourceFactionId": "wraith_network"},
                    ],
                },
                "wraith_network": {"name": "The Wraith Network", "fame": 12},
            }
        },
        "storyFlags": {"met-the-broker": True, "Luminari contact": "yes"},
    },
}


def paths(result, field=None):
    return [(h.path, h.field) for h in result.hits if field is None or h.field == field]


def test_plain_search_is_case_insensitive_and_in_document_order():
    r = search_json(DOC, "luminari")
    assert paths(r) == [
        (("gameData", "factions", "byId", "luminari_syndicate"), "key"),
        (("gameData", "factions", "byId", "luminari_syndicate", "name"), "value"),
        (("gameData", "storyFlags", "Luminari contact"), "key"),
    ]
    assert r.total_matches == 3 and not r.truncated and not r.total_is_lower_bound
    assert r.hits[1].preview == '"The Luminari Syndicate"'
    assert r.hits[0].preview.startswith('luminari_syndicate: {"name": "The Luminari Syndicate"')


def test_case_sensitive_search():
    assert paths(search_json(DOC, "Hostile", case_sensitive=True)) == [
        (("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 1, "newAttitude"), "value")
    ]
    insensitive = search_json(DOC, "Hostile")
    assert ("gameData", "factions", "byId", "luminari_syndicate", "hostile") in [h.path for h in insensitive.hits]


def test_keys_only_and_values_only():
    keys_only = search_json(DOC, "luminari", values=False)
    assert {f for _, f in paths(keys_only)} == {"key"} and keys_only.total_matches == 2
    values_only = search_json(DOC, "luminari", keys=False)
    assert paths(values_only) == [(("gameData", "factions", "byId", "luminari_syndicate", "name"), "value")]
    assert search_json(DOC, "luminari", keys=False, values=False).total_matches == 0


def test_regex_search_and_scalars_as_json_text():
    r = search_json(DOC, r"^wraith_\w+$", regex=True)
    assert paths(r) == [
        (("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 1, "sourceFactionId"), "value"),
        (("gameData", "factions", "byId", "wraith_network"), "key"),
    ]
    assert paths(search_json(DOC, "72.5")) == [(("gameData", "factions", "byId", "luminari_syndicate", "fame"), "value")]
    null_hits = search_json(DOC, "null", keys=False)
    assert [h.preview for h in null_hits.hits] == ["null"]
    assert search_json(DOC, r"^true$", regex=True).hits[0].path == ("gameData", "storyFlags", "met-the-broker")
    assert search_json(DOC, "1", keys=False).hits[0].path == ("version",)


def test_invalid_regex_is_a_value_error_with_a_message():
    with pytest.raises(InvalidSearchPattern) as info:
        search_json(DOC, "luminari(", regex=True)
    assert isinstance(info.value, ValueError)
    assert "Invalid regular expression" in str(info.value) and "position" in str(info.value)
    # the same text is fine as a plain query
    assert search_json(DOC, "luminari(").total_matches == 0


def test_limit_caps_hits_but_counts_everything():
    doc = {"items": [{"name": f"agent {i}"} for i in range(50)]}
    r = search_json(doc, "agent", limit=10)
    assert len(r.hits) == 10 and r.total_matches == 50 and r.truncated
    assert r.summary() == "showing 10 of 50 matches"
    assert r.hits[9].path == ("items", 9, "name")


def test_stop_at_makes_the_total_a_lower_bound():
    doc = {"items": [{"name": f"agent {i}"} for i in range(50)]}
    r = search_json(doc, "agent", limit=5, stop_at=20)
    assert r.total_matches == 20 and r.total_is_lower_bound and r.truncated
    assert r.summary() == "showing 5 of ≥20 matches"


def test_cancel_raises_and_progress_is_reported(monkeypatch):
    import inspector_app.core.search as search_mod

    monkeypatch.setattr(search_mod, "CHECK_EVERY", 100)
    doc = {"rows": [{"a": i, "b": [i, i + 1]} for i in range(5000)]}
    # the pre-filter rules out every row (no "zzz" in its JSON text): rows count as one node each
    calls = []
    r = search_json(doc, "zzz", progress=lambda done, total, text="": calls.append((done, total)))
    assert r.total_matches == 0 and r.nodes_visited == 1 + 1 + 5000 and r.subtrees_skipped == 5000
    assert len(calls) > 10 and calls[-1] == (r.nodes_visited, r.nodes_visited)
    # without it every node is visited, one by one
    monkeypatch.setattr(search_mod, "WIDE", 10**9)
    calls = []
    r = search_json(doc, "zzz", progress=lambda done, total, text="": calls.append((done, total)))
    assert r.total_matches == 0 and r.nodes_visited == 1 + 1 + 5000 * 5 and r.subtrees_skipped == 0
    assert len(calls) > 10 and calls[-1] == (r.nodes_visited, r.nodes_visited)
    assert all(done <= total for done, total in calls)
    polls = []

    def cancelled():
        polls.append(1)
        return len(polls) > 3

    with pytest.raises(SearchCancelled):
        search_json(doc, "zzz", cancelled=cancelled)


def test_deep_nesting_has_no_recursion_limit():
    depth = 50_000
    doc: object = "needle"
    for i in range(depth):
        doc = {"k": [doc]} if i % 2 else [doc]
    r = search_json(doc, "needle")
    assert r.total_matches == 1 and len(r.hits[0].path) == depth + depth // 2
    assert format_preview(doc, 40).endswith("…")


def test_scalar_root_and_empty_query():
    assert paths(search_json("hello", "ell")) == [((), "value")]
    assert search_json(DOC, "").total_matches == 0


def test_long_string_preview_is_windowed_around_the_match():
    text = "x" * 500 + "needle" + "y" * 500
    preview = search_json({"s": text}, "needle").hits[0].preview
    assert "needle" in preview and preview.startswith("…") and preview.endswith("…")
    assert len(preview) < 200


def test_format_path():
    assert format_path(()) == "$"
    assert (
        format_path(("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 3))
        == "$.gameData.factions.byId.luminari_syndicate.attitudeHistory[3]"
    )
    assert format_path(("storyFlags", "met-the-broker")) == '$.storyFlags["met-the-broker"]'
    assert format_path(("a", "2nd", "", 'q"uote')) == '$.a["2nd"][""]["q\\"uote"]'


def test_format_preview_and_types():
    assert format_preview("line1\nline2", 50) == '"line1\\nline2"'
    assert format_preview({"a": 1, "b": [True, None], "c": {}}, 100) == '{"a": 1, "b": [true, null], "c": {}}'
    long = format_preview(list(range(1_000_000)), 30)
    assert len(long) == 30 and long.startswith("[0, 1, 2") and long.endswith("…")
    assert format_preview(72.5, 10) == "72.5"
    assert [json_type_name(v) for v in ({}, [], "", 1, 1.5, True, None)] == [
        "object", "array", "string", "number", "number", "bool", "null"]
    assert [scalar_text(v) for v in (False, None, 3, 0.1)] == ["false", "null", "3", "0.1"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(doc=json_values, query=st.text(alphabet="ab1tn", min_size=1, max_size=2))
def test_matches_agree_with_a_naive_recursive_search(doc, query):
    """Every hit is a real match, and the count equals a straightforward recursive walk."""
    expected = []

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if query.lower() in k.lower():
                    expected.append((path + (k,), "key"))
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif query.lower() in scalar_text(value).lower():
            expected.append((path, "value"))

    walk(doc, ())
    r = search_json(doc, query)
    assert paths(r) == expected
    assert r.total_matches == len(expected)


numbers_and_text = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.sampled_from([-0.0, 1e-7, 1e16, 72.5])
    | st.text(alphabet="ac72e.-+ (inf)", max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(alphabet="ac7e", max_size=3), children,
                                                                      max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(doc=numbers_and_text,
       query=st.sampled_from([r"courier \(\d\)", r"\d", r"7\d", r"^7", r"e-0", r"inf", r"c", r"-0\.0", r"1e\+16",
                              r"a|7", r"(?i)E", r"[ac]7", r"\.5$"]),
       case_sensitive=st.booleans())
def test_regex_matches_agree_with_a_naive_search(doc, query, case_sensitive):
    """Regex queries skip turning numbers into text only when the pattern needs a literal no
    number has; the result is the same as testing every node."""
    import re as _re

    pattern = _re.compile(query, 0 if case_sensitive else _re.IGNORECASE)
    expected = []

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if pattern.search(k):
                    expected.append((path + (k,), "key"))
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif pattern.search(value if isinstance(value, str) else
                            repr(value) if type(value) in (int, float) else scalar_text(value)):
            expected.append((path, "value"))

    walk(doc, ())
    r = search_json(doc, query, regex=True, case_sensitive=case_sensitive)
    assert paths(r) == expected
    assert r.total_matches == len(expected)


@settings(max_examples=200, deadline=None)
@given(doc=numbers_and_text, query=st.text(alphabet="7.e-+1cE", min_size=1, max_size=3),
       case_sensitive=st.booleans())
def test_plain_number_queries_agree_with_a_naive_search(doc, query, case_sensitive):
    expected = []
    fold = (lambda s: s) if case_sensitive else str.lower
    q = fold(query)

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if q in fold(k):
                    expected.append((path + (k,), "key"))
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif q in fold(value if isinstance(value, str) else
                       repr(value) if type(value) in (int, float) else scalar_text(value)):
            expected.append((path, "value"))

    walk(doc, ())
    r = search_json(doc, query, case_sensitive=case_sensitive)
    assert paths(r) == expected


def test_time_values_carry_their_readable_form_like_the_tree():
    from inspector_app.core.common.timefmt import readable_time_value

    doc = {"meta": {"savedAt": 1762108394700, "playtime": 3186200, "count": 1762108394700},
           "completedTimeline": {"welcome": 1762108394700}, "note": "1762108394700"}
    hits = {(h.path, h.field): h for h in search_json(doc, "176210839").hits}
    saved = hits[(("meta", "savedAt"), "value")]
    assert saved.preview == "1762108394700"
    assert saved.readable == readable_time_value("savedAt", 1762108394700) and saved.readable
    assert saved.display == f"1762108394700  ({saved.readable})"
    # a member of a *Timeline map is a time stamp by its parent's name, as in the tree
    assert hits[(("completedTimeline", "welcome"), "value")].readable == saved.readable
    # not a time by name, or not a number: no readable form
    assert hits[(("meta", "count"), "value")].readable is None
    assert hits[(("note",), "value")].readable is None
    assert hits[(("note",), "value")].display == '"1762108394700"'
    playtime = search_json(doc, "playtime").hits[0]
    assert playtime.field == "key" and playtime.readable == readable_time_value("playtime", 3186200)
    assert playtime.display.startswith("playtime: 3186200  (")


def _reference(doc, test_key, test_value=None):
    """(path, field) of every match in document order: the plain recursive definition."""
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if test_key(k):
                    found.append((path + (k,), "key"))
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif test_value is not None and test_value(value):
            found.append((path, "value"))

    walk(doc, ())
    return found


keyed_values = st.recursive(
    st.none() | st.booleans() | st.integers(-50, 50) | st.floats(allow_nan=False) | st.text(alphabet="ab7", max_size=3),
    lambda children: st.lists(children, max_size=20) | st.dictionaries(st.text(alphabet="abc7", max_size=3), children,
                                                                       max_size=20),
    max_leaves=120,
)


@settings(max_examples=200, deadline=None)
@given(doc=keyed_values, query=st.sampled_from(["a", "b", "ab", "7", "c", "zz"]), limit=st.integers(0, 6),
       small=st.sampled_from([2, 64]), check_every=st.sampled_from([3, 16384]))
def test_keys_only_keeps_the_first_hits_in_order_and_counts_the_rest(doc, query, limit, small, check_every):
    """Keys only: after ``limit`` hits the walk only counts (a plain walk, keys gathered and
    counted per poll); hits, order and total equal the reference, with big objects (joined key
    probe) and frequent polls in the mix."""
    from unittest import mock

    import inspector_app.core.search as search_mod

    expected = _reference(doc, lambda k: query in k.lower())
    calls = []
    with mock.patch.object(search_mod, "_SMALL_OBJECT", small), mock.patch.object(search_mod, "WIDE", 4), \
            mock.patch.object(search_mod, "CHECK_EVERY", check_every):
        r = search_json(doc, query, values=False, limit=limit,
                        progress=lambda done, total, text="": calls.append((done, total)))
    assert paths(r) == expected[:limit]
    assert r.total_matches == len(expected) and r.truncated == (len(expected) > limit)
    assert not r.total_is_lower_bound
    assert all(done <= total for done, total in calls)
    if isinstance(doc, (dict, list)):  # a scalar root is one node: no progress to report
        assert calls[-1] == (r.nodes_visited, r.nodes_visited)


def test_keys_only_counting_goes_on_below_deep_nesting_and_stays_cancellable(monkeypatch):
    import inspector_app.core.search as search_mod

    depth = 3000  # deeper than RECURSION_SPAN: the walk continues from its explicit stack
    doc: object = {"faction": 1}
    for i in range(depth):
        doc = {"faction": i, "k": [doc, {"faction": None}]}
    r = search_json(doc, "faction", values=False, limit=3)
    assert r.total_matches == 2 * depth + 1 and len(r.hits) == 3 and r.truncated
    assert [h.path for h in r.hits] == [("faction",), ("k", 0, "faction"), ("k", 0, "k", 0, "faction")]
    monkeypatch.setattr(search_mod, "CHECK_EVERY", 50)
    polls = []

    def cancelled():
        polls.append(1)
        return len(polls) > 5

    with pytest.raises(SearchCancelled):
        search_json(doc, "faction", values=False, limit=1, cancelled=cancelled)
    assert len(polls) == 6


@settings(max_examples=300, deadline=None)
@given(doc=numbers_and_text,
       query=st.sampled_from([r"\d", r"7\d", r"^7", r"e-0", r"inf", r"nan", r"-0\.0", r"^0\.0$", r"^-?0", r"1e\+16",
                              r"a|7", r"(?i)E", r"[ac]7", r"\.5$", r"true|null", r"\d{2}7"]),
       case_sensitive=st.booleans(), keys=st.booleans(), limit=st.integers(0, 4),
       check_every=st.sampled_from([3, 16384]))
def test_regex_counting_after_the_kept_hits_agrees_with_a_naive_search(doc, query, case_sensitive, keys, limit,
                                                                       check_every):
    """A regex numbers can match counts what follows the kept hits in bulk (values gathered by
    type, tested per distinct value through the memos, 0.0 and -0.0 told apart): the same hits,
    order and total as testing every node."""
    import re as _re
    from unittest import mock

    import inspector_app.core.search as search_mod

    pattern = _re.compile(query, 0 if case_sensitive else _re.IGNORECASE)
    expected = _reference(doc, (lambda k: bool(pattern.search(k))) if keys else (lambda k: False),
                          lambda v: bool(pattern.search(v if isinstance(v, str) else
                                                        repr(v) if type(v) in (int, float) else scalar_text(v))))
    index = SearchIndex()
    with mock.patch.object(search_mod, "CHECK_EVERY", check_every):
        for _ in range(2):  # the second time with the totals from the index the first one filled
            r = search_json(doc, query, regex=True, case_sensitive=case_sensitive, keys=keys, limit=limit,
                            index=index)
            assert paths(r) == expected[:limit]
            assert r.total_matches == len(expected) and r.truncated == (len(expected) > limit)
        r = search_json(doc, query, regex=True, case_sensitive=case_sensitive, keys=keys, limit=limit)
    assert paths(r) == expected[:limit]
    assert r.total_matches == len(expected) and r.truncated == (len(expected) > limit)


def test_regex_counting_tells_zero_from_negative_zero():
    doc = {"z": [0.0, -0.0, -0.0, 1.5, 0.0, 7, -7, True, None, "-0.0"] * 3}
    index = SearchIndex()
    for query, expected in ((r"^-0\.0$", 9), (r"^0\.0$", 6), (r"0\.0", 15), (r"7", 6)):
        r = search_json(doc, query, regex=True, keys=False, limit=1)
        assert r.total_matches == expected, query
        r = search_json(doc, query, regex=True, keys=False, limit=1, index=index)
        assert r.total_matches == expected and index.ready, query
    for query, expected in (("-0.0", 9), ("0.0", 15)):  # plain queries: the index's zeros too
        assert search_json(doc, query, keys=False, limit=1, index=index).total_matches == expected, query


def _agents(n: int) -> dict:
    return {"npcs": [{"name": f"agent {i}", "rank": i % 7, "fame": i / 4, "alive": i % 2 == 0} for i in range(n)]}


def _progress_texts(calls: list) -> list:
    return [text for _done, _total, text in calls]


def test_an_index_is_filled_once_per_document_and_gives_the_same_results(monkeypatch):
    import inspector_app.core.search as search_mod

    monkeypatch.setattr(search_mod, "CHECK_EVERY", 50)
    doc = _agents(300)
    index = SearchIndex()
    assert not index.ready
    for query, options in (("agent", {}), ("3", {}), (r"\d{2}5", {"regex": True}), ("name", {"values": False}),
                           ("true", {"keys": False})):
        calls: list = []
        plain = search_json(doc, query, limit=5, **options)
        indexed = search_json(doc, query, limit=5, index=index,
                              progress=lambda done, total, text="": calls.append((done, total, text)), **options)
        assert paths(indexed) == paths(plain) and indexed.total_matches == plain.total_matches > 5
        assert indexed.truncated and index.ready
        assert all(done <= total for done, total, _ in calls)
        assert calls[-1][:2] == (indexed.nodes_visited, indexed.nodes_visited)
        indexing = [t for t in _progress_texts(calls) if t.startswith("Counting matches")]
        assert (query == "agent") == bool(indexing), query  # only the first search walks it all
    # another document (a different shape): filled anew
    other = _agents(40)
    calls = []
    r = search_json(other, "agent", limit=5, index=index,
                    progress=lambda done, total, text="": calls.append((done, total, text)))
    assert r.total_matches == 40 and any(t.startswith("Counting matches") for t in _progress_texts(calls))


def test_an_index_that_outgrows_its_bound_is_dropped_and_searches_count_as_without_one():
    doc = _agents(300)
    index = SearchIndex(max_distinct=50)
    for _ in range(2):
        r = search_json(doc, "agent", limit=5, index=index)
        assert r.total_matches == 300 and len(r.hits) == 5
        assert index.abandoned and not index.ready


def test_cancelling_while_the_index_is_filled_leaves_it_empty_and_the_next_search_fills_it(monkeypatch):
    import inspector_app.core.search as search_mod

    monkeypatch.setattr(search_mod, "CHECK_EVERY", 50)
    doc = _agents(2000)
    index = SearchIndex()
    texts: list = []
    with pytest.raises(SearchCancelled):
        search_json(doc, "agent", limit=5, index=index,
                    progress=lambda done, total, text="": texts.append(text),
                    cancelled=lambda: any(t.startswith("Counting matches") for t in texts))
    assert not index.ready and not index.abandoned
    r = search_json(doc, "agent", limit=5, index=index)
    assert r.total_matches == 2000 and index.ready


def test_a_background_fill_that_paused_is_taken_over_by_the_search_never_walking_twice(monkeypatch, fill_walks):
    import inspector_app.core.search as search_mod

    monkeypatch.setattr(search_mod, "CHECK_EVERY", 50)
    made = fill_walks
    doc = _agents(400)
    whole = SearchIndex()
    assert whole.fill(doc) and whole.ready and whole.filled_entries == 0
    entries = search_mod._Fill(doc)
    while entries.step():
        pass
    made.clear()
    for query, options in (("agent", {}), (r"\d{2}5", {"regex": True}), ("name", {"values": False})):
        index = SearchIndex()
        steps = iter([False, False, True])   # steps aside after its third step
        assert not index.fill(doc, pause=lambda: next(steps))
        walked = index.filled_entries
        assert 0 < walked < entries.entered and not index.ready
        calls: list = []
        r = search_json(doc, query, limit=5, index=index,
                        progress=lambda done, total, text="": calls.append((done, total, text)), **options)
        plain = search_json(doc, query, limit=5, **options)
        assert paths(r) == paths(plain) and r.total_matches == plain.total_matches > 5
        assert index.ready and index.filled_entries == 0
        counting = [done for done, _total, text in calls if text.startswith("Counting matches")]
        assert counting and counting[0] > walked   # went on from where the fill stopped
        assert index.fill(doc)   # nothing left to do
    assert len(made) == 3   # one walk per document's index, begun by the fill and finished by the search


def test_a_cancelled_fill_keeps_its_walk_and_goes_on_from_there(monkeypatch, fill_walks):
    import inspector_app.core.search as search_mod

    monkeypatch.setattr(search_mod, "CHECK_EVERY", 50)
    made = fill_walks
    doc = _agents(400)
    index = SearchIndex()
    polls = iter([False, False, True])
    with pytest.raises(SearchCancelled):
        index.fill(doc, cancelled=lambda: next(polls))
    walked = index.filled_entries
    assert walked > 0 and not index.ready
    assert index.fill(doc) and index.ready and len(made) == 1
    assert search_json(doc, "agent", limit=5, index=index).total_matches == 400


def test_a_fill_that_fails_is_dropped_and_begun_again(monkeypatch):
    import inspector_app.core.search as search_mod

    monkeypatch.setattr(search_mod, "CHECK_EVERY", 50)
    doc = _agents(400)
    index = SearchIndex()
    real_step = search_mod._Fill.step
    calls = iter([real_step, real_step, None])

    def step(self):
        fn = next(calls, real_step)
        if fn is None:
            raise ValueError("a run that does not parse")
        return fn(self)

    monkeypatch.setattr(search_mod._Fill, "step", step)
    with pytest.raises(ValueError):
        index.fill(doc)
    assert index.filled_entries == 0 and not index.ready and not index.abandoned
    assert index.fill(doc) and index.ready
    assert search_json(doc, "agent", limit=5, index=index).total_matches == 400


def test_a_fill_that_outgrows_its_bound_stops_and_searches_count_as_without_an_index():
    doc = _agents(300)
    index = SearchIndex(max_distinct=50)
    assert index.fill(doc) and index.abandoned and not index.ready and index.filled_entries == 0
    r = search_json(doc, "agent", limit=5, index=index)
    assert r.total_matches == 300


def test_a_sectioned_saves_skeleton_is_searched_like_its_whole_value():
    """A big save read as a skeleton (core/loading/sections): the search walks it, parsing each
    lazy container a run at a time, and finds exactly what searching the whole value finds —
    hits, order, previews, totals — with and without an index."""
    from inspector_app.core.demo.synthetic import build_large_save
    from inspector_app.core.loading.sections import lazy_containers, loads_sectioned, materialize

    skeleton, _ = loads_sectioned(bytearray(build_large_save(300)), chunk=4096, lazy_min=16384)
    lazy_paths = [c.path for c in lazy_containers(skeleton)]
    assert lazy_paths
    whole = materialize(skeleton)
    queries = [("a", {}), ("7", {}), (r"\d{3}7", {"regex": True}), ("id", {"values": False}),
               ("e", {"keys": False}), ("zzzz-none", {})]
    inside_lazy = 0
    filled = SearchIndex()  # filled in the background, a step per call (parsing runs as it goes)
    while not filled.fill(skeleton, pause=lambda: True):
        pass
    assert filled.ready
    for query, options in queries:
        index = SearchIndex()
        for limit in (3, 10**6):
            expected = search_json(whole, query, limit=limit, **options)
            for idx in (None, index, index, filled):
                got = search_json(skeleton, query, limit=limit, index=idx, **options)
                assert [(h.path, h.field, h.preview) for h in got.hits] == \
                    [(h.path, h.field, h.preview) for h in expected.hits], (query, limit)
                assert got.total_matches == expected.total_matches and got.truncated == expected.truncated
                inside_lazy += sum(h.path[:len(p)] == p for h in got.hits for p in lazy_paths)
    assert inside_lazy
    calls: list = []
    r = search_json(skeleton, "a", progress=lambda done, total, text="": calls.append((done, total)))
    assert r.total_matches > 0 and all(done <= total for done, total in calls)


def test_a_sectioned_saves_index_has_its_own_tighter_bound():
    """The texts of a big save's unparsed parts are kept compressed by the skeleton: an index of
    them would be the only place they exist as strings, so it has a tighter bound."""
    from inspector_app.core.demo.synthetic import build_large_save
    from inspector_app.core.loading.sections import loads_sectioned, materialize

    skeleton, _ = loads_sectioned(bytearray(build_large_save(300)), chunk=4096, lazy_min=16384)
    whole = materialize(skeleton)
    plain, sectioned = SearchIndex(max_distinct_sectioned=10), SearchIndex(max_distinct_sectioned=10)
    assert plain.fill(whole) and plain.ready
    assert sectioned.fill(skeleton) and sectioned.abandoned and not sectioned.ready
    expected = search_json(whole, "a", limit=3)
    for root, index in ((whole, plain), (skeleton, sectioned)):
        got = search_json(root, "a", limit=3, index=index)
        assert [h.path for h in got.hits] == [h.path for h in expected.hits]
        assert got.total_matches == expected.total_matches > 3
