"""An analyst's own spreadsheet, end to end: tests/data/analyst_deals.csv.

Written the way analysts write them: headers 'Ref', 'Alliance Date', 'Parties', 'Nature of
deal'; participants separated by semicolons in most cells and by commas in two (A-07
'BMW, Daimler', A-13 'Volkswagen, Aurora'); a legal name with a comma ('Ford Motor Co,
Inc'); partial dates (2015, Q3 2014, March 2015, 2015-??-??, --/--/2016, 06/2016, Sept 2017,
[ ]/[ ]/2019) and one that cannot be placed ('sometime 2021?'); redacted partners ('N/A',
'[*]', '***'); two spellings of three companies (Toyota / Toyota Motor Corp, Ford / Ford
Motor Co, Inc, Volkswagen / Volkswagon) and one pair that only looks alike (Air France /
Air France KLM). Every figure below was counted by hand from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.console.cli import main
from graphkit.loaders import load_sources
from graphkit.loaders.graph_files import read_graph_file

TABLE = Path(__file__).parent / "data" / "analyst_deals.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_first_load_says_what_it_mapped_and_what_to_type(tmp_path):
    result = run("load", TABLE, "--out", tmp_path / "g.graphml",
                 "--suggest-aliases", tmp_path / "aliases.csv")
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("columns read: announced = 'Alliance Date', deal_id = 'Ref', participant = "
            "'Parties', status = 'Status', type = 'Nature of deal'") in out
    assert "no column found for: ended, country, sector, source" in out
    assert "columns not used: 'Notes' (map one with --column ROLE=\"NAME\")" in out
    # two cells list participants with commas: said, with the option to type
    assert "2 cells of 'Parties' hold commas and no other separator (e.g. row 8: " \
           "'BMW, Daimler')" in out
    assert "load again with --separator ';|,'" in out
    # 45 rows; N/A, [*] and *** are not organisations; A-07, A-13 (one comma-name each)
    # and, A-45 (a placeholder partner) are left with one participant
    assert "dropped 3: participant name is a placeholder" in out
    assert "dropped 5: deal with a single participant" in out
    assert "1 cell of 'Alliance Date' could not be read" in out and "'sometime 2021?'" in out
    assert "9 known only to the month, 5 known only to the quarter, 10 known only to the " \
           "year" in out
    assert "2 deals with a status saying the deal ended ('Terminated') but no end date" in out
    for pair in ("'Toyota' and 'Toyota Motor Corp'", "'Ford' and 'Ford Motor Co, Inc'",
                 "'Volkswagen' and 'Volkswagon'", "'Air France' and 'Air France KLM'"):
        assert pair in out
    assert "{" not in out and "[" not in out.replace("[*]", "")  # sentences, no reprs
    aliases = pd.read_csv(tmp_path / "aliases.csv")
    assert list(aliases.columns[:2]) == ["alias", "canonical"]
    # the spelling seen more often is proposed as canonical
    assert dict(zip(aliases["alias"], aliases["canonical"], strict=True)) == {
        "Air France": "Air France KLM", "Ford Motor Co, Inc": "Ford",
        "Toyota Motor Corp": "Toyota", "Volkswagon": "Volkswagen"}


def test_load_suggest_edit_reload_analyze(tmp_path):
    aliases = tmp_path / "aliases.csv"
    assert run("load", TABLE, "--separator", ";|,", "--out", tmp_path / "first.graphml",
               "--suggest-aliases", aliases).exit_code == 0
    # the analyst deletes the row that is not one company
    kept = [line for line in aliases.read_text(encoding="utf-8").splitlines()
            if not line.startswith("Air France,")]
    aliases.write_text("\n".join(kept) + "\n", encoding="utf-8")
    graph_file = tmp_path / "deals.graphml"
    result = run("load", TABLE, "--separator", ";|,", "--aliases", aliases,
                 "--column", "type=Nature of deal", "--out", graph_file)
    assert result.exit_code == 0, result.output
    assert "merged the names of 3 organisations:" in result.output
    assert "'Toyota', 'Toyota Motor Corp' -> 'Toyota' (id 'toyota'; alias file)" in result.output
    assert "possible duplicates, not merged (1;" in result.output  # Air France stays two
    # 45 rows - 3 deals left with one participant (A-29, A-33, A-45) = 42 deals
    assert "kept: 42 deals, 37 organisations, 91 participations" in result.output

    info = json.loads(run("info", graph_file, "--json").output)
    assert (info["organisations"], info["ties"], info["deals"]) == (37, 39, 42)
    # three-party deals give 3 ties each
    assert info["deal_ties"] == 42 + 7 * 2
    top = info["top_by_partners"][0]
    # Toyota: A-01 A-02 A-06 A-10 A-11 A-16 A-20 A-23 A-24 A-25 A-26 A-32 A-36 A-42
    assert (top["id"], top["partners"], top["deals"], top["deal_ties"]) == ("toyota", 9, 14, 16)

    graph = read_graph_file(graph_file)
    assert graph.edges["ford", "volkswagen"]["deals"] == 4  # A-04 A-21 A-22 A-31
    assert graph.edges["bmw", "daimler"]["deals"] == 2  # A-07 (commas) and A-17

    window = run("load", TABLE, "--separator", ";|,", "--aliases", aliases, "--as-of",
                 "2019-12-31", "--window", "5", "--out", tmp_path / "w.graphml")
    # window (2014-12-31, 2019-12-31]: 13 deals from 2020 on, A-36 undated, A-01 and A-02
    # (Q3 2014) before the window
    assert ("26 deals used; left out: 1 undated (cannot place in time), 13 announced after "
            "the date, 2 announced more than 5 years before the date") in window.output

    analysis = run("analyze", graph_file, "--top", "3", "--out", tmp_path / "an")
    assert analysis.exit_code == 0, analysis.output
    assert "1. Toyota [toyota]: 16" in analysis.output  # weighted degree = deal-ties
    ecosystems = pd.read_csv(tmp_path / "an" / "ecosystems.csv").set_index("id")
    label = ecosystems.loc["toyota", "ecosystem_label"]
    assert label.endswith(": Toyota")
    compare = run("compare", graph_file, "toyota motor corp", "FORD")
    assert compare.exit_code == 0, compare.output
    assert f"Toyota [toyota] in {label}" in compare.output


def test_ended_without_date_is_kept_by_default_and_can_be_left_out():
    data = load_sources([TABLE], separator=";|,")
    from graphkit.projection import partner_graph

    kept = partner_graph(data, as_of=pd.Timestamp("2020-06-30"))
    dropped = partner_graph(data, as_of=pd.Timestamp("2020-06-30"), ended_undated="drop")
    # A-13 (Volkswagen, Aurora) and A-19 (Hyundai, Aurora) say Terminated, with no end date
    assert kept.has_edge("aurora", "volkswagen") and not dropped.has_edge("aurora", "volkswagen")
    assert dropped.graph["deals_left_out"]["status says ended, no end date"] == 2


def test_a_failed_load_prints_what_was_read_then_one_error_line(tmp_path):
    result = CliRunner().invoke(main, ["load", str(TABLE), "--bad-rows", "error", "--out",
                                       str(tmp_path / "g.graphml")])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{TABLE} (deals table)")
    assert "columns read:" in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {TABLE}, row 37, column 'Alliance Date': expected a "
                                "date")
    assert not (tmp_path / "g.graphml").exists()


@pytest.mark.parametrize(("command", "args"), [
    ("ego", ["volkswagon"]),  # the other spelling, merged by the alias file
    ("compare", ["Toyota Motor Corp", "bmw"]),
])
def test_organisations_by_any_spelling(tmp_path, command, args):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nVolkswagon,Volkswagen\nToyota Motor Corp,Toyota\n",
                       encoding="utf-8")
    graph_file = tmp_path / "g.graphml"
    assert run("load", TABLE, "--aliases", aliases, "--out", graph_file).exit_code == 0
    result = run(command, graph_file, *args)
    assert result.exit_code == 0, result.output


def test_unrecognised_headers_get_one_suggestion_each(tmp_path):
    from helpers import write

    path = write(tmp_path / "w.csv", "Agreement No.,Signing date,Partner Companies,Deal nature,"
                 "Remarks on deal\nA-1,2019-03-15,IBM; Globex,Joint Venture,x\n")
    out = run("load", path, "--out", tmp_path / "g.graphml").output
    # the usual spellings of these headers are recognised
    assert ("columns read: announced = 'Signing date', deal_id = 'Agreement No.', participant "
            "= 'Partner Companies', type = 'Deal nature'") in out
    path = write(tmp_path / "v.csv", "Deal,Parties,When agreed,Kind of agreement\n"
                 "1,IBM; Globex,2019,JV\n")
    out = run("load", path, "--out", tmp_path / "h.graphml").output
    assert 'no column found for: announced, ended, type (perhaps --column type="Kind of ' \
           'agreement")' in out


def test_names_in_a_table_join_the_airline_codes(tmp_path):
    from helpers import write

    from graphkit import bundled

    table = write(tmp_path / "air.csv", "Deal Number,Date Announced,Participants\n"
                  "J1,2012-01-15,Lufthansa; United Airlines\nJ5,2014-01-01,LH; Air Canada\n"
                  "J7,2012,Delta; Virgin Atlantic\n")
    result = run("load", table, bundled.bundled(bundled.OPENFLIGHTS),
                 bundled.bundled(bundled.OPTD_AIRLINES), "--as-of", "2014-06-30",
                 "--out", tmp_path / "g.graphml")
    assert result.exit_code == 0, result.output
    assert "'Lufthansa' -> 'Lufthansa' (id 'LH'; a name in one source" in result.output
    assert "'LH' -> 'Lufthansa' (id 'LH'" in result.output  # the code typed in the table
    assert "'Delta' and 'Delta Air Lines' (one name begins the other)" in result.output
    graph = read_graph_file(tmp_path / "g.graphml")
    assert {"UA", "AC"} <= set(graph["LH"])  # one Lufthansa, with both deals' partners
    assert "lufthansa" not in graph and "lh" not in graph


def test_analyze_reads_a_table_as_the_graph_file_made_from_it(tmp_path):
    """`graphkit analyze deals.csv` (straight to the engine, no graph file) gives the tables
    `graphkit load` + `graphkit analyze g.graphml` give."""
    assert run("load", TABLE, "--out", tmp_path / "g.graphml").exit_code == 0
    assert run("analyze", tmp_path / "g.graphml", "--out", tmp_path / "from_file").exit_code == 0
    assert run("analyze", TABLE, "--out", tmp_path / "from_table").exit_code == 0
    for name in ("centrality.csv", "ecosystems.csv", "ecosystem_profiles.csv"):
        a = pd.read_csv(tmp_path / "from_file" / name)
        b = pd.read_csv(tmp_path / "from_table" / name)
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
