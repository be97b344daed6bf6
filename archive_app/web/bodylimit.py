"""Request bodies are refused by size before anything reads them.

Two places, because the server reads a body before the application sees it:

- `serve()` runs waitress with `max_request_body_size` set to our limit (not its 1 GiB default)
  and answers its own refusal as our JSON `TOO_LARGE`: a `Content-Length` above the limit is
  refused from the headers alone, a chunked body as soon as it passes the limit;
- `BodyLimit`, the outermost WSGI layer, refuses by `Content-Length` before sessions, log-in,
  CSRF or any view run, and caps a body without `Content-Length`. A caller without valid
  credentials (a signed-in session cookie with our signature, or a live API token) may send only
  a small body — log-in forms are a few hundred bytes — so anonymous callers cannot make the
  application take in large bodies at all. Credentials are looked at only when the body is
  larger than that small limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from werkzeug.wsgi import LimitedStream

from ..organisation import user_sessions
from ..organisation.users import user_for_token

ANONYMOUS_LIMIT = 256 * 1024
MB = 1024 * 1024


def too_large_body(limit: int) -> bytes:
    message = f"提交的内容超过了允许的大小上限（{limit / MB:.1f} MB），已拒收。" if limit < MB else \
        f"提交的内容超过了允许的大小上限（{limit / MB:.0f} MB），已拒收。"
    return json.dumps({"error": {"code": "TOO_LARGE", "message": message}}, ensure_ascii=False).encode()


class BodyLimit:
    """WSGI middleware: 413 `TOO_LARGE` by Content-Length, before the application runs."""

    def __init__(self, app: Callable, limit: int, signed_in: Callable[[dict], bool],
                 anonymous_limit: int = ANONYMOUS_LIMIT) -> None:
        self.app, self.limit, self.anonymous_limit = app, limit, anonymous_limit
        self.signed_in = signed_in

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH") or ""
        try:
            declared = int(length) if length.strip() else None
        except ValueError:
            declared = None
        # A body comes with a Content-Length or chunked; a request with neither (every GET, static
        # files) has none, and its credentials are not looked at here (no session lookup).
        chunked = declared is None and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        limit = self.limit
        if (chunked or (declared or 0) > self.anonymous_limit) and not self.signed_in(environ):
            limit = self.anonymous_limit
        if declared is not None and declared > limit:
            body = too_large_body(limit)
            # No `Connection: close`: a WSGI application may not send hop-by-hop headers (PEP 3333;
            # waitress answers a plain-text 500 instead). The server deals with the unread body.
            start_response("413 Request Entity Too Large", [
                ("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))])
            return [body]
        if declared is None and environ.get("wsgi.input") is not None:
            # A body without Content-Length (chunked): reading past the limit raises 413; without
            # one there is no body, and nothing may be read beyond the anonymous allowance.
            environ["wsgi.input"] = LimitedStream(environ["wsgi.input"], limit if chunked else self.anonymous_limit,
                                                  is_max=True)
        return self.app(environ, start_response)


def serve(app: Callable, host: str, port: int, threads: int, limit: int, **kw) -> None:
    """Run `app` under waitress with our body limit and our JSON refusal."""
    server = make_server(app, host, port, threads, limit, **kw)
    server.run()


def make_server(app: Callable, host: str, port: int, threads: int, limit: int, **kw):
    from waitress import create_server
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask
    from waitress.utilities import RequestEntityTooLarge

    class JsonErrorTask(ErrorTask):
        def execute(self) -> None:
            if not isinstance(self.request.error, RequestEntityTooLarge):
                return super().execute()
            body = too_large_body(limit)
            self.status = "413 Request Entity Too Large"
            self.response_headers.extend([("Content-Type", "application/json; charset=utf-8"),
                                          ("Content-Length", str(len(body))), ("Connection", "close")])
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)
            return None

    class Channel(HTTPChannel):
        error_task_class = JsonErrorTask

    from waitress.server import BaseWSGIServer

    server = create_server(app, host=host, port=port, threads=threads, max_request_body_size=limit + 1, **kw)
    for each in [server, *getattr(server, "map", {}).values()]:
        if isinstance(each, BaseWSGIServer):
            each.channel_class = Channel
    return server


def credentials_check(app, archive) -> Callable[[dict], bool]:
    """Does a request carry credentials: a session cookie we signed whose server-side session is
    still open, or a live API token? (Enough to be let send a large body; every view still checks everything.)"""
    from http.cookies import CookieError, SimpleCookie

    from itsdangerous import BadSignature


    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    max_age = int(app.permanent_session_lifetime.total_seconds())

    def signed_in(environ: dict) -> bool:
        header = environ.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Bearer "):
            with archive.db.session() as s:
                return user_for_token(s, header[7:].strip()) is not None
        cookies = SimpleCookie()
        try:
            cookies.load(environ.get("HTTP_COOKIE", ""))
        except CookieError:  # an unparsable Cookie header is no credential
            return False
        morsel = cookies.get(cookie_name)
        serializer = app.session_interface.get_signing_serializer(app)
        if morsel is None or serializer is None:
            return False
        try:
            data = serializer.loads(morsel.value, max_age=max_age)
        except BadSignature:
            return False
        if not isinstance(data, dict) or not str(data.get("_user_id", "")).isdigit():
            return False
        # a cookie kept after log-out (or a password reset) is signed but its session has ended
        with archive.db.session() as s:
            return user_sessions.is_open(archive, s, data.get("sid"), int(data["_user_id"]))

    return signed_in
