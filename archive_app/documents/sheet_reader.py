"""Reading the bulk 公文 sheet (CSV or XLSX) — in the limited parse child, never in the web
process: an uploaded sheet is as untrusted as any file (a 166 KB XLSX declaring 16,384 columns
took 29 s of CPU in the web process). Rows are streamed and reading stops at the row limit
(`ARCHIVE_BULK_MAX_ROWS`, default 2,000); only the first MAX_COLUMNS columns are read, and a
sheet that is mostly blank rows stops being read after a bounded number of them.

`read_sheet` answers like every worker call: ``{"ok": True, "header": [...], "rows": [[...]]}``
or ``{"ok": False, "code": ..., "message": ...}``.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

MAX_COLUMNS = 200
MAX_CELL_CHARS = 20_000


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:MAX_CELL_CHARS]


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    with open(path, "rb") as fh:
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            sheet = wb.worksheets[0]
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                yield [_cell(v) for v in row]
        finally:
            wb.close()


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            yield [c[:MAX_CELL_CHARS] for c in row[:MAX_COLUMNS]]


def read_sheet(path: Path, kind: str, max_rows: int) -> dict:
    """Header and non-blank data rows of the first sheet, refusing past `max_rows`."""
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    rows_of = _xlsx_rows if kind == "xlsx" else _csv_rows
    try:
        source = rows_of(path)
        header = next(source, None)
        if header is None or not any(h.strip() for h in header):
            return {"ok": False, "code": "VALIDATION", "message": "文件没有表头行（第一行应为字段名）。"}
        rows: list[list[str]] = []
        blank_budget = max_rows * 10 + 1000  # a sheet of endless blank rows is not read to its end
        for row in itertools.islice(source, max_rows + blank_budget):
            if any(c.strip() for c in row):
                rows.append(row)
                if len(rows) > max_rows:
                    return {"ok": False, "code": "VALIDATION",
                            "message": f"一次最多 {max_rows} 行，本文件超过 {max_rows} 行，请分批。"}
        return {"ok": True, "header": [h.strip() for h in header], "rows": rows}
    except UnicodeDecodeError:
        return {"ok": False, "code": "VALIDATION",
                "message": "CSV 文件应为 UTF-8 编码（Excel 可“另存为 CSV UTF-8”）。"}
    except csv.Error as exc:
        return {"ok": False, "code": "VALIDATION", "message": f"CSV 文件格式有误：{exc}。"}
    except MemoryError:
        raise
    except Exception:  # any failure of the XLSX reader means the file cannot be read
        return {"ok": False, "code": "CORRUPT", "message": "无法读取该 XLSX 文件，请确认文件未损坏。"}
