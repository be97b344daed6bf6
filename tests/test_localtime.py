"""Times stored in UTC are read in 北京时间 (issue 16 item 1): pages, API, exports."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from archive_app.core import localtime
from archive_app.core.config import load_settings
from archive_app.models import Record
from tests import factories as f
from tests.helpers import login


@pytest.fixture(autouse=True)
def _shanghai():
    localtime.configure("Asia/Shanghai")
    yield
    localtime.configure("Asia/Shanghai")


def test_utc_is_shown_in_beijing_time_in_one_style():
    utc = datetime(2026, 11, 30, 20, 13, 1)  # 04:13 next day in Beijing
    assert localtime.cn_datetime(utc) == "2026年12月1日 04:13"
    assert localtime.cn_date(utc) == "2026年12月1日"
    assert localtime.cn_time(utc) == "04:13"
    assert localtime.cn_date(date(2026, 12, 1)) == "2026年12月1日"
    assert localtime.iso_local(utc) == "2026-12-01T04:13:01+08:00"
    assert localtime.cn_datetime("2026-11-30T20:13:01.123456") == "2026年12月1日 04:13"  # audit `at`
    assert localtime.export_datetime(utc) == "2026-12-01 04:13:01"
    assert localtime.cn_date(None) == "—"


def test_the_zone_is_configurable(monkeypatch):
    monkeypatch.setenv("ARCHIVE_TIMEZONE", "Europe/Berlin")
    assert load_settings({"secret_key": "x"}).timezone == "Europe/Berlin"
    localtime.configure("Europe/Berlin")
    assert localtime.iso_local(datetime(2026, 7, 1, 10, 0)) == "2026-07-01T12:00:00+02:00"
    assert localtime.zone_label() == "Europe/Berlin"
    with pytest.raises(ValueError, match="ARCHIVE_TIMEZONE"):
        localtime.configure("Mars/Olympus")


def test_record_page_and_api_show_local_time(client, users, archive, tmp_path):
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    with archive.db.transaction() as s:
        rec = s.get(Record, filed.record_id)
        rec.filed_at = datetime(2026, 11, 30, 20, 13, 1)
    login(client, "spj_officer")
    page = client.get(f"/records/{filed.record_id}").get_data(as_text=True)
    assert "2026年12月1日 04:13" in page
    assert "UTC" not in page and not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page)
    with archive.db.session() as s:
        assert s.scalar(select(Record.filed_at).where(Record.id == filed.record_id)) == datetime(2026, 11, 30, 20, 13, 1)


def test_api_gives_iso_8601_with_the_offset(client, users, archive, tmp_path):
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    with archive.db.transaction() as s:
        s.get(Record, filed.record_id).filed_at = datetime(2026, 11, 30, 20, 13, 1)
    resp = client.get(f"/api/v1/records/{filed.record_id}",
                      headers={"Authorization": f"Bearer {users['spj_officer']}"})
    assert resp.get_json()["filed_at"] == "2026-12-01T04:13:01+08:00"
