"""The catalogue database: one engine per process, sessions for reads, `transaction()` for writes.

SQLite is the embedded default. Its writers are serialised with `BEGIN IMMEDIATE` so that
allocation of 件号 and the audit chain never see a stale snapshot; readers use ordinary deferred
transactions under WAL and never wait for a writer. PostgreSQL uses row locks instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DataError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    """Naive UTC timestamps everywhere: identical on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Database:
    """Engines and session factories for one database URL."""

    def __init__(self, url: str, audit_key: bytes | None = None) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.read_engine = self._sqlite_engine(url, immediate=False)
            self.write_engine = self._sqlite_engine(url, immediate=True)
        else:
            self.read_engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            self.write_engine = self.read_engine
        info = {"audit_key": audit_key}  # audit.append/verify read it (keyed chain)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False, info=info)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False, info=info)

    @staticmethod
    def _sqlite_engine(url: str, immediate: bool) -> Engine:
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def session(self) -> Session:
        """A session for reading (and for short writes that need no serialisation)."""
        return self._read()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """The one door for writes: commit on success, roll back and re-raise on any error."""
        session = self._write()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()


def number_out_of_range(err: BaseException) -> bool:
    """Is `err` a number too large for the database (from a request, say ?page= of twenty digits)?
    SQLite cannot bind it (OverflowError); PostgreSQL answers numeric_value_out_of_range (22003)."""
    if isinstance(err, OverflowError):  # only the driver's refusal to bind, not any overflow
        return "SQLite INTEGER" in str(err)
    return isinstance(err, DataError) and getattr(err.orig, "sqlstate", None) == "22003"
