"""Case updates: news a coordinator wrote to an appeal's supporters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class CaseUpdate(Base):
    """One update as sent: its text per language and how many supporters it was queued for.

    The rows of the last seven days count against CASE_UPDATES_PER_WEEK.
    """

    __tablename__ = "case_updates"
    __table_args__ = (Index("ix_case_updates_appeal_created", "appeal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"))
    # {language: {"subject": …, "body": …}}; the appeal's own language is always there.
    texts: Mapped[dict] = mapped_column(JSON)
    recipients: Mapped[int] = mapped_column(default=0)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
