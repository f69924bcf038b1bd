"""Privacy housekeeping: signers' e-mail addresses are dropped once a closed appeal's retention ends."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import Appeal, Signature, utcnow
from app.models.enums import AppealState
from app.signatures.erasure import scrub_outbox


def appeals_due_for_purge(retention_days: int, now: datetime | None = None) -> list[Appeal]:
    """Appeals closed `retention_days` ago or longer (edits since closing do not count)."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    return list(db.session.scalars(
        select(Appeal).where(Appeal.state == AppealState.CLOSED, Appeal.closed_at <= cutoff)
        .order_by(Appeal.id)
    ))


def purge_emails(appeal: Appeal) -> int:
    """Set every signer's e-mail of `appeal` to NULL and scrub them from the outbox. Commits.

    The signatures, their names (as each signer chose) and the confirmed count stay; the keyed
    hash stays too, so the same person still cannot sign twice. Returns the number purged.
    """
    hashes = set(db.session.scalars(
        select(Signature.email_hash).where(Signature.appeal_id == appeal.id,
                                           Signature.email.is_not(None))
    ))
    if not hashes:
        return 0
    scrub_outbox(appeal.id, hashes)
    purged = db.session.execute(
        update(Signature).where(Signature.appeal_id == appeal.id, Signature.email.is_not(None))
        .values(email=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return purged


def purge_expired_emails(retention_days: int, now: datetime | None = None) -> dict[str, int]:
    """Purge the addresses of every closed appeal past retention; {slug: addresses purged}."""
    return {appeal.slug: purge_emails(appeal)
            for appeal in appeals_due_for_purge(retention_days, now)}
