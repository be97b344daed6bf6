"""Every refusal has its code, a Chinese message and status — and leaves nothing behind:
no row, no blob, no index job, no audit entry, no consumed 件号, no temp file."""

from __future__ import annotations

import io
import zipfile

import pytest

from archive_app.core import errors
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.intake import Actor
from tests import factories as f


def _bomb_docx() -> bytes:
    # 60 MB of zeros deflate to ~60 KB: a ratio far above the limit.
    return f.zip_with({"word/media/zeros.bin": b"\0" * (60 * 1024 * 1024)})


def _many_entries_docx() -> bytes:
    return f.zip_with({f"extra/part{i}.xml": b"<a/>" for i in range(10_050)})


def _truncated_pdf() -> bytes:
    data = f.pdf_bytes(pages=3)
    return data[: len(data) // 2]


def _truncated_png() -> bytes:
    data = f.image_bytes("PNG")
    return data[: len(data) // 2]


def _broken_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<not-closed")
    return buf.getvalue()


BATTERY = [
    ("empty", lambda: b"", "a.pdf", "EMPTY_FILE", 400),
    ("truncated pdf", _truncated_pdf, "a.pdf", "CORRUPT", 422),
    ("pdf without pages", lambda: b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
     "a.pdf", "CORRUPT", 422),
    ("encrypted pdf", f.encrypted_pdf_bytes, "a.pdf", "ENCRYPTED", 422),
    ("encrypted docx", f.encrypted_docx_bytes, "a.docx", "ENCRYPTED", 422),
    ("zip bomb", _bomb_docx, "a.docx", "ARCHIVE_BOMB", 422),
    ("too many entries", _many_entries_docx, "a.docx", "ARCHIVE_BOMB", 422),
    ("overlapping entries", f.overlapping_zip_bytes, "a.docx", "ARCHIVE_BOMB", 422),
    ("path traversal entry", lambda: f.zip_with({"../../evil.sh": b"rm -rf /"}), "a.docx", "CORRUPT", 422),
    ("broken docx xml", _broken_docx, "a.docx", "CORRUPT", 422),
    ("renamed executable", f.pe_executable_bytes, "report.pdf", "UNSUPPORTED_TYPE", 415),
    ("html", lambda: b"<html><body><script>alert(1)</script></body></html>", "a.txt", "UNSUPPORTED_TYPE", 415),
    ("plain zip", lambda: _plain_zip(), "a.docx", "UNSUPPORTED_TYPE", 415),
    ("unknown extension", f.pdf_bytes, "a.exe", "UNSUPPORTED_TYPE", 415),
    ("no extension", f.pdf_bytes, "decision", "UNSUPPORTED_TYPE", 415),
    ("pdf named docx", f.pdf_bytes, "a.docx", "TYPE_MISMATCH", 415),
    ("docx named pdf", f.docx_bytes, "a.pdf", "TYPE_MISMATCH", 415),
    ("png named jpg", lambda: f.image_bytes("PNG"), "a.jpg", "TYPE_MISMATCH", 415),
    ("truncated png", _truncated_png, "a.png", "CORRUPT", 422),
    ("text in an unknown encoding", lambda: bytes(range(0x80, 0x100)) * 4 + b"\n", "a.txt", None, None),
]


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(("label", "maker", "name", "code", "status"), BATTERY, ids=[b[0] for b in BATTERY])
def test_bad_files_are_refused_and_leave_nothing(archive, org, tmp_path, label, maker, name, code, status) -> None:
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), "first.pdf")  # so that counters exist
    before = f.counts(archive)
    with pytest.raises(errors.ArchiveError) as caught:
        f.file_bytes(archive, tmp_path, maker(), name)
    if code is not None:
        assert (caught.value.code, caught.value.status) == (code, status)
    else:
        assert caught.value.code in {"UNSUPPORTED_TYPE", "CORRUPT"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)  # a Chinese message
    assert f.counts(archive) == before
    # the next good filing takes the next number: nothing was consumed
    assert f.file_bytes(archive, tmp_path, f.pdf_bytes(), "next.pdf").archival_code.endswith("-0002")


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("matter", "NOPE", "事项代码「NOPE」不存在"),
    ("title", "", "请填写题名"),
    ("formed_on", "2026-13-01", "YYYY-MM-DD"),
    ("formed_on", "2099-01-01", "不能晚于今天"),
    ("retention", "D20", "保管期限"),
    ("applicant_uscc", "91350100M000100Y44", "统一社会信用代码无效"),
    ("security_level", "绝密级", "密级"),
    ("title", "x" * 501, "不能超过 500"),
])
def test_bad_metadata_is_refused_with_the_field_named(archive, org, tmp_path, field, value, fragment) -> None:
    before = f.counts(archive)
    with pytest.raises(errors.Validation) as caught:
        f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", **{field: value})
    assert fragment in caught.value.message
    assert field in caught.value.extra["fields"]
    assert f.counts(archive) == before


def test_a_duplicate_is_refused_with_the_existing_record(archive, org, tmp_path) -> None:
    data = f.pdf_bytes()
    first = f.file_bytes(archive, tmp_path, data, "a.pdf")
    before = f.counts(archive)
    with pytest.raises(errors.Duplicate) as caught:
        f.file_bytes(archive, tmp_path, data, "copy.pdf", title="另一个题名")
    assert caught.value.extra["existing_id"] == first.record_id
    assert first.archival_code in caught.value.message
    assert f.counts(archive) == before


def test_too_large_is_refused(overrides, tmp_path) -> None:
    archive = Archive.open(load_settings({**overrides, "max_upload_bytes": 2000}))
    f.make_org(archive)
    before = f.counts(archive)
    with pytest.raises(errors.TooLarge) as caught:
        f.file_bytes(archive, tmp_path, f.pdf_bytes(pages=5), "big.pdf")
    assert caught.value.status == 413
    assert f.counts(archive) == before
    archive.db.dispose()


def test_a_parser_that_runs_out_of_memory_is_contained(overrides, tmp_path) -> None:
    """The child's memory limit stops a parser; the parent refuses the file and carries on."""
    archive = Archive.open(load_settings({**overrides, "parse_memory_bytes": 60 * 1024 * 1024}))
    f.make_org(archive)
    with pytest.raises(errors.ArchiveError) as caught:
        f.file_bytes(archive, tmp_path, f.docx_bytes(), "a.docx")
    assert caught.value.code in {"ARCHIVE_BOMB", "CORRUPT"}
    assert f.counts(archive)["records"] == 0
    archive.db.dispose()


def test_a_clerk_cannot_file_a_record_the_other_agency_keeps(archive, org, tmp_path) -> None:
    before = f.counts(archive)
    with pytest.raises(errors.WrongCustodian) as caught:
        f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", formed_on="2021-06-30",
                     actor=Actor("spj_clerk", "SPJ"))
    assert caught.value.status == 409
    assert "安康市人力资源和社会保障局" in caught.value.message  # names the keeper
    assert "2021年7月1日" in caught.value.message
    assert f.counts(archive) == before


def test_a_parser_that_overruns_its_time_is_killed(overrides, tmp_path) -> None:
    archive = Archive.open(load_settings({**overrides, "parse_timeout_s": 0.02}))
    f.make_org(archive)
    before = f.counts(archive)
    with pytest.raises(errors.Corrupt, match="超时"):
        f.file_bytes(archive, tmp_path, f.pdf_bytes(pages=200), "long.pdf")
    assert f.counts(archive) == before
    archive.db.dispose()


@pytest.mark.parametrize(("fmt", "name"), [("TIFF", "scan.tif"), ("JPEG", "scan.jpg")])
def test_truncated_scans_are_refused(archive, org, tmp_path, fmt, name) -> None:
    data = f.image_bytes(fmt)
    before = f.counts(archive)
    with pytest.raises(errors.Corrupt) as caught:
        f.file_bytes(archive, tmp_path, data[: len(data) // 2], name)
    assert caught.value.status == 422 and "图像" in caught.value.message
    assert f.counts(archive) == before


def test_a_scan_of_absurd_pixel_size_is_refused_as_a_bomb(archive, org, tmp_path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (30000, 30000), 1).save(buf, "TIFF", compression="group4")  # 900 megapixels, ~100 kB
    with pytest.raises(errors.ArchiveBomb) as caught:
        f.file_bytes(archive, tmp_path, buf.getvalue(), "scan.tif")
    assert caught.value.status == 422
