"""Security headers (issue 11 item 17): CSP without inline script, no framing, no sniffing, no
referrer to other sites, and no caching of anything but static files."""

from __future__ import annotations

import re
from pathlib import Path

from tests import factories as f
from tests.helpers import bearer, login

TEMPLATES = Path(__file__).resolve().parents[2] / "archive_app" / "web" / "templates"


def _csp(resp) -> dict[str, str]:
    return {d.split()[0]: d.partition(" ")[2] for d in resp.headers["Content-Security-Policy"].split("; ")}


def _common(resp) -> None:
    csp = _csp(resp)
    assert csp["script-src"] == "'self'" and "unsafe-inline" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_pages_api_and_content_carry_the_headers_and_are_not_stored(client, users, archive, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")
    responses = [client.get("/login"),
                 client.get(f"/api/v1/records/{rec.record_id}", headers=bearer(users["spj_clerk"])),
                 client.get(f"/api/v1/records/{rec.record_id}/content", headers=bearer(users["spj_clerk"]))]
    login(client, "spj_clerk")
    responses.append(client.get(f"/records/{rec.record_id}"))
    for resp in responses:
        _common(resp)
        assert resp.headers["Cache-Control"] == "no-store", resp.request.path
        resp.close()


def test_static_files_may_be_cached(client) -> None:
    resp = client.get("/static/style.css")
    _common(resp)
    assert "no-store" not in resp.headers.get("Cache-Control", "")
    resp.close()


INLINE = [re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),  # a script element without src
          re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I),  # onclick= … handlers
          re.compile(r"javascript:", re.I)]


def test_no_template_has_inline_script() -> None:
    found = [(p.name, m.group(0)) for p in sorted(TEMPLATES.rglob("*.html"))
             for pattern in INLINE for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
