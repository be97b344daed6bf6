"""Reads of a record's OCR state, for the record page and the JSON API (issue 15): one place that
knows how a job and the text versions add up to 「文字识别中 / 已识别 / 识别失败 / 已人工更正」."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import OCR_STATUSES, OcrJob, RecordText, RecordTextVersion

#: The API's states: a running job is still `pending` to a caller; a clerk's correction after
#: recognition (or after its failure) is `corrected`.
API_STATES = ("pending", "done", "failed", "corrected")


def _pages(spec: str) -> list[int]:
    return [int(p) for p in spec.split(",") if p]


def api_states(session: Session, record_ids: list[int]) -> dict[int, dict | None]:
    """`{record_id: {state, pages, failed_pages, error, engine} | None}` — None for a record that
    never needed recognition (a PDF with its text layer). Two queries for any number of records."""
    ids = list(dict.fromkeys(record_ids))
    out: dict[int, dict | None] = dict.fromkeys(ids)
    if not ids:
        return out
    latest = (select(func.max(OcrJob.id)).where(OcrJob.record_id.in_(ids)).group_by(OcrJob.record_id)
              .scalar_subquery())
    jobs = {j.record_id: j for j in session.scalars(select(OcrJob).where(OcrJob.id.in_(latest)))}
    newest_version = (select(func.max(RecordTextVersion.id)).where(RecordTextVersion.record_id.in_(list(jobs)))
                      .group_by(RecordTextVersion.record_id).scalar_subquery())
    corrected = set(session.scalars(select(RecordTextVersion.record_id).where(
        RecordTextVersion.id.in_(newest_version), RecordTextVersion.kind == "corrected"))) if jobs else set()
    for record_id, job in jobs.items():
        state = "pending" if job.status in ("pending", "running") else job.status
        if state != "pending" and record_id in corrected:
            state = "corrected"
        out[record_id] = {"state": state, "pages": _pages(job.pages), "failed_pages": _pages(job.failed_pages),
                          "error": job.error, "engine": job.engine}
    return out


def api_state(session: Session, record_id: int) -> dict | None:
    """One record's OCR state for the API (see `api_states`)."""
    return api_states(session, [record_id])[record_id]


@dataclass(frozen=True)
class Panel:
    """What the record page shows: the latest job, its label, the text versions (oldest first)
    and, for the custodian's clerk, the text searched now."""

    job: OcrJob
    label: str
    versions: list[RecordTextVersion]
    text: str | None


def panel(session: Session, record_id: int, with_text: bool) -> Panel | None:
    """None when the record never needed recognition; `with_text` only for those who may edit it."""
    job = session.scalar(select(OcrJob).where(OcrJob.record_id == record_id).order_by(OcrJob.id.desc()).limit(1))
    if job is None:
        return None
    versions = list(session.scalars(select(RecordTextVersion).where(RecordTextVersion.record_id == record_id)
                                    .order_by(RecordTextVersion.id)))
    text = (session.get(RecordText, record_id) or RecordText(text="")).text if with_text else None
    return Panel(job, OCR_STATUSES[job.status], versions, text)
