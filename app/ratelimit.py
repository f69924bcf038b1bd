"""Rate limits shared by every worker and host: a `limits` storage kept in the app database.

`RATELIMIT_STORAGE_URI=appdb://` (the default) stores fixed-window counters in the
`rate_limits` table of the app's own database (SQLite or PostgreSQL), so N gunicorn workers on
M hosts see one count per client. `redis://…` or `memcached://…` still work when set.

The sign form is not refused over its burst limit: `sign_limits()` tells the signing service to store the
signature as suspect (uncounted, no e-mail) while the signer sees the usual answer.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from limits import parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Connection, TextClause, delete, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.net import client_key

# One increment in this many also deletes expired counters, so the table stays small.
_CLEANUP_ONE_IN = 500


@functools.cache
def _upsert(windows: int) -> TextClause:
    """Count a hit in `windows` fixed windows with ONE statement (the sign form has three).

    A new or expired key restarts at `amount`, else adds to it. The same SQL runs on SQLite
    (>= 3.35) and PostgreSQL. Written as text, once per window count: SQLAlchemy does not cache
    the compiled form of the dialects' `on_conflict_do_update`, and compiling it on every
    signature cost more than the rest of the counting (bench/sign_load.py).
    """
    rows = ", ".join(f"(:key{i}, :amount, :expires{i})" for i in range(windows))
    return text(
        f'INSERT INTO rate_limits ("key", "count", expires_at) VALUES {rows} '
        'ON CONFLICT ("key") DO UPDATE SET '
        '"count" = CASE WHEN rate_limits.expires_at <= :now THEN :amount '
        'ELSE rate_limits."count" + :amount END, '
        'expires_at = CASE WHEN rate_limits.expires_at <= :now THEN excluded.expires_at '
        'ELSE rate_limits.expires_at END '
        'RETURNING "key", "count"'
    )


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

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite, whatever the HTTP method)."""
        with self._engine().connect().execution_options(read_only=False) as conn, conn.begin():
            yield conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self.incr_many([(key, expiry)], amount)[0]

    def incr_many(self, windows: list[tuple[str, int]], amount: int = 1,
                  connection: Connection | None = None) -> list[int]:
        """Count a hit in several (key, expiry) windows in ONE short transaction.

        With `connection`, in that connection's open transaction instead (the caller commits):
        the sign form counts in the transaction that stores the signature, one lock, one commit.
        """
        if connection is not None:
            return self._count(connection, windows, amount)
        with self._begin() as conn:
            return self._count(conn, windows, amount)

    def _count(self, conn: Connection, windows: list[tuple[str, int]], amount: int) -> list[int]:
        now = time.time()
        # One row per key: PostgreSQL refuses to update a row twice in one statement.
        expiries = {key: now + expiry for key, expiry in windows}
        params: dict = {"amount": amount, "now": now}
        for i, (key, expires) in enumerate(expiries.items()):
            params[f"key{i}"], params[f"expires{i}"] = key, expires
        counts = dict(conn.execute(_upsert(len(expiries)), params).tuples().all())
        if random.randrange(_CLEANUP_ONE_IN) == 0:
            conn.execute(delete(self._table()).where(self._table().c.expires_at < now))
        return [int(counts[key]) for key, _expiry in windows]

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


def _limiter() -> FixedWindowRateLimiter:
    """One limiter per app and storage URI (the URI may change in tests)."""
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "appdb://"
    cache = current_app.extensions.setdefault("appeal_desk_ratelimit", {})
    if uri not in cache:
        cache[uri] = FixedWindowRateLimiter(storage_from_string(uri))
    return cache[uri]


def _hits(scope: str, items: list, who: str, connection: Connection | None = None) -> list[bool]:
    """Count one hit in each limit; True where the limit is now exceeded."""
    limiter = _limiter()
    storage = limiter.storage
    if isinstance(storage, DatabaseStorage):
        counts = storage.incr_many([(item.key_for(scope, who), item.get_expiry()) for item in items],
                                   connection=connection)
        return [count > item.amount for count, item in zip(counts, items, strict=True)]
    # Hit every window (not only up to the first breach) so an hourly count stays true.
    return [not limiter.hit(item, scope, who) for item in items]


def over_limit(scope: str, limits_spec: str, key: str | None = None) -> bool:
    """Count one hit for `key` (the client address by default); True if any limit is exceeded.

    Always False while RATELIMIT_ENABLED is off. Read at call time, so tests can switch it.
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not limits_spec:
        return False
    return any(_hits(scope, list(parse_many(limits_spec)), key or client_key()))


def over_cap(scope: str, limits_spec: str, key: str, connection: Connection | None = None) -> bool:
    """Count one hit for `key` and say if a limit is now exceeded, whatever RATELIMIT_ENABLED
    says: a cap on what the service does (e-mails to one address), not a limit on clients."""
    items = list(parse_many(limits_spec)) if limits_spec else []
    return bool(items) and any(_hits(scope, items, key, connection))


def sign_limits(client: str, connection: Connection | None = None) -> tuple[bool, bool]:
    """(over the burst: store as suspect, over the ceiling: refuse with 429) for `client`.

    Both limits are counted in one short transaction of their own, or, given `connection`
    (the request session's, in a write transaction), in that transaction: the caller commits.
    Without it, call this before the request's session writes: on SQLite the counters' write
    must not queue behind our own.
    """
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return False, False
    burst, ceiling = _sign_limit_items(config.get("RATELIMIT_SIGN") or "",
                                       config.get("RATELIMIT_SIGN_CEILING") or "")
    if not burst and not ceiling:
        return False, False
    over = _hits("sign", burst + ceiling, client, connection)
    return any(over[:len(burst)]), any(over[len(burst):])


@functools.lru_cache(maxsize=8)
def _sign_limit_items(burst: str, ceiling: str) -> tuple[list, list]:
    return (list(parse_many(burst)) if burst else []), (list(parse_many(ceiling)) if ceiling else [])
