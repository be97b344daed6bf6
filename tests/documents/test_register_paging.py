"""The push ledger, the special-review register and the 公文 register page in SQL (a count and one
page of rows), like the catalogue and the 办件 list: an agency with years of pushes and letters
does not load every row to show fifty."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from archive_app import documents
from archive_app.models import Agency, Case, IssuedDocument, Matter, Push, SpecialReview
from archive_app.organisation.users import create_user
from archive_app.registers import pushes, reviews
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import login

N = 53  # one page of 50 and three more
START = datetime(2026, 1, 5, 9, 0)


@pytest.fixture
def many(archive, org, tmp_path) -> None:
    """N pushes, N special reviews and N issued letters of SPJ, the first (oldest) numbered 1."""
    f.file_bytes(archive, tmp_path, f.pdf_bytes("申请书"), "a.pdf", formed_on="2026-01-02", case_no="SP-2026-0009",
                 applicant="安康市某人力资源公司")
    with archive.db.transaction() as s:
        create_user(s, "spj_corr", "SPJ", "correspondence", PASSWORD)
        spj, rsj = (s.scalar(select(Agency).where(Agency.code == c)) for c in ("SPJ", "RSJ"))
        matter = s.scalar(select(Matter).where(Matter.code == "LWPQ"))
        case = s.scalar(select(Case).where(Case.case_no == "SP-2026-0009"))
        for i in range(1, N + 1):
            at = START + timedelta(hours=i)
            s.add(Push(flow="supervision", sender_id=rsj.id, receiver_id=spj.id, matter_id=matter.id,
                       content=f"监管执法信息第{i:02d}号", channel="platform", sent_on=at.date(), sent_at=at,
                       sent_by="rsj_corr", time_limit_days=5, due_on=at.date() + timedelta(days=7)))
            s.add(SpecialReview(case_id=case.id, kind="现场实地核查", mode="independent", lead_id=spj.id,
                                started_on=at.date(), time_limit_days=5, due_on=at.date() + timedelta(days=7),
                                partner=f"配合单位第{i:02d}号", created_by="spj_corr"))
            s.add(IssuedDocument(template_id="supervision-info-letter", agency_id=spj.id, prefix="安行审", year=2026,
                                 seq=i, doc_no=f"安行审〔2026〕{i}号", title=f"函件第{i:02d}号", issued_on=at.date(),
                                 data="{}", status="issued", created_by="spj_corr"))


@pytest.fixture
def statements():
    seen: list[str] = []

    def keep(conn, cursor, statement, *args) -> None:
        seen.append(" ".join(statement.split()))
    event.listen(Engine, "before_cursor_execute", keep)
    yield seen
    event.remove(Engine, "before_cursor_execute", keep)


def _bounded(seen: list[str], table: str) -> None:
    """Every read of `table` is a count or one LIMITed page."""
    reads = [q for q in seen if q.startswith("SELECT") and re.search(rf"FROM {table}\b", q)]
    assert reads and all("count(" in q or "LIMIT" in q for q in reads), reads


def test_each_register_reads_one_page_in_sql(archive, many, statements) -> None:
    with archive.db.session() as s:
        ledger = pushes.ledger_page(s, "SPJ", page=3, per_page=5)
        assert (ledger.total, ledger.page, ledger.pages) == (N, 3, 11)
        assert [p.content for p in ledger.items] == [f"监管执法信息第{i:02d}号" for i in range(43, 38, -1)]
        _bounded(statements, "pushes")
        statements.clear()
        register = reviews.register_page(s, "SPJ", page=11, per_page=5)  # the last page: the three oldest
        assert (register.total, register.page, register.pages) == (N, 11, 11)
        assert [r.partner for r in register.items] == ["配合单位第03号", "配合单位第02号", "配合单位第01号"]
        assert reviews.register_page(s, "SPJ", page=99, per_page=5).page == 11  # past the end: the last page
        _bounded(statements, "special_reviews")
    statements.clear()
    listed = documents.register_page(archive, "SPJ", page=2, per_page=5)
    assert (listed.total, [d.doc_no for d in listed.items]) == (N, [f"安行审〔2026〕{i}号" for i in range(48, 43, -1)])
    _bounded(statements, "issued_documents")
    assert documents.register_page(archive, "RSJ").total == 0


@pytest.mark.parametrize(("url", "label"), [
    ("/registers/pushes", "监管执法信息"), ("/registers/reviews", "配合单位"), ("/documents/", "函件")])
def test_page_two_of_each_register_shows_the_oldest_rows(client, many, url, label) -> None:
    login(client, "spj_corr")
    one = client.get(url).get_data(as_text=True)
    assert "第 1 / 2 页（共 53 条）" in one and f"{label}第53号" in one and f"{label}第04号" in one
    assert f"{label}第03号" not in one
    two = client.get(url, query_string={"page": 2}).get_data(as_text=True)
    assert "第 2 / 2 页（共 53 条）" in two
    assert all(f"{label}第{i:02d}号" in two for i in (1, 2, 3))
    assert f"{label}第04号" not in two and f"{label}第53号" not in two
