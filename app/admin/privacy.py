"""Privacy housekeeping: signers' e-mail addresses are dropped once a closed appeal's retention ends."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

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

    The sealed details (app/sealing) hold the address too and cannot be edited without the key:
    they go whole (full name, city and message with it), and so does a message kept readable
    for letters (no more letters go out). The signatures, the name forms each
    signer disclosed and the confirmed count stay; the keyed hash stays too, so the same person
    still cannot sign twice. Returns the number of signatures purged.
    """
    holding = (Signature.appeal_id == appeal.id,
               or_(Signature.email.is_not(None), Signature.sealed.is_not(None),
                   Signature.own_copy.is_not(None), Signature.message.is_not(None)))
    rows = db.session.execute(select(Signature.id, Signature.email_hash).where(*holding)).all()
    if not rows:
        return 0
    scrub_outbox(appeal.id, {row.email_hash for row in rows}, frozenset(row.id for row in rows))
    purged = db.session.execute(
        update(Signature).where(*holding)
        .values(email=None, sealed=None, own_copy=None, message=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return purged


def purge_expired_emails(retention_days: int, now: datetime | None = None) -> dict[str, int]:
    """Purge the addresses of every closed appeal past retention; {slug: addresses purged}."""
    return {appeal.slug: purge_emails(appeal)
            for appeal in appeals_due_for_purge(retention_days, now)}
