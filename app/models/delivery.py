"""Delivery to officials: the per-appeal policy, attachments of outbox rows, the delivery log
and officials' replies."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class DeliveryPolicy(Base):
    """What the service itself sends for one appeal (nothing until a coordinator decides)."""

    __tablename__ = "delivery_policies"

    appeal_id: Mapped[int] = mapped_column(
        ForeignKey("appeals.id", ondelete="CASCADE"), primary_key=True
    )
    send_email: Mapped[bool] = mapped_column(default=False)
    send_fax: Mapped[bool] = mapped_column(default=False)
    # "daily": one message per recipient per day with the new signatures; "per_signer": one each.
    batching: Mapped[str] = mapped_column(String(20), default="daily")
    # None: the site-wide DELIVERY_MAX_PER_DOMAIN_PER_HOUR.
    max_per_domain_per_hour: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxAttachment(Base):
    """A file sent with an outbox message (the letter PDF)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Delivery(Base):
    """One letter to one post: sent by the service (through the outbox) or recorded by staff."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    # email, fax (both by the service), or post, fax_by_hand, hand_delivered, email_by_hand.
    channel: Mapped[str] = mapped_column(String(20))
    # "batch", "signer" (per-signer letter) or "manual" (recorded by staff).
    kind: Mapped[str] = mapped_column(String(20), default="batch")
    recipient: Mapped[str] = mapped_column(String(300), default="")
    # queued, sent, failed or bounced; service rows follow their outbox row.
    status: Mapped[str] = mapped_column(String(20), default="queued")
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )
    sent_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signature_count: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int | None]
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    sent_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    post: Mapped["Post"] = relationship()  # noqa: F821
    sent_by: Mapped["User | None"] = relationship()  # noqa: F821
    outbox_message: Mapped["OutboxMessage | None"] = relationship()  # noqa: F821


class DeliverySignature(Base):
    """A signature already carried to a post: the next batch starts after these."""

    __tablename__ = "delivery_signatures"
    __table_args__ = (UniqueConstraint("post_id", "signature_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))


class OfficialReply(Base):
    """An official's answer, with an optional scan kept outside the web root."""

    __tablename__ = "official_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    received_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
    # A random file name inside UPLOAD_DIR; never the name the uploader gave.
    scan_path: Mapped[str | None] = mapped_column(String(200))
    scan_content_type: Mapped[str | None] = mapped_column(String(50))
    scan_size: Mapped[int | None]
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped["Post | None"] = relationship()  # noqa: F821
    recorded_by: Mapped["User | None"] = relationship()  # noqa: F821
    event: Mapped["CaseEvent | None"] = relationship()  # noqa: F821
