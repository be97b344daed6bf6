"""Security headers on every response (issue 11 item 17; docs/security.md).

* `Content-Security-Policy`: scripts only from our own static files — no inline `<script>`, no
  `on…=` handlers, no `javascript:` URLs (a test scans the templates) — so an injected snippet
  cannot run even if escaping ever fails; nothing may frame our pages (`frame-ancestors 'none'`,
  plus `X-Frame-Options: DENY` for old browsers); forms post only to us; no plugins.
  Inline `style` attributes remain allowed: they cannot run script, and the forms use them.
* `X-Content-Type-Options: nosniff`: a browser never guesses a script or page out of a served file.
* `Referrer-Policy: same-origin`: addresses (which carry search words and record ids) are not sent
  to other sites; our own forms still send it, which CSRF checking over HTTPS needs.
* `Cache-Control: no-store` on everything but static files: pages, API answers and files carry
  record content and must not stay in a shared or browser cache after log-out.
"""

from __future__ import annotations

from flask import Flask, Response, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":
            resp.headers["Cache-Control"] = "no-store"
            resp.headers.pop("Expires", None)
            resp.headers.pop("Last-Modified", None)
            resp.headers.pop("ETag", None)
        return resp
