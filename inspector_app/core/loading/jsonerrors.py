"""Why a byte string is not JSON, said precisely: the place (line, column, offset), the
encoding it really is in (UTF-16/32, binary formats), and what the parser expected there.

Only the failure path of :mod:`jsonparse` uses this, so none of it costs anything when a
file is fine.

No Qt here.
"""
from __future__ import annotations

import codecs
from typing import Any

import orjson

#: orjson's nesting limit (arrays + objects); deeper documents are rejected.
MAX_DEPTH = 1024


class JsonParseError(ValueError):
    """The text is not JSON. Carries the place (line/column/offset) and a readable reason.

    ``offset`` counts bytes for ``bytes`` input and characters for ``str`` input
    (``offset_unit`` says which). ``line``/``column`` are 1-based, columns in characters.
    """

    def __init__(self, reason: str, *, code: str, line: int | None = None, column: int | None = None,
                 offset: int | None = None, offset_unit: str = "byte"):
        self.reason = reason
        self.code = code
        self.line = line
        self.column = column
        self.offset = offset
        self.offset_unit = offset_unit
        super().__init__(self.located_message())

    @property
    def location(self) -> str | None:
        """"line 3, column 17 (byte 120)" or None when the problem is the whole input."""
        if self.line is None:
            return None
        text = f"line {self.line}, column {self.column}"
        if self.offset is not None:
            text += f" ({self.offset_unit} {self.offset})"
        return text

    def located_message(self) -> str:
        loc = self.location
        return f"{loc}: {self.reason}" if loc else self.reason


def locate(text: str, char_offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset in ``text``."""
    char_offset = max(0, min(char_offset, len(text)))
    line = text.count("\n", 0, char_offset) + 1
    col = char_offset - (text.rfind("\n", 0, char_offset) + 1) + 1
    return line, col


def locate_bytes(data: bytes | bytearray | memoryview, byte_offset: int) -> tuple[int, int]:
    """1-based (line, column in characters) of a byte offset in UTF-8 bytes."""
    raw = bytes(data[: max(0, byte_offset)])
    line = raw.count(b"\n") + 1
    last = raw[raw.rfind(b"\n") + 1:]
    return line, len(last.decode("utf-8", errors="replace")) + 1


MAGIC = [
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"SQLite format 3\x00", "an SQLite database (a browser keeps localStorage in files like this; "
                             "export the profile from the game's devtools console instead)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
]

BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 (big-endian)"),
]


def decode_wide(raw: memoryview, codec: str, label: str, skip: int) -> tuple[str, str]:
    """Decode UTF-16/32 bytes; return the text and a sentence saying what was done."""
    try:
        text = bytes(raw[skip:]).decode(codec)
    except UnicodeDecodeError as err:
        raise JsonParseError(f"the file looks like {label} text but is not valid {label} "
                             f"at byte {err.start + skip}: {err.reason}.", code="encoding") from None
    how = "by its byte order mark" if skip else "by its zero bytes"
    return text, (f"the file is {label} text (recognised {how}), not UTF-8; it was decoded before parsing. "
                  "Line/column positions refer to the decoded text.")


def guess_wide_encoding(head: bytes) -> tuple[str, str] | None:
    """JSON starts with ASCII, so UTF-16/32 without a BOM shows zero bytes in a fixed pattern."""
    if len(head) >= 4:
        if head[0] and head[1:4] == b"\0\0\0":
            return "utf-32-le", "UTF-32 (little-endian)"
        if head[:3] == b"\0\0\0" and head[3]:
            return "utf-32-be", "UTF-32 (big-endian)"
    if len(head) >= 2:
        sample = head[: len(head) - len(head) % 2][:512]
        evens, odds = sample[0::2], sample[1::2]
        if odds and odds.count(0) >= 0.9 * len(odds) and evens.count(0) == 0:
            return "utf-16-le", "UTF-16 (little-endian)"
        if evens and evens.count(0) >= 0.9 * len(evens) and odds.count(0) == 0:
            return "utf-16-be", "UTF-16 (big-endian)"
    return None


def looks_binary(head: bytes) -> bool:
    if b"\0" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if control > max(2, len(head) // 20):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not merely a character cut at the sample's end
            bad = head[err.start:].decode("utf-8", errors="replace").count("\ufffd")
            return bad > max(4, len(head) // 50)
    return False


def explain_bytes_error(raw: Any, exc: orjson.JSONDecodeError) -> JsonParseError:
    if "UTF-8" in exc.msg or "utf-8" in exc.msg.lower():
        data = bytes(raw)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line, col = locate_bytes(data, err.start)
            bad = data[err.start:err.start + 1].hex()
            return JsonParseError(f"invalid UTF-8 (byte 0x{bad}): the file is not UTF-8 text, or it is damaged here.",
                                  code="invalid_utf8", line=line, column=col, offset=err.start)
        # Valid UTF-8 but with encoded surrogates or similar: fall through to the text path.
        return explain_text_error(text, exc, byte_source=data)
    text = bytes(raw).decode("utf-8", errors="replace")
    return explain_text_error(text, exc, byte_source=raw)


def explain_text_error(text: str, exc: orjson.JSONDecodeError, byte_source: Any = None) -> JsonParseError:
    """Build the located error from orjson's character position in ``text``."""
    pos = max(0, min(int(getattr(exc, "pos", 0) or 0), len(text)))
    msg = exc.msg
    if not text.strip():
        what = "empty" if not text else f"only whitespace ({len(text)} characters)"
        return JsonParseError(f"the value is {what}; expected a JSON document.", code="empty")
    reason, code = _reason(text, pos, msg)
    line, col = locate(text, pos)
    if byte_source is not None:
        offset, unit = len(text[:pos].encode("utf-8", errors="surrogatepass")), "byte"
    else:
        offset, unit = pos, "character"
    return JsonParseError(reason, code=code, line=line, column=col, offset=offset, offset_unit=unit)


_EXPECT_AFTER = {
    "{": "a property name in double quotes or '}'",
    "[": "a value or ']'",
    ":": "a value",
    ",": "another value or property name",
}


def _reason(text: str, pos: int, msg: str) -> tuple[str, str]:
    at = text[pos:pos + 12]
    if msg.startswith("depth limit"):
        return (f"nested deeper than {MAX_DEPTH} levels (arrays/objects inside each other); "
                "this parser stops here.", "too_deep")
    if msg.startswith("unexpected end of data"):
        prev = text[:pos].rstrip()[-1:]
        expected = _EXPECT_AFTER.get(prev)
        exp = f", expected {expected}" if expected else ""
        return f"unexpected end of data{exp} (truncated file?)", "truncated"
    if at.startswith("NaN") or at.startswith("Infinity") or (
            msg.startswith("no digit after sign") and text[pos:pos + 8] == "Infinity"):
        word = "NaN" if at.startswith("NaN") else "Infinity"
        return (f"{word} is not valid JSON (JavaScript's JSON.parse rejects it, and JSON.stringify writes null "
                "for it); this text was not written by JSON.stringify, or it was edited by hand.", "nan_literal")
    if msg.startswith("number is infinity"):
        return "this number is too large for a double (it would be Infinity); JSON has no infinite numbers.", \
            "number_overflow"
    if at.startswith("undefined"):
        return "undefined is not valid JSON (a JavaScript value was written without JSON.stringify).", \
            "js_literal"
    if at.startswith("//") or at.startswith("/*"):
        return "comments are not allowed in JSON.", "comment"
    if at.startswith("'"):
        return "single quotes are not allowed in JSON; strings and keys need double quotes.", "single_quote"
    if msg.startswith("trailing comma"):
        return "a trailing comma before a closing bracket is not allowed in JSON.", "trailing_comma"
    if msg.startswith("unexpected content after document"):
        return ("unexpected content after the end of the JSON document (two documents in one file, "
                "or garbage appended?).", "trailing_content")
    if "surrogate" in msg:
        return "the text holds an unpaired UTF-16 surrogate, which is not valid Unicode.", "invalid_unicode"
    shown = repr(at[:1]) if at else "end of data"
    return f"{msg} (found {shown}).", "json_syntax"
