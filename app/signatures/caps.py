"""Caps on what signing makes the service do: the sign form must not flood a signer's inbox."""

from __future__ import annotations

from flask import current_app

from app.extensions import db
from app.ratelimit import over_cap


def may_tell_already_signed(email_hash: str) -> bool:
    """True while this address has had fewer "you have already signed" e-mails than
    ALREADY_SIGNED_EMAILS_PER_DAY today (0: never). Counted in the signing transaction, keyed by
    the address's keyed hash (never the address), so the form answers the same either way."""
    per_day = current_app.config.get("ALREADY_SIGNED_EMAILS_PER_DAY", 3)
    if per_day <= 0:
        return False
    return not over_cap("already-signed", f"{per_day} per day", email_hash,
                        connection=db.session.connection())
