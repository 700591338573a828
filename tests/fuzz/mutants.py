"""Mutants of the game's fixture files, the way a disk, a tool or a player breaks them
(issue 9's probe, kept as a standing guard): truncations, byte flips, splices, byte order
marks and UTF-16/32, integers beyond 64 bits, NaN/Infinity/1e400, duplicate keys, deep
nesting, control characters — applied to the file's own text, or to a save stored as a
string inside a profile export.

Deterministic for a given ``random.Random``: a failing run names its seed, and the test
writes each mutant it failed on to a file to copy into ``tests/fuzz/corpus/``.
"""
from __future__ import annotations

import codecs
import random
import re
from pathlib import Path

import orjson

_NUMBER = re.compile(rb"(?<![\w.\"])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_STRING_START = re.compile(rb'"[^"\\]{0,40}')
_KEY = re.compile(rb'"([A-Za-z_][A-Za-z0-9_]*)":')

BIG_NUMBERS = [b"18446744073709551616", b"-9223372036854775809", b"1180591620717411303425",
               b"1e20", b"1e308", b"-0", b"-0.0", b"1e400", b"-1e400", b"NaN", b"Infinity", b"-Infinity",
               b"123456789012345678901234567890", b"0.1e-400"]
CONTROL = [b"\\u0000", b"\x01", b"\\u001b[2J", b"\x1b", b"\\u202e", b"\xe2\x80\xae", b"\\ud800", b"\\udfff",
           b"\\ud83d\\ude00", b"\x7f", b"\xc2\x9b", b"\r", b"\t", b"\\\\"]


def _at(rng: random.Random, data: bytes, pattern: re.Pattern[bytes]) -> re.Match[bytes] | None:
    matches = list(pattern.finditer(data, 0, min(len(data), 400_000)))
    return rng.choice(matches) if matches else None


def truncate(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def flip(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if buf:
            i = rng.randrange(len(buf))
            buf[i] = rng.choice([buf[i] ^ (1 << rng.randrange(8)), rng.randrange(256)])
    return bytes(buf)


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i, j = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    a, b = sorted(rng.randrange(len(other) + 1) for _ in range(2))
    return data[:i] + other[a:b][:20_000] + data[j:]


def encoding(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return codecs.BOM_UTF8 + data
    how = rng.choice(["bom8", "bom8x2", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"])
    if how == "bom8":
        return codecs.BOM_UTF8 + data
    if how == "bom8x2":
        return codecs.BOM_UTF8 * 2 + data
    return text.encode(how, errors="surrogatepass")


def big_number(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    m = _at(rng, data, _NUMBER)
    if m is None:
        return data
    return data[:m.start()] + rng.choice(BIG_NUMBERS) + data[m.end():]


def duplicate_key(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    m = _at(rng, data, _KEY)
    if m is None:
        return data
    return data[:m.start()] + m.group() + rng.choice([b"1", b"null", b'"dup"', b"{}"]) + b"," + data[m.start():]


def deep(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    m = _at(rng, data, _NUMBER)
    if m is None:
        return data
    n = rng.choice([254, 255, 256, 300, 1000, 1022, 1023, 1024, 1025])
    opener, closer = (b"[", b"]") if rng.random() < 0.5 else (b'{"a":', b"}")
    return data[:m.start()] + opener * n + m.group() + closer * n + data[m.end():]


def control(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    m = _at(rng, data, _STRING_START)
    if m is None:
        return data
    i = rng.randint(m.start() + 1, m.end())
    return data[:i] + rng.choice(CONTROL) + data[i:]


MUTATORS = [truncate, flip, splice, encoding, big_number, duplicate_key, deep, control]


def _inner_strings(data: bytes) -> dict | None:
    """A profile export's {key: string} (to mutate a save stored inside it), else None."""
    try:
        root = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if isinstance(root, dict) and any(isinstance(v, str) and v[:1] in "{[" for v in root.values()):
        return root
    return None


def mutant(rng: random.Random, data: bytes, other: bytes) -> tuple[str, bytes]:
    """One mutant of ``data`` (``other``: a second fixture to splice from) and its recipe."""
    steps = []
    inner = _inner_strings(data) if rng.random() < 0.4 else None
    if inner is not None:
        key = rng.choice([k for k, v in inner.items() if isinstance(v, str)])
        value = inner[key].encode("utf-8", "surrogatepass")
        for _ in range(rng.randint(1, 2)):
            fn = rng.choice(MUTATORS)
            value = fn(rng, value, other)
            steps.append(f"{fn.__name__}@{key}")
        inner[key] = value.decode("utf-8", "replace")
        return "+".join(steps), orjson.dumps(inner)
    for _ in range(rng.randint(1, 2)):
        fn = rng.choice(MUTATORS)
        data = fn(rng, data, other)
        steps.append(fn.__name__)
    return "+".join(steps), data


def fixture_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if p.is_file() and p.stat().st_size < 2_000_000)
