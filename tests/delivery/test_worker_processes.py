"""`flask worker` as real processes: killed mid-batch, and two of them sharing one outbox."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import OutboxMessage
from tests.conftest import free_port
from tests.delivery.helpers import queue_plain

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


class _Recorder:
    """Records accepted messages by Message-ID; can hold one DATA until told to let go."""

    def __init__(self, hold_at: int | None = None, delay_s: float = 0.0, sessions: int = 1):
        self.accepted: list[str] = []
        self.hold_at, self.delay_s = hold_at, delay_s
        self.held_id: str | None = None
        self.release = False
        self.seen = 0
        self.sessions_wanted, self.sessions = sessions, 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802, ANN001
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        # Accept nothing until every worker is connected, so that all of them take part.
        deadline = time.monotonic() + 30
        while self.sessions < self.sessions_wanted and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.seen += 1
        if self.hold_at is not None and self.seen == self.hold_at:
            # The worker is killed while this message is in flight: the server never answers
            # 250, so by SMTP rules the message was not accepted.
            self.held_id = message["Message-ID"]
            while not self.release:
                await asyncio.sleep(0.02)
            return "451 4.3.0 Client went away"
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        self.accepted.append(message["Message-ID"])
        return "250 OK"


def _worker(app, port: int, tmp_path: Path, *args: str, **env: str) -> subprocess.Popen:
    environment = {
        **os.environ, "FLASK_APP": "wsgi.py", "SECRET_KEY": "test-worker",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port), "APPEAL_DESK_INSTANCE": str(tmp_path),
        "RATELIMIT_STORAGE_URI": "memory://",
        "WORKER_IDLE_SLEEP_S": "1", "OUTBOX_BACKOFF_BASE_S": "0", **env,
    }
    return subprocess.Popen([FLASK, "worker", *args], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_worker_killed_mid_batch_sends_the_rest_after_restart_and_none_twice(db, app, tmp_path):
    ids = queue_plain(10)
    recorder = _Recorder(hold_at=4)
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        first = _worker(app, port, tmp_path, OUTBOX_BATCH_SIZE="10")
        assert _wait_until(lambda: recorder.held_id is not None, 60), first.communicate()[0]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        recorder.release = True
        assert len(recorder.accepted) == 3

        db.session.expire_all()
        rows = {row.id: row for row in db.session.scalars(select(OutboxMessage))}
        assert sorted(r.status for r in rows.values()) == ["sending"] * 7 + ["sent"] * 3
        recorded = {row.message_id for row in rows.values()}
        assert recorder.held_id in recorded  # its Message-ID was stored before it was sent
        db.session.rollback()  # release SQLite's write lock for the next worker

        again = _worker(app, port, tmp_path, "--drain", OUTBOX_LEASE_S="0")
        output = again.communicate(timeout=60)[0].decode()
        assert again.returncode == 0, output
        assert "7 message(s) sent" in output
    finally:
        controller.stop()
    assert sorted(recorder.accepted) == sorted(recorded)  # every one, once
    assert len(set(recorder.accepted)) == 10
    db.session.expire_all()
    assert {db.session.get(OutboxMessage, i).status for i in ids} == {"sent"}


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="SKIP LOCKED sharing needs PostgreSQL")
def test_two_workers_on_postgresql_send_each_of_1000_messages_exactly_once(db, app, tmp_path):
    ids = queue_plain(1000)
    recorder = _Recorder(delay_s=0.001, sessions=2)
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        workers = [_worker(app, port, tmp_path, "--drain", OUTBOX_BATCH_SIZE="20")
                   for _ in range(2)]
        outputs = [w.communicate(timeout=120)[0].decode() for w in workers]
    finally:
        controller.stop()
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert len(recorder.accepted) == 1000
    assert len(set(recorder.accepted)) == 1000
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
    assert {r.status for r in rows} == {"sent"}
    by_worker = {}
    for row in rows:
        by_worker[row.claimed_by.rsplit(":", 1)[0]] = by_worker.get(row.claimed_by.rsplit(":", 1)[0], 0) + 1
    assert len(by_worker) == 2, by_worker  # both took part
