"""Bulk-load N signatures into a bench database: an appeal that went viral before the bench.

A module, not a bench of its own (`make bench` runs it as a no-op): shared by
bench/sign_load.py, bench/exports.py and bench/plans.py. Realistic choices: 80 %
confirmed, the rest unconfirmed (a few suspect); most signers stay hidden on the public page;
cities, messages and countries as people give them. Rows go in executemany batches (SQLite) or
COPY (PostgreSQL); the database's triggers keep the per-status tallies, and the appeal's public
count is set at the end.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

BATCH = 50_000
COLUMNS = ("appeal_id", "name", "email", "email_hash", "country", "city", "message",
           "public_display", "letter_inclusion", "wants_updates", "status", "created_at",
           "confirmed_at")
FIRST = ("Aigerim", "Dauren", "Anna", "Yerlan", "Maria", "Timur", "Olga", "Saule", "Jan", "Lena")
LAST = ("Sultanova", "Akhmetov", "Ivanova", "Nurlanov", "Schmidt", "Kim", "Petrov", "Abenova")
CITIES = ("Almaty", "Astana", "Shymkent", "Karaganda", "Berlin", "Moscow", "Bishkek", "Prague")
COUNTRIES = ("KZ",) * 6 + ("RU", "DE", "KG", "US", "GB", "CZ")


def signature_rows(appeal_id: int, n: int, *, seed: int = 1) -> Iterator[tuple]:
    """N realistic signature rows, oldest first, over the two days before now."""
    rng = random.Random(seed)
    start = datetime.utcnow() - timedelta(days=2)
    for i in range(n):
        roll = rng.random()
        status = "confirmed" if roll < 0.8 else ("suspect" if roll > 0.995 else "pending")
        created = start + timedelta(seconds=i * 172_800 / max(n, 1))
        shown = rng.random()
        display = "none" if shown < 0.6 else ("initials" if shown < 0.85 else "full")
        email = f"bulk{i}@bench.example.org"
        yield (appeal_id, f"{rng.choice(FIRST)} {rng.choice(LAST)}", email,
               hashlib.sha256(email.encode()).hexdigest(), rng.choice(COUNTRIES),
               rng.choice(CITIES) if rng.random() < 0.4 else None,
               "Free him now, the charges are absurd." if rng.random() < 0.1 else None,
               display, "name_country" if rng.random() < 0.5 else "count_only",
               rng.random() < 0.3, status, created,
               created + timedelta(minutes=rng.randint(1, 600)) if status == "confirmed" else None)


# Counted once here (not read from the tallies), so older schemas can be loaded for a before/after.
_SET_COUNT = ("UPDATE appeals SET confirmed_count = (SELECT count(*) FROM signatures "
              "WHERE appeal_id = %s AND status = 'confirmed') WHERE id = %s")


def load_sqlite(path: str, appeal_id: int, post_id: int, n: int) -> None:
    """Insert N signatures (and their chosen recipient) into the SQLite database at `path`.

    The loaded file is kept in the temp dir, keyed by N, this module and the migrations, and
    copied in place next time: a million rows take minutes on a busy 2-core machine.
    """
    cached = _cache_path(n)
    if cached.exists():
        for leftover in (f"{path}-wal", f"{path}-shm"):
            Path(leftover).unlink(missing_ok=True)
        shutil.copyfile(cached, path)
        return
    _load_sqlite(path, appeal_id, post_id, n)
    shutil.copyfile(path, f"{cached}.part")
    os.replace(f"{cached}.part", cached)


def _cache_path(n: int) -> Path:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for migration in sorted((root / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return Path(tempfile.gettempdir()) / f"appeal-desk-bulk-{n}-{digest.hexdigest()[:12]}.sqlite3"


def _load_sqlite(path: str, appeal_id: int, post_id: int, n: int) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    placeholders = ", ".join("?" for _ in COLUMNS)
    first_id = (conn.execute("SELECT coalesce(max(id), 0) FROM signatures").fetchone()[0]) + 1
    rows = signature_rows(appeal_id, n)
    while batch := [_sqlite_row(row) for _, row in zip(range(BATCH), rows, strict=False)]:
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO signatures ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                         batch)
        conn.commit()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO signature_recipients (signature_id, post_id) "
                 "SELECT id, ? FROM signatures WHERE id >= ?", (post_id, first_id))
    conn.execute(_SET_COUNT.replace("%s", "?"), (appeal_id, appeal_id))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _sqlite_row(row: tuple) -> tuple:
    return tuple(v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row)


def load_postgresql(url: str, appeal_id: int, post_id: int, n: int) -> None:
    """The same rows into PostgreSQL with COPY (`url`: a libpq URL)."""
    import psycopg

    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            first_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM signatures").fetchone()[0]
            with cur.copy(f"COPY signatures ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in signature_rows(appeal_id, n):
                    copy.write_row(row)
            cur.execute("INSERT INTO signature_recipients (signature_id, post_id) "
                        "SELECT id, %s FROM signatures WHERE id >= %s", (post_id, first_id))
            cur.execute(_SET_COUNT, (appeal_id, appeal_id))
        conn.commit()
        conn.execute("ANALYZE")
