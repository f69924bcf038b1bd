"""Erasing a signer's traces outside their row: their address and unsent e-mails in the outbox."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.extensions import db
from app.models import OutboxMessage, Signature, Token
from app.models.enums import OutboxStatus, SignatureStatus, TokenPurpose
from app.signatures.identity import email_digest
from app.signatures.service import count_confirmed

REMOVED_ADDRESS = "removed@invalid"
REMOVED_BODY = "[removed at the signer's request]"


def scrub_outbox(appeal_id: int, email_hashes: set[str | None],
                 signature_ids: frozenset[int] = frozenset()) -> int:
    """Remove the addresses (and unsent messages) of the given signers from the outbox: those
    whose address hashes to one of `email_hashes`, or written for one of `signature_ids`."""
    email_hashes = email_hashes - {None}
    if not email_hashes and not signature_ids:
        return 0
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.appeal_id == appeal_id,
                                    OutboxMessage.to_addr != REMOVED_ADDRESS)
    )
    scrubbed = 0
    for row in rows:
        if row.signature_id not in signature_ids and email_digest(row.to_addr) not in email_hashes:
            continue  # an official, or another signer
        if row.status in (OutboxStatus.PENDING, OutboxStatus.FAILED):
            db.session.delete(row)
        else:
            row.to_addr, row.body_text, row.body_html = REMOVED_ADDRESS, REMOVED_BODY, None
        scrubbed += 1
    return scrubbed


def forget_tokens(signature_id: int) -> None:
    """Delete every link ever sent to a signer: confirmation, unsubscribe, private page."""
    db.session.execute(delete(Token).where(
        Token.subject_id == signature_id,
        Token.purpose.in_((TokenPurpose.CONFIRM_SIGNATURE, TokenPurpose.UNSUBSCRIBE,
                           TokenPurpose.SIGNER_OWN_PAGE)),
    ))


def erase_signature(signature: Signature) -> int:
    """Delete a signature, its links and its outbox traces; uncount it if it was confirmed.

    Returns the number of outbox rows scrubbed. Not committed.
    """
    if signature.status == SignatureStatus.CONFIRMED:
        db.session.execute(count_confirmed(signature.appeal_id, -1))
    scrubbed = scrub_outbox(signature.appeal_id, {signature.email_hash},
                            frozenset({signature.id}))
    forget_tokens(signature.id)
    db.session.delete(signature)
    return scrubbed
