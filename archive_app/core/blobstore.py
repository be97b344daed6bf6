"""Content-addressed blob store: the one door to files on disk.

A blob's path is derived from its SHA-256 only — never from anything a user typed. Writes go
to a temporary file in the same file system, are fsynced, then renamed into place, so a crash
leaves either the complete blob or nothing (and perhaps a temp file that `sweep_tmp` removes).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.blobs = self.root / "blobs"
        self.tmp = self.root / "tmp"
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        if not _HEX64.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def temp_path(self, suffix: str = "") -> Path:
        """A fresh temp file inside the store (same file system as the blobs, so rename works)."""
        fd, name = tempfile.mkstemp(dir=self.tmp, suffix=suffix)
        os.close(fd)
        return Path(name)

    def put_file(self, source: Path, sha256: str | None = None) -> tuple[str, bool]:
        """Store a copy of `source`; returns (sha256, created). `created` is False when the blob
        was already there — the caller must then not delete it when rolling back."""
        if sha256 is None:
            sha256 = _sha256_of(source)
        target = self.path_for(sha256)
        if target.is_file():
            return sha256, False
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.temp_path()
        try:
            with open(source, "rb") as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
                dst.flush()
                os.fsync(dst.fileno())
            if _sha256_of(tmp) != sha256:
                raise OSError("blob changed while it was being stored")
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        finally:
            tmp.unlink(missing_ok=True)
        return sha256, True

    def put_bytes(self, data: bytes) -> tuple[str, bool]:
        tmp = self.temp_path()
        try:
            tmp.write_bytes(data)
            return self.put_file(tmp, hashlib.sha256(data).hexdigest())
        finally:
            tmp.unlink(missing_ok=True)

    def delete(self, sha256: str) -> None:
        """Only for undoing a blob this very transaction created."""
        self.path_for(sha256).unlink(missing_ok=True)

    def iter_digests(self) -> Iterator[str]:
        for path in self.blobs.glob("*/*/*"):
            if _HEX64.match(path.name):
                yield path.name

    def sweep_tmp(self) -> int:
        """Remove temp files left by a crash; returns how many."""
        count = 0
        for path in self.tmp.iterdir():
            path.unlink(missing_ok=True)
            count += 1
        return count


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
