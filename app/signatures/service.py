"""Signing an appeal and confirming the signature (double opt-in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.mail import messages
from app.models import Appeal, AppealRecipient, Signature, SignatureRecipient, utcnow
from app.models.enums import AppealState, SignatureStatus, TokenPurpose
from app.signatures.identity import email_digest
from app.tokens import issue_token, redeem_for


class AppealNotOpen(Exception):
    """The appeal is paused, closed or a draft: it takes no signatures."""


@dataclass(frozen=True)
class SignatureInput:
    """What the sign form collects; defaults are the most private choices."""

    name: str
    email: str
    country: str
    city: str | None = None
    message: str | None = None
    public_display: str = "none"
    letter_inclusion: str = "count_only"
    wants_updates: bool = False
    post_ids: list[int] = field(default_factory=list)


class SignOutcome(StrEnum):
    NEW = "new"
    PENDING_AGAIN = "pending_again"
    ALREADY_CONFIRMED = "already_confirmed"
    SUSPECT = "suspect"


def sign_appeal(appeal: Appeal, data: SignatureInput, *, suspect: bool = False) -> SignOutcome:
    """Store a signature once per person and queue the e-mail that follows. Commits.

    The caller shows the same response whatever the outcome, so nobody can probe who signed.
    A `suspect` signature (its client was over the burst limit) is stored with status suspect:
    not counted and no e-mail sent, until a coordinator releases it (app/coordinator/moderation).
    """
    # The state as committed now, read inside this write transaction: a pause that landed since
    # the form was read is honoured.
    if db.session.scalar(select(Appeal.state).where(Appeal.id == appeal.id)) != AppealState.OPEN:
        raise AppealNotOpen(appeal.slug)
    digest = email_digest(data.email)
    existing = _find(appeal.id, digest)
    if existing is None:
        signature = _new_signature(appeal, data, digest)
        if suspect:
            signature.status = SignatureStatus.SUSPECT
        try:
            # A savepoint: a concurrent insert of the same person loses only this statement.
            with db.session.begin_nested():
                db.session.add(signature)
        except IntegrityError:
            existing = _find(appeal.id, digest)
        else:
            if not suspect:
                _send_confirmation(signature, appeal)
            db.session.commit()
            return SignOutcome.SUSPECT if suspect else SignOutcome.NEW

    if suspect:
        # A flood must not turn into e-mails to whatever addresses it names.
        db.session.commit()
        return SignOutcome.SUSPECT
    if existing.status == SignatureStatus.CONFIRMED:
        messages.already_signed(existing, appeal)
        outcome = SignOutcome.ALREADY_CONFIRMED
    else:
        # A new address spelling may differ in case or +suffix: write to the one just given.
        # Signing again at a normal pace takes a suspect signature back to double opt-in.
        existing.email = data.email
        existing.status = SignatureStatus.PENDING
        _send_confirmation(existing, appeal)
        outcome = SignOutcome.PENDING_AGAIN
    db.session.commit()
    return outcome


def _find(appeal_id: int, digest: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.appeal_id == appeal_id, Signature.email_hash == digest)
    )


def _new_signature(appeal: Appeal, data: SignatureInput, digest: str) -> Signature:
    allowed = {r.post_id for r in appeal.recipients}
    chosen = [pid for pid in dict.fromkeys(data.post_ids) if pid in allowed] or sorted(allowed)
    return Signature(
        appeal_id=appeal.id,
        name=data.name,
        email=data.email,
        email_hash=digest,
        country=data.country,
        city=data.city or None,
        message=data.message or None,
        public_display=data.public_display,
        letter_inclusion=data.letter_inclusion,
        wants_updates=data.wants_updates,
        chosen_recipients=[SignatureRecipient(post_id=pid) for pid in chosen],
    )


def queue_confirmation(signature: Signature, appeal: Appeal) -> None:
    """Queue a fresh confirmation link for a pending signature (not committed)."""
    _send_confirmation(signature, appeal)


def _send_confirmation(signature: Signature, appeal: Appeal) -> None:
    db.session.flush()
    ttl = timedelta(days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
    raw = issue_token(TokenPurpose.CONFIRM_SIGNATURE, signature.id, ttl=ttl)
    messages.confirmation_request(signature, appeal, raw)


def confirm_signature(raw_token: str) -> Signature:
    """Redeem a confirmation token and count the signature. Commits; raises TokenError."""
    signature = redeem_for(TokenPurpose.CONFIRM_SIGNATURE, raw_token, Signature)
    if signature.status == SignatureStatus.PENDING:
        signature.status = SignatureStatus.CONFIRMED
        signature.confirmed_at = utcnow()
        # In SQL, not in Python: two confirmations at once must both be counted.
        db.session.execute(
            update(Appeal)
            .where(Appeal.id == signature.appeal_id)
            .values(confirmed_count=Appeal.confirmed_count + 1)
        )
    db.session.commit()
    return signature


def recipients_of(appeal: Appeal) -> list[AppealRecipient]:
    """The posts an appeal writes to, To first, in the coordinator's order."""
    return sorted(appeal.recipients, key=lambda r: (r.role != "to", r.position))
