"""Builders shared by the delivery tests."""

from __future__ import annotations

import hashlib

from app.extensions import db
from app.models import Signature, SignatureRecipient, utcnow
from tests.builders import seal_as_signing_does


def confirmed_signer(appeal, *, name: str = "Aigerim Sultanova", email: str | None = None,
                     country: str = "KZ", posts=None, named: bool = False,
                     wants_updates: bool = False, status: str = "confirmed") -> Signature:
    """A signature as if signed and confirmed (the signing path has its own tests)."""
    email = email or f"{name.split()[0].lower()}@example.org"
    post_ids = [p.id for p in posts] if posts is not None else [r.post_id for r in appeal.recipients]
    signature = Signature(
        appeal_id=appeal.id, name=name, email=email,
        email_hash=hashlib.sha256(email.encode()).hexdigest(), country=country,
        letter_inclusion="name_country" if named else "count_only", wants_updates=wants_updates,
        status=status, confirmed_at=utcnow() if status == "confirmed" else None,
        chosen_recipients=[SignatureRecipient(post_id=pid) for pid in post_ids],
    )
    db.session.add(signature)
    if appeal.group is not None and appeal.group.public_key is not None:
        db.session.flush()
        seal_as_signing_does(signature)
    db.session.commit()
    return signature


def queue_plain(n: int, *, to: str = "someone@example.org", kind: str = "test", **extra) -> list[int]:
    """n ordinary outbox messages, committed."""
    from app.outbox import queue_email

    rows = [queue_email(kind=kind, to=to, subject=f"Message {i}", body_text=f"Body {i}", **extra)
            for i in range(n)]
    db.session.flush()
    ids = [row.id for row in rows]
    db.session.commit()  # and no read after it: a reopened SQLite transaction would hold the lock
    return ids
