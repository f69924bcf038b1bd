"""Engine tuning: SQLite in WAL mode whose write transactions begin IMMEDIATE.

A deferred SQLite transaction that reads and then writes cannot wait for the writer lock
(it would see a stale snapshot), so concurrent signers would get "database is locked".
Transactions begin IMMEDIATE (waiting their turn on the busy timeout) except in requests
that cannot write (GET, HEAD, OPTIONS), which stay concurrent readers, and on connections
that ask for a plain read with `read_only_connection`.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Connection, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

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
        # Deleted and overwritten content (an erased address) is zeroed, not left in free
        # pages; the WAL keeps old frames until a checkpoint (docs/threat-model.md).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()
        # SQLite's lower() folds ASCII only; searches for Cyrillic or Kazakh names need this.
        dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get("read_only", _read_only_request())
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def _read_only_request() -> bool:
    return has_request_context() and request.method in READ_ONLY_METHODS


def read_only_connection(engine: Engine) -> Connection:
    """A connection for reads that must not take SQLite's writer lock, even in a POST.

    Use it as a context manager; it holds no lock once closed.
    """
    return engine.connect().execution_options(read_only=True)


def dialect_insert(bind: Session | scoped_session | Connection) -> Any:  # noqa: ANN401
    """The `insert` of the bind's dialect, which has `on_conflict_do_nothing/_do_update`."""
    dialect = bind.dialect if isinstance(bind, Connection) else bind.get_bind().dialect
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


def checkpoint_wal(engine: Engine) -> bool:
    """SQLite: copy the WAL into the database file and truncate the WAL to nothing, so frames
    holding erased data leave the disk (secure_delete zeroes the main file's freed space).

    Outside any transaction (a checkpoint cannot run in one). True when complete; False while
    a reader still needs old frames (run again later). A no-op elsewhere.
    """
    if engine.dialect.name != "sqlite":
        return True
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        connection.close()
    return busy == 0
