"""What a loader read, kept, merged and dropped, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_EXAMPLES = 5


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """'1 deal', '2 deals', '1,234 deals'."""
    return f"{count:,} {noun if count == 1 else (plural_form or noun + 's')}"


def small_number(value: float, places: int) -> str:
    """A density or share with `places` decimals ('0.087'), or, when those would show
    fewer than two of its digits (0.0001 for 8.2e-05), with three significant digits."""
    if value != 0 and abs(value) < 10 ** -(places - 1):
        return f"{value:.3g}"
    return f"{value:.{places}f}"

MAX_LISTED = 20


def _count(value: int, noun: str) -> str:
    """'1 route', '2 routes' for the plural nouns summaries count ('1 seats' stays)."""
    if value == 1 and noun.endswith("s") and not noun.endswith(("ss", "seats")):
        noun = noun[:-1]
    return f"{value:,} {noun}"


@dataclass
class Dropped:
    """Rows or records left out for one reason, with a few row numbers as examples."""

    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class LoadSummary:
    """The account a loader gives of one source."""

    source: str
    format: str
    read: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    dropped: dict[str, Dropped] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    possible_duplicates: list = field(default_factory=list)  # names.PossibleDuplicate

    def drop(self, reason: str, count: int = 1, examples: list[str] | None = None) -> None:
        """Record `count` items left out for `reason` (examples: where they were)."""
        if count <= 0:
            return
        entry = self.dropped.setdefault(reason, Dropped())
        entry.count += count
        for example in examples or []:  # each place once: 'row 6, row 6' says nothing
            if len(entry.examples) < MAX_EXAMPLES and str(example) not in entry.examples:
                entry.examples.append(str(example))

    def lines(self) -> list[str]:
        """Human-readable account, one fact per line."""
        out = [f"{self.source} ({self.format})"]
        if self.read:
            out.append("  read: " + ", ".join(_count(v, k) for k, v in self.read.items()))
        if self.kept:
            out.append("  kept: " + ", ".join(_count(v, k) for k, v in self.kept.items()))
        for reason, entry in self.dropped.items():
            where = f" (e.g. {', '.join(entry.examples)})" if entry.examples else ""
            out.append(f"  dropped {entry.count:,}: {reason}{where}")
        if self.merges:
            # One line per organisation, each listing the spellings read as its name.
            out.append(f"  merged the names of {plural(len(self.merges), 'organisation')}:")
            out.extend(f"    {m}" for m in self.merges)
        out.extend(f"  note: {n}" for n in self.notes)
        if self.possible_duplicates:
            out.append(f"  possible duplicates, not merged ({len(self.possible_duplicates):,}; "
                       "--suggest-aliases FILE writes them as an alias file to edit and pass "
                       "back with --aliases):")
            out.extend(f"    {d.line()}" for d in self.possible_duplicates[:MAX_LISTED])
            if len(self.possible_duplicates) > MAX_LISTED:
                out.append(f"    ... and {len(self.possible_duplicates) - MAX_LISTED:,} more")
        return out

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "read": self.read,
            "kept": self.kept,
            "merges": self.merges,
            "dropped": {k: {"count": v.count, "examples": v.examples}
                        for k, v in self.dropped.items()},
            "notes": self.notes,
            "possible_duplicates": [{"a": d.a, "b": d.b, "a_name": d.a_name,
                                     "b_name": d.b_name, "similarity": d.similarity,
                                     "reason": d.reason} for d in self.possible_duplicates],
        }
