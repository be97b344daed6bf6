"""Each test gets its own database (a copy of a migrated SQLite template, or a truncated
PostgreSQL schema when ARCHIVE_TEST_DATABASE_URL is set), its own storage and index folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from archive_app.core import schema_upgrade
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from tests.factories import make_org

PG_URL = os.environ.get("ARCHIVE_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        engine = create_engine(PG_URL)
        try:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        except Exception as exc:  # CI must fail loudly, not skip
            pytest.exit(f"PostgreSQL at {PG_URL} is unreachable: {exc}", returncode=3)
        finally:
            engine.dispose()
        schema_upgrade.upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    schema_upgrade.upgrade(f"sqlite:///{path}")
    return str(path)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
        )).scalars().all()
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def overrides(tmp_path: Path, template_db: str) -> dict:
    if PG_URL:
        _reset_postgres(PG_URL)
        url = PG_URL
    else:
        db = tmp_path / "archive.sqlite3"
        shutil.copyfile(template_db, db)
        url = f"sqlite:///{db}"
    return {"database_url": url, "storage_dir": tmp_path / "storage", "index_dir": tmp_path / "indexes",
            "instance_dir": tmp_path / "instance", "secret_key": "test-secret-key", "render_office": False,
            "indexer": "off", "ocr": "off"}


@pytest.fixture
def archive(overrides: dict):
    a = Archive.open(load_settings(overrides))
    yield a
    a.db.dispose()


@pytest.fixture
def org(archive: Archive):
    return make_org(archive)


@pytest.fixture
def env(overrides: dict, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The same database and folders, as environment variables (for the CLI)."""
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", overrides["database_url"])
    monkeypatch.setenv("ARCHIVE_STORAGE_DIR", str(overrides["storage_dir"]))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(overrides["index_dir"]))
    monkeypatch.setenv("ARCHIVE_INSTANCE_DIR", str(overrides["instance_dir"]))
    monkeypatch.setenv("ARCHIVE_SECRET_KEY", overrides["secret_key"])
    monkeypatch.setenv("ARCHIVE_RENDER_OFFICE", "0")
    monkeypatch.setenv("ARCHIVE_INDEXER", "off")
    monkeypatch.setenv("ARCHIVE_OCR", "off")
    return dict(os.environ)


PASSWORD = "correct horse battery"
USERS = {"spj_clerk": ("SPJ", "clerk"), "spj_officer": ("SPJ", "officer"),
         "rsj_clerk": ("RSJ", "clerk"), "rsj_officer": ("RSJ", "officer")}


@pytest.fixture
def users(archive: Archive, org) -> dict[str, str]:
    """Four users; returns an API token for each."""
    from archive_app.organisation.users import create_token, create_user

    tokens = {}
    with archive.db.transaction() as s:
        for name, (agency, role) in USERS.items():
            create_user(s, name, agency, role, PASSWORD)
            tokens[name] = create_token(s, name)
    return tokens


@pytest.fixture
def app(overrides: dict, archive: Archive, org):
    from archive_app.app import create_app

    application = create_app(overrides)
    application.config["TESTING"] = True
    nonconforming = _check_api_responses(application)
    yield application
    assert not nonconforming, "API responses that do not match the OpenAPI document:\n" + "\n".join(nonconforming)
    application.extensions["archive"].db.dispose()


def _check_api_responses(application) -> list[str]:
    """Every /api/v1 response a test provokes is checked against the OpenAPI document
    (tests/openapi_check.py); what does not conform fails the test."""
    from flask import request

    from tests.openapi_check import problems

    found: list[str] = []

    @application.after_request
    def _conforms(resp):
        if request.path.startswith("/api/v1/"):
            json_body = resp.mimetype == "application/json" and not resp.direct_passthrough
            found.extend(problems(request.method, request.path, resp.status_code, resp.content_type or "",
                                  resp.get_data() if json_body else b""))
        return resp

    return found


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def soffice() -> str:
    """Document tests run the real LibreOffice; without it they fail with the reason."""
    from archive_app.rendition.office import soffice_binary

    binary = soffice_binary()
    if not binary:
        pytest.fail("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return binary
