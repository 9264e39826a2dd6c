"""OpenFlights and OpenTravelData loaders against known answers from the bundled files."""

import pandas as pd
import pytest
from helpers import write

from graphkit import bundled
from graphkit.errors import InputError
from graphkit.groups import groups_as_of
from graphkit.loaders import load_source, load_sources
from graphkit.projection import partner_graph


def test_openflights_counts(openflights):
    s = openflights.summaries[0]
    assert s.read == {"airlines": 6162, "routes": 67663, "airports": 7698}
    # 547 airlines have routes; 479 routes name an airline by code only (\N id) and no
    # unique airline carries that code, so they are dropped and reported.
    assert len(openflights.organizations) == 547
    assert s.dropped["route whose airline is not in airlines.dat (by id or unique code)"].count \
        == 479
    assert len(openflights.routes) == 67663 - 479
    assert s.kept["codeshare routes"] == int(openflights.routes["codeshare"].sum())


def test_openflights_known_routes(openflights):
    routes = openflights.routes
    aa = routes[(routes["org_id"] == "AA") & (routes["origin"] == "JFK")]
    # routes.dat row 5592: AA,24,JFK,3797,AMM,2170,Y,0,340 330 (a codeshare)
    amm = aa[aa["destination"] == "AMM"].iloc[0]
    assert bool(amm["codeshare"]) and amm["equipment"] == "340 330" and amm["market"] == "AMM-JFK"
    anu = aa[aa["destination"] == "ANU"].iloc[0]
    assert not bool(anu["codeshare"])
    lh = routes[(routes["org_id"] == "LH") & (routes["origin"] == "FRA")
                & (routes["destination"] == "JFK")].iloc[0]
    assert lh["equipment"] == "388 744" and lh["stops"] == 0
    assert openflights.organization("LH").name == "Lufthansa"
    assert openflights.organization("LH").country == "Germany"
    assert openflights.organization("LH").kind == "airline"


def test_openflights_quirks(tmp_path):
    (tmp_path / "airlines.dat").write_text(
        '-1,"Unknown",\\N,"-","N/A",\\N,\\N,"Y"\n'
        '10,"Air ""Quoted"", Inc",\\N,"QQ","QQQ","Q","Land","Y"\n'
        '11,"Other",\\N,"ZZ","ZZZ","Z","Land","Y"\n', encoding="utf-8")
    (tmp_path / "routes.dat").write_text(
        "QQ,10,AAA,1,BBB,2,,0,320\n"
        "ZZ,\\N,AAA,1,CCC,\\N,Y,0,320 321\n"  # \N airline id: resolved by unique code
        "XX,999,AAA,1,BBB,2,,0,320\n",  # unknown id, unknown code: dropped
        encoding="utf-8")
    data = load_source(tmp_path)
    assert data.organization("QQ").name == 'Air "Quoted", Inc'
    assert set(data.routes["org_id"]) == {"QQ", "ZZ"}
    zz = data.routes[data.routes["org_id"] == "ZZ"].iloc[0]
    assert bool(zz["codeshare"]) and zz["market"] == "AAA-CCC"
    s = data.summaries[0]
    assert s.dropped["route whose airline is not in airlines.dat (by id or unique code)"].count \
        == 1
    assert any("matched to the one airline" in n for n in s.notes)


def test_openflights_needs_both_files(tmp_path):
    write(tmp_path / "airlines.dat", '1,"A",\\N,"AA","AAA","A","X","Y"\n')
    with pytest.raises(InputError, match=r"airlines\.dat and routes\.dat together"):
        load_sources([tmp_path / "airlines.dat"])
    with pytest.raises(InputError, match="not an OpenFlights folder"):
        load_source(tmp_path)


def test_openflights_wrong_field_count(tmp_path):
    write(tmp_path / "airlines.dat", '1,"A",\\N,"AA","AAA","A","X","Y"\n')
    write(tmp_path / "routes.dat", "AA,1,AAA,1,BBB\n")
    with pytest.raises(InputError, match=r"routes.dat, row 1: this row has 5 fields and the "
                       r"format has 9 \(airline, airline_id, origin, "):
        load_source(tmp_path)


@pytest.mark.parametrize(
    ("date", "counts"),
    [
        ("2014-06-30", {"OneWorld": 35, "Skyteam": 28, "Star Alliance": 28}),
        ("2008-06-30", {"OneWorld": 26, "Skyteam": 19, "Star Alliance": 23}),
    ],
)
def test_alliance_members_on_a_date(membership, date, counts):
    members = groups_as_of(membership.groups, pd.Timestamp(date))
    assert members.value_counts().to_dict() == counts


def test_continental_moves_from_skyteam_to_star(membership):
    def alliance(date):
        return groups_as_of(membership.groups, pd.Timestamp(date)).get("CO")

    assert alliance("2008-06-30") == "Skyteam"
    assert alliance("2010-06-30") == "Star Alliance"
    assert alliance("2013-01-01") is None  # merged into United in 2012
    g2008 = partner_graph(membership, as_of=pd.Timestamp("2008-06-30"))
    g2010 = partner_graph(membership, as_of=pd.Timestamp("2010-06-30"))
    assert g2008.has_edge("CO", "DL") and not g2008.has_edge("CO", "UA")
    assert g2010.has_edge("CO", "UA") and not g2010.has_edge("CO", "DL")


def test_alliance_graph_is_three_cliques(membership):
    graph = partner_graph(membership, as_of=pd.Timestamp(bundled.ROUTES_DATE))
    assert graph.number_of_nodes() == 35 + 28 + 28
    assert graph.number_of_edges() == 35 * 34 // 2 + 28 * 27 // 2 * 2
    assert graph.edges["LH", "UA"]["types"] == ["alliance"]
    assert graph.edges["LH", "UA"]["first_year"] == 1999  # LH joined 1999-05-01
    assert graph.edges["AA", "MQ"]["deals"] == 1


def test_member_status_filter(membership):
    graph = partner_graph(membership, as_of=pd.Timestamp("2014-06-30"), statuses=["member"])
    assert "MQ" not in graph  # Envoy Air is an affiliate
    assert graph.has_edge("AA", "BA")


def test_segments():
    data = load_source(bundled.bundled(bundled.SEGMENTS))
    assert len(data.routes) == 39358
    assert int(data.routes["seats"].sum()) == 59780617
    assert len(data.organizations) == 423
    first = data.routes.iloc[0]
    assert (first["org_id"], first["market"], first["seats"], first["frequency"]) == (
        "AH", "AAE-ALG", 1584, 24)


def test_optd_airlines_reference_is_dated_evidence_not_organisations():
    data = load_source(bundled.bundled(bundled.OPTD_AIRLINES))
    assert data.organizations.empty  # it names what other sources bring
    # awk -F^ 'NR>1 && $6!="" && $8!=""' optd_airlines.csv | wc -l  -> 1587 records
    assert len(data.identities) == 1587 and data.identities["org_id"].nunique() == 1152
    az = data.identities[data.identities["org_id"] == "AZ"].set_index("name")
    assert az.loc["Alitalia", "end"] == pd.Timestamp("2021-10-15")
    assert az.loc["ITA Airways", "start"] == pd.Timestamp("2021-10-15")


def test_combined_sources_list_true_merges_only(airline_data):
    combined = airline_data.summaries[-1]
    assert combined.format == "combine"
    # Airline codes are settled by date (graphkit.identities), not listed as merges.
    assert not any("'Alitalia', 'ITA Airways'" in m for m in combined.merges)
    assert "ITA Airways" in airline_data.organization("AZ").aliases
