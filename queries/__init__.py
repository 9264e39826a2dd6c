"""Every Cypher statement graphkit sends, one `.cypher` file each (see README.md here).

`statement(name)` returns a parsed file: its text, description and declared parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Statement:
    """One Cypher file: header facts and the statement text."""

    name: str
    description: str
    parameters: dict[str, str]  # name -> Cypher type, e.g. "STRING", "LIST<MAP>"
    text: str


def parse(name: str, source: str) -> Statement:
    """Split a file into its `//` header and statement."""
    description, params, body = "", {}, []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("// description:"):
            description = stripped.split(":", 1)[1].strip()
        elif stripped.startswith("// param "):
            spec = stripped[len("// param "):]
            pname, rest = spec.split(":", 1)
            params[pname.strip()] = rest.strip().split()[0]
        elif stripped.startswith("//"):
            continue
        else:
            body.append(line)
    return Statement(name=name, description=description, parameters=params,
                     text="\n".join(body).strip())


@cache
def statement(name: str) -> Statement:
    """The statement in queries/<name>.cypher."""
    source = resources.files(__name__).joinpath(f"{name}.cypher").read_text("utf-8")
    return parse(name, source)


def all_statements() -> list[Statement]:
    """Every .cypher file shipped, by name."""
    names = sorted(p.name[:-len(".cypher")] for p in resources.files(__name__).iterdir()
                   if p.name.endswith(".cypher"))
    return [statement(n) for n in names]
