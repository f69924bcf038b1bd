"""API keys of an organisation: made once and shown once, stored as a SHA-256 digest, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from app.extensions import db
from app.models import ApiKey, utcnow

KEY_PREFIX = "adk_"
MAX_KEY_LENGTH = 100


def _digest(raw: str) -> bytes:
    # 256 random bits: a plain digest is as strong as a slow hash here, and lookups stay O(1).
    return hashlib.sha256(raw.encode()).digest()


def create_key(group_id: int, label: str, created_by_id: int | None) -> tuple[str, ApiKey]:
    """A new key for the group: (the secret, to show once; the stored row). Commits."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(group_id=group_id, label=label, prefix=raw[:10], digest=_digest(raw),
                 created_by_id=created_by_id)
    db.session.add(key)
    db.session.commit()
    return raw, key


def keys_of(group_id: int) -> list[ApiKey]:
    return list(db.session.scalars(
        select(ApiKey).where(ApiKey.group_id == group_id).order_by(ApiKey.id.desc())))


def revoke_key(group_id: int, key_id: int) -> bool:
    """Revoke one of the group's keys; at once, for every later request. Commits."""
    key = db.session.get(ApiKey, key_id)
    if key is None or key.group_id != group_id:
        return False
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    db.session.commit()
    return True


def group_of_key(raw: str) -> int | None:
    """The group id a live key belongs to, or None (unknown, malformed or revoked)."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > MAX_KEY_LENGTH:
        return None
    return db.session.scalar(select(ApiKey.group_id).where(
        ApiKey.digest == _digest(raw), ApiKey.revoked_at.is_(None)))
