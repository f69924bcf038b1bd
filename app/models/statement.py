"""Organisational sign-on statements: the statement, its recipients and who signed it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class StatementState(StrEnum):
    COLLECTING = "collecting"
    CLOSED = "closed"
    SENT = "sent"


class OrgSignatureStatus(StrEnum):
    """Unconfirmed until the contact opens the e-mail link; then waits for a coordinator."""

    UNCONFIRMED = "unconfirmed"
    AWAITING = "awaiting"
    CLARIFICATION = "clarification"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class CosignerStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class Statement(Base):
    """A joint statement of organisations, sent as a letter to posts when the sign-on ends."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # Shown above the text on the sign-on page ("IFEX member Adil Soz is requesting your support…").
    intro: Mapped[str] = mapped_column(Text, default="")
    # The letter, a sandboxed template source (see app/statements/rendering.py).
    text: Mapped[str] = mapped_column(Text)
    # The text as the public page shows it, rendered when saved (app/statements/published.py):
    # anonymous page views never run a coordinator's template. None: not rendered (yet).
    text_html: Mapped[str | None] = mapped_column(Text)
    # Naive UTC, like every timestamp here; None means open until a coordinator closes it.
    deadline: Mapped[datetime | None]
    allow_individuals: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default=StatementState.COLLECTING)
    # Set when a coordinator reopens: a deadline earlier than this no longer refuses signatures.
    reopened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    appeal: Mapped["Appeal"] = relationship()  # noqa: F821
    recipients: Mapped[list[StatementRecipient]] = relationship(
        back_populates="statement", order_by="StatementRecipient.position",
        cascade="all, delete-orphan",
    )

    def deadline_passed(self, now: datetime) -> bool:
        """Past the deadline, and not reopened since."""
        if self.deadline is None or now <= self.deadline:
            return False
        return self.reopened_at is None or self.reopened_at < self.deadline

    def accepts_signatures(self, now: datetime) -> bool:
        return self.state == StatementState.COLLECTING and not self.deadline_passed(now)


class StatementRecipient(Base):
    """A post the statement is addressed to, as To or Cc."""

    __tablename__ = "statement_recipients"
    __table_args__ = (UniqueConstraint("statement_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    role: Mapped[str] = mapped_column(String(4), default="to")
    position: Mapped[int] = mapped_column(default=0)

    statement: Mapped[Statement] = relationship(back_populates="recipients")
    post: Mapped["Post"] = relationship()  # noqa: F821


class OrgSignature(Base):
    """An organisation's signature. One per organisation per statement (normalised name)."""

    __tablename__ = "statement_org_signatures"
    __table_args__ = (
        UniqueConstraint("statement_id", "name_key"),
        Index("ix_statement_org_signatures_statement_status", "statement_id", "status"),
        Index("ix_statement_org_signatures_statement_domain", "statement_id", "domain"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    org_name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(300))
    # Registrable domain of the website ("adilsoz.kz"), the second de-duplication key.
    domain: Mapped[str | None] = mapped_column(String(253))
    description: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_role: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    consent_listed: Mapped[bool] = mapped_column(default=False)
    # Listed as "An organisation in <country>": the name is never published nor sent.
    anonymous: Mapped[bool] = mapped_column(default=False)
    domain_verified: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=OrgSignatureStatus.UNCONFIRMED)
    # The reason of a rejection or the question of a clarification request, as e-mailed.
    moderation_note: Mapped[str | None] = mapped_column(Text)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # The page language the contact signed in (app/languages.py); e-mails to them use it.
    language: Mapped[str | None] = mapped_column(String(8))

    statement: Mapped[Statement] = relationship()


# The outbox kind of a co-signer's confirmation request: once the mail server accepts it, the
# co-signer's clear address is erased (app/delivery/results.py), as a signer's is.
COSIGNER_CONFIRMATION_KIND = "statement_cosigner_confirmation"


class Cosigner(Base):
    """An individual co-signing a statement that allows it; listed apart from organisations."""

    __tablename__ = "statement_cosigners"
    __table_args__ = (
        UniqueConstraint("statement_id", "email_hash"),
        Index("ix_statement_cosigners_statement_status", "statement_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # Kept only until the confirmation request is sent; `email_hash` refuses a second signature.
    email: Mapped[str | None] = mapped_column(String(254))
    email_hash: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    affiliation: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=CosignerStatus.UNCONFIRMED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # The page language the co-signer signed in; e-mails to them use it.
    language: Mapped[str | None] = mapped_column(String(8))

    statement: Mapped[Statement] = relationship()
