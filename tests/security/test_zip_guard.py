"""Issue 11 item 12: the zip guard looks at the container as a whole, not only at large entries:
900 entries of just under 1 MiB (≈900 MB declared in a file of about 1 MB) are refused even
where the total-size limit is set high, while an ordinary DOCX full of pictures passes."""

from __future__ import annotations

import os

import pytest

from archive_app.core import errors
from archive_app.core.config import load_settings
from archive_app.intake import zipguard
from tests import factories as f


def _write(tmp_path, data: bytes):
    path = tmp_path / "a.docx"
    path.write_bytes(data)
    return path


def test_many_entries_just_under_one_mib_are_refused_by_the_overall_ratio(overrides, tmp_path) -> None:
    settings = load_settings({**overrides, "zip_max_total_bytes": 1024 ** 3})
    chunk = b"\0" * (1024 * 1024 - 1)
    path = _write(tmp_path, f.zip_with({f"word/media/part{i}.bin": chunk for i in range(900)}))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(errors.ArchiveBomb, match="倍"):
        zipguard.check_zip(path, settings)
    pictures = {f"word/media/image{i}.png": os.urandom(300_000) for i in range(10)}
    zipguard.check_zip(_write(tmp_path, f.zip_with(pictures)), settings)  # no false alarm


def test_the_default_limits_refuse_the_same_container_by_its_total(overrides, tmp_path) -> None:
    chunk = os.urandom(16 * 1024) * 64  # 1 MiB that compresses ~60:1: no ratio alarm
    path = _write(tmp_path, f.zip_with({f"word/media/part{i}.bin": chunk for i in range(600)}))
    with pytest.raises(errors.ArchiveBomb, match="总大小"):
        zipguard.check_zip(path, load_settings(overrides))


def test_too_many_entries_are_refused_by_their_count(overrides, tmp_path) -> None:
    import io
    import zipfile

    settings = load_settings(overrides)
    base = len(zipfile.ZipFile(io.BytesIO(f.docx_bytes())).infolist())
    names = {f"word/media/p{i}.bin": b"" for i in range(settings.zip_max_entries + 1 - base)}
    with pytest.raises(errors.ArchiveBomb, match=f"{settings.zip_max_entries + 1} 个部件"):
        zipguard.check_zip(_write(tmp_path, f.zip_with(names)), settings)
    names.popitem()
    zipguard.check_zip(_write(tmp_path, f.zip_with(names)), settings)  # at the limit: accepted
