"""In a real browser (issue 11): the CSP blocks nothing our own pages need; 我的账户 lists the
sign-in sessions and ends another one; the transfer-date change goes from one agency's
administrator to the other's. Screenshots at 1366 px go to the test's folder."""

from __future__ import annotations

import os
import shutil

from tests import factories as f
from tests.browser.conftest import CHROMIUM, FLAGS, login
from tests.conftest import PASSWORD


def _admins(archive) -> None:
    from archive_app.organisation.users import create_user

    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", PASSWORD)
        create_user(s, "rsj_admin", "RSJ", "admin", PASSWORD)


def test_pages_run_under_the_csp_and_sessions_can_be_ended(live_server, archive, users, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    _admins(archive)
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")
    assert os.path.exists(CHROMIUM) or shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                   user_agent="Desk browser").new_page()
        laptop = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                     user_agent="Laptop browser").new_page()
        violations: list[str] = []
        for page in (desk, laptop):
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        login(desk, live_server, "spj_admin")
        login(laptop, live_server, "spj_admin")
        for path in ("/", "/search?q=劳务派遣", "/records/1", "/documents/", "/lookups/", "/admin/", "/audit/"):
            desk.goto(live_server + path)
        desk.goto(live_server + "/account/")
        section = desk.locator("[data-testid=my-sessions]")
        assert section.locator("tbody tr").count() == 2
        assert "Laptop browser" in section.inner_text() and "本次登录" in section.inner_text()
        desk.screenshot(path="/tmp/sec2-account-sessions.png", full_page=True)
        section.locator("tbody tr", has_text="Laptop browser").locator("button").click()
        assert "该登录会话已结束" in desk.inner_text("body")
        laptop.goto(live_server + "/account/")
        assert "/login" in laptop.url
        assert violations == []
        browser.close()


def test_a_transfer_date_change_needs_both_agencies(live_server, archive, users, tmp_path, browser_page) -> None:
    _admins(archive)
    for d in ("2021-05-10", "2021-08-10"):
        f.file_bytes(archive, tmp_path, f.pdf_bytes(d), f"{d}.pdf", formed_on=d)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "spj_admin")
    page.goto(f"{live_server}/admin/matters/LWPQ/transfer-date?date=2021-09-01")
    page.fill("textarea[name=reason]", "依据划转移交文件更正")
    page.screenshot(path=str(tmp_path / "transfer-ask.png"), full_page=True)
    page.click("button:has-text('提出更正申请')")
    assert "待另一单位的系统管理员确认后生效" in page.inner_text("body")
    page.context.clear_cookies()
    login(page, live_server, "rsj_admin")
    page.goto(f"{live_server}/admin/")
    table = page.locator("[data-testid=transfer-requests]")
    assert "依据划转移交文件更正" in table.inner_text() and "spj_admin" in table.inner_text()
    page.screenshot(path="/tmp/sec2-transfer-confirm.png", full_page=True)
    table.locator("button:has-text('确认更正')").click()
    assert "划转日期已更正" in page.inner_text("body")
