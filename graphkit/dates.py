"""Parsing date cells from user files, with errors that say where.

Real exports carry partial dates: a year only ('2016'), a year and month ('2016-03',
'March 2016', 'Mar 2016'), a quarter ('Q3 2016', '2016 Q3', '3Q 2016'), or blank parts
written as placeholders ('2016-??-??', '[ ]/[ ]/2016', '--/--/2016', '06/xx/2016',
'2016-00-00'). What is known is kept, with its precision ("day", "month", "quarter",
"year"). A partial date stands for the first day of its period when it starts something
(an announcement) and for the last day when it ends something (a termination), so a deal
counts as in force on every day it may have been. A time of day and a time zone, when a
cell or an option has them, are dropped: the calendar date as written counts (a deal
signed 2014-06-30T23:00-05:00 in New York was signed on 30 June, not on 1 July in UTC),
so a table mixing offsets reads as its authors dated it. Dates before 1900 or more than ten years
ahead (0001-01-01, 9999-12-31: typos and placeholders) cannot be placed, like unreadable
cells.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

from graphkit.distinct import distinct
from graphkit.errors import InputError

DATE_DTYPE = "datetime64[us]"
PRECISIONS = ("day", "month", "quarter", "year")

_UNKNOWN = r"(?:\?{1,2}|[xX]{1,2}|-{1,2}|_{1,2}|0{1,2}|\[\s*\*?\s*\]|\(\s*\))"
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = r"(?P<mname>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINAL = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4,
            "fourth": 4}
_SEP = r"[\s/.,-]*"
_PARTIAL = [  # (pattern, precision); named groups: year, month, mname, quarter
    (r"(?P<year>\d{4})", "year"),
    (r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})", "month"),
    (r"(?P<month>\d{1,2})[-/.](?P<year>\d{4})", "month"),
    (rf"(?P<year>\d{{4}})[-/.]{_UNKNOWN}(?:[-/.]{_UNKNOWN})?", "year"),
    (rf"(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.]{_UNKNOWN}", "month"),
    (rf"{_UNKNOWN}[-/.]{_UNKNOWN}[-/.](?P<year>\d{{4}})", "year"),
    (rf"(?P<month>\d{{1,2}})[-/.]{_UNKNOWN}[-/.](?P<year>\d{{4}})", "month"),  # US order
    (rf"{_UNKNOWN}[-/.](?P<dmonth>\d{{1,2}})[-/.](?P<year>\d{{4}})", "month"),  # day first
    (rf"{_MONTH}{_SEP}(?P<year>\d{{4}})", "month"),
    (rf"(?P<year>\d{{4}}){_SEP}{_MONTH}", "month"),
    (rf"{_UNKNOWN}{_SEP}{_MONTH}{_SEP}(?P<year>\d{{4}})", "month"),
    (rf"q(?P<quarter>[1-4]){_SEP}(?P<year>\d{{4}})", "quarter"),
    (rf"(?P<year>\d{{4}}){_SEP}q(?P<quarter>[1-4])", "quarter"),
    (rf"(?P<quarter>[1-4])q{_SEP}(?P<year>\d{{4}})", "quarter"),
    (rf"(?P<ordinal>1st|2nd|3rd|4th|first|second|third|fourth){_SEP}quarter{_SEP}(?:of)?"
     rf"{_SEP}(?P<year>\d{{4}})", "quarter"),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), precision) for p, precision in _PARTIAL]
# Year first, with one separator twice (2001/01/05, 2001.1.5) or none (20010105).
_YEAR_FIRST = (r"^(?P<year>\d{4})(?:(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
               r"|(?P<month8>\d{2})(?P<day8>\d{2}))$")
# An ISO date followed by a time of day and, perhaps, a zone: only the date is kept.
_ISO_WITH_TIME = (r"(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T](?:[01]?\d|2[0-3])"
                  r"(?::[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?)?)?"
                  r"\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?")


def _wall_date(value: object) -> pd.Timestamp:
    """A date or time as the calendar day it names where it was written (zone dropped)."""
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return pd.NaT
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def _partial(text: str, dayfirst: bool) -> tuple[pd.Timestamp, pd.Timestamp, str] | None:
    """(first day, last day, precision) of a partial date, or None."""
    for pattern, precision in _COMPILED:
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if precision == "year":
            return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31), "year"
        if precision == "quarter":
            q = int(parts["quarter"]) if parts.get("quarter") else _ORDINAL[
                parts["ordinal"].lower()]
            first = pd.Timestamp(year, 3 * q - 2, 1)
            return first, first + pd.offsets.QuarterEnd(0), "quarter"
        if parts.get("mname"):
            month = _MONTHS[parts["mname"].lower().rstrip(".")]
        elif parts.get("dmonth"):
            if not dayfirst:
                continue  # '??/06/2016' reads as day-first only with --dayfirst
            month = int(parts["dmonth"])
        else:
            month = int(parts["month"])
        if not 1 <= month <= 12:
            return None
        first = pd.Timestamp(year, month, 1)
        return first, first + pd.offsets.MonthEnd(0), "month"
    return None


def parse_dates(
    values: pd.Series, *, dayfirst: bool = False, period_end: bool = False
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse cells to dates; return (dates, bad, precision).

    `bad` marks cells that are present but cannot be placed in time; `precision` is one
    of PRECISIONS for parsed cells (None elsewhere). Full dates in ISO form are read
    first, partial dates next (see the module docstring), other forms by dateutil, month
    first (06/30/2014, as SDC exports write) unless `dayfirst`. A partial date is its
    period's first day, or its last day when `period_end`. Excel dates and year numbers
    are accepted as they are.
    """
    found = distinct(values)
    if found is not None and 0 < len(found.values) < len(values):
        # each distinct text once: a deals table repeats a deal's date on every row
        dates, bad, precision = _parse(found.values, dayfirst, period_end)
        return (found.spread(dates), found.spread(bad.astype(float)).fillna(0).astype(bool),
                found.spread(precision))
    return _parse(values, dayfirst, period_end)


def _parse(values: pd.Series, dayfirst: bool, period_end: bool
           ) -> tuple[pd.Series, pd.Series, pd.Series]:
    present = values.notna()
    out = pd.Series(pd.NaT, index=values.index, dtype=DATE_DTYPE)
    precision = pd.Series(None, index=values.index, dtype=object)
    if not present.any():
        return out, present & False, precision
    cells = values[present]
    is_date = cells.map(lambda v: isinstance(v, (dt.date, pd.Timestamp)))
    if is_date.any():
        out[is_date[is_date].index] = _wall_dates(cells[is_date]).astype(DATE_DTYPE)
        precision[is_date[is_date].index] = "day"
    rest = cells[~is_date]
    if len(rest):  # (a typed date column leaves nothing here, and no text to strip)
        rest = rest.map(_as_text).str.strip()
        iso_parts = rest.str.extract(f"^{_ISO_WITH_TIME}$", flags=re.IGNORECASE)["date"]
        full = iso_parts.notna()
        iso = pd.to_datetime(iso_parts[full], format="%Y-%m-%d", errors="coerce")
        out[iso.index] = iso.astype(DATE_DTYPE)
        precision[iso.index[iso.notna()]] = "day"
        # A date led by its year is year, month, day, whatever --dayfirst says: no
        # format writes year, day, month, so '2001-13-01' is no date rather than 13 January.
        todo = rest[~full | iso.reindex(rest.index).isna()]
        year_first = todo.str.extract(_YEAR_FIRST)
        months = pd.to_numeric(year_first["month"].fillna(year_first["month8"]))
        days = pd.to_numeric(year_first["day"].fillna(year_first["day8"]))
        # (A 00 month or day is a partial date, '2014-00-00': read below.)
        led = year_first["year"].notna() & (months > 0) & (days > 0)
        if led.any():
            stamps = pd.to_datetime(pd.DataFrame({
                "year": year_first.loc[led, "year"].astype(int),
                "month": months[led].astype(int), "day": days[led].astype(int)}),
                errors="coerce")
            out[stamps.index] = stamps.astype(DATE_DTYPE)
            precision[stamps.index[stamps.notna()]] = "day"
            todo = todo[~led]
        # Full day/month/year forms skip the partial patterns (the common case is fast).
        day = r"(0?[1-9]|[12][0-9]|3[01])"
        whole = todo.str.fullmatch(rf"{day}[/.-]{day}[/.-]\d{{4}}")
        partial = todo[~whole].map(lambda t: _partial(t, dayfirst)).dropna()
        if len(partial):
            out[partial.index] = pd.to_datetime(
                [p[1] if period_end else p[0] for p in partial]).astype(DATE_DTYPE)
            precision[partial.index] = [p[2] for p in partial]
        other = todo.drop(partial.index)
        if len(other):
            parsed = _mixed(other, dayfirst)
            out[other.index] = parsed.astype(DATE_DTYPE)
            precision[other.index[parsed.notna()]] = "day"
    implausible = out.notna() & ((out < EARLIEST) | (out > latest()))
    out = out.mask(implausible)
    bad = present & out.isna()
    return out, bad, precision.astype(object).where(out.notna(), None)


# A free-form date names its year: four digits, or a two-digit year after a day and month
# (06/30/14). Without one, dateutil and pandas read '10:30', 'now' or 'today' as today.
_HAS_YEAR = r"\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)"
_YEARISH = r"(?<!\d)(?:1[89]|2\d)\d{2}(?!\d)"


def _wall_dates(values: pd.Series) -> pd.Series:
    """Date and time values (Excel, Parquet) as the calendar days they name: at once for a
    column in one zone or none, value by value when zones differ."""
    try:
        stamps = pd.to_datetime(values)
    except (ValueError, TypeError):  # zones that differ from value to value
        return pd.to_datetime(values.map(_wall_date))
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.dt.normalize()


def _mixed(cells: pd.Series, dayfirst: bool) -> pd.Series:
    """Free-form dates by dateutil, each at its written calendar day (zones dropped); a
    cell that names no year cannot be placed."""
    # Two years in one cell is a span ('2014-01-01/2015-01-01', '2014 - 2015'), not a date:
    # dateutil would read its start and drop the rest.
    dated = cells.str.contains(_HAS_YEAR) & (cells.str.count(_YEARISH) < 2)
    cells = cells[dated].reindex(cells.index)
    try:
        parsed = pd.to_datetime(cells, format="mixed", dayfirst=dayfirst, errors="coerce")
    except (ValueError, TypeError):  # zones that differ from cell to cell
        return pd.to_datetime(cells.map(lambda c: _one_mixed(c, dayfirst)))
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.dt.normalize()


def _one_mixed(cell: str, dayfirst: bool) -> pd.Timestamp:
    try:
        return _wall_date(pd.to_datetime(cell, dayfirst=dayfirst))
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


EARLIEST = pd.Timestamp("1900-01-01")
YEARS_AHEAD = 10


def latest() -> pd.Timestamp:
    """The latest plausible date: 31 December, ten years from now."""
    return pd.Timestamp(year=pd.Timestamp.now().year + YEARS_AHEAD, month=12, day=31)


# What a date cell may hold, said in messages (a date outside the range is no date: 1850
# is not 'unreadable', it is out of range, and the message says which range).
IN_RANGE = f"from {EARLIEST.year} to {latest().year}"
ACCEPTED = (f"a date {IN_RANGE}, such as 2014-06-30, 06/30/2014, 30 June 2014, or a partial "
            "one: 2014-06, June 2014, Q2 2014, 2014")


def check_plausible(date: pd.Timestamp | None, option: str) -> pd.Timestamp | None:
    """A date option within the plausible range, or one clear error."""
    if date is not None and not EARLIEST <= date <= latest():
        raise InputError(f"{option}: {date.year:04d}-{date.month:02d}-{date.day:02d} is outside "
                         f"the dates graphkit accepts ({EARLIEST:%Y-%m-%d} to "
                         f"{latest():%Y-%m-%d})")
    return date


def _as_text(value: object) -> str:
    # A year read from Excel or Parquet arrives as a number: 2003.0 means 2003.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def precision_note(precision: pd.Series, column: str, period_end: bool) -> str | None:
    """One summary line on the partial dates of a column, or None if all are full."""
    counts = precision.value_counts()
    partial = {k: int(counts[k]) for k in PRECISIONS[1:] if counts.get(k)}
    if not partial:
        return None
    day = "last" if period_end else "first"
    return (f"'{column}': " + ", ".join(f"{n:,} known only to the {k}" for k, n in
                                        partial.items())
            + f": each is read as the {day} day of its period, and its precision is kept")


def to_timestamp(value: object, what: str = "date") -> pd.Timestamp | None:
    """A date given as text (ISO), `datetime.date`, `datetime` or `pandas.Timestamp`."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return check_plausible(_wall_date(value), what)
    return parse_date_option(str(value), what)


def parse_date_option(text: str | None, option: str) -> pd.Timestamp | None:
    """Parse a date given on the command line: a full ISO date (no ambiguity; '2018'
    alone could mean its first day or its last, so it is refused with the fix)."""
    if text is None:
        return None
    text = str(text).strip()
    if re.fullmatch(r"\d{4}(-\d{1,2})?", text):
        raise InputError(f"{option}: expected a full date like 2014-06-30, got '{text}' "
                         f"(for the end of that period type {_period_end(text)})")
    match = re.fullmatch(_ISO_WITH_TIME, text, flags=re.IGNORECASE)
    try:  # other ISO 8601 forms (20140630, 2014-W26-1) as pandas reads them; 'now' and
        # 'today' are not dates a result can be reproduced from
        date = (pd.to_datetime(match["date"], format="%Y-%m-%d") if match
                else _wall_date(pd.to_datetime(text, format="ISO8601"))
                if re.search(r"\d{4}", text) else pd.NaT)
    except (ValueError, TypeError, OverflowError):
        date = pd.NaT
    if pd.isna(date):  # '', 'NaT' and 'nan' parse as "no date"
        raise InputError(f"{option}: expected a date like 2014-06-30, got '{text}'")
    return check_plausible(date, option)


def _period_end(text: str) -> str:
    if len(text) == 4:
        return f"{text}-12-31"
    year, month = (int(p) for p in text.split("-"))
    if not 1 <= month <= 12:
        return f"{year}-12-31"
    return f"{(pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)):%Y-%m-%d}"


_NUMERIC = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})\s*")


def date_order(values: pd.Series) -> tuple[bool, str | None]:
    """Whether a column of numeric dates reads day first, and a note saying why.

    A cell such as 15/03/2019 can only be day first, 03/15/2019 only month first; dates
    written with dots (01.02.2019) are day first by convention. A column with day-first
    evidence and none against it reads day first; with evidence both ways, month first
    (the SDC default) and the note names a cell of each."""
    day = month = dotted = ambiguous = None
    found = distinct(values)  # the first cell of each distinct text is the one named
    for row, cell in (values if found is None else found.values).dropna().items():
        match = _NUMERIC.fullmatch(str(cell))
        if not match:
            continue
        first, sep, second = int(match.group(1)), match.group(2), int(match.group(3))
        if ambiguous is None and first != second and first <= 12 and second <= 12:
            ambiguous = (row, cell)
        if first > 12 and day is None:
            day = (row, cell)
        elif second > 12 and month is None:
            month = (row, cell)
        if sep == "." and dotted is None:
            dotted = (row, cell)
    if day and month:
        return False, (f"both day-first ('{day[1]}') and month-first ('{month[1]}') dates: "
                       "read month first; check the day-first ones (or pass --dayfirst)")
    evidence = day or (dotted if not month else None)
    if evidence:
        return True, (f"dates read day first ('{evidence[1]}' can only be, or is written "
                      "with dots): 03/04/2019 is 3 April")
    if ambiguous and not month:  # nothing in the column says which order it uses
        return False, (f"dates such as '{ambiguous[1]}' read either way and no cell settles "
                       "it: read month first (03/04/2019 is 4 March); pass --dayfirst if "
                       "they are day first")
    return False, None


def format_dates(dates: pd.Series, precision: pd.Series | None = None) -> pd.Series:
    """Dates as text that keeps what is known: '2019-03-15', '2019-03', '2019-Q3', '2019'
    (as precision says; None where the date is unknown). `parse_dates` reads them back."""
    text = dates.dt.strftime("%Y-%m-%d").astype(object)
    if precision is not None:
        level = precision.reindex(dates.index)
        year = dates.dt.strftime("%Y")
        text = text.mask(level == "month", dates.dt.strftime("%Y-%m"))
        text = text.mask(level == "quarter", year + "-Q" + dates.dt.quarter.astype("Int64")
                         .astype(str))
        text = text.mask(level == "year", year)
    return text.where(dates.notna(), None)
