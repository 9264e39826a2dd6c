"""Reading user tables (CSV/TSV, Excel, Parquet) with clear errors and honest notes.

Text files: the encoding is detected (a BOM, else UTF-8, else Windows-1252) and the
delimiter sniffed from the header (`,` `;` tab `|` `^`) unless given. Every cell is read as
text, stripped, with empty cells as missing. Row numbers are as a spreadsheet shows them:
the header is row 1, the first record row 2.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import datetime
import difflib
import gzip
import io
import numbers
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.atomic import note_input
from graphkit.distinct import map_distinct
from graphkit.errors import LONE_SURROGATE, InputError, one_line
from graphkit.summary import plural

DELIMITERS = [",", ";", "\t", "|", "^"]
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".dat", ".psv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", "^": "caret"}


@dataclass
class Table:
    """A table read from a file, every cell text or missing."""

    frame: pd.DataFrame
    path: Path
    first_row: int = 2  # file row number of frame row 0
    notes: list[str] = field(default_factory=list)
    # The cells as integer codes per column (equal cells, equal codes; -1: missing), when
    # the reader had them: rows are compared on ints, not on text.
    codes: pd.DataFrame | None = None

    def row_number(self, position: int) -> int:
        return self.first_row + position


def base_suffix(path: Path) -> str:
    """The format suffix, ignoring a compression suffix: data.csv.bz2 -> .csv."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".bz2", ".gz"):
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def check_readable(path: str | Path) -> Path:
    """The path, if it names a readable file; else one clear error."""
    p = Path(path)
    if LONE_SURROGATE.search(str(p)):  # the name's bytes are not UTF-8
        raise InputError("the file name holds bytes that are not UTF-8 text, and graphkit "
                         "records source names in its outputs: rename the file (or copy it "
                         "to a plain name) and try again", file=p)
    if not p.exists():
        if p.is_symlink():
            raise InputError("a symbolic link to nothing (its target is missing, or the links "
                             "loop)", file=p)
        raise InputError("no such file", file=p)
    if p.is_dir():
        raise InputError("is a folder, expected a file", file=p)
    if p.stat().st_size == 0:
        raise InputError("file is empty", file=p)
    note_input(p)  # no output of this command may replace it
    return p


# Limits on what a table may hold (README, "Bad input"): past them the load stops with one
# line instead of exhausting memory. A compressed file is read in pieces and refused as
# soon as it expands past the size, or past the ratio of a plausible table (a
# decompression bomb expands thousands of times).
MAX_BYTES = 2 * 1024**3
MAX_RATIO = 100
MAX_COLUMNS = 10_000
_PIECE = 16 * 1024**2


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """File contents, decompressed when the name ends in .bz2 or .gz, within the limits
    above (`limit` bytes: read only that much, for sniffing)."""
    try:
        size = path.stat().st_size
        opener = {".bz2": bz2.open, ".gz": gzip.open}.get(path.suffix.lower())
        if opener is None:
            if limit is None and size > MAX_BYTES:
                raise InputError(f"the file is {size / 1024**3:.1f} GiB; graphkit reads tables "
                                 f"up to {MAX_BYTES / 1024**3:.0f} GiB (split it, or load it "
                                 "into Neo4j in parts)", file=path)
            with open(path, "rb") as handle:
                return handle.read(limit if limit is not None else -1)
        pieces, total = [], 0
        with opener(path, "rb") as handle:
            while piece := handle.read(_PIECE):
                pieces.append(piece)
                total += len(piece)
                if limit is not None and total >= limit:
                    break
                if total > MAX_BYTES or (total > 64 * 1024**2 and total > MAX_RATIO * size):
                    raise InputError(f"the file expands past {total / 1024**2:,.0f} MiB from "
                                     f"{size / 1024**2:,.1f} MiB compressed: graphkit reads "
                                     f"tables up to {MAX_BYTES / 1024**3:.0f} GiB, expanding at "
                                     f"most {MAX_RATIO} times", file=path)
        data = b"".join(pieces)
        return data[:limit] if limit is not None else data
    except InputError:
        raise
    except (OSError, EOFError, ValueError) as exc:
        raise InputError(f"cannot read file: {exc}", file=path) from None


def decode(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text and notes on how it was decoded."""
    notes: list[str] = []
    if encoding:
        try:
            text_codec = codecs.lookup(encoding)._is_text_encoding
        except LookupError:
            text_codec = False
        if not text_codec:
            raise InputError(f"--encoding: '{' '.join(encoding.split())[:40]}' is not a text "
                             "encoding Python knows; use e.g. utf-8, cp1252, latin-1 or utf-16")
        try:
            return data.decode(encoding), notes
        except (UnicodeError, ValueError) as exc:
            raise InputError(f"cannot decode as {encoding}: {one_line(exc)}", file=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append("UTF-8 byte-order mark removed")
        return _declared(data[3:], "utf-8", "UTF-8", path), notes
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append("read as UTF-16 (byte-order mark)")
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _declared(data[2:], codec, "UTF-16", path), notes
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
            label = "Windows-1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            label = "Latin-1"
        notes.append(f"not valid UTF-8 (first at line {line}): read as {label}; "
                     "pass --encoding to choose another")
        return text, notes


def _declared(body: bytes, codec: str, label: str, path: Path) -> str:
    """Text after a byte-order mark in the encoding it declares, or one line on where it
    breaks."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        bom = 2 if label == "UTF-16" else 3
        # In UTF-16 a newline is two bytes: count lines in the decodable part.
        line = body[:exc.start].decode(codec, errors="replace").count("\n") + 1
        raise InputError(f"line {line} is not valid {label}, though the file starts with a "
                         f"{label} byte-order mark ({exc.reason} at byte {exc.start + bom:,}); "
                         "save the file again as UTF-8, or pass --encoding to choose one",
                         file=path) from None


def sniff_delimiter(header: str, sample: str = "") -> str | None:
    """The most frequent candidate delimiter outside quotes in the header line; a header
    of one column says nothing, so then the one the first data lines use most."""
    for text in (header, sample):
        unquoted = re.sub(r'"[^"]*"', "", text)
        counts = {d: unquoted.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        if counts[best]:
            return best
    return None


def delimiter_from_option(text: str) -> str:
    """The delimiter a user typed: one character, or its name ('tab', 'semicolon'...), or
    the escape '\\t' as shells pass it literally."""
    named = {name: sep for sep, name in _DELIMITER_NAMES.items()}
    value = named.get(text.strip().casefold(), {"\\t": "\t"}.get(text, text))
    if len(value) != 1 or value in "\r\n\"" or (value.isalnum() and value.isascii()):
        shown = " ".join(text.split())[:20] or "a line break"
        raise InputError(f"--delimiter: expected one character such as , ; | or a name (tab, "
                         f"comma, semicolon, pipe), got '{shown}'")
    return value


def read_text_table(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    header: bool = True,
    names: list[str] | None = None,
) -> Table:
    """Read a delimited text file into a table of text cells."""
    p = check_readable(path)
    text, notes = decode(read_bytes(p), p, encoding)
    if not text.strip():
        raise InputError("file is empty (only white space)", file=p)
    if "\r" in text:  # Windows (CR LF) and old Mac (CR alone) line ends, as one
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    top = 0  # blank lines above the header: skipped, and counted in every row number
    if header:
        # Found by position, not by splitting: each split would copy the rest of the file.
        start = 0
        while (end := text.find("\n", start)) >= 0 and not text[start:end].strip():
            start, top = end + 1, top + 1
        text = text[start:] if start else text
        if top:
            notes.append(f"{plural(top, 'blank line')} above the header skipped (the header "
                         f"is line {top + 1})")
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    if delimiter is not None:
        delimiter = delimiter_from_option(delimiter)
    sep = delimiter or sniff_delimiter(first_line, text[len(first_line):len(first_line)
                                                          + 20_000]) or ","
    if first_line.count(sep) >= MAX_COLUMNS:
        raise InputError(f"the header has {first_line.count(sep) + 1:,} columns; graphkit reads "
                         f"tables of up to {MAX_COLUMNS:,} columns (is the delimiter right?)",
                         file=p, row=top + 1)
    if delimiter is None and sep != ",":
        notes.append(f"delimiter: {_DELIMITER_NAMES.get(sep, repr(sep))}")
    named = len(names or [])
    headers: list[str] = []
    if header:  # the first record: a quoted header name may hold a line break
        headers = next(csv.reader(_lines(text), delimiter=sep), [])
        _check_distinct_headers(headers, p, row=top + 1)
        named = len(headers)
    options = dict(
        sep=sep,
        dtype=str,
        keep_default_na=False,
        skipinitialspace=False,
        quoting=csv.QUOTE_MINIMAL,
        skip_blank_lines=False,  # keep row numbers equal to file rows
        # The C parser takes a one-byte delimiter only; '¦' or '§' need the Python one.
        engine="c" if sep.isascii() else "python",
    )
    try:
        read = _arrow_read(text, sep, headers if header else names, header)
        if read is not None:  # every row had the header's fields, cells are clean
            frame, codes = read
            if header:
                _check_has_rows(frame, p)
            frame = _clean_headers(frame)
            return Table(frame=frame, path=p, first_row=(2 if header else 1) + top,
                         notes=notes, codes=codes.set_axis(frame.columns, axis=1))
        frame = pd.read_csv(io.StringIO(text), header=0 if header else None, names=names,
                            **options)
        if not isinstance(frame.index, pd.RangeIndex):
            frame = _without_trailing_fields(text, frame, options, header, p, notes, top)
        if header and len(headers) == frame.shape[1]:
            # The header as written: pandas renames a repeated name (two blank headers
            # become ' ' and ' .1'), which `_clean_headers` then could not name by position.
            frame.columns = [h or f"Unnamed: {i}" for i, h in enumerate(headers)]
    except pd.errors.ParserError as exc:
        unclosed = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if unclosed or "unexpected end of data" in str(exc):
            raise InputError(
                "a quote (\") opens a value that never closes, so the rest of the file would "
                "be one cell: close the quote, or remove it",
                file=p, row=int(unclosed.group(1)) + 1 + top if unclosed else None) from None
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            want, line, got = match.groups()
            row = int(line) + top
            if named and int(want) > named:
                # pandas took the first data row's extra fields for an index and counted
                # from there: name the first row that holds more than the header names.
                row, got = _first_long_row(text, sep, named, header, top) or (row, got)
            # (pandas counts an inferred index column: say what the header names instead.)
            want = str(named or want)
            expected = "the header names" if header else "the format has"
            raise InputError(
                f"this row has {got} fields and {expected} {want}: wrong delimiter, or an "
                f"unquoted {_DELIMITER_NAMES.get(sep, sep)} inside a value?",
                file=p, row=row,
            ) from None
        raise InputError(f"cannot parse as a delimited table: {exc}", file=p) from None
    except pd.errors.EmptyDataError:
        raise InputError("file is empty", file=p) from None
    _check_no_short_rows(text, frame, sep, header, p, top)
    frame = _clean(frame)
    if header:
        _check_has_rows(frame, p)
    return Table(frame=frame, path=p, first_row=(2 if header else 1) + top, notes=notes)


def _lines(text: str) -> Iterator[str]:
    """The lines of a text, line ends kept, one at a time (for a reader that needs the
    first few lines of a large file without copying it)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _check_has_rows(frame: pd.DataFrame, path: Path) -> None:
    """A table under a header holds at least one cell (a column at a time: the first
    column with a value ends the check)."""
    if not any(frame[c].notna().any() for c in frame.columns):
        raise InputError("file has a header but no data rows", file=path)


def _arrow_read(text: str, sep: str, columns: list[str] | None,
                header: bool) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The table as pandas' C parser reads it with `read_text_table`'s options, read by
    Arrow's multi-threaded parser (5x faster on a million rows), its cells cleaned as
    `_clean` cleans them. `columns`: the header's names (or the format's, without a
    header). None for any table it would read otherwise or not at all (a row with
    another number of fields, a blank line between rows, a header split over lines, a
    delimiter Arrow cannot take): pandas then reads it and says what is wrong, where."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if (not columns or len(sep.encode("utf-8")) != 1 or sep in '"\n'
            or any("\n" in str(c) for c in columns)):
        return None
    # Positional names, every one read as text: nothing is taken for a number or a date
    # ('007' stays '007'), whatever the header says.
    keys = [f"c{i}" for i in range(len(columns))]
    try:
        # An Arrow buffer, not a Python file object: Arrow's threads then never call back
        # into Python for bytes (reads from Python files with threads have hung: Arrow
        # issues 38676 and 43892).
        table = pacsv.read_csv(
            pa.BufferReader(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=keys, skip_rows=1 if header else 0,
                                           use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             escape_char=False,
                                             newlines_in_values='"' in text,
                                             ignore_empty_lines=False),
            # Empty cells stay text here and become missing in `_stripped`, as with pandas.
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.string()), strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeError):
        return None
    if table.num_columns != len(keys) or any(t != pa.string() for t in table.schema.types):
        return None
    if '"' in text and len(table) and _maybe_unclosed(text, table, sep):
        return None
    names = [str(name) or f"Unnamed: {i}" for i, name in enumerate(columns)]
    if len(set(names)) != len(names):
        return None  # pandas numbers repeated names ('a', 'a.1')
    cells = [_arrow_cells(table.column(i)) for i in range(len(names))]
    index = pd.RangeIndex(len(table))
    return (pd.DataFrame({name: c[0] for name, c in zip(names, cells, strict=True)},
                         index=index, dtype=object),
            pd.DataFrame({name: c[1] for name, c in zip(names, cells, strict=True)},
                         index=index))


def _maybe_unclosed(text: str, table, sep: str) -> bool:
    """Arrow ends a quoted value left open at the end of the file, where pandas says the
    quote never closes. Such a value runs to the end: it holds a line break, or it opens
    on the last line, which then does not parse on its own."""
    last = table.slice(len(table) - 1).to_pylist()[0].values()
    if any(cell is not None and "\n" in cell for cell in last):
        return True
    try:
        list(csv.reader([text.rstrip("\n").rsplit("\n", 1)[-1]], delimiter=sep, strict=True))
    except csv.Error:
        return True
    return False


def _arrow_cells(column) -> tuple[np.ndarray, np.ndarray]:
    """An Arrow column of text as `_clean` leaves it (stripped, None where nothing is
    left or nothing was; each distinct text stripped once and shared by its cells), and
    the cells' codes (-1: missing)."""
    encoded = column.dictionary_encode().combine_chunks()
    cleaned = np.array([_stripped(t) for t in encoded.dictionary.to_pylist()], dtype=object)
    raw = encoded.indices.fill_null(len(cleaned)).to_numpy(zero_copy_only=False)
    # Stripping may make two texts one (' A' and 'A'): codes are of the cleaned texts.
    codes = np.append(pd.factorize(cleaned, use_na_sentinel=True)[0], -1)
    return np.append(cleaned, None)[raw], codes[raw]


def _check_distinct_headers(headers: list[str], path: Path, row: int | None = 1) -> None:
    """Two columns with one name (apart from case, spaces and punctuation) are an error:
    pandas would rename the second ('Participant.1') and its values would go unread."""
    seen: dict[str, int] = {}
    for position, name in enumerate(headers, 1):
        # Case and spaces only: 'Amount $' and 'Amount €' are two columns.
        key = "".join(str(name).casefold().split())
        if not key:
            continue
        if key in seen:
            raise InputError(f"columns {seen[key]} and {position} are both named "
                             f"'{one_line(name)}' (apart from case and spaces); graphkit cannot "
                             "tell which to read: give each column its own name",
                             file=path, row=row)
        seen[key] = position


def _check_no_short_rows(text: str, frame: pd.DataFrame, sep: str, header: bool,
                         path: Path, top: int = 0) -> None:
    """A row with fewer fields than the header is an error at its row: pandas pads it at
    the end, so a missing middle field would move every later value one column left (a
    participant read as a date). A blank line, or one of spaces only, is no row. Only a
    table with an empty cell in its last column can hold a padded row, so only such a
    table is read again, by the csv module, to count each row's fields."""
    width = frame.shape[1]
    if width < 2 or not (frame.iloc[:, -1].fillna("") == "").any():
        return
    # Columns without a header at the end (a header line ending in a delimiter) may be
    # missing from a row: nothing is read from them.
    while width > 1 and _UNNAMED.fullmatch(str(frame.columns[width - 1])):
        width -= 1
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    if header:
        next(reader, None)
    for position, fields in enumerate(reader):
        if len(fields) < width and any(field.strip() for field in fields):
            expected = (f"the header names {width}" if header else
                        f"the format has {width} ({', '.join(map(str, frame.columns))})")
            raise InputError(
                f"this row has {len(fields)} field{'s' if len(fields) != 1 else ''} and "
                f"{expected}: a missing delimiter, or a value split over lines without "
                "quotes? (graphkit will not guess which column is missing)",
                file=path, row=position + (2 if header else 1) + top)


def _first_long_row(text: str, sep: str, width: int, header: bool,
                    top: int = 0) -> tuple[int, int] | None:
    """The first row with a value past the `width` fields the header names, and its field
    count, numbered as `_check_no_short_rows` numbers rows (empty trailing fields, a
    delimiter ending the line, are allowed: `_without_trailing_fields` drops them)."""
    reader = csv.reader(_lines(text), delimiter=sep)
    if header:
        next(reader, None)
    for position, fields in enumerate(reader):
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            return position + (2 if header else 1) + top, len(fields)
    return None


def _without_trailing_fields(text: str, frame: pd.DataFrame, options: dict, header: bool,
                             path: Path, notes: list[str], top: int = 0) -> pd.DataFrame:
    """A table whose first data row has more fields than the header. pandas would take the
    extra leading fields as an index and shift every column by one; instead, fields past
    the header that are empty in every row (a delimiter ending each line) are dropped
    with a note, and any other extra field is an error at its row."""
    extra = frame.index.nlevels
    width = len(frame.columns) + extra
    raw = pd.read_csv(io.StringIO(text), header=None, names=list(range(width)),
                      skiprows=1 if header else 0, **options)
    tail = raw.iloc[:, -extra:]
    filled = (tail.notna() & (tail != "")).any(axis=1).to_numpy()
    if filled.any():
        raise InputError(f"this row has more fields than the {len(frame.columns)} the header "
                         "names: an unquoted delimiter inside a value, or a column without a "
                         "header?", file=path,
                         row=int(filled.argmax()) + (2 if header else 1) + top)
    notes.append("rows end with an empty field the header does not name (a delimiter at "
                 "the end of the line): ignored")
    return raw.iloc[:, :-extra].set_axis(frame.columns, axis=1)


_FLAT = (str, numbers.Number, type(None), datetime.date, datetime.time, np.generic)


def _check_flat(frame: pd.DataFrame, path: Path) -> None:
    """One value per cell: Parquet may nest lists, structs or bytes in a column."""
    for column in frame.columns[frame.dtypes.map(pd.api.types.is_object_dtype)]:
        kinds = frame[column].map(type)
        nested = kinds.map(lambda k: not issubclass(k, _FLAT))
        if nested.any():
            position = int(nested.to_numpy().argmax())
            kind = kinds.iloc[position]
            what = ("binary values" if issubclass(kind, (bytes, bytearray)) else
                    "objects (a Parquet struct)" if issubclass(kind, dict) else
                    "lists (a Parquet list)")
            raise InputError(f"the column holds {what}; graphkit reads one text, number or "
                             "date per cell: flatten it (e.g. one row per participant)",
                             file=path, row=position + 1, column=str(column))


def read_table(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read CSV/TSV (optionally .bz2/.gz), Excel or Parquet, chosen by file name."""
    p = check_readable(path)
    suffix = base_suffix(p)
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(p, sheet)
    notes = [] if sheet is None else [f"--sheet '{sheet}' ignored: the file is not a workbook"]
    if suffix in PARQUET_SUFFIXES:
        import pyarrow.parquet as pq  # only for Parquet input: it takes a while to import

        try:
            # The schema first: two columns with one name make pyarrow's reader fail
            # with a dump of the schema.
            _check_distinct_headers(pq.read_schema(p).names, p, row=None)
            frame = pd.read_parquet(p)
        except InputError:
            raise
        except Exception as exc:  # pyarrow raises ArrowInvalid and others
            raise InputError(f"not a readable Parquet file ({one_line(str(exc))})",
                             file=p) from None
        _check_flat(frame, p)
        frame = _clean(frame)
        if frame.empty:
            raise InputError("Parquet file has no rows", file=p)
        return Table(frame=frame, path=p, first_row=1, notes=notes)
    table = read_text_table(p, delimiter=delimiter, encoding=encoding)
    table.notes[:0] = notes
    return table


_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsm, .xlsb, .ods
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # .xls, and any password-protected workbook


def _read_workbook(path: Path, sheet: str | None) -> Table:
    """One sheet of a workbook (python-calamine reads .xlsx, .xlsm, .xlsb, .xls and .ods),
    every cell as the workbook holds it. Title rows above the header are skipped with a
    note; the header row must name each column once."""
    if path.suffix.lower() in (".gz", ".bz2"):
        raise InputError("a compressed workbook is not read (a workbook is already "
                         "compressed inside): decompress it first", file=path)
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(_OLE2_MAGIC) and base_suffix(path) != ".xls":
        raise InputError("the workbook is password-protected (encrypted), or an old .xls "
                         "saved under a new name: open it in a spreadsheet and save it "
                         "without a password as .xlsx or CSV", file=path)
    if not magic.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        looks = "text (a CSV saved under a workbook's name? rename it .csv)" \
            if _looks_like_text(path) else "neither a zip nor an Excel 97-2003 file"
        raise InputError(f"not a workbook: its content is {looks}", file=path)
    from python_calamine import CalamineWorkbook

    try:  # one opening for the sheet names and the merged cells; pandas reads the cells
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception:  # a corrupt workbook: pandas below says what calamine finds
        book, names = None, []
    if sheet is not None and names and sheet not in names:
        raise InputError(f"no sheet '{sheet}'; the sheets are "
                         + ", ".join(f"'{n}'" for n in names), file=path)
    chosen = sheet if sheet is not None else (names[0] if names else None)
    label = f"sheet '{chosen if chosen is not None else 1}'"
    try:
        raw = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, header=None,
                            dtype=object, engine="calamine")
    except Exception as exc:  # calamine raises its own error types for a corrupt file
        raise InputError(f"not a readable workbook ({one_line(str(exc))})", file=path) from None
    merged = _fill_merged_down(book, chosen, raw) if book is not None else []
    raw = raw.dropna(how="all", axis=1)
    if raw.dropna(how="all").empty:
        more = " (pass --sheet to read another: " + ", ".join(f"'{n}'" for n in names[1:]) + ")"
        raise InputError(f"{label} is empty" + (more if len(names) > 1 else ""), file=path)
    start = _header_row(raw)
    # Positions count the sheet's columns, empty ones too (raw's labels are 0, 1, ...).
    headers = [_header_text(value, int(column) + 1) for column, value in
               raw.iloc[start].items()]
    _check_distinct_headers(headers, path, row=start + 1)
    frame = _clean(raw.iloc[start + 1:].set_axis(headers, axis=1))
    if frame.dropna(how="all").empty:
        raise InputError(f"{label} has a header (row {start + 1}) but no data rows", file=path)
    notes = [f"{label}: header read from row {start + 1} (the rows above it are blank or "
             "a title)"] if start else []
    unsaved = _formulas_without_values(path, chosen)
    if unsaved:
        notes.append(f"{label}: {plural(len(unsaved), 'formula cell')} without a saved "
                     f"result read as blank (e.g. {', '.join(unsaved[:3])}): the workbook "
                     "was written by a program that does not calculate; open and save it in "
                     "Excel or LibreOffice to store the values")
    if merged:
        notes.append(f"{label}: {plural(len(merged), 'merged cell range')}, each read as its "
                     f"value in every row it spans (e.g. {', '.join(merged[:3])})")
    return Table(frame=frame, path=path, first_row=start + 2, notes=notes)


def _fill_merged_down(book, sheet: str | None, raw: pd.DataFrame) -> list[str]:
    """Cells merged down a column (a deal number spanning its participants' rows) hold
    their value in the first row only: fill it into every row of the range, in place.
    Merges across columns are left as they are. Returns the ranges filled, as A1 text."""
    try:
        found = (book.get_sheet_by_name(sheet) if sheet is not None
                 else book.get_sheet_by_index(0))
        ranges = found.merged_cell_ranges or []
    except Exception:  # formats without merge records (.xls, .ods) or none to read
        return []
    filled = []
    for (top, left), (bottom, right) in sorted(ranges):
        if left != right or bottom <= top or bottom >= len(raw) or left >= raw.shape[1]:
            continue
        raw.iloc[top + 1:bottom + 1, left] = raw.iat[top, left]
        column = _column_letters(left)
        filled.append(f"{column}{top + 1}:{column}{bottom + 1}")
    return filled


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _formulas_without_values(path: Path, sheet: str | None) -> list[str]:
    """Cells of an .xlsx/.xlsm sheet holding a formula and no saved result (openpyxl and
    other writers store formulas uncalculated): every reader sees them blank, so they are
    named. [] for other formats or when the parts cannot be found."""
    import zipfile

    from lxml import etree

    if base_suffix(path) not in (".xlsx", ".xlsm"):
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        with zipfile.ZipFile(path) as book:
            sheets = etree.fromstring(book.read("xl/workbook.xml"), parser)
            rels = etree.fromstring(book.read("xl/_rels/workbook.xml.rels"), parser)
            targets = {r.get("Id"): r.get("Target") for r in rels}
            entries = sheets.findall(f"{_SHEET_NS}sheets/{_SHEET_NS}sheet")
            entry = next((e for e in entries if sheet is None or e.get("name") == sheet), None)
            if entry is None:
                return []
            target = targets.get(entry.get(f"{_REL_NS}id"), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            found = []
            with book.open(part) as stream:
                for _, cell in etree.iterparse(stream, tag=f"{_SHEET_NS}c",
                                               resolve_entities=False, no_network=True,
                                               huge_tree=True):
                    formula = cell.find(f"{_SHEET_NS}f")
                    value = cell.find(f"{_SHEET_NS}v")
                    if formula is not None and (value is None or not (value.text or "")):
                        found.append(cell.get("r", "?"))
                    cell.clear()
            return found
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []


def _column_letters(position: int) -> str:
    """0 -> 'A', 27 -> 'AB', as spreadsheets name columns."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header_row(raw: pd.DataFrame) -> int:
    """The row holding the header: the first with two or more filled cells, when every row
    above it holds at most one (a title, a date, a blank line). A sheet of one column has
    its header in the first filled row."""
    filled = raw.notna().sum(axis=1).to_numpy()
    for position, count in enumerate(filled[:20]):
        if count >= 2 or (count == 1 and raw.shape[1] == 1):
            return position
    return int((filled > 0).argmax())


def _header_text(value: object, position: int) -> str:
    """A header cell as text; an empty one is named by its position ('column 3')."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return f"column {position}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or f"column {position}"


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return b"\x00" not in head


_UNNAMED = re.compile(r"Unnamed: (\d+)")


def _clean_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """A header cell's line breaks and runs of spaces read as one space ('Deal⏎Number'); an
    empty one (pandas names it 'Unnamed: 3') or one of spaces only is named by its position
    ('column 4')."""
    columns = [" ".join(str(c).lstrip("\ufeff").split()) for c in frame.columns]
    return frame.set_axis([f"column {i + 1}" if not c or _UNNAMED.fullmatch(c) else c
                           for i, c in enumerate(columns)], axis=1)


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip text cells, turn empty text into missing (None), keep dates and numbers."""
    frame = _clean_headers(frame.copy())
    for col in frame.columns:
        series = map_distinct(frame[col], _stripped).astype(object)
        frame[col] = series.where(series.notna(), None)
    return frame.reset_index(drop=True)


# How database exports write a missing value (MySQL's SELECT ... INTO OUTFILE, PostgreSQL's
# COPY in text format): never a name, a type or a date.
DATABASE_NULL = "\\N"


def _stripped(value: object) -> object:
    """A text cell stripped, None when nothing is left or it is a database export's
    missing value (`\\N`); other cells (dates, numbers from a spreadsheet) as they are,
    missing ones None."""
    if isinstance(value, str):
        text = value.strip()
        return text if text and text != DATABASE_NULL else None
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    return value


def header_key(name: str) -> str:
    """Header compared without case, spaces or punctuation, in any script ('参加者' is a
    header too)."""
    return re.sub(r"[\W_]+", "", str(name).casefold())


def find_column(table: Table, synonyms: list[str]) -> str | None:
    """The first table column whose header matches one of the synonyms."""
    keys = {header_key(c): c for c in table.frame.columns}
    for syn in synonyms:
        if header_key(syn) in keys:
            return keys[header_key(syn)]
    return None


def require_columns(
    table: Table,
    wanted: dict[str, list[str]],
    given: dict[str, str] | None = None,
    optional: dict[str, list[str]] | None = None,
    column_option: bool = False,
) -> dict[str, str]:
    """Map roles to table columns: explicit names first, then known synonyms.

    Raises one error naming the missing role, the headers found, and the closest match,
    and how to fix it: `--column ROLE="NAME"` where the command has that option
    (`column_option`, deal tables and edge lists), else the headers the file needs.
    """
    given = given or {}
    found: dict[str, str] = {}
    for role, synonyms in {**wanted, **(optional or {})}.items():
        if role in given:
            # Header names read with runs of spaces and line breaks as one space (`_clean`).
            column = given[role] if given[role] in table.frame.columns else \
                " ".join(given[role].split())
            if column not in table.frame.columns:
                raise _missing(table, role, [given[role]], explicit=True, fix=None)
            found[role] = column
            continue
        col = find_column(table, synonyms)
        if col is not None:
            found[role] = col
        elif role in wanted:
            fix = (f'Name the column with --column {role}="NAME".' if column_option else
                   "The file needs the headers " + ", ".join(f"'{s[0]}'" for s in
                                                            wanted.values()) + ".")
            raise _missing(table, role, synonyms, explicit=False, fix=fix)
    return found


def _missing(table: Table, role: str, names: list[str], explicit: bool,
             fix: str | None) -> InputError:
    headers = [str(c) for c in table.frame.columns]
    if len(headers) == 1 and any(d in headers[0] for d in DELIMITERS):
        # One column holding delimiters: a suggestion would be the whole header again.
        hint = " The header was read as one column: is the delimiter right (--delimiter)?"
    else:
        close = difflib.get_close_matches(names[0], headers, n=1, cutoff=0.5)
        hint = f" Did you mean '{close[0]}'?" if close else ""
    if explicit:
        what = f"There is no column '{names[0]}'"
    else:
        what = (f"No column holds the {role} (headers such as "
                + ", ".join(f"'{n}'" for n in names[:4]) + ")")
    return InputError(
        f"{what}. The columns are {', '.join(repr(h) for h in headers)}.{hint}"
        + (f" {fix}" if fix else ""), file=table.path, row=(table.first_row - 1) or None,
    )
