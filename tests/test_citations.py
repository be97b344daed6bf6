"""The citations table against the seed texts: titles, articles, items and the phrase each rule
comes from (安康办法 第一至十六条; 未央 1264 工作机制 一至四)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_app.core import citations
from tests.citation_check import SOURCES, check_letter, clause_problem, letter_citations, seed_text, squash, structure

SHARED = Path("/work/shared/seeds")


def test_the_copies_of_the_seeds_are_the_seeds() -> None:
    if not SHARED.is_dir():
        pytest.skip("the shared seed directory is not on this machine")
    for path in SOURCES.glob("*.txt"):
        assert path.read_bytes() == (SHARED / path.name).read_bytes()


def test_the_seeds_parse_into_their_articles() -> None:
    banfa = structure("banfa")
    assert sorted(banfa) == list(range(1, 17))
    assert sorted(banfa[8][1]) == [1, 2, 3, 4, 5] and sorted(banfa[9][1]) == list(range(1, 8))
    weiyang = structure("weiyang")
    assert sorted(weiyang) == [1, 2, 3, 4] and sorted(weiyang[3][1]) == list(range(1, 7))


@pytest.mark.parametrize("reg", [r for r in citations.REGULATIONS if r.seed], ids=lambda r: r.key)
def test_a_seeded_regulation_has_its_exact_title_and_number(reg: citations.Regulation) -> None:
    text = squash(seed_text(reg))
    assert squash(reg.title) in text
    assert reg.doc_no in text


@pytest.mark.parametrize("key", sorted(k for k, c in citations.CLAUSES.items() if c.regulation.seed))
def test_each_clause_exists_and_says_what_it_is_cited_for(key: str) -> None:
    c = citations.CLAUSES[key]
    assert clause_problem(c.regulation, c.article, c.items) is None
    article_text, items = structure(c.regulation.key)[c.article]
    where = "".join(items[i] for i in c.items) if c.items else article_text
    assert squash(c.quote) in squash(where), f"{key}: the quote is not in {c.ref}"
    for other, text in items.items():  # the phrase identifies the item: not in a neighbour
        if other not in c.items and c.items:
            assert squash(c.quote) not in squash(text)


def test_national_laws_are_listed_with_their_official_titles() -> None:
    assert "中华人民共和国行政许可法" in citations.NATIONAL_LAWS
    assert all(t.startswith("中华人民共和国") and t.endswith("法") for t in citations.NATIONAL_LAWS)


def test_references_are_written_as_the_texts_write_them() -> None:
    assert citations.cite("objection") == "《安康市集中审批与监管协调联动实施办法（试行）》第九条第（五）项"
    assert citations.ref("objection", "licence_change") == "第九条第（五）项、第（六）项"
    assert citations.cite("boundary", "approval_push") == (
        "《安康市集中审批与监管协调联动实施办法（试行）》第六条、第九条第（一）项")
    assert citations.CLAUSES["wy_standards"].ref == "三（二）"
    assert [citations.cn_number(n) for n in (1, 10, 14, 20, 69, 70)] == ["一", "十", "十四", "二十", "六十九", "七十"]


def test_the_checker_finds_a_wrong_title_a_missing_item_and_a_neighbouring_item() -> None:
    assert check_letter("依据《安康市人力资源和社会保障领域审管联动工作办法》第九条") != []
    assert check_letter("依据《安康市集中审批与监管协调联动实施办法（试行）》第九条第（八）项") != []
    assert check_letter("依据《安康市集中审批与监管协调联动实施办法（试行）》第十七条") != []
    good = "依据《安康市集中审批与监管协调联动实施办法（试行）》第九条第（五）项，"
    assert check_letter(good, {"objection"}) == []
    assert check_letter(good.replace("（五）", "（六）"), {"objection"}) != []
    assert letter_citations("《中华人民共和国行政许可法》第六十九条") == [("中华人民共和国行政许可法", [(69, ())])]
