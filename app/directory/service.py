"""Coordinator edits to the directory: each change is stored with who made it, when, old and new."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import Select, distinct, func, or_, select

from app.auth.access import scope_appeals
from app.directory.contacts import display_value
from app.directory.file_schema import dates_overlap
from app.extensions import db
from app.models import (
    Appeal,
    AppealRecipient,
    ContactDetail,
    DirectoryChange,
    Membership,
    Organization,
    Person,
    Post,
    User,
)

EDITABLE_POST_FIELDS = ("label", "salutation", "preferred_language", "notes")


def search_posts(q: str | None = None, country: str | None = None, kind: str | None = None,
                 limit: int = 200) -> list[Post]:
    """Posts whose label, organisation (name or abbreviation) or any holder's name contains `q`."""
    query: Select = select(Post).join(Post.organization)
    if q:
        pattern = f"%{q.strip().lower()}%"
        holders = select(Membership.post_id).join(Membership.person).where(
            func.lower(Person.name).like(pattern))
        query = query.where(or_(func.lower(Post.label).like(pattern),
                                func.lower(Organization.name).like(pattern),
                                func.lower(func.coalesce(Organization.abbreviation, "")).like(pattern),
                                func.lower(Post.slug).like(pattern),
                                Post.id.in_(holders)))
    if country:
        query = query.where(Organization.country == country)
    if kind:
        query = query.where(Organization.kind == kind)
    query = query.order_by(Organization.file_group, Organization.position, Post.position, Post.slug)
    return list(db.session.scalars(query.limit(limit)))


def facet_values() -> tuple[list[str], list[str]]:
    """The countries and kinds in use, for the search filters."""
    countries = sorted(db.session.scalars(select(distinct(Organization.country))))
    kinds = sorted(db.session.scalars(select(distinct(Organization.kind))))
    return countries, kinds


def post_by_slug(slug: str) -> Post | None:
    return db.session.scalar(select(Post).where(Post.slug == slug))


def appeals_addressing(post: Post, user: User) -> list[tuple[Appeal, AppealRecipient]]:
    """The appeals (that `user` may see) writing to `post`, with the recipient row (To or Cc)."""
    query = scope_appeals(select(Appeal, AppealRecipient).join(AppealRecipient,
                                                               AppealRecipient.appeal_id == Appeal.id)
                          .where(AppealRecipient.post_id == post.id).order_by(Appeal.title), user)
    return [(appeal, recipient) for appeal, recipient in db.session.execute(query)]


def changes_for(post: Post, limit: int = 100) -> list[DirectoryChange]:
    """The change log of the post and of the organisations it takes contact details from."""
    slugs = [post.slug]
    organization = post.organization
    while organization is not None and organization.slug not in slugs:
        slugs.append(organization.slug)
        organization = organization.parent
    return list(db.session.scalars(
        select(DirectoryChange).where(DirectoryChange.entity_slug.in_(slugs))
        .order_by(DirectoryChange.at.desc(), DirectoryChange.id.desc()).limit(limit)))


def _record(user: User, entity_type: str, slug: str, name: str, old: Any, new: Any) -> None:
    db.session.add(DirectoryChange(
        user_id=user.id, actor=user.email[:120], entity_type=entity_type, entity_slug=slug,
        field=name[:80], old_value=None if old is None else str(old),
        new_value=None if new is None else str(new)))


def update_post(post: Post, values: dict, user: User) -> list[str]:
    """Set the editable fields that differ, log each one, commit; returns the changed field names."""
    changed = []
    for name in EDITABLE_POST_FIELDS:
        new = values.get(name) or None
        if name == "salutation" and not new:
            continue
        old = getattr(post, name)
        if old != new:
            setattr(post, name, new)
            _record(user, "post", post.slug, name, old, new)
            changed.append(name)
    db.session.commit()
    return changed


def overlapping(post: Post, start: date | None, end: date | None,
                exclude: Membership | None = None) -> Membership | None:
    """A holder of `post` whose dates share a day with [start, end], if any."""
    for membership in post.memberships:
        if membership is exclude:
            continue
        if dates_overlap(membership.start_date, membership.end_date, start, end):
            return membership
    return None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "person"


def _person_for(name: str, honorific: str | None, source: str | None, post: Post) -> Person:
    """The person with this name's slug, or a new one filed with the post's organisation group."""
    slug = slugify(name)
    person = db.session.scalar(select(Person).where(Person.slug == slug))
    if person is not None and person.name == name:
        return person
    if person is not None:  # same slug, different spelling: keep both apart
        suffix = 2
        while db.session.scalar(select(Person.id).where(Person.slug == f"{slug}-{suffix}")):
            suffix += 1
        slug = f"{slug}-{suffix}"
    group = post.organization.file_group
    last = db.session.scalar(select(func.max(Person.position)).where(Person.file_group == group))
    person = Person(slug=slug, name=name, honorific_prefix=honorific or None, source=source,
                    file_group=group, position=(last or 0) + 1)
    db.session.add(person)
    return person


def _span(membership: Membership) -> str:
    return f"{membership.person.name} {membership.start_date or '…'} to {membership.end_date or 'now'}"


def add_holder(post: Post, *, name: str, honorific: str | None, start: date | None,
               end: date | None, source: str, user: User) -> Membership:
    """Add a holder (the form has checked the dates do not overlap); logs and commits."""
    membership = Membership(person=_person_for(name, honorific, source, post), start_date=start,
                            end_date=end, source=source)
    post.memberships.append(membership)
    _record(user, "post", post.slug, "holders", None, _span(membership))
    db.session.commit()
    return membership


def end_holder(post: Post, membership: Membership, end: date, user: User) -> None:
    """Close a holder's term on `end`; logs and commits."""
    old = _span(membership)
    membership.end_date = end
    _record(user, "post", post.slug, "holders", old, _span(membership))
    db.session.commit()


def contact_owner(post: Post, contact: ContactDetail) -> tuple[str, str] | None:
    """("post"|"organization", slug) when `contact` belongs to `post` or its organisations."""
    if contact.post_id == post.id:
        return "post", post.slug
    organization = post.organization
    while organization is not None:
        if contact.organization_id == organization.id:
            return "organization", organization.slug
        organization = organization.parent
    return None


def _contact_summary(contact: ContactDetail) -> str:
    """One line for the change log: type, label, value as shown, verification date and source."""
    label = f" [{contact.label}]" if contact.label else ""
    verified = f" (verified {contact.last_verified})" if contact.last_verified else ""
    source = f"; source: {contact.source}" if contact.source else ""
    return f"{contact.type}{label}: {display_value(contact)}{verified}{source}"


def save_contact(post: Post, contact: ContactDetail | None, values: dict, user: User) -> ContactDetail:
    """Create a post contact or update one of the post's (or its organisations') details; logs, commits."""
    if contact is None:
        contact = ContactDetail(position=len(post.contacts))
        post.contacts.append(contact)
        old = None
        entity_type, slug = "post", post.slug
    else:
        old = _contact_summary(contact)
        entity_type, slug = contact_owner(post, contact)
    for key in ("type", "label", "value", "address", "last_verified", "source"):
        setattr(contact, key, values.get(key))
    new = _contact_summary(contact)
    if old != new:
        _record(user, entity_type, slug, f"contacts[{contact.position}]", old, new)
    db.session.commit()
    return contact


def delete_contact(post: Post, contact: ContactDetail, user: User) -> None:
    """Remove a detail and log what it was; commits."""
    entity_type, slug = contact_owner(post, contact)
    owner = contact.post if contact.post_id else contact.organization
    _record(user, entity_type, slug, f"contacts[{contact.position}]", _contact_summary(contact), None)
    owner.contacts.remove(contact)
    for i, remaining in enumerate(owner.contacts):
        remaining.position = i
    db.session.commit()


def mark_verified(post: Post, contact: ContactDetail, on: date, user: User) -> None:
    """Record that a coordinator checked `contact` on `on` (it stops being stale); logs, commits."""
    entity_type, slug = contact_owner(post, contact)
    old = _contact_summary(contact)
    contact.last_verified = on
    _record(user, entity_type, slug, f"contacts[{contact.position}]", old, _contact_summary(contact))
    db.session.commit()
