"""The one exception type for problems in user input."""

from __future__ import annotations

import re
from pathlib import Path


def one_line(text: object) -> str:
    """A library's error text (or a name) folded onto one line, for a message."""
    return " ".join(str(text).split())


# How Python holds bytes that are not UTF-8 (in argv, file names, JSON escapes): lone
# surrogates, which no file, page or terminal encoding can hold.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Text with each lone surrogate shown as U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text)


def quoted(text: object) -> str:
    """Text in quotes as a person writes it: a backslash stays one ('\\N', 'C:\\data', not
    Python's doubled escapes); characters a terminal would act on (ESC, NUL) are shown
    as escapes; double quotes where the text holds a single one."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))
    mark = '"' if "'" in text and '"' not in text else "'"
    return f"{mark}{text}{mark}"


def shown(value: object) -> str:
    """A cell's value as a message quotes it: text in quotes, a date or time as written in
    a spreadsheet (not Python's Timestamp('...') repr), numbers as they are; long values
    cut."""
    import datetime

    if isinstance(value, str):
        text = one_line(value)
        return quoted(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(value, datetime.datetime):
        midnight = value.time() == datetime.time(0) and value.tzinfo is None
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return f"a duration ({value})"
    return one_line(value)[:60]


def json_kind(value: object) -> str:
    """What a parsed JSON value is, in JSON's words (for 'expected ..., not ...')."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {dict: "an object", list: "a list", str: "a string"}.get(type(value), "a number")


class InputError(Exception):
    """A problem with what the user gave us (file, option, value), never a bug.

    The CLI prints it as one line and exits non-zero; it never shows a traceback.
    `row` is the 1-based row as a spreadsheet shows it (the header is row 1).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        # Load summaries of what was read before the problem (the CLI prints them first).
        self.summaries: list = []
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.message
