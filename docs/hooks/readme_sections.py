"""MkDocs hook: a page line `<!-- README: Title -->` becomes the README's `## Title`
section, so the guide pages and the README are one text (the README is what a newcomer
reads first; the site shows the same words). A missing section fails the build."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
_MARKER = re.compile(r"<!-- README: (.+?) -->")


def section(title: str) -> str:
    """The body of the README section whose heading starts with `title`."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}[^\n]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if found is None:
        raise ValueError(f"README.md has no section '## {title}'")
    return found.group(1)


def on_page_markdown(markdown: str, **_: object) -> str:
    return _MARKER.sub(lambda m: section(m.group(1)), markdown)
