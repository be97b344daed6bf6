"""The Flask application: `create_app(overrides)` wires settings, database, auth, pages and API."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect

from ..core.config import load_settings
from ..core.context import Archive

csrf = CSRFProtect()


def create_app(overrides: dict | None = None) -> Flask:
    settings = load_settings(overrides)
    archive = Archive.open(settings)
    app = Flask(__name__, instance_path=str(settings.instance_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,  # the form fields besides
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        ARCHIVE_SESSION_IDLE_MIN=settings.session_idle_min,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        WTF_CSRF_TIME_LIMIT=None,
        JSON_AS_ASCII=False,
    )
    app.extensions["archive"] = archive
    from ..search import canary

    canary.executor(settings.search_executor)  # probe the search engine once per process (logged)
    if settings.indexer == "thread":
        from ..search import BackgroundIndexer, ensure_index

        ensure_index(archive)  # missing, older schema or unreadable: derive it from the database
        indexer = BackgroundIndexer(archive)
        indexer.start()
        app.extensions["indexer"] = indexer
    if settings.ocr == "thread":
        from ..ocr.queue import BackgroundOcr

        ocr = BackgroundOcr(archive)
        ocr.start()
        app.extensions["ocr"] = ocr
    app.json.ensure_ascii = False

    @app.before_request
    def _open_session() -> None:  # registered before CSRF: its error page needs the session too
        g.db = archive.db.session()

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            db.close()

    csrf.init_app(app)
    from ..api import routes as api
    from . import (
        account,
        account_sessions,
        admin,
        audit_pages,
        auth,
        cases,
        catalogue_pages,
        documents,
        enforce,
        errors,
        filters,
        headers,
        lookups,
        nav,
        pages,
        registers,
        search_pages,
    )

    for module in (filters, nav, auth, errors, pages, lookups, admin, audit_pages, account, account_sessions,
                   search_pages, documents, registers, cases, catalogue_pages, api):
        module.init_app(app)
    from . import ocr_pages

    ocr_pages.init_app(app)
    enforce.init_app(app)
    headers.init_app(app)
    from .bodylimit import BodyLimit, credentials_check

    app.wsgi_app = BodyLimit(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"],  # type: ignore[method-assign]
                             credentials_check(app, archive))
    return app


def wake_indexer() -> None:
    """Ask the in-process writer to index new outbox jobs now (no-op when it runs elsewhere)."""
    from flask import current_app

    indexer = current_app.extensions.get("indexer")
    if indexer is not None:
        indexer.wake()


def get_archive() -> Archive:
    from flask import current_app

    return current_app.extensions["archive"]
