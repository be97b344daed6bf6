"""归档文件目录 and 整理 (issue 16 item 6, DA/T 22-2015): 件号 follow time order within a class
after 整理; 档号 and the 归档章 follow; the year is then frozen and the act logged."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from archive_app.core import errors
from archive_app.models import AuditEntry, CatalogueYear, IndexJob, Record
from archive_app.organisation.actor import Actor
from archive_app.records import arrangement
from tests import factories as f
from tests.helpers import csrf_from, login

CLERK = Actor("spj_clerk", "SPJ", "clerk")


@pytest.fixture
def filed_late(archive, org, tmp_path):
    """Three SPJ records of one class filed out of time order (March, then January, then February)."""
    ids = {}
    for day, title in (("2026-03-05", "三月决定"), ("2026-01-10", "一月决定"), ("2026-02-01", "二月决定")):
        ids[day] = f.file_bytes(archive, tmp_path, f.pdf_bytes(title), f"{day}.pdf", formed_on=day,
                                title=title).record_id
    return ids


def _items(archive, ids):
    with archive.db.session() as s:
        return {day: s.get(Record, rid).item_no for day, rid in ids.items()}


def test_arrange_renumbers_in_time_order_then_freezes(archive, users, filed_late) -> None:
    assert _items(archive, filed_late) == {"2026-03-05": 1, "2026-01-10": 2, "2026-02-01": 3}
    with archive.db.session() as s:
        before = s.get(Record, filed_late["2026-01-10"])
        original_sha, old_stamp = before.file("original").sha256, before.file("stamped").sha256
    assert arrangement.arrange(archive, CLERK, 2026) == 3
    assert _items(archive, filed_late) == {"2026-01-10": 1, "2026-02-01": 2, "2026-03-05": 3}
    with archive.db.session() as s:
        jan = s.get(Record, filed_late["2026-01-10"])
        assert jan.archival_code == "J001-WS·2026-D30-SWK-0001"
        stamp = archive.store.path_for(jan.file("stamped").sha256).read_bytes()
        first_page = PdfReader(io.BytesIO(stamp)).pages[0].extract_text()
        assert "0001" in first_page and "0002" not in first_page  # the 归档章 follows the new 件号
        assert jan.file("original").sha256 == original_sha == jan.original_sha256  # the original is untouched
        assert jan.file("stamped").sha256 != old_stamp
        assert s.scalar(select(CatalogueYear).where(CatalogueYear.year == 2026)).renumbered == 3
        assert {j.record_id for j in s.scalars(select(IndexJob))} >= set(filed_late.values())
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "catalogue.arrange"))
        assert entry is not None and '"renumbered":3' in entry.detail
    with pytest.raises(errors.Conflict, match="已于整理后固定"):
        arrangement.arrange(archive, CLERK, 2026)


def test_the_catalogue_page_groups_by_class_in_item_order(client, users, archive, filed_late) -> None:
    login(client, "spj_clerk")
    html = client.get("/catalogue/?year=2026").get_data(as_text=True)
    assert "2026年 · 30年（D30）· 社会事务审批科（SWK）" in html
    assert html.index("三月决定") < html.index("一月决定") < html.index("二月决定")  # 件号 order before 整理
    assert "3 件</strong>的件号与形成时间顺序不一致" in html
    token = csrf_from(html)
    refused = client.post("/catalogue/arrange", data={"csrf_token": token, "year": "2026"}, follow_redirects=True)
    assert "请勾选确认" in refused.get_data(as_text=True)
    done = client.post("/catalogue/arrange", data={"csrf_token": token, "year": "2026", "confirm": "yes"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已整理" in done and done.index("一月决定") < done.index("二月决定") < done.index("三月决定")
    assert 'data-testid="frozen"' in done and "20260110" in done  # DA/T 22 日期 in the catalogue


def test_officers_do_not_get_the_catalogue(client, users) -> None:
    login(client, "spj_officer")
    assert client.get("/catalogue/").status_code == 403


def test_lookup_by_code_accepts_a_plain_hyphen(client, users, archive, filed_late) -> None:
    login(client, "spj_officer")
    resp = client.get("/lookup", query_string={"code": "j001-ws-2026-d30-swk-0002"})
    assert resp.headers["Location"].endswith(f"/records/{filed_late['2026-01-10']}")
