"""Parsing date cells from user files, with errors that say where."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graphkit.errors import InputError

DATE_DTYPE = "datetime64[us]"
ACCEPTED = "a date such as 2014-06-30, 2014-06, 2014, 06/30/2014 or 30 June 2014"


def parse_dates(
    values: pd.Series, *, dayfirst: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Parse cells to dates; return (dates, bad) where `bad` marks unparseable cells.

    ISO forms (2014-06-30, 2014-06, 2014) are read first; other forms are read by
    dateutil, month first (06/30/2014, as SDC exports write) unless `dayfirst`.
    Excel dates and year numbers are accepted as they are.
    """
    present = values.notna()
    out = pd.Series(pd.NaT, index=values.index, dtype=DATE_DTYPE)
    if not present.any():
        return out, present & False
    cells = values[present]
    is_date = cells.map(lambda v: isinstance(v, (dt.date, pd.Timestamp)))
    if is_date.any():
        out[is_date[is_date].index] = pd.to_datetime(cells[is_date]).astype(DATE_DTYPE)
    rest = cells[~is_date].map(_as_text)
    if len(rest):
        iso = pd.to_datetime(rest, format="ISO8601", errors="coerce")
        out[rest.index] = iso.astype(DATE_DTYPE)
        todo = rest[iso.isna()]
        if len(todo):
            other = pd.to_datetime(todo, format="mixed", dayfirst=dayfirst, errors="coerce")
            out[todo.index] = other.astype(DATE_DTYPE)
    bad = present & out.isna()
    return out, bad


def _as_text(value: object) -> str:
    # A year read from Excel or Parquet arrives as a number: 2003.0 means 2003.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_date_option(text: str | None, option: str) -> pd.Timestamp | None:
    """Parse a date given on the command line (ISO forms only: no ambiguity)."""
    if text is None:
        return None
    try:
        return pd.Timestamp(pd.to_datetime(text, format="ISO8601"))
    except (ValueError, TypeError):
        raise InputError(f"{option}: expected a date like 2014-06-30, got {text!r}") from None
