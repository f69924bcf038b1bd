"""Accounts run by an administrator: invitations by e-mail, organisation and role, disabling.

An invitation creates the account at once, with no usable password, and e-mails a single-use
link valid INVITATION_TTL; the invitee chooses a password through it. Disabling an account
ends its sessions at once (the session generation moves on) and refuses every later log-in.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.auth.service import end_sessions, find_user, hash_password
from app.extensions import db
from app.mail.render import render_email
from app.models import Group, Token, User
from app.outbox import queue_email
from app.tokens import TokenError, issue_token, redeem_for

INVITATION_PURPOSE = "invitation"
INVITATION_TTL = timedelta(days=7)
# Stored instead of a hash until the invitation is accepted: no password ever matches it.
NO_PASSWORD_YET = "!invited"


class AccountExists(Exception):
    """An account that has accepted its invitation (or was made on the command line) exists."""


def is_invited(user: User) -> bool:
    """The account is waiting for its invitation to be accepted."""
    return user.password_hash == NO_PASSWORD_YET


def accounts() -> list[User]:
    """Every account, by e-mail, with its organisation."""
    return list(db.session.scalars(select(User).order_by(User.email)))


def invite(email: str, role: str, group: Group | None) -> User:
    """Create (or re-invite) an account and queue its invitation e-mail. Commits.

    Raises AccountExists when the address already has a working account. A new invitation to a
    pending account replaces the earlier link.
    """
    user = find_user(email)
    if user is not None and not is_invited(user):
        raise AccountExists(email)
    if user is None:
        user = User(email=email.strip().lower(), password_hash=NO_PASSWORD_YET)
        db.session.add(user)
    user.role, user.group, user.active = role, group, True
    db.session.flush()
    _forget_invitations(user.id)
    raw = issue_token(INVITATION_PURPOSE, user.id, ttl=INVITATION_TTL)
    link = current_app.config["BASE_URL"] + url_for("people.accept_invitation_page", token=raw)
    queue_email(kind="invitation", to=user.email, sensitive=True,
                subject=_("You are invited to Appeal Desk"),
                body_text=render_email("email/invitation.txt", link=link, days=INVITATION_TTL.days,
                                       organisation=group.name if group else None))
    db.session.commit()
    return user


def check_invitation(raw_token: str) -> User:
    """The invited account, if the link can still be used; spends nothing. Raises TokenError."""
    user = redeem_for(INVITATION_PURPOSE, raw_token, User)
    db.session.rollback()  # only looked: the link stays unused until the password is chosen
    if not is_invited(user) or not user.active:
        raise TokenError("used" if not is_invited(user) else "invalid")
    return user


def accept_invitation(raw_token: str, password: str) -> User:
    """Set the invitee's first password with the link, which then stops working. Commits."""
    user = redeem_for(INVITATION_PURPOSE, raw_token, User)
    if not is_invited(user) or not user.active:
        db.session.rollback()
        raise TokenError("used" if not is_invited(user) else "invalid")
    user.password_hash = hash_password(password)
    _forget_invitations(user.id)
    db.session.commit()
    return user


def _forget_invitations(user_id: int) -> None:
    db.session.execute(delete(Token).where(Token.purpose == INVITATION_PURPOSE,
                                           Token.subject_id == user_id, Token.used_at.is_(None)))


def update_account(user: User, role: str, group: Group | None) -> None:
    """Give an account its role and organisation. Commits."""
    user.role, user.group = role, group
    db.session.commit()


def set_active(user: User, active: bool) -> None:
    """Disable (its sessions end now, log-in is refused) or enable an account. Commits."""
    user.active = active
    if not active:
        end_sessions(user)
    db.session.commit()


def organisations() -> list[Group]:
    """Every organisation, by name."""
    return list(db.session.scalars(select(Group).order_by(Group.name)))
