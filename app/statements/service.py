"""Statements: creating them, organisations and individuals signing (double opt-in), states.

Moderation is in app/statements/moderation.py.

Every function that changes something commits once, and writes its e-mails to the outbox in the
same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Appeal, utcnow
from app.models.enums import AppealState, TokenPurpose
from app.models.statement import (
    Cosigner,
    CosignerStatus,
    OrgSignature,
    OrgSignatureStatus,
    Statement,
    StatementRecipient,
    StatementState,
)
from app.signatures.identity import canonical_email, email_digest
from app.statements import messages, published
from app.statements.identity import email_domain, normalise_name, website_domain
from app.statements.rendering import StatementTemplateError
from app.tokens import issue_token, redeem_for

# Individuals' tokens: purposes of their own, so no token can be used for another kind of row.
CONFIRM_COSIGNER = "confirm_statement_cosigner"
WITHDRAW_COSIGNER = "withdraw_statement_cosigner"


class StatementClosed(Exception):
    """The statement takes no signatures now; `reason` is "deadline", "closed" or "sent"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class StatementError(Exception):
    """A coordinator action that does not apply (message is shown to them)."""


class AlreadySent(Exception):
    """The statement was sent: a signature can no longer be withdrawn."""


@dataclass(frozen=True)
class StatementInput:
    title: str
    slug: str
    text: str
    intro: str = ""
    deadline: datetime | None = None
    allow_individuals: bool = False
    to_post_ids: tuple[int, ...] = ()
    cc_post_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class OrgSignatureInput:
    org_name: str
    country: str
    contact_name: str
    contact_role: str
    contact_email: str
    website: str | None = None
    description: str | None = None
    consent_listed: bool = True
    anonymous: bool = False
    language: str | None = None  # the page language: e-mails to the contact use it


@dataclass(frozen=True)
class CosignerInput:
    name: str
    email: str
    country: str
    affiliation: str | None = None
    language: str | None = None  # the page language: e-mails to the co-signer use it


class SignOutcome(StrEnum):
    NEW = "new"
    RESENT = "resent"
    DUPLICATE = "duplicate"


# --- Statements -------------------------------------------------------------------------------


def create_statement(appeal: Appeal, data: StatementInput) -> Statement:
    """A new statement collecting signatures, its public text rendered. Commits; raises
    StatementTemplateError (nothing stored)."""
    statement = Statement(appeal=appeal)
    _apply(statement, data)
    db.session.add(statement)
    _render_and_commit(statement)
    return statement


def update_statement(statement: Statement, data: StatementInput) -> Statement:
    """Change the text, deadline, recipients… of a statement and render its public text.
    Commits; raises StatementTemplateError (nothing changed)."""
    _apply(statement, data)
    _render_and_commit(statement)
    return statement


def _render_and_commit(statement: Statement) -> None:
    db.session.flush()
    try:
        published.render_text(statement)
    except StatementTemplateError:
        db.session.rollback()
        raise
    db.session.commit()


def _apply(statement: Statement, data: StatementInput) -> None:
    statement.title = data.title
    statement.slug = data.slug
    statement.intro = data.intro or ""
    statement.text = data.text
    statement.deadline = data.deadline
    statement.allow_individuals = data.allow_individuals
    wanted = [(pid, "to") for pid in dict.fromkeys(data.to_post_ids)]
    wanted += [(pid, "cc") for pid in dict.fromkeys(data.cc_post_ids) if pid not in data.to_post_ids]
    existing = {r.post_id: r for r in statement.recipients}
    keep = []
    for position, (post_id, role) in enumerate(wanted):
        link = existing.get(post_id) or StatementRecipient(post_id=post_id)
        link.role, link.position = role, position
        keep.append(link)
    statement.recipients = keep


def recipients_of(statement: Statement) -> list[StatementRecipient]:
    """To first, then Cc, each in the coordinator's order."""
    return sorted(statement.recipients, key=lambda r: (r.role != "to", r.position))


def close_statement(statement: Statement) -> None:
    """Stop collecting. Commits."""
    if statement.state != StatementState.COLLECTING:
        raise StatementError("Only a statement that is collecting signatures can be closed.")
    statement.state = StatementState.CLOSED
    statement.closed_at = utcnow()
    db.session.commit()


def reopen_statement(statement: Statement, *, now: datetime | None = None) -> None:
    """Collect again, even past the deadline, until closed again. Commits."""
    if statement.state == StatementState.SENT:
        raise StatementError("The statement was sent; it cannot be reopened.")
    statement.state = StatementState.COLLECTING
    statement.reopened_at = now or utcnow()
    db.session.commit()


def mark_sent(statement: Statement) -> None:
    """Record that the letters went out; signatures can no longer be withdrawn. Commits."""
    if statement.state == StatementState.SENT:
        raise StatementError("The statement is already marked as sent.")
    statement.state = StatementState.SENT
    statement.closed_at = statement.closed_at or utcnow()
    statement.sent_at = utcnow()
    db.session.commit()


def close_due(now: datetime | None = None) -> list[Statement]:
    """Close every collecting statement whose deadline has passed. Commits."""
    now = now or utcnow()
    due = [s for s in db.session.scalars(
        select(Statement).where(Statement.state == StatementState.COLLECTING,
                                Statement.deadline.is_not(None), Statement.deadline < now))
        if s.deadline_passed(now)]
    for statement in due:
        statement.state = StatementState.CLOSED
        statement.closed_at = now
    db.session.commit()
    return due


def refusal_reason(statement: Statement, now: datetime | None = None) -> str | None:
    """Why the statement takes no signatures now, or None when it does."""
    now = now or utcnow()
    if statement.state == StatementState.SENT:
        return "sent"
    if statement.state == StatementState.CLOSED:
        return "closed"
    if statement.appeal.state != AppealState.OPEN:
        return "paused" if statement.appeal.state == AppealState.PAUSED else "closed"
    if statement.deadline_passed(now):
        return "deadline"
    return None


# --- Organisations signing --------------------------------------------------------------------


def sign_as_organisation(statement: Statement, data: OrgSignatureInput, *,
                         now: datetime | None = None) -> SignOutcome:
    """Store an organisation's signature once and queue the confirmation e-mail. Commits.

    An organisation that already signed (same normalised name, or same website domain) gets the
    same public response and nothing is stored; only when the same contact address signs again
    before confirming is the confirmation sent again. Raises StatementClosed.
    """
    reason = refusal_reason(statement, now)
    if reason:
        raise StatementClosed(reason)
    name_key = normalise_name(data.org_name)
    domain = website_domain(data.website)
    existing = _find_organisation(statement.id, name_key, domain)
    if existing is None:
        signature = OrgSignature(
            statement_id=statement.id, org_name=data.org_name, name_key=name_key,
            country=data.country, website=data.website or None, domain=domain,
            description=data.description or None, contact_name=data.contact_name,
            contact_role=data.contact_role, contact_email=data.contact_email,
            consent_listed=data.consent_listed, anonymous=data.anonymous, language=data.language,
        )
        try:
            # A savepoint: a concurrent sign-on of the same organisation loses only this insert.
            with db.session.begin_nested():
                db.session.add(signature)
        except IntegrityError:
            db.session.rollback()
            return SignOutcome.DUPLICATE
        _send_confirmation(signature, statement)
        db.session.commit()
        return SignOutcome.NEW
    same_contact = existing.contact_email and (
        canonical_email(existing.contact_email) == canonical_email(data.contact_email))
    if same_contact and existing.status in (OrgSignatureStatus.UNCONFIRMED,
                                            OrgSignatureStatus.WITHDRAWN):
        existing.status = OrgSignatureStatus.UNCONFIRMED
        existing.withdrawn_at = None
        existing.language = data.language or existing.language
        _send_confirmation(existing, statement)
        db.session.commit()
        return SignOutcome.RESENT
    # Told to nobody: writing to the new address would tell a stranger who signed.
    db.session.rollback()
    return SignOutcome.DUPLICATE


def _find_organisation(statement_id: int, name_key: str, domain: str | None) -> OrgSignature | None:
    match = OrgSignature.name_key == name_key
    if domain:
        match = or_(match, OrgSignature.domain == domain)
    return db.session.scalars(
        select(OrgSignature).where(OrgSignature.statement_id == statement_id, match)
        .order_by(OrgSignature.id).limit(1)
    ).first()


def _withdrawal_ttl() -> timedelta:  # a link sitting in a mailbox is not a key for ever
    return timedelta(days=current_app.config["WITHDRAWAL_MAX_AGE_DAYS"])


def _send_confirmation(signature: OrgSignature, statement: Statement) -> None:
    db.session.flush()
    ttl = timedelta(days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
    confirm = issue_token(TokenPurpose.CONFIRM_ORG_SIGNATURE, signature.id, ttl=ttl)
    withdraw = issue_token(TokenPurpose.WITHDRAW_ORG_SIGNATURE, signature.id, ttl=_withdrawal_ttl())
    messages.org_confirmation_request(signature, statement, confirm, withdraw)


def confirm_org_signature(raw_token: str) -> OrgSignature:
    """Redeem a confirmation token: the signature now waits for a coordinator. Commits.

    The contact's e-mail domain matching the website's marks the signature domain-verified.
    Raises TokenError.
    """
    signature = redeem_for(TokenPurpose.CONFIRM_ORG_SIGNATURE, raw_token, OrgSignature)
    if signature.status == OrgSignatureStatus.UNCONFIRMED:
        signature.status = OrgSignatureStatus.AWAITING
        signature.confirmed_at = utcnow()
        signature.domain_verified = bool(
            signature.domain and signature.contact_email
            and email_domain(signature.contact_email) == signature.domain)
    db.session.commit()
    return signature


def withdraw_org_signature(raw_token: str) -> OrgSignature:
    """Redeem a withdrawal token. Commits; raises TokenError, or AlreadySent (token kept)."""
    signature = redeem_for(TokenPurpose.WITHDRAW_ORG_SIGNATURE, raw_token, OrgSignature)
    if signature.statement.state == StatementState.SENT:
        db.session.rollback()  # the token stays unused
        raise AlreadySent(signature.statement.slug)
    signature.status = OrgSignatureStatus.WITHDRAWN
    signature.withdrawn_at = utcnow()
    messages.org_withdrawn(signature, signature.statement)
    db.session.commit()
    return signature


# --- Individuals co-signing -------------------------------------------------------------------


def cosign(statement: Statement, data: CosignerInput, *, now: datetime | None = None) -> SignOutcome:
    """An individual co-signs (only where allowed); double opt-in like supporters. Commits."""
    reason = refusal_reason(statement, now) or (None if statement.allow_individuals else "closed")
    if reason:
        raise StatementClosed(reason)
    digest = email_digest(data.email)
    existing = db.session.scalar(select(Cosigner).where(
        Cosigner.statement_id == statement.id, Cosigner.email_hash == digest))
    if existing is not None:
        if existing.status in (CosignerStatus.UNCONFIRMED, CosignerStatus.WITHDRAWN):
            existing.status = CosignerStatus.UNCONFIRMED
            existing.email, existing.name, existing.country = data.email, data.name, data.country
            existing.affiliation = data.affiliation or None
            existing.language = data.language or existing.language
            _send_cosigner_confirmation(existing, statement)
            db.session.commit()
            return SignOutcome.RESENT
        db.session.rollback()
        return SignOutcome.DUPLICATE
    cosigner = Cosigner(statement_id=statement.id, name=data.name, email=data.email,
                        email_hash=digest, country=data.country,
                        affiliation=data.affiliation or None, language=data.language)
    try:
        with db.session.begin_nested():
            db.session.add(cosigner)
    except IntegrityError:
        db.session.rollback()
        return SignOutcome.DUPLICATE
    _send_cosigner_confirmation(cosigner, statement)
    db.session.commit()
    return SignOutcome.NEW


def _send_cosigner_confirmation(cosigner: Cosigner, statement: Statement) -> None:
    db.session.flush()
    ttl = timedelta(days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
    raw = issue_token(CONFIRM_COSIGNER, cosigner.id, ttl=ttl)
    withdraw = issue_token(WITHDRAW_COSIGNER, cosigner.id, ttl=_withdrawal_ttl())
    messages.cosigner_confirmation_request(cosigner, statement, raw, withdraw)


def confirm_cosigner(raw_token: str) -> Cosigner:
    """Redeem an individual's confirmation token. Commits; raises TokenError."""
    cosigner = redeem_for(CONFIRM_COSIGNER, raw_token, Cosigner)
    if cosigner.status == CosignerStatus.UNCONFIRMED:
        cosigner.status = CosignerStatus.CONFIRMED
        cosigner.confirmed_at = utcnow()
    db.session.commit()
    return cosigner


def withdraw_cosigner(raw_token: str) -> Cosigner:
    """Redeem an individual's withdrawal token. Commits; raises TokenError or AlreadySent."""
    cosigner = redeem_for(WITHDRAW_COSIGNER, raw_token, Cosigner)
    if cosigner.statement.state == StatementState.SENT:
        db.session.rollback()  # the token stays unused
        raise AlreadySent(cosigner.statement.slug)
    cosigner.status = CosignerStatus.WITHDRAWN
    # Nothing of a person who withdrew is kept but the hash refusing a second row (a new
    # signature by the same address brings its own name back).
    cosigner.name, cosigner.affiliation, cosigner.email = "", None, None
    db.session.commit()
    return cosigner



def purge_emails(*, older_than_days: int, now: datetime | None = None) -> int:
    """Forget contact and co-signer addresses of statements sent more than N days ago. Commits.

    Returns how many addresses were removed. The rows (and the list of the undersigned) stay.
    """
    from sqlalchemy import update

    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    sent = select(Statement.id).where(Statement.state == StatementState.SENT,
                                      Statement.sent_at < cutoff)
    orgs = db.session.execute(
        update(OrgSignature).where(OrgSignature.statement_id.in_(sent),
                                   OrgSignature.contact_email.is_not(None))
        .values(contact_email=None))
    people = db.session.execute(
        update(Cosigner).where(Cosigner.statement_id.in_(sent), Cosigner.email.is_not(None))
        .values(email=None))
    db.session.commit()
    return orgs.rowcount + people.rowcount
