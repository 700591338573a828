"""Checks a screenshot of the real screen against what the app says it shows (its hidden
``--report-state`` JSON): every row of the slot list's rectangle must carry text, the rest of the
list must be empty — a window that opened but stayed blank, or showed no slots, fails.

Reads X11 ``xwd -root`` dumps (24/32-bit ZPixmap; what Xvfb gives) without ImageMagick and writes
a PNG for people to look at. Used by packaging/check-bundle.sh (the bundle in a Python-less root:
the dump is checked here, outside it) and by tests/e2e.

    python packaging/screencheck.py SCREEN.xwd STATE.json OUT.png
"""
from __future__ import annotations

import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np

_HEADER_FIELDS = 25


def read_xwd(path: str | Path) -> np.ndarray:
    """An xwd dump as an (height, width, 3) uint8 RGB array."""
    data = Path(path).read_bytes()
    h = struct.unpack(">25I", data[: 4 * _HEADER_FIELDS])
    header_size, version, fmt, _depth, width, height = h[0], h[1], h[2], h[3], h[4], h[5]
    byte_order, bpp, bytes_per_line = h[7], h[11], h[12]
    red_mask, green_mask, blue_mask, ncolors = h[14], h[15], h[16], h[19]
    # Xvfb's depth-24 screens report 24 bits per pixel but store 4 bytes per pixel: trust the stride.
    if version != 7 or fmt != 2 or bpp not in (24, 32) or bytes_per_line < 4 * width:
        raise ValueError(f"{path}: unsupported xwd (version {version}, format {fmt}, {bpp} bits/pixel, "
                         f"{bytes_per_line} bytes per line for {width} pixels)")
    start = header_size + 12 * ncolors
    raw = np.frombuffer(data, dtype="<u4" if byte_order == 0 else ">u4", count=height * bytes_per_line // 4,
                        offset=start).reshape(height, bytes_per_line // 4)[:, :width]

    def channel(mask: int) -> np.ndarray:
        shift = (mask & -mask).bit_length() - 1
        return ((raw & mask) >> shift).astype(np.uint8)

    return np.dstack([channel(red_mask), channel(green_mask), channel(blue_mask)])


def write_png(rgb: np.ndarray, path: str | Path) -> None:
    height, width, _ = rgb.shape
    rows = b"".join(b"\x00" + rgb[y].tobytes() for y in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))
    Path(path).write_bytes(png)


def slot_rows_with_text(rgb: np.ndarray, slot_list: dict, *, key: str = "rect") -> tuple[int, int, str]:
    """(rows that carry text, rows expected, explanation) for the slot list's rectangle."""
    r = slot_list[key]
    region = rgb[r["y"]: r["y"] + r["height"], r["x"]: r["x"] + r["width"]].astype(np.int16)
    if region.size == 0:
        return 0, slot_list["rows"], "the slot list is outside the screenshot"
    colours, counts = np.unique(region.reshape(-1, 3), axis=0, return_counts=True)
    background = colours[counts.argmax()]
    ink = np.abs(region - background).sum(axis=2) > 120          # text, icons: far from the background
    row_h = max(1, int(slot_list.get("rowHeight") or 1))
    expected = min(int(slot_list["rows"]), r["height"] // row_h)
    with_text = sum(1 for i in range(expected) if ink[i * row_h:(i + 1) * row_h].sum() >= 8)
    below = ink[expected * row_h:].mean() if expected * row_h < ink.shape[0] else 0.0
    why = (f"{with_text}/{expected} slot rows carry text; {below:.1%} ink below them; "
           f"background rgb{tuple(int(c) for c in background)}")
    return with_text, expected, why


def check(screen: str | Path, state_path: str | Path, png_out: str | Path | None = None,
          *, key: str = "rect") -> tuple[bool, str]:
    rgb = read_xwd(screen) if str(screen).endswith(".xwd") else _read_png_via_qt(screen)
    if png_out:
        write_png(rgb, png_out)
    state = json.loads(Path(state_path).read_text(encoding="utf-8"))
    slot_list = state.get("slotList")
    if not slot_list or slot_list.get("rows", 0) < 1:
        return False, f"the app reports no slots: {state}"
    if float(rgb.std()) < 1.0:
        return False, "the screenshot is blank"
    with_text, expected, why = slot_rows_with_text(rgb, slot_list, key=key)
    return with_text == expected and expected >= 1, f"{why}; slots {slot_list['labels'][:expected]}"


def _read_png_via_qt(path: str | Path) -> np.ndarray:
    from PySide6.QtGui import QImage

    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ok, message = check(sys.argv[1], sys.argv[2], sys.argv[3])
    print(("screencheck: OK — " if ok else "screencheck: FAILED — ") + message)
    sys.exit(0 if ok else 1)
