"""Bulk generation: one document per row of a CSV or XLSX file (header row = field names).

Rows are checked and numbered one by one; a bad row is reported with its row number and the
reasons and takes no number, the others go on. The numbered rows are then made and filed in
chunks (`issue.complete`), so LibreOffice starts once per chunk, not once per letter."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import errors
from ..context import Archive
from ..intake.pipeline import Actor
from . import catalogue
from .issue import Issued, complete, reserve

MAX_ROWS = 5_000


@dataclass
class RowResult:
    row: int  # 1-based data row (the header is row 0)
    doc_id: int | None = None
    doc_no: str | None = None
    record_id: int | None = None
    error: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class BulkRun:
    batch: str
    template: str
    rows: list[RowResult]

    @property
    def issued(self) -> int:
        return sum(1 for r in self.rows if r.record_id)

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.rows if r.error]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as {field: text}; blank rows skipped."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:
            raise errors.Corrupt("无法读取该 XLSX 文件，请确认文件未损坏。") from exc
    elif filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise errors.Validation("CSV 文件应为 UTF-8 编码（Excel 可“另存为 CSV UTF-8”）。",
                                    fields={"file": "编码不是 UTF-8"}) from exc
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise errors.UnsupportedType("批量生成只接受 .csv 或 .xlsx 文件。")
    if not table or not any(table[0]):
        raise errors.Validation("文件没有表头行（第一行应为字段名）。", fields={"file": "缺少表头"})
    header = [h.strip() for h in table[0]]
    rows = [dict(zip(header, row, strict=False)) for row in table[1:] if any(c.strip() for c in row)]
    if len(rows) > MAX_ROWS:
        raise errors.Validation(f"一次最多 {MAX_ROWS} 行，本文件有 {len(rows)} 行，请分批。",
                                fields={"file": "行数过多"})
    return [{k: v for k, v in row.items() if k} for row in rows]


def reserve_rows(archive: Archive, template_id: str, rows: list[dict[str, str]], actor: Actor,
                 today: date | None = None) -> BulkRun:
    """Check and number every row; bad rows are reported, not numbered."""
    catalogue.get(template_id)
    run = BulkRun(str(uuid.uuid4()), template_id, [])
    for n, row in enumerate(rows, start=1):
        result = RowResult(n)
        try:
            result.doc_id = reserve(archive, template_id, row, actor, today, batch=run.batch)
        except errors.ArchiveError as exc:
            result.error, result.fields = exc.message, dict(exc.extra.get("fields") or {})
        run.rows.append(result)
    return run


def complete_rows(archive: Archive, run: BulkRun, actor: Actor,
                  progress: Callable[[int, int], None] | None = None) -> BulkRun:
    """Make and file the numbered rows; a row that fails keeps its number and says why."""
    todo = [r for r in run.rows if r.doc_id is not None]

    def step(done: int, issued: Issued | None, failure: str | None) -> None:
        row = todo[done - 1]
        if issued is not None:
            row.doc_no, row.record_id = issued.doc_no, issued.record_id
        else:
            row.error = failure
        if progress:
            progress(done, len(todo))

    complete(archive, [r.doc_id for r in todo], actor, progress=step)
    with archive.db.session() as s:
        from ..models import IssuedDocument

        for r in todo:
            r.doc_no = s.get(IssuedDocument, r.doc_id).doc_no
    return run


def generate(archive: Archive, template_id: str, path: Path, actor: Actor,
             progress: Callable[[int, int], None] | None = None) -> BulkRun:
    """The whole bulk run for the command line."""
    rows = read_rows(path.read_bytes(), path.name)
    return complete_rows(archive, reserve_rows(archive, template_id, rows, actor), actor, progress)
