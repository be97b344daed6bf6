"""Legacy 办件 registers: `archive-app cases import FILE` and POST /api/v1/cases/import.

CSV (UTF-8, with or without BOM, or GB18030 as Excel saves it in China) or XLSX; Chinese or English
column names. Every row is checked whole before anything is written; a bad row (unknown matter,
invalid 统一社会信用代码, dates out of order, a 办件编号 already registered with different data, a case
another agency approves) goes to the refusal list with its row number and reason. Rows are written
in batches, each batch one transaction together with the import's progress, so a rerun of the same
file (by SHA-256) resumes after the last committed batch and nothing is half-written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors, uscc
from ..core.citations import cite
from ..core.context import Archive
from ..models import Agency, Case, CaseEvent, CaseImport, Matter
from ..organisation.access import Action, can_record_case, require
from ..workdays import Calendar
from .register import CASE_NO_MAX, Person, set_deadline

BATCH = 500
MAX_BYTES = 50 * 1024 * 1024
COLUMNS = {  # key → accepted header names (Chinese first)
    "case_no": ("办件编号", "受理编号", "case_no"),
    "matter": ("事项", "事项代码", "事项名称", "matter"),
    "applicant": ("申请人", "申请单位", "applicant"),
    "applicant_uscc": ("统一社会信用代码", "信用代码", "applicant_uscc", "uscc"),
    "received_on": ("受理日期", "received_on"),
    "decided_on": ("决定日期", "decided_on"),
    "decision": ("决定", "决定结果", "decision"),
    "certificate_no": ("许可证号", "证书编号", "certificate_no"),
    "valid_until": ("有效期至", "有效期", "valid_until"),
    "served_on": ("送达日期", "served_on"),
}
REQUIRED = ("case_no", "matter", "applicant", "received_on")
DECISIONS = ("准予许可", "不予许可")


@dataclass
class Report:
    import_id: int
    total_rows: int
    done_rows: int
    imported: int
    skipped_existing: int = 0
    resumed_from: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    finished: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"import_id": self.import_id, "total_rows": self.total_rows, "done_rows": self.done_rows,
                "imported": self.imported, "skipped_existing": self.skipped_existing,
                "resumed_from": self.resumed_from, "refused": self.refused, "finished": self.finished}


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional) or GB18030; anything else is refused with the reason."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise errors.Validation("文件编码无法识别：请保存为 UTF-8 或 GB18030（GBK）编码的 CSV，或 XLSX。",
                                fields={"file": "编码不是 UTF-8 或 GB18030"}) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """(header, rows) from CSV or XLSX bytes."""
    if not data:
        raise errors.EmptyFile()
    if len(data) > MAX_BYTES:
        raise errors.TooLarge(f"登记簿文件超过 {MAX_BYTES // 1024 // 1024} MB，请分成几个文件导入。")
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise errors.Corrupt("XLSX 文件无法打开，可能已损坏。") from exc
        rows = [[_cell(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    else:
        try:
            rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(decode(data), newline=""))]
        except csv.Error as exc:
            raise errors.Validation(f"CSV 格式有误：{exc}", fields={"file": "CSV 格式有误"}) from exc
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise errors.Validation("文件中没有表头和数据。", fields={"file": "空表"})
    return rows[0], rows[1:]


def header_map(header: list[str]) -> dict[str, int]:
    names = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        key = names.get(name.strip().lstrip("\ufeff").lower())
        if key and key not in found:
            found[key] = i
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise errors.Validation("表头缺少必填列：" + "、".join(missing) + "。可用的列名："
                                + "、".join(f"{v[0]}（{v[-1]}）" for v in COLUMNS.values()) + "。",
                                fields={"file": "缺少列：" + "、".join(missing)})
    return found


def _date(value: str, label: str, problems: list[str]) -> date | None:
    if not value:
        return None
    text = value[:10].replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        problems.append(f"{label}「{value}」不是有效日期（应为 YYYY-MM-DD）")
        return None


@dataclass
class Row:
    case_no: str
    matter: Matter
    applicant: str
    applicant_uscc: str | None
    received_on: date
    decided_on: date | None
    decision: str | None
    certificate_no: str | None
    valid_until: date | None
    served_on: date | None

    def same_as(self, case: Case) -> bool:
        return (case.matter_id, case.applicant, case.applicant_uscc, case.received_on, case.decided_on,
                case.decision, case.certificate_no, case.valid_until, case.served_on) == (
            self.matter.id, self.applicant, self.applicant_uscc, self.received_on, self.decided_on,
            self.decision, self.certificate_no, self.valid_until, self.served_on)


def check_row(values: dict[str, str], matters: dict[str, Matter]) -> tuple[Row | None, str | None]:
    """One row → a Row, or the reason it is refused (all problems of the row, joined)."""
    problems: list[str] = []
    for key in REQUIRED:
        if not values.get(key):
            problems.append(f"缺少{COLUMNS[key][0]}")
    case_no = values.get("case_no", "")
    if case_no and (len(case_no) > CASE_NO_MAX or any(c.isspace() or not c.isprintable() for c in case_no)):
        problems.append("办件编号过长或含空白字符")
    matter = matters.get(values.get("matter", ""))
    if values.get("matter") and matter is None:
        problems.append(f"事项「{values['matter']}」不存在")
    if len(values.get("applicant", "")) > 200:
        problems.append("申请人超过 200 个字符")
    code = uscc.normalize(values.get("applicant_uscc", "")) or None
    if code and not uscc.is_valid(code):
        problems.append(f"统一社会信用代码「{code}」无效（应为18位，且校验位正确）")
    received = _date(values.get("received_on", ""), "受理日期", problems)
    decided = _date(values.get("decided_on", ""), "决定日期", problems)
    valid_until = _date(values.get("valid_until", ""), "有效期至", problems)
    served = _date(values.get("served_on", ""), "送达日期", problems)
    decision = values.get("decision") or None
    certificate = values.get("certificate_no") or None
    if decision and decision not in DECISIONS:
        problems.append("决定应为：" + "、".join(DECISIONS))
    if decision and not decided:
        problems.append("有决定时须填写决定日期")
    if decided and not decision:
        problems.append("有决定日期时须填写决定")
    if decision == "准予许可" and not certificate:
        problems.append("准予许可须填写许可证号")
    if decision == "不予许可" and (certificate or valid_until):
        problems.append("不予许可不应有许可证号或有效期")
    if (certificate or valid_until or served) and not decided:
        problems.append("许可证号、有效期、送达日期须在作出决定后才有")
    if received and decided and decided < received:
        problems.append(f"决定日期 {decided} 早于受理日期 {received}")
    if decided and valid_until and valid_until <= decided:
        problems.append(f"有效期至 {valid_until} 不晚于决定日期 {decided}")
    if decided and served and served < decided:
        problems.append(f"送达日期 {served} 早于决定日期 {decided}")
    if problems:
        return None, "；".join(problems)
    assert matter is not None and received is not None
    return Row(case_no, matter, values["applicant"], code, received, decided, decision, certificate, valid_until,
               served), None


def _rows(header: list[str], body: list[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    cols = header_map(header)
    for n, raw in enumerate(body, start=2):  # row 1 is the header
        if not any(raw):
            continue
        yield n, {k: (raw[i].strip() if i < len(raw) and raw[i] else "") for k, i in cols.items()}


def _write(session: Session, rows: list[Row], user: Person, calendar: Calendar) -> None:
    """The batch's new cases in one flush, then their decision and service events."""
    cases = []
    for row in rows:
        case = Case(case_no=row.case_no, matter=row.matter, matter_id=row.matter.id, applicant=row.applicant,
                    applicant_uscc=row.applicant_uscc, received_on=row.received_on, decided_on=row.decided_on,
                    decision=row.decision, certificate_no=row.certificate_no, valid_until=row.valid_until,
                    served_on=row.served_on,
                    status="served" if row.served_on else "decided" if row.decided_on else "received")
        set_deadline(case, calendar)
        cases.append(case)
    session.add_all(cases)
    session.flush()
    events = []
    for row, case in zip(rows, cases, strict=True):
        if row.decided_on:
            events.append(CaseEvent(case_id=case.id, kind="decision", occurred_on=row.decided_on,
                                    agency_id=user.agency_id, summary="登记簿导入", decision=row.decision,
                                    certificate_no=row.certificate_no, valid_until=row.valid_until,
                                    created_by=user.username))
        if row.served_on:
            events.append(CaseEvent(case_id=case.id, kind="service", occurred_on=row.served_on,
                                    agency_id=user.agency_id, summary="登记簿导入", created_by=user.username))
    session.add_all(events)


def run(archive: Archive, user: Person, data: bytes, filename: str,
        progress: Callable[[int, int], None] | None = None) -> Report:
    """Import (or resume importing) one register file; returns the report of the whole file."""
    require(user, Action.RECORD_CASE)
    header, body = read_rows(data)
    rows = list(_rows(header, body))
    sha = hashlib.sha256(data).hexdigest()
    with archive.db.transaction() as s:
        job = s.scalar(select(CaseImport).where(CaseImport.sha256 == sha))
        if job is None:
            job = CaseImport(sha256=sha, filename=filename[:255], total_rows=len(rows), created_by=user.username)
            s.add(job)
            s.flush()
        job_id, start, imported = job.id, job.done_rows, job.imported
        refused = json.loads(job.refused)
    report = Report(job_id, len(rows), start, imported, resumed_from=start, refused=refused)
    if progress:
        progress(start, len(rows))
    with archive.db.session() as s:
        matters = {m.code: m for m in s.scalars(select(Matter))}
        matters.update({m.name: m for m in matters.values()})
        s.expunge_all()
    calendar = None
    for offset in range(start, len(rows), BATCH):
        batch = rows[offset:offset + BATCH]
        with archive.db.transaction() as s:
            calendar = calendar or Calendar.from_db(s)
            local = {code: s.merge(m, load=False) for code, m in matters.items()}
            nos = [v.get("case_no", "") for _, v in batch]
            existing = {c.case_no: c for c in s.scalars(select(Case).where(Case.case_no.in_(nos)))}
            seen: dict[str, Row] = {}
            added = skipped = 0
            new_refusals: list[dict[str, Any]] = []
            for n, values in batch:
                row, reason = check_row(values, local)
                if row is not None and not can_record_case(user, row.matter, row.decided_on or row.received_on,
                                                              "approval"):
                    row, reason = None, f"该办件由其他单位审批，只能由审批机关导入（{cite('who_approves')}）"
                if row is not None:
                    prior = existing.get(row.case_no) or seen.get(row.case_no)
                    if (isinstance(prior, Case) and row.same_as(prior)) or (isinstance(prior, Row) and prior == row):
                        skipped += 1
                        continue
                    if prior is not None:
                        row, reason = None, f"办件编号「{row.case_no}」已登记，且内容与本行不同"
                if row is None:
                    new_refusals.append({"row": n, "case_no": values.get("case_no") or None, "reason": reason})
                    continue
                seen[row.case_no] = row
                added += 1
            _write(s, list(seen.values()), user, calendar)
            job = s.get(CaseImport, job_id)
            job.done_rows = offset + len(batch)
            job.imported += added
            refused = json.loads(job.refused) + new_refusals
            job.refused = json.dumps(refused, ensure_ascii=False)
            job.finished = job.done_rows >= len(rows)
            agency = s.get(Agency, user.agency_id)
            audit.append(s, actor=user.username, agency_code=agency.code if agency else None, action="case.import",
                         object_type="case_import", object_id=job_id,
                         detail={"file": filename[:100], "rows": [offset + 1, offset + len(batch)],
                                 "imported": added, "refused": len(new_refusals), "unchanged": skipped})
        report.done_rows, report.imported = offset + len(batch), report.imported + added
        report.skipped_existing += skipped
        report.refused = refused
        if progress:
            progress(report.done_rows, len(rows))
    report.finished = report.done_rows >= len(rows)
    if not rows:
        with archive.db.transaction() as s:
            s.get(CaseImport, job_id).finished = True
        report.finished = True
    return report


def run_upload(archive: Archive, user: Person, upload: Any) -> Report:
    """The API's door: a multipart `file` field."""
    if upload is None or not upload.filename:
        raise errors.Validation("请上传登记簿文件（CSV 或 XLSX）。", fields={"file": "缺少文件"})
    data = upload.read(MAX_BYTES + 1)
    return run(archive, user, data, upload.filename)
