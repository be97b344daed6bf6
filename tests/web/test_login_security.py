"""Signing in (issue 11 items 4, 9, 15): where the log-in sends the user afterwards, sessions that
end, and throttling that neither reveals user names nor lets anyone lock a user out."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.helpers import csrf_from


def _login_next(client, username: str, nxt: str):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", query_string={"next": nxt},
                       data={"username": username, "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("nxt", ["/\t/evil.example", "//evil.example/", "/\\evil.example", "https://evil.example/",
                                 "/\n/evil.example", "/\r\nSet-Cookie: x=1", "\t//evil.example", "javascript:alert(1)",
                                 "/.//evil.example", "/..//evil.example", "/a/..//evil.example", "/%2e//evil.example", "https:evil.example",
                                 "\\evil.example", "/\x7f/evil.example"])
def test_next_outside_the_site_goes_home(client, users, nxt: str) -> None:
    resp = _login_next(client, "spj_clerk", nxt)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/", (nxt, resp.headers["Location"])


def test_a_local_next_is_kept(client, users) -> None:
    resp = _login_next(client, "spj_clerk", "/search?q=%E8%AE%B8%E5%8F%AF")
    assert resp.status_code == 302 and resp.headers["Location"] == "/search?q=%E8%AE%B8%E5%8F%AF"


# --- throttling (item 15) ---------------------------------------------------------------------

def _attempt(client, username: str, password: str, address: str):
    token = csrf_from(client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_unknown_and_known_names_get_the_same_answers(app, users) -> None:
    answers = {}
    for name in ("rsj_clerk", "no_such_user"):
        client = app.test_client()
        seen = []
        for _ in range(7):
            resp = _attempt(client, name, "nope nope nope", "10.0.0.9")
            body = resp.get_data(as_text=True)
            seen.append((resp.status_code, "用户名或密码不正确" in body, "登录尝试过于频繁" in body))
        answers[name] = seen
    assert answers["rsj_clerk"] == answers["no_such_user"]
    assert answers["rsj_clerk"][-1][0] == 429 and answers["rsj_clerk"][-1][2]


def test_a_stranger_cannot_lock_a_user_out(app, users) -> None:
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(8):
        _attempt(attacker, "rsj_clerk", "nope nope nope", "203.0.113.7")
    refused = _attempt(attacker, "rsj_clerk", PASSWORD, "203.0.113.7")
    assert refused.status_code == 429  # the guessing address waits, even with the right password
    ok = _attempt(owner, "rsj_clerk", PASSWORD, "10.1.2.3")
    assert ok.status_code == 302  # the owner at their own desk signs in


def test_the_wait_grows_and_ends(app, archive, users) -> None:
    from datetime import timedelta

    from archive_app.core.db import utcnow
    from archive_app.organisation import login_throttle

    with archive.db.transaction() as s:
        now = utcnow()
        for _ in range(5):
            login_throttle.record_failure(s, "rsj_clerk", "10.0.0.1", now)
        first = login_throttle.wait_seconds(s, "rsj_clerk", "10.0.0.1", now)
        login_throttle.record_failure(s, "rsj_clerk", "10.0.0.1", now)
        second = login_throttle.wait_seconds(s, "rsj_clerk", "10.0.0.1", now)
        assert (first, second) == (30, 60)
        assert login_throttle.wait_seconds(s, "rsj_clerk", "10.0.0.1", now + timedelta(seconds=61)) == 0
        assert login_throttle.wait_seconds(s, "rsj_clerk", "10.0.0.2", now) == 0


def test_failed_logins_for_unknown_names_are_audited(client, archive, users) -> None:
    from sqlalchemy import select

    from archive_app.models import AuditEntry

    _attempt(client, "ghost", "whatever", "10.0.0.5")
    with archive.db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login_failed"))
    assert entry is not None and entry.actor == "ghost" and '"unknown_user"' in entry.detail
    assert '"10.0.0.5"' in entry.detail


# --- sessions that end (item 4) ---------------------------------------------------------------

def _copy_cookie(src, dst) -> None:
    cookie = src.get_cookie("session")
    assert cookie is not None
    dst.set_cookie("session", cookie.value)


def test_a_copied_cookie_stops_working_after_log_out(app, users) -> None:
    from tests.helpers import login

    browser, thief = app.test_client(), app.test_client()
    login(browser, "spj_clerk")
    _copy_cookie(browser, thief)
    assert thief.get("/account/").status_code == 200
    token = csrf_from(browser.get("/account/").get_data(as_text=True))
    browser.post("/logout", data={"csrf_token": token})
    assert thief.get("/account/").status_code == 302


@pytest.mark.parametrize("act", ["password", "disable", "role"])
def test_password_reset_role_change_and_disabling_end_every_session(app, archive, users, act: str) -> None:
    from archive_app.organisation.users import set_active, set_password, set_role
    from tests.helpers import login

    one, two = app.test_client(), app.test_client()
    login(one, "spj_clerk")
    login(two, "spj_clerk")
    assert one.get("/account/").status_code == 200 and two.get("/account/").status_code == 200
    with archive.db.transaction() as s:
        if act == "password":
            set_password(s, "spj_clerk", "another good password", actor="admin")
        elif act == "disable":
            set_active(s, "spj_clerk", False, actor="admin")
        else:
            set_role(s, "spj_clerk", "officer", actor="admin")
    assert one.get("/account/").status_code == 302 and two.get("/account/").status_code == 302


def test_the_csrf_token_is_renewed_at_log_in(app, users) -> None:
    client = app.test_client()
    before = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "spj_clerk", "password": PASSWORD, "csrf_token": before})
    assert resp.status_code == 302
    with client.session_transaction() as sess:
        assert "csrf_token" not in sess  # the anonymous page's secret is gone; a new one is made on use
    after = csrf_from(client.get("/account/").get_data(as_text=True))
    assert after != before
    # a token learnt before log-in (e.g. planted by an attacker) does not authorise the signed-in session
    assert client.post("/account/tokens", data={"csrf_token": before}).status_code in (400, 403)
    assert client.post("/account/tokens", data={"csrf_token": after}).status_code == 200


def test_an_idle_session_ends(app, archive, users, monkeypatch) -> None:
    from datetime import timedelta

    from sqlalchemy import select, update

    from archive_app.core.db import utcnow
    from archive_app.models import UserSession
    from tests.helpers import login

    assert app.extensions["archive"].settings.session_idle_min == 30
    client = app.test_client()
    login(client, "spj_clerk")
    assert client.get("/account/").status_code == 200
    with archive.db.transaction() as s:
        s.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    assert client.get("/account/").status_code == 302
    with archive.db.session() as s:
        assert s.scalars(select(UserSession)).one().end_reason == "idle"


def test_idle_minutes_come_from_the_environment(monkeypatch, overrides) -> None:
    from archive_app.core.config import load_settings

    monkeypatch.setenv("ARCHIVE_SESSION_IDLE_MIN", "5")
    assert load_settings(overrides).session_idle_min == 5


def test_users_see_and_end_their_own_sessions(app, users) -> None:
    from tests.helpers import login

    desk, laptop = app.test_client(), app.test_client()
    login(desk, "spj_clerk")
    login(laptop, "spj_clerk")
    page = desk.get("/account/").get_data(as_text=True)
    assert page.count("/account/sessions/") >= 3  # two sessions to end, and "end others"
    assert "本次登录" in page
    import re
    ids = [int(n) for n in re.findall(r"/account/sessions/(\d+)/end", page)]
    assert len(ids) == 2
    token = csrf_from(page)
    other = max(ids)  # the laptop signed in last
    resp = desk.post(f"/account/sessions/{other}/end", data={"csrf_token": token})
    assert resp.status_code == 302
    assert laptop.get("/account/").status_code == 302 and desk.get("/account/").status_code == 200


def test_nobody_ends_someone_elses_session(app, users) -> None:
    import re

    from tests.helpers import login

    victim, attacker = app.test_client(), app.test_client()
    login(victim, "rsj_clerk")
    victim_ids = re.findall(r"/account/sessions/(\d+)/end", victim.get("/account/").get_data(as_text=True))
    login(attacker, "spj_clerk")
    token = csrf_from(attacker.get("/account/").get_data(as_text=True))
    attacker.post(f"/account/sessions/{victim_ids[0]}/end", data={"csrf_token": token})
    assert victim.get("/account/").status_code == 200


def test_a_forms_back_address_is_local_too(app, archive, users) -> None:
    """The administration forms' `back` field goes through the same check as `next=`."""
    from archive_app.organisation.users import create_user
    from tests.helpers import login

    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", PASSWORD)
    client = app.test_client()
    login(client, "spj_admin")
    token = csrf_from(client.get("/admin/").get_data(as_text=True))
    for back, expected in (("/.//evil.example", "/admin/"), ("https://evil.example/", "/admin/"),
                           ("/search?q=1", "/search?q=1")):
        resp = client.post("/admin/users/spj_clerk/role", data={"role": "officer", "csrf_token": token, "back": back})
        assert resp.status_code == 302 and resp.headers["Location"] == expected, (back, resp.headers["Location"])
