"""Small helpers for driving the pages and the API in tests."""

from __future__ import annotations

import io
import re

from tests.conftest import PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def upload_form(data: bytes, name: str = "decision.pdf", **fields: str) -> dict:
    form = {"matter": "LWPQ", "title": "劳务派遣经营许可决定书", "formed_on": "2026-03-02", "retention": "D30"}
    form.update(fields)
    form["file"] = (io.BytesIO(data), name)
    return form


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
