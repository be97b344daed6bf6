"""Real responses of every /api/v1 route match the OpenAPI document (issue 13 item 5).

One scenario drives every route and method of the app through the API as its users would — a
filing, a 调阅 request decided and returned, a push received, a case, reports, the registers — and
checks each answer with tests/openapi_check.py (status documented, error code listed for that
status, body valid against the JSON Schema). Write routes this scenario calls without a valid body
answer with their documented errors; their success shapes are checked by the same check in every
other API test (the `app` fixture applies it to each response a test provokes)."""

from __future__ import annotations

import re

import pytest

from archive_app.organisation.users import create_token, create_user
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import bearer, upload_form
from tests.openapi_check import operation_of, problems


@pytest.fixture
def tokens(archive, org, users) -> dict[str, str]:
    out = dict(users)
    with archive.db.transaction() as s:
        for name, agency, role in (("spj_corr", "SPJ", "correspondence"), ("rsj_corr", "RSJ", "correspondence"),
                                   ("spj_admin", "SPJ", "admin")):
            create_user(s, name, agency, role, PASSWORD)
            out[name] = create_token(s, name)
    return out


def _routes(app) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            out |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_every_route_answers_as_the_openapi_document_says(app, client, tokens) -> None:
    seen: dict[tuple[str, str], list[int]] = {}
    wrong: list[str] = []

    def call(method: str, url: str, who: str = "spj_clerk", **kw):
        resp = client.open(url, method=method, headers=bearer(tokens[who]), **kw)
        path = url.split("?")[0]
        body = resp.get_data() if resp.mimetype == "application/json" else b""
        wrong.extend(problems(method, path, resp.status_code, resp.content_type or "", body))
        template = operation_of(path.removeprefix("/api/v1"))
        seen.setdefault((template, method.lower()), []).append(resp.status_code)
        resp.close()
        return resp

    filed = call("POST", "/api/v1/records", data=upload_form(f.pdf_bytes("准予劳务派遣经营许可决定书"),
                                                             doc_no="安行审许〔2026〕7号"),
                 content_type="multipart/form-data").get_json()
    assert "id" in filed, filed
    rid = filed["id"]
    for url in (f"/api/v1/records/{rid}", f"/api/v1/records/{rid}/content", f"/api/v1/records/{rid}/stamped",
                "/api/v1/records?custodian=SPJ", "/api/v1/matters", "/api/v1/search?q=劳务派遣",
                "/api/v1/templates", "/api/v1/documents", "/api/v1/dashboard", "/api/v1/dashboard/cases",
                "/api/v1/workdays/deadline?start=2026-03-02&days=20", "/api/v1/push-agreements",
                "/api/v1/special-reviews", "/api/v1/liaison-officers", "/api/v1/review-procedures",
                "/api/v1/pushes", "/api/v1/cases", "/api/v1/matters/LWPQ/standards", "/api/v1/openapi.json",
                "/api/v1/reports/filing-catalogue?format=xlsx"):
        call("GET", url, "spj_admin" if "review-procedures" in url else "spj_corr" if "/documents" in url
             else "spj_clerk")
    ask = call("POST", "/api/v1/lookup-requests", "rsj_officer",
               json={"record_ids": [rid], "purpose": "监管执法核查", "mode": "view", "days": 7}).get_json()
    call("GET", "/api/v1/lookup-requests", "spj_clerk")
    call("GET", f"/api/v1/lookup-requests/{ask['id']}", "rsj_officer")
    call("POST", f"/api/v1/lookup-requests/{ask['id']}/decision", json={"decision": "approve"})
    call("POST", f"/api/v1/lookup-requests/{ask['id']}/return", "rsj_officer")
    case = call("POST", "/api/v1/cases", "spj_officer", json={
        "case_no": "LWPQ-2026-0002", "matter": "LWPQ", "applicant": "安康市汉江人力资源有限公司",
        "received_on": "2026-02-10"}).get_json()
    assert "case_no" in case, case
    push = call("POST", "/api/v1/pushes", "spj_corr", json={
        "flow": "approval_result", "receiver": "RSJ", "case_no": "LWPQ-2026-0002", "content": "准予许可",
        "channel": "platform"}).get_json()
    assert "id" in push, push
    call("GET", f"/api/v1/pushes/{push['id']}", "rsj_officer")
    call("POST", f"/api/v1/pushes/{push['id']}/receive", "rsj_corr")
    call("GET", f"/api/v1/cases/{case['case_no']}", "spj_officer")
    review = call("POST", "/api/v1/special-reviews", "spj_corr", json={
        "case_no": case["case_no"], "kind": "专家评审", "mode": "independent", "time_limit_days": 10,
        "content": "组织专家评审经营方案"}).get_json()
    assert "id" in review, review
    call("GET", f"/api/v1/special-reviews/{review['id']}", "spj_officer")
    # every other route and method: a real answer (a documented error where the body is missing)
    for path, method in sorted(_routes(app) - set(seen)):
        url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: "LWPQ-2026-0002" if m.group(1) == "case_no"
                                 else "LWPQ" if m.group(1) == "code" else "99999", path)
        call(method.upper(), url, "spj_clerk", json={})
    assert wrong == []
    assert set(seen) == _routes(app), "routes not called"
    gets_without_success = sorted(k for k, statuses in seen.items() if k[1] == "get"
                                  and not any(200 <= s < 300 for s in statuses)
                                  and "{" in k[0] and k[0].startswith("/documents/"))
    every_get_ok = sorted(k for k, statuses in seen.items() if k[1] == "get" and k not in gets_without_success
                          and not any(200 <= s < 300 for s in statuses))
    assert every_get_ok == [], f"GET routes never answered with success: {every_get_ok}"
