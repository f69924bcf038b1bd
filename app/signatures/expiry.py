"""Unconfirmed and suspect signatures expire: nobody confirmed them, so nobody may keep them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Appeal, Signature, Token, utcnow
from app.models.enums import SignatureStatus, TokenPurpose
from app.signatures.erasure import scrub_outbox

UNCONFIRMED = (SignatureStatus.PENDING, SignatureStatus.SUSPECT)
BATCH_SIZE = 1000


def expire_unconfirmed(max_age_days: int, now: datetime | None = None,
                       batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Delete pending and suspect signatures signed `max_age_days` ago or longer, on every appeal.

    Their tokens go, and their addresses leave the outbox. Confirmed signatures and the counts
    are untouched. Commits once per batch, so writers wait at most one batch. {slug: deleted}.
    """
    cutoff = (now or utcnow()) - timedelta(days=max_age_days)
    expired = {}
    for appeal_id, slug in db.session.execute(select(Appeal.id, Appeal.slug).order_by(Appeal.id)):
        if count := _expire_appeal(appeal_id, cutoff, batch_size):
            expired[slug] = count
    return expired


def _expire_appeal(appeal_id: int, cutoff: datetime, batch_size: int) -> int:
    due = (Signature.appeal_id == appeal_id, Signature.status.in_(UNCONFIRMED),
           Signature.created_at < cutoff)
    rows = db.session.execute(select(Signature.id, Signature.email_hash).where(*due)).all()
    if not rows:
        return 0
    # The outbox first (one pass per appeal): a run cut short leaves rows to expire next time,
    # never an address in the outbox whose signature is gone. High-risk appeals keep no hash:
    # their confirmations are found by signature.
    scrub_outbox(appeal_id, {row.email_hash for row in rows}, frozenset(row.id for row in rows))
    db.session.commit()
    total = 0
    while ids := list(db.session.scalars(select(Signature.id).where(*due).order_by(Signature.id)
                                         .limit(batch_size))):
        db.session.execute(delete(Token).where(
            Token.subject_id.in_(ids),
            Token.purpose.in_((TokenPurpose.CONFIRM_SIGNATURE, TokenPurpose.UNSUBSCRIBE,
                               TokenPurpose.SIGNER_OWN_PAGE))))
        # Their chosen recipients go with them (ON DELETE CASCADE); the tallies follow by trigger.
        db.session.execute(delete(Signature).where(Signature.id.in_(ids))
                           .execution_options(synchronize_session=False))
        db.session.commit()
        total += len(ids)
    return total
