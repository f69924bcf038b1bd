"""Erasing a signer's traces outside their row: their address and unsent e-mails in the outbox."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.models.enums import OutboxStatus
from app.signatures.identity import email_digest

REMOVED_ADDRESS = "removed@invalid"
REMOVED_BODY = "[removed at the signer's request]"


def scrub_outbox(appeal_id: int, email_hashes: set[str]) -> int:
    """Remove the addresses (and unsent messages) of the given signers from the outbox."""
    if not email_hashes:
        return 0
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.appeal_id == appeal_id,
                                    OutboxMessage.to_addr != REMOVED_ADDRESS)
    )
    scrubbed = 0
    for row in rows:
        if email_digest(row.to_addr) not in email_hashes:
            continue  # an official, or another signer
        if row.status in (OutboxStatus.PENDING, OutboxStatus.FAILED):
            db.session.delete(row)
        else:
            row.to_addr, row.body_text, row.body_html = REMOVED_ADDRESS, REMOVED_BODY, None
        scrubbed += 1
    return scrubbed
