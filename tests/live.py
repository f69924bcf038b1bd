"""Real servers for tests that the Flask test client would mislead: gunicorn on loopback, Chromium.

The test client keeps an application context pushed for the whole request, so a streamed
generator or a file response that needs one works there and fails under a real server. Every
streamed or file response is tested through `gunicorn_server`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass
class LiveServer:
    """A gunicorn process serving the test's database on 127.0.0.1."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def gunicorn_environment(app, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-mode process that shares the test app's database."""
    return {
        **os.environ,
        "APPEAL_DESK_ENV": "production",
        "SECRET_KEY": app.config["SECRET_KEY"],
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "APPEAL_DESK_INSTANCE": str(instance),
        "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_PAGE_CACHE_S": "0",
        "WEB_CONCURRENCY": "2",
        **extra,
    }


def free_port() -> int:
    """A port free now on 127.0.0.1. Another process may take it before ours binds it:
    start_gunicorn checks that its own server holds the port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app, instance: Path, port: int, **extra: str) -> LiveServer:
    """Start gunicorn with the project's own gunicorn.conf.py; wait until it answers.

    If another process took the port between free_port() and gunicorn's bind (two pytest
    workers, a teammate's server), the answers would come from that process: a test once got
    another app's 404. So the server is up only once gunicorn logs that it listens there;
    when the port is in use, it starts again on another port.
    """
    instance.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        server = _launch(app, instance, port, **extra)
        if _wait_until_up(server):
            return server
        stop_gunicorn(server)
        port = free_port()
    raise RuntimeError(f"gunicorn found no free port:\n{server.log()}")


def _launch(app, instance: Path, port: int, **extra: str) -> LiveServer:
    log_path = instance / "gunicorn.log"
    env = gunicorn_environment(app, instance, GUNICORN_BIND=f"127.0.0.1:{port}", **extra)
    with log_path.open("wb") as log:
        process = subprocess.Popen([GUNICORN, "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    return LiveServer(f"http://127.0.0.1:{port}", process, log_path)


def _wait_until_up(server: LiveServer, timeout: float = 30) -> bool:
    """True once this gunicorn listens on its port and answers; False if the port is taken."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = server.log()
        if "Connection in use" in log:
            return False
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log}")
        if f"Listening at: {server.url}" in log and _answers(server.url):
            return True
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{server.log()}")


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/healthz", timeout=2)
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False
    return True


def stop_gunicorn(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(5)


def chromium_path() -> str | None:
    return shutil.which("chromium")


def click_and_load(page, target) -> None:  # noqa: ANN001
    """Click a link or submit button and wait until the page it leads to has loaded.

    With JavaScript off every step is a navigation. Playwright's click returns once that navigation
    has started, so `page.content()` read straight after can be the empty document in between (CI
    saw exactly that), and a locator can still match the page being left.
    """
    clickable = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        clickable.click()


def log_in_page(page, base: str, email: str, password: str = "correct horse battery") -> None:  # noqa: ANN001
    """Log a browser page in through the real log-in form."""
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    click_and_load(page, "main form button[type=submit]")


def keyed_appeal_logged_in(page, base: str, db) -> tuple[str, str]:  # noqa: ANN001
    """An open appeal of a group with a key, and `page` logged in as its coordinator: (slug, key)."""
    from app.auth.service import create_user
    from tests.builders import make_appeal, make_keyed_group

    group, key = make_keyed_group()
    slug = make_appeal(group=group).slug
    create_user("coord@example.org", "correct horse battery", role="coordinator", group=group)
    db.session.commit()
    db.session.remove()  # this thread's transaction would hold SQLite's writer lock
    log_in_page(page, base, "coord@example.org")
    return slug, key
