"""Fuzzing: whatever a user's file holds, a loader returns data or raises InputError."""

import csv
import io
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.errors import InputError
from graphkit.loaders import load_source
from graphkit.projection import partner_graph

CELL = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["", " ", "2001-02-03", "03/04/2005", "2010", "soon", "Acme Inc",
                     "A;B", "A|B\nC", '"quoted"', "\\N", "0", "-1", "1e9", "NaN", "ß", "中国"]),
)
HEADERS = st.lists(st.sampled_from(["Deal Number", "Participants", "Date Announced", "Deal Type",
                                    "Status", "Participant Nation", "source", "target",
                                    "weight", "date", "Other", ""]),
                   min_size=1, max_size=6)


@settings(max_examples=int(os.environ.get("GRAPHKIT_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(HEADERS, st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=8),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "latin-1", "utf-8-sig"]))
def test_any_table_loads_or_fails_clearly(tmp_path, headers, rows, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    try:
        path.write_bytes(buffer.getvalue().encode(encoding))
    except UnicodeEncodeError:
        return  # not representable in that encoding: not a file a user could have
    try:
        data = load_source(path)
        partner_graph(data)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message.strip()  # one line
        assert message.startswith(str(path))  # naming the file first
        assert "Traceback" not in message and "{'" not in message  # a sentence, no repr
        return
    # A load that succeeds is honest about what it read: every row is accounted for.
    summary = data.summaries[0]
    assert summary.read["rows"] == len(rows)
    assert len(data.deals) <= summary.read.get("deals", summary.read.get("ties"))


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


RAW = st.lists(st.sampled_from([*'ab ,;"\n\r\t', "é", "中", "\\N"]), max_size=40).map("".join)


@settings(max_examples=int(os.environ.get("GRAPHKIT_FUZZ_EXAMPLES", "150")) * 2, deadline=None)
@given(st.one_of(RAW, st.integers(1, 4).flatmap(
           lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1,
                                  max_size=6)).map(_csv_text)),
       st.sampled_from([",", ";"]))
def test_fast_csv_reading_is_pandas_reading(text, delimiter):
    """Arrow reads large tables (`_arrow_read`); wherever it gives an answer, the answer is
    the one pandas' parser gives on the same text (cells, blanks, quotes, line breaks,
    database nulls), and a text it would read otherwise (an unclosed quote, a short row)
    it leaves to pandas, which says what is wrong."""
    import pandas as pd

    from graphkit.loaders.tables import _arrow_read, _check_distinct_headers, _clean

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    headers = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    if not text.strip() or not headers:
        return
    try:  # the reader refuses these before either parser runs ('a ' and 'a')
        _check_distinct_headers(headers, Path("t.csv"))
    except InputError:
        return
    read = _arrow_read(text, delimiter, headers, True)
    if read is None:
        return
    fast, codes = read
    # Codes say which cells are equal: equal codes, equal cells; -1, missing.
    for column in fast.columns:
        cells, coded = fast[column].tolist(), codes[column].tolist()
        assert [c is None for c in cells] == [k == -1 for k in coded], text
        pairs = set(zip(cells, coded, strict=True))
        assert len(pairs) == len(set(cells)) == len(set(coded)), text
    try:
        slow = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                           quoting=csv.QUOTE_MINIMAL,
                           skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        raise AssertionError(f"Arrow read a text pandas refuses: {text!r}") from None
    assert isinstance(slow.index, pd.RangeIndex) and slow.shape == fast.shape, text
    assert _clean(slow).values.tolist() == fast.values.tolist(), text
