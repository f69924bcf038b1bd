"""The coordinator's list of an appeal's signers, a page at a time."""

from __future__ import annotations

from sqlalchemy import Row, select

from app.extensions import db
from app.models import Signature

PAGE_SIZE = 100


def signer_page(appeal_id: int, before: int | None = None, size: int = PAGE_SIZE) -> list[Row]:
    """Up to `size` signers, newest first, with ids below `before` (the last id of the page seen).

    Keyset pagination on ix_signatures_appeal_id: page 5,000 costs what page 1 costs.
    """
    query = (
        select(Signature.id, Signature.name, Signature.country, Signature.city, Signature.status,
               Signature.public_display, Signature.letter_inclusion, Signature.created_at)
        .where(Signature.appeal_id == appeal_id)
        .order_by(Signature.id.desc()).limit(size)
    )
    if before is not None:
        query = query.where(Signature.id < before)
    return list(db.session.execute(query))
