"""The daily pages as the eight roles use them (issue 16), in Debian's Chromium at 1366 and 1920 px.

Measured from element boxes, not guessed: the header's entries share one row; dates, 档号 and
文号 cells hold one line; times read in 北京时间; the audit page shows no raw action codes; the
upload form keeps what was typed after an error; a user changes their own password.
Screenshots go to build/screenshots/daily/ for people to look at.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from archive_app.intake.pipeline import Actor
from archive_app.models import Record, User
from archive_app.organisation.users import create_user
from archive_app.registers import pushes
from tests import factories as f
from tests.browser.conftest import login as _login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "daily"
WIDTHS = {1366: 900, 1920: 1080}
ROLES = [f"{a}_{r}" for a in ("spj", "rsj") for r in ("clerk", "officer", "correspondence", "admin")]


@pytest.fixture
def office(archive, users, tmp_path):
    """Eight users (both agencies × four roles), filed records, a pending 调阅 and a push to sign."""
    from archive_app.records import lookups

    with archive.db.transaction() as s:
        for agency in ("SPJ", "RSJ"):
            for role in ("correspondence", "admin"):
                create_user(s, f"{agency.lower()}_{role}", agency, role, PASSWORD)
    ids = []
    for n, (title, doc_no) in enumerate([
        ("安康市秦巴劳务派遣有限公司劳务派遣经营许可决定书", "安行审许〔2026〕19号"),
        ("关于安康市汉江人力资源有限公司劳务派遣经营许可变更的决定", "安行审许〔2026〕143号"),
        ("劳务派遣经营许可延续审批意见（第43号）", "安行审许〔2026〕1024号"),
    ], start=1):
        filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(title), f"d{n}.pdf", title=title, doc_no=doc_no,
                             formed_on=f"2026-09-{n + 2:02d}")
        ids.append(filed.record_id)
    with archive.db.transaction() as s:
        s.get(Record, ids[0]).filed_at = datetime(2026, 11, 30, 20, 13, 1)  # 2026年12月1日 04:13 北京时间
        rsj_officer = s.query(User).filter_by(username="rsj_officer").one()
        lookups.create(s, rsj_officer, [ids[0]], "核查劳务派遣单位许可情况", "view", 5)
    pushes.send(archive, Actor("rsj_correspondence", "RSJ", "correspondence"),
                {"flow": "supervision", "receiver": "SPJ", "matter": "LWPQ", "record_ids": [],
                 "content": "监管检查发现劳务派遣比例超过10%", "channel": "platform"})
    return ids


def login(page, base: str, username: str) -> None:
    """Sign in and wait until the sign-in has landed (a following goto must not cut it short)."""
    _login(page, base, username)
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("load")


def _page(browser_page, width: int):
    browser_page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    return browser_page


def header_rows(page) -> dict:
    """Tops and bottoms of the header's visible entries: one row means they overlap vertically."""
    return page.evaluate("""() => {
      const header = document.querySelector('header.top');
      const items = [...header.querySelectorAll(':scope > a, :scope > nav > a, :scope > nav > .menu > button,'
                                                + ':scope > form, :scope > .who > button')]
        .filter(el => el.offsetParent !== null);
      const boxes = items.map(el => { const r = el.getBoundingClientRect();
        return {text: el.innerText.trim(), top: r.top, bottom: r.bottom, right: r.right}; });
      return {height: header.getBoundingClientRect().height, width: document.documentElement.clientWidth,
              scroll: document.documentElement.scrollWidth, boxes};
    }""")


def wrapped_cells(page, selector: str = "table.list td.nowrap, table.list th") -> list[str]:
    """Cells (dates, 档号, 文号, headers) whose text is laid out on more than one line: the text's
    boxes are grouped into lines (a box starting below the current line's bottom opens a new one)."""
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel)].filter(td => {
        const range = document.createRange(); range.selectNodeContents(td);
        const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)
          .sort((a, b) => a.top - b.top);
        let lines = 0, bottom = -Infinity;
        for (const r of rects) { if (r.top >= bottom - 2) { lines += 1; bottom = r.bottom; }
                                 else { bottom = Math.max(bottom, r.bottom); } }
        return lines > 1; }).map(td => td.innerText)""", selector)


def split_inline_forms(page) -> list[str]:
    """Inline forms in table cells (a date and 「预览」, a select and 「改角色」) laid out on more than one row."""
    return page.evaluate("""() => [...document.querySelectorAll('table.list td form.inline')].filter(form => {
        const tops = [...form.children].filter(el => el.offsetParent !== null)
          .map(el => el.getBoundingClientRect().top);
        return tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 6; })
      .map(form => form.innerText.trim() || form.action)""")


def required_marks_alone(page) -> list[str]:
    """Labels whose required mark (*) is laid out below the label's first line of text."""
    return page.evaluate("""() => [...document.querySelectorAll('.req')].filter(req => {
        const range = document.createRange(); range.selectNodeContents(req.parentElement);
        const first = [...range.getClientRects()].filter(r => r.width > 0)[0];
        return first && req.getBoundingClientRect().top - first.top > 6; })
      .map(req => req.parentElement.innerText.slice(0, 20))""")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_header_fits_one_row_for_every_role(live_server, browser_page, office, width) -> None:
    page = _page(browser_page, width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for username in ROLES:
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server}/search")
        page.wait_for_load_state("load")
        info = header_rows(page)
        tops = {round(b["top"]) for b in info["boxes"]}
        assert info["boxes"] and max(tops) - min(tops) <= 6, (username, info)
        assert info["height"] < 60 and info["scroll"] <= info["width"], (username, info)
        current = page.locator("header [aria-current=page]")
        assert current.count() == 1 and current.inner_text().startswith("档案检索")
        page.screenshot(path=str(SHOTS / f"header-{username}-{width}.png"))
    # the same at the narrowest width we promise
    page.set_viewport_size({"width": 1280, "height": 800})
    for username in ROLES:
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server}/")
        page.wait_for_load_state("load")
        info = header_rows(page)
        tops = {round(b["top"]) for b in info["boxes"]}
        page.screenshot(path=str(SHOTS / f"header-{username}-1280.png"))
        assert max(tops) - min(tops) <= 6 and info["scroll"] <= info["width"], (username, info)


def test_badges_show_work_waiting(live_server, browser_page, office) -> None:
    page = _page(browser_page, 1366)
    login(page, live_server, "spj_clerk")  # custodian of the record asked for
    assert page.locator("header a:has-text('档案调阅') .badge").inner_text() == "1"
    page.context.clear_cookies()
    login(page, live_server, "spj_correspondence")  # signs for pushes addressed to SPJ
    assert page.locator("header a:has-text('审管联动') .badge").inner_text() == "1"
    page.context.clear_cookies()
    login(page, live_server, "rsj_officer")  # nothing waits for an officer
    assert page.locator("header .badge").count() == 0


BUTTONS = "button:not(.choice), a.button"  # the picker's results (档号 + 题名) may take two lines
TABLE_PAGES = {  # role → pages with a main table: every role of both agencies
    "spj_clerk": ["/", "/lookups/", "/catalogue/?year=2026", "/registers/pushes"],
    "spj_officer": ["/", "/lookups/", "/registers/pushes"],
    "spj_correspondence": ["/", "/registers/pushes", "/documents/"],
    "spj_admin": ["/", "/audit/", "/lookups/", "/admin/"],
    "rsj_clerk": ["/", "/lookups/", "/registers/pushes"],
    "rsj_officer": ["/", "/lookups/", "/registers/pushes"],
    "rsj_correspondence": ["/", "/registers/pushes", "/documents/"],
    "rsj_admin": ["/", "/audit/", "/lookups/", "/admin/"],
}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_main_tables_never_wrap_inside_a_date_code_or_header(live_server, browser_page, office, width) -> None:
    page = _page(browser_page, width)
    checked = 0
    for username, urls in TABLE_PAGES.items():
        page.context.clear_cookies()
        login(page, live_server, username)
        for url in urls:
            page.goto(f"{live_server}{url}")
            page.wait_for_load_state("load")
            cells = page.locator("table.list td.nowrap, table.list td.code, table.list th")
            assert cells.count() > 0, (username, url)
            checked += cells.count()
            assert wrapped_cells(page, "table.list td.nowrap, table.list td.code, table.list th") == [], (username, url)
            # a button's text (「预览」, 「改角色」 …) holds one line in its cell and in the forms
            assert wrapped_cells(page, BUTTONS) == [], (username, url)
            assert split_inline_forms(page) == [], (username, url)
            assert required_marks_alone(page) == [], (username, url)
            name = re.sub(r"\W+", "_", url).strip("_") or "browse"
            page.screenshot(path=str(SHOTS / f"table-{username}-{name}-{width}.png"), full_page=True)
    assert checked > 50


@pytest.mark.parametrize("width", list(WIDTHS))
def test_times_read_in_beijing_time(live_server, browser_page, office, width) -> None:
    page = _page(browser_page, width)
    for username in ROLES:
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server}/records/{office[0]}")
        text = page.locator("main").inner_text()
        assert "2026年12月1日 04:13" in text, username  # filed 2026-11-30 20:13 UTC
        assert "UTC" not in text and not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", text), username
        stamps = page.evaluate("[...document.querySelectorAll('time[datetime]')].map(t => t.dateTime)")
        assert all(s.endswith("+08:00") for s in stamps), (username, stamps)
    page.screenshot(path=str(SHOTS / f"record-local-time-{width}.png"), full_page=True)


def detail_texts(page) -> str:
    """The audit table's detail fields as people read them (digests, shortened, left out)."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=audit-table] .details .field')]
        .filter(f => !f.title).map(f => f.innerText).join(' | ')""")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_audit_page_shows_no_raw_codes(live_server, browser_page, office, width) -> None:
    page = _page(browser_page, width)
    for admin in ("spj_admin", "rsj_admin"):
        page.context.clear_cookies()
        login(page, live_server, admin)
        page.goto(f"{live_server}/records/{office[0]}")
        page.goto(f"{live_server}/search?q=劳务派遣")
        page.goto(f"{live_server}/audit/")
        table = page.locator("[data-testid=audit-table]").inner_text()
        assert "查看档案" in table and "登录" in table and "检索" in table
        assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", table), table  # no record.view, auth.login …
        assert "{" not in table and "record_id" not in table
        details = detail_texts(page)
        assert "渠道：网页" in details and "检索词：劳务派遣" in details
        names = set(ROLES) | {"demo-data"}
        words = set(re.findall(r"(?<![A-Za-z0-9_])[a-z][a-z_]{2,}(?![A-Za-z0-9_])", details)) - names
        assert not words, (admin, words)  # no media_type, approval_result, platform, relevance …
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.select_option("select[name=action]", "record.view")
        page.click("[data-testid=audit-filters] button[type=submit]")
        rows = page.locator("[data-testid=audit-table] tbody tr")
        assert rows.count() >= 1 and all("查看档案" in rows.nth(i).inner_text() for i in range(rows.count()))
        assert wrapped_cells(page) == []
        page.screenshot(path=str(SHOTS / f"audit-{admin}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_upload_form_keeps_values_after_an_error(live_server, browser_page, office, tmp_path, width) -> None:
    page = _page(browser_page, width)
    pdf = tmp_path / "准予许可决定书.pdf"
    pdf.write_bytes(f.pdf_bytes("准予许可决定书"))
    for username in ("spj_clerk", "spj_admin", "rsj_clerk", "rsj_admin"):  # the roles that file
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server}/records/new")
        page.set_input_files("input[name=file]", str(pdf))
        page.fill("input[name=doc_no]", "安行审许〔2026〕88号")
        page.fill("input[name=applicant]", "安康市秦巴劳务派遣有限公司")
        page.fill("input[name=formed_on]", "2026-03-02")
        page.select_option("select[name=retention]", "D10")
        page.click("button:has-text('归档')")  # no 事项, no 题名
        alert = page.locator(".flash.error")
        assert alert.inner_text().startswith("未能归档：") and alert.get_attribute("data-code") == "VALIDATION"
        main = page.locator("main").inner_text()
        assert "请选择事项" in main and "请填写题名" in main, username  # both at once
        assert "「准予许可决定书.pdf」没有保存，请重新选择" in main
        assert page.locator("input[name=doc_no]").input_value() == "安行审许〔2026〕88号"
        assert page.locator("input[name=applicant]").input_value() == "安康市秦巴劳务派遣有限公司"
        assert page.locator("input[name=formed_on]").input_value() == "2026-03-02"
        assert page.locator("select[name=retention]").input_value() == "D10"
        assert required_marks_alone(page) == []
        page.screenshot(path=str(SHOTS / f"upload-error-{username}-{width}.png"), full_page=True)
    page.context.clear_cookies()
    login(page, live_server, "spj_clerk")
    page.goto(f"{live_server}/records/new")
    page.set_input_files("input[name=file]", str(pdf))
    page.select_option("select[name=matter]", "LWPQ")
    page.fill("input[name=title]", "准予劳务派遣经营许可决定书")
    page.fill("input[name=formed_on]", "2026-03-02")
    page.select_option("select[name=retention]", "D10")
    page.click("button:has-text('归档')")
    assert page.locator("[data-testid=archival-code]").inner_text().startswith("J001-WS·2026-D10-SWK-")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_role_changes_their_password(live_server, browser_page, office, width) -> None:
    page = _page(browser_page, width)
    new = "新的密码 2026 abc"
    roles = {"clerk": "档案管理员", "officer": "审批/监管科员", "correspondence": "文秘", "admin": "系统管理员"}
    for username in ROLES:
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server}/account/")
        assert page.locator("[data-testid=role]").inner_text() == roles[username.split("_", 1)[1]]
        assert "至少 8 个字符" in page.locator("[data-testid=password-rules]").inner_text()
        page.fill("input[name=current_password]", "wrong password")
        page.fill("input[name=new_password]", new)
        page.fill("input[name=repeat_password]", new)
        page.click("button:has-text('修改密码')")
        assert "当前密码不正确" in page.locator("main").inner_text()
        page.fill("input[name=current_password]", PASSWORD)
        page.fill("input[name=new_password]", new)
        page.fill("input[name=repeat_password]", new)
        page.click("button:has-text('修改密码')")
        assert "密码已修改" in page.locator(".flash.success").inner_text(), username
        if username == ROLES[0]:
            page.screenshot(path=str(SHOTS / f"account-password-{width}.png"), full_page=True)
        page.hover("header .who")
        page.click("button:has-text('退出登录')")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert "用户名或密码不正确" in page.locator("main").inner_text(), username  # the old one is gone
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", new)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)


def test_the_event_form_picks_records_by_code_or_title(live_server, browser_page, office, client, users,
                                                       archive) -> None:
    """Issue 16 item 4: the 办件 event form links records through the push form's picker (档号/题名
    search among the agency's own records), no internal ids typed; its buttons hold one line."""
    from tests.helpers import bearer

    assert client.post("/api/v1/cases", headers=bearer(users["spj_officer"]), json={
        "case_no": "LWPQ-2026-0500", "matter": "LWPQ", "applicant": "安康市秦巴劳务派遣有限公司",
        "received_on": "2026-09-01"}).status_code == 201
    page = _page(browser_page, 1366)
    login(page, live_server, "spj_officer")
    page.goto(f"{live_server}/cases/LWPQ-2026-0500")
    form = page.locator("[data-testid=event-form]")
    assert form.locator("input[name=record_ids]:not([type=hidden])").count() == 0
    form.locator("select[name=kind]").select_option("decision")
    form.locator("input[name=date]").fill("2026-09-03")
    form.locator("select[name=decision]").select_option("准予许可")
    form.locator("input[name=certificate_no]").fill("610900202600500")
    picker = form.locator("[data-testid=event-record-picker]")
    picker.locator("input[type=search]").fill("秦巴")
    picker.locator("[data-testid=record-results] button:has-text('秦巴劳务派遣有限公司劳务派遣经营许可决定书')").click()
    picker.locator("input[type=search]").fill("143号")  # nothing by 文号: the picker searches 档号 and 题名
    picker.locator("[data-testid=record-results] li.muted").wait_for()
    picker.locator("input[type=search]").fill("变更")
    picker.locator("[data-testid=record-results] button:has-text('许可变更的决定')").click()
    picked = picker.locator("[data-testid=record-picked]").inner_text()
    assert "安康市秦巴劳务派遣有限公司劳务派遣经营许可决定书" in picked and "许可变更的决定" in picked
    picker.locator("[data-testid=record-picked] li:has-text('许可变更的决定') button.remove").click()
    form.locator("textarea[name=summary]").fill("准予劳务派遣经营许可")
    assert wrapped_cells(page, BUTTONS) == [] and required_marks_alone(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(SHOTS / "case-event-form-1366.png"))
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".flash.success")
    timeline = page.locator("[data-testid=timeline]").inner_text()
    with archive.db.session() as s:
        linked, dropped = (s.get(Record, i).archival_code for i in office[:2])
    assert linked in timeline and dropped not in timeline, timeline
