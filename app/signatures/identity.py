"""How two e-mail addresses are known to be the same signer, without storing a searchable address."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def canonical_email(address: str) -> str:
    """Case-folded, with a `+suffix` on the local part folded away."""
    local, _, domain = address.strip().rpartition("@")
    local = local.split("+", 1)[0]
    return f"{local}@{domain}".casefold()


def email_digest(address: str) -> str:
    """Keyed hash of the canonical address: the de-duplication key of signatures."""
    key = (current_app.config.get("EMAIL_HASH_KEY") or current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, canonical_email(address).encode(), hashlib.sha256).hexdigest()
