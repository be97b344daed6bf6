"""The OCR queue: recognition never blocks filing (issue 15).

A scan is filed at once with its 档号 and a pending `OcrJob` written in the filing transaction
(the outbox idea of the search index): the record shows 「文字识别中」. `drain` works the queue:
it claims one job at a time (an UPDATE that only one claimer can win, so no job runs twice),
recognises each page in a limited child (memory, CPU, wall clock per page; a page that fails is
marked and skipped), writes the viewing copy with its invisible text layer and its 归档章, and
then — in one transaction — the text (effective text + an ``ocr`` text version), the new
rendition rows, an index job, the audit entry and ``done``. A crash before that transaction
loses nothing: `recover` puts a job left ``running`` back to pending, at most `MAX_ATTEMPTS`
starts, after which it is ``failed`` and never retried by itself (`archive-app ocr --record`
re-runs it on purpose).

One runner per site at a time: `drain` holds an exclusive lock on ``ocr-runner.lock`` in the
storage folder (flock; the kernel drops it when the process dies). So a job found ``running`` by
the lock holder was left by a dead runner and may be put back — never one that another live
process (the indexer, a web thread, `archive-app ocr`) is still reading. The closing transaction
is fenced as well: it files the result only while the job is still ``running`` under the same
attempt it was claimed with, so a result can never be filed twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update

from .. import audit
from ..core import errors
from ..core.background import Drainer
from ..core.context import Archive
from ..core.db import utcnow
from ..core.digests import digest_file
from ..intake import parsing, sniff
from ..models import IndexJob, OcrJob, Record, RecordText, RecordTextVersion, StoredFile
from ..records.archival_code import RETENTIONS
from ..rendition.stamp import StampFields

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
SCAN_KINDS = ("pdf", "jpeg", "png", "tiff")
_drain_lock = threading.Lock()
LOCK_NAME = "ocr-runner.lock"


class Superseded(Exception):
    """The job is no longer ours (not `running` under our attempt): its result is not filed."""


@contextmanager
def runner_lock(archive: Archive, wait: bool) -> Iterator[bool]:
    """The site's OCR runner lock (see module docstring): yields whether it is held; with
    `wait`, blocks until the other runner lets go."""
    with _drain_lock:
        fd = os.open(archive.store.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # releases the flock


@dataclass(frozen=True)
class Outcome:
    job_id: int
    record_id: int
    status: str
    failed_pages: tuple[int, ...] = ()


def enqueue(session, record_id: int, pages: list[int]) -> OcrJob:
    """A pending job for `pages` (1-based) of the record, inside the caller's transaction."""
    job = OcrJob(record_id=record_id, status="pending", pages=",".join(str(p) for p in pages))
    session.add(job)
    return job


def state(session, record_id: int) -> OcrJob | None:
    """The record's latest OCR job (None: never needed recognition)."""
    return session.scalar(select(OcrJob).where(OcrJob.record_id == record_id).order_by(OcrJob.id.desc()).limit(1))


def recover(archive: Archive) -> int:
    """Jobs left `running` by a crashed drainer: back to pending, or failed after MAX_ATTEMPTS."""
    with archive.db.transaction() as s:
        stuck = list(s.scalars(select(OcrJob).where(OcrJob.status == "running")))
        for job in stuck:
            if job.attempts >= MAX_ATTEMPTS:
                job.status, job.finished_at = "failed", utcnow()
                job.error = f"文字识别已中断 {job.attempts} 次，不再自动重试；可由管理员重新识别。"
            else:
                job.status = "pending"
    return len(stuck)


def _claim(archive: Archive, job_id: int | None = None) -> OcrJob | None:
    with archive.db.transaction() as s:
        q = select(OcrJob.id).where(OcrJob.status == "pending").order_by(OcrJob.id).limit(1)
        if job_id is not None:
            q = q.where(OcrJob.id == job_id)
        candidate = s.scalar(q)
        if candidate is None:
            return None
        won = s.execute(update(OcrJob).where(OcrJob.id == candidate, OcrJob.status == "pending")
                        .values(status="running", attempts=OcrJob.attempts + 1, started_at=utcnow()))
        if won.rowcount != 1:
            return None
        job = s.get(OcrJob, candidate)
        s.expunge(job)
        return job


def _kind(stored: StoredFile) -> str | None:
    return next((k.key for k in sniff.KINDS.values() if k.media_type == stored.media_type), None)


def _finish(archive: Archive, job: OcrJob, status: str, error: str | None = None, failed: list[int] | None = None,
            engine: str | None = None) -> None:
    """End the job as claimed: only while it is still running under the attempt this runner
    claimed (as the success path files its result), so a stale runner never ends a newer one."""
    with archive.db.transaction() as s:
        s.execute(update(OcrJob).where(OcrJob.id == job.id, OcrJob.status == "running",
                                       OcrJob.attempts == job.attempts)
                  .values(status=status, error=error, finished_at=utcnow(), engine=engine,
                          failed_pages=",".join(str(p) for p in failed or [])))


def run_job(archive: Archive, job: OcrJob) -> Outcome:
    """Recognise the job's pages and file the result (see module docstring)."""

    settings = archive.settings
    engine = settings.ocr_engine
    with archive.db.session() as s:
        record = s.get(Record, job.record_id)
        original = record.file("original")
        kind = _kind(original) if original else None
        fields = StampFields(record.fonds_code, record.year, record.item_no, record.unit_code,
                             RETENTIONS[record.retention], record.pages)
        extracted = (s.get(RecordText, record.id) or RecordText(text="")).text
        had_ocr = s.scalar(select(func.count()).select_from(RecordTextVersion)
                           .where(RecordTextVersion.record_id == record.id)) > 0
    if kind not in SCAN_KINDS:
        _finish(archive, job, "failed", "该档案的原件不是扫描件（PDF 或图像），无需文字识别。")
        return Outcome(job.id, job.record_id, "failed")
    source = archive.store.path_for(original.sha256)
    pages = [int(p) for p in job.pages.split(",") if p]
    results: dict[int, dict] = {}
    failed: list[int] = []
    for number in pages:
        try:
            results[number - 1] = parsing.run_worker(
                ["ocr-page", kind, str(source), str(number - 1), engine], settings,
                memory=settings.ocr_memory_bytes, timeout_s=settings.ocr_page_timeout_s)
        except errors.ArchiveError:
            failed.append(number)
    if not results:
        pages_text = "、".join(map(str, failed))
        message = f"第 {pages_text} 页无法识别（图像损坏、超时或超出资源上限）。"
        _finish(archive, job, "failed", message, failed, engine)
        return Outcome(job.id, job.record_id, "failed", tuple(failed))
    recognised = "\n".join(results[n]["text"] for n in sorted(results) if results[n]["text"])
    text = recognised if had_ocr or not extracted.strip() else f"{extracted}\n{recognised}"
    work = Path(tempfile.mkdtemp(dir=archive.store.tmp, prefix="ocr-"))
    created: list[str] = []
    try:
        viewing, stamped = work / "viewing.pdf", work / "stamped.pdf"
        layout = {str(n): {k: r[k] for k in ("rotation", "skew", "lines", "dpi")} for n, r in results.items()}
        parsing.run_worker(["ocr-pdf", kind, str(source), json.dumps(layout, ensure_ascii=False), str(viewing)],
                           settings, memory=settings.ocr_memory_bytes, timeout_s=settings.ocr_page_timeout_s)
        parsing.stamp(viewing, stamped, fields, settings)
        pdf = sniff.KINDS["pdf"]
        with archive.db.transaction() as s:
            record = s.get(Record, job.record_id)
            replaced = []
            for role, path in (("rendition", viewing), ("stamped", stamped)):
                d = digest_file(path)
                sha, new = archive.store.put_file(path, d.sha256)
                if new:
                    created.append(sha)
                old = record.file(role)
                if old is not None:
                    replaced.append(old.sha256)
                    old.sha256, old.sm3, old.size, old.created_at = sha, d.sm3, d.size, utcnow()
                else:
                    s.add(StoredFile(record_id=record.id, role=role, sha256=sha, sm3=d.sm3, size=d.size,
                                     media_type=pdf.media_type, extension="pdf"))
            row = s.get(RecordText, record.id)
            if row is None:
                s.add(RecordText(record_id=record.id, text=text))
            else:
                row.text = text
            s.add(RecordTextVersion(record_id=record.id, kind="ocr", text=recognised, created_by="ocr"))
            s.add(IndexJob(record_id=record.id, op="upsert"))
            status = "done"
            won = s.execute(update(OcrJob).where(OcrJob.id == job.id, OcrJob.status == "running",
                                                 OcrJob.attempts == job.attempts)
                            .values(status=status, finished_at=utcnow(), engine=engine,
                                    failed_pages=",".join(map(str, failed)),
                                    error=f"第 {'、'.join(map(str, failed))} 页无法识别。" if failed else None))
            if won.rowcount != 1:
                raise Superseded(job.id)
            audit.append(s, actor="ocr", action="record.ocr", object_type="record", object_id=record.id,
                         detail={"engine": engine, "pages": sorted(n + 1 for n in results), "failed_pages": failed,
                                 "rotation": {str(n + 1): r["rotation"] for n, r in results.items() if r["rotation"]},
                                 "chars": len(recognised)})
        created.clear()
        _forget(archive, replaced)
    finally:
        for sha in created:  # the transaction did not commit: drop the blobs it would have used
            archive.store.delete(sha)
        shutil.rmtree(work, ignore_errors=True)
    return Outcome(job.id, job.record_id, status, tuple(failed))


def _forget(archive: Archive, shas: list[str]) -> None:
    """Delete replaced viewing copies that no stored file refers to any more."""
    with archive.db.session() as s:
        for sha in shas:
            if not s.scalar(select(func.count()).select_from(StoredFile).where(StoredFile.sha256 == sha)):
                archive.store.delete(sha)


def drain(archive: Archive, limit: int | None = None, job_id: int | None = None,
          wait: bool = False) -> list[Outcome]:
    """Work pending jobs (oldest first) until none is left or `limit` are done. Only the holder
    of the site's runner lock drains (see `runner_lock`): without `wait`, a drain that finds
    another runner at work returns at once (that runner works the queue); with `wait` (the
    command line) it waits its turn."""
    outcomes: list[Outcome] = []
    with runner_lock(archive, wait) as held:
        if not held:
            return outcomes
        recover(archive)
        while limit is None or len(outcomes) < limit:
            job = _claim(archive, job_id)
            if job is None:
                break
            try:
                outcomes.append(run_job(archive, job))
            except errors.ArchiveError as exc:
                _finish(archive, job, "failed", exc.message[:500])
                outcomes.append(Outcome(job.id, job.record_id, "failed"))
            except Superseded:
                log.warning("OCR job %s was taken over; its result is not filed", job.id)
            if job_id is not None:
                break
    return outcomes


def outcomes(archive: Archive, job_ids: list[int]) -> list[Outcome]:
    """The outcome of jobs that have finished (whoever ran them)."""
    with archive.db.session() as s:
        jobs = s.scalars(select(OcrJob).where(OcrJob.id.in_(job_ids), OcrJob.status.in_(("done", "failed")))
                         .order_by(OcrJob.id))
        return [Outcome(j.id, j.record_id, j.status, tuple(int(p) for p in j.failed_pages.split(",") if p))
                for j in jobs]


def request(archive: Archive, record_ids: list[int] | None, actor: str) -> list[int]:
    """New pending jobs for these records (None: every scanned record), all pages of each."""
    made = []
    with archive.db.transaction() as s:
        q = select(Record)
        if record_ids is not None:
            q = q.where(Record.id.in_(record_ids))
        for record in s.scalars(q):
            original = record.file("original")
            kind = _kind(original) if original else None
            if kind not in SCAN_KINDS:
                continue
            if kind == "pdf" and record_ids is None and state(s, record.id) is None:
                continue  # --all: PDFs with a text layer were never queued and stay so
            busy = s.scalar(select(OcrJob).where(OcrJob.record_id == record.id,
                                                 OcrJob.status.in_(("pending", "running"))))
            if busy is not None:
                made.append(busy.id)
                continue
            job = enqueue(s, record.id, list(range(1, (record.pages or 1) + 1)))
            s.flush()
            audit.append(s, actor=actor, action="record.ocr_request", object_type="record", object_id=record.id,
                         detail={"job": job.id})
            made.append(job.id)
    return made


def correct(archive: Archive, record_id: int, text: str, actor: str, agency_code: str | None) -> RecordTextVersion:
    """A clerk's correction of the recognised text: a new text version that becomes the text
    searched; the machine's version and the original file stay as they were."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > archive.settings.max_text_chars:
        raise errors.Validation("更正后的文字过长。", fields=["text"])
    with archive.db.transaction() as s:
        version = RecordTextVersion(record_id=record_id, kind="corrected", text=text, created_by=actor)
        s.add(version)
        row = s.get(RecordText, record_id)
        if row is None:
            s.add(RecordText(record_id=record_id, text=text))
        else:
            row.text = text
        s.add(IndexJob(record_id=record_id, op="upsert"))
        s.flush()
        audit.append(s, actor=actor, agency_code=agency_code, action="record.text_correct", object_type="record",
                     object_id=record_id, detail={"version": version.id, "chars": len(text)})
        s.expunge(version)
    return version


class BackgroundOcr(Drainer):
    """The embedded default's drainer: one thread, one page at a time in a niced child, so
    recognition uses one core and web requests keep the other. `archive-app ocr` does the same
    from the command line."""

    name = "archive-ocr"
    failure = "OCR drain failed; the jobs stay queued"

    def __init__(self, archive: Archive, interval: float = 3.0) -> None:
        super().__init__(archive, interval)

    def drain_once(self) -> None:
        drain(self.archive)
