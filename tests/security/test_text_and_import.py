"""Issue 11 item 6: a real PDF whose extracted text holds NUL (and other C0 controls) is filed —
on PostgreSQL too (`ARCHIVE_TEST_DATABASE_URL`), where such text used to raise psycopg's
DataError — and an unexpected error in one import row is that row's refusal (INTERNAL), never
the end of the run."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from sqlalchemy import select

from archive_app.intake import Actor, pipeline
from archive_app.models import Record, RecordText
from archive_app.records.importer import run_import
from tests import factories as f


def nul_pdf() -> bytes:
    """A PDF whose page shows "Permit<NUL>No<SOH> 42<ESC>end" in Helvetica."""
    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    font = w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                           NameObject("/Subtype"): NameObject("/Type1"),
                                           NameObject("/BaseFont"): NameObject("/Helvetica")}))
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 700 Td (Permit\\000No\\001 42\\033end) Tj ET")
    page[NameObject("/Contents")] = w._add_object(content)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_text_with_nul_characters_is_cleaned_and_filed(archive, org, tmp_path) -> None:
    data = nul_pdf()
    assert "\x00" in PdfReader(io.BytesIO(data)).pages[0].extract_text()  # the file really carries NUL
    filed = f.file_bytes(archive, tmp_path, data, "permit.pdf")
    with archive.db.session() as s:
        text = s.scalar(select(RecordText.text).where(RecordText.record_id == filed.record_id))
    assert "Permit" in text and "42" in text
    assert not any(ord(c) < 32 and c not in "\t\n" for c in text)


def test_an_unexpected_error_in_one_row_refuses_only_that_row(archive, org, tmp_path, monkeypatch, caplog) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    rows = []
    for i in range(3):
        (folder / f"d{i}.pdf").write_bytes(f.pdf_bytes(f"批量 {i}"))
        rows.append({"file": f"d{i}.pdf", "matter": "LWPQ", "title": f"决定书{i}",
                     "formed_on": f"2021-05-0{i + 1}", "retention": "D30"})
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    real_commit = pipeline.commit

    def failing_commit(it):  # stands in for a database error such as psycopg's DataError
        if Path(it.source).name == "d1.pdf":
            raise RuntimeError("invalid byte sequence")
        return real_commit(it)

    monkeypatch.setattr(pipeline, "commit", failing_commit)
    with caplog.at_level(logging.ERROR):
        summary = run_import(archive, folder, None, Actor("console", None, "admin"))
    assert [name for name, _ in summary.filed] == ["d0.pdf", "d2.pdf"]
    assert [(name, code) for name, code, _ in summary.refused] == [("d1.pdf", "INTERNAL")]
    assert "RuntimeError" in summary.refused[0][2] and "invalid byte sequence" in caplog.text
    with archive.db.session() as s:
        assert len(s.scalars(select(Record)).all()) == 2
