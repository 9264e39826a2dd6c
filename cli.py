"""The graphkit command line (installed as graphkit.console.cli, command `graphkit`)."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

import click

from graphkit import __version__
from graphkit.atomic import (
    atomic_open,
    check_not_input,
    install_signal_cleanup,
    make_folder,
    note_input,
    signals_quiet,
)
from graphkit.dates import parse_date_option
from graphkit.ecosystems import DEFAULT_SEEDS
from graphkit.errors import LONE_SURROGATE, InputError, quoted, without_surrogates
from graphkit.summary import plural


def progress(items: list, label: str) -> Iterable:
    """A progress bar on stderr when it is a terminal; the plain items otherwise."""
    if not sys.stderr.isatty() or len(items) < 2:
        return items
    return _bar(items, label)


def _bar(items: list, label: str) -> Iterable:
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


class StepBar:
    """A bar over named steps, shown on stderr only when it is a terminal."""

    def __init__(self, steps: list[str], label: str = "analysing") -> None:
        self.bar = (click.progressbar(length=len(steps), label=label, file=sys.stderr,
                                      item_show_func=lambda s: s)
                    if sys.stderr.isatty() else None)
        self.started = False

    def __call__(self, name: str) -> None:
        if self.bar is None:
            return
        if self.started:
            self.bar.update(1, name)
        else:
            self.bar.__enter__()
            self.bar.update(0, name)
            self.started = True

    def close(self) -> None:
        if self.bar is not None and self.started:
            self.bar.update(1)
            self.bar.__exit__(None, None, None)


class GraphkitCommand(click.Command):
    """A command whose text values (names, titles, columns, parameters) are text: bytes on
    the command line that are not UTF-8 reach Python as lone surrogates, which no file,
    page or terminal can hold, so they are refused here, once, for every option. File
    names are checked by `PathName`."""

    def invoke(self, ctx: click.Context):
        for param in self.params:
            if isinstance(param.type, click.Path):
                continue
            value = ctx.params.get(param.name)
            values = value if isinstance(value, (tuple, list)) else (value,)
            for item in values:
                parts = item if isinstance(item, tuple) else (item,)
                if any(isinstance(v, str) and LONE_SURROGATE.search(v) for v in parts):
                    label = (param.opts[-1] if param.param_type_name == "option"
                             else param.human_readable_name)
                    raise InputError(f"{label}: the value holds bytes that are not UTF-8 "
                                     "text; type it again in a UTF-8 terminal")
        return super().invoke(ctx)


class Graphkit(click.Group):
    """Every failure a user can cause is one line on stderr and exit status 1: input errors,
    files that cannot be read or written, Neo4j's refusals, wrong options. Each command's
    outputs are written all or none (`output_batch`), and SIGTERM cleans up like Ctrl-C."""

    command_class = GraphkitCommand

    def main(self, *args, **kwargs):
        install_signal_cleanup()
        if not sys.warnoptions:  # library warnings are not messages for people (python -W
            warnings.simplefilter("ignore")  # brings them back for debugging)
        # The Neo4j driver logs warnings to stderr when no handler is set; its errors reach
        # the user as one line through `_fail` instead.
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        _SECRETS.clear()  # this run's passwords only (main may run many times in a process)
        remember_secrets(os.environ.get("NEO4J_URI"), os.environ.get("NEO4J_PASSWORD"))
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            _fail("stopped; no output was written", 130)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help())
            sys.exit(0)
        except click.UsageError as exc:
            command = f"graphkit {exc.ctx.info_name} --help" if exc.ctx else "graphkit --help"
            _fail(f"{exc.format_message()} (see {command})", 1)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code or 1)

    def invoke(self, ctx: click.Context):
        from graphkit.atomic import output_batch

        try:
            with output_batch():
                return super().invoke(ctx)
        except InputError as exc:
            signals_quiet()
            for summary in exc.summaries:  # what was read before the problem
                echo("\n".join(summary.lines()))
            _fail(str(exc), 1)
        except BrokenPipeError:  # e.g. `graphkit info g.json | head`
            sys.stderr.close()
            ctx.exit(0)
        except KeyboardInterrupt:
            _fail("stopped; no output was written", 130)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}", 1)
        except Exception as exc:
            if type(exc).__module__.startswith("neo4j"):
                _fail(f"Neo4j: {getattr(exc, 'message', None) or exc}", 1)
            raise


def keep_inputs(outputs, inputs) -> None:
    """Refuse, before any work, an output path that names an input file, or a file inside
    an input folder (a folder source is read file by file). Every write is checked again
    against every file the command read (`graphkit.atomic`)."""
    for source in (Path(s) for s in inputs if s):
        if source.is_dir():
            for out in (Path(o) for o in outputs if o):
                if out.is_file() and source.resolve() in out.resolve().parents:
                    raise InputError(f"cannot write {out}: it is a file inside the input "
                                     f"folder {source}, and may be one of its inputs; give "
                                     "another output name")
        elif source.is_file():
            note_input(source)
    named = [os.path.realpath(o) for o in outputs if o]
    if len(set(named)) < len(named):
        raise InputError("two outputs have the same name: give each its own")
    for out in outputs:
        if out:
            check_not_input(out)


class Number(click.FloatRange):
    """A float option that must also be finite: click's FloatRange lets 'nan' through (it
    compares false with every bound) and 'inf'."""

    name = "number"

    def _describe_range(self) -> str:
        # click would show '[x<=None]' for a range without bounds.
        return "" if self.min is None and self.max is None else super()._describe_range()

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"expected a finite number, got '{value}'", param, ctx)
        return number


class Names(click.ParamType):
    """A comma-separated list of names: given empty (--measures "", or " , "), it would
    silently mean 'all', the opposite of what was typed."""

    name = "names"

    def convert(self, value, param, ctx):
        if not str(value).strip(" ,\t"):
            self.fail("is empty: give one or more names, comma-separated, or leave the "
                      "option out", param, ctx)
        return value


NAMES = Names()


class Separators(click.ParamType):
    """--separator, checked as the loader checks it (empty text would mean the default)."""

    name = "chars"

    def convert(self, value, param, ctx):
        from graphkit.loaders.deals import separator_pattern

        separator_pattern(value)  # one InputError line when unfit
        return value


SEPARATORS = Separators()


class PathName(click.Path):
    """A file or folder name: never empty (Path('') would mean the current folder)."""

    def __init__(self) -> None:
        super().__init__(path_type=Path)

    def convert(self, value, param, ctx):
        if not str(value).strip():
            self.fail("expected a file or folder name, got an empty one", param, ctx)
        if LONE_SURROGATE.search(str(value)):
            self.fail(f"{without_surrogates(str(value))}: the name holds bytes that are not UTF-8 "
                      "text, and graphkit records file names in its outputs; rename the file "
                      "or give a plain name", param, ctx)
        return super().convert(value, param, ctx)


class CsvName(PathName):
    """A CSV file to write: the name ends in .csv, so a spreadsheet program or a later
    `graphkit` command reads it for what it is (a pipe or device is written into as named)."""

    def __init__(self, example: str) -> None:
        super().__init__()
        self.example = example

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        device = path.exists() and not path.is_file() and not path.is_dir()  # a pipe
        if path.suffix.lower() != ".csv" and not device:
            self.fail(f"{path.name}: this is written as CSV, so its name ends in .csv, "
                      f"e.g. {self.example}", param, ctx)
        return path


SEED = click.IntRange(0, 2**32 - 1)  # the seeds numpy and igraph accept


def _fail(message: str, code: int) -> None:
    signals_quiet()  # exiting now: a late Ctrl-C or SIGTERM adds no second message
    click.echo(without_surrogates(f"error: {one_line(message)}"), err=True)
    sys.exit(code)


def one_line(text: str) -> str:
    """Text fit for a terminal line: credentials in URIs hidden, control characters and
    escape sequences removed, line breaks folded."""
    text = redact(str(text))
    text = _ANSI.sub("", text)
    return _CONTROL.sub(" ", text.replace("\r\n", " ").replace("\n", " ")).strip()


def redact(text: str) -> str:
    """Every Neo4j password given (option, environment, inside the URI) shown as ***, and
    user:password@ in any URI as user:***@."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return _CREDENTIALS.sub(r"\1\2:***@", text)


# user:password@ up to the last '@' of the address (a password may hold '@'). The scheme
# starts a word and is short, so a long run of letters is scanned once, not once per start.
_CREDENTIALS = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}://)"
                          r"([^:/@\s]*):(\S*)@")
_SECRETS: set[str] = set()


def remember_secrets(uri: str | None = None, password: str | None = None) -> None:
    """Note the passwords this run knows, so no error message can print them. (Passwords
    under eight characters, such as the default 'neo4j', are not searched for: they would
    blank ordinary words; URIs are shown without credentials anyway.)"""
    from graphkit.neo4j_address import split_uri

    found = [password]
    if uri:
        with contextlib.suppress(InputError):
            found.append(split_uri(uri)[2])
    _SECRETS.update(s for s in found if s and len(s) >= 8)


_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*(\x07|\x1b\\)|[@-Z\\-_])")
# C0 and C1 controls, line separators, and the bidirectional overrides and isolates that
# can make a terminal show text other than what it holds.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                      r"\u2066-\u2069]")


def echo(text: object = "", err: bool = False, nl: bool = True) -> None:
    """click.echo for text that may hold names from user files: no escape sequences or
    control characters reach the terminal (tabs and line breaks stay)."""
    text = _ANSI.sub("", str(text))  # data: never rewritten by the password masking
    # File names whose bytes are not UTF-8 hold lone surrogates no terminal can print.
    click.echo(without_surrogates(_CONTROL.sub(" ", text)), err=err, nl=nl)


@click.group(cls=Graphkit, context_settings={"help_option_names": ["-h", "--help"],
                                            "max_content_width": 100})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--raw-csv", is_flag=True,
              help="Write CSV cells as they are. By default a text cell starting with =, +, -, "
                   "@ or a tab gets a leading ' so spreadsheets show it as text, not a "
                   "formula (not in export --format neo4j-admin: data for the import).")
def main(raw_csv: bool) -> None:
    """Analyse alliance and partner networks.

    \b
    Start here:
      graphkit demo --out graphkit-demo      # the whole job on bundled airline data
      graphkit load deals.csv --out g.graphml
      graphkit info g.graphml
    """
    from graphkit.outputs import raw_csv as set_raw_csv

    set_raw_csv(raw_csv)


def _split_list(values: tuple[str, ...]) -> list[str] | None:
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return items or None


def _columns(values: tuple[str, ...]) -> dict[str, str] | None:
    mapping: dict[str, str] = {}
    for value in values:
        role, sep, name = value.partition("=")
        role, name = role.strip(), name.strip()
        if not sep or not role or not name:
            raise InputError(f"--column expects ROLE=COLUMN, got '{value}'")
        if role in mapping and mapping[role] != name:
            raise InputError(f"--column {role}= is given twice ('{mapping[role]}' and "
                             f"'{name}'): a role reads one column")
        for other, column in mapping.items():
            if column == name and other != role:
                raise InputError(f"--column maps '{name}' to two roles ({other} and {role}): "
                                 "a column plays one role")
        mapping[role] = name
    return mapping or None


FORMATS = ["deals", "edges", "openflights", "optd-membership", "optd-segments",
           "optd-airlines", "graphml", "gexf", "json"]


def _load_options(format_names: tuple[str, ...]) -> list:
    """How files are read: the options `load` and every command reading SOURCES share."""
    return [
        click.option(*format_names, "source_format", type=click.Choice(FORMATS),
                     help="Source format (default: detected from name, suffix and header)."),
        click.option("--column", "columns", multiple=True, metavar="ROLE=NAME",
                     help="Map a column: roles deal_id, participant, announced, ended, type, "
                          "status, country, sector, source (deals); source, target, weight, "
                          "announced, type (edges)."),
        click.option("--delimiter", help="Field delimiter of text tables (default: sniffed)."),
        click.option("--encoding",
                     help="Text encoding (default: BOM, else UTF-8, else Windows-1252)."),
        click.option("--sheet", help="Excel sheet name (default: the first)."),
        click.option("--dayfirst", is_flag=True,
                     help="Read 01/02/2003 as 1 February (default: month first, as SDC)."),
        click.option("--separator", metavar="CHARS", type=SEPARATORS,
                     help="Characters that separate participants in one cell (default: "
                          "newlines, ';' and '|'; newlines always), e.g. --separator ',;'."),
        click.option("--bad-rows", type=click.Choice(["keep", "drop", "error"]), default="keep",
                     show_default=True,
                     help="A cell that cannot be read (a date, a weight): keep the row with "
                          "the value unknown (dates only), drop the row, or stop. Kept and "
                          "dropped rows are counted in the summary."),
        click.option("--max-participants", type=click.IntRange(2), default=100,
                     show_default=True,
                     help="Deals with more participants than this are large deals (a deal "
                          "with k participants gives k(k-1)/2 ties)."),
        click.option("--large-deals", type=click.Choice(["skip", "star", "clique"]),
                     default="skip", show_default=True,
                     help="Large deals: leave out and list (a consortium is not a partnership "
                          "of every pair), tie each participant to a node for the deal, or "
                          "keep every pair."),
        click.option("--aliases", type=PathName(),
                     help="CSV with columns alias,canonical: names to merge."),
        click.option("--suggest-aliases", type=CsvName("aliases.csv"),
                     help="Write the possible duplicate names found as an alias file "
                          "(alias,canonical) to edit and pass back with --aliases."),
    ]


# What `_load_options` are when nobody touched them: a lone graph file read with these is
# read as it is (its attributes kept), not loaded again.
_LOAD_DEFAULTS = {"source_format": None, "columns": (), "delimiter": None, "encoding": None,
                  "sheet": None, "dayfirst": False, "separator": None, "bad_rows": "keep",
                  "max_participants": 100, "large_deals": "skip", "aliases": None,
                  "suggest_aliases": None}


def table_format(command):
    """--format: the summary for people, or the command's result table for scripts."""
    return click.option(
        "--format", "table_fmt", type=click.Choice(["table", "csv", "json"]),
        default="table", show_default=True,
        help="table: the summary for people; csv or json: the whole result table on "
             "standard output for scripts (the same fields either way; messages go to "
             "standard error).")(command)


def _report(table_fmt: str):
    """echo for a command's messages: standard output for people, standard error when
    standard output carries the CSV or JSON result."""
    return lambda text="": echo(text, err=table_fmt != "table")


def source_options(command):
    """The options every command that reads raw SOURCES shares."""
    options = [click.argument("sources", nargs=-1, type=PathName()),
               *_load_options(("--source-format",))]
    for option in reversed(options):
        command = option(command)
    return command


def load_data(sources, source_format=None, columns=(), delimiter=None, encoding=None,
              sheet=None, dayfirst=False, separator=None, bad_rows="keep", aliases=None,
              suggest_aliases=None, max_participants=100, large_deals="skip", *,
              quiet: bool = False, per_source_bar: bool = True):
    """Load SOURCES with the shared options, print the load summary and write the
    suggested aliases (--suggest-aliases)."""
    from graphkit.loaders import load_sources
    from graphkit.names import NameResolver

    resolver = NameResolver.from_alias_file(aliases) if aliases else None
    options = {"columns": _columns(columns), "delimiter": delimiter, "encoding": encoding,
               "sheet": sheet, "dayfirst": dayfirst or None, "separator": separator,
               "max_participants": max_participants, "large_deals": large_deals}
    data = load_sources(list(sources), source_format, resolver=resolver,
                        progress=progress if per_source_bar else None,
                        bad_rows=bad_rows, **{k: v for k, v in options.items() if v})
    if not quiet:
        for summary in data.summaries:
            for line in summary.lines():
                echo(line)
    if suggest_aliases:
        echo(write_suggested_aliases(data, suggest_aliases))
    return data


def write_suggested_aliases(data, path: Path) -> str:
    """The possible duplicates of the load as an alias file the analyst edits."""
    from graphkit.names import alias_template
    from graphkit.outputs import write_csv

    pairs = [d for s in data.summaries for d in s.possible_duplicates]
    counts = data.participants["org_id"].value_counts().to_dict()
    write_csv(alias_template(pairs, counts), path)
    return (f"wrote {path}: {len(pairs):,} possible duplicates as alias,canonical rows; "
            "delete the rows that are not the same organisation, then load again with "
            f"--aliases {path}")


def time_options(command):
    """--as-of, --window, --types, --status."""
    options = [
        click.option("--as-of", help="Keep deals in force on this date (YYYY-MM-DD)."),
        click.option("--window", type=Number(),
                     help="Keep deals announced in this many years up to --as-of (default: "
                          "the latest date in the data)."),
        click.option("--types", multiple=True, type=NAMES,
                     help="Keep these deal types (comma-separated, repeatable)."),
        click.option("--status", multiple=True, type=NAMES,
                     help="Keep these deal statuses (comma-separated)."),
        click.option("--ended-undated", type=click.Choice(["keep", "drop"]), default="keep",
                     show_default=True,
                     help="Deals whose status says they ended (Terminated, Expired) but that "
                          "have no end date: count them as in force on --as-of (keep; when "
                          "they ended is unknown) or leave them out (drop)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _secret_callback(ctx: click.Context, param: click.Parameter, value: str | None):
    if value:
        remember_secrets(**{param.name: value})
    return value


def neo4j_options(command):
    """--uri/--user/--password/--database (else NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
    NEO4J_DATABASE). The password is never printed."""
    options = [
        click.option("--uri", help="Neo4j address, e.g. neo4j://localhost:7687 (NEO4J_URI).",
                     callback=_secret_callback),
        click.option("--user", help="Neo4j user (NEO4J_USER; default neo4j)."),
        click.option("--password", help="Neo4j password (NEO4J_PASSWORD).",
                     show_default=False, callback=_secret_callback),
        click.option("--database", help="Neo4j database (NEO4J_DATABASE; default: the "
                                        "server's default)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def neo4j_driver(uri, user, password, database):
    """A verified driver and the database name."""
    from graphkit.neo4j_store import Connection, connect

    conn = Connection.from_options(uri, user, password, database)
    return connect(conn), conn.database


def from_option(help_text: str):
    """--from file|neo4j: where a command reads its graph or sources."""
    return click.option("--from", "backend", type=click.Choice(["file", "neo4j"]),
                        default="file", show_default=True, help=help_text)


def graph_sources(metavar: str, paths: bool = True):
    """The one way every graph command gets its graph: a graph file, SOURCES to load with
    the options of `load` (tables, OpenFlights folders, OPTD files), or --from neo4j; the
    time and type filters apply to all three (`obtain_graph`)."""
    def decorate(command):
        options = [
            click.argument("sources", nargs=-1, required=not paths, metavar=metavar,
                           type=PathName() if paths else str),
            from_option("Read the graph from files (a graph file, or SOURCES loaded as "
                        "`graphkit load` does), or project it from Neo4j."),
            *_load_options(("--source-format",)),
        ]
        command = neo4j_options(command)
        command = time_options(command)
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


def ecosystem_options(command):
    """--communities, --resolution, --seeds, --ecosystems: one detection for every command
    (`analyze`, `compare`, `ego`, `map`), so one graph and options give one partition."""
    options = [
        click.option("--communities", "algorithm", default="louvain", show_default=True,
                     type=click.Choice(["louvain", "leiden", "labelprop"]),
                     help="Ecosystem detection algorithm."),
        click.option("--resolution", default=1.0, show_default=True,
                     type=Number(0, 10_000, min_open=True),
                     help="Resolution: above 1 gives more, smaller ecosystems."),
        click.option("--seeds", default=DEFAULT_SEEDS, show_default=True,
                     type=click.IntRange(1, 100),
                     help="Runs with seeds 0..N-1; the best-modularity run is used (the "
                          "others measure stability)."),
        click.option("--ecosystems", "ecosystems_file", type=PathName(),
                     help="Reuse the partition saved by `graphkit analyze` "
                          "(ecosystems.csv) instead of detecting one."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def obtain_graph(sources, backend="file", as_of=None, window=None, types=(), status=(),
                 ended_undated="keep", uri=None, user=None, password=None, database=None, *,
                 indexed: bool = False, **source):
    """The partner graph a command analyses: a lone graph file as it is; SOURCES loaded and
    projected as `load` would (filters and load options apply); or read from Neo4j.
    `indexed`: the engine's indexed graph for loaded sources (analyze on millions of ties).
    """
    filtered = bool(as_of or window or types or status or ended_undated != "keep")
    loading = {k: v for k, v in source.items() if _LOAD_DEFAULTS.get(k, v) != v}
    if backend == "neo4j":
        if sources:
            raise InputError("--from neo4j reads the graph from the server: drop the files "
                             f"({', '.join(str(s) for s in sources)})")
        if loading:
            raise InputError("--" + next(iter(loading)).replace("_", "-") + " applies to "
                             "files read; --from neo4j reads the graph the server holds")
        from graphkit.neo4j_store import read_partner_graph

        driver, db = neo4j_driver(uri, user, password, database)
        with driver:
            return read_partner_graph(driver, database=db,
                                      as_of=parse_date_option(as_of, "--as-of"),
                                      window=window, types=_split_list(types),
                                      statuses=_split_list(status))
    if not sources:
        raise InputError("give a graph file (.graphml, .gexf, .json) or SOURCES to load "
                         "(deal tables, OpenFlights folders, OPTD files), or --from neo4j")
    if len(sources) == 1 and is_graph_file(sources[0]) and not filtered and not loading:
        return _read_graph(Path(sources[0]))
    data = load_data(sources, **source, quiet=True)
    if indexed:
        from graphkit.projection import partner_index

        index, selection = partner_index(data, as_of=parse_date_option(as_of, "--as-of"),
                                         window=window, types=_split_list(types),
                                         statuses=_split_list(status),
                                         ended_undated=ended_undated)
        if index.n == 0:
            raise _no_ties(data, selection.describe(), selection.left_out)
        return index
    return project(data, as_of, window, types, status, ended_undated)


def is_graph_file(path: Path) -> bool:
    from graphkit.loaders.graph_files import GRAPH_SUFFIXES

    return Path(path).suffix.lower() in GRAPH_SUFFIXES


def _no_ties(data, selection: str, left_out: dict) -> InputError:
    """Why a selection holds no tie, from what the load and the filters left out."""
    from graphkit.model import deal_total

    if data.deals.empty:
        dropped = [f"{reason}: {entry.count:,}" for summary in data.summaries
                   for reason, entry in summary.dropped.items()]
        read_deals = any(key in summary.read for summary in data.summaries
                         for key in ("deals", "rows", "edges", "membership periods"))
        if dropped and read_deals:  # deal rows were read, and every one was left out
            return InputError("no deal in these sources links two organisations; left out: "
                              + "; ".join(dropped))
        return InputError("these sources hold no deals or ties (routes and airline references "
                          "give none): `graphkit overlap --by markets` compares route "
                          "networks, and `graphkit codeshares` infers partnerships from "
                          "OpenFlights routes")
    why = ("; ".join(f"{n:,} {reason}" for reason, n in left_out.items())
           if left_out else "no deal links two organisations")
    return InputError(f"no ties left: of {plural(deal_total(data.deals), 'deal')}, none "
                      "passes the "
                      f"filters ({selection}). Left out: {why}")


def project(data, as_of, window, types, status, ended_undated="keep"):
    """The partner graph of the loaded data under the time and type filters."""
    from graphkit.projection import partner_graph

    graph = partner_graph(data, as_of=parse_date_option(as_of, "--as-of"), window=window,
                          types=_split_list(types), statuses=_split_list(status),
                          ended_undated=ended_undated)
    if graph.number_of_nodes() == 0:
        raise _no_ties(data, graph.graph["selection"], graph.graph.get("deals_left_out", {}))
    return graph


@main.command()
@source_options
@time_options
@click.option("--out", "out", type=PathName(),
              help="Graph file to write: .graphml, .gexf or .json (node-link).")
@click.option("--out-format", type=click.Choice(["graphml", "gexf", "json"]),
              help="Output format if the suffix does not say.")
@click.option("--into", "into", type=click.Choice(["file", "neo4j"]), default="file",
              show_default=True, help="Write a graph file (--out) or load into Neo4j.")
@neo4j_options
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1),
              help="Rows per Neo4j transaction.")
@click.option("--ties/--no-ties", default=True, show_default=True,
              help="Also write aggregated PARTNERS_WITH ties to Neo4j.")
@click.option("--summary-json", type=PathName(),
              help="Also write the load summary as JSON.")
def load(sources, as_of, window, types, status, ended_undated, out, out_format, into, uri,
         user, password, database, batch_size, ties, summary_json, **source) -> None:
    """Read SOURCES into one partner graph and write it to --out.

    SOURCES are deals tables (CSV/TSV, Excel, Parquet; long or SDC-style wide), edge
    lists, OpenFlights files or folder, OpenTravelData files, GraphML or GEXF.

    \b
    Examples:
      graphkit load deals.xlsx --out deals.graphml
      graphkit load deals.csv --as-of 2010-12-31 --window 5 --types "joint venture" --out jv.json
      graphkit load openflights/ optd_airline_alliance_membership.csv --as-of 2014-06-30 \\
          --out alliances.graphml
      NEO4J_PASSWORD=... graphkit load deals.csv --into neo4j --uri neo4j://localhost:7687
    """
    from graphkit.graph_io import format_for, write_graph
    from graphkit.identities import identity_lines
    from graphkit.outputs import write_json

    if into == "neo4j":
        if out or as_of or window or types or status:
            raise InputError("--into neo4j stores every deal read (filters apply when reading "
                             "back with --from neo4j): drop --out/--as-of/--window/--types/"
                             "--status")
        from graphkit.neo4j_store import write_model

        driver, db = neo4j_driver(uri, user, password, database)
        data = load_data(sources, **source)
        with driver:
            report = write_model(driver, data, database=db, batch_size=batch_size,
                                 progress=progress, ties=ties)
        echo(f"neo4j: {report.line()}")
        if summary_json:
            write_json([s.as_dict() for s in data.summaries], summary_json)
        return
    if out is None:
        raise InputError("give --out FILE (or --into neo4j)")
    keep_inputs([out, summary_json, source.get("suggest_aliases")],
                [*sources, source.get("aliases")])
    kind = format_for(out, out_format)  # fail before any work if the output is unusable
    bar = StepBar(["reading", "projecting", "writing"], label="loading")
    try:
        bar("reading")
        suggest = source.pop("suggest_aliases")  # written after the summary is printed
        data = load_data(sources, **source, quiet=True, per_source_bar=False)
        bar("projecting")
        try:
            graph = project(data, as_of, window, types, status, ended_undated)
        except InputError as exc:
            exc.summaries[:0] = data.summaries  # what was read, before the one-line error
            raise
        bar("writing")
        write_graph(graph, out, kind)
    finally:
        bar.close()
    for summary in data.summaries:
        echo("\n".join(summary.lines()))
    if suggest:
        echo(write_suggested_aliases(data, suggest))
    for line in identity_lines(data, parse_date_option(as_of, "--as-of"), graph.nodes):
        echo(f"names: {line}")
    left = graph.graph.get("deals_left_out")
    echo(f"selection: {graph.graph['selection']}: "
               f"{plural(graph.graph['deals_used'], 'deal')} used"
               + (f"; left out: {', '.join(f'{v:,} {k}' for k, v in left.items())}"
                  if left else ""))
    echo(f"wrote {out} ({kind}): {plural(graph.number_of_nodes(), 'organisation')}, "
         f"{plural(graph.number_of_edges(), 'tie')}")
    if summary_json:
        write_json([s.as_dict() for s in data.summaries], summary_json)


@main.command()
@graph_sources("[GRAPH | SOURCES...]")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1),
              help="How many organisations to list.")
@click.option("--format", "table_fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table: text for people; json: the same facts for "
                                      "scripts.")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
def info(sources, top, table_fmt, as_json, **given) -> None:
    """Print a graph's size, components, density, time span, tie types and top organisations.

    \b
    Examples:
      graphkit info alliances.graphml
      graphkit info deals.json --top 20 --json
      graphkit info deals.csv --as-of 2015-12-31 --window 5
    """
    from graphkit.info import graph_info, info_lines

    stats = graph_info(obtain_graph(sources, **given), top=top)
    if as_json or table_fmt == "json":
        echo(json.dumps(stats, indent=1, ensure_ascii=False, default=str))
    else:
        echo("\n".join(info_lines(stats)))


def _read_graph(path: Path):
    from graphkit.loaders.graph_files import read_graph_file

    graph = read_graph_file(path)
    if graph.is_directed() or graph.is_multigraph():
        import networkx as nx

        graph = nx.Graph(graph)  # partner ties are undirected; parallel edges merge
    return graph


def _graph_and_orgs(args: tuple[str, ...], count: int, backend: str):
    """Split [GRAPH | SOURCES...] ORG...: the organisations come last."""
    shape = " ".join(["ORG"] if count == 1 else ["ORG_A", "ORG_B"])
    if len(args) < count + (1 if backend == "file" else 0):
        where = "GRAPH (or SOURCES) " if backend == "file" else ""
        raise InputError(f"expected {where}{shape}, got {plural(len(args), 'argument')}")
    sources = [Path(a) for a in args[:-count]]
    for source in sources:  # the same rules as every file argument (`PathName`)
        PathName().convert(str(source), None, None)
    return sources, list(args[-count:])


def _echo_table(frame, columns: list[str], limit: int) -> None:
    if frame.empty:
        echo("  (none)")
        return
    from graphkit.outputs import display_table

    # Whole numbers as integers (degree 2, not 2.0), blanks for missing values.
    shown = display_table(frame[columns].head(limit))
    echo(shown.to_string(index=False))
    if shown.astype(str).apply(lambda c: c.str.endswith(" †")).any().any():
        echo("† the files cannot settle which airline holds this code on the date "
                   "(see the identity notes in the CSV, or add optd_airlines.csv)")


@main.command()
@graph_sources("[GRAPH | SOURCES...]")
@click.option("--measures", multiple=True, type=NAMES,
              help="Centrality measures (comma-separated; default all): degree, "
                   "weighted_degree, betweenness, closeness, eigenvector, pagerank, "
                   "clustering, core_number, constraint, effective_size.")
@ecosystem_options
@click.option("--pivots", default=256, show_default=True, type=click.IntRange(2),
              help="Betweenness pivots on graphs over 5,000 organisations (exact below).")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="Seed for sampled betweenness.")
@click.option("--hub-by", default="weighted_degree", show_default=True,
              help="Measure that names each ecosystem's hub.")
@click.option("--known-groups", type=PathName(),
              help="Known blocs to compare with: CSV (id, group) or an OPTD alliance "
                   "membership file.")
@click.option("--groups-as-of", help="Date of the known blocs, for membership files.")
@click.option("--group-roles", multiple=True, type=NAMES,
              help="Membership roles that count as belonging to a bloc (comma-separated, "
                   "e.g. Member; default: every role, affiliates too).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1))
@click.option("--report", is_flag=True,
              help="Also write report.html: the findings as tables, pictures (centrality "
                   "spread, ecosystems against known blocs) and the map, in one offline "
                   "page.")
@click.option("--title", default="Partner network analysis", show_default=True,
              help="Title of report.html.")
@click.option("--note", default="", help="Data source and date shown in report.html.")
@click.option("--out", "out", required=True, type=PathName(),
              help="Folder for the CSV and JSON tables.")
@table_format
def analyze(sources, measures, algorithm, resolution, seeds, ecosystems_file, pivots, seed,
            hub_by, known_groups, group_roles, groups_as_of, top, report, title, note, out,
            table_fmt, **given) -> None:
    """Centrality, ecosystems, their stability and their fit to known blocs.

    Writes centrality.csv/.json (value and rank per measure), ecosystems.csv (ecosystem
    and stability per organisation), ecosystem_profiles.csv, ecosystem_bridges.csv,
    known_blocs_contingency.csv and summary.json into --out, and prints a ranked summary.
    Weights: deal count is a strength for degree, PageRank, eigenvector and communities,
    and 1/deals is a length for betweenness and closeness.

    \b
    Examples:
      graphkit analyze deals.graphml --out analysis
      graphkit analyze deals.csv --as-of 2015-12-31 --window 5 --out analysis
      graphkit analyze deals.csv --report --note "Deals: SDC, 1990-2020" --out analysis
      graphkit analyze codeshares.graphml --communities leiden --seeds 10 \\
          --known-groups optd_airline_alliance_membership.csv --groups-as-of 2014-06-30 \\
          --out analysis
    """
    from graphkit.analyze import AnalysisOptions, analyze, summary_lines, write_analysis
    from graphkit.known_groups import load_known_groups, match_known_groups

    options = AnalysisOptions(measures=_split_list(measures), algorithm=algorithm,
                              resolution=resolution, seeds=seeds, pivots=pivots, seed=seed,
                              hub_by=hub_by, ecosystems_file=ecosystems_file)
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=out)
    if (groups_as_of or group_roles) and not known_groups:
        raise InputError("--groups-as-of and --group-roles apply to the blocs of "
                         "--known-groups FILE: give the file, or drop them")
    known = (load_known_groups(known_groups, parse_date_option(groups_as_of, "--groups-as-of"),
                               _split_list(group_roles))
             if known_groups else None)
    from graphkit.analyze import STEPS

    bar = StepBar(STEPS)
    try:
        # the report's map needs the graph itself (names, deals, types), not the index
        graph = obtain_graph(sources, indexed=not report, **given)
        notes = []
        if known is not None:
            known, notes = match_known_groups(known, graph, str(known_groups))
        result = analyze(graph, options, known, on_step=bar)
    finally:
        bar.close()
    say = _report(table_fmt)
    if table_fmt == "table":
        echo("\n".join(summary_lines(result, top)))
    else:  # the centrality table (centrality.csv), every organisation, for scripts
        _emit(result.centrality.table, table_fmt)
    for line in notes:
        say(f"note: {line}")
    for label, path in write_analysis(result, out).items():
        say(f"wrote {label}: {path}")
    if report:
        from graphkit.analysis_report import analysis_report
        from graphkit.report_page import render_report

        page = out / "report.html"
        with atomic_open(page) as handle:
            handle.write(render_report(analysis_report(graph, result, title, note, top)))
        say(f"wrote report page: {page}")


@main.command()
@source_options
@time_options
@click.option("--by", "by", type=click.Choice(["partners", "markets"]), default="partners",
              show_default=True, help="Footprint: partners in the graph, or airport-pair "
                                      "markets served (routes).")
@click.option("--weight", "weight", default="none", show_default=True,
              type=click.Choice(["none", "routes", "seats", "frequency", "ties"]),
              help="Weight footprints (markets: routes, seats, frequency; partners: ties).")
@click.option("--top-k", type=click.IntRange(1), help="Keep each organisation's k most "
                                                      "overlapping others.")
@click.option("--min-shared", default=1, show_default=True, type=click.IntRange(1))
@click.option("--min-jaccard", default=0.0, show_default=True, type=Number(0, 1))
@click.option("--out", "out", type=CsvName("overlap.csv"),
              help="CSV file for the pairs.")
@from_option("Read SOURCES, or read from Neo4j.")
@neo4j_options
@table_format
def overlap(sources, as_of, window, types, status, ended_undated, by, weight, top_k,
            min_shared, min_jaccard, out, backend, uri, user, password, database, table_fmt,
            **source) -> None:
    """Overlap of every pair's footprint: shared items, Jaccard, overlap, cosine.

    Footprints are partners (shared partners) or, for airlines, airport-pair markets.
    Weighted footprints add weighted Jaccard and a weighted cosine. A partner footprint
    holds every partner, so two direct partners are in each other's (`graphkit compare`
    measures two rivals without each other, and says so).

    \b
    Examples:
      graphkit overlap deals.csv --by partners --min-shared 3 --out shared_partners.csv
      graphkit overlap openflights/ --by markets --weight routes --top-k 5 --out markets.csv
      graphkit overlap optd_airline_segs_mthly_201708.csv.bz2 --by markets --weight seats \\
          --out seats.csv
    """
    import pandas as pd

    from graphkit.api import find_overlaps
    from graphkit.outputs import write_csv

    keep_inputs([out, source.get("suggest_aliases")], [*sources, source.get("aliases")])
    say = _report(table_fmt)
    limits = {"weight": weight, "top_k": top_k, "min_shared": min_shared,
              "min_jaccard": min_jaccard}
    if backend == "neo4j":
        if sources:
            raise InputError("--from neo4j reads from the server: drop the SOURCES")
        from graphkit.neo4j_store import read_market_footprints, read_partner_graph
        from graphkit.overlaps import check_weight, overlap_table

        check_weight(by, weight)
        driver, db = neo4j_driver(uri, user, password, database)
        with driver:
            if by == "partners":
                on = read_partner_graph(driver, database=db,
                                        as_of=parse_date_option(as_of, "--as-of"),
                                        window=window, types=_split_list(types),
                                        statuses=_split_list(status))
                table = find_overlaps(on, by, **limits)
            else:  # the server names no airline in its market rows: ids only
                table = overlap_table(read_market_footprints(driver, db, weight),
                                      pd.DataFrame({"name": pd.Series(dtype=object)}),
                                      **limits)
    else:
        data = load_data(sources, **source, quiet=True)
        on = data if by == "markets" else project(data, as_of, window, types, status,
                                                  ended_undated)
        table = find_overlaps(on, by, as_of=parse_date_option(as_of, "--as-of"), **limits)
    if out:
        write_csv(table, out)
    if table_fmt != "table":
        _emit(table, table_fmt)
    else:
        weighted = "weighted_jaccard" in table.columns
        key = "weighted_jaccard" if weighted else "jaccard"
        say(f"{plural(len(table), 'pair')} ({by}, weight {weight}); highest "
            f"{'weighted Jaccard' if weighted else 'Jaccard'}:")
        _echo_table(table.sort_values(key, ascending=False),
                    ["a_name", "b_name", "shared", "jaccard",
                     *(["weighted_jaccard"] if weighted else []), "overlap", "cosine"], 10)
    if out:
        say(f"wrote {out}")
    elif table_fmt == "table" and len(table) > 10:
        say("(the 10 highest shown: --out FILE keeps every pair, as --format csv prints them)")


@main.command()
@source_options
@click.option("--as-of", help="Date of the alliance membership to check against "
                              "(OpenFlights routes: 2014-06-30).")
@click.option("--fdr", default=0.05, show_default=True, type=Number(0, 1,
                                                                             min_open=True,
                                                                             max_open=True),
              help="False-discovery rate: pairs with a Benjamini-Hochberg q-value at or "
                   "below it pass.")
@click.option("--min-lift", default=2.0, show_default=True, type=Number(1),
              help="Least ratio of observed to expected codeshare routes for a pair.")
@click.option("--out", "out", type=PathName(),
              help="Folder for codeshare_pairs.csv, codeshare_tests.csv, codeshares.graphml "
                   "and validation.json.")
@table_format
def codeshares(sources, as_of, fdr, min_lift, out, table_fmt, **source) -> None:
    """Infer codeshare partnerships from OpenFlights routes, with tests and controls.

    For each airline X and each airline Y flying markets X flags as codeshare, a one-sided
    binomial test asks whether X's codeshares fall on Y's markets more often than Y's
    presence at those airports explains; pairs with a Benjamini-Hochberg q-value at or
    below --fdr and a lift of at least --min-lift are inferred (graphkit/codeshares.py
    states the method). With an OPTD alliance membership file among SOURCES and --as-of,
    the pairs are checked against the alliances; bundled controls (carriers with no
    codeshares, documented partnerships) and a held-out check are always reported.

    \b
    Example:
      graphkit codeshares openflights/ optd_airline_alliance_membership.csv \\
          optd_airlines.csv --as-of 2014-06-30 --out codeshares
    """
    from graphkit.codeshare_checks import validate, validation_lines
    from graphkit.codeshares import codeshare_graph, infer_codeshares
    from graphkit.graph_io import write_graph
    from graphkit.identities import graph_organizations, with_names
    from graphkit.outputs import write_csv, write_json

    date = parse_date_option(as_of, "--as-of")
    data = load_data(sources, **source, quiet=True)
    if not data.groups.empty and date is None:
        raise InputError("alliance membership given: --as-of names the date to check "
                         "against (OpenFlights routes: 2014-06-30)")
    inference = infer_codeshares(data.routes, fdr=fdr, min_lift=min_lift)
    graph = codeshare_graph(data, inference, date)
    named = graph_organizations(graph)
    # named as of the date, marked † where the files cannot settle who holds a code
    pairs = with_names(inference.pairs, named)
    tests = with_names(inference.tests, named, columns=("marketer", "operator"))
    report = validate(inference, data, date)
    say = _report(table_fmt)
    say("\n".join(validation_lines(report)))
    if out:
        make_folder(out)
        write_csv(pairs, out / "codeshare_pairs.csv")
        write_csv(tests, out / "codeshare_tests.csv")
        write_graph(graph, out / "codeshares.graphml")
        write_json(report, out / "validation.json")
    if table_fmt == "table":
        _echo_table(pairs.sort_values("weight", ascending=False),
                    ["a_name", "b_name", "routes", "expected_routes", "q_value"], 10)
    else:
        _emit(pairs, table_fmt)
    if out:
        say(f"wrote {out}/codeshare_pairs.csv, codeshare_tests.csv, codeshares.graphml, "
            "validation.json")


@main.command()
@source_options
@click.option("--window", default=5.0, show_default=True, type=Number(),
              help="Years of deals in each snapshot (0: deals in force on the date).")
@click.option("--start", "start", type=int, help="First year (default: first in data).")
@click.option("--end", "end", type=int, help="Last year (default: last in data).")
@click.option("--step", default=1, show_default=True, type=int, help="Years between rows.")
@click.option("--types", multiple=True, type=NAMES,
              help="Keep these deal types (comma-separated).")
@click.option("--changes", nargs=2, metavar="DATE1 DATE2",
              help="Also list ties new or lapsed between two dates.")
@click.option("--out", "out", type=PathName(),
              help="Folder for evolution.csv (and tie_changes.csv).")
@from_option("Read SOURCES, or read from Neo4j (needs --start/--end).")
@neo4j_options
@table_format
def evolve(sources, window, start, end, step, types, changes, out, backend, uri, user,
           password, database, table_fmt, **source) -> None:
    """How the network changes: one row per year-end window, and new or lapsed ties.

    \b
    Examples:
      graphkit evolve deals.csv --window 5 --start 2000 --end 2020 --out evolution
      graphkit evolve optd_airline_alliance_membership.csv --window 0 \\
          --changes 2008-06-30 2010-06-30 --out evolution
    """
    from graphkit.evolution import evolution_table, tie_changes, yearly_dates
    from graphkit.projection import partner_graph

    span = None if window == 0 else window
    if backend == "neo4j":
        from graphkit.neo4j_store import read_partner_graph

        if sources or changes:
            raise InputError("--from neo4j reads from the server: give --start YEAR --end "
                             "YEAR, no SOURCES (and --changes works on SOURCES)")
        dates = yearly_dates(None, start, end, step)
        driver, db = neo4j_driver(uri, user, password, database)
        with driver:
            table = evolution_table(lambda date: read_partner_graph(
                driver, database=db, as_of=date, window=span, types=_split_list(types)),
                dates, window=span)
        _evolution_out(table, None, out, table_fmt)
        return
    if changes and any(d.startswith("--") for d in changes):  # it took the next option
        raise InputError("--changes takes two dates, DATE1 DATE2 (e.g. --changes 2008-06-30 "
                         f"2010-06-30), got '{' '.join(changes)}'")
    dates = [parse_date_option(d, "--changes") for d in changes] if changes else []
    data = load_data(sources, **source, quiet=True)
    table = evolution_table(data, yearly_dates(data, start, end, step), window=span,
                            types=_split_list(types))
    diff = None
    if changes:
        d1, d2 = dates
        before = partner_graph(data, as_of=d1, window=span, types=_split_list(types))
        after = partner_graph(data, as_of=d2, window=span, types=_split_list(types))
        diff = tie_changes(before, after)
    _evolution_out(table, diff, out, table_fmt, dates)


@main.command(name="panel")
@source_options
@click.option("--window", default=5.0, show_default=True, type=Number(),
              help="Years of deals in each window (deals announced in the window and "
                   "not ended before its last day).")
@click.option("--in-force", is_flag=True,
              help="Instead of --window: every deal in force on each window's end "
                   "(announced by then, not ended), for memberships and agreements with "
                   "end dates, such as alliance membership.")
@click.option("--start", "start", type=int,
              help="Year of the first window's end (default: the first year with a full "
                   "window of data).")
@click.option("--end", "end", type=int, help="Year of the last window's end (default: "
              "the last year in the data).")
@click.option("--step", default=1, show_default=True, type=int, help="Years between windows.")
@click.option("--attribute", help="Partners' attribute for diversity (Blau, HHI), e.g. "
              "country or sector.")
@click.option("--beta", "beta_share", default=0.5, show_default=True, type=Number(),
              help="Bonacich beta as a share of 1/lambda_max, between -1 and 1 (negative: "
                   "power from weak partners).")
@click.option("--pivots", default=256, show_default=True, type=click.IntRange(2),
              help="Betweenness pivots in windows over 5,000 organisations (exact below).")
@click.option("--lengths", default="hops", show_default=True,
              type=click.Choice(["hops", "deals"]),
              help="Path lengths for betweenness and closeness: hops (every tie one step, "
                   "the binary network) or deals (length 1/deals, as analyze).")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="Seed for sampled betweenness and ecosystems.")
@click.option("--out", "out", required=True, type=PathName(),
              help="panel.parquet or panel.csv.")
def panel_command(sources, window, in_force, start, end, step, attribute, beta_share, pivots,
                  lengths, seed, out, **source) -> None:
    """The organisation-year panel: one row per organisation per window end, with the
    measures alliance research uses (degree, deals, repeated ties, ego density, Burt's
    constraint, effective size, efficiency and hierarchy, betweenness, closeness,
    eigenvector, Bonacich power, distance-weighted reach, component size, clustering,
    partner diversity, new and lost partners, closure, ecosystem and ecosystems spanned).

    Weights: deal counts are strengths for weighted degree, constraint, effective size,
    hierarchy, eigenvector and Bonacich; betweenness, closeness and reach count hops
    (--lengths deals: 1/deals is a length for betweenness and closeness). Windows are
    computed side by side, one per core.

    \b
    Examples:
      graphkit panel deals.csv --window 5 --start 1995 --end 2010 --out panel.parquet
      graphkit panel deals.csv --window 3 --attribute country --out panel.csv
    """
    from graphkit.outputs import write_csv, write_parquet
    from graphkit.panel_measures import PanelOptions, panel, panel_summary

    if out.suffix.lower() not in (".parquet", ".csv"):
        raise InputError("the panel is a .parquet or .csv file: give --out panel.parquet",
                         file=out)
    keep_inputs([out], list(sources))
    data = load_data(sources, **source, quiet=True)
    options = PanelOptions(window=None if in_force else window, start=start, end=end,
                           step=step, attribute=attribute, beta_share=beta_share, pivots=pivots,
                           seed=seed, lengths=lengths)
    table = panel(data, options, on_window=lambda day: echo(f"window to {day:%Y-%m-%d}",
                                                             err=True))
    _echo_table(panel_summary(table), ["window_end", "organisations", "mean_partners",
                                       "mean_constraint", "ecosystems", "new_ties"], 100)
    if out.suffix.lower() == ".csv":
        write_csv(table, out)
    else:
        write_parquet(table, out)
    years = table["window_end"].nunique() if len(table) else 0
    span = " (deals in force at each end)" if in_force else f" of {window:g} years"
    echo(f"wrote {out}: {len(table):,} rows, {years} windows{span}, "
         f"{table['id'].nunique() if len(table) else 0:,} organisations in all")


@main.command()
@source_options
@click.option("--as-of", "as_of", required=True,
              help="The date to forecast from: pairs that are not partners on it are "
                   "ranked (e.g. 2012-12-31).")
@click.option("--horizon", default=3.0, show_default=True, type=Number(0, min_open=True),
              help="Years after --as-of in which a new tie counts.")
@click.option("--window", type=Number(),
              help="Years of deals that make a tie on a date (default: every deal in "
                   "force on it).")
@click.option("--top", default=50, show_default=True, type=click.IntRange(1),
              help="Pairs to list; also the k of precision at k in --backtest.")
@click.option("--org", help="One organisation (name or id): its likeliest new partners.")
@click.option("--backtest", is_flag=True,
              help="Also fit on deals up to --as-of minus --horizon, rank the pairs of that "
                   "date and check them against the ties formed by --as-of: ROC AUC, "
                   "average precision and precision at --top, for the model, each plain "
                   "heuristic and a random ranking.")
@click.option("--sample", default=200_000, show_default=True, type=click.IntRange(1),
              help="Pairs with no shared partner and no former tie drawn at random (all "
                   "pairs with a shared partner or a former tie are always candidates).")
@click.option("--seed", default=0, show_default=True, type=SEED,
              help="Seed for the sample, the ecosystems and the model.")
@click.option("--out", "out", type=CsvName("predictions.csv"),
              help="predictions.csv (and, with --backtest, predictions_backtest.csv).")
@click.option("--dyads", "dyads_out", type=PathName(),
              help="Also write the dyad panel the model learnt from (.parquet or .csv): "
                   "the candidate pairs of each earlier network with their signals, the "
                   "pairs each stands for (weight) and whether they formed a tie (formed), "
                   "for your own estimation.")
@table_format
def predict(sources, as_of, horizon, window, top, org, backtest, sample, seed, out, dyads_out,
            table_fmt, **source) -> None:
    """Who partners next: pairs that are not partners on --as-of, ranked by how likely
    they are to form a tie within --horizon years, with the reason for each.

    Signals: common partners, resource allocation, preferential attachment, joint
    centrality (PageRank), same ecosystem, joined by a chain of partners, former deals.
    A logistic regression learns their weights from the three earlier networks
    --horizon years apart and the ties that formed after each (graphkit/tie_forecast.py
    states the method and the sampling of candidate pairs).

    \b
    Examples:
      graphkit predict deals.csv --as-of 2012-12-31 --horizon 3 --top 20
      graphkit predict deals.csv --as-of 2012-12-31 --org "Lufthansa"
      graphkit predict deals.csv --as-of 2012-12-31 --backtest
    """
    from graphkit.outputs import write_csv, write_parquet
    from graphkit.summary import plural
    from graphkit.tie_forecast import (
        ForecastOptions,
        backtest_lines,
        forecast,
        summary_lines,
    )

    date = parse_date_option(as_of, "--as-of")
    if dyads_out is not None and dyads_out.suffix.lower() not in (".parquet", ".csv"):
        raise InputError("the dyad panel is a .parquet or .csv file: give --dyads "
                         "dyads.parquet", file=dyads_out)
    outputs = [p for p in (out, dyads_out) if p]
    keep_inputs(outputs, list(sources))
    data = load_data(sources, **source, quiet=True)
    options = ForecastOptions(as_of=date, horizon=horizon, window=window, sample=sample,
                              seed=seed, k=top)
    result = forecast(data, options, top=top, org=org, with_backtest=backtest)
    say = _report(table_fmt)
    for line in summary_lines(result, options):
        say(line)
    columns = ["rank", "a_name", "b_name", "probability", "common_partners", "former_deals",
               "reason"]
    if table_fmt == "table" and org:  # a is the organisation asked about in every row
        _echo_table(result.table.rename(columns={"b_name": "partner"}),
                    ["rank", "partner", *columns[3:]], top)
    elif table_fmt == "table":
        _echo_table(result.table, columns, top)
    else:
        _emit(result.table, table_fmt)
    if result.backtest is not None:
        say("")
        for line in backtest_lines(result.backtest, seed):
            say(line)
    if out:
        write_csv(result.table, out)
        written = [str(out)]
        if result.backtest is not None:
            scores = out.with_name(out.stem + "_backtest.csv")
            write_csv(result.backtest.scores, scores)
            written.append(str(scores))
        say(f"wrote {', '.join(written)}")
    if dyads_out is not None:
        table = result.dyads
        (write_parquet if dyads_out.suffix.lower() == ".parquet" else write_csv)(table,
                                                                                dyads_out)
        say(f"wrote {dyads_out}: {plural(len(table), 'pair')} from "
            f"{plural(table['date'].nunique(), 'network')}, "
            f"{plural(int(table['formed'].sum()), 'new tie')}")


def _evolution_out(table, diff, out, table_fmt, dates=()) -> None:
    """evolution.csv (and tie_changes.csv) into --out; the table printed for people, or
    as CSV or JSON for scripts (`--changes` then goes to its file only)."""
    from graphkit.outputs import display_table, write_csv

    say = _report(table_fmt)
    if out:
        make_folder(out)
        write_csv(table, out / "evolution.csv")
        if diff is not None:
            write_csv(diff, out / "tie_changes.csv")
    if table_fmt == "table":
        echo(display_table(table).to_string(index=False))
    else:
        _emit(table, table_fmt)
    if diff is not None:
        counts = diff["change"].value_counts()
        say(f"ties {dates[0]:%Y-%m-%d} -> {dates[1]:%Y-%m-%d}: {counts.get('new', 0):,} new, "
            f"{counts.get('lapsed', 0):,} lapsed" + ("" if out else
                                                     " (--out FOLDER lists them)"))
    if out:
        say(f"wrote {out}")


@main.command()
@graph_sources("[GRAPH | SOURCES...] ORG", paths=False)
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1),
              help="Ties away from ORG.")
@click.option("--top", default=15, show_default=True, type=click.IntRange(1))
@click.option("--out", "out", type=PathName(),
              help="Write the ego network (.graphml/.gexf/.json).")
@ecosystem_options
@table_format
def ego(sources, depth, top, out, algorithm, resolution, seeds, ecosystems_file, table_fmt,
        **given) -> None:
    """An organisation's ecosystem: its partners and the metrics of its ego network.

    ORG is an id or a name (matched like loaded names; close names are suggested).

    \b
    Example:
      graphkit ego alliances.graphml Lufthansa --depth 2
    """
    from graphkit.ecosystems import find_ecosystems
    from graphkit.graph_io import format_for, write_graph
    from graphkit.rivals import ego_network

    sources, org = _graph_and_orgs(sources, 1, given["backend"])
    if out:
        format_for(out)  # a wrong name fails before the work, not after the tables
        keep_inputs([out], [*sources, ecosystems_file])
    graph = obtain_graph(sources, **given)
    found = find_ecosystems(graph, algorithm, seeds=seeds, resolution=resolution,
                            partition_file=ecosystems_file)
    result = ego_network(graph, org[0], depth, found)
    if out:
        write_graph(result.graph, out)
    if table_fmt != "table":  # the partners, every one, for scripts
        _emit(result.partners, table_fmt)
        if out:
            echo(f"wrote {out}", err=True)
        return
    name = result.name
    echo(f"{name} [{result.node}]: {result.reach}")
    echo(f"{name} is in {found.label_of(result.node)} ({found.method})")
    echo("partners by tie weight (deals: deals together):")
    _echo_table(result.partners, ["id", "name", "deals", "weight", "types", "ecosystem"], top)
    echo("ego network by betweenness (length 1/weight):")
    _echo_table(result.metrics.sort_values("betweenness_rank"),
                ["id", "name", "degree", "weighted_degree", "betweenness", "constraint"], top)
    if out:
        echo(f"wrote {out}")


@main.command(name="compare")
@graph_sources("[GRAPH | SOURCES...] ORG_A ORG_B", paths=False)
@ecosystem_options
@table_format
def compare_command(sources, algorithm, resolution, seeds, ecosystems_file, table_fmt,
                    **given) -> None:
    """Two rivals side by side: shared and exclusive partners, overlap, paths, ecosystems.

    \b
    Example:
      graphkit compare alliances.graphml Lufthansa "United Airlines"
    """
    from graphkit.ecosystems import find_ecosystems
    from graphkit.rivals import compare

    sources, (org_a, org_b) = _graph_and_orgs(sources, 2, given["backend"])
    graph = obtain_graph(sources, **given)
    found = find_ecosystems(graph, algorithm, seeds=seeds, resolution=resolution,
                            partition_file=ecosystems_file)
    result = compare(graph, org_a, org_b, found)
    if table_fmt != "table":  # every partner of either, and whose it is, for scripts
        _emit(result.partner_table(), table_fmt)
        return
    label = result.label
    echo(result.title)
    echo(result.overlap)
    for title, items in ((f"shared ({len(result.shared)})", result.shared),
                         (f"only {label(result.a)} ({len(result.only_a)})", result.only_a),
                         (f"only {label(result.b)} ({len(result.only_b)})", result.only_b)):
        shown = ", ".join(label(n) for n in items[:15]) or "none"
        echo(f"{title}: {shown}{' ...' if len(items) > 15 else ''}")
    if result.path is None:
        echo("no partnership path: they are in different components")
    else:
        hops = len(result.path) - 1
        echo(f"shortest path ({hops} {'tie' if hops == 1 else 'ties'}): "
                   + " - ".join(label(n) for n in result.path))
        echo("strongest path (length 1/weight): "
                   + " - ".join(label(n) for n in result.weighted_path))
    same = result.ecosystems[result.a] == result.ecosystems[result.b]
    echo(f"ecosystems ({found.method}): {label(result.a)} in "
               f"{result.ecosystems[result.a]}; {label(result.b)} in "
               f"{result.ecosystems[result.b]}" + (" (the same)" if same else ""))


def map_options(command):
    """Options shared by `map` and `export`: what colours, sizes and places nodes."""
    options = [
        click.option("--color-by", default="ecosystem", show_default=True,
                     help="Node attribute to colour by (e.g. alliance), or 'ecosystem' "
                          "(detected as `graphkit analyze` does, or --ecosystems FILE)."),
        click.option("--size-by", default="degree", show_default=True,
                     help="Centrality measure or numeric node attribute for node size."),
        click.option("--positions", "positions_file", type=PathName(),
                     help="Reuse positions saved with --save-positions (new organisations "
                          "are placed near their partners)."),
        click.option("--seed", default=0, show_default=True, type=SEED,
                     help="Seed for the layout."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command(name="map")
@graph_sources("[GRAPH | SOURCES...]")
@map_options
@ecosystem_options
@click.option("--top", type=click.IntRange(1), help="Keep the top N organisations by --size-by.")
@click.option("--min-weight", type=Number(), help="Keep ties with at least this weight.")
@click.option("--k-core", type=click.IntRange(1), help="Keep the k-core.")
@click.option("--ego", help="Draw only this organisation's neighbourhood (id or name).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1),
              help="Ties away from --ego.")
@click.option("--title", default="Partner network", show_default=True)
@click.option("--note", default="", help="Data source and date shown under the title.")
@click.option("--physics", is_flag=True,
              help="Let the layout move in the browser (up to 1,000 organisations).")
@click.option("--save-positions", "positions_out", type=PathName(),
              help="Write the positions used, to reuse with --positions.")
@click.option("--image", type=PathName(),
              help="Also write a static .png or .svg of the map.")
@click.option("--renderer", type=click.Choice(["auto", "vis", "webgl"]), default="auto",
              show_default=True,
              help="vis (vis-network: tie tooltips, --physics) or webgl (sigma.js: "
                   "hundreds of thousands of ties). auto: WebGL for a full map above "
                   "5,000 organisations or 50,000 ties.")
@click.option("--overview/--no-overview", default=None,
              help="One disc per ecosystem with its largest organisations; a click shows "
                   "its members. Default: the overview above 5,000 organisations.")
@click.option("--out", "out", required=True, type=PathName(),
              help="HTML file to write (opens offline: every asset is inside).")
def map_command(sources, color_by, size_by, positions_file, seed, algorithm, resolution, seeds,
                ecosystems_file, top, min_weight, k_core, ego, depth, title, note, physics,
                positions_out, image, renderer, overview, out, **given) -> None:
    """Write an interactive map: colour by ecosystem, size by a measure, search, filters.

    The HTML file holds everything it needs (no request to any host when opened from
    disk); the layout is computed here, so the map is drawn settled at once.

    \b
    Examples:
      graphkit map codeshares.graphml --color-by alliance --size-by betweenness --out map.html
      graphkit map deals.graphml --top 300 --min-weight 2 --image map.png --out map.html
      graphkit map deals.graphml --ego "Acme" --depth 2 --out acme.html
      graphkit map deals-2015.graphml --positions layout.json --out map-2015.html
      graphkit map industry.csv --overview --image overview.png --out overview.html
    """
    from graphkit.maps import MapOptions, load_positions, save_positions, write_image, write_map

    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError("the map is an HTML file: give --out a .html name", file=out)
    keep_inputs([out, image, positions_out], [*sources, positions_file, ecosystems_file])
    if image is not None and image.suffix.lower() not in (".png", ".svg"):
        raise InputError("static images are .png or .svg", file=image)
    options = MapOptions(color_by=color_by, size_by=size_by, title=title, note=note, seed=seed,
                         top=top, min_weight=min_weight, k_core=k_core, ego=ego, depth=depth,
                         physics=physics, communities=algorithm, seeds=seeds,
                         resolution=resolution, ecosystems_file=ecosystems_file,
                         overview=overview, renderer=renderer,
                         positions=load_positions(positions_file) if positions_file else {})
    graph = obtain_graph(sources, **given)
    data = write_map(graph, out, options)
    echo(data.payload["made"])
    echo("legend: " + ", ".join(f"{g['group']} ({g['count']})"
                                      for g in data.payload["legend"][:12])
               + (" ..." if len(data.payload["legend"]) > 12 else ""))
    echo(f"wrote {out}")
    if positions_out:
        save_positions(data.positions, positions_out)
        echo(f"wrote {positions_out}")
    if image:
        write_image(data, image)
        echo(f"wrote {image}")


@main.command()
@graph_sources("[GRAPH | SOURCES...]")
@click.option("--format", "out_format", required=True,
              type=click.Choice(["gexf", "graphml", "csv", "json", "neo4j-admin"]),
              help="gexf (with colours, sizes, positions), graphml, csv (nodes.csv and "
                   "edges.csv in the --out folder), json (node-link), or neo4j-admin (CSV "
                   "files and headers for `neo4j-admin database import full`, from SOURCES; "
                   "written verbatim, as data for the import, not for a spreadsheet).")
@map_options
@click.option("--out", "out", required=True, type=PathName(),
              help="File to write (a folder for csv).")
def export(sources, out_format, color_by, size_by, positions_file, seed, out, **given) -> None:
    """Export a graph for Gephi, spreadsheets or other tools.

    GEXF files carry each node's colour (--color-by), size (--size-by) and position (the
    map layout, or --positions), so Gephi opens them as laid out.

    \b
    Examples:
      graphkit export codeshares.graphml --format gexf --color-by alliance --out codeshares.gexf
      graphkit export deals.graphml --format csv --out tables/
      graphkit export deals.csv --format neo4j-admin --out import/
    """
    from graphkit.graph_io import FORMATS, with_viz, write_graph, write_tables
    from graphkit.maps import MapOptions, build_map, load_positions

    keep_inputs([out], [*sources, positions_file])
    if out_format in ("csv", "neo4j-admin") and out.suffix.lower() in FORMATS:
        raise InputError(f"--format {out_format} writes files into a folder, and --out "
                         f"{out.name} names a {FORMATS[out.suffix.lower()]} file: give a "
                         f"folder such as {out.stem}/, or --format {FORMATS[out.suffix.lower()]}")
    if out_format == "neo4j-admin":
        from graphkit.neo4j_admin import SCHEMA_FILE, write_import_files

        if given["backend"] != "file" or any(given.get(k) for k in (
                "as_of", "window", "types", "status")):
            raise InputError("--format neo4j-admin writes every deal of SOURCES (the import "
                             "loads the whole model): drop --from neo4j and the filters")
        loading = {k: v for k, v in given.items() if k in _LOAD_DEFAULTS}
        data = load_data(sources, **loading, quiet=True)
        command = write_import_files(data, out)
        echo(f"wrote the import files into {out}; with the Neo4j server stopped, run:")
        echo(f"  {command}")
        echo("then, with the server started, create the constraints the online load creates "
             f"(an import makes none): cypher-shell -f {out / SCHEMA_FILE}")
        return
    graph = obtain_graph(sources, **given)
    if out_format == "csv":
        nodes, edges = write_tables(graph, out)
        echo(f"wrote {nodes} ({plural(graph.number_of_nodes(), 'row')}), {edges} "
             f"({plural(graph.number_of_edges(), 'row')})")
        return
    if out_format == "gexf":
        options = MapOptions(color_by=color_by, size_by=size_by, seed=seed,
                             positions=load_positions(positions_file) if positions_file else {})
        graph = with_viz(graph, build_map(graph, options).payload)
    write_graph(graph, out, out_format)
    echo(f"wrote {out} ({out_format}): {plural(graph.number_of_nodes(), 'organisation')}, "
         f"{plural(graph.number_of_edges(), 'tie')}")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"--param expects NAME=VALUE, got '{value}'")
        if key in out and out[key] != text:
            raise InputError(f"--param {key}= is given twice ('{out[key]}' and '{text}'): "
                             "give it once")
        out[key] = text
    return out


def _emit(frame, fmt: str) -> None:
    from graphkit.outputs import display_table, records, safe_cells

    if fmt == "json":
        echo(json.dumps(records(frame), indent=1, ensure_ascii=False, default=str))
    elif fmt == "csv":
        echo(safe_cells(display_table(frame)).to_csv(index=False), nl=False)
    elif frame.empty:
        echo("(no rows)")
    else:
        echo(display_table(frame).to_string(index=False))


@main.command()
@click.argument("name", required=False)
@click.argument("sources", nargs=-1, type=PathName())
@click.option("--source-format", type=click.Choice(FORMATS),
              help="Format of SOURCES (default: detected).")
@click.option("--aliases", type=PathName(),
              help="CSV with columns alias,canonical: names to merge.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Query parameter (repeatable); dates as YYYY-MM-DD.")
@click.option("--backend", type=click.Choice(["networkx", "neo4j"]), default="networkx",
              show_default=True, help="Answer from SOURCES (networkx) or from Neo4j.")
@neo4j_options
@click.option("--format", "out_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
def query(name, sources, source_format, aliases, params, backend, uri, user, password,
          database, out_format, list_queries) -> None:
    """Run a named query: the questions analysts ask, answered the same from files or Neo4j.

    \b
    Examples:
      graphkit query --list
      graphkit query partners openflights/ optd_airline_alliance_membership.csv --param org=LH
      graphkit query group_members optd_airline_alliance_membership.csv \\
          --param group="Star Alliance" --param as_of=2014-06-30 --format csv
      graphkit query shortest_paths --backend neo4j --param a=LH --param b=AA
    """
    from graphkit.queries.library import QUERIES, parse_params, run

    if list_queries or not name:
        for q in QUERIES.values():
            args = " ".join(f"--param {p.name}=<{p.kind.lower()}>" for p in q.params)
            echo(f"{q.name}: {q.cypher.description}\n    {args}")
        return
    if name not in QUERIES:
        raise InputError(f"unknown query {quoted(name)}; `graphkit query --list` shows them")
    typed = parse_params(QUERIES[name], _params(params))
    if backend == "neo4j":
        if sources:
            raise InputError("--backend neo4j answers from the server: drop the SOURCES")
        driver, db = neo4j_driver(uri, user, password, database)
        with driver:
            rows = run(name, typed, driver=driver, database=db)
    else:
        data = load_data(sources, source_format, aliases=aliases, quiet=True)
        rows = run(name, typed, data=data)
    _emit(rows, out_format)


@main.command()
@click.argument("statement_text", metavar="CYPHER")
@click.option("--param", "params", multiple=True, metavar="NAME[:TYPE]=VALUE",
              help="Query parameter (repeatable). Values are text unless a type is given: "
                   "str, int, float, bool, date (YYYY-MM-DD) or list (a JSON list), e.g. "
                   "--param since:date=2014-06-30 --param n:int=5.")
@click.option("--write", is_flag=True,
              help="Allow a statement that writes (it is refused otherwise).")
@neo4j_options
@click.option("--format", "out_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
def cypher(statement_text, params, write, uri, user, password, database, out_format) -> None:
    """Run a Cypher statement against Neo4j and print the rows: read-only unless --write.

    The statement is first EXPLAINed: one whose query type is not read-only is refused
    unless --write is given (a read transaction alone does not stop writes).

    \b
    Example:
      graphkit cypher "MATCH (o:Organization {id: $id})-[:PARTY_TO]->(d) \\
          WHERE d.date >= $since RETURN d.id, d.type" --param id=LH --param since:date=2010-01-01
    """
    from graphkit.neo4j_store import run_cypher, typed_parameters

    values = typed_parameters(_params(params))
    driver, db = neo4j_driver(uri, user, password, database)
    with driver:
        rows = run_cypher(driver, statement_text, values, db, write=write)
    _emit(rows, out_format)


@main.command()
@click.option("--out", "out", default="graphkit-demo", show_default=True,
              type=PathName(), help="Folder for the demo's outputs.")
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
    run_demo(out, echo=echo)


if __name__ == "__main__":
    main()
