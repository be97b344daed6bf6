"""Users, tokens, administration pages and the audit page."""

from __future__ import annotations

from sqlalchemy import select

from archive_app.models import AuditEntry, User
from archive_app.organisation.users import create_user
from tests import factories as f
from tests.helpers import bearer, csrf_from, login


def _admin(archive) -> None:
    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", "correct horse battery")


def test_passwords_are_stored_with_a_modern_kdf(archive, users) -> None:
    with archive.db.session() as s:
        user = s.scalar(select(User).where(User.username == "spj_clerk"))
    assert user.password_hash.startswith("scrypt:") and "correct horse" not in user.password_hash


def test_tokens_are_shown_once_stored_hashed_and_revocable(client, users, archive) -> None:
    from archive_app.models import ApiToken
    login(client, "spj_clerk")
    page = client.get("/account/").get_data(as_text=True)
    created = client.post("/account/tokens", data={"csrf_token": csrf_from(page)}).get_data(as_text=True)
    token = created.split("<code>")[1].split("</code>")[0]
    assert token.startswith("arc_")
    assert token not in client.get("/account/").get_data(as_text=True)  # shown once
    with archive.db.session() as s:
        rows = s.scalars(select(ApiToken)).all()
    assert all(token not in r.token_hash for r in rows)
    fresh = client.application.test_client()
    assert fresh.get("/api/v1/matters", headers=bearer(token)).status_code == 200
    newest = max(r.id for r in rows)
    client.post(f"/account/tokens/{newest}/revoke", data={"csrf_token": csrf_from(page)})
    assert fresh.get("/api/v1/matters", headers=bearer(token)).status_code == 401  # replay after revoke


def test_a_disabled_user_can_neither_log_in_nor_use_a_token(client, users, archive) -> None:
    from archive_app.organisation.users import set_active
    with archive.db.transaction() as s:
        set_active(s, "rsj_officer", False, actor="test")
    assert client.get("/api/v1/matters", headers=bearer(users["rsj_officer"])).status_code == 401
    assert "用户名或密码不正确" in login(client, "rsj_officer").get_data(as_text=True)


def test_admin_manages_users_agencies_units_and_matters(client, users, archive) -> None:
    _admin(archive)
    login(client, "spj_admin")
    token = csrf_from(client.get("/admin/").get_data(as_text=True))
    client.post("/admin/users", data={"username": "spj_new", "agency": "SPJ", "role": "officer",
                                      "password": "a long password", "csrf_token": token})
    client.post("/admin/agencies", data={"code": "ZJJ", "name": "安康市住房和城乡建设局", "fonds": "J004",
                                         "csrf_token": token})
    client.post("/admin/units", data={"agency": "SPJ", "code": "SCK", "name": "市场科", "is_default": "1",
                                      "csrf_token": token})
    client.post("/admin/matters", data={"code": "JZQY", "name": "建筑业企业资质", "department": "ZJJ",
                                        "approving": "SPJ", "transfer_date": "2022-03-01", "time_limit": "20",
                                        "csrf_token": token})
    bad = client.post("/admin/users", data={"username": "x", "agency": "SPJ", "role": "king", "password": "short",
                                            "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "角色应为" in bad and "密码至少8个字符" in bad
    page = client.get("/admin/").get_data(as_text=True)
    for text in ("spj_new", "安康市住房和城乡建设局", "市场科（SCK）", "建筑业企业资质", "2022年3月1日"):
        assert text in page
    client.post("/admin/users/spj_new/active", data={"active": "0", "csrf_token": token})
    with archive.db.session() as s:
        assert s.scalar(select(User).where(User.username == "spj_new")).active is False
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.actor == "spj_admin")).all())
    assert {"user.create", "agency.create", "unit.create", "matter.create", "user.disable"} <= actions


def test_audit_page_filters_and_exports_csv(client, users, archive, tmp_path) -> None:
    _admin(archive)
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    login(client, "spj_clerk")
    client.get(f"/records/{filed.record_id}/original").close()
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login(client, "spj_admin")
    page = client.get(f"/audit/?object_type=record&object_id={filed.record_id}").get_data(as_text=True)
    table = page[page.index('data-testid="audit-table"'):page.index("</table>")]
    assert 'data-action="record.file"' in table and 'data-action="record.download"' in table
    assert "下载档案" in table and 'data-action="auth.login"' not in table
    csv_text = client.get("/audit/export.csv?actor=spj_clerk").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("序号,时间（北京时间）,操作人")
    assert all(",spj_clerk," in line for line in lines[1:]) and any("record.download" in x for x in lines)


def test_non_admins_cannot_see_the_audit(client, users) -> None:
    login(client, "spj_clerk")
    assert client.get("/audit/").status_code == 403
    assert client.get("/admin/").status_code == 403
