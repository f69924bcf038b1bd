"""Coalition partners of an appeal: their names, their embed origins and their own counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class Partner(Base):
    """An organisation in an appeal's coalition; may embed the sign form on its own site."""

    __tablename__ = "appeal_partners"
    __table_args__ = (UniqueConstraint("appeal_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    # The referral code in the embed address (/embed/<appeal>/<code>).
    code: Mapped[str] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    # Space-separated origins (https://example.org) allowed to frame the embed form.
    frame_origins: Mapped[str] = mapped_column(Text, default="")
    # Confirmed signatures that came through this partner's form: a count, never a list of people.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingReferral(Base):
    """Which partner's form a still-unconfirmed signature came from.

    Deleted when the signature is confirmed (the partner's count goes up instead), so no
    lasting record ties a person to a partner.
    """

    __tablename__ = "pending_referrals"

    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("appeal_partners.id", ondelete="CASCADE"), index=True)
