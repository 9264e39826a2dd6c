"""The graphkit command line (installed as graphkit.console.cli, command `graphkit`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from graphkit import __version__
from graphkit.dates import parse_date_option
from graphkit.errors import InputError


def progress(items: list, label: str) -> Iterable:
    """A progress bar on stderr when it is a terminal; the plain items otherwise."""
    if not sys.stderr.isatty() or len(items) < 2:
        return items
    return _bar(items, label)


def _bar(items: list, label: str) -> Iterable:
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


class Graphkit(click.Group):
    """Turns user-input errors into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except BrokenPipeError:  # e.g. `graphkit info g.json | head`
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=Graphkit, context_settings={"help_option_names": ["-h", "--help"],
                                            "max_content_width": 100})
@click.version_option(__version__, prog_name="graphkit")
def main() -> None:
    """Analyse alliance and partner networks.

    \b
    Start here:
      graphkit demo --out graphkit-demo      # the whole job on bundled airline data
      graphkit load deals.csv --out g.graphml
      graphkit info g.graphml
    """


def _split_list(values: tuple[str, ...]) -> list[str] | None:
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return items or None


def _columns(values: tuple[str, ...]) -> dict[str, str] | None:
    mapping = {}
    for value in values:
        role, sep, name = value.partition("=")
        if not sep or not role.strip() or not name.strip():
            raise InputError(f"--column expects ROLE=COLUMN, got {value!r}")
        mapping[role.strip()] = name.strip()
    return mapping or None


@main.command()
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--format", "source_format",
              type=click.Choice(["deals", "edges", "openflights", "optd-membership",
                                 "optd-segments", "optd-airlines", "graphml", "gexf", "json"]),
              help="Source format (default: detected from name, suffix and header).")
@click.option("--as-of", help="Keep deals in force on this date (YYYY-MM-DD).")
@click.option("--window", type=float,
              help="Keep deals announced in this many years up to --as-of (default: the "
                   "latest date in the data).")
@click.option("--types", multiple=True, help="Keep these deal types (comma-separated, repeatable).")
@click.option("--status", multiple=True, help="Keep these deal statuses (comma-separated).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Graph file to write: .graphml, .gexf or .json (node-link).")
@click.option("--out-format", type=click.Choice(["graphml", "gexf", "json"]),
              help="Output format if the suffix does not say.")
@click.option("--column", "columns", multiple=True, metavar="ROLE=NAME",
              help="Map a column: roles deal_id, participant, announced, ended, type, status, "
                   "country, sector, source (deals); source, target, weight, announced, type "
                   "(edges).")
@click.option("--delimiter", help="Field delimiter of text tables (default: sniffed).")
@click.option("--encoding", help="Text encoding (default: BOM, else UTF-8, else Windows-1252).")
@click.option("--sheet", help="Excel sheet name (default: the first).")
@click.option("--dayfirst", is_flag=True, help="Read 01/02/2003 as 1 February (default: US "
                                               "month first, as SDC exports).")
@click.option("--bad-rows", type=click.Choice(["error", "drop"]), default="error",
              show_default=True, help="On an unparseable date or weight: stop, or drop the "
                                      "row and report it.")
@click.option("--aliases", type=click.Path(path_type=Path),
              help="CSV with columns alias,canonical: names to merge.")
@click.option("--summary-json", type=click.Path(path_type=Path),
              help="Also write the load summary as JSON.")
def load(sources, source_format, as_of, window, types, status, out, out_format, columns,
         delimiter, encoding, sheet, dayfirst, bad_rows, aliases, summary_json) -> None:
    """Read SOURCES into one partner graph and write it to --out.

    SOURCES are deals tables (CSV/TSV, Excel, Parquet; long or SDC-style wide), edge
    lists, OpenFlights files or folder, OpenTravelData files, GraphML or GEXF.

    \b
    Examples:
      graphkit load deals.xlsx --out deals.graphml
      graphkit load deals.csv --as-of 2010-12-31 --window 5 --types "joint venture" --out jv.json
      graphkit load openflights/ optd_airline_alliance_membership.csv --as-of 2014-06-30 \\
          --out alliances.graphml
    """
    from graphkit.graph_io import format_for, write_graph
    from graphkit.loaders import load_sources
    from graphkit.names import NameResolver
    from graphkit.projection import partner_graph

    kind = format_for(out, out_format)  # fail before any work if the output is unusable
    resolver = NameResolver.from_alias_file(aliases) if aliases else None
    options = {"columns": _columns(columns), "delimiter": delimiter, "encoding": encoding,
               "sheet": sheet, "dayfirst": dayfirst, "bad_rows": bad_rows}
    data = load_sources(list(sources), source_format, resolver=resolver, progress=progress,
                        **{k: v for k, v in options.items() if v not in (None, False)
                           or k == "bad_rows"})
    for summary in data.summaries:
        for line in summary.lines():
            click.echo(line)
    graph = partner_graph(data, as_of=parse_date_option(as_of, "--as-of"), window=window,
                          types=_split_list(types), statuses=_split_list(status))
    if graph.number_of_nodes() == 0:
        raise InputError("no ties left to write: no deal passes the filters "
                         f"({graph.graph['selection']}; left out: "
                         f"{graph.graph.get('deals_left_out', {})})")
    write_graph(graph, out, kind)
    left = graph.graph.get("deals_left_out")
    click.echo(f"selection: {graph.graph['selection']}: {graph.graph['deals_used']:,} deals used"
               + (f"; left out: {', '.join(f'{v:,} {k}' for k, v in left.items())}"
                  if left else ""))
    click.echo(f"wrote {out} ({kind}): {graph.number_of_nodes():,} organisations, "
               f"{graph.number_of_edges():,} ties")
    if summary_json:
        from graphkit.atomic import atomic_open

        with atomic_open(summary_json) as handle:
            json.dump([s.as_dict() for s in data.summaries], handle, indent=1,
                      ensure_ascii=False)


@main.command()
@click.argument("graph_file", metavar="GRAPH", type=click.Path(path_type=Path))
@click.option("--top", default=10, show_default=True, type=click.IntRange(1),
              help="How many organisations to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def info(graph_file, top, as_json) -> None:
    """Print a graph's size, components, density, time span, tie types and top organisations.

    \b
    Examples:
      graphkit info alliances.graphml
      graphkit info deals.json --top 20 --json
    """
    from graphkit.info import graph_info, info_lines
    from graphkit.loaders.graph_files import read_graph_file

    stats = graph_info(read_graph_file(graph_file), top=top)
    if as_json:
        click.echo(json.dumps(stats, indent=1, ensure_ascii=False, default=str))
    else:
        click.echo("\n".join(info_lines(stats)))


@main.command()
@click.option("--out", "out", default="graphkit-demo", show_default=True,
              type=click.Path(path_type=Path), help="Folder for the demo's outputs.")
def demo(out) -> None:
    """Run the main job on the bundled airline data: graph, tables, map and report.

    Builds the airline alliance network as of 30 June 2014 (the date of the OpenFlights
    route snapshot) from OpenTravelData membership, adds each airline's route footprint
    from OpenFlights, and writes the graph (GraphML), an organisation table (CSV), an
    interactive map (HTML) and a Markdown report into --out.

    \b
    Example:
      graphkit demo --out graphkit-demo && open graphkit-demo/alliance_map_2014.html
    """
    from graphkit.demo import run_demo

    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=out)
    run_demo(out, echo=click.echo)


if __name__ == "__main__":
    main()
