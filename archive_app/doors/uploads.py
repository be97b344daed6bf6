"""Spooling an uploaded file to a temp file inside the blob store, never under its own name."""

from __future__ import annotations

import shutil
from pathlib import Path

from werkzeug.datastructures import FileStorage

from ..core import errors
from ..core.context import Archive


def spool(archive: Archive, upload: FileStorage | None) -> tuple[Path, str]:
    """(temp path, the name the user gave). The caller deletes the temp file."""
    if upload is None or not upload.filename:
        raise errors.Validation("请选择要归档的文件。", fields={"file": "请选择文件"})
    path = archive.store.temp_path()
    limit = archive.settings.max_upload_bytes
    with open(path, "wb") as out:
        shutil.copyfileobj(upload.stream, out, 1024 * 1024)
    if path.stat().st_size > limit:
        path.unlink(missing_ok=True)
        raise errors.TooLarge(f"文件超过了允许的大小上限（{limit / 1048576:.0f} MB）。")
    return path, upload.filename
