"""The audit page in Chinese (issue 16 item 3): labels, readable details with links, pickers, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest

from archive_app import audit
from archive_app.audit import labels as audit_labels
from archive_app.models import AuditEntry
from archive_app.organisation.users import create_user
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import login


@pytest.fixture
def admin_client(client, users, archive, tmp_path, monkeypatch):
    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", PASSWORD)
    # the filing happens at 2026-11-30 20:13 UTC = 2026年12月1日 04:13 北京时间
    monkeypatch.setattr(audit, "utcnow", lambda: datetime(2026, 11, 30, 20, 13, 1))
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", doc_no="安行审许〔2026〕19号")
    monkeypatch.undo()
    login(client, "spj_officer")
    client.get(f"/records/{filed.record_id}")
    login(client, "spj_admin")
    return client, filed


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _table(html: str) -> str:
    """The text of the log table only (the pickers above it name every action)."""
    return _text(html[html.index('data-testid="audit-table"'):html.index("</table>")])


def test_the_audit_page_reads_in_chinese_without_raw_codes(admin_client) -> None:
    client, filed = admin_client
    html = client.get("/audit/").get_data(as_text=True)
    text = _text(html)
    assert "查看档案" in text and "归档" in text and "登录" in text
    assert not re.search(r"\b(record|auth|user|lookup|push)\.[a-z_]+\b", text), "raw action codes shown"
    assert '{"' not in text and "archival_code" not in text
    assert "档号：" in text and filed.archival_code in text and "2026年12月1日 04:13" in text
    assert f'href="/records/{filed.record_id}"' in html  # the object links to its page
    # pickers, not codes to type
    assert '<select name="action">' in html and '<option value="record.view">查看档案</option>' in html
    assert '<select name="actor">' in html and '<select name="object_type">' in html


def test_filters_by_picker_and_local_dates(admin_client) -> None:
    client, _filed = admin_client
    only = _table(client.get("/audit/", query_string={"action": "record.view"}).get_data(as_text=True))
    assert "查看档案" in only and "登录" not in only and "归档" not in only
    # 2026-12-01 北京时间 contains the filing made at 2026-11-30 20:13 UTC
    day = _table(client.get("/audit/", query_string={"action": "record.file", "date_from": "2026-12-01",
                                                    "date_to": "2026-12-01"}).get_data(as_text=True))
    assert "2026年12月1日 04:13" in day
    before = _table(client.get("/audit/", query_string={"action": "record.file",
                                                       "date_to": "2026-11-30"}).get_data(as_text=True))
    assert "2026年12月1日 04:13" not in before and "没有符合条件的记录" in before


def test_csv_has_chinese_headers_bom_and_local_time(admin_client) -> None:
    client, filed = admin_client
    resp = client.get("/audit/export.csv", query_string={"action": "record.file"})
    raw = resp.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["序号", "时间（北京时间）", "操作人", "单位", "操作"]
    assert rows[1][1] == "2026-12-01 04:13:01" and rows[1][4] == "归档"
    assert f"档号：{filed.archival_code}" in rows[1][7]
    assert datetime.fromisoformat(rows[1][1])  # sortable in Excel


def test_labels_cover_what_the_page_shows(admin_client, archive) -> None:
    with archive.db.session() as s:
        actions = {a for (a,) in s.query(AuditEntry.action).distinct()}
    assert actions and all(a in audit_labels.ACTION_LABELS for a in actions)
