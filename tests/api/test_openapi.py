"""The OpenAPI description covers every /api/v1 route and method, and every error code. (Real
responses are checked against it in tests/api/test_openapi_responses.py and by the `app` fixture.)"""

from __future__ import annotations

import re

from archive_app.core.errors import ALL_ERRORS


def test_every_api_route_is_described(app, client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} is missing from openapi.json"


def test_documented_paths_exist(app, client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule.removeprefix("/api/v1")) for r in app.url_map.iter_rules()}
    assert set(spec["paths"]) <= rules


def test_every_error_code_is_listed(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    codes = spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert set(codes) == {e.code for e in ALL_ERRORS}
