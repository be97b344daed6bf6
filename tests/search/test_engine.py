"""The vectorised engine gives Whoosh's answers: the same documents for every kind of query node,
over several segments, multi-block postings and deleted documents; BM25F scores equal to
Whoosh's for terms; positions read a block at a time equal to Whoosh's per-posting decoding."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from sqlalchemy import update
from whoosh import query as wq

from archive_app import search
from archive_app.models import IndexJob, Record
from archive_app.search import engine, schema
from archive_app.search.query import Scope, compile_query, parse
from archive_app.search.searcher import _filters
from tests.search.conftest import add_records

ALPHABET = "甲乙丙丁戊己庚"  # few characters: common bigrams have hundreds of postings (several blocks)


@pytest.fixture
def big(archive, org, users):
    rng = random.Random(3)
    ids = []
    for batch, size in enumerate((600, 150, 50)):  # each drain commits a segment
        rows = [{"title": "".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 9))),
                 "text": "".join(rng.choice(ALPHABET + "，") for _ in range(rng.randint(20, 80))),
                 "custodian": rng.choice(["SPJ", "SPJ", "SPJ", "RSJ"]), "doc_no": f"安行审许〔{2020 + batch}〕{rng.randint(1, 99)}号",
                 "formed_on": date(2020 + batch, rng.randint(1, 12), rng.randint(1, 28))} for _ in range(size)]
        ids += add_records(archive, rows)
    with archive.db.transaction() as s:  # re-index some: their old documents become deletions
        s.execute(update(Record).where(Record.id.in_(ids[::7])).values(title="甲乙丙丁戊己庚更新"))
        s.add_all(IndexJob(record_id=i) for i in ids[::7])
    search.drain_all(archive)
    ix = schema.open_index(archive.settings.index_dir)
    with ix.searcher() as searcher:
        yield searcher


def _whoosh_docs(searcher, q, filterq=None) -> set[int]:
    """The oracle: Whoosh's own matchers for the leaves, set algebra for the compounds. (Whoosh's
    AndNot matcher itself misses exclusions when its positive side is a union of phrases — seen
    with whoosh-reloaded 2.7.5 and its stock Phrase — so compounds are not left to it.)"""
    docs = _oracle(searcher, q)
    return docs & _oracle(searcher, filterq) if filterq is not None else docs


def _oracle(searcher, q) -> set[int]:
    if isinstance(q, wq.And):
        return set.intersection(*(_oracle(searcher, sub) for sub in q.subqueries))
    if isinstance(q, wq.Or):
        return set.union(*(_oracle(searcher, sub) for sub in q.subqueries))
    if isinstance(q, wq.AndNot):
        return _oracle(searcher, q.a) - _oracle(searcher, q.b)
    if isinstance(q, wq.Not):
        return set(searcher.reader().all_doc_ids()) - _oracle(searcher, q.query)
    if isinstance(q, wq.ConstantScoreQuery):
        return _oracle(searcher, q.child)
    return set(searcher.docs_for_query(q))


def _engine_docs(searcher, q, filterq=None) -> set[int]:
    found = engine.evaluate(searcher, q, filterq)
    return set(found.top(found.total + 1))


def test_the_fixture_has_several_segments_many_blocks_and_deletions(big) -> None:
    readers = [r for r, _ in big.reader().leaf_readers()]
    assert len(readers) > 1 or readers[0].has_deletions()
    assert any(r.has_deletions() for r in readers)
    assert max(r.doc_frequency("content_spj", a + b) for r in readers for a in ALPHABET for b in ALPHABET) > 128


@pytest.mark.parametrize("agency", ["SPJ", "RSJ"])
def test_compiled_queries_match_the_same_documents_as_whoosh(big, agency) -> None:
    rng = random.Random(agency)
    scope = Scope(agency, {"RSJ" if agency == "SPJ" else "SPJ": frozenset(range(1, 40))})
    for _ in range(60):
        words = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 3))]
        text = rng.choice([" ".join(words), " OR ".join(words), f'"{words[0]}" -{words[-1]}',
                           f"{words[0]} NOT {words[-1]}" if len(words) > 1 else words[0],
                           f"{words[0]} OR -{words[-1]}"])
        q = compile_query(parse(text), scope)
        assert _engine_docs(big, q) == _whoosh_docs(big, q), text


def test_filters_and_ranges_match_whoosh(big) -> None:
    q = compile_query(parse("甲乙"), Scope("SPJ", {}))
    for params in ({"custodian": "RSJ"}, {"date_from": "2021-03-01", "date_to": "2022-06-30"},
                   {"date_from": "2022-01-01"}, {"doc_no": "2021"}, {"applicant": "无此人"}):
        filterq = _filters(search.Params(**params))
        assert _engine_docs(big, q, filterq) == _whoosh_docs(big, q, filterq), params


def test_term_scores_are_whooshs_bm25f(big) -> None:
    q = wq.Or([wq.Term("title", "甲乙", boost=3.0), wq.Term("content_spj", "丙丁")])
    expected = {hit.docnum: hit.score for hit in big.search(q, limit=None)}
    found = engine.evaluate(big, q)
    order = found.top(found.total)
    assert set(order) == set(expected)
    starts = found._starts()
    for docnum in order:
        seg = next(i for i, s in enumerate(found.segments) if s.offset <= docnum < s.offset + s.n)
        position = starts[seg] + docnum - found.segments[seg].offset
        assert found.score[position] == pytest.approx(expected[docnum], rel=1e-5)
    assert [expected[d] for d in order] == sorted(expected.values(), reverse=True)


def test_positions_read_a_block_at_a_time_equal_whooshs(big) -> None:
    for reader, _ in big.reader().leaf_readers():
        for word in ("甲乙", "丙丁", "庚" + "\uffff"):
            if ("content_spj", word) not in reader:
                continue
            postings = engine._read_postings(reader, "content_spj", word)
            m = reader.postings("content_spj", word)
            expected = []
            while m.is_active():  # Whoosh skips deleted documents; the engine masks them later
                expected.append((m.id(), list(m.value_as("positions"))))
                m.next()
            keys = postings.keys()
            docs, pos = keys >> 32, keys & 0xFFFFFFFF
            got = {}
            for d, p in zip(docs.tolist(), pos.tolist(), strict=True):
                got.setdefault(d, []).append(p)
            assert [(d, got[d]) for d, _ in expected] == expected


def test_a_small_cache_gives_the_same_answers(big, monkeypatch) -> None:
    q = compile_query(parse('"甲乙丙" 丁'), Scope("SPJ", {}))
    before = _engine_docs(big, q)
    monkeypatch.setattr(engine, "cache", engine._Cache(budget=1))
    assert _engine_docs(big, q) == before == _whoosh_docs(big, q)
    assert len(engine.cache._items) == 1


def test_phrases_read_only_near_their_candidates_give_the_same_answers(big, monkeypatch) -> None:
    monkeypatch.setattr(engine, "SKIP_RATIO", 1)  # every later word is read near its candidates
    monkeypatch.setattr(engine, "cache", engine._Cache(budget=1))
    rng = random.Random(5)
    for _ in range(40):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 6)))
        q = compile_query(parse(f'"{text}"'), Scope("SPJ", {}))
        assert _engine_docs(big, q) == _whoosh_docs(big, q), text


def test_a_partial_read_holds_every_candidate_of_the_term(big) -> None:
    reader = max((r for r, _ in big.reader().leaf_readers()), key=lambda r: r.doc_count_all())
    whole = engine._read_postings(reader, "content_spj", "甲乙")
    assert len(whole.docs) > 128  # more than one block
    candidates = np.asarray([0, *whole.docs[:3].tolist(), int(whole.docs[2]) + 1], dtype=np.int64)
    part = engine._read_postings(reader, "content_spj", "甲乙", only=np.unique(candidates))
    assert len(part.docs) == 128  # the first block only
    assert set(whole.docs.tolist()) & set(candidates.tolist()) <= set(part.docs.tolist())
    assert set(part.docs.tolist()) <= set(whole.docs.tolist())


def test_an_unknown_node_falls_back_to_whoosh(big) -> None:
    q = wq.Wildcard("codes", "*2021*")
    assert _engine_docs(big, q) == _whoosh_docs(big, q)
    assert _engine_docs(big, q)


def test_cached_arrays_cannot_be_changed_in_place(big) -> None:
    seg = engine.segments(big)[0]
    with pytest.raises(ValueError):
        seg.live()[0] = False


def test_the_cache_accounts_for_what_it_holds_and_forgets_postings_alone(big, monkeypatch) -> None:
    monkeypatch.setattr(engine, "cache", engine._Cache(budget=10**9))
    found = engine.evaluate(big, compile_query(parse("甲乙丙 丁"), Scope("SPJ", {})))
    found.facet("custodian")
    kinds = {key[1] for key in engine.cache._items}
    assert {"t", "c", "d"} <= kinds
    engine.cache.clear(terms_only=True)
    assert {key[1] for key in engine.cache._items} == kinds - {"t", "p"}
    assert engine.cache.size == sum(size for _, size in engine.cache._items.values()) > 0


def test_the_searcher_reuses_unchanged_segments_and_sees_every_change(archive, org, users, searcher_for) -> None:
    from archive_app.search.searcher import _searcher

    first = add_records(archive, [{"title": "复用段落甲"}])
    assert [h.id for h in searcher_for("spj_officer", q="复用段落").hits] == first
    before = {r.segment().segment_id(): r for r, _ in _searcher(archive).reader().leaf_readers()}
    second = add_records(archive, [{"title": "复用段落乙"}])  # a new segment (or a merge)
    assert {h.id for h in searcher_for("spj_officer", q="复用段落").hits} == set(first + second)
    after = {r.segment().segment_id(): r for r, _ in _searcher(archive).reader().leaf_readers()}
    assert all(after[k] is before[k] for k in set(before) & set(after))  # same reader objects
    search.rebuild(archive)  # a rebuilt index swapped in, whatever its generation number
    assert {h.id for h in searcher_for("spj_officer", q="复用段落").hits} == set(first + second)
    with archive.db.transaction() as s:
        s.execute(update(Record).where(Record.id == first[0]).values(title="改名之后"))
    search.rebuild(archive)
    assert [h.id for h in searcher_for("spj_officer", q="复用段落").hits] == second
    assert [h.id for h in searcher_for("spj_officer", q="改名之后").hits] == first
