"""Claiming due outbox messages: the lease, the Message-ID fixed at claim, the per-domain throttle.

Delivery is at-least-once with a narrow window: the Message-ID is stored when a row is claimed,
before anything is sent, and each result is committed before the next message goes out. If the
worker dies after the SMTP server accepted a message but before that commit, the row is claimed
again once its lease (OUTBOX_LEASE_S) runs out and sent again with the same Message-ID, so the
receiving system can recognise the duplicate.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select, update

from app.extensions import db
from app.models import Appeal, OutboxMessage, utcnow
from app.models.enums import AppealState, OutboxStatus

# Letters to officials and news to supporters wait while their appeal is paused or a draft.
OFFICIAL_KINDS = ("delivery_email", "delivery_fax")
HELD_WHEN_PAUSED = (*OFFICIAL_KINDS, "case_update")
HELD_STATES = (AppealState.PAUSED, AppealState.DRAFT)
THROTTLE_WINDOW = timedelta(hours=1)


def worker_id() -> str:
    """Who holds a claim: host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


@dataclass
class _Claim:
    """The columns claiming needs from a due row."""

    id: int
    message_id: str | None
    throttle_key: str | None
    throttle_per_hour: int | None
    next_attempt_at: datetime | None = None  # set when the throttle pushes it back


def claim_due(limit: int) -> list[int]:
    """Mark up to `limit` due messages as ours and return their ids. Commits.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets many workers claim disjoint rows at once.
    On SQLite the IMMEDIATE transaction already serialises claimers. Messages of a paused
    appeal are left where they are; throttled ones are pushed back to when their key has room.
    """
    now = utcnow()
    rows = _due_rows(now, limit)
    kept = _apply_throttle(rows, now)
    pushed_back = [{"id": row.id, "next_attempt_at": row.next_attempt_at}
                   for row in rows if row.next_attempt_at is not None]
    if pushed_back:
        db.session.execute(update(OutboxMessage), pushed_back)
    if kept:
        me, domain = worker_id(), _message_id_domain()
        db.session.execute(update(OutboxMessage), [
            {"id": row.id, "status": OutboxStatus.SENDING, "claimed_at": now, "claimed_by": me,
             "message_id": row.message_id or make_msgid(domain=domain)} for row in kept])
    db.session.commit()
    return [row.id for row in kept]


def _due_rows(now: datetime, limit: int) -> list[_Claim]:
    """Leases that ran out first (rare), then what is due, oldest first.

    Two index range scans (ix_outbox_due) rather than one OR, which would sort the whole
    backlog on every claim.
    """
    lease_expired = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_S"])
    held = and_(
        OutboxMessage.kind.in_(HELD_WHEN_PAUSED),
        exists().where(Appeal.id == OutboxMessage.appeal_id, Appeal.state.in_(HELD_STATES)),
    )
    expired = _claimable(
        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at < lease_expired),
        held, OutboxMessage.claimed_at, limit)
    rows = [_Claim(*row) for row in db.session.execute(expired)]
    if len(rows) < limit:
        due = _claimable(
            (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
            held, OutboxMessage.next_attempt_at, limit - len(rows))
        rows += [_Claim(*row) for row in db.session.execute(due)]
    return rows


def _claimable(condition, held, order, limit: int):  # noqa: ANN001
    query = (select(OutboxMessage.id, OutboxMessage.message_id, OutboxMessage.throttle_key,
                    OutboxMessage.throttle_per_hour).where(condition, ~held)
             .order_by(order, OutboxMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    return query


def _apply_throttle(rows: list[_Claim], now: datetime) -> list[_Claim]:
    """Keep the rows whose throttle key has room this hour; push the others back (no attempt)."""
    keys = sorted({row.throttle_key for row in rows if row.throttle_key and row.throttle_per_hour})
    used = {key: _used(key, now) for key in keys}
    kept = []
    for row in rows:
        key = row.throttle_key
        if key is None or not row.throttle_per_hour:
            kept.append(row)
        elif used[key] < row.throttle_per_hour:
            used[key] += 1
            kept.append(row)
        else:
            row.next_attempt_at = _next_room(key, now)
    return kept


def _used(key: str, now: datetime) -> int:
    """Messages counted against `key` this hour: sent in the window, or being sent."""
    if db.engine.dialect.name == "postgresql":
        # Workers claiming for the same key count one after the other (until commit).
        db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.throttle_key == key,
            or_(
                (OutboxMessage.status == OutboxStatus.SENT)
                & (OutboxMessage.sent_at > now - THROTTLE_WINDOW),
                OutboxMessage.status == OutboxStatus.SENDING,
            ),
        )
    )


def _next_room(key: str, now: datetime) -> datetime:
    """When the oldest send counted in the window leaves it (at least a minute from now)."""
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.sent_at)).where(
            OutboxMessage.throttle_key == key, OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at > now - THROTTLE_WINDOW,
        )
    )
    # Nothing sent yet: the room is taken by rows being sent now, which count for an hour.
    later = (oldest + THROTTLE_WINDOW) if oldest else now + THROTTLE_WINDOW
    return max(later, now + timedelta(minutes=1))


def _message_id_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "appeals@localhost"
    return sender.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
