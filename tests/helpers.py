"""Small helpers for tests (tests/ is on sys.path under pytest's default import mode)."""

from __future__ import annotations

import json
from pathlib import Path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` in `encoding` and return the path."""
    path.write_bytes(text.encode(encoding))
    return path


def map_payload(path: Path) -> dict:
    """The data a graphkit map page draws (the JSON after `var DATA = `)."""
    page = path.read_text(encoding="utf-8")
    start = page.index("var DATA = ") + len("var DATA = ")
    return json.JSONDecoder().raw_decode(page[start:].replace("<\\/", "</"))[0]
