"""The outbox worker: claim due messages, send each over one kept SMTP connection, record it.

Each message's result is committed before the next message is sent, so a worker killed at any
moment leaves at most one accepted message unrecorded; it is sent again, with the Message-ID
stored at claim, once its lease runs out (see app.delivery.claim). The connection is kept
across rounds while there is work and renewed every OUTBOX_RECONNECT_EVERY messages.
"""

from __future__ import annotations

import logging
import signal
import smtplib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.errors import MessageError

from flask import current_app
from sqlalchemy import Connection

from app.delivery.claim import claim_due
from app.delivery.results import Claimed, load_claimed, record_failure, record_sent, release
from app.extensions import db
from app.mail.compose import build_message
from app.mail.smtp import SmtpSession, SmtpSettings, is_permanent

log = logging.getLogger(__name__)
SMTP_ERRORS = (OSError, smtplib.SMTPException)


def new_session() -> SmtpSession:
    """An SMTP session with the app's mail settings (not yet connected)."""
    mail, config = current_app.extensions["mail"], current_app.config
    settings = SmtpSettings(
        server=mail.server, port=mail.port, use_tls=mail.use_tls, use_ssl=mail.use_ssl,
        username=mail.username, password=mail.password, timeout=config["MAIL_TIMEOUT_S"],
        ca_file=config.get("MAIL_TLS_CA_FILE"))
    return SmtpSession(settings, config["OUTBOX_RECONNECT_EVERY"])


def send_claimed(ids: list[int], session: SmtpSession | None = None,
                 stop: threading.Event | None = None) -> int:
    """Send the claimed messages over one connection, committing each result; returns the
    number sent. `session`: a connection the caller keeps across rounds (left open); without
    it one is opened for these messages and closed after them. `stop`: once set, the rest
    are given back after the current message."""
    items = load_claimed(ids)
    own = session is None
    session = session or new_session()
    try:
        with db.engine.connect() as results:
            if not _connect(session, items, results):
                return 0
            return _send_all(session, items, results, stop or threading.Event())
    except BaseException:
        session.close()
        raise
    finally:
        if own:
            session.close()


def _connect(session: SmtpSession, items: list[Claimed], results: Connection) -> bool:
    """Connect if needed; if the server cannot be reached, every message is retried later."""
    if session.connected:
        return True
    try:
        session.open()
    except SMTP_ERRORS as error:
        session.close()
        for item in items:
            record_failure(results, item, error, permanent=False)
        log.warning("SMTP unreachable (%s); %d message(s) will be retried",
                    type(error).__name__, len(items))
        return False
    return True


def _send_all(session: SmtpSession, items: list[Claimed], results: Connection,
              stop: threading.Event) -> int:
    sent = 0
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    for index, item in enumerate(items):
        if stop.is_set() or not session.connected and not _reconnect(session):
            release(results, items[index:])
            break
        sent += _send_one(session, item, sender, results)
    return sent


def _send_one(session: SmtpSession, item: Claimed, sender: str, results: Connection) -> int:
    """Build, send and record one message; 1 if the server accepted it."""
    try:
        message = build_message(item.draft, sender)
    except (ValueError, TypeError, MessageError) as error:  # it will never build: not retried
        record_failure(results, item, error, permanent=True)
        log.warning("outbox message %d cannot be built (%s)", item.id, type(error).__name__)
        return 0
    try:
        session.send(message)
    except SMTP_ERRORS + (UnicodeError,) as error:
        permanent = is_permanent(error)
        record_failure(results, item, error, permanent=permanent)
        if permanent and not isinstance(error, smtplib.SMTPResponseException):
            log.warning("outbox message %d failed for good: %s", item.id, type(error).__name__)
        session.reset()
        return 0
    record_sent(results, item)
    return 1


def _reconnect(session: SmtpSession) -> bool:
    try:
        session.open()
    except SMTP_ERRORS as error:
        log.warning("SMTP connection lost and not restored (%s)", type(error).__name__)
        return False
    return True


def run_round(session: SmtpSession | None = None, limit: int | None = None,
              stop: threading.Event | None = None) -> tuple[int, int]:
    """Claim and send one batch: (claimed, sent). `session` stays open for the next round."""
    ids = claim_due(limit or current_app.config["OUTBOX_BATCH_SIZE"])
    return len(ids), (send_claimed(ids, session, stop) if ids else 0)


def deliver_due(limit: int | None = None) -> int:
    """One round over a connection of its own; returns the number sent."""
    return run_round(limit=limit)[1]


def run_worker(*, once: bool = False, drain: bool = False) -> int:
    """Send until stopped: SIGTERM/SIGINT finish the current message, give the rest of the
    round back and return. `once`: one round. `drain`: stop when nothing is due. The
    previous signal handlers are restored on return. Returns the number sent."""
    stop = threading.Event()
    total = 0
    # One SMTP connection across rounds while there is work; closed before idling and on stop.
    session = new_session()
    with _stopping_on_signals(stop):
        try:
            while not stop.is_set():
                claimed, sent = run_round(session, stop=stop)
                total += sent
                if once or (drain and claimed == 0):
                    break
                if sent == 0:
                    session.close()
                    time.sleep(current_app.config["WORKER_IDLE_SLEEP_S"])
        finally:
            session.close()
    return total


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop` while inside; the earlier handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may install handlers
        return
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    for signum in saved:
        signal.signal(signum, lambda _signum, _frame: stop.set())
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
