"""Engine tuning: SQLite in WAL mode whose write transactions begin IMMEDIATE.

A deferred SQLite transaction that reads and then writes cannot wait for the writer lock
(it would see a stale snapshot), so concurrent signers would get "database is locked".
Requests that may write (anything but GET/HEAD/OPTIONS), the worker and the CLI begin
IMMEDIATE and so wait their turn on the busy timeout; page views stay concurrent readers.
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Compiled, Dialect, Engine
from sqlalchemy.sql.base import Executable

write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)


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
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def read_row(engine: Engine, statement: Executable, params: dict) -> tuple | None:
    """The first row of `read_rows`."""
    rows = read_rows(engine, statement, params, limit=1)
    return rows[0] if rows else None


def read_rows(engine: Engine, statement: Executable, params: dict, *,
              limit: int | None = None) -> list[tuple]:
    """The rows of one read-only statement, on a pooled DBAPI connection with no session.

    For the hottest reads of the service (the cached public page's version key, what the sign
    form writes to): the session's begin, rollback and close cost several times the query.
    Values come back as the driver gives them (no type processing): ids, strings, numbers.
    """
    compiled = _compiled(engine.dialect, statement)
    values = compiled.construct_params(params)
    if compiled.positional:
        values = tuple(values[name] for name in compiled.positiontup)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(compiled.string, values)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        finally:
            cursor.close()
        if engine.dialect.name != "sqlite":
            connection.rollback()  # SQLite runs in autocommit here; PostgreSQL opened a transaction
    finally:
        connection.close()  # back to the pool
    return [tuple(row) for row in rows]


_compiled_statements: dict[tuple, Compiled] = {}


def _compiled(dialect: Dialect, statement: Executable) -> Compiled:
    key = (dialect.name, dialect.paramstyle, id(statement))
    if key not in _compiled_statements:
        _compiled_statements[key] = statement.compile(dialect=dialect)
    return _compiled_statements[key]
