"""Fixity (DA/T 70-2018 真实性、完整性): re-read every stored file and compare both digests
with the catalogue. The database is the truth; a file that is missing or changed is listed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from ..core.context import Archive
from ..core.digests import digest_file
from ..models import Record, StoredFile


@dataclass
class FixityReport:
    checked: int = 0
    missing: list[tuple[str, str, str]] = field(default_factory=list)  # (档号, role, sha256)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # blobs no catalogue row refers to

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed


def _rows(archive: Archive, batch: int = 1000) -> Iterator[tuple[str, StoredFile]]:
    last = 0
    with archive.db.session() as s:
        while True:
            rows = s.execute(select(Record.archival_code, StoredFile).join(Record)
                             .where(StoredFile.id > last).order_by(StoredFile.id).limit(batch)).all()
            if not rows:
                return
            yield from rows
            last = rows[-1][1].id
            s.expunge_all()


def count_files(archive: Archive) -> int:
    from sqlalchemy import func
    with archive.db.session() as s:
        return s.scalar(select(func.count(StoredFile.id))) or 0


def check(archive: Archive, progress: Callable[[int], None] | None = None) -> FixityReport:
    report, known = FixityReport(), set()
    for code, f in _rows(archive):
        known.add(f.sha256)
        path = archive.store.path_for(f.sha256)
        report.checked += 1
        if not path.is_file():
            report.missing.append((code, f.role, f.sha256))
        else:
            d = digest_file(path)
            if d.sha256 != f.sha256 or d.sm3 != f.sm3 or d.size != f.size:
                report.changed.append((code, f.role, f.sha256))
        if progress:
            progress(1)
    report.orphans = sorted(set(archive.store.iter_digests()) - known)
    return report
