"""Signatures of supporters and the single-purpose tokens sent to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.enums import LetterInclusion, PublicDisplay, SignatureStatus

# The rows the public page may list. Queries must repeat these terms with literal values (not
# bound parameters) for SQLite and PostgreSQL to use the partial index: app/appeals/queries.py.
PUBLICLY_LISTED = "status = 'confirmed' AND public_display != 'none'"


class Signature(Base):
    __tablename__ = "signatures"
    # Every index serves a request whose cost must not grow with the number of signatures
    # (docs/scale.md shows the plans). Each also costs every signature a write: add none lightly.
    __table_args__ = (
        # One row per person per appeal, whatever the spelling of the address.
        UniqueConstraint("appeal_id", "email_hash"),
        # Suspects to moderate, unconfirmed rows to expire.
        Index("ix_signatures_appeal_status", "appeal_id", "status", "id"),
        # The coordinator's signer list and the export: keyset pages by id.
        Index("ix_signatures_appeal_id", "appeal_id", "id"),
        # The public page's recent signers: only rows it may show, in the order it shows them.
        Index("ix_signatures_public_recent", "appeal_id", "confirmed_at",
              sqlite_where=text(PUBLICLY_LISTED), postgresql_where=text(PUBLICLY_LISTED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"))
    # In clear only what the signer agreed to disclose (docs/threat-model.md): the full name if
    # it goes into letters or on the public page, initials if only those are shown, else None.
    name: Mapped[str | None] = mapped_column(String(200))
    # In clear only until the confirmation e-mail is sent (the worker erases it then).
    email: Mapped[str | None] = mapped_column(String(254))
    # Keyed hash refusing a second signature by the same person; None on high-risk appeals.
    email_hash: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    # Legacy clear column: new signatures never fill it; `flask sealing seal-existing` empties
    # the old ones (a later migration drops it once every deployment ran it).
    city: Mapped[str | None] = mapped_column(String(120))
    # The message in clear only when the signer asked for it to go into their letters to
    # officials; otherwise only sealed. `seal-existing` empties the legacy rows' copies.
    message: Mapped[str | None] = mapped_column(Text)
    # Full name, e-mail, city and message: sealed to the organisation's public key (only its
    # private key, which the server never keeps, opens it), and to the signer's own link.
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    own_copy: Mapped[bytes | None] = mapped_column(LargeBinary)
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


class SignatureTally(Base):
    """How many signatures an appeal has in each status, for the coordinator's pages.

    Kept by database triggers on `signatures` (migration 0011_signature_scale), so no code path,
    bulk load or test builder can let it drift, and no page counts rows.
    """

    __tablename__ = "signature_tallies"

    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"),
                                           primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class SignatureDay(Base):
    """Signatures of an appeal per day signed (UTC), country and status, for the campaign charts.

    Kept by database triggers on `signatures` (migration 0021_campaign_people), like the tallies:
    the charts read a few rows per day, never the signatures themselves.
    """

    __tablename__ = "signature_days"

    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"),
                                           primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


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
    # Deleting a signer or expiring unconfirmed ones removes their tokens by subject.
    __table_args__ = (Index("ix_tokens_subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    subject_id: Mapped[int]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
