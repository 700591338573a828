"""search_json against a plain reference implementation on random documents.

The search skips work in several ways (object keys tested joined, subtrees ruled out from their
orjson text, memos, recursion that hands over to an explicit stack); none of it may change a
result. The reference below is the definition: a recursive walk that tests every key and the
text of every scalar (strings as they are, numbers as ``repr``, ``true``/``false``/``null``)
with the query's own test. Each example runs with the tuning knobs as shipped and turned so
every shortcut fires on small documents (pre-filter on every container, recursion handing over
every two levels, the pre-filter switching itself off after a few children), and with a
:class:`SearchIndex` (totals from the document's tally instead of a walk; one that outgrew its
bound).
"""
from __future__ import annotations

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

import inspector_app.core.search as search_mod
from inspector_app.core.search import SearchIndex, search_json

# characters that matter: JSON escapes, case folding traps (Kelvin sign, long s, dotless and
# dotted I, final sigma, sharp s), number text, the key separator, non-BMP
ALPHABET = 'aAkKsS"\\\n\x00\x1f\u212a\u017f\u0131\u0130\u03a3\u03c3\u03c2\u00df1-e.+7 (😀'

small_text = st.text(alphabet=ALPHABET, max_size=6)
numbers = (
    st.integers(-(10**6), 10**6)
    | st.integers(-(2**70), 2**70)                    # beyond 64 bits: orjson refuses them
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([-0.0, 0.0, 1e-4, 1e-5, 2.5e-7, 0.00012, 1e16, 1e22, 72.5, 17.0, 1e-300, 5e-324])
)
scalars = st.none() | st.booleans() | numbers | small_text


def containers(children):
    # wide lists appear now and then so the shipped WIDE (16) triggers too
    return (st.lists(children, max_size=5) | st.lists(children, min_size=16, max_size=20)
            | st.dictionaries(small_text, children, max_size=5))


documents = st.recursive(scalars, containers, max_leaves=60)

plain_queries = st.text(alphabet=ALPHABET, min_size=1, max_size=3)
regex_queries = st.sampled_from([
    r"a", r"k", r"K", r"s", r"\u212a", r"\u017f", r"\u0131", r"i", r"\u03c3", r"ss", r"^a", r"a$", r"^$", r"\d",
    r"7\d", r"^7", r"e-0", r"e\+", r"-0\.0", r"1e\+16", r"\.5$", r"a|7", r"(?i)A", r"[ak]7", r"\"", r"\\", r"\n",
    r"\x00", r"a\x00k", r"true", r"^null$", r"fals", r"\(", r" \(", r"(?=k)", r"(?<=a)k", r"a.k", r"a\W", r"^",
    r"😀", r"ak+", r"(ka)+", r"inf", r"nan", r"00001", r"1e-05", r"0\.0001",
    r"\bk", r"k\b", r"\Bk", r"a.", r"(?s)a.", r"\s", r"[^a]k", r"k(?!a)", r"(?<!\d)7", r"\d{2}7", r"(k)\1",
    r"(?i:s)S", r"\d+(?=\.)",
])

TUNINGS = [
    {"WIDE": search_mod.WIDE},  # as shipped
    {"WIDE": 1, "RECURSION_SPAN": 2, "_PREFILTER_WINDOW": 3, "_PREFILTER_MAX_PASS": 1, "_SMALL_OBJECT": 2,
     "_RUN": 2, "_RUN_WINDOW": 2, "_RUN_MAX_PASS": 1},
    {"WIDE": 2, "RECURSION_SPAN": 0, "_MEMO_SIZE": 2, "_RUN": 1, "CHECK_EVERY": 3},
]


def scalar_text(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if type(value) in (int, float):
        return repr(value)
    return value


def reference(doc, query, *, regex=False, case_sensitive=False, keys=True, values=True):
    if regex:
        pattern = re.compile(query, 0 if case_sensitive else re.IGNORECASE)

        def test(text):
            return pattern.search(text) is not None
    elif case_sensitive:
        def test(text):
            return query in text
    elif query.lower().isascii():
        def test(text):
            return query.lower() in text.lower()
    else:
        def test(text):
            return query.casefold() in text.casefold()

    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if keys and test(k):
                    found.append((path + (k,), "key"))
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif values and test(scalar_text(value)):
            found.append((path, "value"))

    walk(doc, ())
    return found


def check(doc, query, **options):
    expected = reference(doc, query, **options)
    for tuning in TUNINGS:
        with mock.patch.multiple(search_mod, **tuning):
            r = search_json(doc, query, limit=10**6, **options)
            assert [(h.path, h.field) for h in r.hits] == expected, tuning
            assert r.total_matches == len(expected) and not r.truncated
            capped = search_json(doc, query, limit=3, **options)
            assert [(h.path, h.field) for h in capped.hits] == expected[:3]
            assert capped.total_matches == len(expected) and capped.truncated == (len(expected) > 3)
            # with the document's index: built by another search, outgrown (abandoned), built by this one
            built = SearchIndex()
            search_json(doc, r"[\s\S]?", regex=True, limit=0, index=built)
            # filled in the background (SearchIndex.fill): whole, a step per call, paused after its
            # first step (the search takes the walk over), paused and outgrown while taken over
            whole = SearchIndex()
            assert whole.fill(doc) and whole.ready
            stepwise = SearchIndex()
            while not stepwise.fill(doc, pause=lambda: True):
                pass
            assert stepwise.ready
            paused, tight = SearchIndex(), SearchIndex(max_distinct=3)
            for index in (paused, tight):
                index.fill(doc, pause=lambda: True)
            for index in (built, whole, stepwise, paused, tight, SearchIndex(max_distinct=2), SearchIndex()):
                for _again in range(2):
                    indexed = search_json(doc, query, limit=3, index=index, **options)
                    assert [(h.path, h.field) for h in indexed.hits] == expected[:3], (tuning, index.ready)
                    assert indexed.total_matches == len(expected) and indexed.truncated == (len(expected) > 3)
            if len(expected) > 2:
                stopped = search_json(doc, query, limit=10, stop_at=2, **options)
                assert [(h.path, h.field) for h in stopped.hits] == expected[:2]
                assert stopped.total_matches == 2 and stopped.total_is_lower_bound


keys_values = st.sampled_from([(True, True), (True, False), (False, True)])


@settings(max_examples=80, deadline=None)
@given(doc=documents, query=plain_queries, case_sensitive=st.booleans(), kv=keys_values)
def test_plain_queries_agree_with_the_reference(doc, query, case_sensitive, kv):
    check(doc, query, case_sensitive=case_sensitive, keys=kv[0], values=kv[1])


@settings(max_examples=80, deadline=None)
@given(doc=documents, query=regex_queries, case_sensitive=st.booleans(), kv=keys_values)
def test_regex_queries_agree_with_the_reference(doc, query, case_sensitive, kv):
    check(doc, query, regex=True, case_sensitive=case_sensitive, keys=kv[0], values=kv[1])


number_docs = st.recursive(
    st.none() | st.booleans() | numbers | st.sampled_from(["72", "a7", "x"]),
    lambda children: st.lists(children, max_size=20) | st.dictionaries(st.sampled_from(["7", "e", "k", "t"]), children,
                                                                       max_size=4),
    max_leaves=80,
)


@settings(max_examples=80, deadline=None)
@given(doc=number_docs, query=st.text(alphabet="0123456789.-+eE", min_size=1, max_size=3),
       case_sensitive=st.booleans())
def test_number_queries_agree_with_the_reference(doc, query, case_sensitive):
    """Numbers as repr text: big ints, tiny and huge floats (orjson writes those differently,
    so the pre-filter must not trust its text for them), -0.0, and true is not 1."""
    check(doc, query, case_sensitive=case_sensitive)


def test_true_is_not_one_and_floats_are_not_ints():
    doc = {"a": True, "b": 1, "c": 1.0, "d": [False, 0, None, "1"], "wide": [True] * 20 + [1]}
    assert [h.path for h in search_json(doc, "1", keys=False).hits] == [("b",), ("c",), ("d", 3), ("wide", 20)]
    assert [h.path for h in search_json(doc, "1.0").hits] == [("c",)]
    assert [h.path for h in search_json(doc, "true", keys=False).hits] == [("a",)] + [("wide", i) for i in range(20)]


def test_deep_nesting_beyond_the_recursion_span_keeps_document_order():
    doc: object = {"x": "needle"}
    for i in range(300):
        doc = [doc, {"n": f"needle {i}"}] if i % 2 else {"k": doc, "after": "needle"}
    expected = reference(doc, "needle")
    assert len(expected) == 301
    for span in (search_mod.RECURSION_SPAN, 7, 1):
        with mock.patch.object(search_mod, "RECURSION_SPAN", span):
            r = search_json(doc, "needle", limit=10**6)
        assert [(h.path, h.field) for h in r.hits] == expected


def test_a_wide_container_of_big_ints_and_odd_floats_is_walked_not_skipped():
    doc = {"rows": [{"id": 2**80 + i, "v": 1e-05 * i} for i in range(40)]}
    hits = search_json(doc, "e-05", keys=False).hits
    assert [h.path for h in hits] == [("rows", i, "v") for i in (1, 2, 3, 4, 5, 6, 7, 8, 9)]
    assert search_json(doc, "1208925819614629174706", keys=False).total_matches == 40
