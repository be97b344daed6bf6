"""Fixity re-reads every blob and compares SHA-256 and SM3 with the catalogue."""

from __future__ import annotations

from archive_app.records import fixity
from tests import factories as f


def test_intact_store_passes(archive, org, tmp_path) -> None:
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    report = fixity.check(archive)
    assert report.ok and report.checked == 2  # original + stamped


def test_changed_and_missing_files_are_listed(archive, org, tmp_path) -> None:
    a = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    b = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "b.pdf")
    path_a = archive.store.path_for(a.sha256)
    path_a.chmod(0o644)
    path_a.write_bytes(path_a.read_bytes() + b"%tampered")
    archive.store.path_for(b.sha256).unlink()
    report = fixity.check(archive)
    assert not report.ok
    assert [(code, role) for code, role, _ in report.changed] == [(a.archival_code, "original")]
    assert [(code, role) for code, role, _ in report.missing] == [(b.archival_code, "original")]


def test_an_orphan_blob_is_reported_but_not_an_error(archive, org, tmp_path) -> None:
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    sha, _ = archive.store.put_bytes(b"left behind by a crash")
    report = fixity.check(archive)
    assert report.ok and report.orphans == [sha]
