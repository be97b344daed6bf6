"""SHA-256 and SM3 (GB/T 32905) in one pass over a file: DA/T 70 authenticity needs both."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024


def _sm3():
    try:
        return hashlib.new("sm3")
    except ValueError as exc:  # OpenSSL built without SM3
        raise RuntimeError("This Python's OpenSSL has no SM3; use Debian's OpenSSL 3.") from exc


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str
    size: int


def digest_file(path: Path) -> Digests:
    sha, sm3, size = hashlib.sha256(), _sm3(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return Digests(sha.hexdigest(), sm3.hexdigest(), size)


def digest_bytes(data: bytes) -> Digests:
    sm3 = _sm3()
    sm3.update(data)
    return Digests(hashlib.sha256(data).hexdigest(), sm3.hexdigest(), len(data))
