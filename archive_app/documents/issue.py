"""Issuing a document: the one door for the page, the API, bulk runs and the CLI.

    check values → reserve (发文字号 + register row "pending", one transaction)
    → render .docx → PDF (LibreOffice) → file as a record (PDF original, .docx beside it;
      the register row turns "issued" inside the filing transaction)

Bad values are refused before a number is taken, so they cost nothing. Once a number is taken it
is never reused: if making the files fails, the row turns "failed" with the reason and keeps its
number (retry makes the same document again; voiding withdraws it, visibly, in the register). A
crash between the two transactions leaves a "pending" row that `retry` completes.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docx import Document as DocxDocument
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..core import errors, localtime, paging
from ..core.context import Archive
from ..core.db import utcnow
from ..core.paging import Page
from ..intake.metadata import Metadata, validate
from ..intake.pipeline import Actor, file_record
from ..models import Agency, IssuedDocument, Record
from . import issuers, layout, numbering, template_catalogue, values
from .render import render_docx
from .template_catalogue import Template

PREVIEW_NUMBER = "（发文时自动编号）"


@dataclass(frozen=True)
class Issued:
    id: int
    doc_no: str
    status: str
    record_id: int | None
    title: str


def _agency(session: Session, actor: Actor) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == actor.agency_code)) if actor.agency_code else None
    if agency is None:
        raise errors.Validation("请指定发文机关（--agency）。", fields={"agency": "发文机关不存在或未指定"})
    return agency


def _metadata(template: Template, clean: dict[str, str], title: str, doc_no: str, agency: Agency,
              issued_on: date) -> Metadata:
    return Metadata(matter=clean.get("matter", ""), title=title, formed_on=issued_on.isoformat(),
                    retention=template.retention, doc_no=doc_no, responsible=agency.name,
                    applicant=clean.get("applicant") or None, applicant_uscc=clean.get("applicant_uscc") or None,
                    case_no=clean.get("case_no") or None, doc_type=template.doc_type)


def _full_context(session: Session, template: Template, clean: dict[str, str], agency: Agency,
                  doc_no: str, issued_on: date) -> dict[str, object]:
    ctx = values.context(template, clean, session)
    ctx.update(agency_name=agency.name, doc_no=doc_no, date_cn=values.date_cn(issued_on),
               print_date_cn=values.date_cn(issued_on))
    return ctx


def reserve(archive: Archive, template_id: str, data: object, actor: Actor, today: date | None = None,
            batch: str | None = None) -> int:
    """Check the values and take the next 发文字号, all or nothing; returns the register id."""
    template = template_catalogue.get(template_id)
    today = today or localtime.today()
    with archive.db.transaction() as s:
        agency = _agency(s, actor)
        clean = values.check(template, data, s)
        issuers.check(s, template, agency, clean.get("matter"))
        issuers.check_addressee(agency, clean)
        ctx = _full_context(s, template, clean, agency, PREVIEW_NUMBER, today)
        title = values.record_title(template, ctx)
        # The filing checks (case, 统一社会信用代码 …) run now, before a number is spent.
        validate(s, _metadata(template, clean, title, PREVIEW_NUMBER, agency, today), today, matter_optional=True)
        number = numbering.allocate(s, numbering.prefix_for(agency, template.series), today.year)
        doc = IssuedDocument(template_id=template.id, agency_id=agency.id, prefix=number.prefix,
                             year=number.year, seq=number.seq, doc_no=str(number), title=title,
                             issued_on=today, data=json.dumps(clean, ensure_ascii=False, sort_keys=True),
                             status="pending", batch=batch, created_by=actor.username)
        s.add(doc)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="document.reserve",
                     object_type="document", object_id=doc.id,
                     detail={"doc_no": doc.doc_no, "template": template.id})
        return doc.id


def render(archive: Archive, doc_id: int) -> bytes:
    """The .docx of a reserved document, from its stored values and number."""
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, doc_id)
        template = template_catalogue.get(doc.template_id)
        ctx = _full_context(s, template, json.loads(doc.data), doc.agency, doc.doc_no, doc.issued_on)
        return render_docx(template.path, ctx)


def preview_pdf(archive: Archive, template_id: str, data: object, actor: Actor, today: date | None = None) -> bytes:
    """The PDF as it would be issued, without a number; nothing is stored or counted."""
    template = template_catalogue.get(template_id)
    today = today or localtime.today()
    with archive.db.session() as s:
        agency = _agency(s, actor)
        clean = values.check(template, data, s)
        issuers.check(s, template, agency, clean.get("matter"))
        issuers.check_addressee(agency, clean)
        docx = render_docx(template.path, _full_context(s, template, clean, agency, PREVIEW_NUMBER, today))
    workdir = Path(tempfile.mkdtemp(dir=archive.store.tmp, prefix="preview-"))
    try:
        source = workdir / "preview.docx"
        source.write_bytes(docx)
        (pdf,) = layout.convert([source], workdir, archive.settings.soffice_timeout_s)
        if pdf is None:
            raise errors.Unavailable("LibreOffice 未能把该文件转换为 PDF。")
        return pdf.read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def file_document(archive: Archive, doc_id: int, docx: Path, pdf: Path, actor: Actor,
                  known: tuple[int, str] | None = None) -> Issued:
    """File the PDF (original) with the .docx beside it; the register row turns "issued" in the
    same transaction as the template_catalogue row."""
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, doc_id)
        if doc.status not in ("pending", "failed"):
            raise errors.Conflict(f"{doc.doc_no} 已是「{doc.status}」状态，不能再次生成。")
        template = template_catalogue.get(doc.template_id)
        clean = json.loads(doc.data)
        meta = _metadata(template, clean, doc.title, doc.doc_no, doc.agency, doc.issued_on)
        issuer, issued_on = doc.agency.code, doc.issued_on

    def mark_issued(session: Session, record: Record) -> None:
        row = session.get(IssuedDocument, doc_id)
        row.status, row.record_id, row.error = "issued", record.id, None
        row.docx_sha256 = next(f.sha256 for f in record.files if f.role == "source")
        audit.append(session, actor=actor.username, agency_code=actor.agency_code, action="document.issue",
                     object_type="document", object_id=doc_id,
                     detail={"doc_no": row.doc_no, "record_id": record.id})

    filed = file_record(archive, pdf, f"{doc_id}.pdf", meta, actor, today=max(issued_on, localtime.today()),
                        issuer=issuer, extra_files=[(docx, "source", "docx")], on_commit=mark_issued,
                        known=known)
    return Issued(doc_id, meta.doc_no or "", "issued", filed.record_id, meta.title)


def mark_failed(archive: Archive, doc_id: int, reason: str, actor: Actor) -> None:
    with archive.db.transaction() as s:
        doc = s.get(IssuedDocument, doc_id)
        if doc.status in ("pending", "failed"):
            doc.status, doc.error = "failed", reason[:500]
            audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="document.fail",
                         object_type="document", object_id=doc_id,
                         detail={"doc_no": doc.doc_no, "reason": reason[:500]})


def _reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, errors.ArchiveError) else f"系统错误：{type(exc).__name__}"


@dataclass
class _Made:
    """One document's files, made ahead of filing."""

    doc_id: int
    docx: Path | None = None
    pdf: Path | None = None
    known: tuple[int, str] | None = None
    failure: str | None = None


def _docx_text(data: bytes) -> str:
    """The words of a .docx this system rendered (for the search index), paragraph by paragraph."""
    doc = DocxDocument(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(line for line in lines if line.strip())


def _make(archive: Archive, ids: list[int], workdir: Path) -> list[_Made]:
    """Render the .docx files and convert them all in one LibreOffice run."""
    made = [_Made(doc_id) for doc_id in ids]
    texts: dict[int, str] = {}
    for m in made:
        try:
            data = render(archive, m.doc_id)
            m.docx = workdir / f"{m.doc_id}.docx"
            m.docx.write_bytes(data)
            texts[m.doc_id] = _docx_text(data)
        except Exception as exc:
            m.failure = _reason(exc)
    ready = [m for m in made if m.failure is None]
    try:
        pdfs = layout.convert([m.docx for m in ready], workdir, archive.settings.soffice_timeout_s)
    except errors.ArchiveError as exc:
        pdfs = [None] * len(ready)
        for m in ready:
            m.failure = exc.message
    for m, pdf in zip(ready, pdfs, strict=True):
        if m.failure is None and pdf is None:
            m.failure = "LibreOffice 未能把该公文转换为 PDF。"
        elif pdf is not None:
            # Our own LibreOffice output, not an upload: its page count is read here directly.
            m.pdf, m.known = pdf, (len(PdfReader(pdf).pages), texts[m.doc_id])
    return made


def complete(archive: Archive, doc_ids: list[int], actor: Actor,
             progress: Callable[[int, Issued | None, str | None], None] | None = None,
             chunk: int = 25) -> list[Issued | str]:
    """Make and file documents already reserved. Chunks are rendered and converted (one
    LibreOffice run each) on a helper thread while the previous chunk is being filed, so the
    converter and the filing use both cores. Returns, per id, the Issued or the failure reason."""
    results: list[Issued | str] = []
    chunks = [doc_ids[i:i + chunk] for i in range(0, len(doc_ids), chunk)]
    root = Path(tempfile.mkdtemp(dir=archive.store.tmp, prefix="issue-"))
    try:
        with ThreadPoolExecutor(max_workers=1) as helper:
            ahead = helper.submit(_make, archive, chunks[0], root) if chunks else None
            for i in range(len(chunks)):
                made = ahead.result()
                if i + 1 < len(chunks):
                    ahead = helper.submit(_make, archive, chunks[i + 1], root)
                for m in made:
                    outcome: Issued | str
                    if m.failure is not None:
                        outcome = m.failure
                    else:
                        try:
                            outcome = file_document(archive, m.doc_id, m.docx, m.pdf, actor, m.known)
                        except Exception as exc:
                            outcome = _reason(exc)
                    if isinstance(outcome, str):
                        mark_failed(archive, m.doc_id, outcome, actor)
                    results.append(outcome)
                    if progress:
                        progress(len(results), None if isinstance(outcome, str) else outcome,
                                 outcome if isinstance(outcome, str) else None)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return results


def issue(archive: Archive, template_id: str, data: object, actor: Actor, today: date | None = None) -> Issued:
    """Reserve, make and file one document. Raises when it cannot be made (the number then stays
    with the failed register row)."""
    doc_id = reserve(archive, template_id, data, actor, today)
    (outcome,) = complete(archive, [doc_id], actor)
    if isinstance(outcome, str):
        with archive.db.session() as s:
            doc_no = s.get(IssuedDocument, doc_id).doc_no
        raise errors.Unavailable(f"{doc_no} 未能生成：{outcome}（号码已保留，可在发文登记簿中重试或作废）",
                                 document_id=doc_id)
    return outcome


def retry(archive: Archive, doc_id: int, actor: Actor) -> Issued:
    with archive.db.session() as s:
        doc = own_document(s, doc_id, actor)
        if doc.status not in ("pending", "failed"):
            raise errors.Conflict(f"{doc.doc_no} 已是「{doc.status}」状态，无需重试。")
    (outcome,) = complete(archive, [doc_id], actor)
    if isinstance(outcome, str):
        raise errors.Unavailable(f"仍未能生成：{outcome}", document_id=doc_id)
    return outcome


def void(archive: Archive, doc_id: int, reason: str, actor: Actor) -> None:
    """Withdraw a document: it keeps its number and stays in the register, marked 已作废."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise errors.Validation("请填写作废原因（不超过 300 字）。", fields={"reason": "请填写作废原因"})
    with archive.db.transaction() as s:
        doc = own_document(s, doc_id, actor)
        if doc.status == "voided":
            raise errors.Conflict(f"{doc.doc_no} 已作废。")
        doc.status, doc.void_reason, doc.voided_by, doc.voided_at = "voided", reason, actor.username, utcnow()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="document.void",
                     object_type="document", object_id=doc_id, detail={"doc_no": doc.doc_no, "reason": reason})


def own_document(session: Session, doc_id: int, actor: Actor) -> IssuedDocument:
    doc = session.get(IssuedDocument, doc_id)
    if doc is None or (actor.agency_code is not None and doc.agency.code != actor.agency_code):
        raise errors.NotFound("没有找到该公文。")
    return doc


REGISTER_ORDER = (IssuedDocument.year.desc(), IssuedDocument.prefix, IssuedDocument.seq.desc())


def _register_query(agency_code: str | None, year: int | None, statuses: Iterable[str] | None,
                    batch: str | None = None):
    q = select(IssuedDocument).join(Agency)
    if agency_code:
        q = q.where(Agency.code == agency_code)
    if year:
        q = q.where(IssuedDocument.year == year)
    if statuses:
        q = q.where(IssuedDocument.status.in_(list(statuses)))
    if batch:
        q = q.where(IssuedDocument.batch == batch)
    return q


def register_page(archive: Archive, agency_code: str, *, year: int | None = None,
                  statuses: Iterable[str] | None = None, page: int = 1, per_page: int = 50) -> Page[IssuedDocument]:
    """One page of the register (发文登记簿), newest first: a count and the page's rows."""
    q = _register_query(agency_code, year, statuses)
    with archive.db.session() as s:
        total, page = paging.count_and_clamp(s, q, page, per_page)
        rows = list(s.scalars(q.options(selectinload(IssuedDocument.agency)).order_by(*REGISTER_ORDER)
                              .offset((page - 1) * per_page).limit(per_page)))
        s.expunge_all()
    return Page(rows, total, page, per_page)


def register(archive: Archive, agency_code: str | None, *, year: int | None = None,
             statuses: Iterable[str] | None = None, batch: str | None = None) -> list[IssuedDocument]:
    """The register of issued documents (发文登记簿), newest first, voided and failed included."""
    with archive.db.session() as s:
        rows = list(s.scalars(_register_query(agency_code, year, statuses, batch).order_by(*REGISTER_ORDER)))
        for row in rows:
            _ = row.agency.name
        s.expunge_all()
        return rows


def batch(archive: Archive, actor: Actor, batch_id: str) -> list[IssuedDocument]:
    """One bulk run's register rows of the actor's agency, in the order they were numbered."""
    rows = register(archive, actor.agency_code, batch=batch_id)
    if not rows:
        raise errors.NotFound("没有找到该批次。")
    return sorted(rows, key=lambda d: d.id)


def describe(doc: IssuedDocument) -> dict[str, object]:
    return {"id": doc.id, "template": doc.template_id, "doc_no": doc.doc_no, "title": doc.title,
            "issued_on": doc.issued_on.isoformat(), "status": doc.status, "error": doc.error,
            "record_id": doc.record_id, "agency": doc.agency.code, "void_reason": doc.void_reason,
            "created_by": doc.created_by,
            "created_at": localtime.iso_local(doc.created_at) if isinstance(doc.created_at, datetime) else None}
