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
    assert set(res.ids.values()) == {"international business machines", "ibm"}
    assert res.ids["IBM"] == res.ids["International Business Machines Corp"]
    assert res.names["international business machines"] == "International Business Machines"
    assert all("alias file" in m for m in res.merges)
    assert len(res.merges) == 2


def test_alias_file_blank_cell_names_row(tmp_path):
    path = write(tmp_path / "aliases.csv", "alias,canonical\nIBM,\n")
    with pytest.raises(InputError) as err:
        NameResolver.from_alias_file(path)
    assert "row 2" in str(err.value)
