"""Coordinator accounts: creation, password checks with lock-out, sessions that can be ended."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Group, User, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_FAILED_LOGINS = 10
LOCKOUT = timedelta(minutes=15)
# Checked when the e-mail is unknown, so a login takes as long whether the account exists or not.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class UserExists(Exception):
    pass


class UnknownUser(Exception):
    pass


def hash_password(password: str) -> str:
    """scrypt (memory-hard), as werkzeug implements it."""
    return generate_password_hash(password, method="scrypt")


def load_user(session_id: str) -> User | None:
    """The user a session cookie names, if its generation is still the account's current one.

    Flask-Login stores `User.get_id()`, "<id>:<generation>"; ending the sessions of an account
    moves its generation on, so every cookie issued before (copied or not) stops working.
    """
    user_id, _, generation = (session_id or "").partition(":")
    try:
        user = db.session.get(User, int(user_id))
        current = user is not None and user.session_generation == int(generation)
        return user if current and user.active else None  # a disabled account has no session
    except (TypeError, ValueError):
        return None


def end_sessions(user: User, *, commit: bool = False) -> None:
    """End every session of this account (log-out, new password); commits if asked."""
    user.session_generation += 1
    if commit:
        db.session.commit()


def set_password(email: str, password: str) -> User:
    """Give an account a new password, unlock it and end its sessions. Commits; raises UnknownUser."""
    user = find_user(email)
    if user is None:
        raise UnknownUser(email)
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user, commit=True)
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, password: str, role: str = "coordinator",
                group: Group | None = None) -> User:
    """Create an account. Commits; raises UserExists."""
    if find_user(email) is not None:
        raise UserExists(email)
    user = User(email=email.strip().lower(), password_hash=hash_password(password), role=role,
                group=group)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password is right and the account not locked; counts failures. Commits."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        db.session.commit()
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    db.session.commit()
    return user
