"""Bytes -> text: the encodings articles and exports arrive in, with errors that say where.

Raw text (pages, article files) is read leniently: UTF-8 with or without a BOM, else GB18030,
which Chinese newsrooms still save in. Annotation exports are JSON and must be UTF-8: a wrong
byte is reported at its line and column instead of being read as garbage.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.errors import InputError

BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path) -> bytes:
    """Read a file, turning OS errors into an InputError that names it."""
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", file=str(path)) from None


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Bytes -> text: UTF-8 (with or without BOM), else GB18030; binary -> InputError."""
    if not data:
        raise InputError("empty input", file=name)
    if b"\x00" in data[:4096]:
        raise InputError("binary data, not text (NUL bytes)", file=name)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise InputError("cannot decode as UTF-8 or GB18030 text (binary?)", file=name)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    ctrl = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    return ctrl / len(sample) > 0.05


def as_text(data: str | bytes, name: str) -> str:
    """Text as given, or decoded; an input with nothing but white space is an error."""
    text = decode(data, name) if isinstance(data, bytes | bytearray) else data
    if not text.strip():
        raise InputError("empty input", file=name)
    return text


def decode_utf8(data: bytes, *, file: str, line: int | None = None, base: int = 0) -> str:
    """Decode strictly, so a wrong encoding is reported where it is instead of read as garbage.

    `base` is the offset of `data` in the file, so the error can give both offsets.
    """
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        if line is None:  # a whole file: find the line the bad byte is on
            line = data.count(b"\n", 0, e.start) + 1
            column = e.start - (data.rfind(b"\n", 0, e.start) + 1)
        else:
            column = e.start
        bad = data[e.start:e.end].hex(" ")
        raise InputError(
            f"not UTF-8: byte(s) {bad} at byte {column} of the line (byte {base + e.start} "
            f"of the file): {e.reason}; save the export as UTF-8",
            file=file, line=line,
        ) from None


def parse_json(text: str, *, file: str, line: int | None = None) -> Any:
    """json.loads, or an InputError saying where: malformed, or nested too deeply for the
    parser (which raises RecursionError, not a JSON error, on a line nested 10,000 deep)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON at column {e.colno}: {e.msg}",
                         file=file, line=line if line is not None else e.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", file=file, line=line) from None


def load_json_file(path: Path) -> Any:
    """Parse a whole-file JSON export (BOM tolerated) or raise an InputError saying where."""
    data = read_bytes(path)
    base = len(BOM) if data.startswith(BOM) else 0
    text = decode_utf8(data[base:], file=str(path), base=base)
    return parse_json(text, file=str(path))
