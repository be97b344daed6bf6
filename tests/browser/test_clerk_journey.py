"""The clerk's journey in a real browser: log in, file a PDF, see its 档号, custodian and
stamped rendition, download the original."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import factories as f
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def test_clerk_files_a_pdf_and_downloads_it(live_server, browser_page, users, tmp_path) -> None:
    page = browser_page
    data = f.pdf_bytes("劳务派遣经营许可决定书", pages=2)
    upload = tmp_path / "劳务派遣经营许可决定书.pdf"
    upload.write_bytes(data)

    page.goto(f"{live_server}/")
    assert "/login" in page.url
    page.fill("input[name=username]", "spj_clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("header a:has-text('归档文件')")

    page.set_input_files("input[name=file]", str(upload))
    page.select_option("select[name=matter]", "LWPQ")
    page.fill("input[name=title]", "安康市秦巴劳务派遣有限公司劳务派遣经营许可决定书")
    page.fill("input[name=formed_on]", "2026-03-02")
    page.fill("input[name=doc_no]", "安行审许〔2026〕7号")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
    page.click("button:has-text('归档')")

    assert page.locator("[data-testid=archival-code]").inner_text() == "J001-WS·2026-D30-SWK-0001"
    assert "安康市行政审批服务局" in page.locator("[data-testid=custodian]").inner_text()
    assert "已归档" in page.locator(".flash.success").inner_text()
    page.screenshot(path=str(SHOTS / "record.png"), full_page=True)

    stamped_href = page.locator("[data-testid=open-stamped]").get_attribute("href")
    stamped = page.request.get(f"{live_server}{stamped_href}")
    assert stamped.headers["content-type"] == "application/pdf"
    first_page = PdfReader(io.BytesIO(stamped.body())).pages[0].extract_text()
    assert "J001" in first_page and "0001" in first_page and "30年" in first_page

    with page.expect_download() as info:
        page.click("[data-testid=download-original]")
    download = info.value
    assert download.suggested_filename == "J001-WS·2026-D30-SWK-0001.pdf"
    assert Path(download.path()).read_bytes() == data


def test_a_refused_file_shows_the_reason(live_server, browser_page, users, tmp_path) -> None:
    page = browser_page
    fake = tmp_path / "report.pdf"
    fake.write_bytes(f.pe_executable_bytes())
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "rsj_clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/records/new")
    page.set_input_files("input[name=file]", str(fake))
    page.select_option("select[name=matter]", "LWPQ")
    page.fill("input[name=title]", "伪装的文件")
    page.fill("input[name=formed_on]", "2021-03-02")
    page.click("button:has-text('归档')")
    alert = page.locator(".flash.error").inner_text()
    assert "UNSUPPORTED_TYPE" in alert and "可归档格式" in alert
    assert page.locator("input[name=title]").input_value() == "伪装的文件"  # nothing typed is lost
