"""Shared fixtures: a real database built by the migrations, a client, SMTP on loopback, builders.

The database is SQLite in a temporary file unless TEST_DATABASE_URL points at PostgreSQL
(`make test` runs the suite once for each). Each pytest-xdist worker gets its own database.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import inspect, text

from app import create_app
from app.config import TestConfig
from app.extensions import db as _db
from app.models import Base
from tests.catalogs import compile_catalogs
from tests.live import free_port


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _database_url(tmp_dir: Path) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    import psycopg

    # The pid keeps concurrent runs (two developers' shells, CI) out of each other's way.
    name = f"appeal_desk_test_{_worker()}_{os.getpid()}"
    admin_url = re.sub(r"^postgresql(\+psycopg)?://", "postgresql://", base)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/]*$", f"/{name}", base.replace("postgresql://", "postgresql+psycopg://"))


def _drop_postgres_database(url: str) -> None:
    import psycopg

    base = os.environ["TEST_DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """One app per test session, its schema built by running the real migrations."""
    from flask_migrate import upgrade

    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_DIR=str(instance),
        UPLOAD_DIR=str(instance / "uploads"),
    )
    with application.app_context():
        upgrade(revision="heads")
    yield application
    if application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()
        _drop_postgres_database(application.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs() -> None:
    compile_catalogs()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the app, so tests do not see each other."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            # Tables the migrations built (a model without its migration is caught by test_migrations).
            existing = set(inspect(conn).get_table_names())
            for table in reversed(Base.metadata.sorted_tables):
                if table.name in existing:
                    conn.execute(table.delete())
            if conn.dialect.name == "sqlite":
                conn.execute(text("DELETE FROM sqlite_sequence")) if conn.execute(
                    text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")
                ).first() else None


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app
        _db.session.remove()


@pytest.fixture
def db(app_ctx):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


# --- SMTP on loopback -------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """Messages received by a real aiosmtpd server; `refuse` makes it answer 451 to DATA."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False
    received: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        if self.refuse:
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.received.set()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp(app) -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1; the app is pointed at it for the test."""
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    mail_state = app.extensions["mail"]
    saved = (app.config.get("MAIL_SERVER"), app.config.get("MAIL_PORT"), mail_state.server,
             mail_state.port)
    app.config.update(MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
    mail_state.server, mail_state.port = sink.host, sink.port
    try:
        yield sink
    finally:
        controller.stop()
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved[0], saved[1]
        mail_state.server, mail_state.port = saved[2], saved[3]


def stop_smtp_port() -> int:
    """A loopback port where nothing listens: SMTP "down"."""
    return free_port()


# --- Helpers ----------------------------------------------------------------------------------


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def login(client, db):
    """Log the test client in as a fresh account; returns the user.

    An admin (sees every organisation) unless a role is given; a coordinator sees only the
    appeals of its `group`, and nothing without one.
    """
    from app.auth.service import create_user

    def _login(email: str = "coord@example.org", role: str | None = None, group=None):
        role = role or ("coordinator" if group is not None else "admin")
        user = create_user(email, "correct horse battery", role=role, group=group)
        page = client.get("/login")
        response = client.post("/login", data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "email": email, "password": "correct horse battery",
        })
        assert response.status_code == 303, response.get_data(as_text=True)
        return user

    return _login


# --- Real servers -----------------------------------------------------------------------------


@pytest.fixture
def gunicorn_server(app, tmp_path):
    """A real gunicorn (production mode, project's gunicorn.conf.py) on loopback, on the test's
    database. Use it for every streamed or file response: the test client hides their bugs."""
    from tests.live import start_gunicorn, stop_gunicorn

    server = start_gunicorn(app, tmp_path / "gunicorn-instance", free_port())
    try:
        yield server
    finally:
        stop_gunicorn(server)


@contextmanager
def served(application) -> Iterator[str]:
    """`application` served by werkzeug in a thread on loopback; gives its base URL."""
    from werkzeug.serving import make_server

    port = free_port()
    server = make_server("127.0.0.1", port, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()


@pytest.fixture
def live_server(app):
    """The test app served by werkzeug in a thread (for browser tests that need the test config)."""
    with served(app) as url:
        yield url


@pytest.fixture
def browser_page():
    """A headless Debian Chromium page with JavaScript off at 390x844; yields (page, requested URLs)."""
    from playwright.sync_api import sync_playwright

    from tests.live import CHROMIUM_ARGS, chromium_path

    if chromium_path() is None:
        pytest.skip("make test installs chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        yield page, requested
        browser.close()
