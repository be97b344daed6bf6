"""Running a search for a user: filters, sorting, paging, facets and snippets.

Snippets are cut from the record's text in the database (not stored in the index), only for
records the user may open, and only around the first match — bounded work per hit.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import query as wq
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from .. import audit
from ..core import errors
from ..core.context import Archive
from ..models import Agency, Matter, Record, RecordText, User
from ..organisation.access import granted_record_ids
from . import canary, schema, whoosh_internals
from .analysis import normalize
from .query import Atom, Scope, atom_query, compile_query, parse

FACETS = ("custodian", "matter", "year", "doc_type")
SORTS = ("relevance", "date", "date_asc")
SNIPPET_RADIUS = 40
MAX_PAGE = 500


@dataclass
class Params:
    q: str = ""
    custodian: str | None = None
    matter: str | None = None
    doc_type: str | None = None
    retention: str | None = None
    applicant: str | None = None
    doc_no: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    id: int
    title: str
    archival_code: str
    custodian: str
    custodian_name: str
    matter: str
    doc_no: str | None
    formed_on: str
    snippet: Markup | None
    accessible: bool
    title_html: Markup | None = None


@dataclass
class Results:
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


_local = threading.local()


@dataclass
class _Open:
    """A thread's open index: the index object, the segments its searcher was opened on."""

    ix: object
    segments: tuple[tuple[str, int], ...]
    searcher: Searcher


class _ThreadSearchers(dict):
    """A thread's open indexes by folder. Closed when the thread ends and its locals go: the
    index is read through plain files (see schema.open_index), which must not stay open."""

    def __del__(self) -> None:
        for entry in self.values():
            entry.searcher.close()


def _segment_key(segment) -> tuple[str, int]:
    """What identifies a segment's contents: segments never change, except for new deletions."""
    return segment.segment_id(), segment.deleted_count()


def _open_searcher(ix, toc, old: Searcher | None) -> Searcher:
    """A searcher over the segments of `toc`. Segment readers of `old` whose segment is unchanged
    are reused: opening one costs ~75 ms at 100k records, and after every filing only a small new
    segment differs. (Whoosh's own `refresh` re-adds segments missing from the new table of
    contents and fails on an empty index, so it is not used.)"""
    reusable = {}
    if old is not None:
        for reader, _ in old.reader().leaf_readers():
            if getattr(reader, "segment", lambda: None)() is not None:
                reusable[_segment_key(reader.segment())] = reader
    readers = [reusable.pop(_segment_key(seg), None)
               or SegmentReader(ix.storage, toc.schema, seg, generation=toc.generation) for seg in toc.segments]
    for unused in reusable.values():
        unused.close()
    reader = MultiReader(readers, generation=toc.generation) if readers else EmptyReader(toc.schema)
    return Searcher(reader, fromindex=ix)


def _searcher(archive: Archive, name: str = schema.INDEX_NAME) -> Searcher:
    """The thread's searcher, kept while the index's segments are the same. Compared by segment
    ids and deletions (one read of the table of contents, 0.2 ms), not by generation: a rebuilt
    index swapped in may have the generation number of the one it replaced."""
    key = (str(archive.settings.index_dir), name)
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = _ThreadSearchers()
    for other in [k for k in cache if k[0] != key[0]]:  # one index folder per process in practice; tests use many
        cache.pop(other).searcher.close()
    entry = cache.get(key)
    ix = entry.ix if entry else schema.open_index(archive.settings.index_dir, name)
    for attempt in range(5):  # a merge may remove a segment between reading the TOC and opening it
        toc = whoosh_internals.read_toc(ix)
        segments = tuple(map(_segment_key, toc.segments))
        if entry and entry.segments == segments:
            break
        try:
            entry = cache[key] = _Open(ix, segments, _open_searcher(ix, toc, entry.searcher if entry else None))
            break
        except OSError:
            if attempt == 4:
                raise
            time.sleep(0.05)
    return entry.searcher


def _date(value: str | None, name: str) -> int | None:
    if not value:
        return None
    try:
        return int(date.fromisoformat(value).strftime("%Y%m%d"))
    except ValueError as exc:
        raise errors.Validation(f"日期格式应为 YYYY-MM-DD：{value}", fields={name: "格式 YYYY-MM-DD"}) from exc


def _filters(p: Params) -> wq.Query | None:
    subs: list[wq.Query] = []
    for name in ("custodian", "matter", "doc_type", "retention"):
        value = getattr(p, name)
        if value:
            subs.append(wq.Term(name, value))
    start, end = _date(p.date_from, "date_from"), _date(p.date_to, "date_to")
    if start or end:
        subs.append(wq.NumericRange("formed", start, end))
    for name, text in (("applicant", p.applicant), ("doc_no", p.doc_no)):
        if text and text.strip():
            atoms = parse(text).positive_atoms()
            subs.extend(atom_query(name, a) for a in atoms)
    if not subs:
        return None
    return subs[0] if len(subs) == 1 else wq.And(subs)


def _needles(atoms: list[Atom]) -> list[str]:
    return sorted({s for a in atoms for s in a.match_strings() if s}, key=len, reverse=True)


def snippet(text: str, atoms: list[Atom]) -> Markup | None:
    """Text around the first match of any atom, every match marked — on the characters as filed
    (「（第43号）」 stays full-width): matches are found on the normalised text and mapped back."""
    norm, origin = _origin_map(text)
    needles = _needles(atoms)
    first = min((i for i in (norm.find(n) for n in needles) if i >= 0), default=-1)
    if first < 0:
        return None
    start, end = max(0, first - SNIPPET_RADIUS), min(len(norm), first + SNIPPET_RADIUS * 2)
    if origin is None:  # the text cannot be mapped back: show the normalised form
        body = _marked(norm[start:end], needles)
        more_before, more_after = start > 0, end < len(norm)
    else:
        ostart, oend = origin[start], (origin[end] if end < len(norm) else len(text))
        body = _marked_original(text, norm, origin, needles, ostart, oend)
        more_before, more_after = ostart > 0, oend < len(text)
    return Markup(("…" if more_before else "") + body + ("…" if more_after else ""))  # noqa: S704 — escaped


def highlight_title(title: str, atoms: list[Atom]) -> Markup:
    """The 题名 as filed, with every match (found on the normalised form) marked on its own characters."""
    norm, origin = _origin_map(title)
    needles = [n for n in _needles(atoms) if n in norm]
    if not needles:
        return Markup.escape(title)
    if origin is None:
        return Markup(_marked(norm, needles))  # noqa: S704 — escaped in _marked
    return Markup(_marked_original(title, norm, origin, needles, 0, len(title)))  # noqa: S704


def _origin_map(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the index of the original character
    it comes from; None when the normalised form cannot be traced back character by character."""
    norm = normalize(text)
    if len(norm) == len(text):
        return norm, list(range(len(text)))
    pieces, origin = [], []
    for i, ch in enumerate(text):
        n = normalize(ch)
        pieces.append(n)
        origin.extend([i] * len(n))
    return (norm, origin) if "".join(pieces) == norm else (norm, None)


def _marked_original(text: str, norm: str, origin: list[int], needles: list[str], ostart: int, oend: int) -> str:
    """HTML-escaped text[ostart:oend] with the original characters of every match in <mark>."""
    marked_orig = set()
    for n in needles:
        i = norm.find(n)
        while i >= 0:
            marked_orig.update(origin[j] for j in range(i, min(i + len(n), len(norm))))
            i = norm.find(n, i + 1)
    out, open_ = [], False
    for k in range(ostart, oend):
        marked = k in marked_orig
        if marked != open_:
            out.append("<mark>" if marked else "</mark>")
            open_ = marked
        out.append(html.escape(text[k]))
    if open_:
        out.append("</mark>")
    return "".join(out).replace("\n", " ")


def _marked(window: str, needles: list[str]) -> str:
    """HTML-escaped `window` with every occurrence of every needle in <mark>."""
    marks = [False] * len(window)
    for n in needles:
        i = window.find(n)
        while i >= 0:
            for j in range(i, min(i + len(n), len(window))):
                marks[j] = True
            i = window.find(n, i + 1)
    out, open_ = [], False
    for ch, marked in zip(window, marks, strict=True):
        if marked != open_:
            out.append("<mark>" if marked else "</mark>")
            open_ = marked
        out.append(html.escape(ch))
    if open_:
        out.append("</mark>")
    return "".join(out).replace("\n", " ")


def search(archive: Archive, session: Session, user: User, p: Params) -> Results:
    if p.sort not in SORTS:
        raise errors.Validation("排序方式应为 relevance、date 或 date_asc。", fields={"sort": "无效"})
    p.page, p.per_page = max(1, p.page), max(1, min(p.per_page, 100))
    if p.page > MAX_PAGE:
        raise errors.Validation(f"最多翻到第 {MAX_PAGE} 页，请缩小检索范围。", fields={"page": "过大"})
    parsed = parse(p.q)
    grants: dict[str, set[int]] = {}
    granted = granted_record_ids(session, user)
    if granted:
        for rid, code in session.execute(select(Record.id, Agency.code).join(Agency, Record.custodian_id == Agency.id)
                                         .where(Record.id.in_(granted))).all():
            grants.setdefault(code, set()).add(rid)
    scope = Scope(user.agency.code, {k: frozenset(v) for k, v in grants.items()})
    q = compile_query(parsed, scope)
    sortedby = None if p.sort == "relevance" and not parsed.empty else "formed"
    reverse = p.sort != "date_asc"
    searcher = _searcher(archive)
    # One vectorised pass (engine.py, or Whoosh's own execution when so configured or when the
    # start-up canary found the engine disagreeing): every match, for the exact total and the
    # facet counts, and the top of the page.
    evaluate = canary.evaluator(archive.settings.search_executor)
    matched = evaluate(searcher, q, _filters(p), scored=sortedby is None)
    limit = p.page * p.per_page
    top = matched.top(limit, sortedby, reverse)
    ids = [int(searcher.stored_fields(docnum)["id"]) for docnum in top[limit - p.per_page:limit]]
    records = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(ids)))} if ids else {}
    own = {rid for rid, r in records.items() if r.custodian_id == user.agency_id}
    readable = own | (set(ids) & granted)
    texts = dict(session.execute(select(RecordText.record_id, RecordText.text)
                                 .where(RecordText.record_id.in_(readable))).all()) if readable else {}
    atoms = parsed.positive_atoms()
    results = Results(total=matched.total, page=p.page, per_page=p.per_page)
    for rid in ids:
        r = records.get(rid)
        if r is None:  # indexed but deleted meanwhile; the outbox will catch up
            continue
        results.hits.append(Hit(
            id=r.id, title=r.title, archival_code=r.archival_code, custodian=r.custodian.code,
            custodian_name=r.custodian.name, matter=r.matter.code if r.matter else None, doc_no=r.doc_no,
            formed_on=r.formed_on.isoformat(), accessible=rid in readable,
            snippet=snippet(texts.get(rid, ""), atoms) if rid in readable and atoms else None,
            title_html=highlight_title(r.title, atoms)))
    for name in FACETS:
        counts = matched.facet(name)
        counts.pop("", None)
        results.facets[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    return results


def facet_labels(session: Session) -> dict[str, dict[str, str]]:
    return {"custodian": dict(session.execute(select(Agency.code, Agency.name)).all()),
            "matter": dict(session.execute(select(Matter.code, Matter.name)).all())}


def find(archive: Archive, session: Session, user: User, p: Params, channel: str) -> Results:
    """`search`, and the search on the audit trail with its words and filters (issue 11 item 14):
    the one call the search page and the API share, so both doors log the same entry."""
    results = search(archive, session, user, p)
    with archive.db.transaction() as s:
        audit.append(s, actor=user.username, agency_code=user.agency.code, action="search.query",
                     detail=audit.search_detail(p, results.total, channel))
    return results
