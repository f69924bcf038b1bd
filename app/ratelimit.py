"""Rate limits shared by every worker and host: a `limits` storage kept in the app database.

`RATELIMIT_STORAGE_URI=appdb://` (the default) stores fixed-window counters in the
`rate_limits` table of the app's own database (SQLite or PostgreSQL), so N gunicorn workers on
M hosts see one count per client. `redis://…` or `memcached://…` still work when set.

The sign form is not refused over its burst limit: `over_sign_burst()` tells the view to store
the signature as suspect (uncounted, no e-mail) while the signer sees the usual answer.
"""

from __future__ import annotations

import random
import time

from flask import current_app
from limits import parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import case, delete, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.net import client_address

# One increment in this many also deletes expired counters, so the table stays small.
_CLEANUP_ONE_IN = 500


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limits` table, through the app's SQLAlchemy engine.

    Each call runs in its own short transaction on its own connection (never the request's
    session), so a limit is counted even when the request later rolls back. Needs an app context.
    """

    STORAGE_SCHEME = ["appdb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):  # noqa: ANN003
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _engine():  # noqa: ANN205
        from app.extensions import db

        return db.engine

    @staticmethod
    def _table():  # noqa: ANN205
        from app.models.ratelimit import RateLimitCounter

        return RateLimitCounter.__table__

    def _begin(self):  # noqa: ANN202
        """A write transaction (BEGIN IMMEDIATE on SQLite, whatever the HTTP method)."""
        from app.db_setup import write_intent

        marker = write_intent.set(True)
        try:
            return self._engine().begin()
        finally:
            write_intent.reset(marker)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        table = self._table()
        now = time.time()
        with self._begin() as conn:
            insert = _dialect_insert(conn.dialect.name)(table).values(
                key=key, count=amount, expires_at=now + expiry
            )
            expired = table.c.expires_at <= now
            statement = insert.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "count": case((expired, amount), else_=table.c["count"] + amount),
                    "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
                },
            ).returning(table.c["count"])
            count = conn.execute(statement).scalar_one()
            if random.randrange(_CLEANUP_ONE_IN) == 0:
                conn.execute(delete(table).where(table.c.expires_at < now))
        return int(count)

    def get(self, key: str) -> int:
        table = self._table()
        with self._engine().connect() as conn:
            count = conn.execute(
                select(table.c["count"]).where(table.c.key == key, table.c.expires_at > time.time())
            ).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        table = self._table()
        with self._engine().connect() as conn:
            expires = conn.execute(select(table.c.expires_at).where(table.c.key == key)).scalar()
        return float(expires) if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._begin() as conn:
            return conn.execute(delete(self._table())).rowcount

    def clear(self, key: str) -> None:
        table = self._table()
        with self._begin() as conn:
            conn.execute(delete(table).where(table.c.key == key))


def _dialect_insert(dialect: str):  # noqa: ANN202
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL only
        raise NotImplementedError(f"no rate-limit upsert for {dialect}")
    return insert


def _limiter() -> FixedWindowRateLimiter:
    """One limiter per app and storage URI (the URI may change in tests)."""
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "appdb://"
    cache = current_app.extensions.setdefault("appeal_desk_ratelimit", {})
    if uri not in cache:
        cache[uri] = FixedWindowRateLimiter(storage_from_string(uri))
    return cache[uri]


def over_limit(scope: str, limits_spec: str, key: str | None = None) -> bool:
    """Count one hit for `key` (the client address by default); True if any limit is exceeded.

    Always False while RATELIMIT_ENABLED is off. Read at call time, so tests can switch it.
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not limits_spec:
        return False
    who = key or client_address()
    limiter = _limiter()
    over = False
    for item in parse_many(limits_spec):
        # Hit every window (not only up to the first breach) so an hourly count stays true.
        if not limiter.hit(item, scope, who):
            over = True
    return over


def over_sign_burst() -> bool:
    """True when this client signed more often than RATELIMIT_SIGN allows: store as suspect.

    Call it before the request's session touches the database: on SQLite the counter's own
    write transaction must not wait behind the request's.
    """
    return over_limit("sign-burst", current_app.config.get("RATELIMIT_SIGN", ""))
