"""The report's pictures, as SVG text to put inside a page: where a picture says it better
than a table (how centrality is spread, which ecosystem holds which bloc, how the network
grew). Pure functions: a table in, the drawing out (matplotlib, text kept as text)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd


def _svg(fig) -> str:
    """The figure as SVG text (no XML prologue: it goes inside an HTML page)."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _figure(width: float, height: float, panels: int = 1):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable, sharp
    return plt.subplots(1, panels, figsize=(width, height), squeeze=False)


def centrality_distribution(values: pd.DataFrame, counts: str, measure: str,
                            count_label: str, measure_label: str) -> str:
    """Two panels: how many organisations have each number of partners (a bar per
    number), and the `measure` of every organisation from highest to lowest (log scale:
    a few brokers and a long tail, or an even spread)."""
    fig, axes = _figure(10, 3.6, 2)
    left, right = axes[0]
    numbers = values[counts].to_numpy(dtype=float)
    if numbers.max(initial=0) <= 40:  # a bar per number of partners
        tally = values[counts].value_counts().sort_index()
        left.bar(tally.index, tally.to_numpy(), color="#1f77b4", width=0.8)
        left.set_title(f"{count_label}: how many organisations have each", fontsize=10)
    else:  # heavy tails: bins growing by powers, both axes logarithmic
        edges = np.unique(np.geomspace(1, numbers.max() + 1, 30).round())
        left.hist(numbers[numbers >= 1], bins=edges, color="#1f77b4")
        left.set_xscale("log")
        left.set_yscale("log")
        zero = int((numbers < 1).sum())
        left.set_title(f"{count_label} (logarithmic bins)"
                       + (f", {zero} with none not shown" if zero else ""), fontsize=10)
    left.set_xlabel(count_label)
    left.set_ylabel("organisations")
    ranked = values[measure].sort_values(ascending=False).to_numpy(dtype=float)
    positive = ranked[ranked > 0]
    right.plot(np.arange(1, len(positive) + 1), positive, color="#d62728", marker=".",
               linestyle="-", markersize=4)
    right.set_yscale("log")
    right.set_xlabel("rank")
    right.set_ylabel(measure_label)
    zero = len(ranked) - len(positive)
    right.set_title(f"{measure_label} by rank" + (f" ({zero} at zero not shown)" if zero else ""),
                    fontsize=10)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def contingency_heatmap(table: pd.DataFrame, row_label: str, column_label: str) -> str:
    """Counts of organisations by row group (a known bloc) and column group (an
    ecosystem), each cell shaded by its share of the row and labelled with its count."""
    rows = [str(r) for r in table.index]
    columns = [str(c) for c in table.columns]
    counts = table.to_numpy(dtype=float)
    share = counts / np.where(counts.sum(axis=1, keepdims=True) > 0,
                              counts.sum(axis=1, keepdims=True), 1)
    fig, axes = _figure(max(6.0, 0.55 * len(columns) + 2.5), 0.5 * len(rows) + 2.8)
    ax = axes[0][0]
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(columns)):
            if counts[i, j]:
                ax.text(j, i, f"{int(counts[i, j])}", ha="center", va="center", fontsize=8,
                        color="white" if share[i, j] > 0.5 else "#222")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xticks(range(len(columns)), columns, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel(row_label)
    ax.set_xlabel(column_label)
    bar = fig.colorbar(image, ax=ax, fraction=0.03)
    bar.set_label(f"share of the {row_label}'s organisations")
    return _svg(fig)


def evolution(table: pd.DataFrame) -> str:
    """Three panels over the dates of an evolution table (`graphkit evolve`): the
    network's size (organisations, ties), its density, and its ecosystems."""
    dates = pd.to_datetime(table["date"])
    fig, axes = _figure(11, 3.2, 3)
    size, density, ecosystems = axes[0]
    size.plot(dates, table["organisations"], marker="o", label="organisations")
    size.plot(dates, table["ties"], marker="s", label="ties")
    size.set_yscale("log")
    size.legend(frameon=False, fontsize=8)
    size.set_title("size", fontsize=10)
    density.plot(dates, table["density"], marker="o", color="#2ca02c")
    density.set_ylim(0, max(1.0, float(table["density"].max())) * 1.05)
    density.set_title("density (share of possible ties)", fontsize=10)
    ecosystems.plot(dates, table["ecosystems"], marker="o", color="#9467bd")
    ecosystems.set_ylim(0, float(table["ecosystems"].max()) + 1)
    ecosystems.set_title("ecosystems (Louvain)", fontsize=10)
    for ax in axes[0]:
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _svg(fig)
