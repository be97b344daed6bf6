"""The single index writer. The database is the truth; the index is derived from it.

Writes reach Whoosh only here: `drain` takes jobs from the outbox (`index_jobs`, written in the
same transaction as the catalogue change), indexes the records as they are now in the database,
commits the index, then deletes the jobs it handled. A crash between the two commits only means
the jobs are handled again (upserts are idempotent). `rebuild` makes a fresh index from the
database and swaps it in; `check` compares index and database record by record.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload
from whoosh.writing import LockError

from ..core.background import Drainer
from ..core.context import Archive
from ..models import IndexJob, Record, RecordText
from . import schema, whoosh_internals
from .analysis import normalize

log = logging.getLogger(__name__)
_lock = threading.Lock()  # one writer per process; Whoosh's lock file guards across processes


def document(rec: Record, text: str) -> dict:
    """The Whoosh document for a record (catalogue fields for everyone, content per custodian)."""
    values = {
        "id": str(rec.id), "custodian": rec.custodian.code, "matter": rec.matter.code if rec.matter else "",
        "doc_type": rec.doc_type or "", "retention": rec.retention, "year": str(rec.formed_on.year),
        "formed": int(rec.formed_on.strftime("%Y%m%d")), "title": rec.title,
        "title_exact": normalize(rec.title).replace(" ", ""), "doc_no": rec.doc_no or "",
        "applicant": rec.applicant or "", "applicant_exact": normalize(rec.applicant or "").replace(" ", ""),
        "catalogue": " ".join(filter(None, [rec.matter.name if rec.matter else None, rec.responsible, rec.doc_type,
                                            rec.applicant_uscc, rec.case.case_no if rec.case else None,
                                            rec.archival_code])),
        "codes": " ".join(normalize(c).replace(" ", "") for c in filter(None, [
            rec.archival_code, rec.applicant_uscc, rec.case.case_no if rec.case else None,
            rec.case.certificate_no if rec.case else None, rec.doc_no])),
        schema.content_field(rec.custodian.code): text,
    }
    values["fp"] = fingerprint(values)
    return values


def fingerprint(values: dict) -> str:
    payload = json.dumps({k: v for k, v in values.items() if k != "fp"}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _records(archive: Archive, ids: Iterable[int]) -> dict[int, dict]:
    ids = list(ids)
    with archive.db.session() as s:
        recs = s.scalars(select(Record).where(Record.id.in_(ids)).options(
            selectinload(Record.custodian), selectinload(Record.matter), selectinload(Record.case))).all()
        texts = dict(s.execute(select(RecordText.record_id, RecordText.text)
                               .where(RecordText.record_id.in_(ids))).all())
        return {r.id: document(r, texts.get(r.id, "")) for r in recs}


def drain(archive: Archive, batch: int = 500) -> int:
    """Handle up to `batch` outbox jobs; returns how many were handled."""
    with _lock:
        with archive.db.session() as s:
            jobs = s.execute(select(IndexJob.id, IndexJob.record_id).order_by(IndexJob.id).limit(batch)).all()
        if not jobs:
            return 0
        ids = {rid for _, rid in jobs}
        docs = _records(archive, ids)
        ix = schema.open_index(archive.settings.index_dir)
        writer = ix.writer(timeout=30)
        try:
            for rid in sorted(ids):
                if rid in docs:
                    writer.update_document(**docs[rid])
                else:
                    writer.delete_by_term("id", str(rid))
            writer.commit()
        except BaseException:
            writer.cancel()  # never half-commit: cancel and raise
            raise
        with archive.db.transaction() as s:
            s.execute(delete(IndexJob).where(IndexJob.id.in_([jid for jid, _ in jobs])))
        return len(jobs)


def drain_all(archive: Archive) -> int:
    total = 0
    while n := drain(archive):
        total += n
    return total


def rebuild(archive: Archive, chunk: int = 20_000, progress: Callable[[int], None] | None = None,
            procs: int | None = None) -> int:
    """A fresh index from the database, built beside the live one and swapped in. Records are read
    2,000 at a time and committed `chunk` at a time (bounded memory). Large rebuilds use Whoosh's
    multi-process writer on every core and add each chunk as new segments instead of re-merging
    the growing index on every commit. Each worker's posting pool may hold its share of a chunk
    in memory (1 GB estimate, about 2.4 GB for the whole rebuild at 20,000 records a chunk):
    Whoosh spills a fuller pool to pickled runs on disk, which cost a third of the build time
    (measured in BENCHMARKS.md)."""
    index_dir = archive.settings.index_dir
    live, fresh = schema.index_path(index_dir), index_dir / f"{schema.INDEX_NAME}.new"
    with _lock:
        with archive.db.session() as s:
            last_job = s.scalar(select(func.max(IndexJob.id))) or 0
            total = s.scalar(select(func.count(Record.id))) or 0
        ix = schema.create(fresh, index_dir)
        procs = procs or (min(os.cpu_count() or 1, 4) if total >= 5000 else 1)
        last_id, done = 0, 0
        while done < total or last_id == 0:
            writer = ix.writer(procs=procs, limitmb=1024, multisegment=True) if procs > 1 else ix.writer(limitmb=256)
            in_chunk = 0
            try:
                while in_chunk < chunk:
                    with archive.db.session() as s:
                        ids = s.scalars(select(Record.id).where(Record.id > last_id).order_by(Record.id)
                                        .limit(2000)).all()
                    if not ids:
                        break
                    docs = _records(archive, ids)
                    for rid in ids:
                        writer.add_document(**docs[rid])
                    last_id, in_chunk = ids[-1], in_chunk + len(ids)
                    if progress:
                        progress(len(ids))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            done += in_chunk
            if in_chunk == 0:
                break
        old = index_dir / f"{schema.INDEX_NAME}.old"
        if live.exists():
            live.rename(old)
        fresh.rename(live)
        shutil.rmtree(old, ignore_errors=True)
        with archive.db.transaction() as s:  # everything up to the start is in the new index
            s.execute(delete(IndexJob).where(IndexJob.id <= last_job))
    log.info("rebuilt the index: %d of %d records", done, total)
    return done


def ensure_index(archive: Archive) -> int | None:
    """Rebuild the index from the database when it cannot be used as it is: missing, built for an
    older schema, or unreadable — its table of contents pickles our analyzer and format classes
    (whoosh_internals.py, assumption 6), so a moved class or a damaged file shows as an unpickling
    error. Returns the number of records indexed by a rebuild, or None when the index was fine."""
    index_dir = archive.settings.index_dir
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # Whoosh leaves the file open on this error
        try:
            if schema.is_current(index_dir):  # (reads the table of contents)
                schema.open_index(index_dir)
                return None
        except whoosh_internals.UNPICKLING_ERRORS as exc:
            problem = f"{type(exc).__name__}: {exc}"  # (a string: a kept exception keeps the file)
            log.warning("the search index cannot be read (%s); rebuilding it from the database", problem)
        gc.collect()  # close that file now, while its warning is ignored
    return rebuild(archive)


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    stale: list[int] = field(default_factory=list)  # indexed from an older version of the record
    extra: list[int] = field(default_factory=list)  # in the index, not in the database
    pending_jobs: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check(archive: Archive, chunk: int = 2000) -> Drift:
    """Compare every record's fingerprint in the database with the one in the index."""
    drift = Drift()
    ix = schema.open_index(archive.settings.index_dir)
    with ix.searcher() as searcher:
        indexed = {f["id"]: f["fp"] for f in searcher.all_stored_fields()}
    seen: set[str] = set()
    last_id = 0
    while True:
        with archive.db.session() as s:
            ids = s.scalars(select(Record.id).where(Record.id > last_id).order_by(Record.id).limit(chunk)).all()
            drift.pending_jobs = s.scalar(select(func.count(IndexJob.id))) or 0
        if not ids:
            break
        for rid, doc in _records(archive, ids).items():
            seen.add(str(rid))
            if str(rid) not in indexed:
                drift.missing.append(rid)
            elif indexed[str(rid)] != doc["fp"]:
                drift.stale.append(rid)
        last_id = ids[-1]
    drift.extra = sorted(int(i) for i in set(indexed) - seen)
    drift.missing.sort()
    drift.stale.sort()
    return drift


class BackgroundIndexer(Drainer):
    """The in-process writer for the embedded default. Multi-worker sites run `archive-app indexer`
    instead."""

    name = "archive-indexer"
    failure = "indexing failed; the jobs stay in the outbox"

    def drain_once(self) -> None:
        try:
            drain_all(self.archive)
        except LockError:
            log.warning("index is locked by another writer; retrying")
