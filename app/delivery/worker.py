"""The outbox worker: claim due messages, send them over one SMTP connection, record the result.

Delivery is at-least-once with a narrow window: the Message-ID is stored when a row is claimed,
before anything is sent. If the worker dies after the SMTP server accepted a message but before
the row was marked sent, the row is claimed again once its lease (OUTBOX_LEASE_S) runs out and
sent again with the same Message-ID, so a receiving system can recognise the duplicate.
"""

from __future__ import annotations

import logging
import os
import signal
import smtplib
import socket
import time
from datetime import timedelta
from email.utils import make_msgid

from flask import current_app
from flask_mail import Message
from sqlalchemy import or_, select

from app.extensions import db, mail
from app.models import OutboxMessage, utcnow
from app.models.enums import OutboxStatus

log = logging.getLogger(__name__)
SENT_BODY_PLACEHOLDER = "[sent; the body held a single-use link and was removed]"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_due(limit: int) -> list[int]:
    """Mark up to `limit` due messages as ours and return their ids. Commits.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets many workers claim disjoint rows at once.
    On SQLite the IMMEDIATE transaction already serialises claimers.
    """
    now = utcnow()
    lease_expired = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_S"])
    query = (
        select(OutboxMessage)
        .where(
            or_(
                (OutboxMessage.status == OutboxStatus.PENDING)
                & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == OutboxStatus.SENDING)
                & (OutboxMessage.claimed_at < lease_expired),
            )
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(db.session.scalars(query))
    me = worker_id()
    for row in rows:
        row.status, row.claimed_at, row.claimed_by = OutboxStatus.SENDING, now, me
        if row.message_id is None:
            row.message_id = make_msgid(domain=_message_id_domain())
    db.session.commit()
    return [row.id for row in rows]


def _message_id_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "appeals@localhost"
    return sender.rsplit("@", 1)[-1].strip(">").strip() or "localhost"


def _to_mail(row: OutboxMessage) -> Message:
    message = Message(subject=row.subject, recipients=[row.to_addr], body=row.body_text,
                      html=row.body_html, sender=current_app.config["MAIL_DEFAULT_SENDER"])
    message.msgId = row.message_id
    return message


def _record_failure(row: OutboxMessage, error: Exception) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claimed_at = row.claimed_by = None
    if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
    else:
        row.status = OutboxStatus.PENDING
        delay = current_app.config["OUTBOX_BACKOFF_BASE_S"] * 2 ** (row.attempts - 1)
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)


def _record_success(row: OutboxMessage) -> None:
    row.status, row.sent_at, row.last_error = OutboxStatus.SENT, utcnow(), None
    if row.sensitive:
        row.body_text = SENT_BODY_PLACEHOLDER
        row.body_html = None


def send_claimed(ids: list[int]) -> int:
    """Send the claimed messages over one connection; each result is committed on its own."""
    sent = 0
    try:
        connection = mail.connect().__enter__()
    except (OSError, smtplib.SMTPException) as error:
        for row_id in ids:
            row = db.session.get(OutboxMessage, row_id)
            _record_failure(row, error)
        db.session.commit()
        log.warning("SMTP unreachable: %s; %d message(s) will be retried", error, len(ids))
        return 0
    try:
        for row_id in ids:
            row = db.session.get(OutboxMessage, row_id)
            try:
                connection.send(_to_mail(row))
            except (OSError, smtplib.SMTPException) as error:
                _record_failure(row, error)
                if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                    db.session.commit()
                    # The connection is gone: give the rest back for the next round.
                    _release(ids[ids.index(row_id) + 1:])
                    break
                _reset(connection)
            else:
                _record_success(row)
                sent += 1
            db.session.commit()
    finally:
        try:
            connection.__exit__(None, None, None)
        except (OSError, smtplib.SMTPException):
            pass
    return sent


def _reset(connection) -> None:  # noqa: ANN001
    """RSET after a refused message so the next one starts a clean transaction."""
    try:
        connection.host.rset()
    except (OSError, smtplib.SMTPException, AttributeError):
        pass


def _release(ids: list[int]) -> None:
    for row_id in ids:
        row = db.session.get(OutboxMessage, row_id)
        row.status, row.claimed_at, row.claimed_by = OutboxStatus.PENDING, None, None
    db.session.commit()


def deliver_due(limit: int | None = None) -> int:
    """One round: claim what is due and send it. Returns the number sent."""
    ids = claim_due(limit or current_app.config["OUTBOX_BATCH_SIZE"])
    return send_claimed(ids) if ids else 0


def run_worker(*, once: bool = False) -> int:
    """Loop until stopped (SIGTERM/SIGINT finish the current message first)."""
    stopping = False

    def _stop(_signum, _frame):  # noqa: ANN001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    total = 0
    while not stopping:
        sent = deliver_due()
        total += sent
        if once:
            break
        if sent == 0:
            time.sleep(current_app.config["WORKER_IDLE_SLEEP_S"])
    return total
