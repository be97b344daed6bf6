"""Issue 11 item 13: an oversized body is refused from its Content-Length, before anything reads
it, with the JSON TOO_LARGE — by the WSGI layer (before log-in, CSRF and views) and by the real
server (waitress) itself; a caller without credentials may send only a small body."""

from __future__ import annotations

import io
import json
import socket
import threading

import pytest

from archive_app.web.bodylimit import ANONYMOUS_LIMIT, make_server
from tests.helpers import login


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *_args):
        raise AssertionError("the body was read")

    readinto = readline = read


def _call(app, path: str, length: int, headers: dict[str, str] | None = None):
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "wsgi.input": Unreadable(), "wsgi.errors": io.StringIO(),
               "CONTENT_LENGTH": str(length), "CONTENT_TYPE": "multipart/form-data; boundary=x",
               **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}}
    status: list[str] = []
    body = b"".join(app.wsgi_app(environ, lambda s, h, exc=None: status.append(s)))
    return status[0], body


def test_a_too_large_upload_is_refused_before_it_is_read(app, users) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    status, body = _call(app, "/api/v1/records", limit + 1, {"Authorization": f"Bearer {users['spj_clerk']}"})
    error = json.loads(body)["error"]
    assert status.startswith("413") and error["code"] == "TOO_LARGE" and "MB" in error["message"]


def test_anonymous_callers_may_send_only_a_small_body(app, client, users) -> None:
    status, body = _call(app, "/login", ANONYMOUS_LIMIT + 1)
    assert status.startswith("413") and json.loads(body)["error"]["code"] == "TOO_LARGE"
    status, _ = _call(app, "/api/v1/records", ANONYMOUS_LIMIT + 1, {"Authorization": "Bearer not-a-token"})
    assert status.startswith("413")
    status, _ = _call(app, "/records/upload", ANONYMOUS_LIMIT + 1, {"Cookie": "session=forged"})
    assert status.startswith("413")


def test_a_cookie_kept_after_log_out_is_anonymous_again(app, client, users) -> None:
    from tests.helpers import csrf_from

    login(client, "spj_clerk")
    cookie = f"session={client.get_cookie('session').value}"
    status, _ = _call(app, "/api/v1/records", ANONYMOUS_LIMIT + 1, {"Cookie": cookie})
    assert not status.startswith("413")  # signed in: past the body limit check (the view reads on)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/account/").get_data(as_text=True))})
    status, body = _call(app, "/api/v1/records", ANONYMOUS_LIMIT + 1, {"Cookie": cookie})
    assert status.startswith("413") and json.loads(body)["error"]["code"] == "TOO_LARGE"


def test_a_signed_in_session_may_send_a_large_body(app, client, users) -> None:
    login(client, "spj_clerk")
    cookie = client.get_cookie("session")
    assert cookie is not None
    resp = client.post("/api/v1/records", data=b"x" * (ANONYMOUS_LIMIT + 10),
                       headers={"Content-Type": "application/octet-stream"})
    assert resp.status_code != 413


@pytest.fixture
def live(app):
    server = make_server(app, "127.0.0.1", 0, 2, app.config["MAX_CONTENT_LENGTH"])
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port

    def stop() -> None:  # in the loop's own thread: select() never sees a descriptor closed under it
        for channel in list(server._map.values()):  # answered connections still in the loop
            if channel is not server.trigger:
                channel.close()
        server.close()  # the listening socket and the trigger: the map is empty, the loop ends
    try:
        server.trigger.pull_trigger(stop)
    except OSError:  # the trigger is already gone (the loop has ended): nothing left to wake
        pass
    thread.join(10)
    server.task_dispatcher.shutdown()
    assert not thread.is_alive()


def _exchange(port: int, head: str, body: bytes = b"") -> tuple[bytes, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith((b"}", b")")):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status, _, payload = answer.partition(b"\r\n\r\n")
    return status, payload


@pytest.mark.parametrize("length", [300 * 1024 * 1024, 5 * 1024 ** 3])
def test_the_server_refuses_from_the_headers_with_json(live, length) -> None:
    """No body is sent at all: the answer must come from the headers alone."""
    head, body = _exchange(live, f"POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n"
                                 "Content-Type: multipart/form-data; boundary=x\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["error"]["code"] == "TOO_LARGE"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_the_real_server_answers_an_anonymous_large_body_with_json(live, chunked) -> None:
    """Between the anonymous limit and the upload limit the WSGI layer answers — under waitress
    too, which refuses hop-by-hop headers (such as Connection) from an application."""
    body = b"x" * (ANONYMOUS_LIMIT + 1024)
    if chunked:
        framing, body = "Transfer-Encoding: chunked", b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    else:
        framing = f"Content-Length: {len(body)}"
    head, payload = _exchange(live, f"POST /login HTTP/1.1\r\nHost: x\r\n{framing}\r\n"
                                    "Content-Type: application/x-www-form-urlencoded\r\n\r\n", body)
    assert head.startswith(b"HTTP/1.1 413"), head
    assert json.loads(payload)["error"]["code"] == "TOO_LARGE"


def test_a_request_without_a_body_costs_no_credential_lookup() -> None:
    """Every GET (pages, static files) has neither Content-Length nor a chunked body: the limit
    layer does not look up its session (a database read per request); a chunked body is checked."""
    from archive_app.web.bodylimit import BodyLimit

    asked: list[str] = []

    def signed_in(environ: dict) -> bool:
        asked.append(environ["PATH_INFO"])
        return False

    layer = BodyLimit(lambda environ, start: [b"ok"], 10 * ANONYMOUS_LIMIT, signed_in)
    base = {"REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(b"")}
    assert layer({**base, "PATH_INFO": "/static/app.css"}, lambda *a: None) == [b"ok"]
    assert layer({**base, "PATH_INFO": "/small", "CONTENT_LENGTH": "100"}, lambda *a: None) == [b"ok"]
    assert asked == []
    layer({**base, "PATH_INFO": "/chunked", "HTTP_TRANSFER_ENCODING": "chunked"}, lambda *a: None)
    assert asked == ["/chunked"]
