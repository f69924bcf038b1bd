"""gunicorn.conf.py's default worker count: cores + 1 on SQLite, 2 x cores + 1 on PostgreSQL."""

import multiprocessing
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.mark.parametrize(("database_url", "expected"), [
    ("", lambda cores: cores + 1),
    ("sqlite:////srv/appeal_desk.sqlite3", lambda cores: cores + 1),
    ("postgresql+psycopg://app@db/appeal_desk", lambda cores: 2 * cores + 1),
])
def test_default_workers_follow_the_database(monkeypatch, database_url, expected):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    settings = runpy.run_path(str(CONF))
    assert settings["workers"] == expected(multiprocessing.cpu_count())


def test_web_concurrency_overrides_the_default(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    monkeypatch.setenv("DATABASE_URL", "")
    assert runpy.run_path(str(CONF))["workers"] == 7
