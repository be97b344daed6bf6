"""The composition root: `create_app(overrides)` wires settings, the archive, the background
workers, the extensions and both doors — the pages (`web/`) and the JSON API (`api/`).

Nothing below imports this module except the entry points (serving.py, tests, benches); the doors
reach the running archive through `doors.current`, never through here (docs/architecture.md)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect

from . import api, web
from .core.config import load_settings
from .core.context import Archive
from .ocr.queue import BackgroundOcr
from .search import BackgroundIndexer, canary, ensure_index
from .web import (
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
    ocr_pages,
    pages,
    registers,
    search_pages,
)
from .web.bodylimit import BodyLimit, credentials_check

csrf = CSRFProtect()  # forms post a token (web/forms.py); the API checks its own header (api/common.py)


def create_app(overrides: dict | None = None) -> Flask:
    settings = load_settings(overrides)
    archive = Archive.open(settings)
    # Named after the web package so Flask finds web/templates and web/static.
    app = Flask(web.__name__, instance_path=str(settings.instance_dir))
    app.url_map.converters["int"] = errors.DbInt  # before any route is added
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
    canary.executor(settings.search_executor)  # probe the search engine once per process (logged)
    if settings.indexer == "thread":
        ensure_index(archive)  # missing, older schema or unreadable: derive it from the database
        indexer = BackgroundIndexer(archive)
        indexer.start()
        app.extensions["indexer"] = indexer
    if settings.ocr == "thread":
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
    csrf.exempt(api.bp)
    for module in (filters, nav, auth, errors, pages, lookups, admin, audit_pages, account, account_sessions,
                   search_pages, documents, registers, cases, catalogue_pages):
        module.init_app(app)
    app.register_blueprint(api.bp)
    ocr_pages.init_app(app)
    enforce.init_app(app)  # after every route: it checks that each one names its access rule
    headers.init_app(app)
    app.wsgi_app = BodyLimit(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"],  # type: ignore[method-assign]
                             credentials_check(app, archive))
    return app
