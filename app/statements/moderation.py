"""Coordinators moderate organisations' signatures of a statement: approve, reject, ask."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import User, utcnow
from app.models.statement import (
    OrgSignature,
    OrgSignatureStatus,
    Statement,
    StatementState,
)
from app.statements import messages
from app.statements.service import StatementError

MODERATABLE = (OrgSignatureStatus.AWAITING, OrgSignatureStatus.CLARIFICATION,
               OrgSignatureStatus.APPROVED, OrgSignatureStatus.REJECTED)


def _moderate(signature: OrgSignature, user: User, status: str, note: str | None) -> bool:
    if signature.statement.state == StatementState.SENT:
        raise StatementError("The statement was sent; its list of signatures is final.")
    if signature.status not in MODERATABLE:
        raise StatementError(
            "Only signatures confirmed by e-mail (and not withdrawn) can be moderated.")
    if signature.status == status and signature.moderation_note == note:
        return False
    signature.status = status
    signature.moderation_note = note
    signature.moderated_by_id = user.id
    signature.moderated_at = utcnow()
    return True


def approve(signature: OrgSignature, user: User) -> None:
    """List the organisation and tell its contact. Commits; raises StatementError."""
    if _moderate(signature, user, OrgSignatureStatus.APPROVED, None):
        messages.org_approved(signature, signature.statement)
    db.session.commit()


def reject(signature: OrgSignature, user: User, reason: str) -> None:
    """Refuse the signature and e-mail the reason to the contact. Commits."""
    if _moderate(signature, user, OrgSignatureStatus.REJECTED, reason):
        messages.org_rejected(signature, signature.statement, reason)
    db.session.commit()


def ask_clarification(signature: OrgSignature, user: User, question: str) -> None:
    """Hold the signature and e-mail the coordinator's question to the contact. Commits."""
    if _moderate(signature, user, OrgSignatureStatus.CLARIFICATION, question):
        messages.org_clarification(signature, signature.statement, question)
    db.session.commit()


def bulk_approve(statement: Statement, ids: list[int], user: User) -> int:
    """Approve the chosen signatures that wait for it; return how many were approved. Commits."""
    if statement.state == StatementState.SENT:
        raise StatementError("The statement was sent; its list of signatures is final.")
    chosen = db.session.scalars(
        select(OrgSignature).where(
            OrgSignature.statement_id == statement.id, OrgSignature.id.in_(ids),
            OrgSignature.status.in_((OrgSignatureStatus.AWAITING,
                                     OrgSignatureStatus.CLARIFICATION)))
        .order_by(OrgSignature.id)
    ).all()
    for signature in chosen:
        _moderate(signature, user, OrgSignatureStatus.APPROVED, None)
        messages.org_approved(signature, statement)
    db.session.commit()
    return len(chosen)


