"""What a logged-in user may see: coordinators of a group see only their group's appeals."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, false, select

from app.extensions import db
from app.models import Appeal, User


def scope_appeals(query: Select, user: User) -> Select:
    """Limit an Appeal query to what `user` may read: admins see all, coordinators their
    organisation's appeals, and a coordinator without an organisation nothing."""
    if user.role == "admin":
        return query
    if user.group_id is None:
        return query.where(false())
    return query.where(Appeal.group_id == user.group_id)


def visible_appeals(user: User) -> list[Appeal]:
    """The appeals `user` may read, by title."""
    return list(db.session.scalars(scope_appeals(select(Appeal).order_by(Appeal.title), user)))


def appeal_for(user: User, slug: str) -> Appeal:
    """The appeal if `user` may read it, else 404 (not 403: do not confirm that it exists)."""
    appeal = db.session.scalar(scope_appeals(select(Appeal).where(Appeal.slug == slug), user))
    if appeal is None:
        abort(404)
    return appeal


def coordinator_required(view):
    """Logged in as coordinator or admin (staff cannot read signers)."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role not in ("coordinator", "admin"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def office_required(view):
    """Logged in as staff, coordinator or admin: the office's pages (letters, print and fax
    batches, the delivery log). Staff never reach a page that shows signers."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role not in ("staff", "coordinator", "admin"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    """Logged in as an administrator (accounts and every organisation); 403 for anyone else."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapper
