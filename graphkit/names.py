"""Entity resolution: one organisation per normalised name, every merge reported."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Legal-form words stripped from the end of a name (after punctuation is removed, so
# "S.A." is "sa" and "Co., Ltd." is "co ltd"). Kept conservative: words that are legal
# forms almost everywhere they end a company name.
LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
        "llp", "lp", "plc", "gmbh", "ag", "sa", "sas", "sarl", "spa", "srl", "nv", "bv", "oy",
        "oyj", "ab", "asa", "kk", "pty", "pte", "ltda", "sl", "se", "kg", "kgaa",
    }
)

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The matching key of a name: case, accents, punctuation and legal suffixes folded.

    >>> normalize_name("  Acme, Inc. ")
    'acme'
    >>> normalize_name("Société Générale S.A.")
    'societe generale'
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace(".", "")
    text = _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
    tokens = text.split(" ") if text else []
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


@dataclass
class Resolution:
    """How raw names map to organisations."""

    ids: dict[str, str]  # raw name -> organisation id
    names: dict[str, str]  # organisation id -> display name
    aliases: dict[str, tuple[str, ...]]  # organisation id -> other spellings seen
    merges: list[str] = field(default_factory=list)


class NameResolver:
    """Resolves raw organisation names to stable ids.

    Two raw names are one organisation when their normalised keys are equal, or when an
    alias file maps one to the other. Every such merge is reported, never silent.
    """

    def __init__(self, aliases: dict[str, str] | None = None) -> None:
        self._canonical: dict[str, str] = {}  # normalised alias -> canonical display name
        for alias, canonical in (aliases or {}).items():
            self._canonical[normalize_name(alias)] = canonical

    @classmethod
    def from_alias_file(cls, path: str | Path) -> NameResolver:
        """Read an alias file: CSV with columns alias,canonical."""
        from graphkit.errors import InputError
        from graphkit.loaders.tables import read_table, require_columns

        table = read_table(path)
        cols = require_columns(table, {"alias": ["alias"], "canonical": ["canonical"]})
        mapping: dict[str, str] = {}
        for i, (alias, canonical) in enumerate(
            zip(table.frame[cols["alias"]], table.frame[cols["canonical"]], strict=True)
        ):
            row = table.row_number(i)
            if not isinstance(alias, str) or not isinstance(canonical, str):
                raise InputError("alias and canonical must both be filled in",
                                 file=path, row=row)
            if not normalize_name(alias) or not normalize_name(canonical):
                raise InputError("name has no letters or digits", file=path, row=row)
            mapping[alias] = canonical
        return cls(mapping)

    def resolve(self, raw_counts: Counter[str]) -> Resolution:
        """Map each raw name (with how often it occurs) to an organisation id."""
        groups: dict[str, list[str]] = {}
        aliased: set[str] = set()
        ids: dict[str, str] = {}
        for raw in raw_counts:  # Counter keeps first-seen order
            key = normalize_name(raw)
            if key in self._canonical:
                canonical_key = normalize_name(self._canonical[key])
                if canonical_key != key or raw != self._canonical[key]:
                    aliased.add(canonical_key)
                key = canonical_key
            ids[raw] = key
            groups.setdefault(key, []).append(raw)

        names: dict[str, str] = {}
        others: dict[str, tuple[str, ...]] = {}
        merges: list[str] = []
        canonical_names = {normalize_name(c): c for c in self._canonical.values()}
        for key, raws in groups.items():
            if key in aliased and key in canonical_names:
                display = canonical_names[key]
            else:
                display = max(raws, key=lambda r: raw_counts[r])  # first seen wins ties
            names[key] = display
            others[key] = tuple(r for r in raws if r != display)
            if others[key]:
                how = "alias file" if key in aliased else "same normalised name"
                spellings = ", ".join(repr(r) for r in raws)
                merges.append(f"{spellings} -> {display!r} (id {key!r}; {how})")
        return Resolution(ids=ids, names=names, aliases=others, merges=merges)
