"""The audit key: 32 random bytes in a file outside the database (docs/security.md).

Where: `ARCHIVE_AUDIT_KEY_FILE`, default `<instance folder>/audit.key`. Created on first start
(mode 0600, hex) if missing, or ahead of time with `archive-app audit init-key`. Someone who can
write the database but not read this file cannot recompute the chain. Back it up with the
database backups but store it apart from them; lose it and entries written under it can no
longer be verified (the database still refuses to change them).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def create(path: Path) -> bytes:
    """Write a new key; refuse to overwrite an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex() + "\n")
    return key


def load(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise ValueError(f"审计密钥文件 {path} 格式不正确（应为 64 位十六进制）。") from exc
    if len(key) < 32:
        raise ValueError(f"审计密钥文件 {path} 太短（至少 32 字节）。")
    return key


def load_or_create(path: Path) -> bytes:
    """The key in `path`, created first if the file does not exist (two processes may race)."""
    if not path.exists():
        try:
            return create(path)
        except FileExistsError:
            pass
    return load(path)
