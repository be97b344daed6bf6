"""Cells of exported spreadsheets (XLSX, CSV) that a spreadsheet program will never run as formulas.

A 题名 such as `=HYPERLINK("http://…","点此")` typed by one agency ends up in the 归档文件目录 the
other agency opens in Excel/WPS. Following OWASP's "CSV Injection" advice, every value from user
data is written as text, and a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return
(the characters that make a cell a formula or DDE call) is neutralised:

* XLSX: the cell is typed as a string (never a formula) and carries Excel's quote prefix (the
  leading apostrophe of "text as typed"), so the visible text is unchanged;
* CSV: the value gets a leading apostrophe, which all spreadsheet programs show and none runs.

Numbers the report computes (序号, 页数) stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl (with numpy) costs ≈ 0.25 s to import; CSV writers need none of it
    from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or DDE call)?"""
    return text.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """A CSV field: numbers as they are, text with a leading apostrophe when it is risky."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def set_xlsx_value(cell: Cell, value: Any) -> None:
    """Write `value` into `cell`: text always as a string cell, risky text with the quote prefix."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or value is None:
        value = "" if value is None else str(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise make "=…" a formula
        if is_risky(value):
            cell.quotePrefix = True


class SafeCsvWriter:
    """`csv.writer` whose rows pass through `csv_value` (use for every CSV export)."""

    def __init__(self, out: Any) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_value(v) for v in row])
