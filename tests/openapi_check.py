"""Checks a real /api/v1 response against the OpenAPI document (archive_app/api/openapi.py).

Used by the `app` fixture for every API response any test provokes, and by
tests/api/test_openapi_responses.py, which calls every route. A response conforms when:
- its path and method are an operation of the document;
- its status is listed for the operation — or it is one of the general errors every operation
  may give (BAD_REQUEST, METHOD_NOT_ALLOWED, INTERNAL), described by `default`;
- an error body names a code listed for that status (the `_err(…)` description);
- a JSON body validates against the response's schema (JSON Schema 2020-12, as OpenAPI 3.1),
  and a non-JSON body has one of the documented media types.
"""

from __future__ import annotations

import functools
import re

import jsonschema

from archive_app.api.openapi import GENERAL_ERRORS, spec

PREFIX = "/api/v1"


@functools.cache
def _document() -> dict:
    return spec()


@functools.cache
def _routes() -> list[tuple[re.Pattern, str]]:
    out = []
    for template in _document()["paths"]:
        pattern = re.sub(r"\\{(\w+)\\}", r"[^/]+", re.escape(template))
        out.append((re.compile(f"^{pattern}$"), template))
    # literal paths before templated ones (/documents/bulk before /documents/{doc_id})
    return sorted(out, key=lambda item: item[1].count("{"))


def operation_of(path: str) -> str | None:
    """The document's path template for a request path (without /api/v1), or None."""
    for pattern, template in _routes():
        if pattern.match(path):
            return template
    return None


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    root = {**schema, "components": _document()["components"]}
    return jsonschema.Draft202012Validator(root)


def problems(method: str, path: str, status: int, content_type: str, body: bytes) -> list[str]:
    """What does not conform (empty when the response matches the document)."""
    if not path.startswith(PREFIX + "/"):
        return []
    path = path.removeprefix(PREFIX)
    where = f"{method} {path} → {status}"
    template = operation_of(path)
    if template is None:
        return [] if status == 404 else [f"{where}: the path is not in the OpenAPI document"]
    op = _document()["paths"][template].get(method.lower())
    if op is None:
        return [] if status == 405 else [f"{where}: {method} is not documented for {template}"]
    media = (content_type or "").split(";")[0].strip()
    data = None
    if media == "application/json":
        import json

        try:
            data = json.loads(body or b"null")
        except ValueError:
            return [f"{where}: the body is not JSON"]
    code = data["error"].get("code") if isinstance(data, dict) and isinstance(data.get("error"), dict) else None
    responses = op.get("responses", {})
    response = responses.get(str(status))
    if response is None:
        if code in GENERAL_ERRORS and "default" in responses:
            response = responses["default"]
        else:
            return [f"{where}: status {status} ({code or media}) is not documented for {method} {template}"]
    if code and response is not responses.get("default") and code not in response.get("description", "").split() \
            and code not in GENERAL_ERRORS:
        return [f"{where}: error code {code} is not listed for {status} (listed: {response.get('description')})"]
    content = response.get("content")
    if not content:
        return []
    documented = next((m for m in (media, media.split("/")[0] + "/*", "*/*") if m in content), None)
    if documented is None:
        return [f"{where}: media type {media!r} is not documented (documented: {sorted(content)})"]
    schema = content[documented].get("schema")
    if schema is None or data is None:
        return []
    errors = sorted(_validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{where}: {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:200]}" for e in errors[:5]]


def template_of(method: str, path: str) -> tuple[str, str] | None:
    template = operation_of(path.removeprefix(PREFIX))
    return (template, method.lower()) if template else None
