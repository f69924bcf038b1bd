"""What the public appeal page shows beyond the case: the photo, and the counts per share channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AppealPhoto(Base):
    """The photo of the person an appeal is about, re-encoded without metadata (app/publicpage/photos.py)."""

    __tablename__ = "appeal_photos"

    appeal_id: Mapped[int] = mapped_column(
        ForeignKey("appeals.id", ondelete="CASCADE"), primary_key=True)
    # A random name inside UPLOAD_DIR/photos, new for every upload (so it can be cached for ever).
    file_name: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    alt: Mapped[str] = mapped_column(String(300))
    credit: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ShareCount(Base):
    """Confirmed signatures that arrived through one share channel (a count, never a list of people)."""

    __tablename__ = "share_counts"

    appeal_id: Mapped[int] = mapped_column(
        ForeignKey("appeals.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    confirmed_count: Mapped[int] = mapped_column(default=0)


class PendingShareReferral(Base):
    """The channel an unconfirmed signature came through; deleted on confirmation (the count
    goes up instead), as app.models.partners.PendingReferral does for partners."""

    __tablename__ = "pending_share_referrals"

    signature_id: Mapped[int] = mapped_column(
        ForeignKey("signatures.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
