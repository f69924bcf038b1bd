"""Reading claimed outbox rows and recording what became of each.

Results are written on a connection of the worker's own (`db.engine.connect()`, outside the
ORM session: nothing to refresh, and a third less time a message), each committed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import Connection, bindparam, select, update

from app.delivery.claim import OFFICIAL_KINDS
from app.extensions import db
from app.mail.compose import Draft
from app.mail.smtp import server_answer
from app.models import Delivery, OutboxAttachment, OutboxMessage, Signature, utcnow
from app.models.enums import OutboxStatus
from app.models.statement import COSIGNER_CONFIRMATION_KIND, Cosigner
from app.outbox import SENT_ADDRESS, SENT_BODY_PLACEHOLDER

OUTBOX, DELIVERIES = OutboxMessage.__table__, Delivery.__table__
SIGNATURES, COSIGNERS = Signature.__table__, Cosigner.__table__


@dataclass(frozen=True)
class Claimed:
    """A claimed row: what the worker records results against, and the e-mail it holds."""

    id: int
    kind: str
    attempts: int
    sensitive: bool
    draft: Draft
    signature_id: int | None = None


def load_claimed(ids: list[int]) -> list[Claimed]:
    """The claimed rows and their attachments, read in a transaction that ends here."""
    m, a = OutboxMessage, OutboxAttachment
    files: dict[int, list[tuple[str, str, bytes]]] = {}
    for message_id, filename, content_type, data in db.session.execute(
        select(a.message_id, a.filename, a.content_type, a.data)
        .where(a.message_id.in_(ids)).order_by(a.id)
    ):
        files.setdefault(message_id, []).append((filename, content_type, data))
    rows = db.session.execute(
        select(m.id, m.kind, m.attempts, m.sensitive, m.to_addr, m.subject, m.body_text,
               m.body_html, m.reply_to, m.message_id, m.signature_id, m.headers)
        .where(m.id.in_(ids)).order_by(m.id)).all()
    claimed = [
        Claimed(row.id, row.kind, row.attempts, row.sensitive, Draft(
            to=row.to_addr, subject=row.subject, body=row.body_text, message_id=row.message_id,
            html=row.body_html, reply_to=row.reply_to, attachments=tuple(files.get(row.id, ())),
            headers=tuple((row.headers or {}).items())),
            row.signature_id)
        for row in rows]
    db.session.commit()  # end the read transaction before talking to the server
    return claimed


# Built once (their compiled form is then found in SQLAlchemy's cache by a key worked out
# once): the worker records every message it sends with them.
_SENT_VALUES = {"status": OutboxStatus.SENT, "sent_at": bindparam("now"), "last_error": None}
_MARK_SENT = update(OUTBOX).where(OUTBOX.c.id == bindparam("outbox_id")).values(**_SENT_VALUES)
_MARK_SENT_DROPPING_BODY = (
    update(OUTBOX).where(OUTBOX.c.id == bindparam("outbox_id"))
    .values(**_SENT_VALUES, body_text=SENT_BODY_PLACEHOLDER, body_html=None, to_addr=SENT_ADDRESS,
            headers=None))
_ERASE_SIGNER_ADDRESS = (update(SIGNATURES).where(SIGNATURES.c.id == bindparam("signature_id"))
                         .values(email=None))
# The confirmation went to this address, copied into the outbox row when it was queued: no
# co-signer row needs it any more (a second sign-up sets it again and queues a new request).
_ERASE_COSIGNER_ADDRESS = (update(COSIGNERS).where(COSIGNERS.c.email == bindparam("address"))
                           .values(email=None))
_DELIVERY_SENT = (update(DELIVERIES).where(DELIVERIES.c.outbox_message_id == bindparam("outbox_id"))
                  .values(status="sent", sent_at=bindparam("now")))


def record_sent(connection: Connection, item: Claimed) -> None:
    """The server accepted the message: mark it sent. Commits.

    A sensitive row (a single-use link, a signer's address) keeps neither body nor address; a
    confirmation also erases the clear address from its signature, or from the statement's
    co-signer (docs/threat-model.md).
    """
    params = {"outbox_id": item.id, "now": utcnow()}
    connection.execute(_MARK_SENT_DROPPING_BODY if item.sensitive else _MARK_SENT, params)
    if item.signature_id is not None:
        connection.execute(_ERASE_SIGNER_ADDRESS, {"signature_id": item.signature_id})
    if item.kind == COSIGNER_CONFIRMATION_KIND:
        connection.execute(_ERASE_COSIGNER_ADDRESS, {"address": item.draft.to})
    if item.kind in OFFICIAL_KINDS:
        connection.execute(_DELIVERY_SENT, params)
    connection.commit()


def record_failure(connection: Connection, item: Claimed, error: BaseException, *,
                   permanent: bool) -> None:
    """A failed attempt: retry later with back-off, or give up (status failed). Commits."""
    attempts = item.attempts + 1
    values = {"attempts": attempts, "last_error": server_answer(error)[:2000],
              "claimed_at": None, "claimed_by": None}
    if permanent or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        values["status"] = OutboxStatus.FAILED
    else:
        delay = current_app.config["OUTBOX_BACKOFF_BASE_S"] * 2 ** (attempts - 1)
        values.update(status=OutboxStatus.PENDING,
                      next_attempt_at=utcnow() + timedelta(seconds=delay))
    connection.execute(update(OUTBOX).where(OUTBOX.c.id == item.id).values(**values))
    if values["status"] == OutboxStatus.FAILED and item.kind in OFFICIAL_KINDS:
        connection.execute(update(DELIVERIES).where(DELIVERIES.c.outbox_message_id == item.id)
                           .values(status="failed"))
    connection.commit()


def release(connection: Connection, items: list[Claimed]) -> None:
    """Give claimed rows back untouched (the server went away before they were tried). Commits."""
    if items:
        connection.execute(
            update(OUTBOX).where(OUTBOX.c.id.in_([item.id for item in items]))
            .values(status=OutboxStatus.PENDING, claimed_at=None, claimed_by=None))
        connection.commit()
