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
                                 "/\n/evil.example", "/\r\nSet-Cookie: x=1", "\t//evil.example", "javascript:alert(1)"])
def test_next_outside_the_site_goes_home(client, users, nxt: str) -> None:
    resp = _login_next(client, "spj_clerk", nxt)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/", (nxt, resp.headers["Location"])


def test_a_local_next_is_kept(client, users) -> None:
    resp = _login_next(client, "spj_clerk", "/search?q=%E8%AE%B8%E5%8F%AF")
    assert resp.status_code == 302 and resp.headers["Location"] == "/search?q=%E8%AE%B8%E5%8F%AF"
