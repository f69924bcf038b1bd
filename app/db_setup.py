"""Engine tuning: SQLite in WAL mode whose write transactions begin IMMEDIATE.

A deferred SQLite transaction that reads and then writes cannot wait for the writer lock
(it would see a stale snapshot), so concurrent signers would get "database is locked".
Transactions begin IMMEDIATE (waiting their turn on the busy timeout) except in requests
that cannot write (GET, HEAD, OPTIONS), which stay concurrent readers, and on connections
that ask for a plain read with `read_only_connection`.
"""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Attach SQLite pragmas and transaction-begin handling; no-op for other databases."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy's "begin" event, not pysqlite, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get("read_only", _read_only_request())
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _read_only_request() -> bool:
    return has_request_context() and request.method in READ_ONLY_METHODS


def read_only_connection(engine: Engine) -> Connection:
    """A connection for reads that must not take SQLite's writer lock, even in a POST.

    Use it as a context manager; it holds no lock once closed.
    """
    return engine.connect().execution_options(read_only=True)

