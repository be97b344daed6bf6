"""Correspondence staff in a real browser: fill a template's form, issue, download the PDF; push
it to the other agency by letter; the other agency sees it on its dashboard and signs for it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive_app.organisation.users import create_user
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def test_a_letter_is_issued_pushed_and_signed_for(live_server, browser_page, archive, org, soffice) -> None:
    with archive.db.transaction() as s:
        create_user(s, "spj_corr", "SPJ", "correspondence", PASSWORD)
        create_user(s, "rsj_corr", "RSJ", "correspondence", PASSWORD)
    page = browser_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    # 第九条第（七）项: the department passes law and policy changes to the approving agency.
    login(page, live_server, "rsj_corr")
    page.click("nav >> text=公文")
    page.click("text=政策文件信息传递函")
    page.click("text=填入示例")
    assert page.input_value("input[name=doc_title]") == "陕西省全面推行相对集中行政许可权改革工作方案"
    page.screenshot(path=str(SHOTS / "document-form.png"), full_page=True)
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=doc-status]:has-text('已发文')", timeout=60_000)
    doc_no = page.inner_text("[data-testid=doc-no]")
    doc_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert doc_no.startswith("安人社函〔") and doc_no.endswith("〕1号")
    with page.expect_download() as download:
        page.click("[data-testid=download-pdf]")
    pdf = Path(download.value.path()).read_bytes()
    assert doc_no in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace(" ", "")

    page.click("nav >> text=审管联动")
    page.click("text=信息推送台账")
    form = page.locator("[data-testid=push-form]")
    form.locator("select[name=flow]").select_option("policy")
    form.locator("select[name=receiver]").select_option("SPJ")
    form.locator("select[name=channel]").select_option("letter")
    form.locator("select[name=document_id]").select_option(doc_id)
    form.locator("select[name=policy_category]").select_option("行业法律法规变动")
    form.locator("textarea[name=content]").fill("转发劳务派遣经营许可条件调整的通知")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=push-status]:has-text('待签收')")

    page.hover("header .who")  # the user menu holds 我的账户 and 退出登录
    page.click("form[action='/logout'] button")
    login(page, live_server, "spj_corr")
    page.click("nav >> text=审管联动")
    assert page.inner_text("[data-testid=count-to_receive]") == "1"
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    page.click("a:has-text('推送 （七）法规政策变动')")
    page.click("[data-testid=receive]")
    page.wait_for_selector("[data-testid=push-status]:has-text('已签收')")
    # the letter is now SPJ's own 收文 (issue 17 item 2): it opens without a 调阅
    page.click("[data-testid=received-record]")
    assert page.inner_text("[data-testid=category]") == "收文"
    assert page.locator("[data-testid=open-rendition], [data-testid=open-stamped]").count() >= 1
    page.click("nav >> text=审管联动")
    assert page.inner_text("[data-testid=count-to_receive]") == "0"
