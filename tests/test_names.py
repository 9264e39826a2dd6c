from collections import Counter

import pytest
from helpers import write

from graphkit.errors import InputError
from graphkit.names import NameResolver, normalize_name


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Acme Inc.", "acme"),
        ("ACME, Inc", "acme"),
        ("  acme   corporation ", "acme"),
        ("Siemens AG", "siemens"),
        ("Société Générale S.A.", "societe generale"),
        ("Marks & Spencer plc", "marks and spencer"),
        ("Samsung Co., Ltd.", "samsung"),
        ("The Boeing Company", "boeing"),
        ("Volkswagen GmbH", "volkswagen"),
        ("AG", "ag"),  # a name that is only a suffix keeps it
        ("Inc Ltd", "inc"),
        ("Etihad Airways PJSC", "etihad airways"),  # Gulf and Russian forms, Nordic AS
        ("Aeroflot PAO", "aeroflot"),
        ("Norwegian Air Shuttle AS", "norwegian air shuttle"),
    ],
)
def test_normalize_name(raw, key):
    assert normalize_name(raw) == key


def test_merges_are_reported_and_most_common_spelling_wins():
    res = NameResolver().resolve(Counter({"Acme Inc": 1, "ACME Corp.": 3, "Beta GmbH": 2}))
    assert res.ids == {"Acme Inc": "acme", "ACME Corp.": "acme", "Beta GmbH": "beta"}
    assert res.names["acme"] == "ACME Corp."
    assert res.aliases["acme"] == ("Acme Inc",)
    assert len(res.merges) == 1
    assert "'Acme Inc', 'ACME Corp.'" in res.merges[0]
    assert "same normalised name" in res.merges[0]


def test_alias_file(tmp_path):
    path = write(tmp_path / "aliases.csv",
                 "alias,canonical\nIBM,International Business Machines\nBig Blue,IBM Corp\n")
    res = NameResolver.from_alias_file(path).resolve(
        Counter({"IBM": 2, "International Business Machines Corp": 1, "Big Blue": 1}))
    # Big Blue -> IBM Corp, and IBM (folded, as IBM Corp) -> International Business
    # Machines: the chain is followed to its end, so all three are one organisation.
    assert set(res.ids.values()) == {"international business machines"}
    assert res.names["international business machines"] == "International Business Machines"
    assert all("alias file" in m for m in res.merges)
    assert len(res.merges) == 1


def test_alias_cycles_are_an_error(tmp_path):
    path = write(tmp_path / "aliases.csv",
                 "alias,canonical\nHP Inc.,Hewlett-Packard\nHewlett-Packard,HP Inc.\n")
    with pytest.raises(InputError, match="aliases.csv: the alias file goes round in a circle "
                                         r"\(HP Inc. -> Hewlett-Packard -> HP Inc.\)"):
        NameResolver.from_alias_file(path)


@pytest.mark.parametrize("name", ["N/A", "[*]", "***", "!!!", "-", "?", "Confidential",
                                  "(confidential)", "Not disclosed", "Undisclosed Partner",
                                  "Unknown partner", "undisclosed investors", "TBD"])
def test_placeholders_are_not_organisations(name):
    from graphkit.names import is_placeholder

    assert is_placeholder(name)


@pytest.mark.parametrize("name", ["X", "A", "Partners Group", "Unknown Worlds Entertainment",
                                  "Confidential Capital LLC", "3M"])
def test_real_names_are_not_placeholders(name):
    from graphkit.names import is_placeholder

    assert not is_placeholder(name)


def test_alias_file_blank_cell_names_row(tmp_path):
    path = write(tmp_path / "aliases.csv", "alias,canonical\nIBM,\n")
    with pytest.raises(InputError) as err:
        NameResolver.from_alias_file(path)
    assert "row 2" in str(err.value)
