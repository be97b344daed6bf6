"""Filing real files of every allowed kind through the one pipeline."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from archive_app import audit
from archive_app.core.digests import digest_bytes
from archive_app.models import CustodyChange, IndexJob, Record, RecordText, StoredFile
from tests import factories as f


@pytest.mark.parametrize(("maker", "name", "pages", "text"), [
    (lambda: f.pdf_bytes("劳务派遣经营许可决定书", pages=3), "决定书.pdf", 3, "劳务派遣经营许可决定书"),
    (lambda: f.docx_bytes("关于变更劳务派遣经营许可的函"), "函.docx", None, "关于变更劳务派遣经营许可的函"),
    (lambda: f.xlsx_bytes("特别审查程序汇总表"), "汇总表.xlsx", None, "特别审查程序汇总表"),
    (lambda: f.ofd_bytes(pages=2, text="电子证照"), "证照.ofd", 2, "电子证照"),
    (lambda: f.image_bytes("JPEG"), "scan.JPG", 1, ""),
    (lambda: f.image_bytes("PNG"), "scan.png", 1, ""),
    (lambda: f.image_bytes("TIFF", frames=3), "scan.tif", 3, ""),
    (lambda: f.text_bytes("人力资源服务许可证核发记录"), "记录.txt", 1, "人力资源服务许可证核发记录"),
])
def test_each_allowed_kind_is_filed(archive, org, tmp_path, maker, name, pages, text) -> None:
    data = maker()
    filed = f.file_bytes(archive, tmp_path, data, name)
    assert filed.sha256 == digest_bytes(data).sha256
    assert filed.custodian == "SPJ"  # formed 2026-03-02, after the transfer date
    assert filed.archival_code == "J001-WS·2026-D30-SWK-0001"
    if pages is not None:
        assert filed.pages == pages
    with archive.db.session() as s:
        rec = s.get(Record, filed.record_id)
        assert rec.item_no == 1 and rec.custodian.code == "SPJ"
        assert text in s.get(RecordText, rec.id).text
        original = rec.file("original")
        assert archive.store.path_for(original.sha256).read_bytes() == data  # never modified
        assert original.sm3 == digest_bytes(data).sm3
        assert s.scalar(select(IndexJob).where(IndexJob.record_id == rec.id)) is not None
        assert s.scalar(select(CustodyChange).where(CustodyChange.record_id == rec.id)).to_agency_id == rec.custodian_id


def test_record_metadata_is_kept(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "x.pdf", doc_no="安行审许〔2026〕3号",
                         applicant="安康市秦巴劳务派遣有限公司", applicant_uscc="91350100M000100Y43",
                         case_no="LWPQ-2026-0001", doc_type="决定", security_level="非密", retention="Y")
    with archive.db.session() as s:
        rec = s.get(Record, filed.record_id)
        assert (rec.doc_no, rec.applicant_uscc, rec.case.case_no, rec.retention) == (
            "安行审许〔2026〕3号", "91350100M000100Y43", "LWPQ-2026-0001", "Y")
        assert rec.responsible == "安康市行政审批服务局"  # defaults to the custodian
        assert rec.archival_code == "J001-WS·2026-Y-SWK-0001"


def test_the_pdf_rendition_carries_the_stamp_and_the_original_is_untouched(archive, org, tmp_path) -> None:
    data = f.pdf_bytes("人力资源服务许可证", pages=2)
    filed = f.file_bytes(archive, tmp_path, data, "a.pdf", retention="D10")
    with archive.db.session() as s:
        rec = s.get(Record, filed.record_id)
        stamped = archive.store.path_for(rec.file("stamped").sha256).read_bytes()
        assert archive.store.path_for(rec.file("original").sha256).read_bytes() == data
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    for value in ("J001", "2026", "0001", "SWK", "10年", "2"):
        assert value in first
    assert "J001" not in reader.pages[1].extract_text()  # only page 1 is stamped
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = [font.get_object() for font in fonts.values()]
    assert any("/DescendantFonts" in font or "/FontDescriptor" in font for font in embedded)
    assert b"/FontFile2" in stamped  # the CJK font is embedded, not referenced


def test_an_image_gets_a_pdf_rendition_and_a_stamped_copy(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.image_bytes("PNG"), "scan.png")
    with archive.db.session() as s:
        roles = {sf.role for sf in s.scalars(select(StoredFile).where(StoredFile.record_id == filed.record_id))}
    assert roles == {"original", "rendition", "stamped"}


@pytest.mark.office
def test_a_docx_is_rendered_by_libreoffice_and_counted(overrides, tmp_path) -> None:
    from archive_app.core.config import load_settings
    from archive_app.core.context import Archive

    archive = Archive.open(load_settings({**overrides, "render_office": True}))
    f.make_org(archive)
    filed = f.file_bytes(archive, tmp_path, f.docx_bytes("关于变更劳务派遣经营许可的函"), "letter.docx")
    assert filed.pages == 1
    with archive.db.session() as s:
        rec = s.get(Record, filed.record_id)
        pdf = archive.store.path_for(rec.file("stamped").sha256).read_bytes()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "关于变更劳务派遣经营许可的函" in text and "J001" in text
    archive.db.dispose()


def test_filing_is_on_the_audit_trail(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    with archive.db.session() as s:
        report = audit.verify(s)
        from archive_app.models import AuditEntry
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "record.file"))
    assert report.ok and entry.object_id == str(filed.record_id)
    assert filed.sha256 in entry.detail


def test_a_hostile_file_name_is_only_displayed(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "../../etc/passwd\x00\n.pdf")
    with archive.db.session() as s:
        original = s.get(Record, filed.record_id).file("original")
    assert original.display_name == "passwd.pdf"
    assert archive.store.path_for(original.sha256).is_relative_to(archive.store.blobs)
    assert not (tmp_path.parent / "etc").exists()


@pytest.mark.office
def test_a_libreoffice_timeout_kills_the_converter_and_files_without_rendition(tmp_path) -> None:
    import subprocess as sp

    from archive_app.core import errors
    from archive_app.rendition.office import convert_to_pdf

    src = tmp_path / "x.docx"
    src.write_bytes(f.docx_bytes())
    with pytest.raises(errors.Unavailable, match="超时"):
        convert_to_pdf(src, "docx", tmp_path, timeout_s=0.01)
    left = sp.run(["pgrep", "-f", f"outdir {tmp_path}"], capture_output=True, text=True, check=False).stdout
    assert left.strip() == ""


def test_stamp_and_watermark_land_on_pages_with_an_offset_media_box() -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    from archive_app.rendition.stamp import StampFields, stamp_pdf
    from archive_app.rendition.watermark import watermark_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(f.pdf_bytes())))
    writer.pages[0].mediabox = RectangleObject([100, 100, 695, 942])  # origin not at (0, 0)
    buf = io.BytesIO()
    writer.write(buf)
    stamped = PdfReader(io.BytesIO(stamp_pdf(buf.getvalue(), StampFields("J001", 2026, 7, "SWK", "30年", 1))))
    assert "0007" in stamped.pages[0].extract_text()  # inside the visible box, so extracted
    marked = PdfReader(io.BytesIO(watermark_pdf(buf.getvalue(), "调阅 DY2026-00001")))
    assert "DY2026-00001" in marked.pages[0].extract_text()
