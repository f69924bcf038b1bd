"""What the outbox page shows to whom: no one reads another's single-use link in production."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.access import scope_appeals
from app.extensions import db
from app.models import Appeal, OutboxMessage, User

OUTBOX_PAGE_SIZE = 200


@dataclass(frozen=True)
class OutboxEntry:
    message: OutboxMessage
    body: str | None  # None: withheld from this reader


def may_read_body(message: OutboxMessage, user: User, *, production: bool) -> bool:
    """Bodies with a single-use link (reset, confirmation, withdrawal, the write page's `?s=`;
    the rows marked sensitive) belong to their addressee alone. Outside production an admin
    reads them, so the demo can be followed without a mail server (docs/security.md)."""
    if not message.sensitive:
        return True
    return user.role == "admin" and not production


def outbox_for(user: User, *, production: bool) -> list[OutboxEntry]:
    """The latest messages `user` may see: admins all, a coordinator those of their
    organisation's appeals (never account e-mails such as password resets)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(OUTBOX_PAGE_SIZE)
    if user.role != "admin":
        query = scope_appeals(query.join(Appeal, Appeal.id == OutboxMessage.appeal_id), user)
    return [OutboxEntry(m, m.body_text if may_read_body(m, user, production=production) else None)
            for m in db.session.scalars(query)]
