"""An SPJ officer, in a real browser, finds a licence by its 许可证号, opens the case's timeline,
sees RSJ's inspection next to SPJ's own decision, and asks RSJ to let them see the inspection
record (安康办法 第十条: 审批和监管过程中需要调取、查阅相关档案时……应相互支持配合)."""

from __future__ import annotations

import pytest

from archive_app.intake import Actor
from tests import factories as f
from tests.browser.conftest import login
from tests.helpers import bearer

pytestmark = pytest.mark.browser
CERT = "陕劳派6109002026031"


def _licence(client, users, archive, tmp_path) -> int:
    spj, rsj = bearer(users["spj_officer"]), bearer(users["rsj_officer"])
    assert client.post("/api/v1/cases", headers=spj, json={
        "case_no": "LWPQ-2026-0031", "matter": "LWPQ", "applicant": "安康市汉江人力资源有限公司",
        "received_on": "2026-03-02"}).status_code == 201
    assert client.post("/api/v1/cases/LWPQ-2026-0031/events", headers=spj, json={
        "kind": "decision", "date": "2026-03-20", "summary": "经审查符合条件，准予劳务派遣经营许可",
        "decision": "准予许可", "certificate_no": CERT, "valid_until": "2029-03-19"}).status_code == 201
    for n in range(3):  # other licences in the list
        client.post("/api/v1/cases", headers=spj, json={"case_no": f"LWPQ-2026-004{n}", "matter": "LWPQ",
                                                        "applicant": f"其他公司{n}", "received_on": "2026-03-02"})
    inspection = f.file_bytes(archive, tmp_path, f.pdf_bytes("劳务派遣单位监督检查记录"), "inspection.pdf",
                              formed_on="2026-06-10", title="劳务派遣单位日常监督检查记录", category="supervision",
                              case_no="LWPQ-2026-0031", actor=Actor("rsj_clerk", "RSJ"))
    assert inspection.custodian == "RSJ"
    assert client.post("/api/v1/cases/LWPQ-2026-0031/events", headers=rsj, json={
        "kind": "inspection", "date": "2026-06-10", "summary": "日常监督检查：派遣协议、同工同酬，发现一处问题已责令整改",
        "record_ids": [inspection.record_id]}).status_code == 201
    return inspection.record_id


def test_find_a_licence_read_its_timeline_and_ask_for_the_inspection(live_server, browser_page, client, users,
                                                                      archive, tmp_path) -> None:
    record_id = _licence(client, users, archive, tmp_path)
    page = browser_page
    login(page, live_server, "spj_officer")
    page.click("nav >> text=办件")
    page.fill("input[name=certificate_no]", CERT)
    page.click("[data-testid=case-filters] button[type=submit]")
    rows = page.locator("[data-testid=case-list] tbody tr")
    assert rows.count() == 1 and "LWPQ-2026-0031" in rows.first.inner_text()
    page.click("text=LWPQ-2026-0031")
    assert page.locator("[data-testid=case-certificate]").inner_text() == CERT
    decision = page.locator("[data-testid=timeline] tr[data-kind=decision]")
    assert decision.get_attribute("data-agency") == "SPJ" and "准予许可" in decision.inner_text()
    inspection = page.locator("[data-testid=timeline] tr[data-kind=inspection]")
    assert inspection.get_attribute("data-agency") == "RSJ" and "同工同酬" in inspection.inner_text()
    assert "安康市人力资源和社会保障局" in inspection.inner_text()
    inspection.locator("[data-testid=request-lookup]").click()
    assert "劳务派遣单位日常监督检查记录" in page.content()
    page.fill("textarea[name=purpose]", "审查变更申请：核对监督检查发现问题的整改情况")
    page.select_option("select[name=mode]", "view")
    page.fill("input[name=days]", "3")
    page.click("button:has-text('提交申请')")
    assert page.locator("[data-testid=lookup-status]").inner_text() == "待审批"
    from sqlalchemy import select

    from archive_app.models import LookupItem, LookupRequest

    with archive.db.session() as s:
        requested = s.execute(select(LookupItem.record_id, LookupRequest.purpose).join(LookupRequest)).all()
    assert [tuple(r) for r in requested] == [(record_id, "审查变更申请：核对监督检查发现问题的整改情况")]
