"""How result objects show themselves: a few lines of text in a terminal (`repr`) and the
same lines with their main table in a notebook (`_repr_html_`). Names are escaped: a
result is never markup."""

from __future__ import annotations

import html

import pandas as pd

ROWS = 10  # table rows shown inline; the objects' attributes hold every row


def text(title: str, lines: list[str]) -> str:
    """The repr: a title line and indented facts."""
    return "\n".join([title, *(f"  {line}" for line in lines)])


def rich(title: str, lines: list[str], table: pd.DataFrame | None = None,
         caption: str = "") -> str:
    """The notebook view: the same title and facts, then the first rows of `table`."""
    from graphkit.outputs import display_table

    parts = [f"<div><strong>{html.escape(title)}</strong>"]
    if lines:
        parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                     + "</ul>")
    if table is not None and len(table):
        shown = display_table(table.head(ROWS))
        more = f" (first {ROWS} of {len(table):,})" if len(table) > ROWS else ""
        if caption or more:
            parts.append(f"<p>{html.escape(caption)}{more}</p>")
        parts.append(shown.to_html(escape=True, index=shown.index.name is not None))
    parts.append("</div>")
    return "".join(parts)
