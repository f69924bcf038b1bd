"""Signing an appeal and confirming the signature (double opt-in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import Update, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.appeals.queries import PUBLIC_STATES
from app.appeals.translations import title_and_organisation
from app.db_setup import read_only_connection
from app.extensions import db
from app.mail import messages
from app.models import (
    Appeal,
    AppealRecipient,
    Group,
    OutboxMessage,
    Post,
    Signature,
    SignatureRecipient,
    Token,
    utcnow,
)
from app.models.enums import AppealState, SignatureStatus, TokenPurpose
from app.ratelimit import sign_limits
from app.sealing.boxes import SignerDetails, clear_name, seal, seal_own_copy
from app.signatures.caps import may_tell_already_signed
from app.signatures.events import signature_confirmed
from app.signatures.identity import email_digest
from app.tokens import new_secret, new_token, redeem_for


@dataclass(frozen=True)
class SignatureInput:
    """What the sign form collects; defaults are the most private choices."""

    name: str
    email: str
    country: str
    city: str | None = None
    message: str | None = None
    message_in_letters: bool = False  # the message readable for the signer's letters
    public_display: str = "none"
    letter_inclusion: str = "count_only"
    wants_updates: bool = False
    post_ids: list[int] = field(default_factory=list)
    language: str | None = None  # the page language: every e-mail to the signer uses it


@dataclass(frozen=True)
class SigningTarget:
    """What signing needs to know of an appeal, read in one query (no ORM objects)."""

    id: int
    slug: str
    title: str
    state: str
    group_name: str | None
    # (post id, label) of the recipients, To first, in the coordinator's order.
    choices: tuple[tuple[int, str], ...]
    # The organisation's public key (signers' details are sealed to it; None: no key yet).
    public_key: bytes | None = None
    # High-risk mode: no e-mail hash is kept (app/sealing/duplicates.py removes duplicates).
    high_risk: bool = False
    # For the e-mails: the title and group's name in the signer's language (app/mail/messages.py).
    translations: dict | None = None
    letter_language: str = "en"

    @property
    def accepts_signatures(self) -> bool:
        return self.state == AppealState.OPEN

    @property
    def group(self) -> SimpleNamespace | None:
        """As `Appeal.group` for the e-mail templates."""
        return SimpleNamespace(name=self.group_name) if self.group_name else None


_TARGET = (
    select(Appeal.id, Appeal.slug, Appeal.title, Appeal.state, Group.name,
           AppealRecipient.post_id, Post.label, Group.public_key, Appeal.high_risk,
           Appeal.translations, Appeal.letter_language)
    .outerjoin(Group, Group.id == Appeal.group_id)
    .outerjoin(AppealRecipient, AppealRecipient.appeal_id == Appeal.id)
    .outerjoin(Post, Post.id == AppealRecipient.post_id)
    .where(Appeal.slug == bindparam("slug"))
    .order_by(AppealRecipient.role != "to", AppealRecipient.position, AppealRecipient.id)
)


def signing_target(slug: str) -> SigningTarget | None:
    """The public appeal `slug` as the sign form sees it, or None.

    Read on a connection of its own that takes no write lock: the sign POST's one write
    transaction (`sign_appeal`) begins later, after the form is validated, and stays short.
    """
    if len(slug) > 80:
        return None
    with read_only_connection(db.engine) as connection:
        rows = connection.execute(_TARGET, {"slug": slug}).all()
    if not rows or rows[0][3] not in PUBLIC_STATES:
        return None
    first = rows[0]
    choices = tuple((row[5], row[6]) for row in rows if row[5] is not None)
    return SigningTarget(first[0], first[1], first[2], first[3], first[4], choices,
                         first[7], bool(first[8]), first[9], first[10] or "en")


class SignOutcome(StrEnum):
    NEW = "new"
    PENDING_AGAIN = "pending_again"
    ALREADY_CONFIRMED = "already_confirmed"
    SUSPECT = "suspect"
    # Nothing stored: over the client's ceiling (answer 429), or the appeal stopped taking
    # signatures since the form was read (answer 409).
    FLOOD = "flood"
    NOT_OPEN = "not_open"


def count_refused_attempt(client: str) -> bool:
    """Count a refused or honeypot POST towards `client`'s limits (a flood is a flood).

    Commits the counters in a transaction of their own; True if the client is over its ceiling.
    """
    _suspect, flood = sign_limits(client)
    return flood


def sign_appeal(target: SigningTarget, data: SignatureInput, client: str) -> SignOutcome:
    """Count `client`'s attempt, store a signature once per person, queue its e-mail. Commits.

    One write transaction: the rate-limit counters, the appeal's state as committed now (a pause
    that landed since the form was read is honoured), the signature, its recipients, token and
    e-mail. Over the client's burst the signature is stored as suspect: not counted and no
    e-mail, until a coordinator releases it (app/coordinator/moderation). The caller shows the
    same response for every stored outcome, so nobody can probe who signed.
    """
    try:
        suspect, flood = sign_limits(client, db.session.connection())
        if flood:
            db.session.commit()  # the counts stand; nothing else is stored
            return SignOutcome.FLOOD
        if db.session.scalar(_STATE, {"id": target.id}) != AppealState.OPEN:
            db.session.rollback()
            return SignOutcome.NOT_OPEN
        outcome = _store(target, data, suspect)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return outcome


_STATE = select(Appeal.state).where(Appeal.id == bindparam("id"))


def _store(target: SigningTarget, data: SignatureInput, suspect: bool) -> SignOutcome:
    """Insert the signature, or deal with the person already there (not committed)."""
    digest = None if target.high_risk else email_digest(data.email)
    status = SignatureStatus.SUSPECT if suspect else SignatureStatus.PENDING
    own_secret = new_secret()
    signature_id = _insert_signature(_signature_values(target, data, digest, status, own_secret))
    if signature_id is not None:
        allowed = {post_id for post_id, _label in target.choices}
        chosen = [pid for pid in dict.fromkeys(data.post_ids) if pid in allowed] or sorted(allowed)
        if chosen:
            db.session.execute(insert(SignatureRecipient.__table__),
                               [{"signature_id": signature_id, "post_id": pid} for pid in chosen])
        if suspect:
            return SignOutcome.SUSPECT
        signer = SimpleNamespace(id=signature_id, name=data.name, email=data.email,
                                 language=data.language)
        _send_confirmation(signer, target, core=True, own_secret=own_secret)
        return SignOutcome.NEW
    if suspect:
        return SignOutcome.SUSPECT  # a flood must not turn into e-mails to the addresses it names
    existing = _find(target.id, digest)
    if existing.status == SignatureStatus.CONFIRMED:
        if may_tell_already_signed(digest):  # at most a few a day: the form is no mail cannon
            # To the address just typed: a confirmed row keeps no address in clear.
            signer = SimpleNamespace(name=data.name, email=data.email)
            language = data.language or existing.language
            db.session.add(OutboxMessage(**messages.already_signed(
                signer, as_read_in(target, language), language=language)))
        return SignOutcome.ALREADY_CONFIRMED
    # A new address spelling may differ in case or +suffix: write to the one just given, with
    # the details just given sealed again and a new private link (the old one goes).
    # Signing again at a normal pace takes a suspect signature back to double opt-in.
    values = _signature_values(target, data, digest, existing.status, own_secret)
    for column in ("name", "email", "message", "sealed", "own_copy", "public_display",
                   "letter_inclusion"):
        setattr(existing, column, values[column])
    existing.language = data.language or existing.language
    existing.status = SignatureStatus.PENDING
    _send_confirmation(existing, target, own_secret=own_secret)
    return SignOutcome.PENDING_AGAIN


_INSERT_SIGNATURE = insert(Signature.__table__).returning(Signature.__table__.c.id)


def _insert_signature(values: dict) -> int | None:
    """Store a new signature and return its id; None if this person (appeal, e-mail hash) has
    signed already.

    The unique index on (appeal, e-mail hash) decides, also between two concurrent requests
    for the same person; the savepoint keeps the transaction usable after a refused insert.
    A plain INSERT, not the dialects' `on_conflict_do_nothing`: SQLAlchemy 2.0 caches the
    compiled form of the one and compiles the other anew on every signature (0.55 ms against
    0.28 ms with the savepoint, bench/README.md).
    """
    try:
        with db.session.begin_nested():
            return db.session.scalar(_INSERT_SIGNATURE, values)
    except IntegrityError:
        if _find(values["appeal_id"], values["email_hash"]) is None:
            raise  # some other constraint: not a second signature
        return None


def _signature_values(target: SigningTarget, data: SignatureInput, digest: str | None,
                      status: str, own_secret: str) -> dict:
    """The row: in clear only what the signer chose to disclose; the rest sealed (app/sealing)."""
    details = SignerDetails(name=data.name, email=data.email, city=data.city or None,
                            message=data.message or None)
    return {
        "appeal_id": target.id, "email": data.email, "email_hash": digest,
        "name": clear_name(data.name, data.public_display, data.letter_inclusion),
        "sealed": seal(details, target.public_key) if target.public_key else None,
        "own_copy": seal_own_copy(details, own_secret),
        "country": data.country, "city": None,
        "message": (data.message or None) if data.message_in_letters else None,
        "public_display": data.public_display, "letter_inclusion": data.letter_inclusion,
        "wants_updates": data.wants_updates, "status": status, "created_at": utcnow(),
        "language": data.language,
    }


def _find(appeal_id: int, digest: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.appeal_id == appeal_id, Signature.email_hash == digest)
    )


def pending_signature_id(appeal_id: int, email: str) -> int | None:
    """The id of this address's unconfirmed signature of the appeal (for noting where it came
    from: a partner's form, a share link), or None."""
    return db.session.scalar(select(Signature.id).where(
        Signature.appeal_id == appeal_id, Signature.email_hash == email_digest(email),
        Signature.status == SignatureStatus.PENDING))


def as_read_in(appeal, language: str | None) -> SimpleNamespace:  # noqa: ANN001
    """What the e-mails to a signer name of `appeal` (app/mail/messages.py): its title and its
    group's name as the signer read them on the page, in `language` (Kazakh: Russian)."""
    title, organisation = title_and_organisation(appeal, language)
    return SimpleNamespace(id=appeal.id, slug=appeal.slug, title=title,
                           group=SimpleNamespace(name=organisation) if appeal.group else None)


def queue_confirmation(signature: Signature, appeal: Appeal) -> None:
    """Queue a fresh confirmation link for a pending signature (not committed)."""
    _send_confirmation(signature, appeal)


def _send_confirmation(signature, appeal, *, core: bool = False,  # noqa: ANN001
                       own_secret: str | None = None) -> None:
    """A token and the e-mail carrying it, in the session (not committed); with `own_secret`,
    also the signer's private link (its token replaces any earlier one).

    `core`: as Core INSERTs, for a signature stored that way (no ORM object to flush).
    """
    ttl = timedelta(days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
    if not core:
        db.session.flush()
    raw, token = new_token(TokenPurpose.CONFIRM_SIGNATURE, signature.id, ttl=ttl)
    tokens = [token]
    if own_secret is not None:
        if not core:
            db.session.execute(delete(Token).where(
                Token.subject_id == signature.id, Token.purpose == TokenPurpose.SIGNER_OWN_PAGE))
        tokens.append(new_token(TokenPurpose.SIGNER_OWN_PAGE, signature.id, ttl=None,
                                raw=own_secret)[1])
    named = as_read_in(appeal, getattr(signature, "language", None))
    email = messages.confirmation_email(signature, named, raw, own_secret=own_secret)
    email["signature_id"] = signature.id  # its clear address is erased once this is sent
    db.session.execute(insert(Token.__table__), tokens)
    if core:
        db.session.execute(insert(OutboxMessage.__table__), email)
    else:
        db.session.add(OutboxMessage(**email))


def confirm_signature(raw_token: str) -> Signature:
    """Redeem a confirmation token and count the signature. Commits; raises TokenError."""
    signature = redeem_for(TokenPurpose.CONFIRM_SIGNATURE, raw_token, Signature)
    if signature.status == SignatureStatus.PENDING:
        signature.status = SignatureStatus.CONFIRMED
        signature.confirmed_at = utcnow()
        db.session.execute(count_confirmed(signature.appeal_id, +1))
        # Same transaction: what receivers write (a partner's count, webhook events) stands or
        # falls with the confirmation.
        signature_confirmed.send(signature)
    db.session.commit()
    return signature


def count_confirmed(appeal_id: int, change: int) -> Update:
    """The statement that moves an appeal's public count by `change`.

    In SQL, not in Python: two confirmations at once must both be counted. It leaves
    `updated_at` alone (the column's onupdate would bump it): that is the public page cache's
    key, and a stream of confirmations must not re-render the page in every worker.
    """
    return (update(Appeal).where(Appeal.id == appeal_id)
            .values(confirmed_count=Appeal.confirmed_count + change, updated_at=Appeal.updated_at))
