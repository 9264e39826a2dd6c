"""The wheel exposes one import namespace, `graphkit`, with its data and console script."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_has_only_the_graphkit_namespace(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("graphkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"graphkit"}
    for expected in ("graphkit/console/cli.py", "graphkit/loaders/deals.py",
                     "graphkit/data/openflights/routes.dat", "graphkit/data/SOURCE.md",
                     "graphkit/data/openflights/LICENSE", "graphkit/data/optd/LICENSE"):
        assert expected in names
    entry = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "graphkit = graphkit.console.cli:main" in entry
