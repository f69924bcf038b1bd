"""Password reset for coordinators and staff, without telling anyone which accounts exist.

The request form answers the same whatever the address; only an existing, active account gets
an e-mail (through the outbox) with a single-use link of its own purpose, valid one hour.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import delete

from app.auth.service import end_sessions, find_user, hash_password
from app.extensions import db
from app.mail.render import render_email
from app.models import Token, User
from app.outbox import queue_email
from app.tokens import TokenError, issue_token, redeem_for

RESET_PURPOSE = "reset_password"
RESET_TTL = timedelta(hours=1)


def request_reset(email: str) -> None:
    """Queue a reset link for an active account with this address; nothing otherwise. Commits."""
    user = find_user(email)
    if user is None or not user.active:
        return
    raw = issue_token(RESET_PURPOSE, user.id, ttl=RESET_TTL)
    link = current_app.config["BASE_URL"] + url_for("auth.password_reset", token=raw)
    queue_email(kind="password_reset", to=user.email, subject=_("Reset your Appeal Desk password"),
                body_text=render_email("email/password_reset.txt", link=link,
                                       minutes=int(RESET_TTL.total_seconds() // 60)),
                sensitive=True)
    db.session.commit()


def reset_password(raw_token: str, password: str) -> User:
    """Set a new password with a reset token; unlocks the account and ends its sessions.

    Commits; raises TokenError.
    """
    user = redeem_for(RESET_PURPOSE, raw_token, User)
    if not user.active:
        db.session.rollback()
        raise TokenError("invalid")
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user)
    # Any other reset link sent to this account dies with this one.
    db.session.execute(delete(Token).where(Token.purpose == RESET_PURPOSE,
                                           Token.subject_id == user.id, Token.used_at.is_(None)))
    db.session.commit()
    return user
