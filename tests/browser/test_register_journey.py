"""The 审管联动 journey of issue 17 in a real browser, in the directions of 《安康市集中审批与监管协调
联动实施办法（试行）》: SPJ issues a 特别审查程序联办通知单 (第九条（二）, 第十三条) → RSJ signs, opens the
notice as its own 收文, names its participants (第八条（三）) and sends its conclusion by letter
(第九条（四）) → SPJ opens it, links it, decides (第十四条) and pushes the approval result
(第九条（一）) → RSJ signs: the 第六条 hand-over is shown on the push and on the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_app.core import localtime
from archive_app.organisation.users import create_user
from archive_app.workdays import Calendar
from tests import factories as f
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
CASE = "SP-2026-0101"
APPLICANT = "安康市汉江人力资源服务有限公司"


def _logout(page) -> None:
    page.context.clear_cookies()  # a fresh sign-in as the other agency


def test_notice_conclusion_decision_and_hand_over(live_server, browser_page, archive, org, soffice, tmp_path) -> None:
    with archive.db.transaction() as s:
        create_user(s, "spj_corr", "SPJ", "correspondence", PASSWORD)
        create_user(s, "rsj_corr", "RSJ", "correspondence", PASSWORD)
    f.file_bytes(archive, tmp_path, f.pdf_bytes("劳务派遣经营许可申请书"), "apply.pdf", formed_on="2026-11-02",
                 case_no=CASE, applicant=APPLICANT, title="劳务派遣经营许可申请书")
    f.file_bytes(archive, tmp_path, f.pdf_bytes("准予劳务派遣经营许可决定书"), "decision.pdf", formed_on="2026-11-27",
                 case_no=CASE, title="准予劳务派遣经营许可决定书")
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    SHOTS.mkdir(parents=True, exist_ok=True)

    # SPJ organises a joint 专家评审 (第十二条); the 联办通知单 is issued and pushed to RSJ
    login(page, live_server, "spj_corr")
    page.goto(f"{live_server}/registers/reviews")
    form = page.locator("[data-testid=review-form]")
    form.locator("input[name=case_no]").fill(CASE)
    form.locator("select[name=kind]").select_option("专家评审")
    form.locator("select[name=mode]").select_option("joint")
    form.locator("input[name=time_limit_days]").fill("10")
    form.locator("select[name=partner_agency]").select_option("RSJ")
    form.locator("input[name=contact]").fill("李娜")
    form.locator("input[name=phone]").fill("0915-3210001")
    form.locator("textarea[name=content]").fill("组织专家评审经营方案")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=review-status]:has-text('待审查结论')", timeout=60_000)
    review_url = page.url
    _logout(page)

    # RSJ signs for the notice and reads it as its own 收文 (第九条（二）)
    login(page, live_server, "rsj_corr")
    page.click("nav >> text=审管联动")
    assert page.inner_text("[data-testid=count-to_receive]") == "1"
    assert page.inner_text("[data-testid=count-conclusions_owed]") == "1"
    # the conclusion RSJ owes is shown with its due date (第九条（四） 「在规定时限内」): 10 working days
    with archive.db.session() as s:
        due = Calendar.from_db(s).deadline(localtime.today(), 10).deadline
    owed = page.locator("section.card:has(h2:text-is('本单位应反馈的审查结论'))").inner_text()
    assert f"审查结论期限 {due.year}年{due.month}月{due.day}日" in owed, owed
    page.screenshot(path=str(SHOTS / "registers-rsj-dashboard.png"), full_page=True)
    page.click("a:has-text('推送 （二）联办通知单、委托书')")
    page.click("[data-testid=receive]")
    page.wait_for_selector("[data-testid=push-status]:has-text('已签收')")
    page.click("[data-testid=received-record]")
    assert page.inner_text("[data-testid=category]") == "收文"
    assert "特别审查程序联办通知单" in page.inner_text("h1") or "联办" in page.inner_text("h1")
    notice_no = page.locator("dt:has-text('文号') + dd").first.inner_text().strip()
    assert notice_no.startswith("安行审")
    assert page.locator("[data-testid=open-rendition], [data-testid=open-stamped]").count() >= 1
    page.screenshot(path=str(SHOTS / "registers-rsj-received-notice.png"), full_page=True)

    # RSJ issues its 审查结论反馈函 (addressed to SPJ) …
    page.click("nav >> text=公文")
    page.click("text=审查结论反馈函")
    page.click("text=填入示例")
    page.fill("input[name=case_no]", CASE)
    page.fill("input[name=notice_no]", notice_no)
    page.select_option("select[name=review_kind]", "专家评审")
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=doc-status]:has-text('已发文')", timeout=60_000)
    doc_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    # … names its participants and pushes the conclusion against the review (第九条（四）)
    page.goto(review_url)
    page.fill("[data-testid=participants-form] input[name=participants]", "王晓敏（劳动关系科科长）、赵磊（科员）")
    page.click("[data-testid=participants-form] button[type=submit]")
    page.wait_for_selector("[data-testid=participants]:has-text('王晓敏')")
    page.click("[data-testid=send-conclusion]")
    form = page.locator("[data-testid=push-form]")
    assert form.locator("select[name=flow]").input_value() == "review_conclusion"
    form.locator("select[name=receiver]").select_option("SPJ")
    form.locator("input[name=case_no]").fill(CASE)
    form.locator("select[name=channel]").select_option("letter")
    form.locator("select[name=document_id]").select_option(doc_id)
    form.locator("textarea[name=content]").fill("专家评审结论：符合条件")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=push-status]:has-text('待签收')")
    _logout(page)

    # SPJ signs, opens RSJ's letter as its 收文, links it as the conclusion and decides (第十四条)
    login(page, live_server, "spj_corr")
    page.click("nav >> text=审管联动")
    page.click("a:has-text('推送 （四）审查意见和审查结论')")
    page.click("[data-testid=receive]")
    page.wait_for_selector("[data-testid=push-status]:has-text('已签收')")
    page.click("[data-testid=received-record]")
    assert page.inner_text("[data-testid=category]") == "收文"
    assert page.locator("[data-testid=open-rendition], [data-testid=open-stamped]").count() >= 1
    page.goto(review_url)
    form = page.locator("[data-testid=conclusion-form]")
    options = form.locator("select[name=record_id] option").all_inner_texts()
    assert any("审查结论" in o for o in options) and not any("申请书" in o for o in options)
    form.locator("select[name=record_id]").select_option(index=1)
    form.locator("input[name=conclusion]").fill("符合条件")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=review-status]:has-text('已有结论')")
    form = page.locator("[data-testid=decision-form]")
    form.locator("select[name=record_id]").select_option(label=next(
        o for o in form.locator("select[name=record_id] option").all_inner_texts() if "决定书" in o))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=review-status]:has-text('已决定')")
    page.screenshot(path=str(SHOTS / "registers-spj-review-decided.png"), full_page=True)

    # SPJ pushes the approval result, picking the decision by its 题名 (第九条（一）)
    page.goto(f"{live_server}/registers/pushes")
    form = page.locator("[data-testid=push-form]")
    form.locator("select[name=flow]").select_option("approval_result")
    form.locator("select[name=receiver]").select_option("RSJ")
    form.locator("input[name=case_no]").fill(CASE)
    form.locator("[data-testid=record-picker] input[type=search]").fill("准予劳务派遣")
    page.click("[data-testid=record-results] button:has-text('准予劳务派遣经营许可决定书')")
    assert "准予劳务派遣经营许可决定书" in page.inner_text("[data-testid=record-picked]")
    form.locator("textarea[name=content]").fill("准予劳务派遣经营许可")
    page.screenshot(path=str(SHOTS / "registers-push-form.png"), full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=push-status]:has-text('待签收')")
    assert "准予劳务派遣经营许可决定书" in page.inner_text("[data-testid=sent-records]")
    _logout(page)

    # RSJ signs: supervision starts (第六条), on the push and on the case
    login(page, live_server, "rsj_corr")
    page.click("nav >> text=审管联动")
    page.click("a:has-text('推送 （一）审批办结信息')")
    page.click("[data-testid=receive]")
    page.wait_for_selector("[data-testid=push-status]:has-text('已签收')")
    assert "第六条" in page.inner_text("[data-testid=handover]") and "履行监管职责" in page.inner_text("[data-testid=handover]")
    page.goto(f"{live_server}/cases/{CASE}")
    assert "第六条" in page.content()
    page.screenshot(path=str(SHOTS / "registers-case-hand-over.png"), full_page=True)
