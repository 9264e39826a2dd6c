"""Writing tables and JSON atomically, in UTF-8, whatever the platform default."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.atomic import atomic_open


def _plain(value: object) -> object:
    """JSON-safe values: numpy scalars to Python, NaN to null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# Cells a spreadsheet would run as a formula: '=', '+', '-', '@' first, or a tab or
# carriage return (OWASP, "CSV Injection"). CSV written for people gets a leading "'"
# on such text cells, so Excel and LibreOffice show them as text; `raw_csv(True)` turns it
# off for scripts (graphkit --raw-csv).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RAW = {"csv": False}


def raw_csv(raw: bool) -> None:
    """Write CSV cells exactly as they are (True) or neutralise formulas (False, default)."""
    _RAW["csv"] = raw


def _safe_text(value: object) -> object:
    """A cell as a spreadsheet should get it: no formula (see FORMULA_START), and no NUL
    byte, which cuts the cell short in spreadsheets and C readers (shown as U+FFFD)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "\ufffd")
    return "'" + value if value.startswith(FORMULA_START) else value


def as_written(value: object) -> object:
    """A cell read back from CSV written for people: the "'" `_safe_text` put before a
    formula-like cell ('=cmd') comes off."""
    text = str(value)
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else value


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas (see FORMULA_START) and
    hold no NUL byte."""
    if _RAW["csv"]:
        return frame
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_safe_text)
    if out.columns.dtype == object:
        out.columns = ["'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c
                       for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, for_people: bool = True) -> Path:
    """Write a table as UTF-8 CSV, atomically; formula cells are neutralised in CSV for
    people (not in files for machines, such as neo4j-admin's)."""
    with atomic_open(path) as handle:
        (safe_cells(frame) if for_people else frame).to_csv(handle, index=False)
    return Path(path)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as Parquet (pyarrow), atomically: for Stata, R and pandas alike."""
    with atomic_open(path, "wb") as handle:
        frame.to_parquet(handle, index=False)
    return Path(path)


def write_json(data: object, path: str | Path) -> Path:
    with atomic_open(path) as handle:
        json.dump(_plain(data), handle, indent=1, ensure_ascii=False, default=str)
        handle.write("\n")
    return Path(path)


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for people to read: whole-number columns as integers (years 2019, not
    2019.0), missing values blank (not NaN), lists joined with '; '."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            present = values.dropna()
            if len(present) and (present == present.round()).all():
                out[column] = values.astype("Int64")
        cells = out[column].astype(object)
        cells = cells.map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple))
                          else v)
        out[column] = cells.where(cells.notna(), "")
    return out


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts."""
    return _plain(frame.to_dict("records"))
