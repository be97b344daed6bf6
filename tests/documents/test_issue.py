"""Issuing through real LibreOffice: the PDF is the archived 版式 file, the .docx kept beside it,
filed under the issuing agency with the 发文字号 as 文号; failures keep their number."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from archive_app import documents
from archive_app.core import errors
from archive_app.documents import bulk
from archive_app.models import AuditEntry, IndexJob, IssuedDocument, Record
from tests.documents.conftest import RSJ_STAFF, SPJ_STAFF

MM = 72 / 25.4


def _pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_issuing_files_the_pdf_with_the_docx_beside_it(archive, org, soffice) -> None:
    data = {**documents.get("supervision-info-letter").example(), "matter": "LWPQ",
            "content": "检查发现 A&B <公司> 未公示许可证。\n责令限期整改。"}
    issued = documents.issue(archive, "supervision-info-letter", data, RSJ_STAFF, date(2026, 11, 20))
    assert issued.doc_no == "安人社函〔2026〕1号"
    with archive.db.session() as s:
        rec = s.get(Record, issued.record_id)
        assert rec.custodian.code == "RSJ" and rec.doc_no == issued.doc_no  # kept by the issuer
        assert rec.matter.code == "LWPQ" and rec.formed_on == date(2026, 11, 20)
        assert rec.doc_type == "函" and rec.responsible == "安康市人力资源和社会保障局"
        assert {f.role for f in rec.files} == {"original", "source", "stamped"}
        original, source = rec.file("original"), rec.file("source")
        assert original.media_type == "application/pdf" and source.extension == "docx"
        assert s.scalar(select(IndexJob).where(IndexJob.record_id == rec.id)) is not None
        doc = s.get(IssuedDocument, issued.id)
        assert doc.status == "issued" and doc.record_id == rec.id and doc.docx_sha256 == source.sha256
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "document")))
        assert actions == ["document.reserve", "document.issue"]
        pdf = archive.store.path_for(original.sha256).read_bytes()
    text = _pdf_text(pdf)
    assert "安人社函〔2026〕1号" in text and "A&B<公司>" in text and "责令限期整改" in text
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)


def test_the_pdf_keeps_the_gbt_9704_margins(archive, org, soffice, tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is needed: apt-get install poppler-utils")
    t = documents.get("policy-transmittal-letter")
    issued = documents.issue(archive, t.id, {**t.example(), "summary": "长" * 600}, RSJ_STAFF)
    with archive.db.session() as s:
        sha = s.get(Record, issued.record_id).file("original").sha256
    html = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(archive.store.path_for(sha)), "-"],
                          capture_output=True, text=True, check=True).stdout
    boxes = [tuple(float(v) for v in m) for m in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)]
    body = [b for b in boxes if b[3] < 297 * MM - 35 * MM]  # leave out the page number under the type area
    left, right = min(b[0] for b in body) / MM, max(b[2] for b in body) / MM
    top = min(b[1] for b in body) / MM
    assert 27 <= left <= 29.5, left  # left margin 28 mm
    assert 210 - right >= 25, right  # right margin 26 mm (a closing punctuation may hang a little)
    assert 36 <= top <= 40, top  # top margin 37 mm


def test_a_bulk_run_reports_bad_rows_and_issues_the_rest(archive, org, soffice, tmp_path: Path) -> None:
    t = documents.get("archive-lookup-letter")
    good = t.example()
    csv_text = ",".join(good) + "\n"
    rows = [good, {**good, "mode": "偷看"}, {**good, "purpose": "第三行"}, {**good, "period_days": "abc"},
            {**good, "purpose": "第五行"}]
    for row in rows:
        csv_text += ",".join(f'"{row[k]}"' for k in good) + "\n"
    path = tmp_path / "rows.csv"
    path.write_text(csv_text, encoding="utf-8-sig")
    seen = []
    run = bulk.generate(archive, t.id, path, SPJ_STAFF, progress=lambda done, total: seen.append((done, total)))
    assert [r.row for r in run.failed] == [2, 4]
    assert "mode" in run.failed[0].fields and "period_days" in run.failed[1].fields
    assert [r.doc_no for r in run.rows if r.record_id] == ["安行审函〔2026〕1号", "安行审函〔2026〕2号",
                                                          "安行审函〔2026〕3号"]
    assert seen[-1] == (3, 3)
    with archive.db.session() as s:
        titles = list(s.scalars(select(Record.title).order_by(Record.id)))
    assert titles[1] == "关于调阅业务档案的函（第三行）"


def test_bulk_reads_xlsx_with_dates_and_numbers(archive, org) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["topic", "meeting_date", "period"])
    wb.active.append(["议题", date(2026, 12, 3), 7])
    buf = io.BytesIO()
    wb.save(buf)
    assert bulk.read_rows(buf.getvalue(), "x.xlsx", archive.settings) == [{"topic": "议题", "meeting_date": "2026-12-03", "period": "7"}]
    with pytest.raises(errors.UnsupportedType):
        bulk.read_rows(b"a,b", "rows.txt", archive.settings)
    with pytest.raises(errors.Validation):
        bulk.read_rows("标题".encode("gbk"), "rows.csv", archive.settings)


def test_a_converter_failure_keeps_the_number_and_retry_finishes_it(archive, org, soffice, monkeypatch) -> None:
    t = documents.get("archive-lookup-letter")
    monkeypatch.setenv("ARCHIVE_SOFFICE", "/bin/false")
    with pytest.raises(errors.Unavailable) as caught:
        documents.issue(archive, t.id, t.example(), SPJ_STAFF)
    doc_id = caught.value.extra["document_id"]
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, doc_id)
        assert (doc.doc_no, doc.status, doc.record_id) == ("安行审函〔2026〕1号", "failed", None)
        assert "PDF" in doc.error
        assert s.scalar(select(Record)) is None
    monkeypatch.setenv("ARCHIVE_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(errors.Unavailable, match="未安装 LibreOffice"):
        documents.retry(archive, doc_id, SPJ_STAFF)
    monkeypatch.delenv("ARCHIVE_SOFFICE")
    issued = documents.retry(archive, doc_id, SPJ_STAFF)
    assert issued.doc_no == "安行审函〔2026〕1号" and issued.record_id
    with pytest.raises(errors.Conflict):
        documents.retry(archive, doc_id, SPJ_STAFF)

