"""Cases as a search result type, through the existing search package: a second Whoosh index
(`cases`, beside `records`) with the same schema, analyzer, query language and vectorised engine.

A case document carries only catalogue data — 申请人, 事项, 办件编号, 统一社会信用代码, 许可证号,
决定, 状态 — which every signed-in user may see (docs/access-policy.md), and no content field at
all. The query is compiled by `search.query.compile_query` unchanged, so its leak rules hold as
they are: content atoms find nothing in this index, and a case never reveals a record's text.

The index is fed by an outbox (`case_index_jobs`, written by the session hook in models/case_hooks.py)
and drained before each query and after each write; `rebuild` makes it afresh from the database."""

from __future__ import annotations

import shutil
import threading

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload
from whoosh import query as wq

from .. import audit
from ..core import errors
from ..core.context import Archive
from ..models import CASE_STATUSES, Agency, Case, CaseIndexJob, User
from ..search import engine, schema
from ..search.analysis import normalize
from ..search.indexer import fingerprint
from ..search.query import Scope, atom_query, compile_query, parse
from ..search.searcher import _searcher
from . import listing

INDEX = "cases"
MAX_HITS = 5000  # a full-text filter narrows to at most this many cases, best first
_lock = threading.Lock()


def document(case: Case, approver: str) -> dict:
    m = case.matter
    status = CASE_STATUSES.get(case.status, case.status)
    values = {
        "id": str(case.id), "custodian": approver, "matter": m.code, "doc_type": "办件", "retention": "",
        "year": str(case.received_on.year) if case.received_on else "",
        "formed": int(case.received_on.strftime("%Y%m%d")) if case.received_on else 0,
        "title": f"{case.applicant} {m.name}", "title_exact": normalize(case.applicant).replace(" ", ""),
        "doc_no": case.certificate_no or "", "applicant": case.applicant,
        "applicant_exact": normalize(case.applicant).replace(" ", ""),
        "catalogue": " ".join(filter(None, [m.name, case.case_no, case.applicant_uscc, case.certificate_no,
                                            case.decision, status, case.key_project_reason])),
        "codes": " ".join(normalize(c).replace(" ", "") for c in filter(None, [
            case.case_no, case.applicant_uscc, case.certificate_no])),
    }
    values["fp"] = fingerprint(values)
    return values


def _documents(session: Session, ids: list[int]) -> dict[int, dict]:
    agencies = dict(session.execute(select(Agency.id, Agency.code)).tuples().all())
    cases = session.scalars(select(Case).where(Case.id.in_(ids)).options(selectinload(Case.matter))).all()
    return {c.id: document(c, agencies[c.matter.approving_agency_id]) for c in cases}


def drain(archive: Archive, batch: int = 5000) -> int:
    """Index the cases waiting in the outbox; returns how many jobs were handled."""
    handled = 0
    with _lock:
        while True:
            with archive.db.session() as s:
                jobs = s.execute(select(CaseIndexJob.id, CaseIndexJob.case_id).order_by(CaseIndexJob.id)
                                 .limit(batch)).all()
                if not jobs:
                    return handled
                ids = sorted({cid for _, cid in jobs})
                docs = _documents(s, ids)
            writer = schema.open_index(archive.settings.index_dir, INDEX).writer(timeout=30)
            try:
                for cid in ids:
                    if cid in docs:
                        writer.update_document(**docs[cid])
                    else:
                        writer.delete_by_term("id", str(cid))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            with archive.db.transaction() as s:
                s.execute(delete(CaseIndexJob).where(CaseIndexJob.id <= jobs[-1][0]))
            handled += len(jobs)


def rebuild(archive: Archive, chunk: int = 20_000) -> int:
    """The cases index afresh from the database, built beside the live one and swapped in."""
    index_dir = archive.settings.index_dir
    live, fresh = schema.index_path(index_dir, INDEX), index_dir / f"{INDEX}.new"
    with _lock:
        with archive.db.session() as s:
            last_job = s.scalar(select(func.max(CaseIndexJob.id))) or 0
        ix = schema.create(fresh, index_dir, INDEX)
        last_id = done = 0
        while True:
            writer = ix.writer(limitmb=256)
            try:
                with archive.db.session() as s:
                    ids = s.scalars(select(Case.id).where(Case.id > last_id).order_by(Case.id).limit(chunk)).all()
                    docs = _documents(s, list(ids)) if ids else {}
                for cid in ids:
                    writer.add_document(**docs[cid])
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            if not ids:
                break
            last_id, done = ids[-1], done + len(ids)
        old = index_dir / f"{INDEX}.old"
        if live.exists():
            live.rename(old)
        fresh.rename(live)
        shutil.rmtree(old, ignore_errors=True)
        with archive.db.transaction() as s:
            s.execute(delete(CaseIndexJob).where(CaseIndexJob.id <= last_job))
    return done


def search_ids(archive: Archive, user: User, q: str, limit: int = MAX_HITS, matter: str | None = None) -> list[int]:
    """Case ids matching the query language of 档案检索 (words, "phrases", OR, NOT), best first,
    of one matter if given (filtered in the index, so the limit applies to that matter's cases).
    Malformed input is the same VALIDATION error the record search gives."""
    return ranked(archive, user, q, limit, matter)[0]


def ranked(archive: Archive, user: User, q: str, limit: int = MAX_HITS,
           matter: str | None = None) -> tuple[list[int], int]:
    """(the best `limit` case ids, how many matched in all)."""
    parsed = parse(q)
    if parsed.empty:
        return [], 0
    drain(archive)
    compiled = compile_query(parsed, Scope(user.agency.code, {}))  # no grants: a case has no content
    searcher = _searcher(archive, INDEX)
    matched = engine.evaluate(searcher, compiled, wq.Term("matter", matter) if matter else None, scored=True)
    return [int(searcher.stored_fields(d)["id"]) for d in matched.top(limit, None, True)], matched.total


def applicant_ids(archive: Archive, text: str, limit: int = MAX_HITS) -> list[int] | None:
    """Cases whose 申请人 contains `text` (the index's exact CJK substring match), or None when
    more than `limit` match — a common word is then cheaper to filter in the database, which
    finds a page of them at once."""
    try:
        atoms = parse(text).positive_atoms()
    except errors.Validation:
        return None
    if not atoms:
        return None
    drain(archive)
    searcher = _searcher(archive, INDEX)
    q = wq.And([atom_query("applicant", a) for a in atoms]) if len(atoms) > 1 else atom_query("applicant", atoms[0])
    matched = engine.evaluate(searcher, q, None, scored=False)
    if matched.total > limit:
        return None
    return [int(searcher.stored_fields(d)["id"]) for d in matched.top(limit, None, True)]


def hits(archive: Archive, session: Session, user: User, q: str, limit: int = 5) -> tuple[list[Case], int]:
    """The best `limit` cases for the search page and API, and how many matched in all."""
    ids = search_ids(archive, user, q)
    top = ids[:limit]
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(top))
                                               .options(selectinload(Case.matter)))} if top else {}
    return [cases[i] for i in top if i in cases], len(ids)


def find(archive: Archive, session: Session, user: User, f, page: int = 1, per_page: int = 50,
         channel: str | None = None):
    """The case list (listing.search) with the index doing what it does best: the full-text `q`
    (only the page asked for when nothing else narrows it) and the 申请人 substring filter.
    A search — words or any filter — from a door (`channel`) goes on the audit trail with what it
    asked and how many it found, as the records search does (issue 11 item 14)."""

    page, per_page = max(1, page), max(1, min(per_page, 200))
    ranked_ids, total = None, None
    if f.q:
        limit = page * per_page if f.text_only else MAX_HITS
        ranked_ids, total = ranked(archive, user, f.q, limit, f.matter)
    applicants = applicant_ids(archive, f.applicant) if f.applicant else None
    result = listing.search(session, f, page, per_page, ranked=ranked_ids, ranked_total=total,
                            applicant_ids=applicants)
    asked = f.asked()
    if channel is not None and asked:
        with archive.db.transaction() as s:
            audit.append(s, actor=user.username, agency_code=user.agency.code, action="case.search",
                         detail={**asked, "page": page, "total": result.total, "channel": channel})
    return result
