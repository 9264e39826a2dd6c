"""The reference docs build, with every warning an error: a broken cross-reference, a
docstring mkdocstrings cannot parse or a command mkdocs-click cannot document fails here,
so the docs stay in step with the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_reference_docs_build_strictly(tmp_path):
    site = tmp_path / "site"
    # -P: the repository folder is not put first on the path, so the installed package
    # (graphkit.console, graphkit.loaders) is what the docs document.
    result = subprocess.run([sys.executable, "-P", "-m", "mkdocs", "build", "--strict",
                             "--site-dir", str(site)], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    import graphkit

    for name in graphkit.__all__:  # a section per public function
        if callable(getattr(graphkit, name)) and name[0].islower():
            assert f'id="graphkit.api.{name}"' in api, name
    assert "_listed" not in api  # private helpers stay out
    for command in ("load", "analyze", "overlap", "codeshares", "query", "export"):
        assert f"graphkit {command}" in cli, command
    # The guide pages carry the README's sections and the modules' own docstrings.
    pages = {page: (site / page / "index.html").read_text(encoding="utf-8") for page in
             ("getting-started", "sources", "measures", "data-model")}
    assert ".venv/bin/graphkit demo" in pages["getting-started"]
    assert "OpenTravelData alliance membership" in pages["sources"]
    assert "Burt" in pages["measures"] and "Jaccard" in pages["measures"]
    assert "deal-ties" in pages["data-model"] and "deal_statuses" in pages["data-model"]
