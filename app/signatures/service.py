"""Signing an appeal and confirming the signature (double opt-in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import bindparam, insert, select, text, update

from app.appeals.queries import PUBLIC_STATES
from app.db_setup import read_rows
from app.directory.routing import appeal_recipients
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
from app.partners.service import credit_partner
from app.signatures.caps import may_tell_already_signed
from app.signatures.identity import email_digest
from app.tokens import new_token, redeem_for
from app.webhooks.events import queue_signature_confirmed


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
    language: str | None = None  # the page language: every e-mail to the signer uses it


@dataclass(frozen=True)
class SigningTarget:
    """What signing needs to know of an appeal, read in one query (no ORM objects).

    The sign form is the hottest write path of the service: a viral appeal takes hundreds of
    signatures a second, so it reads plain rows and writes with Core statements.
    """

    id: int
    slug: str
    title: str
    state: str
    group_name: str | None
    # (post id, label) of the recipients, To first, in the coordinator's order.
    choices: tuple[tuple[int, str], ...]

    @property
    def accepts_signatures(self) -> bool:
        return self.state == AppealState.OPEN

    @property
    def group(self) -> SimpleNamespace | None:
        """As `Appeal.group` for the e-mail templates."""
        return SimpleNamespace(name=self.group_name) if self.group_name else None


_TARGET = (
    select(Appeal.id, Appeal.slug, Appeal.title, Appeal.state, Group.name,
           AppealRecipient.post_id, Post.label)
    .outerjoin(Group, Group.id == Appeal.group_id)
    .outerjoin(AppealRecipient, AppealRecipient.appeal_id == Appeal.id)
    .outerjoin(Post, Post.id == AppealRecipient.post_id)
    .where(Appeal.slug == bindparam("slug"))
    .order_by(AppealRecipient.role != "to", AppealRecipient.position)
)


def signing_target(slug: str) -> SigningTarget | None:
    """The public appeal `slug` as the sign form sees it, or None."""
    if len(slug) > 80:
        return None
    # Outside the session: the request's write transaction comes later and alone.
    rows = read_rows(db.engine, _TARGET, {"slug": slug})
    if not rows or rows[0][3] not in PUBLIC_STATES:
        return None
    first = rows[0]
    choices = tuple((row[5], row[6]) for row in rows if row[5] is not None)
    return SigningTarget(first[0], first[1], first[2], first[3], first[4], choices)


class SignOutcome(StrEnum):
    NEW = "new"
    PENDING_AGAIN = "pending_again"
    ALREADY_CONFIRMED = "already_confirmed"
    SUSPECT = "suspect"


def sign_appeal(target: SigningTarget, data: SignatureInput, *, suspect: bool = False) -> SignOutcome:
    """Store a signature once per person and queue the e-mail that follows. Commits.

    The caller shows the same response whatever the outcome, so nobody can probe who signed.
    A `suspect` signature (its client was over the burst limit) is stored with status suspect:
    not counted and no e-mail sent, until a coordinator releases it (app/coordinator/moderation).
    Runs in the session's transaction, so whatever the caller wrote before (the rate-limit
    counters) is committed with the signature.
    """
    connection = db.session.connection()
    # The state as committed now, read inside this write transaction: a pause that landed since
    # the form was read is honoured.
    if connection.execute(_STATE, {"id": target.id}).scalar() != AppealState.OPEN:
        raise AppealNotOpen(target.slug)
    digest = email_digest(data.email)
    # One statement finds a signer already there and stores a new one: the unique index on
    # (appeal, e-mail hash) decides, also between two concurrent requests for the same person.
    status = SignatureStatus.SUSPECT if suspect else SignatureStatus.PENDING
    signature_id = connection.execute(
        _INSERT_SIGNATURE, _signature_values(target, data, digest, status)).scalar()
    if signature_id is not None:
        allowed = {post_id for post_id, _label in target.choices}
        chosen = [pid for pid in dict.fromkeys(data.post_ids) if pid in allowed] or sorted(allowed)
        if chosen:
            connection.execute(_INSERT_RECIPIENT,
                               [{"signature_id": signature_id, "post_id": pid} for pid in chosen])
        if not suspect:
            signer = SimpleNamespace(id=signature_id, name=data.name, email=data.email,
                                     language=data.language)
            _send_confirmation(signer, target, connection=connection)
        db.session.commit()
        return SignOutcome.SUSPECT if suspect else SignOutcome.NEW

    existing = _find(target.id, digest)
    if suspect:
        # A flood must not turn into e-mails to whatever addresses it names.
        db.session.commit()
        return SignOutcome.SUSPECT
    if existing.status == SignatureStatus.CONFIRMED:
        if may_tell_already_signed(digest):
            db.session.add(OutboxMessage(**messages.already_signed(
                existing, target, language=data.language or existing.language)))
        outcome = SignOutcome.ALREADY_CONFIRMED
    else:
        # A new address spelling may differ in case or +suffix: write to the one just given.
        # Signing again at a normal pace takes a suspect signature back to double opt-in.
        existing.email = data.email
        existing.language = data.language or existing.language
        existing.status = SignatureStatus.PENDING
        _send_confirmation(existing, target)
        outcome = SignOutcome.PENDING_AGAIN
    db.session.commit()
    return outcome


_STATE = select(Appeal.__table__.c.state).where(Appeal.__table__.c.id == bindparam("id"))
_INSERT_RECIPIENT = insert(SignatureRecipient.__table__)
_INSERT_TOKEN = insert(Token.__table__)
_INSERT_OUTBOX = insert(OutboxMessage.__table__)


# INSERT … ON CONFLICT DO NOTHING RETURNING reads the same on SQLite (>= 3.35) and PostgreSQL.
# Written as text: SQLAlchemy does not cache the compiled form of its on_conflict constructs, and
# compiling it anew cost a third of a signature's database time.
_SIGNATURE_COLUMNS = ("appeal_id", "name", "email", "email_hash", "country", "city", "message",
                      "public_display", "letter_inclusion", "wants_updates", "status", "created_at",
                      "language")
_INSERT_SIGNATURE = text(
    f"INSERT INTO signatures ({', '.join(_SIGNATURE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _SIGNATURE_COLUMNS)}) "
    "ON CONFLICT (appeal_id, email_hash) DO NOTHING RETURNING id"
).bindparams(bindparam("created_at", type_=Signature.__table__.c.created_at.type),
             bindparam("wants_updates", type_=Signature.__table__.c.wants_updates.type))


def _signature_values(target: SigningTarget, data: SignatureInput, digest: str,
                      status: str) -> dict:
    return {
        "appeal_id": target.id, "name": data.name, "email": data.email, "email_hash": digest,
        "country": data.country, "city": data.city or None, "message": data.message or None,
        "public_display": data.public_display, "letter_inclusion": data.letter_inclusion,
        "wants_updates": data.wants_updates, "status": status, "created_at": utcnow(),
        "language": data.language,
    }


def _find(appeal_id: int, digest: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.appeal_id == appeal_id, Signature.email_hash == digest)
    )


def queue_confirmation(signature: Signature, appeal: Appeal) -> None:
    """Queue a fresh confirmation link for a pending signature (not committed)."""
    _send_confirmation(signature, appeal)


def _send_confirmation(signature, appeal, *, connection=None) -> None:  # noqa: ANN001
    """A token and the e-mail carrying it: as Core INSERTs on `connection`, else in the session."""
    ttl = timedelta(days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
    if connection is None:
        db.session.flush()
    raw, token = new_token(TokenPurpose.CONFIRM_SIGNATURE, signature.id, ttl=ttl)
    email = messages.confirmation_email(signature, appeal, raw)
    if connection is None:
        db.session.add(Token(**token))
        db.session.add(OutboxMessage(**email))
    else:
        connection.execute(_INSERT_TOKEN, token)
        connection.execute(_INSERT_OUTBOX, email)


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
        # Same transaction: the partner's count and the webhook events stand or fall with it.
        credit_partner(signature.id)
        queue_signature_confirmed(signature)
    db.session.commit()
    return signature


def recipients_of(appeal: Appeal) -> list[AppealRecipient]:
    """The posts an appeal writes to, To first, in the coordinator's order."""
    return appeal_recipients(appeal)
