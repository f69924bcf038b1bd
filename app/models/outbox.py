"""The outbox: every e-mail is a row written with what caused it, sent later by the worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.enums import OutboxStatus


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_throttle", "throttle_key", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id", ondelete="SET NULL"))
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Confirmation links are secrets: their bodies are blanked once the SMTP server has them.
    # A sent sensitive row also loses its address (app/delivery/results.py).
    sensitive: Mapped[bool] = mapped_column(default=False)
    # The signature a confirmation was written for: its clear address is erased once sent.
    signature_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    message_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Letters to officials: replies go to the running group; sending is throttled per key
    # (the recipient's mail domain, or the fax address) to at most throttle_per_hour an hour.
    reply_to: Mapped[str | None] = mapped_column(String(254))
    throttle_key: Mapped[str | None] = mapped_column(String(254))
    throttle_per_hour: Mapped[int | None]
    # Extra headers, {name: value}, only those app.mail.rows.EXTRA_HEADERS allows
    # (List-Unsubscribe…); dropped with the body of a sensitive message once it is sent.
    headers: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
