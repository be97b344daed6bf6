"""Intake: the one way a file becomes a record, shared by the upload page, the API and bulk import.

An ordered list of small stages; each may refuse with an error code of DESIGN.md §4:

    metadata → size → type → container → parse → digest → duplicate → custody → rendition
    → commit (档号 → stamp → blobs → catalogue row, audit entry, index job: one transaction)

A refusal at any stage leaves nothing behind: stages before `commit` write nothing but temp
files (removed), and `commit` undoes the blobs it created when its transaction rolls back, so
there is no row, no blob, no index job and no consumed 件号.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors, localtime
from ..core.context import Archive
from ..core.digests import Digests, digest_file
from ..models import (
    Agency,
    Case,
    CustodyChange,
    FilingCounter,
    IndexJob,
    Matter,
    Record,
    RecordText,
    StoredFile,
    Unit,
    User,
)
from ..ocr import queue as ocr_queue
from ..organisation.access import Action, can
from ..organisation.actor import Actor
from ..records import archival_code
from ..records.archival_code import RETENTIONS
from ..records.custody import CustodyRule, custodian_for, custody_reason
from ..rendition.render import render_pdf, text_to_pdf
from ..rendition.stamp import StampFields
from . import parsing, sniff, zipguard
from .metadata import Checked, Metadata, validate


@dataclass(frozen=True)
class Filed:
    record_id: int
    archival_code: str
    custodian: str
    sha256: str
    pages: int | None
    ocr_pending: bool = False  # a scan: filed now, its text recognised by the OCR queue


@dataclass
class Intake:
    """State handed from stage to stage."""

    archive: Archive
    source: Path
    filename: str
    meta: Metadata
    actor: Actor
    today: date
    workdir: Path
    checked: Checked | None = None
    size: int = 0
    kind: sniff.Kind | None = None
    pages: int | None = None
    text: str = ""
    digests: Digests | None = None
    custodian: Agency | None = None
    custody_note: str = ""
    category: str = "approval"
    rendition: Path | None = None
    notes: list[str] = field(default_factory=list)
    # An issued 公文: kept by its issuing agency (agency code), whatever the custody rule says.
    issuer: str | None = None
    extra_files: list[tuple[Path, str, str]] = field(default_factory=list)  # (path, role, kind key)
    on_commit: Callable[[Session, Record], None] | None = None  # runs inside the filing transaction
    known: tuple[int, str] | None = None  # (pages, text) of a file the system produced itself
    textless: tuple[int, ...] = ()  # pages (0-based) without a text layer: queued for OCR
    prestamped: tuple[StampFields, Path] | None = None  # a 归档章 drawn ahead for a predicted 件号
    stored_ahead: list[str] = field(default_factory=list)  # blobs this filing put before committing
    committed: bool = False
    kept: frozenset[str] = frozenset()  # blobs the committed record refers to (discard keeps them)


Stage = Callable[[Intake], None]


def check_metadata(it: Intake) -> None:
    with it.archive.db.session() as s:
        it.checked = validate(s, it.meta, it.today, matter_optional=it.issuer is not None)
        s.expunge_all()


def check_size(it: Intake) -> None:
    it.size = it.source.stat().st_size
    if it.size == 0:
        raise errors.EmptyFile()
    limit = it.archive.settings.max_upload_bytes
    if it.size > limit:
        raise errors.TooLarge(f"文件大小 {it.size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB。")


def check_type(it: Intake) -> None:
    it.kind = sniff.detect(it.source, it.filename)


def check_container(it: Intake) -> None:
    if it.kind and it.kind.key in sniff.ZIP_KINDS:
        zipguard.check_zip(it.source, it.archive.settings)


def parse_content(it: Intake) -> None:
    if it.known is not None:  # a PDF this system made itself: its text and pages are known
        it.pages, it.text = it.known
        return
    parsed = parsing.parse_file(it.source, it.kind.key, it.archive.settings)
    it.pages, it.text, it.textless = parsed.pages, parsed.text, parsed.textless


def compute_digests(it: Intake) -> None:
    it.digests = digest_file(it.source)


def _existing(archive: Archive, sha256: str) -> Record | None:
    with archive.db.session() as s:
        return s.scalar(select(Record).where(Record.original_sha256 == sha256))


def refuse_duplicate(it: Intake) -> None:
    existing = _existing(it.archive, it.digests.sha256)
    if existing is not None:
        raise _duplicate(it, existing.id)


def _duplicate(it: Intake, existing_id: int) -> errors.ArchiveError:
    """DUPLICATE, naming the kept record only to someone the access policy lets open it: for a
    record another agency keeps, its id and 档号 would tell what it keeps (issue 11 item 11)."""
    with it.archive.db.session() as s:
        existing = s.get(Record, existing_id)
        user = s.scalar(select(User).where(User.username == it.actor.username))
        if it.actor.agency_code is None or can(user, Action.READ_CONTENT, existing, session=s):
            return errors.Duplicate(
                f"同一文件已经归档，档号 {existing.archival_code}（记录 {existing.id}），不能重复归档。",
                existing_id=existing.id, existing_archival_code=existing.archival_code)
        return errors.Duplicate(f"相同的文件已由「{existing.custodian.name}」归档保管，不能重复归档。"
                                "如需查阅，请向该单位提出调阅申请。")


def assign_custodian(it: Intake) -> None:
    """The keeper follows from the record's category (records/custody.py): 审批业务档案 by the matter and the
    形成日期 (第十条), 监管执法 by the department, an issued 公文 by its issuer. A clerk files only
    for their own agency."""
    category = "issued" if it.issuer is not None else (it.meta.category or "approval")
    it.category = category
    matter = it.checked.matter
    with it.archive.db.session() as s:
        rule = None
        if matter is not None:
            m = s.get(Matter, matter.id)
            rule = CustodyRule(m.department.code, m.approving_agency.code, m.transfer_date)
        code = custodian_for(rule, it.checked.formed_on, category, it.issuer)
        it.custodian = s.scalar(select(Agency).where(Agency.code == code))
        s.expunge_all()
    it.custody_note = custody_reason(rule, it.checked.formed_on, category)
    if it.issuer is None and it.actor.agency_code is not None and it.actor.agency_code != code:
        raise errors.WrongCustodian(
            f"{it.custody_note}，应由「{it.custodian.name}」保管。请把文件交该单位档案管理员归档。",
            custodian=code)


def make_rendition(it: Intake) -> None:
    """The unstamped PDF rendition, made before the transaction (LibreOffice can be slow)."""
    key, out = it.kind.key, it.workdir / "rendition.pdf"
    if key in ("jpeg", "png", "tiff"):
        parsing.render_image(it.source, out, it.archive.settings)
    elif key == "text":
        out.write_bytes(text_to_pdf(it.text))
    elif key == "pdf":
        out = it.source
    else:
        data = render_pdf(key, it.source, it.text, it.workdir,
                          office=it.archive.settings.render_office,
                          timeout_s=it.archive.settings.soffice_timeout_s)
        if data is None:
            it.notes.append("未生成 PDF 版式副本")
            return
        out.write_bytes(data)
    if it.pages is None:  # DOCX/XLSX: the page count is the rendition's
        it.pages = parsing.parse_file(out, "pdf", it.archive.settings).pages
    it.rendition = out


STAGES: tuple[Stage, ...] = (
    check_metadata, check_size, check_type, check_container, parse_content, compute_digests,
    refuse_duplicate, assign_custodian, make_rendition,
)


def _unit_for(s, matter: Matter | None, custodian: Agency) -> Unit:
    unit = None
    if matter is not None:
        unit = matter.department_unit if custodian.id == matter.department_id else matter.approving_unit
    if unit is None:
        unit = s.scalar(select(Unit).where(Unit.agency_id == custodian.id)
                        .order_by(Unit.is_default.desc(), Unit.code).limit(1))
    if unit is None:
        raise errors.Validation(f"「{custodian.name}」尚未设置科室（机构代码），请先由管理员添加。")
    return unit


def commit(it: Intake) -> Filed:
    """档号 → 归档章 → blobs → catalogue row, text, files, custody entry, audit, index job."""
    archive, created = it.archive, []
    try:
        with archive.db.transaction() as s:
            if s.bind.dialect.name == "postgresql":
                # Two filings of the same bytes must not race past the duplicate check.
                s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": it.digests.sha256})
            existing = s.scalar(select(Record).where(Record.original_sha256 == it.digests.sha256))
            if existing is not None:
                raise _duplicate(it, existing.id)
            matter = s.get(Matter, it.checked.matter.id) if it.checked.matter else None
            custodian = s.get(Agency, it.custodian.id)
            unit = _unit_for(s, matter, custodian)
            meta, formed_on = it.meta, it.checked.formed_on
            code = archival_code.allocate(s, custodian.fonds_code, formed_on.year, meta.retention, unit.code)
            files: list[StoredFile] = []

            def keep(path: Path, role: str, kind: sniff.Kind, name: str | None,
                     digests: Digests | None = None) -> None:
                d = digests or digest_file(path)
                sha, new = archive.store.put_file(path, d.sha256)
                if new:
                    created.append(sha)
                files.append(StoredFile(role=role, sha256=sha, sm3=d.sm3, size=d.size,
                                        media_type=kind.media_type, extension=kind.extensions[0],
                                        display_name=name))

            keep(it.source, "original", it.kind, _display_name(it.filename), it.digests)
            for path, role, key in it.extra_files:
                keep(path, role, sniff.KINDS[key], None)
            pages = it.pages
            if it.rendition is not None:
                pdf_kind = sniff.KINDS["pdf"]
                if it.rendition != it.source:
                    keep(it.rendition, "rendition", pdf_kind, None)
                stamped = it.workdir / "stamped.pdf"
                fields = StampFields(custodian.fonds_code, formed_on.year, code.item, unit.code,
                                     RETENTIONS[meta.retention], pages)
                if it.prestamped is not None and it.prestamped[0] == fields:
                    stamped = it.prestamped[1]  # drawn ahead with exactly these cells
                else:
                    parsing.stamp(it.rendition, stamped, fields, archive.settings)
                keep(stamped, "stamped", pdf_kind, None)
            case = it.checked.case and s.get(Case, it.checked.case.id)
            if it.checked.new_case:
                case = Case(case_no=meta.case_no, matter_id=matter.id, applicant=meta.applicant,
                            applicant_uscc=meta.applicant_uscc)
                s.add(case)
                s.flush()
            record = Record(
                archival_code=str(code), fonds_code=code.fonds, year=code.year,
                retention=code.retention, unit_code=code.unit, item_no=code.item, title=meta.title,
                doc_no=meta.doc_no, responsible=meta.responsible or custodian.name,
                formed_on=formed_on, doc_type=meta.doc_type, security_level=meta.security_level,
                pages=pages, remarks=meta.remarks, applicant=meta.applicant,
                applicant_uscc=meta.applicant_uscc, original_sha256=it.digests.sha256,
                custodian_id=custodian.id, matter_id=matter.id if matter else None,
                case_id=case.id if case else None, category=it.category,
                filed_by=it.actor.username, files=files,
            )
            s.add(record)
            s.flush()
            s.add(RecordText(record_id=record.id, text=it.text))
            s.add(CustodyChange(record_id=record.id, from_agency_id=None, to_agency_id=custodian.id,
                                reason=f"归档：{it.custody_note}", changed_by=it.actor.username))
            s.add(IndexJob(record_id=record.id, op="upsert"))
            ocr_pending = bool(it.textless) and it.kind.key in ocr_queue.SCAN_KINDS
            if ocr_pending:
                ocr_queue.enqueue(s, record.id, [n + 1 for n in it.textless])
            if it.on_commit is not None:
                it.on_commit(s, record)
            audit.append(s, actor=it.actor.username, agency_code=it.actor.agency_code,
                         action="record.file", object_type="record", object_id=record.id,
                         detail={"archival_code": str(code), "sha256": it.digests.sha256,
                                 "sm3": it.digests.sm3, "size": it.size,
                                 "media_type": it.kind.media_type, "custodian": custodian.code})
            filed = Filed(record.id, str(code), custodian.code, it.digests.sha256, pages, ocr_pending)
        it.committed, it.kept = True, frozenset(f.sha256 for f in files)
    except BaseException as exc:
        for sha in created:
            archive.store.delete(sha)
        if isinstance(exc, IntegrityError):
            existing = _existing(archive, it.digests.sha256)
            if existing is not None:
                raise _duplicate(it, existing.id) from exc
        raise
    return filed


def stamp_cells(it: Intake, known: dict[tuple, tuple[str, str]] | None = None) -> tuple[str, int, str, str] | None:
    """(全宗号, 年度, 保管期限, 机构代码) the 件号 of this filing will be counted under, or None when
    nothing gets stamped. Read outside the filing transaction: a prediction, checked in `commit`
    — so a bulk import may remember (全宗号, 机构代码) per matter and custodian in `known`."""
    if it.rendition is None:
        return None
    key = (it.checked.matter.id if it.checked.matter else None, it.custodian.id)
    if known is None or key not in known:
        with it.archive.db.session() as s:
            matter = s.get(Matter, key[0]) if key[0] is not None else None
            custodian = s.get(Agency, key[1])
            found = (custodian.fonds_code, _unit_for(s, matter, custodian).code)
        if known is None:
            return found[0], it.checked.formed_on.year, it.meta.retention, found[1]
        known[key] = found
    fonds, unit = known[key]
    return fonds, it.checked.formed_on.year, it.meta.retention, unit


def last_item(archive: Archive, cells: tuple[str, int, str, str]) -> int:
    """The last 件号 used under these cells (0: none yet)."""
    with archive.db.session() as s:
        counter = s.get(FilingCounter, cells)
        return counter.last_no if counter else 0


def prestamp(it: Intake, cells: tuple[str, int, str, str], item: int) -> None:
    """Draw the 归档章 for 件号 `item` before the filing transaction (bulk import, so that
    stamping overlaps the previous row's commit). `commit` uses it only if the 件号 it
    allocates and every other cell are the same; otherwise it stamps again."""
    fields = StampFields(cells[0], cells[1], item, cells[3], RETENTIONS[cells[2]], it.pages)
    out = it.workdir / "prestamped.pdf"
    parsing.stamp(it.rendition, out, fields, it.archive.settings)
    store_ahead(it, out)
    it.prestamped = (fields, out)


def store_ahead(it: Intake, path: Path, digests: Digests | None = None) -> None:
    """Put a blob of this filing into the store before the transaction (bulk import: the copy
    and its fsyncs leave the one writer's path). `discard` removes it again unless the filing
    committed and nothing else refers to it."""
    sha, new = it.archive.store.put_file(path, (digests or digest_file(path)).sha256)
    if new:
        it.stored_ahead.append(sha)


def _display_name(filename: str) -> str:
    """The user's file name, for display only: last path part, no control characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return name[:255] or "file"


def prepare(archive: Archive, source: Path, filename: str, meta: Metadata, actor: Actor,
            today: date | None = None, **issued) -> Intake:
    """Every stage before `commit` (nothing written but temp files in the returned workdir).
    Any number of files may be prepared at once; the caller commits them and then `discard`s."""
    workdir = Path(tempfile.mkdtemp(dir=archive.store.tmp, prefix="intake-"))
    it = Intake(archive, source, filename, meta, actor, today or localtime.today(), workdir, **issued)
    try:
        for stage in STAGES:
            stage(it)
    except BaseException:
        discard(it)
        raise
    return it


def discard(it: Intake) -> None:
    """Remove the work folder, and the blobs stored ahead for a filing that did not commit (or
    a pre-drawn stamp it did not use) unless some stored file refers to them."""
    shutil.rmtree(it.workdir, ignore_errors=True)
    loose = [sha for sha in it.stored_ahead if sha not in it.kept]  # the committed record's are kept
    if not loose:
        it.stored_ahead.clear()
        return
    with it.archive.db.session() as s:
        for sha in loose:
            if not s.scalar(select(func.count()).select_from(StoredFile).where(StoredFile.sha256 == sha)):
                it.archive.store.delete(sha)
    it.stored_ahead.clear()


def file_record(archive: Archive, source: Path, filename: str, meta: Metadata, actor: Actor,
                today: date | None = None, **issued) -> Filed:
    """Run every stage on `source` (a file the caller owns and removes) and file it.
    `issued` (issuer, extra_files, on_commit, known) is for documents the system itself issues."""
    it = prepare(archive, source, filename, meta, actor, today, **issued)
    try:
        return commit(it)
    finally:
        discard(it)
