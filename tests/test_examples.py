"""The examples run end to end, and their stated findings hold on the bundled data."""

import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.parent.name + "_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_airline_alliances(tmp_path):
    found = load(ROOT / "examples" / "airline_alliances" / "run.py").main(tmp_path)
    assert {k: v["members"] for k, v in found["alliances"].items()} == {
        "OneWorld": 15, "Skyteam": 20, "Star Alliance": 26}
    assert found["brokers_reaching_all_three"] == 3
    assert found["top_brokers"][:3] == ["KE", "LA", "MU"]
    o = found["route_overlap"]
    assert o["mean_jaccard_codeshare_partners"] == pytest.approx(0.0932, abs=5e-5)
    assert o["mean_jaccard_not_codeshare_partners"] == pytest.approx(0.0041, abs=5e-5)
    assert o["mean_jaccard_same_alliance"] == pytest.approx(0.0108, abs=5e-5)
    assert o["mean_jaccard_other_alliances"] == pytest.approx(0.0046, abs=5e-5)
    assert found["ecosystems"] == 24
    assert found["nmi"] == pytest.approx(0.347, abs=5e-4)
    assert found["codeshare_same_alliance_share"] == pytest.approx(0.760, abs=5e-4)
    changes = {(c["id"], c["alliance"], c["change"]) for c in found["changes_2008_2010"]}
    assert {("CO", "Skyteam", "left"), ("CO", "Star Alliance", "joined"),
            ("NW", "Skyteam", "left")} <= changes
    for name in ("report.md", "findings.json", "codeshare_map.html", "alliance_map.html"):
        assert (tmp_path / name).stat().st_size > 0


def test_rival_ecosystems(tmp_path):
    found = load(ROOT / "examples" / "rival_ecosystems" / "run.py").main(tmp_path)
    air = found["airlines"]
    assert (air["partners_a"], air["partners_b"], air["shared"]) == (41, 40, 3)
    assert (air["only_a"], air["only_b"], air["brokers"]) == (38, 37, 22)
    assert air["top_bridge"] == "JJ"
    assert (air["joined_a"], air["joined_b"]) == (19, 14)
    syn = found["synthetic"]
    assert (syn["partners_a"], syn["partners_b"], syn["shared"]) == (3779, 2663, 2068)
    assert (tmp_path / "rival_camps.html").stat().st_size > 0


def session_blocks() -> list[tuple[str, list[str]]]:
    text = (ROOT / "examples" / "cli_session.md").read_text(encoding="utf-8")
    blocks = []
    for chunk in text.split("```")[1::2]:
        lines = chunk.strip("\n").splitlines()
        assert lines[0].startswith("$ graphkit ")
        blocks.append((lines[0][2:], lines[1:]))
    return blocks


def test_cli_session_outputs_are_real(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "session").mkdir()
    graphkit = Path(sys.executable).with_name("graphkit")
    blocks = session_blocks()
    assert len(blocks) == 9
    for command, recorded in blocks:
        args = shlex.split(command)
        result = subprocess.run([str(graphkit), *args[1:]], cwd=tmp_path, text=True,
                                capture_output=True, env={**os.environ, "COLUMNS": "200"})
        assert result.returncode == 0, (command, result.stderr)
        actual = result.stdout.rstrip().splitlines()
        shown = recorded[:-1] if recorded and recorded[-1] == "..." else recorded
        assert actual[:len(shown)] == shown, command


def test_the_notebook_runs_and_shows_the_demo_figures(tmp_path):
    """examples/notebook/alliances.ipynb (outputs stripped in the repository) runs top to
    bottom in a fresh kernel and shows the demo's figures: 193 codeshare partnerships, the
    inline map, NMI 0.347 against the alliances."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(__file__).resolve().parents[1] / "examples" / "notebook" / "alliances.ipynb"
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = ["".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                     for o in c.outputs) for c in code]
    assert "(165, 193)" in shown[2]
    assert "(0.347" in shown[4].replace("0.3469", "0.347") or "0.347" in shown[4]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in code[6].outputs)
    assert "<iframe" in html or "var DATA" in html
    assert any("image/png" in o.get("data", {}) for o in code[7].outputs)  # the growth plot
