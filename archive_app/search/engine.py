"""Vectorised execution of a compiled query over Whoosh's segments.

Why: Whoosh matches document by document in Python, about 25 µs per matched document; queries
that match half of a 100k-record corpus took over a second (BENCHMARKS.md). Whoosh segments are
immutable, so here each term's posting list is read once per segment, in one piece, and decoded
into numpy arrays (document numbers, frequencies, positions) kept in a bounded cache; the query tree —
the same `whoosh.query` objects `query.compile_query` builds, so what a user may match is still
defined in one place — is evaluated with array operations: a boolean mask over a segment's
documents, BM25F scores as a float array, phrases by aligning positions.

Whoosh's private names and on-disk layouts are read only through `whoosh_internals.py` (its
docstring lists each assumption); `canary.py` checks this engine against Whoosh's own execution
when the app starts and switches to that (`whoosh_exec.py`) if they disagree.

Scores follow Whoosh's BM25F (B=0.75, K1=1.2, idf = ln(N/(df+1)) + 1, field boosts, unscorable
fields score their weight); a phrase scores as a term with the phrase's frequency and its
rarest word's idf. Only node types `compile_query` and the filters use are executed here; any
other node falls back to Whoosh's own matcher (slow, but the same answer).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from . import whoosh_internals
from .phrase import FastPhrase

B, K1 = 0.75, 1.2
CACHE_BYTES = 512 * 1024 * 1024
# A phrase word is read only near the candidates when they are fewer than 1/SKIP_RATIO of its
# documents (a block holds 128 postings, so fewer candidates than blocks leaves most undecoded).
SKIP_RATIO = 512


class _Cache:
    """Least-recently-used values by key, bounded by their total size in bytes. Values are read
    outside the lock (two threads may read the same term once each; both answers are equal)."""

    def __init__(self, budget: int) -> None:
        self.budget, self.size = budget, 0
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], tuple[object, int]]) -> object:
        value = self.peek(key)
        if value is not None:
            return value
        value, size = load()
        _freeze(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self.size += size
                while self.size > self.budget and len(self._items) > 1:
                    _, (_, old) = self._items.popitem(last=False)
                    self.size -= old
        return value

    def peek(self, key: Hashable) -> object | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def clear(self, terms_only: bool = False) -> None:
        """Forget everything, or only the postings (the benchmark's cold queries)."""
        with self._lock:
            for key in [k for k in self._items if not terms_only or k[1] in ("t", "p")]:
                self.size -= self._items.pop(key)[1]


def _freeze(value: object) -> None:
    """Cached arrays are shared by every query: make them read-only so none is changed in place."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, tuple):
        for item in value:
            _freeze(item)
    elif isinstance(value, Postings):
        for item in (value.docs, value.freqs, value._keys):
            _freeze(item)


cache = _Cache(CACHE_BYTES)


@dataclass
class Postings:
    """One term's postings in one segment."""

    docs: np.ndarray  # int32, ascending
    freqs: np.ndarray  # float32, the term's weight in each document
    values: tuple[bytes, ...] | None  # raw position values, decoded on first need
    _keys: np.ndarray | None = None

    def keys(self) -> np.ndarray:
        """Every occurrence as `document << 32 | position`, ascending."""
        if self._keys is None:
            values = self.values or ()
            pos = np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
            counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
            self._keys = (np.repeat(self.docs.astype(np.int64), counts) << 32) | pos
        return self._keys


def _distinct_sorted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, how many of each) of an ascending array, in one linear pass."""
    if not len(values):
        return values, values
    edges = np.flatnonzero(np.r_[True, values[1:] != values[:-1], True])
    return values[edges[:-1]], np.diff(edges)


_EMPTY = Postings(np.zeros(0, np.int32), np.zeros(0, np.float32), ())


def _read_postings(reader, fieldname: str, text: str, only: np.ndarray | None = None) -> Postings:
    """The postings of a term in a segment (deletions are applied later), read in one piece by
    `whoosh_internals.read_postings`; with `only`, blocks that cannot hold one of those documents
    are skipped undecoded: a rare word's few candidates then cost a few blocks of a common word."""
    docs, freqs, values = whoosh_internals.read_postings(reader, fieldname, text, only)
    return Postings(docs, freqs, values)


def _size(p: Postings) -> int:
    keys = p._keys.nbytes if p._keys is not None else sum(map(len, p.values or ())) * 2
    return p.docs.nbytes + p.freqs.nbytes + keys + 200


class Segment:
    """One segment of the searcher's index, with the arrays a query needs (all cached)."""

    def __init__(self, reader, offset: int, key: str) -> None:
        self.reader, self.offset, self.key = reader, offset, key
        self.n = reader.doc_count_all()

    def postings(self, fieldname: str, text: str) -> Postings:
        return cache.get((self.key, "t", fieldname, text), lambda: self._load_postings(fieldname, text))

    def postings_near(self, fieldname: str, text: str, starts: np.ndarray) -> Postings:
        """The postings of a term for (at least) the documents of the phrase starts found so far:
        from the cache when the whole list is there, else only the blocks that may hold one of
        those documents (not cached)."""
        whole = cache.peek((self.key, "t", fieldname, text))
        if whole is not None:
            return whole  # type: ignore[return-value]
        candidates = _distinct_sorted(starts >> 32)[0]
        df = self.reader.doc_frequency(fieldname, text)
        if len(candidates) * SKIP_RATIO >= df:  # the candidates would touch most blocks anyway
            return self.postings(fieldname, text)
        return _read_postings(self.reader, fieldname, text, only=candidates)

    def _load_postings(self, fieldname: str, text: str) -> tuple[Postings, int]:
        p = _read_postings(self.reader, fieldname, text)
        if p.values:  # positions are decoded at once: the cache then holds arrays, not bytes
            p.keys()
            p.values = None
        return p, _size(p)

    def prefix_docs(self, fieldname: str, prefix: str) -> np.ndarray:
        def load() -> tuple[np.ndarray, int]:
            mask = np.zeros(self.n, bool)
            for text in self.reader.expand_prefix(fieldname, prefix):
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                mask[_read_postings(self.reader, fieldname, word).docs] = True
            return mask, mask.nbytes
        return cache.get((self.key, "p", fieldname, prefix), load)

    def lengths(self, fieldname: str) -> np.ndarray:
        def load() -> tuple[np.ndarray, int]:
            # One byte per document, read in one piece rather than a file read per document.
            values = whoosh_internals.LENGTHS[whoosh_internals.length_bytes(self.reader, fieldname, self.n)]
            return values, values.nbytes
        return cache.get((self.key, "l", fieldname), load)

    def column(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """(distinct values, index of each document's value) of a sortable field. The raw column
        is read as it is stored; only the distinct values are translated (Whoosh translates
        every document's value, which cost more than the query itself)."""
        def load() -> tuple[tuple[np.ndarray, np.ndarray], int]:
            if not self.reader.has_column(fieldname) or not self.n:
                return (np.asarray([""], dtype=object), np.zeros(self.n, np.int32)), self.n * 4
            raw = np.asarray(whoosh_internals.column_values(self.reader, fieldname))
            distinct, codes = np.unique(raw, return_inverse=True)
            translate = self.reader.schema[fieldname].from_column_value
            labels = np.asarray([translate(v.item() if hasattr(v, "item") else v) for v in distinct], dtype=object)
            return (labels, codes.astype(np.int32)), codes.nbytes * 2 + len(labels) * 64
        return cache.get((self.key, "c", fieldname), load)

    def numbers(self, fieldname: str) -> np.ndarray:
        def load() -> tuple[np.ndarray, int]:
            labels, codes = self.column(fieldname)
            values = np.asarray([0 if v == "" else v for v in labels], dtype=np.int64)[codes]
            return values, values.nbytes
        return cache.get((self.key, "n", fieldname), load)

    def live(self) -> np.ndarray:
        def load() -> tuple[np.ndarray, int]:
            mask = np.ones(self.n, bool)
            deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else ()
            if deleted:
                mask[np.fromiter(deleted, np.int64, len(deleted))] = False
            return mask, mask.nbytes
        return cache.get((self.key, "d", self.reader.segment().deleted_count()), load)


def segments(searcher) -> list[Segment]:
    out = []
    for reader, offset in searcher.reader().leaf_readers():
        if not whoosh_internals.is_segment_reader(reader):
            continue  # the empty index's reader: no documents
        out.append(Segment(reader, offset, reader.segment().segment_id()))
    return out


@dataclass
class Match:
    mask: np.ndarray  # bool per document of the segment
    score: np.ndarray | None  # float32 per document, meaningful where mask is set


class Executor:
    """Evaluates a query tree on one segment; global statistics (idf, average field length)
    come from the whole searcher, as in Whoosh."""

    def __init__(self, searcher, seg: Segment, scored: bool = True) -> None:
        self.searcher, self.seg, self.scored = searcher, seg, scored

    def run(self, q: wq.Query) -> Match:
        method = getattr(self, f"_{type(q).__name__}", None)
        if isinstance(q, FastPhrase):
            method = self._Phrase
        return method(q) if method else self._fallback(q)

    # leaves

    def _bm25(self, fieldname: str, docs: np.ndarray, freqs: np.ndarray, idf: float, boost: float) -> np.ndarray:
        field = self.searcher.schema[fieldname]
        if not field.scorable:
            return freqs * boost
        avgfl = self.searcher.avg_field_length(fieldname) or 1.0
        fl = self.seg.lengths(fieldname)[docs]
        return boost * idf * (freqs * (K1 + 1)) / (freqs + K1 * ((1 - B) + B * fl / avgfl))

    def _from_docs(self, docs: np.ndarray, values: np.ndarray | None) -> Match:
        mask = np.zeros(self.seg.n, bool)
        mask[docs] = True
        score = None
        if values is not None:
            score = np.zeros(self.seg.n, np.float32)
            score[docs] = values
        return Match(mask, score)

    def _Term(self, q: wq.Term) -> Match:
        p = self.seg.postings(q.fieldname, q.text)
        values = None
        if self.scored and len(p.docs):
            values = self._bm25(q.fieldname, p.docs, p.freqs, self.searcher.idf(q.fieldname, q.text), q.boost)
        return self._from_docs(p.docs, values)

    def _Prefix(self, q: wq.Prefix) -> Match:
        mask = self.seg.prefix_docs(q.fieldname, q.text)
        return Match(mask, mask * np.float32(q.boost) if self.scored else None)

    def _Phrase(self, q: wq.Phrase) -> Match:
        """Words in order of rarity: the rarest read whole (cached), each next one only where the
        phrase can still occur; then occurrence s of the phrase needs word i at position s + i."""
        if q.slop != 1 or not q.words:
            return self._fallback(q)
        words, reader, nothing = list(q.words), self.seg.reader, Match(np.zeros(self.seg.n, bool), None)
        dfs = [reader.doc_frequency(q.fieldname, w) for w in words]
        if not all(dfs):
            return nothing
        starts = None
        for i in sorted(range(len(words)), key=dfs.__getitem__):
            if starts is None:
                p = self.seg.postings(q.fieldname, words[i])
            else:
                p = self.seg.postings_near(q.fieldname, words[i], starts)
            keys = p.keys()
            if starts is None:  # where the phrase would start (a position below i can match nothing)
                starts = keys - i if i else keys
            else:  # keep the starts s where word i occurs at s + i
                wanted = starts + i
                at = np.searchsorted(keys, wanted)
                found = at < len(keys)
                found[found] = keys[at[found]] == wanted[found]
                starts = starts[found]
            if not len(starts):
                return nothing
        docs, freqs = _distinct_sorted(starts >> 32)
        values = None
        if self.scored:
            idf = max(self.searcher.idf(q.fieldname, w) for w in words)
            values = self._bm25(q.fieldname, docs, freqs.astype(np.float32), idf, q.boost)
        return self._from_docs(docs, values)

    def _NumericRange(self, q: wq.NumericRange) -> Match:
        values = self.seg.numbers(q.fieldname)
        mask = np.ones(self.seg.n, bool)
        if q.start is not None:
            mask &= (values > q.start) if q.startexcl else (values >= q.start)
        if q.end is not None:
            mask &= (values < q.end) if q.endexcl else (values <= q.end)
        return Match(mask, None)

    def _Every(self, q: wq.Every) -> Match:
        return Match(np.ones(self.seg.n, bool), None)

    def _NullQuery(self, q: wq.Query) -> Match:
        return Match(np.zeros(self.seg.n, bool), None)

    def _fallback(self, q: wq.Query) -> Match:
        """Whoosh's own matcher for a node this engine does not know (same answer, slower), run
        on this segment alone (not closed: the reader belongs to the thread's searcher)."""
        docs = list(Searcher(self.seg.reader).docs_for_query(q))
        return self._from_docs(np.asarray(docs, dtype=np.int64), None)

    # compounds

    def _sum(self, matches: list[Match], mask: np.ndarray) -> np.ndarray | None:
        scores = [m.score for m in matches if m.score is not None]
        if not self.scored or not scores:
            return None
        total = np.sum(scores, axis=0, dtype=np.float32) if len(scores) > 1 else scores[0].copy()
        total[~mask] = 0
        return total

    def _And(self, q: wq.And) -> Match:
        matches = [self.run(sub) for sub in q.subqueries]
        mask = np.logical_and.reduce([m.mask for m in matches]) if matches else np.ones(self.seg.n, bool)
        return Match(mask, self._sum(matches, mask))

    def _Or(self, q: wq.Or) -> Match:
        matches = [self.run(sub) for sub in q.subqueries]
        mask = np.logical_or.reduce([m.mask for m in matches]) if matches else np.zeros(self.seg.n, bool)
        return Match(mask, self._sum(matches, mask))

    def _Not(self, q: wq.Not) -> Match:
        return Match(~self.run(q.query).mask, None)

    def _AndNot(self, q: wq.AndNot) -> Match:
        positive = self.run(q.a)
        mask = positive.mask & ~self.run(q.b).mask
        return Match(mask, self._sum([positive], mask))

    def _ConstantScoreQuery(self, q: wq.ConstantScoreQuery) -> Match:
        inner = Executor(self.searcher, self.seg, scored=False).run(q.child)
        return Match(inner.mask, inner.mask * np.float32(q.score) if self.scored else None)


@dataclass
class Evaluated:
    """A query's matches over the whole index: per segment masks and scores, concatenated."""

    segments: list[Segment]
    mask: np.ndarray  # bool by position in the concatenated segments
    score: np.ndarray  # float32 by the same position

    @property
    def total(self) -> int:
        return int(self.mask.sum())

    def top(self, limit: int, sort_field: str | None = None, reverse: bool = True) -> list[int]:
        """Whoosh document numbers of the first `limit` matches: by score or by a sortable field,
        ties in index order."""
        docs = np.flatnonzero(self.mask)
        if sort_field is None:
            keys = -self.score[docs]
        else:
            values = np.concatenate([s.numbers(sort_field) for s in self.segments]) if self.segments else docs
            keys = -values[docs] if reverse else values[docs]
        if len(docs) > limit:
            part = np.argpartition(keys, limit - 1)[:limit]
            cutoff = keys[part].max()
            docs, keys = docs[keys <= cutoff], keys[keys <= cutoff]  # keep ties at the cutoff
        order = np.argsort(keys, kind="stable")
        return self._docnums(docs[order][:limit])

    def _starts(self) -> np.ndarray:
        return np.cumsum([0] + [s.n for s in self.segments])

    def _docnums(self, positions: np.ndarray) -> list[int]:
        starts = self._starts()
        which = np.searchsorted(starts, positions, side="right") - 1
        return [int(self.segments[w].offset + p - starts[w]) for w, p in zip(which, positions, strict=True)]

    def facet(self, fieldname: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for seg, lo in zip(self.segments, self._starts(), strict=False):
            labels, codes = seg.column(fieldname)
            if not len(labels):
                continue
            per = np.bincount(codes[self.mask[lo:lo + seg.n]], minlength=len(labels))
            for label, n in zip(labels.tolist(), per.tolist(), strict=True):
                if n:
                    counts[str(label)] = counts.get(str(label), 0) + n
        return counts


def evaluate(searcher, q: wq.Query, filterq: wq.Query | None = None, scored: bool = True) -> Evaluated:
    """Matches of `q` (and `filterq`, which only narrows) over every live document."""
    segs = segments(searcher)
    masks, scores = [], []
    for seg in segs:
        match = Executor(searcher, seg, scored).run(q)
        mask = match.mask & seg.live()
        if filterq is not None:
            mask &= Executor(searcher, seg, scored=False).run(filterq).mask
        masks.append(mask)
        scores.append(match.score if match.score is not None else np.zeros(seg.n, np.float32))
    if not segs:
        return Evaluated([], np.zeros(0, bool), np.zeros(0, np.float32))
    return Evaluated(segs, np.concatenate(masks), np.concatenate(scores))
