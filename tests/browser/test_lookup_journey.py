"""Two people in two agencies, in a real browser: an RSJ officer asks to see an SPJ record,
an SPJ clerk approves it, the officer opens the watermarked copy."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_request_approve_and_view(live_server, browser_page, users, archive, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes("人力资源服务许可证"), "a.pdf")
    page = browser_page
    login(page, live_server, "rsj_officer")
    page.goto(f"{live_server}/records/{filed.record_id}")
    assert page.locator("[data-testid=open-stamped]").count() == 0
    page.click("[data-testid=request-lookup]")
    page.fill("textarea[name=purpose]", "监管执法核查：核对许可证持有人经营范围")
    page.select_option("select[name=mode]", "view")
    page.fill("input[name=days]", "3")
    page.click("button:has-text('提交申请')")
    assert page.locator("[data-testid=lookup-status]").inner_text() == "待审批"
    request_url = page.url
    page.hover("header .who")
    page.click("button:has-text('退出')")

    login(page, live_server, "spj_clerk")
    page.goto(f"{live_server}/lookups/")
    assert "待我审批（1）" in page.content()
    page.goto(request_url)
    page.click("button:has-text('批准')")
    assert page.locator("[data-testid=lookup-status]").inner_text() == "已批准"
    page.hover("header .who")
    page.click("button:has-text('退出')")

    login(page, live_server, "rsj_officer")
    page.goto(f"{live_server}/records/{filed.record_id}")
    assert "已批准的调阅申请" in page.content()
    href = page.locator("[data-testid=open-stamped]").get_attribute("href")
    pdf = page.request.get(f"{live_server}{href}").body()
    assert "调阅 DY" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert page.locator("[data-testid=download-original]").count() == 0  # view only
