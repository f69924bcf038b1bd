"""Single-purpose, single-use tokens. Only a SHA-256 digest is stored; the secret goes by e-mail."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Token, utcnow


class TokenError(Exception):
    """A token that is unknown, of another purpose, expired or already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "used"


def _digest(raw: str) -> bytes:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).digest()


def new_token(purpose: str, subject_id: int, *, ttl: timedelta | None,
              raw: str | None = None) -> tuple[str, dict]:
    """A fresh secret (or `raw`, made by `new_secret`) and the `tokens` row that stands for it
    (to insert in the caller's way)."""
    raw = raw or new_secret()
    expires = utcnow() + ttl if ttl is not None else None
    return raw, {"purpose": purpose, "digest": _digest(raw), "subject_id": subject_id,
                 "expires_at": expires}


def new_secret() -> str:
    """A token's secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def find_token(purpose: str, raw: str) -> Token | None:
    """The unexpired token of `purpose` whose secret is `raw`, left unused (a standing link)."""
    if not raw or len(raw) > 100:
        return None
    digest = _digest(raw)
    token = db.session.scalar(select(Token).where(Token.digest == digest))
    if token is None or not hmac.compare_digest(token.digest, digest) or token.purpose != purpose:
        return None
    if token.expires_at is not None and token.expires_at < utcnow():
        return None
    return token


def issue_token(purpose: str, subject_id: int, *, ttl: timedelta | None) -> str:
    """Create a token row (not committed) and return the secret to put in a link."""
    raw, row = new_token(purpose, subject_id, ttl=ttl)
    db.session.add(Token(**row))
    return raw


def redeem_token(purpose: str, raw: str, *, now: datetime | None = None) -> Token:
    """Mark the token used and return it; raise TokenError if it cannot be used. Does not commit."""
    now = now or utcnow()
    if not raw or len(raw) > 100:
        raise TokenError("invalid")
    digest = _digest(raw)
    token = db.session.scalar(select(Token).where(Token.digest == digest))
    # The lookup is by digest; the constant-time comparison also covers purpose confusion.
    if token is None or not hmac.compare_digest(token.digest, digest) or token.purpose != purpose:
        raise TokenError("invalid")
    if token.used_at is not None:
        raise TokenError("used")
    if token.expires_at is not None and token.expires_at < now:
        raise TokenError("expired")
    token.used_at = now
    return token


def token_subject(purpose: str, raw: str) -> int | None:
    """The subject id of a token of `purpose`, without using it up (None if unknown); for a page
    that names what the token is for before the person acts on it."""
    if not raw or len(raw) > 100:
        return None
    token = db.session.scalar(select(Token).where(Token.digest == _digest(raw)))
    return token.subject_id if token is not None and token.purpose == purpose else None


def redeem_for(purpose: str, raw: str, model: type):
    """Redeem the token and return the `model` row it names; the caller commits.

    Raises TokenError after rolling back, so a refused token is never half-spent.
    """
    try:
        token = redeem_token(purpose, raw)
        subject = db.session.get(model, token.subject_id)
        if subject is None:
            raise TokenError("invalid")
    except TokenError:
        db.session.rollback()
        raise
    return subject
