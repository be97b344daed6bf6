"""Exact Chinese matching: a record is hit exactly when the searched field contains the string."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_app.search.analysis import normalize
from tests.search.conftest import add_records

# Characters that occur in no fixed catalogue text (matter name, responsible agency), so that
# Python's `in` over title and text is the exact oracle.
ALPHABET = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未"


def _corpus(seed: int, n: int) -> list[dict]:
    rng = random.Random(seed)
    return [{"title": "".join(rng.choice(ALPHABET) for _ in range(rng.randint(4, 14))),
             "text": "".join(rng.choice(ALPHABET + "，。 ") for _ in range(rng.randint(10, 60))),
             "custodian": "SPJ"} for _ in range(n)]


@pytest.fixture
def corpus(archive, org, users):
    rows = _corpus(7, 80)
    ids = add_records(archive, rows)
    return dict(zip(ids, rows, strict=True))


def _expected(corpus: dict, q: str) -> set[int]:
    nq = normalize(q)
    return {rid for rid, row in corpus.items() if nq in normalize(row["title"]) or nq in normalize(row["text"])}


def _found(searcher_for, q: str) -> set[int]:
    res = searcher_for("spj_officer", q=f'"{q}"', per_page=100)
    assert res.total == len(res.hits)
    return {h.id for h in res.hits}


def test_fixed_substrings_match_python_in(corpus, searcher_for) -> None:
    rng = random.Random(11)
    for _ in range(150):
        source = rng.choice(list(corpus.values()))["title"]
        i = rng.randrange(len(source))
        q = source[i:i + rng.randint(1, 6)]
        assert _found(searcher_for, q) == _expected(corpus, q), q


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=7))
def test_property_random_chinese_strings_vs_python_in(corpus, searcher_for, q) -> None:
    assert _found(searcher_for, q) == _expected(corpus, q)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=4), min_size=2, max_size=3),
       st.sampled_from(["and", "or", "not"]))
def test_property_boolean_queries_vs_python_sets(corpus, searcher_for, words, op) -> None:
    """Words, OR and NOT over exact strings equal the same set algebra over Python's `in`."""
    q = {"and": " ".join(words), "or": " OR ".join(words),
         "not": f"{words[0]} " + " ".join(f"-{w}" for w in words[1:])}[op]
    sets = [_expected(corpus, w) for w in words]
    expected = {"and": set.intersection(*sets), "or": set.union(*sets),
                "not": sets[0].difference(*sets[1:])}[op]
    res = searcher_for("spj_officer", q=q, per_page=100)
    assert res.total == len(expected) and {h.id for h in res.hits} == expected, q


def test_inside_a_longer_word_and_no_false_friends(archive, org, users, searcher_for) -> None:
    rows = [{"title": t} for t in ("劳务派遣经营许可证", "最高人民法院判决书", "马克思主义理论学习", "人民法院", "马克")]
    ids = add_records(archive, [{**r, "matter": "TSGS"} for r in rows])  # a matter whose name shares nothing
    assert {h.id for h in searcher_for("spj_officer", q="劳务派遣").hits} == {ids[0]}
    assert {h.id for h in searcher_for("spj_officer", q="人民法院").hits} == {ids[1], ids[3]}
    assert {h.id for h in searcher_for("spj_officer", q="马克思").hits} == {ids[2]}
    assert {h.id for h in searcher_for("spj_officer", q="马克").hits} == {ids[2], ids[4]}


def test_full_width_and_latin_and_codes(archive, org, users, searcher_for) -> None:
    ids = add_records(archive, [
        {"title": "ＡＢＣ公司２０２６年度报告", "uscc": "91350100M000100Y43"},
        {"title": "abc company annual report"},
        {"title": "劳务派遣许可", "applicant": "安康市汉江人力资源有限公司", "uscc": "916109000000000001"}])
    assert {h.id for h in searcher_for("spj_officer", q="abc").hits} == {ids[0], ids[1]}
    assert {h.id for h in searcher_for("spj_officer", q="2026年度").hits} == {ids[0]}
    assert {h.id for h in searcher_for("spj_officer", q="91350100M0").hits} == {ids[0]}  # code prefix
    assert {h.id for h in searcher_for("spj_officer", q="annu*").hits} == {ids[1]}
    assert {h.id for h in searcher_for("spj_officer", q="annu").hits} == set()  # words are whole tokens


@pytest.mark.parametrize("variant", ["安行审函〔2026〕12号", "安行审函[2026]12号", "安行审函（2026）12号",
                                     "安行审函(2026)12号", "安行审函【2026】12号"])
def test_document_number_variants_match_one_another(archive, org, users, searcher_for, variant) -> None:
    ids = add_records(archive, [{"title": "告知函", "doc_no": "安行审函〔2026〕12号"},
                                {"title": "告知函", "doc_no": "安行审函〔2026〕120号"},
                                {"title": "告知函", "doc_no": "安行审函〔2025〕12号"}])
    assert searcher_for("spj_officer", q=variant).hits[0].id == ids[0]
    filtered = searcher_for("spj_officer", q="", doc_no=variant)
    assert {h.id for h in filtered.hits} >= {ids[0]} and ids[2] not in {h.id for h in filtered.hits}


def test_an_exact_title_or_applicant_ranks_first(archive, org, users, searcher_for) -> None:
    ids = add_records(archive, [
        {"title": "关于劳务派遣经营许可证延续的批复", "text": "劳务派遣经营许可 劳务派遣经营许可", "matter": "TSGS"},
        {"title": "劳务派遣经营许可", "text": "", "matter": "TSGS"},
        {"title": "变更登记", "applicant": "劳务派遣经营许可", "matter": "TSGS"}])
    hits = searcher_for("spj_officer", q="劳务派遣经营许可").hits
    assert hits[0].id == ids[1]
    assert {h.id for h in hits} == set(ids)


def test_highlights_mark_exactly_the_matched_characters(archive, org, users, searcher_for) -> None:
    add_records(archive, [{"title": "决定书", "text": "经审查，安康市秦巴劳务派遣有限公司申请劳务派遣经营许可，符合条件。"}])
    hit = searcher_for("spj_officer", q="劳务派遣").hits[0]
    assert hit.snippet.count("<mark>劳务派遣</mark>") == 2
    assert "<mark>" not in hit.snippet.replace("<mark>劳务派遣</mark>", "")


def test_highlighting_escapes_hostile_text(archive, org, users, searcher_for) -> None:
    add_records(archive, [{"title": "<script>alert(1)</script>劳务", "text": "<img src=x onerror=alert(1)>劳务",
                           "matter": "TSGS"}])
    hit = searcher_for("spj_officer", q="劳务").hits[0]
    for html_ in (str(hit.title_html), str(hit.snippet)):
        assert "<script" not in html_ and "<img" not in html_ and "<mark>劳务</mark>" in html_
    assert "&lt;script&gt;" in str(hit.title_html)


def test_a_copied_phrase_matcher_finds_the_same_documents(archive, org, users) -> None:
    from archive_app.search import open_index
    from archive_app.search.phrase import FastPhrase

    add_records(archive, [{"title": t, "matter": "TSGS"} for t in ("甲乙丙丁", "乙丙丁戊", "丙丁甲乙", "甲乙丙")])
    with open_index(archive.settings.index_dir).searcher() as s:
        m = FastPhrase("title", ["甲乙", "乙丙"]).matcher(s)
        copy = m.copy()
        assert list(m.all_ids()) == list(copy.all_ids()) and len(list(FastPhrase("title", ["甲乙", "乙丙"])
                                                                      .matcher(s).all_ids())) == 2
