"""Small helpers for tests (tests/ is on sys.path under pytest's default import mode)."""

from __future__ import annotations

from pathlib import Path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` in `encoding` and return the path."""
    path.write_bytes(text.encode(encoding))
    return path
