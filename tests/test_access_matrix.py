"""The access policy route by route: every route declares a rule, and every route is called by
anonymous users and by every role of both agencies, including guessed ids of the other
agency's records (IDOR). A new route without a policy decision fails this suite."""

from __future__ import annotations

import re

import pytest

from archive_app.models import ROLES
from archive_app.organisation.access import (
    CONTENT_ACTIONS,
    KEY_PROJECT_FLAGGER,
    LOOKUP_CUSTODIAN,
    LOOKUP_REQUESTER,
    PUBLIC,
    ROLE_ACTIONS,
    SIGNED_IN,
    STANDARD_PROVIDER,
    Action,
    Listing,
    policy,
)
from archive_app.records.reports import LISTS, REPORTS
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import bearer

AGENCIES = ("SPJ", "RSJ")
MATRIX_USERS = [(f"{a.lower()}_{r}", a, r) for a in AGENCIES for r in ROLES]


def test_every_route_declares_its_access_rule(app) -> None:
    missing = [rule.rule for rule in app.url_map.iter_rules()
               if rule.endpoint != "static" and getattr(app.view_functions[rule.endpoint], "access_rule", None) is None]
    assert missing == []


def test_an_undeclared_route_is_refused(app, client, users) -> None:
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    client.post("/login")  # any request
    resp = client.get("/undeclared", headers=bearer(users["spj_clerk"]))
    assert resp.status_code == 403 and "secret" not in resp.get_data(as_text=True)


EXPECTED = {  # the written matrix (docs/access-policy.md), role → actions
    "clerk": {"read_catalogue", "file", "request_lookup", "decide_lookup", "record_case"},
    "officer": {"read_catalogue", "request_lookup", "record_case"},
    "correspondence": {"read_catalogue", "request_lookup", "issue_letters"},
    "admin": {"read_catalogue", "file", "request_lookup", "decide_lookup", "issue_letters", "administer",
              "view_audit", "record_case"},
}


def test_the_role_table_matches_the_documented_matrix() -> None:
    assert {role: {a.value for a in actions} for role, actions in ROLE_ACTIONS.items()} == EXPECTED


@pytest.fixture
def matrix(archive, org, tmp_path):
    """One record kept by each agency, a lookup request, a throwaway user; tokens for every role."""
    from archive_app.organisation.users import create_token, create_user
    from archive_app.records import lookups

    spj_rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", formed_on="2026-03-02")
    rsj_rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "b.pdf", formed_on="2021-03-02")
    tokens = {}
    with archive.db.transaction() as s:
        for name, agency, role in MATRIX_USERS:
            create_user(s, name, agency, role, PASSWORD)
            tokens[name] = create_token(s, name)
        create_user(s, "victim", "SPJ", "officer", PASSWORD)
    with archive.db.transaction() as s:
        from sqlalchemy import select

        from archive_app.models import User
        requester = s.scalar(select(User).where(User.username == "rsj_officer"))
        req = lookups.create(s, requester, [spj_rec.record_id], "监管核查", "view", 3)
        lookup_id = req.id
    return {"spj": spj_rec.record_id, "rsj": rsj_rec.record_id, "lookup": lookup_id, "tokens": tokens}


def _url(rule, values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}(?:\([^)]*\))?>", str(values[name]), url)
    url = re.sub(r"<any\([^)]*\):role>", values["role"], url)
    return url


# Admin routes that act on one agency's users or units (issue 11 item 3: own agency only).
AGENCY_ADMIN_ROUTES = {"admin.add_user", "admin.toggle_user", "admin.reset_password", "admin.change_role",
                       "admin.add_unit"}


def _calls(app, matrix: dict) -> list[tuple[str, str, str, object, object]]:
    """(endpoint, method, url, rule, target) for every route: both agencies' records, every report
    id for both agencies (target = (report id, agency)); the admin routes acting on one agency's
    users or units act on SPJ's (target = ("admin-of", "SPJ"): the throwaway user, a unit of SPJ)."""
    calls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.logout"):
            continue
        access = app.view_functions[rule.endpoint].access_rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            targets: list = [None]
            if "record_id" in rule.arguments:
                targets = [matrix["spj"], matrix["rsj"]]
            elif "report_id" in rule.arguments:
                targets = [(report_id, agency) for report_id in REPORTS for agency in AGENCIES]
            elif rule.endpoint in AGENCY_ADMIN_ROUTES:
                targets = [("admin-of", "SPJ")]
            for target in targets:
                values = {"record_id": target, "request_id": matrix["lookup"], "username": "victim",
                          "code": "TSGS", "token_id": 999999, "role": "stamped", "doc_id": 999999,
                          "kind": "pdf", "template_id": "approval-result-letter", "batch": "no-such-batch",
                          "report_id": target[0] if isinstance(target, tuple) else "filing-catalogue",
                          "push_id": 999999, "review_id": 999999, "step": "conclusion", "row_id": 999999,
                          "case_no": "no-such-case", "session_id": 999999, "act": "confirm"}
                url = _url(rule, values)
                if isinstance(target, tuple) and target[0] in REPORTS:
                    url += f"?agency={target[1]}"
                calls.append((rule.endpoint, method, url, access, target))
    return calls


def _allowed(access, agency: str, role: str, record_id, matrix, username: str) -> bool:
    if isinstance(record_id, tuple) and record_id[0] == "admin-of":  # administrators of that agency only
        return role == "admin" and agency == record_id[1]
    if isinstance(record_id, tuple):  # a report of (report id, agency): the rule of what it lists
        report_id, of_agency = record_id
        return access in ROLE_ACTIONS[role] and (LISTS[report_id] is Listing.CATALOGUE or of_agency == agency)
    if access in (PUBLIC, SIGNED_IN):
        return True
    if access == LOOKUP_REQUESTER:  # the fixture's request: rsj_officer asks SPJ
        return username == "rsj_officer"
    if access == LOOKUP_CUSTODIAN:
        return agency == "SPJ" and role in ("clerk", "admin")
    if access == STANDARD_PROVIDER:  # TSGS: RSJ is its department
        return agency == "RSJ" and role == "admin"
    if access == KEY_PROJECT_FLAGGER:  # TSGS: RSJ approves it itself
        return agency == "RSJ" and role == "admin"
    if access in CONTENT_ACTIONS:
        keeper = "SPJ" if record_id == matrix["spj"] else "RSJ"
        return agency == keeper
    return access in ROLE_ACTIONS[role]


def _request(client, method: str, url: str, headers: dict | None = None):
    kwargs = {"headers": headers or {}}
    if method == "POST":
        kwargs["data"] = {"date": "", "decision": "deny", "note": "矩阵测试", "agency": "SPJ",
                          "department": "RSJ", "approving": "SPJ"}
    resp = getattr(client, method.lower())(url, **kwargs)
    resp.close()
    return resp


def test_every_route_for_anonymous_users(app, matrix) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # authorisation only; CSRF has its own tests
    client = app.test_client()
    for endpoint, method, url, access, _ in _calls(app, matrix):
        resp = _request(client, method, url)
        if access == PUBLIC:
            assert resp.status_code not in (401, 403), (endpoint, method, url)
        elif url.startswith("/api/"):
            assert resp.status_code == 401, (endpoint, method, url, resp.status_code)
        else:
            assert resp.status_code == 302 and "/login" in resp.headers["Location"], (endpoint, method, url)


@pytest.mark.parametrize(("username", "agency", "role"), MATRIX_USERS)
def test_every_route_for_every_role_of_both_agencies(app, matrix, username, agency, role) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # authorisation only; CSRF has its own tests
    client = app.test_client()
    headers = bearer(matrix["tokens"][username])
    for endpoint, method, url, access, record_id in _calls(app, matrix):
        if access == PUBLIC:
            continue
        resp = _request(client, method, url, headers)
        if _allowed(access, agency, role, record_id, matrix, username):
            assert resp.status_code not in (401, 403), (username, endpoint, method, url, resp.status_code)
        else:
            assert resp.status_code == 403, (username, endpoint, method, url, resp.status_code)


def test_policy_decorator_marks_the_view() -> None:
    @policy(Action.FILE)
    def view() -> None:
        return None
    assert view.access_rule is Action.FILE


# --- Who may act in the 审管联动 registers (issue 17 item 9): the route gate (ISSUE_LETTERS) and the
# object rule of the access policy (access.may_push / may_organise_review / may_lead_review /
# may_take_part / may_find), for every role of both agencies, on real objects.

REGISTER_CASE = "SP-2026-0777"


@pytest.fixture
def register_objects(archive, matrix, tmp_path):
    from archive_app.intake import Actor
    from archive_app.models import SpecialReview
    from archive_app.registers import pushes, reviews

    f.file_bytes(archive, tmp_path, f.pdf_bytes("申请书"), "c.pdf", formed_on="2026-11-02", case_no=REGISTER_CASE,
                 applicant="安康市某人力资源公司")
    spj, rsj = Actor("spj_correspondence", "SPJ", "correspondence"), Actor("rsj_correspondence", "RSJ",
                                                                            "correspondence")
    review_id = reviews.start(archive, spj, {"case_no": REGISTER_CASE, "kind": "现场实地核查", "mode": "independent",
                                             "time_limit_days": 5})
    objection = pushes.send(archive, rsj, {"flow": "objection", "receiver": "SPJ", "case_no": REGISTER_CASE,
                                           "content": "承诺内容与实际不符", "channel": "platform"})
    pushes.receive(archive, spj, objection)
    with archive.db.transaction() as s:  # a joint review with RSJ as partner, without paperwork
        joint = SpecialReview(case_id=s.get(SpecialReview, review_id).case_id, kind="专家评审", mode="joint",
                              lead_id=s.get(SpecialReview, review_id).lead_id, partner="安康市人力资源和社会保障局",
                              partner_id=matrix_agency_id(s, "RSJ"), started_on=s.get(SpecialReview, review_id)
                              .started_on, time_limit_days=5, due_on=s.get(SpecialReview, review_id).due_on,
                              created_by="matrix")
        s.add(joint)
        s.flush()
        joint_id = joint.id
    return {"review": review_id, "joint": joint_id, "objection": objection}


def matrix_agency_id(session, code: str) -> int:
    from sqlalchemy import select

    from archive_app.models import Agency
    return session.scalar(select(Agency.id).where(Agency.code == code))


ISSUERS = ("correspondence", "admin")


def _register_calls(objects: dict) -> list[tuple[str, str, dict, str]]:
    """(label, url, body, agency allowed by the object rule)."""
    push = {"case_no": REGISTER_CASE, "content": "矩阵测试", "channel": "platform"}
    return [
        ("（一）审批办结信息", "/api/v1/pushes", {**push, "flow": "approval_result", "receiver": "{other}"}, "SPJ"),
        ("（三）监管执法信息", "/api/v1/pushes", {**push, "flow": "supervision", "receiver": "{other}"}, "RSJ"),
        ("（四）审查结论", "/api/v1/pushes", {**push, "flow": "review_conclusion", "receiver": "{other}"}, "RSJ"),
        ("组织特别审查", "/api/v1/special-reviews",
         {"case_no": REGISTER_CASE, "kind": "听证", "mode": "independent", "time_limit_days": 5}, "SPJ"),
        ("关联许可决定", f"/api/v1/special-reviews/{objects['joint']}/decision", {"record_id": 1}, "SPJ"),
        ("确定参加人员", f"/api/v1/special-reviews/{objects['joint']}/participants", {"participants": "王晓敏"}, "RSJ"),
        ("认定", f"/api/v1/pushes/{objects['objection']}/finding",
         {"finding": "untrue", "finding_reason": "经核查不属实"}, "SPJ"),
    ]


@pytest.mark.parametrize(("username", "agency", "role"), MATRIX_USERS)
def test_who_may_act_in_the_registers(app, matrix, register_objects, username, agency, role) -> None:
    """第九条 directions, 第十二条 organiser, 第十四条 decisions, 第八条（三） participants, 未央 三（五）."""
    client = app.test_client()
    headers = bearer(matrix["tokens"][username])
    other = "RSJ" if agency == "SPJ" else "SPJ"
    for label, url, body, allowed_agency in _register_calls(register_objects):
        body = {k: (other if v == "{other}" else v) for k, v in body.items()}
        resp = client.post(url, json=body, headers=headers)
        code = resp.get_json()["error"]["code"] if resp.status_code >= 400 else None
        if role not in ISSUERS:
            assert resp.status_code == 403, (username, label, resp.status_code)
        elif agency == allowed_agency:
            # allowed: done, or refused for the object's state (CONFLICT), never FORBIDDEN or a wrong direction
            assert resp.status_code not in (401, 403) and code != "VALIDATION", \
                (username, label, resp.status_code, resp.get_json())
        elif url == "/api/v1/pushes":  # a push the wrong way: VALIDATION naming the clause (item 1)
            assert code == "VALIDATION" and "第九条" in resp.get_json()["error"]["message"], (username, label)
        else:
            assert resp.status_code == 403, (username, label, resp.status_code, resp.get_json())
