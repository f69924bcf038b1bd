"""Reading and saving organisations, within what the account may see."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app.extensions import db
from app.models import Group, User

FIELDS = ("name", "website", "email", "postal_address")


def visible_organisations(user: User) -> list[Group]:
    """Administrators see every organisation; a coordinator sees their own."""
    query = select(Group).order_by(Group.name)
    if user.role != "admin":
        query = query.where(Group.id == (user.group_id or -1))
    return list(db.session.scalars(query))


def organisation_for(user: User, slug: str) -> Group:
    """The organisation if `user` may edit it, else 404 (not 403: do not confirm it exists)."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or (user.role != "admin" and group.id != user.group_id):
        abort(404)
    return group


def save_organisation(group: Group, values: dict, *, logo_png: bytes | None,
                      remove_logo: bool) -> Group:
    """Store the letterhead details; a new logo replaces the old, or the logo goes. Commits."""
    group.name = values["name"]
    for name in FIELDS[1:]:
        setattr(group, name, values.get(name) or None)  # an emptied field is no value
    if logo_png is not None:
        group.logo_png = logo_png
    elif remove_logo:
        group.logo_png = None
    db.session.add(group)
    db.session.commit()
    return group
