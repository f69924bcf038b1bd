"""Consistent backups of the app database while it serves, and restoring them.

SQLite: the online backup API copies a consistent snapshot page by page while other
connections keep reading and writing (WAL); the copy is written next to PATH and renamed into
place, so PATH is never half-written. PostgreSQL: `pg_dump --format=custom` (a consistent
snapshot by MVCC) and `pg_restore --clean --single-transaction`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from app.extensions import db


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def backup_database(uri: str, path: Path) -> Path:
    """Write a consistent copy of the database at `uri` to `path`. Returns the path."""
    url = make_url(uri)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        return _sqlite_backup(_sqlite_file(url), path)
    if url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path)], url)
        return path
    raise BackupError(f"no backup method for {url.get_backend_name()}")


def restore_database(uri: str, path: Path) -> None:
    """Replace the database at `uri` by the backup at `path` (checked before anything changes)."""
    url = make_url(uri)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    db.engine.dispose()  # our pooled connections must not hold the old file or locks
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(path, _sqlite_file(url))
    elif url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_restore"), "--list", str(path)], url, quiet=True)  # readable?
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--dbname", url.database or "postgres", str(path)], url)
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")
    db.engine.dispose()


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_backup(source: Path, path: Path) -> Path:
    if not source.is_file():
        raise BackupError(f"{source}: no such database file")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)  # one consistent snapshot, even while others write
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        dst.commit()
    finally:
        dst.close()
        src.close()
    os.replace(partial, path)
    return path


def _sqlite_check(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_schema = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a SQLite database ({error})") from None
    if ok != "ok":
        raise BackupError(f"{path}: the backup is damaged ({ok})")
    if not has_schema:
        raise BackupError(f"{path}: not an Appeal Desk database (no alembic_version table)")


def _sqlite_restore(path: Path, target: Path) -> None:
    _sqlite_check(path)
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # takes the write lock; readers elsewhere see old or new, never a mix
    finally:
        dst.close()
        src.close()


def _pg_tool(name: str) -> str:
    """The newest installed client (it must not be older than the server)."""
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _run(command: list[str], url: URL, quiet: bool = False) -> None:
    # Connection details go in the environment, so the password never shows in `ps`.
    env = {**os.environ, "PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432),
           "PGUSER": url.username or "postgres", "PGDATABASE": url.database or "postgres"}
    if url.password:
        env["PGPASSWORD"] = url.password
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} failed: {detail[-1] if detail else result.returncode}")
