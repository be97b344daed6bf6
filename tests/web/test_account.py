"""我的账户 (issue 16 item 5): the role in Chinese, and changing one's own password."""

from __future__ import annotations

from sqlalchemy import select

from archive_app.models import AuditEntry
from tests.conftest import PASSWORD
from tests.helpers import csrf_from, login

NEW = "汉江 river 2026 new"


def _change(client, current: str, new: str, repeat: str | None = None):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    return client.post("/account/password", data={"csrf_token": token, "current_password": current,
                                                  "new_password": new, "repeat_password": repeat or new})


def test_the_account_page_shows_the_role_in_chinese_and_the_rules(client, users) -> None:
    login(client, "spj_clerk")
    html = client.get("/account/").get_data(as_text=True)
    assert "档案管理员" in html and ">clerk<" not in html
    assert "至少 8 个字符" in html and "不能与用户名相同" in html


def test_a_user_changes_their_password_with_the_current_one(client, users, archive) -> None:
    login(client, "spj_officer")
    wrong = _change(client, "not my password", NEW)
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    short = _change(client, PASSWORD, "short", "shorter")
    text = short.get_data(as_text=True)
    assert "新密码至少 8 个字符" in text and "两次输入的新密码不一致" in text  # all problems at once
    done = _change(client, PASSWORD, NEW)
    assert done.status_code == 302
    assert client.get("/account/").status_code == 200  # this session stays signed in
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    assert "用户名或密码不正确" in login(client, "spj_officer", PASSWORD).get_data(as_text=True)
    assert login(client, "spj_officer", NEW).status_code == 302
    with archive.db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.actor == "spj_officer")).all()
    assert "user.password" in actions and "user.password_refused" in actions
