"""Parallel filing: 件号 stay gapless and unique; the same bytes filed twice at once give one
record and one DUPLICATE refusal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from archive_app.core import errors
from archive_app.models import Record
from tests import factories as f


def test_parallel_filings_get_gapless_unique_numbers(archive, org, tmp_path) -> None:
    files = [f.pdf_bytes(f"并发归档 {i}") for i in range(12)]

    def file_one(i: int) -> str:
        return f.file_bytes(archive, tmp_path, files[i], f"{i}.pdf").archival_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(file_one, range(12)))
    assert len(set(codes)) == 12
    with archive.db.session() as s:
        items = sorted(s.scalars(select(Record.item_no)).all())
    assert items == list(range(1, 13))


def test_the_same_bytes_filed_at_once_are_filed_once(archive, org, tmp_path) -> None:
    data = f.pdf_bytes("同一文件")

    def attempt(i: int) -> str:
        try:
            return f.file_bytes(archive, tmp_path, data, f"{i}.pdf").archival_code
        except errors.Duplicate:
            return "DUPLICATE"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert outcomes.count("DUPLICATE") == 3
    counts = f.counts(archive)
    assert counts["records"] == 1 and counts["item_numbers"] == 1
    with archive.db.session() as s:
        rec = s.scalars(select(Record)).one()
        assert all(archive.store.exists(sf.sha256) for sf in rec.files)
