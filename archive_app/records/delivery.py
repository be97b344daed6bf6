"""Handing out a record's content: policy check, audit entry, then the bytes. Pages and API both
come through here, so no view or download escapes the policy or the trail. A PDF handed out
under a lookup request (调阅) carries a visible watermark naming the requester; under a lookup
request nothing else is handed out — not an original DOCX/XLSX/image nor an issued letter's .docx
— only the watermarked PDF copy (the 归档章 copy, else the rendition, else a PDF original)."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from .. import audit
from ..core import errors, localtime
from ..core.context import Archive
from ..intake import parsing
from ..models import Record, User
from ..organisation.access import Action, active_grant, require

log = logging.getLogger(__name__)
ROLES = {"original": "原件", "stamped": "加盖归档章的 PDF 副本", "rendition": "PDF 副本",
         "source": "可编辑的 .docx 底稿"}
DOWNLOADS = ("original", "source")  # whole files handed over, not just shown


@dataclass(frozen=True)
class Content:
    data: bytes | None
    path: Path | None
    media_type: str
    download_name: str
    watermarked: bool


def _refuse_if_damaged(archive: Archive, user: User, record: Record, stored, path: Path, channel: str) -> None:
    """A blob whose bytes no longer match the digest recorded at filing is not handed out
    (DA/T 70 真实性): the attempt is audited and the user told; `archive-app fixity` lists it."""
    size, digest = 0, hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            digest.update(chunk)
    if size == stored.size and digest.hexdigest() == stored.sha256:
        return
    log.error("content of record %s (%s) does not match its digest %s", record.id, stored.role, stored.sha256)
    with archive.db.transaction() as s:
        audit.append(s, actor=user.username, agency_code=user.agency.code, action="record.content_damaged",
                     object_type="record", object_id=record.id,
                     detail={"role": stored.role, "sha256": stored.sha256, "channel": channel})
    raise errors.ContentDamaged(
        f"档案 {record.archival_code} 的{ROLES.get(stored.role, '文件')}在存储中已被改动或损坏（校验值与归档时不符），"
        "为保证真实性不予提供。此次访问已记录，请联系档案管理员用备份恢复（archive-app fixity 可列出全部受影响文件）。")


def open_content(archive: Archive, session: Session, user: User | None, record: Record, role: str,
                 channel: str) -> Content:
    asked = role
    action = Action.DOWNLOAD if role in DOWNLOADS else Action.READ_CONTENT
    require(user, action, record, session=session)
    stored = record.file(role)
    if stored is None:
        raise errors.NotFound(f"该档案没有{ROLES.get(role, '该文件')}。")
    path = archive.store.path_for(stored.sha256)
    if not path.is_file():
        raise errors.NotFound("文件在存储中缺失，请联系管理员运行 fixity 检查。")
    grant = None if record.custodian_id == user.agency_id else active_grant(session, user, record.id)
    if grant is not None and stored.media_type != "application/pdf":
        stored = next((f for f in (record.file("stamped"), record.file("rendition"))
                       if f is not None and f.media_type == "application/pdf"), None)
        if stored is None:
            raise errors.Forbidden("调阅只提供加盖调阅水印的 PDF 副本，该档案没有 PDF 副本。"
                                   "如需查阅原件，请与保管单位联系。")
        role = stored.role
        path = archive.store.path_for(stored.sha256)
    _refuse_if_damaged(archive, user, record, stored, path, channel)
    data = None
    if grant is not None and stored.media_type == "application/pdf":
        today = localtime.today()
        text = (f"调阅 {grant.number} · {user.display_name or user.username} · {user.agency.name} · "
                f"{today.year}年{today.month}月{today.day}日")
        with tempfile.TemporaryDirectory(dir=archive.store.tmp) as tmp:
            out = Path(tmp) / "watermarked.pdf"
            parsing.watermark(path, out, text, archive.settings)
            data = out.read_bytes()
    with archive.db.transaction() as s:
        audit.append(s, actor=user.username, agency_code=user.agency.code,
                     action="record.download" if asked in DOWNLOADS else "record.view_content",
                     object_type="record", object_id=record.id,
                     detail={"role": role, "sha256": stored.sha256, "channel": channel,
                             "lookup": grant.number if grant else None})
    base = record.archival_code
    name = f"{base}.{stored.extension}" if role in DOWNLOADS else f"{base}-{role}.pdf"
    return Content(data, None if data is not None else path, stored.media_type, name, data is not None)
