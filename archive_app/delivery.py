"""Handing out a record's content: policy check, audit entry, then the blob. Pages and API both
come through here, so no download escapes the policy or the trail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import audit, errors
from .access import Action, require
from .context import Archive
from .models import Record, User

ROLES = {"original": "原件", "stamped": "加盖归档章的 PDF 副本", "rendition": "PDF 副本"}


@dataclass(frozen=True)
class Content:
    path: Path
    media_type: str
    download_name: str


def open_content(archive: Archive, user: User | None, record: Record, role: str,
                 channel: str) -> Content:
    action = Action.DOWNLOAD if role == "original" else Action.READ_CONTENT
    require(user, action, record)
    stored = record.file(role)
    if stored is None:
        raise errors.NotFound(f"该档案没有{ROLES.get(role, '该文件')}。")
    path = archive.store.path_for(stored.sha256)
    if not path.is_file():
        raise errors.NotFound("文件在存储中缺失，请联系管理员运行 fixity 检查。")
    with archive.db.transaction() as s:
        audit.append(s, actor=user.username, agency_code=user.agency.code,
                     action="record.download" if role == "original" else "record.view_content",
                     object_type="record", object_id=record.id,
                     detail={"role": role, "sha256": stored.sha256, "channel": channel})
    base = record.archival_code
    name = f"{base}.{stored.extension}" if role == "original" else f"{base}-{role}.pdf"
    return Content(path, stored.media_type, name)
