"""Sealing signatures stored before sealing existed, and erasing their clear columns.

Idempotent and resumable: a batch is sealed and erased in one transaction, and a row once
sealed is never picked again (`sealed IS NULL` selects the work left). Killed halfway, a run
loses nothing: the batch being written rolls back and the next run does it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Appeal, Group, OutboxMessage, Signature
from app.models.enums import OutboxStatus, SignatureStatus
from app.outbox import SENT_ADDRESS, SENT_BODY_PLACEHOLDER
from app.sealing.boxes import SignerDetails, clear_name, seal

BATCH_SIZE = 500
# E-mails written to signers: once sent, their rows keep no address.
SIGNER_KINDS = ("confirmation", "already_signed", "case_update")

_WORK = (select(Signature, Group.public_key)
         .join(Appeal, Appeal.id == Signature.appeal_id)
         .join(Group, Group.id == Appeal.group_id)
         # Stored before sealing: every signature since has its own copy.
         .where(Signature.sealed.is_(None), Signature.own_copy.is_(None),
                Group.public_key.is_not(None)))


def signatures_to_seal() -> int:
    """How many signatures still hold details in clear and can be sealed now."""
    return db.session.scalar(select(func.count()).select_from(_WORK.subquery()))


def signatures_without_key() -> int:
    """Unsealed signatures of appeals whose organisation has no key (or with no organisation)."""
    keyed = select(Appeal.id).join(Group, Group.id == Appeal.group_id).where(
        Group.public_key.is_not(None))
    return db.session.scalar(select(func.count()).select_from(Signature).where(
        Signature.sealed.is_(None), Signature.own_copy.is_(None),
        Signature.appeal_id.not_in(keyed)))


def seal_batch(size: int = BATCH_SIZE) -> int:
    """Seal and erase up to `size` signatures in one transaction. Commits; returns how many."""
    rows = db.session.execute(_WORK.order_by(Signature.id).limit(size)).all()
    for signature, public_key in rows:
        details = SignerDetails(name=signature.name or "", email=signature.email or "",
                                city=signature.city, message=signature.message)
        signature.sealed = seal(details, public_key)
        signature.name = clear_name(details.name, signature.public_display,
                                    signature.letter_inclusion)
        signature.city = signature.message = None
        if signature.status != SignatureStatus.SUSPECT:  # a suspect's confirmation is unsent
            signature.email = None
    db.session.commit()
    return len(rows)


def seal_existing(size: int = BATCH_SIZE, on_batch: Callable[[int], None] = lambda n: None) -> int:
    """Seal every signature that can be, a batch at a time (`on_batch(n)` after each commit),
    then drop the addresses sent e-mails to signers still hold. Returns how many were sealed."""
    total = 0
    while done := seal_batch(size):
        total += done
        on_batch(done)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind.in_(SIGNER_KINDS), OutboxMessage.status == OutboxStatus.SENT,
               OutboxMessage.to_addr != SENT_ADDRESS)
        .values(to_addr=SENT_ADDRESS, body_text=SENT_BODY_PLACEHOLDER, body_html=None))
    db.session.commit()
    return total
