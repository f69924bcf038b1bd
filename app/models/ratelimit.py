"""Rate-limit counters kept in the app database, so every worker and host shares them."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RateLimitCounter(Base):
    """One fixed-window counter of the `limits` library: key, hits, and when the window ends."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    # Seconds since the epoch (time.time()): compared with the clock of any worker, no time zone.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
