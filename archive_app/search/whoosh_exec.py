"""Whoosh's own execution of a compiled query: the fallback when the vectorised engine is off
(`ARCHIVE_SEARCH_EXECUTOR=whoosh`) or the start-up canary found it disagreeing with Whoosh.

Only Whoosh's public interface is used (no `whoosh_internals`): each leaf of the query tree —
terms, phrases, prefixes, ranges — runs through `Searcher.search` (Whoosh's matchers and BM25F
scores); the compounds are combined here with set algebra on per-document arrays, the same way
engine.py combines them (Whoosh's own AndNot matcher misses exclusions when its positive side is
a union of phrases — whoosh-reloaded 2.7.5, see docs/search.md). Slower (about 25 µs per matched
document), the same documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq


@dataclass
class _Match:
    mask: np.ndarray  # bool per document number of the whole index
    score: np.ndarray | None


class _Run:
    def __init__(self, searcher, scored: bool) -> None:
        self.searcher, self.scored = searcher, scored
        self.n = searcher.doc_count_all()

    def run(self, q: wq.Query) -> _Match:
        if isinstance(q, wq.Or) and all(type(sub) is wq.Term for sub in q.subqueries):
            return self._leaf(q)  # e.g. the records of a grant: one Whoosh search, not one per id
        if isinstance(q, (wq.And, wq.Or)):
            matches = [self.run(sub) for sub in q.subqueries]
            reduce = np.logical_and if isinstance(q, wq.And) else np.logical_or
            empty = np.ones if isinstance(q, wq.And) else np.zeros
            mask = reduce.reduce([m.mask for m in matches]) if matches else empty(self.n, bool)
            return _Match(mask, self._sum(matches, mask))
        if isinstance(q, wq.AndNot):
            positive = self.run(q.a)
            mask = positive.mask & ~self.run(q.b).mask
            return _Match(mask, self._sum([positive], mask))
        if isinstance(q, wq.Not):
            return _Match(~self.run(q.query).mask, None)
        if isinstance(q, wq.ConstantScoreQuery):
            inner = _Run(self.searcher, scored=False).run(q.child)
            return _Match(inner.mask, inner.mask * np.float32(q.score) if self.scored else None)
        if isinstance(q, wq.Every):
            return _Match(np.ones(self.n, bool), None)
        if isinstance(q, type(wq.NullQuery)):
            return _Match(np.zeros(self.n, bool), None)
        return self._leaf(q)

    def _leaf(self, q: wq.Query) -> _Match:
        mask = np.zeros(self.n, bool)
        score = np.zeros(self.n, np.float32) if self.scored else None
        results = self.searcher.search(q, limit=None, scored=self.scored)
        for docnum, value in results.items():
            mask[docnum] = True
            if score is not None:
                score[docnum] = value
        return _Match(mask, score)

    def _sum(self, matches: list[_Match], mask: np.ndarray) -> np.ndarray | None:
        scores = [m.score for m in matches if m.score is not None]
        if not self.scored or not scores:
            return None
        total = np.sum(scores, axis=0, dtype=np.float32)
        total[~mask] = 0
        return total


@dataclass
class Evaluated:
    """The same interface as `engine.Evaluated`: total, top of the list, facet counts."""

    searcher: object
    mask: np.ndarray
    score: np.ndarray

    @property
    def total(self) -> int:
        return int(self.mask.sum())

    def _column(self, fieldname: str) -> list:
        reader = self.searcher.reader()
        if not reader.has_column(fieldname):
            return [""] * len(self.mask)
        column = reader.column_reader(fieldname, translate=True)
        return [column[d] for d in range(len(self.mask))]

    def top(self, limit: int, sort_field: str | None = None, reverse: bool = True) -> list[int]:
        docs = np.flatnonzero(self.mask)
        if sort_field is None:
            keys = -self.score[docs]
        else:
            values = np.asarray([0 if v == "" else v for v in self._column(sort_field)], dtype=np.int64)
            keys = -values[docs] if reverse else values[docs]
        return [int(d) for d in docs[np.argsort(keys, kind="stable")][:limit]]

    def facet(self, fieldname: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        values = self._column(fieldname)
        for d in np.flatnonzero(self.mask).tolist():
            label = str(values[d])
            counts[label] = counts.get(label, 0) + 1
        return counts


def evaluate(searcher, q: wq.Query, filterq: wq.Query | None = None, scored: bool = True) -> Evaluated:
    """Matches of `q` (and `filterq`, which only narrows) over every live document."""
    run = _Run(searcher, scored)
    match = run.run(q)
    live = np.zeros(run.n, bool)
    live[list(searcher.reader().all_doc_ids())] = True
    mask = match.mask & live
    if filterq is not None:
        mask &= _Run(searcher, scored=False).run(filterq).mask
    score = match.score if match.score is not None else np.zeros(run.n, np.float32)
    return Evaluated(searcher, mask, score)
