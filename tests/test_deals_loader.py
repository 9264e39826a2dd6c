"""The deals-table loader: layouts, formats, header detection and every bad input."""

import pandas as pd
import pytest
from helpers import write
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.errors import InputError
from graphkit.loaders import load_source
from graphkit.loaders.deals import load_deals
from graphkit.projection import partner_graph

LONG = """Deal Number,Date Announced,Participants,Participant Nation,Deal Type,Status
100,2004-05-01,Acme Inc.,United States,Joint Venture,Completed
100,2004-05-01,Beta GmbH,Germany,Joint Venture,Completed
100,2004-05-01,Gamma Ltd,United Kingdom,Joint Venture,Completed
101,2006-02-15,ACME Corp,United States,Licensing,Pending
101,2006-02-15,Beta GmbH,Germany,Licensing,Pending
"""

# SDC Platinum style: one row per deal, participants and nations packed in one cell.
WIDE = '''Deal Number,Date Announced,Participants in Venture / Alliance,Participant Nation,Deal Type
7001,03/15/2002,"Toyota Motor Corp
General Motors Corp","Japan
United States",Joint Venture
7002,11/30/2003,Toyota Motor Corp; Peugeot SA; Citroen SA,Japan; France; France,Strategic Alliance
7003,2005,Peugeot SA|General Motors Corp,France|United States,Licensing
'''


def ties(data, **kw):
    graph = partner_graph(data, **kw)
    return {tuple(sorted((u, v))): d for u, v, d in graph.edges(data=True)}


def test_long_layout(tmp_path):
    data = load_deals(write(tmp_path / "deals.csv", LONG))
    t = ties(data)
    assert set(t) == {("acme", "beta"), ("acme", "gamma"), ("beta", "gamma")}
    assert t[("acme", "beta")]["deals"] == 2
    assert data.organizations.loc["acme", "country"] == "United States"
    assert data.organizations.loc["beta", "country"] == "Germany"
    summary = data.summaries[0]
    assert summary.kept == {"deals": 2, "organisations": 3, "participations": 5}
    assert any("'Acme Inc.', 'ACME Corp'" in m for m in summary.merges)
    deal = data.deal("101")
    assert deal.participants == ("acme", "beta")
    assert deal.type == "Licensing" and deal.status == "Pending"
    assert str(deal.announced) == "2006-02-15"


def test_wide_layout_sdc_style(tmp_path):
    data = load_deals(write(tmp_path / "sdc.csv", WIDE))
    t = ties(data)
    assert set(t) == {("general motors", "toyota motor"), ("peugeot", "toyota motor"),
                      ("citroen", "toyota motor"), ("citroen", "peugeot"),
                      ("general motors", "peugeot")}
    assert data.organizations.loc["toyota motor", "country"] == "Japan"
    assert data.organizations.loc["citroen", "country"] == "France"
    assert str(data.deal("7001").announced) == "2002-03-15"  # month first, as SDC writes
    assert data.deal("7003").announced.year == 2005


def test_dayfirst(tmp_path):
    text = "Deal Number,Participants,Date Announced\n1,A,01/02/2003\n1,B,01/02/2003\n"
    path = write(tmp_path / "d.csv", text)
    assert str(load_deals(path).deal("1").announced) == "2003-01-02"
    assert str(load_deals(path, dayfirst=True).deal("1").announced) == "2003-02-01"


def test_excel_and_parquet_give_the_same_model(tmp_path):
    frame = pd.read_csv(write(tmp_path / "d.csv", LONG), dtype=str)
    frame.to_excel(tmp_path / "deals.xlsx", index=False)
    frame.to_parquet(tmp_path / "deals.parquet")
    base = ties(load_deals(tmp_path / "d.csv"))
    for name in ("deals.xlsx", "deals.parquet"):
        assert ties(load_source(tmp_path / name)) == base


def test_excel_dates_and_numeric_deal_ids(tmp_path):
    frame = pd.DataFrame({"Deal Number": [1.0, 1.0], "Participants": ["A", "B"],
                          "Date Announced": [pd.Timestamp("2001-02-03")] * 2})
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    data = load_source(tmp_path / "d.xlsx")
    assert data.deal("1").announced.isoformat() == "2001-02-03"


def test_column_mapping_by_option(tmp_path):
    text = "id,who,when\n1,A,2001\n1,B,2001\n"
    data = load_deals(write(tmp_path / "d.csv", text),
                      columns={"deal_id": "id", "participant": "who", "announced": "when"})
    assert set(ties(data)) == {("a", "b")}


def test_tsv_and_semicolon_sniffed(tmp_path):
    for sep, name in (("\t", "d.tsv"), (";", "d.csv")):
        text = LONG.replace(",", sep)
        assert len(ties(load_deals(write(tmp_path / name, text)))) == 3


def test_latin1_and_bom(tmp_path):
    text = "Deal Number,Participants\n1,Malév\n1,Aerolíneas Argentinas\n"
    latin = load_deals(write(tmp_path / "latin.csv", text, "latin-1"))
    assert set(latin.organizations["name"]) == {"Malév", "Aerolíneas Argentinas"}
    assert any("Windows-1252" in n for n in latin.summaries[0].notes)
    bom = load_deals(write(tmp_path / "bom.csv", "\ufeff" + text))
    assert set(bom.organizations["name"]) == {"Malév", "Aerolíneas Argentinas"}
    assert any("byte-order mark" in n for n in bom.summaries[0].notes)


def test_duplicates_singles_and_blanks_are_reported(tmp_path):
    text = ("Deal Number,Participants,Date Announced\n"
            "1,A,2001\n1,B,2001\n1,B,2001\n"  # exact duplicate row
            "2,C,2002\n"  # single participant
            "3,D,2003\n3,,2003\n"  # blank name leaves a single participant
            "4,E,2004\n4,e inc,2004\n"  # same organisation twice after normalising
            ",,\n")  # empty row
    data = load_deals(write(tmp_path / "d.csv", text))
    dropped = {k: v.count for k, v in data.summaries[0].dropped.items()}
    assert dropped == {
        "empty row": 1,
        "row repeats an earlier row exactly": 1,
        "blank participant name": 1,
        "participant listed twice in the same deal": 1,
        "deal with a single participant (no partner to tie to)": 3,
    }
    assert data.summaries[0].dropped["row repeats an earlier row exactly"].examples == ["row 4"]
    assert set(ties(data)) == {("a", "b")}


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_database_nulls_are_missing_values_not_names(tmp_path, suffix):
    """A database export writes a missing value as \\N (MySQL's INTO OUTFILE, PostgreSQL's
    COPY): it is never an organisation (it was one, keyed 'n'), a deal type (deal 2 had
    '\\N' and 'Joint Venture' as conflicting types) or an unreadable date; in CSV quoted or
    not, in workbooks and Parquet alike."""
    frame = pd.DataFrame({
        "Deal Number": ["1", "1", "2", "2", "2", "3", "3"],
        "Participants": ["Lufthansa", "United Airlines", "Lufthansa", "\\N", " Air Canada",
                         "Air Canada", "United Airlines"],
        "Date Announced": ["2012-01-05", "2012-01-05", "2013-02-01", "2013-02-01",
                           "2013-02-01", "\\N", "\\N"],
        "Deal Type": ["Codeshare", "Codeshare", "\\N", "\\N", "Joint Venture", "Codeshare",
                      "Codeshare"],
        "Participant Nation": ["DE", "US", "DE", "\\N", "CA", "CA", "US"]})
    path = tmp_path / f"deals.{suffix}"
    if suffix == "csv":  # unquoted, and quoted in the 5th row's nation
        path.write_text(frame.to_csv(index=False).replace('"\\N"', "\\N")
                        .replace(",\\N,\\N,\\N\n", ',\\N,\\N,"\\N"\n'), encoding="utf-8")
    elif suffix == "xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path)
    data = load_deals(path)
    summary = data.summaries[0]
    assert set(data.organizations["name"]) == {"Lufthansa", "United Airlines", "Air Canada"}
    assert {k: v.count for k, v in summary.dropped.items()} == {"blank participant name": 1}
    # rows as the file numbers them: under a header line, or Parquet's own from 1
    row = "row 4" if suffix == "parquet" else "row 5"
    assert summary.dropped["blank participant name"].examples == [row]
    assert data.deal("2").type == "Joint Venture" and data.deal("3").announced is None
    assert not any("conflicting" in n or "could not be read" in n for n in summary.notes)
    assert set(ties(data)) == {("lufthansa", "united airlines"), ("air canada", "lufthansa"),
                               ("air canada", "united airlines")}


def test_values_in_messages_are_quoted_as_written():
    """Messages quote a cell as the user typed it: one backslash, not Python's two; ESC
    shown, not sent to the terminal."""
    from graphkit.errors import shown

    assert shown("\\N") == "'\\N'" and shown("C:\\data") == "'C:\\data'"
    assert shown("O'Brien") == '"O\'Brien"' and shown("a\x1b[31mb") == "'a\\x1b[31mb'"


def test_conflicting_deal_values_are_noted(tmp_path):
    text = "Deal Number,Participants,Date Announced\n1,A,2001-01-01\n1,B,2002-01-01\n"
    data = load_deals(write(tmp_path / "d.csv", text))
    assert str(data.deal("1").announced) == "2001-01-01"
    assert any("conflicting 'Date Announced'" in n for n in data.summaries[0].notes)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", "", "file is empty"),
        ("blank.csv", "   \n\n", "only white space"),
        ("header.csv", "Deal Number,Participants\n", "header but no data rows"),
        ("cols.csv", "Deal,Participnts\n1,A\n", "Did you mean 'Participnts'?"),
        ("delim.csv", "Deal Number:Participants\n1:A\n", "The columns are 'Deal Number:"),
        ("deals.pdf", "%PDF-1.4", "unknown format '.pdf'"),
        ("empty.csv", "Deal Number,Participants\n,\n", "no data rows"),
        ("noid.csv", "Participants\nA\nB\n", "needs a deal id column"),
        ("ragged.csv", "Deal Number,Participants\n1,A\n1,B,extra,more\n",
         "row 3: this row has 4 fields and the header names 2"),
        ("missingid.csv", "Deal Number,Participants\n1,A\n,B\n", "row 3, column 'Deal Number'"),
        ("quote.csv", 'Deal Number,Participants\n1,A\n1,B\n2,"C\n2,D\n',
         'row 4: a quote (") opens a value that never closes'),
    ],
)
def test_bad_input_gives_one_clear_error(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        write(path, content)
    with pytest.raises(InputError) as err:
        load_source(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


BAD_DATE = "Deal Number,Participants,Date Announced\n1,A,2001\n1,B,2001\n2,A,soon\n2,C,soon\n"


def test_unreadable_dates_are_kept_undated_by_default(tmp_path):
    data = load_deals(write(tmp_path / "d.csv", BAD_DATE))
    assert set(ties(data)) == {("a", "b"), ("a", "c")}
    assert data.deals.loc["2", "announced"] is pd.NaT
    notes = " ".join(data.summaries[0].notes)
    assert "2 cells of 'Date Announced' could not be read" in notes and "row 4 ('soon')" in notes
    assert "1 deal without an announcement date" in notes
    # a dated selection leaves it out and says so
    graph = partner_graph(data, as_of=pd.Timestamp("2005-01-01"))
    assert set(graph.edges) == {("a", "b")}
    assert graph.graph["deals_left_out"] == {"undated (cannot place in time)": 1}


def test_bad_dates_can_be_dropped_or_stop_the_load(tmp_path):
    path = write(tmp_path / "d.csv", BAD_DATE)
    data = load_deals(path, bad_rows="drop")
    assert data.summaries[0].dropped["unreadable date in 'Date Announced'"].count == 2
    assert set(ties(data)) == {("a", "b")}
    with pytest.raises(InputError, match="row 4, column 'Date Announced': expected a date"):
        load_deals(path, bad_rows="error")


CELLS = st.sampled_from([None, "JV", "Alliance", "1", 1, 1.0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "1", None]),
                          st.sampled_from([None, "2001-01-01", "2002-02-02"]),
                          st.sampled_from([None, "day", "year"]), CELLS,
                          st.sampled_from([None, 1.5])), max_size=12))
def test_first_per_deal_is_pandas_groupby(rows):
    """A deal's attributes come from integer codes; they equal pandas' groupby().first()
    (first value present, deals in order of appearance, each column's dtype) and the
    conflicts equal groupby().nunique() > 1, on rows that disagree, miss values or mix
    types."""
    from graphkit.loaders.deals import first_per_deal

    deal, day, precision, kind, number = (list(c) for c in zip(*rows, strict=True)) \
        if rows else ([], [], [], [], [])
    attrs = pd.DataFrame({"deal_id": pd.Series(deal, dtype=object),
                          "announced": pd.to_datetime(pd.Series(day, dtype=object)),
                          "announced_precision": precision,
                          "type": pd.Series(kind, dtype=object),
                          "blank": pd.Series([None] * len(rows), dtype=object),
                          "number": pd.Series(number, dtype=float)})
    checked = ["announced", "type", "number"]
    deals, conflicts = first_per_deal(attrs, checked)
    grouped = attrs.groupby("deal_id", sort=False)
    pd.testing.assert_frame_equal(deals, grouped.first())
    for column in checked:
        counts = grouped[column].nunique()
        assert list(conflicts[column]) == list(counts[counts > 1].index)


@pytest.mark.parametrize("quoted", [False, True])
def test_a_column_named_row_is_the_tables_own(tmp_path, quoted):
    """A table column named like the reading's own bookkeeping ('row', 'deal_id') keeps
    its values: used as the deal id it groups the deals, and it counts when rows are
    compared, whichever parser read the file (a quoted line break sends it to pandas)."""
    path = tmp_path / "row.csv"
    write(path, "row,Participants\n1,Alpha\n1,Beta\n\n2,Gamma\n2,Delta\n"
          + ('3,"Eps\nilon"\n3,Zeta\n' if quoted else ""))
    data = load_source(path, columns={"deal_id": "row"})
    assert sorted(data.deals.index) == ["1", "2", "3"][:3 if quoted else 2]
    assert {k: d.count for k, d in data.summaries[0].dropped.items()} == {"empty row": 1}

    write(path, "row,Deal Number,Participants\n1,1,Alpha\n2,1,Beta\n3,1,Beta\n"
          + ('4,2,"Gamma\nDelta"\n5,2,Eps\n' if quoted else ""))
    dropped = load_source(path).summaries[0].dropped
    # Rows 3 and 4 differ in their own 'row' column: not a repeated row, a repeated
    # participant.
    assert {k: d.count for k, d in dropped.items()} == {
        "participant listed twice in the same deal": 1}


def test_blank_headers_are_named_by_position(tmp_path):
    """Header cells left blank or holding only spaces are 'column N' by their place, even
    when two of them would otherwise share a name (pandas calls the second ' .1')."""
    from graphkit.loaders.tables import read_text_table

    path = tmp_path / "blank.csv"
    write(path, "Deal Number, ,Participants, ,Status,\n1,a,Alpha,b,C,x\n1,a,Beta,b,C,y\n")
    assert list(read_text_table(path).frame.columns) == [
        "Deal Number", "column 2", "Participants", "column 4", "Status", "column 6"]


def test_the_first_row_with_too_many_fields_is_named(tmp_path):
    """When the first data row holds an extra field pandas takes it for an index and
    complains of a later row; the message names the first row past the header's width
    (a delimiter that also separates participants, 'Lufthansa; United' in a ';' file)."""
    path = tmp_path / "semi.csv"
    write(path, "Deal Number;Participants\n1;Lufthansa; United\n2;Air Canada\n"
                "3;Delta; Air France; KLM\n")
    with pytest.raises(InputError) as err:
        load_source(path)
    assert "row 2: this row has 3 fields and the header names 2" in str(err.value)
