"""Coordinators and staff, and the groups (organisations) that run appeals."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class Group(Base):
    """An organisation running appeals: its letterhead, and the scope of its coordinators."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    postal_address: Mapped[str | None] = mapped_column(Text)
    # The letterhead logo: a PNG re-encoded by app/organisations/logo.py (no metadata, bounded
    # size), kept in the database so every host and the backups have it.
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The public half of the organisation's key pair (app/sealing): signers' details are sealed
    # to it. The private half is handed to the coordinator once and never stored here.
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    key_created_at: Mapped[datetime | None]


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="coordinator")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of the session's user id: moved on at log-out and password change, so every session
    # issued before (a copied cookie too) stops working (app/auth/service.py load_user).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    group: Mapped[Group | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie."""
        return f"{self.id}:{self.session_generation}"
