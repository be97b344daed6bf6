"""An officer searches across both agencies in a real browser: highlighted snippets for own
records, catalogue-only entries with a lookup link for the other agency's."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_app import search
from tests import factories as f
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_officer_searches_and_sees_only_what_they_may(live_server, browser_page, users, archive, tmp_path) -> None:
    own = f.file_bytes(archive, tmp_path, f.pdf_bytes("秦巴劳务派遣有限公司现场核查记录"), "a.pdf",
                       title="秦巴劳务派遣有限公司许可决定书")
    other = f.file_bytes(archive, tmp_path, f.pdf_bytes("秦巴劳务派遣有限公司监管检查记录"), "b.pdf",
                         title="秦巴劳务派遣有限公司监管检查", formed_on="2021-03-01")
    search.drain_all(archive)
    page = browser_page
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "spj_officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=档案检索")
    page.fill("input[name=q]", "秦巴劳务派遣")
    page.click("button:has-text('检索')")
    assert page.locator("[data-testid=total]").inner_text() == "共找到 2 件"
    hits = page.locator("article.hit")
    own_hit = hits.filter(has_text="许可决定书")
    assert own_hit.locator("mark").first.inner_text() == "秦巴劳务派遣"
    other_hit = hits.filter(has_text="监管检查")
    assert "申请调阅" in other_hit.inner_text() and other_hit.locator(".snippet").count() == 0
    shots = Path(__file__).resolve().parents[2] / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    assert own.record_id != other.record_id
