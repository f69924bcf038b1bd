"""Individuals who never confirmed their co-signature expire, as supporters' signatures do
(app/signatures/expiry.py): nobody confirmed them, so nobody may keep their name."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Statement, Token, utcnow
from app.models.statement import Cosigner, CosignerStatus
from app.signatures.erasure import scrub_outbox
from app.statements.service import CONFIRM_COSIGNER, WITHDRAW_COSIGNER


def expire_unconfirmed_cosigners(max_age_days: int, now: datetime | None = None) -> int:
    """Delete co-signers unconfirmed `max_age_days` after signing, their links and any of their
    messages still in the outbox. Commits. Returns how many were deleted."""
    cutoff = (now or utcnow()) - timedelta(days=max_age_days)
    rows = db.session.execute(
        select(Cosigner.id, Cosigner.email_hash, Statement.appeal_id)
        .join(Statement, Statement.id == Cosigner.statement_id)
        .where(Cosigner.status == CosignerStatus.UNCONFIRMED, Cosigner.created_at < cutoff)).all()
    for appeal_id in {row.appeal_id for row in rows}:
        scrub_outbox(appeal_id, {row.email_hash for row in rows if row.appeal_id == appeal_id})
    ids = [row.id for row in rows]
    if ids:
        db.session.execute(delete(Token).where(
            Token.subject_id.in_(ids), Token.purpose.in_((CONFIRM_COSIGNER, WITHDRAW_COSIGNER))))
        db.session.execute(delete(Cosigner).where(Cosigner.id.in_(ids))
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return len(ids)
