"""No one learns a word of a record's content through search unless they may open it: not by a
hit, a snippet, a count, a facet or a sort order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from archive_app.core.db import utcnow
from archive_app.models import LookupRequest, User
from archive_app.records import lookups
from tests.search.conftest import add_records

SECRET = "秘密核查线索甲乙丙"


@pytest.fixture
def two_sides(archive, org, users):
    return add_records(archive, [
        {"title": "劳务派遣经营许可决定书", "text": f"内部材料：{SECRET}。", "custodian": "SPJ", "matter": "TSGS",
         "doc_type": "决定"},
        {"title": "监管检查记录", "text": "日常检查，未发现问题。", "custodian": "RSJ", "matter": "TSGS", "doc_type": "记录"},
        {"title": "人力资源服务许可证", "text": "核发材料", "custodian": "SPJ", "matter": "TSGS",
         "formed_on": date(2025, 1, 5)},
    ])


def test_the_custodian_finds_content_the_other_agency_does_not(two_sides, searcher_for) -> None:
    own = searcher_for("spj_officer", q="核查线索")
    assert [h.id for h in own.hits] == [two_sides[0]] and "<mark>核查线索</mark>" in own.hits[0].snippet
    other = searcher_for("rsj_officer", q="核查线索")
    assert other.total == 0 and other.hits == []
    assert all(sum(counts.values()) == 0 for counts in other.facets.values())


def test_catalogue_hits_carry_no_snippet_for_the_other_agency(two_sides, searcher_for) -> None:
    res = searcher_for("rsj_officer", q="劳务派遣")
    assert [h.id for h in res.hits] == [two_sides[0]]
    assert res.hits[0].snippet is None and res.hits[0].accessible is False


def test_content_cannot_be_probed_with_and_not_or_or(two_sides, searcher_for) -> None:
    probes = ["劳务派遣 核查线索", "劳务派遣 -核查线索", "劳务派遣 NOT 核查线索", "许可 -核查线索",
              "核查线索 OR 不存在的词", '"核查线索"']
    for q in probes:
        rsj = {h.id for h in searcher_for("rsj_officer", q=q).hits}
        without = {h.id for h in searcher_for("rsj_officer", q=q.replace("核查线索", "不存在的词语")).hits}
        assert rsj == without, q  # what RSJ sees does not depend on SPJ's hidden text
    assert {h.id for h in searcher_for("spj_officer", q="劳务派遣 -核查线索").hits} == set()


def test_counts_facets_and_order_do_not_depend_on_hidden_text(archive, org, users, searcher_for) -> None:
    base = [{"title": f"许可决定{i}", "text": "普通内容", "custodian": "SPJ", "matter": "TSGS"} for i in range(3)]
    base += [{"title": f"许可记录{i}", "text": "普通内容", "custodian": "RSJ", "matter": "TSGS"} for i in range(3)]
    ids = add_records(archive, base)
    before = searcher_for("rsj_officer", q="许可 普通内容")
    # SPJ now files a lot of text containing the query words
    add_records(archive, [{"title": "无关题名", "text": "许可 普通内容 " * 50, "custodian": "SPJ", "matter": "TSGS"}
                          for _ in range(5)])
    after = searcher_for("rsj_officer", q="许可 普通内容")
    assert [h.id for h in after.hits] == [h.id for h in before.hits]
    assert after.total == before.total and after.facets == before.facets
    assert {h.id for h in after.hits} == set(ids[3:])  # RSJ's own records only (content match)


def test_an_approved_lookup_opens_content_in_search_and_expiry_closes_it(two_sides, archive, searcher_for) -> None:
    with archive.db.transaction() as s:
        requester = s.scalar(select(User).where(User.username == "rsj_officer"))
        clerk = s.scalar(select(User).where(User.username == "spj_clerk"))
        req = lookups.create(s, requester, [two_sides[0]], "核查", "view", 2)
        lookups.decide(s, clerk, req.id, "approve")
    res = searcher_for("rsj_officer", q="核查线索")
    assert [h.id for h in res.hits] == [two_sides[0]] and res.hits[0].accessible and res.hits[0].snippet
    assert searcher_for("rsj_clerk", q="核查线索").total == 0  # the grant is personal
    with archive.db.transaction() as s:
        s.execute(update(LookupRequest).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert searcher_for("rsj_officer", q="核查线索").total == 0


def test_filters_facets_sort_and_paging(two_sides, searcher_for) -> None:
    res = searcher_for("spj_officer", q="", sort="date", per_page=2)
    assert res.total == 3 and len(res.hits) == 2
    assert res.hits[0].formed_on >= res.hits[1].formed_on
    assert res.facets["custodian"] == {"SPJ": 2, "RSJ": 1}
    assert res.facets["year"] == {"2026": 2, "2025": 1}
    page2 = searcher_for("spj_officer", q="", sort="date", per_page=2, page=2)
    assert len(page2.hits) == 1 and page2.hits[0].id == two_sides[2]
    assert searcher_for("spj_officer", q="", custodian="RSJ").total == 1
    assert searcher_for("spj_officer", q="", date_from="2025-01-01", date_to="2025-12-31").total == 1
    assert searcher_for("spj_officer", q="", doc_type="决定").total == 1
    asc = searcher_for("spj_officer", q="", sort="date_asc")
    assert asc.hits[0].id == two_sides[2]


@pytest.mark.parametrize(("q", "fragment"), [
    ('"劳务派遣', "引号不成对"), ("OR", "OR 两侧"), ("劳务 OR", "OR 两侧"), ("NOT", "NOT"), ("-劳务", "只有排除词"),
    ("劳" * 10_000, "过长"), ("劳务\x00派遣", "控制字符"), ("？？？", "没有可以检索"),
])
def test_malformed_queries_get_a_clear_message(two_sides, searcher_for, q, fragment) -> None:
    from archive_app.core import errors
    with pytest.raises(errors.Validation) as caught:
        searcher_for("spj_officer", q=q)
    assert fragment in caught.value.message


def test_a_lookup_grant_opens_only_the_records_it_covers(archive, org, users, searcher_for) -> None:
    """第十条 mutual access is per 调阅: a grant on one SPJ record must not open the content of
    SPJ's other records to the requester (search/query.py limits granted content to the grant's ids)."""
    ids = add_records(archive, [
        {"title": "准予许可决定书甲", "text": "共同线索：已批准调阅。", "custodian": "SPJ", "matter": "TSGS"},
        {"title": "准予许可决定书乙", "text": "共同线索：未调阅的内部意见。", "custodian": "SPJ", "matter": "TSGS"},
    ])
    with archive.db.transaction() as s:
        requester = s.scalar(select(User).where(User.username == "rsj_officer"))
        clerk = s.scalar(select(User).where(User.username == "spj_clerk"))
        req = lookups.create(s, requester, [ids[0]], "核查", "view", 2)
        lookups.decide(s, clerk, req.id, "approve")
    res = searcher_for("rsj_officer", q="共同线索")
    assert [h.id for h in res.hits] == [ids[0]] and res.total == 1
    assert searcher_for("rsj_officer", q="内部意见").total == 0
