"""Bulk generation: one document per row of a CSV or XLSX file (header row = field names).

Rows are checked and numbered one by one; a bad row is reported with its row number and the
reasons and takes no number, the others go on. The numbered rows are then made and filed in
chunks (`issue.complete`), so LibreOffice starts once per chunk, not once per letter."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core import errors
from ..core.config import Settings
from ..core.context import Archive
from ..intake import zipguard
from ..intake.parsing import run_worker
from ..intake.pipeline import Actor
from ..models import IssuedDocument
from . import template_catalogue
from .issue import Issued, complete, reserve


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


def read_rows(data: bytes, filename: str, settings: Settings) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as {field: text}; blank rows skipped.
    The file is read in the limited parse child (`sheet_reader.py`), streamed, up to the row limit."""
    kind = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if kind not in ("csv", "xlsx"):
        raise errors.UnsupportedType("批量生成只接受 .csv 或 .xlsx 文件。")
    with tempfile.TemporaryDirectory(prefix="bulk-") as tmp:
        path = Path(tmp) / f"sheet.{kind}"
        path.write_bytes(data)
        if kind == "xlsx":
            if data[:4] != b"PK\x03\x04":
                raise errors.Corrupt("无法读取该 XLSX 文件，请确认文件未损坏。")
            zipguard.check_zip(path, settings)
        result = run_worker(["sheet-rows", kind, str(path), str(settings.bulk_max_rows)], settings)
    header = result["header"]
    rows = [dict(zip(header, row, strict=False)) for row in result["rows"]]
    return [{k: v for k, v in row.items() if k} for row in rows]


def field_names(template, row: dict[str, str]) -> dict[str, str]:
    """A row whose columns are titled by the fields' Chinese labels (the sample CSV's header, as a
    clerk keeps it) or 「标签（name）」 read under the field names the template uses."""
    by_label = {f.label.strip(): f.name for f in template.fields}
    out = {}
    for key, value in row.items():
        k = key.strip()
        if "（" in k and k.endswith("）"):
            k = k[k.rindex("（") + 1:-1] if k[k.rindex("（") + 1:-1] in {f.name for f in template.fields} else k
        out[by_label.get(k, k)] = value
    return out


def reserve_rows(archive: Archive, template_id: str, rows: list[dict[str, str]], actor: Actor,
                 today: date | None = None) -> BulkRun:
    """Check and number every row; bad rows are reported, not numbered."""
    template = template_catalogue.get(template_id)
    rows = [field_names(template, row) for row in rows]
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

        for r in todo:
            r.doc_no = s.get(IssuedDocument, r.doc_id).doc_no
    return run


def generate(archive: Archive, template_id: str, path: Path, actor: Actor,
             progress: Callable[[int, int], None] | None = None) -> BulkRun:
    """The whole bulk run for the command line."""
    rows = read_rows(path.read_bytes(), path.name, archive.settings)
    return complete_rows(archive, reserve_rows(archive, template_id, rows, actor), actor, progress)
