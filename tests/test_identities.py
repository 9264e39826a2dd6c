"""Reused airline codes settled by date, names from any source, and the marks that flag
what the files cannot settle. Known answers from the bundled files:

    airlines.dat: 2439 Formosa Airlines VY/FOS; 5336 Vueling Airlines VY/VLG (routes.dat
      files all 384 VY routes under 2439); 1790 City Connexion Airlines G3/CIX and 2581
      Gol Transportes Aereos G3/GLO (332 G3 routes under 1790); 1008 Albanian Airlines
      LV/LBC (4 routes).
    optd_airlines.csv: VY Vueling VLG from 2004-01-01; G3 Gol GLO from 2001-01-15;
      AZ Alitalia AZA 1999-03-01..2021-10-15, ITA Airways ITY from 2021-10-15;
      LV OpenSkies BOS 2008-03-01..2020-07-31 and Mega Maldives MEG 2010-12-23..2017-05-02.
    optd_airline_alliance_membership.csv: "Skyteam^Member^AZ^ITA Airways^2001-07-27",
      "OneWorld^Affiliate^LV^OpenSkies^1999-02-01".
"""

import pandas as pd
import pytest

from graphkit import bundled
from graphkit.codeshares import codeshare_graph, infer_codeshares
from graphkit.identities import graph_names, names_on, with_names
from graphkit.loaders import load_sources
from graphkit.projection import partner_graph

JUNE_2014 = pd.Timestamp("2014-06-30")


@pytest.fixture(scope="module")
def airlines():
    return load_sources([bundled.bundled(bundled.OPENFLIGHTS),
                         bundled.bundled(bundled.MEMBERSHIP),
                         bundled.bundled(bundled.OPTD_AIRLINES)])


def test_reused_codes_are_the_airline_of_the_date(airlines):
    names = names_on(airlines.identities, JUNE_2014, only=pd.Index(["VY", "G3", "AZ", "LH"]))
    table = names.names
    # routes.dat points VY at Formosa Airlines and G3 at City Connexion: on 2014-06-30 the
    # reference gives VY to Vueling (VLG) and G3 to Gol (GLO), both also in airlines.dat.
    assert table.loc["VY", "name"] == "Vueling" and table.loc["VY", "country"] == "Spain"
    assert table.loc["G3", "name"] == "Gol Transportes Aéreos"
    assert table.loc["G3", "country"] == "Brazil"
    assert table.loc["AZ", "name"] == "Alitalia"  # not "ITA Airways" (from 2021)
    assert table["identity_note"].isna().all()
    assert {s.split(":")[0] for s in names.settled} == {"VY", "G3"}
    later = names_on(airlines.identities, pd.Timestamp("2022-06-30"), only=pd.Index(["AZ"]))
    assert later.names.loc["AZ", "name"] == "ITA Airways"


def test_what_cannot_be_settled_is_flagged(airlines):
    names = names_on(airlines.identities, JUNE_2014, only=pd.Index(["LV"])).names
    # Two reference records hold LV on the date; the membership names OpenSkies, and the
    # routes' airline (Albanian Airlines, LBC) is neither.
    assert names.loc["LV", "name"] == "OpenSkies"
    note = names.loc["LV", "identity_note"]
    assert "Mega Maldives (MEG)" in note and "OpenSkies (BOS)" in note
    assert "Albanian Airlines (LBC)" in note


def test_a_code_the_reference_ended_before_its_membership_is_named_by_the_reference(airlines):
    """OPTD ends Avianca Brasil's O6 record on 2019-06-24 and its Star membership on
    2019-08-31: named as of its last membership (no date given), O6 had no reference
    record, was called Oceanair (airlines.dat) and flagged 'add optd_airlines.csv',
    which was given; `query` (named without the membership's end) said Avianca Brasil."""
    from graphkit.identities import last_seen

    names = names_on(airlines.identities, None, only=pd.Index(["O6"]),
                     last_seen=last_seen(airlines.groups)).names
    assert names.loc["O6", "name"] == "Avianca Brasil"
    assert pd.isna(names.loc["O6", "identity_note"])
    assert partner_graph(airlines).nodes["O6"]["name"] == "Avianca Brasil"


def test_graph_names_follow_the_as_of_date(airlines):
    graph = partner_graph(airlines, as_of=pd.Timestamp("2004-06-30"))
    assert graph.nodes["AZ"]["name"] == "Alitalia"  # a SkyTeam member since 2001
    graph = partner_graph(airlines, as_of=JUNE_2014)
    assert graph.nodes["LV"]["name"] == "OpenSkies"
    assert graph_names(graph)["LV"] == "OpenSkies †"
    assert "identity_note" not in graph.nodes["LH"]


def test_codeshare_pairs_carry_no_reused_code_unmarked(airlines):
    inference = infer_codeshares(airlines.routes)
    graph = codeshare_graph(airlines, inference, JUNE_2014)
    named = with_names(inference.pairs, pd.DataFrame(
        {"name": [d["name"] for _, d in graph.nodes(data=True)],
         "identity_note": [d.get("identity_note") for _, d in graph.nodes(data=True)]},
        index=list(graph.nodes)))
    top = named.head(10)
    assert ("Iberia", "Vueling") in set(zip(top["a_name"], top["b_name"], strict=True)) | set(
        zip(top["b_name"], top["a_name"], strict=True))
    assert "Formosa Airlines" not in set(named["a_name"]) | set(named["b_name"])
    # every name of an airline whose identity is in doubt carries the mark, and its note
    doubtful = {n for n, d in graph.nodes(data=True) if d.get("identity_note")}
    for column in ("a", "b"):
        rows = named[named[column].isin(doubtful)]
        assert rows[f"{column}_name"].str.endswith(" †").all()
        assert rows["identity_notes"].notna().all()


def test_codes_named_from_another_source_are_enrichment_not_merges():
    data = load_sources([bundled.bundled(bundled.SEGMENTS), bundled.bundled(bundled.OPTD_AIRLINES)])
    combined = data.summaries[-1]
    assert combined.merges == []
    named = [n for n in combined.notes if n.startswith("named ")]
    assert len(named) == 1 and "from optd_airlines.csv" in named[0]
    assert data.organization("BA").name == "British Airways"
    # codes no source names are shown by id, and said so
    count = int(named[0].split()[1].replace(",", ""))
    nameless = next((n for n in combined.notes if "have no name in any source" in n), None)
    left = 423 - count
    assert (nameless is None) == (left == 0)
