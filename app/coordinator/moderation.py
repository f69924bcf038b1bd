"""Coordinators' moderation of signatures: release or drop suspects, delete a signer on request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext, ngettext
from sqlalchemy import select

from app.extensions import db
from app.models import Appeal, Signature
from app.models.enums import SignatureStatus
from app.signatures.erasure import erase_signature, forget_tokens
from app.signatures.service import queue_confirmation


def suspects(appeal: Appeal, limit: int = 500) -> list[Signature]:
    """Suspect signatures of one appeal, oldest first."""
    return list(db.session.scalars(
        select(Signature)
        .where(Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.SUSPECT)
        .order_by(Signature.id).limit(limit)
    ))


def _suspect_rows(appeal: Appeal, ids: Iterable[int] | None) -> list[Signature]:
    query = select(Signature).where(
        Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.SUSPECT
    )
    if ids is not None:
        query = query.where(Signature.id.in_(list(ids)))
    return list(db.session.scalars(query.order_by(Signature.id)))


def release_suspects(appeal: Appeal, ids: Iterable[int] | None = None) -> int:
    """Suspect -> pending, each with a confirmation e-mail (double opt-in as usual). Commits.

    `ids=None` releases every suspect of the appeal; ids of other appeals are ignored.
    """
    rows = _suspect_rows(appeal, ids)
    for signature in rows:
        signature.status = SignatureStatus.PENDING
        if signature.email:
            queue_confirmation(signature, appeal)
    db.session.commit()
    return len(rows)


def drop_suspects(appeal: Appeal, ids: Iterable[int] | None = None) -> int:
    """Delete suspect signatures (never counted, never written to). Commits."""
    rows = _suspect_rows(appeal, ids)
    for signature in rows:
        forget_tokens(signature.id)
        db.session.delete(signature)
    db.session.commit()
    return len(rows)


@dataclass(frozen=True)
class DeletedSigner:
    """What a deletion removed, to tell the coordinator plainly."""

    name: str | None
    was_confirmed: bool
    outbox_messages: int
    confirmed_count: int


def signer_of(appeal: Appeal, signature_id: int) -> Signature | None:
    """One signature of this appeal (None for another appeal's)."""
    return db.session.scalar(
        select(Signature).where(Signature.id == signature_id, Signature.appeal_id == appeal.id))


def delete_signer(appeal: Appeal, signature_id: int) -> DeletedSigner | None:
    """Delete one signer at their request: the row, their tokens, their address in the outbox.

    A confirmed signer is taken off the appeal's count in the same transaction. Unsent e-mails to
    them are deleted; sent ones keep only a placeholder address. Commits; None if not found.
    """
    signature = signer_of(appeal, signature_id)
    if signature is None:
        return None
    was_confirmed = signature.status == SignatureStatus.CONFIRMED
    name = signature.name
    scrubbed = erase_signature(signature)
    db.session.commit()
    db.session.refresh(appeal)
    return DeletedSigner(name, was_confirmed, scrubbed, appeal.confirmed_count)


def deleted_message(deleted: DeletedSigner) -> str:
    """What was deleted, in plain words, for the coordinator who did it."""
    text = gettext(
        "Deleted the signature of %(name)s: their name, e-mail address, country, city and "
        "message, and their confirmation and unsubscribe links.",
        name=deleted.name or gettext("a signer"))
    text += " " + ngettext("%(num)d e-mail to them was removed from the outbox.",
                           "%(num)d e-mails to them were removed from the outbox.",
                           deleted.outbox_messages)
    if deleted.was_confirmed:
        text += " " + gettext("It no longer counts: the appeal now has %(count)d confirmed "
                              "signatures.", count=deleted.confirmed_count)
    return text
