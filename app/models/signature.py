"""Signatures of supporters and the single-purpose tokens sent to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.enums import LetterInclusion, PublicDisplay, SignatureStatus


class Signature(Base):
    __tablename__ = "signatures"
    # One row per person per appeal, whatever the spelling of the address: enforced by the database.
    __table_args__ = (
        UniqueConstraint("appeal_id", "email_hash"),
        Index("ix_signatures_appeal_status", "appeal_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # Kept only as long as needed to write to the signer; purged after retention.
    email: Mapped[str | None] = mapped_column(String(254))
    email_hash: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(120))
    message: Mapped[str | None] = mapped_column(Text)
    public_display: Mapped[str] = mapped_column(String(20), default=PublicDisplay.NONE)
    letter_inclusion: Mapped[str] = mapped_column(String(20), default=LetterInclusion.COUNT_ONLY)
    wants_updates: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=SignatureStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # The page language the person signed in (app/languages.py); every e-mail to them uses it.
    language: Mapped[str | None] = mapped_column(String(8))

    appeal: Mapped["Appeal"] = relationship()  # noqa: F821
    chosen_recipients: Mapped[list[SignatureRecipient]] = relationship(
        cascade="all, delete-orphan"
    )


class SignatureRecipient(Base):
    """A post the signer chose to write to."""

    __tablename__ = "signature_recipients"
    __table_args__ = (UniqueConstraint("signature_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))


class Token(Base):
    """A single-purpose, single-use secret; only its SHA-256 digest is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    subject_id: Mapped[int]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
