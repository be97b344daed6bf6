"""Every error code the service emits is a declared class in core/errors.py and appears in the OpenAPI
document (issue 13 item 5): the web layer's own answers — a method a path does not take, a request
HTTP refuses, an unexpected failure — included, each with its declared status and the Error shape."""

from __future__ import annotations

import ast
from pathlib import Path

import jsonschema
import pytest

from archive_app.api.openapi import spec
from archive_app.core import errors
from tests import factories as f
from tests.helpers import bearer, upload_form

ERRORS_MODULE = Path(errors.__file__)
PACKAGE = ERRORS_MODULE.parents[1]
DECLARED = {e.code: e for e in errors.ALL_ERRORS}


def _emitted_codes() -> dict[str, str]:
    """Code literals the package emits: Refuse("CODE", …), {"code": "CODE"}, x.code = "CODE"."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if path == ERRORS_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            values = []
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("Refuse") and node.args:
                values.append(node.args[0])
            elif isinstance(node, ast.Dict):
                values += [v for k, v in zip(node.keys, node.values, strict=True)
                           if isinstance(k, ast.Constant) and k.value == "code"]
            elif isinstance(node, ast.Assign):
                values += [node.value] if any(isinstance(t, ast.Attribute) and t.attr == "code"
                                              for t in node.targets) else []
            for v in values:
                if isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value.isupper():
                    found[v.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_emitted_code_is_declared() -> None:
    emitted = _emitted_codes()
    assert emitted, "the scan found no codes at all"
    assert {c: where for c, where in emitted.items() if c not in DECLARED} == {}


def test_no_error_is_made_without_a_declared_class() -> None:
    """A bare ArchiveError would answer with the undeclared code ERROR; a code set on an instance
    would bypass the declaration."""
    offences = []
    for path in PACKAGE.rglob("*.py"):
        if path == ERRORS_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("errors.ArchiveError", "ArchiveError"):
                offences.append(f"{path.name}:{node.lineno} makes a bare ArchiveError")
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "code"
                                                    for t in node.targets):
                offences.append(f"{path.name}:{node.lineno} sets .code")
    assert offences == []


def test_every_declared_code_is_in_the_openapi_document() -> None:
    doc = spec()
    enum = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert set(enum) == set(DECLARED)
    text = str(doc["paths"])
    for code in DECLARED:
        assert code in text, f"{code} is answered by no documented operation"


def _error_schema() -> dict:
    doc = spec()
    return {**doc["components"]["schemas"]["Error"], "components": doc["components"]}


def _check(resp, code: str, status: int | None = None) -> dict:
    body = resp.get_json()
    jsonschema.validate(body, _error_schema())
    assert body["error"]["code"] == code
    assert resp.status_code == (status or DECLARED[code].status)
    assert body["error"]["message"] and not body["error"]["message"].isascii()  # Chinese for a clerk
    return body


def test_a_method_the_path_does_not_take(client, users) -> None:
    _check(client.post("/api/v1/matters", headers=bearer(users["spj_clerk"])), "METHOD_NOT_ALLOWED")
    _check(client.delete("/api/v1/records", headers=bearer(users["spj_clerk"])), "METHOD_NOT_ALLOWED")


def test_a_request_http_refuses_is_a_bad_request_with_https_status(client, users) -> None:
    data = f.pdf_bytes(pages=1)
    filed = client.post("/api/v1/records", data=upload_form(data), headers=bearer(users["spj_clerk"]),
                        content_type="multipart/form-data").get_json()
    resp = client.get(f"/api/v1/records/{filed['id']}/content",
                      headers={**bearer(users["spj_clerk"]), "Range": f"bytes={len(data) + 10}-"})
    _check(resp, "BAD_REQUEST", 416)


def test_an_unexpected_failure_is_internal_and_logged(client, users, monkeypatch, caplog) -> None:
    from archive_app.api import routes

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(routes.catalogue, "matters", broken)
    body = _check(client.get("/api/v1/matters", headers=bearer(users["spj_clerk"])), "INTERNAL")
    assert "disk on fire" not in str(body)  # nothing internal leaks to the caller
    assert "disk on fire" in caplog.text


@pytest.mark.parametrize("code", ["BAD_REQUEST", "METHOD_NOT_ALLOWED", "INTERNAL"])
def test_the_web_layers_own_codes_are_declared_classes(code) -> None:
    cls = DECLARED[code]
    assert issubclass(cls, errors.ArchiveError) and cls().message
