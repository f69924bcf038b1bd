"""Duplicates on high-risk appeals, which keep no e-mail hash: found with the organisation's key."""

from __future__ import annotations

from nacl.public import PrivateKey
from sqlalchemy import select, update

from app.extensions import db
from app.models import Appeal, Signature
from app.models.enums import SignatureStatus
from app.sealing.boxes import open_signer
from app.signatures.erasure import erase_signature
from app.signatures.identity import canonical_email

BATCH_SIZE = 1000


def find_duplicates(appeal: Appeal, private_key: PrivateKey) -> list[list[int]]:
    """Ids of signatures sharing one address, each group in the order kept first: confirmed
    before pending, then oldest. The key opens each in memory; nothing opened is stored."""
    seen: dict[str, list[tuple[bool, int]]] = {}
    after = 0
    while rows := db.session.execute(
        select(Signature.id, Signature.sealed, Signature.status)
        .where(Signature.appeal_id == appeal.id, Signature.id > after,
               Signature.sealed.is_not(None))
        .order_by(Signature.id).limit(BATCH_SIZE)
    ).all():
        for row in rows:
            address = canonical_email(open_signer(row, private_key).email)
            seen.setdefault(address, []).append((row.status != SignatureStatus.CONFIRMED, row.id))
        after = rows[-1].id
    return [[signature_id for _, signature_id in sorted(group)]
            for group in seen.values() if len(group) > 1]


def remove_duplicates(appeal: Appeal, private_key: PrivateKey) -> int:
    """Keep one signature per address and erase the others. Commits; returns how many went."""
    removed = 0
    for group in find_duplicates(appeal, private_key):
        for signature_id in group[1:]:
            erase_signature(db.session.get(Signature, signature_id))
            removed += 1
    db.session.commit()
    return removed


def set_high_risk(appeal: Appeal, on: bool) -> None:
    """Turn high-risk mode on or off. On, the hashes already kept for the appeal go too, so a
    seized server cannot test any address against it; off, only new signatures get one. Commits."""
    appeal.high_risk = on
    if on:
        db.session.execute(update(Signature).where(Signature.appeal_id == appeal.id)
                           .values(email_hash=None))
    db.session.commit()
