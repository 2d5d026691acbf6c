"""Opaque keyset cursors: the sort key of the last item of a page, base64url JSON."""

from __future__ import annotations

import base64
import json

from kg.errors import BadParameter


def encode(key: tuple | None) -> str | None:
    if key is None:
        return None
    raw = json.dumps(list(key), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, size: int = 2) -> tuple | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except ValueError:
        raise BadParameter("cursor", "not a cursor this API gave out") from None
    if not isinstance(key, list) or len(key) != size or not all(isinstance(k, str) for k in key):
        raise BadParameter("cursor", "not a cursor this API gave out")
    return tuple(key)
