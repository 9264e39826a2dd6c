"""Date cells as real exports write them: full, partial and placeholder forms."""

import pandas as pd
import pytest

from graphkit.dates import parse_dates

T = pd.Timestamp


@pytest.mark.parametrize(("cell", "first", "last", "precision"), [
    ("2014-06-30", "2014-06-30", "2014-06-30", "day"),
    ("06/30/2014", "2014-06-30", "2014-06-30", "day"),
    ("30 June 2014", "2014-06-30", "2014-06-30", "day"),
    ("2014", "2014-01-01", "2014-12-31", "year"),
    ("2014-06", "2014-06-01", "2014-06-30", "month"),
    ("06/2014", "2014-06-01", "2014-06-30", "month"),
    ("June 2014", "2014-06-01", "2014-06-30", "month"),
    ("Jun-2014", "2014-06-01", "2014-06-30", "month"),
    ("Sept 2014", "2014-09-01", "2014-09-30", "month"),
    ("2014 June", "2014-06-01", "2014-06-30", "month"),
    ("Q3 2014", "2014-07-01", "2014-09-30", "quarter"),
    ("2014 Q4", "2014-10-01", "2014-12-31", "quarter"),
    ("3Q 2014", "2014-07-01", "2014-09-30", "quarter"),
    ("second quarter of 2014", "2014-04-01", "2014-06-30", "quarter"),
    ("2014-??-??", "2014-01-01", "2014-12-31", "year"),
    ("2014-00-00", "2014-01-01", "2014-12-31", "year"),
    ("2014-06-??", "2014-06-01", "2014-06-30", "month"),
    ("--/--/2014", "2014-01-01", "2014-12-31", "year"),
    ("[ ]/[ ]/2014", "2014-01-01", "2014-12-31", "year"),
    ("xx/xx/2014", "2014-01-01", "2014-12-31", "year"),
    ("06/??/2014", "2014-06-01", "2014-06-30", "month"),
    (2014.0, "2014-01-01", "2014-12-31", "year"),  # a year read from Excel
])
def test_full_and_partial_dates(cell, first, last, precision):
    values = pd.Series([cell], dtype=object)
    start, bad, level = parse_dates(values)
    end, _, _ = parse_dates(values, period_end=True)
    assert not bad.iloc[0]
    assert (start.iloc[0], end.iloc[0], level.iloc[0]) == (T(first), T(last), precision)


@pytest.mark.parametrize("cell", ["soon", "sometime 2021?", "2014-13", "Q5 2014", "13/45/2014"])
def test_what_cannot_be_placed_is_bad(cell):
    dates, bad, level = parse_dates(pd.Series([cell], dtype=object))
    assert bad.iloc[0] and dates.isna().iloc[0] and level.iloc[0] is None


def test_day_first_placeholders_need_dayfirst():
    values = pd.Series(["??/06/2014"], dtype=object)
    assert parse_dates(values)[1].iloc[0]  # month first: the month is unknown -> bad
    dates, bad, level = parse_dates(values, dayfirst=True)
    assert not bad.iloc[0] and dates.iloc[0] == T("2014-06-01") and level.iloc[0] == "month"


def test_column_order_is_detected():
    from graphkit.dates import date_order

    assert date_order(pd.Series(["15/03/2019", "03/04/2019"]))[0] is True
    assert date_order(pd.Series(["03/15/2019", "03/04/2019"]))[0] is False
    assert date_order(pd.Series(["01.02.2019"]))[0] is True  # dots: day first
    # nothing settles the order: month first, and the note says so and how to change it
    dayfirst, note = date_order(pd.Series(["03/04/2019", "2019-05-01"]))
    assert dayfirst is False and "'03/04/2019' read either way" in note
    assert "--dayfirst" in note
    assert date_order(pd.Series(["04/04/2019", "2019"])) == (False, None)  # either way alike
    mixed, note = date_order(pd.Series(["15/03/2019", "03/15/2019"]))
    assert mixed is False and "'15/03/2019'" in note and "'03/15/2019'" in note


def test_a_day_first_column_is_read_day_first(tmp_path):
    from helpers import write

    from graphkit.loaders.deals import load_deals

    path = write(tmp_path / "d.csv", "Deal Number,Participants,Date Announced\n"
                 "M1,A Co; B Co,15/03/2019\nM2,A Co; C Co,03/04/2019\n")
    data = load_deals(path)
    assert data.deals.loc["M2", "announced"] == T("2019-04-03")
    assert any("read day first ('15/03/2019'" in n for n in data.summaries[0].notes)


@pytest.mark.parametrize(("text", "hint"), [("2018", "2018-12-31"), ("2018-02", "2018-02-28")])
def test_partial_dates_are_refused_as_options(text, hint):
    from graphkit.dates import parse_date_option
    from graphkit.errors import InputError

    with pytest.raises(InputError, match=f"for the end of that period type {hint}"):
        parse_date_option(text, "--as-of")


def test_a_typed_date_column_is_read_as_it_is():
    """A datetime64 column (Parquet, pandas) holds only dates: nothing is left to parse as
    text, which used to fail on an empty datetime column's missing `.str`."""
    import pandas as pd

    from graphkit.dates import parse_dates

    for column in (pd.Series(pd.to_datetime(["2014-06-30 23:00", "2015-01-01 00:00"])),
                   pd.Series(pd.to_datetime(["2014-06-30 23:00", "2015-01-01 00:00"])
                             .tz_localize("Asia/Tokyo"))):
        dates, bad, precision = parse_dates(column)
        assert dates.tolist() == [pd.Timestamp("2014-06-30"), pd.Timestamp("2015-01-01")]
        assert not bad.any() and precision.tolist() == ["day", "day"]


def test_a_span_of_two_years_is_no_date():
    """dateutil read '2014-01-01/2015-01-01' as its start and dropped the end; a cell naming
    two years is a span, and cannot be placed (a time or a zone offset is not a year)."""
    cells = pd.Series(["2014-01-01/2015-01-01", "2014 - 2015", "30 June 2014 10:30 +0500",
                       "June 30, 2014"])
    dates, bad, _ = parse_dates(cells)
    assert bad.tolist() == [True, True, False, False]
    assert dates[2:].dt.strftime("%Y-%m-%d").tolist() == ["2014-06-30", "2014-06-30"]


DATE_CELLS = ["2014-06-30", "06/30/2014", "30/06/2014", "2014", "Q3 2014", "2014-??-??",
              "June 2014", "soon", "", "  2014-06-30 ", "31/02/2014", "1899-12-31", None,
              "2014-06-30T23:00Z", "03/04/2005", 41820, 2014.0, True]


def test_each_distinct_date_is_parsed_once_with_the_same_result_as_cell_by_cell():
    """parse_dates reads a column of text by its distinct values and spreads them back;
    the result equals the cell-by-cell reading on repeats, blanks and bad cells, and a
    column holding numbers as well as text (where 2014 and 2014.0 hash alike) is read cell
    by cell."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from graphkit.dates import _parse
    from graphkit.distinct import map_distinct

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(DATE_CELLS), min_size=1, max_size=30), st.booleans(),
           st.booleans())
    def check(cells, dayfirst, period_end):
        values = pd.Series(cells, dtype=object, index=[f"r{i}" for i in range(len(cells))])
        once = parse_dates(values, dayfirst=dayfirst, period_end=period_end)
        each = _parse(values, dayfirst, period_end)
        for a, b in zip(once, each, strict=True):
            pd.testing.assert_series_equal(a, b, check_dtype=False)
        assert once[1].dtype == bool
        assert map_distinct(values, repr).tolist() == values.map(repr).tolist()

    check()


@pytest.mark.parametrize("dayfirst", [False, True])
def test_a_date_led_by_its_year_is_year_month_day(dayfirst):
    """2001/01/05, 2001.01.05 and 20010105 are 5 January 2001 even when the column is read
    day first (a day-first column once made them 1 May); no format writes year, day,
    month, so 2001-13-01 and 2014-06-31 are unreadable rather than guessed."""
    values = pd.Series(["2001/01/05", "2001.01.05", "20010105", "2001-1-5", "2001-13-01",
                        "2014-06-31", "31/12/2001"], dtype=object)
    dates, bad, precision = parse_dates(values, dayfirst=dayfirst)
    assert [str(d.date()) if not pd.isna(d) else None for d in dates] == [
        "2001-01-05", "2001-01-05", "2001-01-05", "2001-01-05", None, None, "2001-12-31"]
    assert bad.tolist() == [False, False, False, False, True, True, False]
    assert precision.tolist() == ["day"] * 4 + [None, None, "day"]
