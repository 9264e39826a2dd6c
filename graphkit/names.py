"""Entity resolution: one organisation per normalised name, every merge reported.

Names that fold to nothing or to a placeholder ('N/A', 'unknown', '[*]', '***', '-', '?')
are not organisations: `is_placeholder` tells them, and loaders drop them as blank.
Likely duplicates that were not merged ('Toyota' and 'Toyota Motor Corp') are found by
`possible_duplicates` (rapidfuzz token similarity after folding legal suffixes) and only
reported: a fuzzy match never merges by itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graphkit.errors import InputError, quoted

# Legal-form words stripped from the end of a name (after punctuation is removed, so
# "S.A." is "sa" and "Co., Ltd." is "co ltd"). Kept conservative: words that are legal
# forms almost everywhere they end a company name.
LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
        "llp", "lp", "plc", "gmbh", "ag", "sa", "sas", "sarl", "spa", "srl", "nv", "bv", "oy",
        "oyj", "ab", "asa", "kk", "pty", "pte", "ltda", "sl", "se", "kg", "kgaa",
        "pjsc", "ojsc", "jsc", "pao", "oao", "as", "aps", "bhd", "tbk",
    }
)

# What analysts type for "no name here": never an organisation (compared after folding).
PLACEHOLDERS = frozenset(
    {
        "", "na", "n a", "none", "null", "nil", "unknown", "unk", "not known", "not available",
        "not applicable", "undisclosed", "undisclosed party", "undisclosed company",
        "unnamed", "anonymous", "redacted", "tbd", "tba", "tbc", "various", "other", "others",
        "xx", "xxx", "nan", "missing", "private investor", "undisclosed investor",
    }
)
_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 20)  # names repeat across rows, sources and lookups
def normalize_name(name: str) -> str:
    """The matching key of a name: case, accents, punctuation and legal suffixes folded.

    >>> normalize_name("  Acme, Inc. ")
    'acme'
    >>> normalize_name("Société Générale S.A.")
    'societe generale'
    """
    text = str(name)
    if not text.isascii():  # ASCII has no accents to fold, and is its own NFKD form
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = text.replace("&", " and ").replace(".", "")
    text = _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
    tokens = text.split(" ") if text else []
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


# Words that, alone or together, make a placeholder rather than a name ('Undisclosed
# Partner', 'not disclosed', '(confidential)', 'unknown investors').
PLACEHOLDER_WORDS = frozenset(
    {
        "undisclosed", "unknown", "unnamed", "confidential", "redacted", "withheld",
        "anonymous", "not", "disclosed", "available", "applicable", "known", "given",
        "partner", "partners", "party", "parties", "company", "companies", "firm", "firms",
        "investor", "investors", "other", "others", "various", "private", "name", "names",
        "tbd", "tba", "tbc", "na", "none", "null", "nil", "missing", "third",
    }
)


def is_placeholder(name: object) -> bool:
    """True for a name that says nothing: blank, only punctuation or redaction marks
    ('[*]', '***', '!!!', '-', '?'), a placeholder ('N/A', 'unknown', 'TBD'), or only
    placeholder words ('Undisclosed Partner', 'Not disclosed', '(confidential)')."""
    if name is None or (isinstance(name, float) and name != name):
        return True
    key = normalize_name(str(name))
    return key in PLACEHOLDERS or all(w in PLACEHOLDER_WORDS for w in key.split(" "))


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
        direct: dict[str, str] = {}  # normalised alias -> canonical display name
        spelled: dict[str, str] = {}  # normalised alias -> the alias as written
        for alias, canonical in (aliases or {}).items():
            if normalize_name(alias) != normalize_name(canonical):
                direct[normalize_name(alias)] = canonical
                spelled[normalize_name(alias)] = alias
        # Chains are followed to their end (A -> B, B -> C: A is C); a cycle is an error.
        self._canonical: dict[str, str] = {}
        for key in direct:
            seen = [key]
            target = direct[key]
            while normalize_name(target) in direct:
                step = normalize_name(target)
                if step in seen:
                    loop = " -> ".join([spelled[k] for k in seen] + [target])
                    raise InputError(f"the alias file goes round in a circle ({loop}): "
                                     "each name needs one final canonical name")
                seen.append(step)
                target = direct[step]
            self._canonical[key] = target
        for alias, canonical in (aliases or {}).items():
            if normalize_name(alias) == normalize_name(canonical):
                self._canonical.setdefault(normalize_name(alias), canonical)

    @classmethod
    def from_alias_file(cls, path: str | Path) -> NameResolver:
        """Read an alias file: CSV with columns alias,canonical."""
        from graphkit.loaders.tables import read_table, require_columns

        table = read_table(path)
        cols = require_columns(table, {"alias": ["alias"], "canonical": ["canonical"]})
        mapping: dict[str, str] = {}
        first: dict[str, tuple[int, str]] = {}  # normalised alias -> (row, canonical)
        for i, (alias, canonical) in enumerate(
            zip(table.frame[cols["alias"]], table.frame[cols["canonical"]], strict=True)
        ):
            row = table.row_number(i)
            if not isinstance(alias, str) or not isinstance(canonical, str):
                raise InputError("alias and canonical must both be filled in",
                                 file=path, row=row)
            if not normalize_name(alias) or not normalize_name(canonical):
                raise InputError("name has no letters or digits", file=path, row=row)
            earlier = first.setdefault(normalize_name(alias), (row, canonical))
            if normalize_name(earlier[1]) != normalize_name(canonical):
                raise InputError(f"'{alias}' is mapped to '{canonical}' here and to "
                                 f"'{earlier[1]}' in row {earlier[0]}: an alias has one "
                                 "canonical name; keep one of the rows", file=path, row=row)
            mapping[alias] = canonical
        try:
            return cls(mapping)
        except InputError as exc:
            raise InputError(exc.message, file=path) from None

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
                merges.append(f"{spellings} -> {quoted(display)} (id {quoted(key)}; {how})")
        return Resolution(ids=ids, names=names, aliases=others, merges=merges)


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two organisations whose names look alike but were not merged."""

    a: str  # organisation ids
    b: str
    a_name: str
    b_name: str
    similarity: float  # 0-100, rapidfuzz
    reason: str

    def line(self) -> str:
        first, second = sorted((self.a_name, self.b_name), key=str.casefold)
        return f"'{first}' and '{second}' ({self.reason})"


# Blocks of names sharing a first word are compared pairwise; a block larger than this
# (a table whose names all start alike) is not compared, and the summary says so.
MAX_BLOCK = 5000
SIMILARITY = 90.0


def possible_duplicates(names: dict[str, str]) -> tuple[list[PossibleDuplicate], list[str]]:
    """Pairs of organisations (id -> display name) that may be one, and notes on what was
    not compared.

    Names are folded as for matching (`normalize_name`). A pair is reported when one
    name's words begin the other's ('Toyota' / 'Toyota Motor Corp'), when they are equal
    without spaces ('DaimlerChrysler' / 'Daimler Chrysler'), or when rapidfuzz's
    `fuzz.ratio` of the folded names is at least 90 (spelling variants) within a block of
    names sharing their first three letters. Names that differ in a number ('Fund 1' / 'Fund 2')
    are never paired.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    keys = {org: normalize_name(name) for org, name in names.items()}
    keys = {org: key for org, key in keys.items() if key}
    found: dict[tuple[str, str], tuple[float, str]] = {}

    def add(a: str, b: str, score: float, reason: str) -> None:
        pair = (a, b) if a < b else (b, a)
        if a != b and pair not in found and _digits(keys[a]) == _digits(keys[b]):
            found[pair] = (score, reason)

    by_key: dict[str, str] = {}
    by_compact: dict[str, list[str]] = {}
    blocks: dict[str, list[str]] = {}
    for org, key in keys.items():
        by_key.setdefault(key, org)
        by_compact.setdefault(key.replace(" ", ""), []).append(org)
        blocks.setdefault(_block(key), []).append(org)
    for org, key in keys.items():
        words = key.split(" ")
        for cut in range(1, len(words)):
            prefix = " ".join(words[:cut])
            if prefix in by_key and len(prefix) >= 3:
                add(by_key[prefix], org, 100.0, "one name begins the other")
    for orgs in by_compact.values():
        for other in orgs[1:]:
            # Two ids under one written name (sources that key them apart) are the same
            # name, not a spacing variant.
            same = names.get(orgs[0]) == names.get(other) or keys[orgs[0]] == keys[other]
            add(orgs[0], other, 100.0, "the same name under two ids" if same
                else "same letters, different spacing")
    notes = []
    for first, orgs in blocks.items():  # first: the block key
        if len(orgs) < 2:
            continue
        if len(orgs) > MAX_BLOCK:
            notes.append(f"{len(orgs):,} names begin with '{first.split('|')[0]}': not compared "
                         "with each other for possible duplicates")
            continue
        texts = [keys[o] for o in orgs]
        scores = cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=SIMILARITY,
                       dtype="uint8")
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j:
                add(orgs[i], orgs[j], float(scores[i, j]), f"{scores[i, j]}% similar")
    pairs = [PossibleDuplicate(a, b, names[a], names[b], score, reason)
             for (a, b), (score, reason) in found.items()]
    pairs.sort(key=lambda p: (-p.similarity, p.a_name.casefold(), p.b_name.casefold()))
    return pairs, notes


def _block(key: str) -> str:
    """Names compared pairwise share this: the first three letters and every number."""
    return key.replace(" ", "")[:3] + "|" + " ".join(_digits(key))


def _digits(key: str) -> tuple[str, ...]:
    return tuple(w for w in key.split(" ")
                 if not w.isalpha() and any(map(str.isdigit, w)))


def alias_template(pairs: list[PossibleDuplicate], counts: dict[str, int] | None = None):
    """An alias file (alias, canonical, similarity, reason) proposing to merge each pair
    into the spelling seen more often (else the longer one): the analyst deletes the rows
    that are wrong and passes the file back with --aliases."""
    import pandas as pd

    counts = counts or {}
    rows = []
    for p in pairs:
        keep_a = (counts.get(p.a, 0), len(p.a_name)) >= (counts.get(p.b, 0), len(p.b_name))
        canonical, alias = (p.a_name, p.b_name) if keep_a else (p.b_name, p.a_name)
        rows.append({"alias": alias, "canonical": canonical,
                     "similarity": round(p.similarity), "reason": p.reason})
    return pd.DataFrame(rows, columns=["alias", "canonical", "similarity", "reason"])
