"""report.html's parts: Markdown rendered with names as text, pictures where they belong,
the plots' numbers as the tables give them."""

import re

import pandas as pd
import pytest

from graphkit import report_plots
from graphkit.report_page import EmbeddedMap, Figure, ReportPage, render_report


def test_sections_pictures_and_names_as_text():
    text = "\n".join([
        "# Title <i>",
        "",
        "## First part",
        "",
        "| name | n |",
        "|---|---|",
        "| <script>alert(1)</script> | 3 |",
        "",
        "## Second part",
        "",
        "Words.",
    ])
    page = ReportPage(markdown=text, footer="Data: here & there.")
    page.attach("Second", Figure("A picture", "What it shows", "<svg id='p'></svg>"))
    page.attach("First", EmbeddedMap("A map", "Click things", "<html>\"&'</html>"))
    out = render_report(page)
    assert "<title>Title &lt;i&gt;</title>" in out
    assert "<script>alert(1)" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<td>3</td>" in out
    # each attachment after its own section, in order
    first, second = out.index('id="s1"'), out.index('id="s2"')
    assert first < out.index("<iframe") < second < out.index("<svg id='p'>")
    assert 'srcdoc="&lt;html&gt;&quot;&amp;&#x27;&lt;/html&gt;"' in out
    assert re.search(r'<li><a href="#s1">First part</a></li>', out)
    assert "Data: here &amp; there." in out


def test_a_picture_for_a_missing_section_is_refused():
    page = ReportPage(markdown="# T\n\n## Only\n")
    page.attach("Elsewhere", Figure("x", "y", "<svg></svg>"))
    with pytest.raises(ValueError, match="Elsewhere"):
        render_report(page)


def test_the_heatmap_writes_each_count_and_its_rows():
    table = pd.DataFrame([[6, 0, 4], [1, 9, 0]], index=["OneWorld", "Skyteam"],
                         columns=["eco 0: A", "eco 1: B", "eco 3: C & D"])
    svg = report_plots.contingency_heatmap(table, "alliance", "ecosystem")
    assert svg.startswith("<svg")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert sorted(t for t in texts if t.isdigit() and t in {"1", "4", "6", "9"}) == \
        ["1", "4", "6", "9"]  # every non-zero cell, no zero written
    assert "OneWorld" in texts and "eco 3: C &amp; D" in texts


def test_the_distribution_says_what_the_log_scale_leaves_out():
    values = pd.DataFrame({"partners": [1, 1, 1, 2, 5], "betweenness": [0, 0, 0.1, 0.2, 0.7]})
    svg = report_plots.centrality_distribution(values, "partners", "betweenness",
                                               "partners", "betweenness")
    assert "(2 at zero not shown)" in svg  # a log scale cannot show them: it says so
