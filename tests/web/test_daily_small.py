"""The smaller points of issue 16 (item 9 and the one date style of item 1), read from the pages:
「请先登录」, a 404 page that reads as one, a favicon, one product name in every title and the
header, the 办件 timeline and admin tables in the page's date style, and 北京时间 for "today"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from archive_app.core import localtime
from archive_app.organisation.users import create_user
from archive_app.web.nav import PRODUCT
from tests.conftest import PASSWORD
from tests.helpers import login

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.fixture
def admin(client, users, archive):
    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", PASSWORD)
    login(client, "spj_admin")
    return client


def test_unauthenticated_users_are_asked_to_sign_in(client, users) -> None:
    resp = client.get("/registers/pushes")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "请先登录" in page
    api = client.get("/api/v1/records")
    assert api.status_code == 401 and api.get_json()["error"]["message"].startswith("请先登录")


def test_the_404_page_reads_as_one(admin) -> None:
    resp = admin.get("/no/such/page")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert TITLE.search(html).group(1) == f"页面不存在 · {PRODUCT}"
    assert "<h1>没有找到该页面</h1>" in html and "地址可能输错了" in html
    assert 'href="/search' in html  # somewhere to go from here
    assert "出错了" not in html and "Not Found" not in html


def test_a_favicon_is_linked_and_served(client, users) -> None:
    html = client.get("/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    with client.get(href) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.get_data()


PAGES = ["/", "/search", "/lookups/", "/cases/", "/registers/", "/registers/pushes", "/registers/reviews",
         "/registers/liaison", "/registers/agreements", "/registers/procedures", "/registers/schedules",
         "/documents/", "/documents/bulk", "/admin/", "/audit/", "/catalogue/", "/account/", "/records/new",
         "/no/such/page"]


def test_one_product_name_in_every_title_and_the_header(admin) -> None:
    for url in PAGES:
        html = admin.get(url).get_data(as_text=True)
        title = TITLE.search(html).group(1)
        assert title.endswith(f" · {PRODUCT}") and title.count("·") == title.count(" · "), (url, title)
        assert re.search(rf'<a class="brand"[^>]*>{PRODUCT}</a>', html), url
        assert "审管联动 records archive" not in html
    login_page = admin.application.test_client().get("/login").get_data(as_text=True)
    assert TITLE.search(login_page).group(1) == f"登录 · {PRODUCT}"


def test_admin_tables_read_dates_in_the_page_style(admin) -> None:
    html = admin.get("/admin/").get_data(as_text=True)
    assert "2021年7月1日" in html and not re.search(r">\s*\d{4}-\d\d-\d\d\s*<", html)
    assert "20个工作日" in html


def test_today_is_the_day_in_beijing(monkeypatch) -> None:
    """At 2026-12-01 23:30 UTC it is already 12月2日 in Beijing: letters, deadlines and watermarks
    take that day (a 签收 at 07:30 北京时间 is not dated the day before)."""
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 1, 23, 30, tzinfo=UTC).astimezone(tz) if tz else datetime(2026, 12, 1, 23, 30)

    localtime.configure("Asia/Shanghai")
    monkeypatch.setattr(localtime, "datetime", Clock)
    assert localtime.today().isoformat() == "2026-12-02"


def test_a_watermark_at_half_past_seven_beijing_time_carries_that_day(monkeypatch, client, users, archive,
                                                                      tmp_path) -> None:
    """A copy handed out under a 调阅 grant at 07:30 北京时间 (23:30 UTC the day before) is marked
    with the Beijing day, as the services take "today" from localtime.today() (a day that is neither
    the UTC day nor the machine's real one, so either mistake fails)."""
    import io

    from pypdf import PdfReader

    from tests import factories as f
    from tests.helpers import bearer

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2027, 3, 31, 23, 30, tzinfo=UTC).astimezone(tz) if tz else datetime(2027, 3, 31, 23, 30)

    localtime.configure("Asia/Shanghai")
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")  # kept by SPJ
    monkeypatch.setattr(localtime, "datetime", Clock)
    req = client.post("/api/v1/lookup-requests", headers=bearer(users["rsj_officer"]),
                      json={"record_ids": [filed.record_id], "purpose": "监管执法核查", "mode": "download",
                            "days": 7}).get_json()
    client.post(f"/api/v1/lookup-requests/{req['id']}/decision", headers=bearer(users["spj_clerk"]),
                json={"decision": "approve"})
    resp = client.get(f"/api/v1/records/{filed.record_id}/content", headers=bearer(users["rsj_officer"]))
    text = PdfReader(io.BytesIO(resp.data)).pages[0].extract_text().replace(" ", "")
    resp.close()
    assert req["number"] in text and "2027年4月1日" in text, text[-200:]


def test_the_header_names_the_demo_staff_by_their_chinese_names(client, users, archive) -> None:
    """The demo users carry 姓名 (not 「spj_clerk」 in the header); an older demo load gets them on
    the next `demo-data`; a user without one is shown by username."""
    from archive_app import demo

    names = {username: name for username, _, _, name in demo.USERS}
    assert len(names) == 8 and all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names.values())
    assert len(set(names.values())) == 8
    login(client, "spj_clerk")
    who = re.search(r'class="menu-trigger"[^>]*>([^<]*)<', client.get("/").get_data(as_text=True)).group(1)
    assert who.strip() == "spj_clerk"  # no 姓名 yet: the username
    assert demo._name_users(archive) is True and demo._name_users(archive) is False
    html = client.get("/").get_data(as_text=True)
    who = re.search(r'class="menu-trigger"[^>]*>([^<]*)<', html).group(1)
    assert who.strip() == names["spj_clerk"] == "王敏"
